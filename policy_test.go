package tcmis_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func policies() (framework2002, policy2005 *tcmis.EvaluationPolicy) {
	ps := tcmis.StandardPolicies()
	ps[0].ID, ps[1].ID = 1, 2
	return ps[0], ps[1]
}

// planProject is a project of the given period, approved under a policy.
func planProject(start, end string) *tcmis.Project {
	p := validProject()
	p.ID, p.Code, p.Title = 7, "GHA/06/01/NET", "Youth employment"
	p.Start, p.End = day(start), day(end)
	return p
}

const usd350k = 350_000 * 100

func TestStandardPolicies(t *testing.T) {
	f, p := policies()
	for _, pol := range []*tcmis.EvaluationPolicy{f, p} {
		if err := pol.Validate(); err != nil {
			t.Error(err)
		}
		if pol.FinalOnlyUnder != 18 || pol.MidTermUpTo != 30 || pol.ReviewEvery != 12 || pol.IndependentOver != usd350k {
			t.Errorf("%s: thresholds %+v", pol.Name, pol)
		}
	}
	if f.BudgetLine || !p.BudgetLine {
		t.Error("only the 2005 policy puts independent evaluations in the project budget")
	}
	if got := p.String(); got != "ILO evaluation policy and strategy (GB.294/PFA/8/4), in force from 2005-11-01" {
		t.Errorf("String: %s", got)
	}
	bad := &tcmis.EvaluationPolicy{FinalOnlyUnder: 20, MidTermUpTo: 12, IndependentOver: -1}
	var fields []string
	for _, pr := range tcmis.ErrorProblems(bad.Validate()) {
		fields = append(fields, pr.Field)
	}
	if got := strings.Join(fields, " "); got != "name effective mid_term_up_to_months review_every_months independent_over_usd" {
		t.Errorf("problems: %s", got)
	}
}

func TestPolicyInForce(t *testing.T) {
	f, p := policies()
	versions := []*tcmis.EvaluationPolicy{p, f} // in any order
	for _, tc := range []struct {
		day  string
		want *tcmis.EvaluationPolicy
	}{
		{"2002-10-31", nil},
		{"2002-11-01", f},
		{"2005-10-31", f},
		{"2005-11-01", p},
		{"2010-01-01", p},
	} {
		got, err := tcmis.PolicyInForce(versions, day(tc.day))
		if got != tc.want {
			t.Errorf("%s: policy %v (%v), want %v", tc.day, got, err, tc.want)
		}
		if tc.want == nil && (tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), "takes effect on 2002-11-01")) {
			t.Errorf("%s: %v", tc.day, err)
		}
	}
	if _, err := tcmis.PolicyInForce(nil, day("2006-01-01")); err == nil || !strings.Contains(err.Error(), "tcmis evaluation policy add") {
		t.Errorf("no policies: %v", err)
	}
}

// The boundaries of ¶143, decided: under 18 months means 17 or fewer;
// 18 to 30 includes both 18 and 30; over 30 starts at 31; over
// US$350,000 means at least one cent more.
func TestRequire(t *testing.T) {
	_, pol := policies()
	for _, tc := range []struct {
		name        string
		start, end  string
		budget      int64
		agreed      bool
		months      int
		midTerm     bool
		reviews     int
		independent bool
	}{
		{"17 months", "2006-01-01", "2007-05-31", usd350k, false, 17, false, 0, false},
		{"17 months and 14 days", "2006-01-01", "2007-06-14", 0, false, 17, false, 0, false},
		{"17 months and 16 days count as 18", "2006-01-01", "2007-06-16", 0, false, 18, true, 0, false},
		{"exactly 18 months", "2006-01-01", "2007-06-30", 0, false, 18, true, 0, false},
		{"exactly 30 months", "2006-01-01", "2008-06-30", 0, false, 30, true, 0, false},
		{"exactly 30 months, mid-term agreed changes nothing", "2006-01-01", "2008-06-30", 0, true, 30, true, 0, false},
		{"31 months", "2006-01-01", "2008-07-31", 0, false, 31, false, 2, false},
		{"31 months, mid-term agreed", "2006-01-01", "2008-07-31", 0, true, 31, true, 2, false},
		{"exactly 36 months", "2006-01-01", "2008-12-31", 0, false, 36, false, 2, false},
		{"37 months: no review a month before the final", "2006-01-01", "2009-01-31", 0, false, 37, false, 2, false},
		{"42 months: the third review would fall 6 months before the end less a day", "2006-01-01", "2009-06-30", 0, false, 42, false, 2, false},
		{"43 months: the third review falls 6 months before the end", "2006-01-01", "2009-07-31", 0, false, 43, false, 3, false},
		{"exactly US$350,000", "2006-01-01", "2006-12-31", usd350k, false, 12, false, 0, false},
		{"US$350,000.01", "2006-01-01", "2006-12-31", usd350k + 1, false, 12, false, 0, true},
		{"US$349,999.99", "2006-01-01", "2006-12-31", usd350k - 1, false, 12, false, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := planProject(tc.start, tc.end)
			r := pol.Require(p, tcmis.PlanOptions{BudgetUSD: tc.budget, MidTermAgreed: tc.agreed})
			if r.Months != tc.months || r.MidTerm != tc.midTerm || r.AnnualReviews != tc.reviews || r.Independent != tc.independent || !r.Final {
				t.Errorf("requirements %+v, want %d months, mid-term %v, %d reviews, independent %v", r, tc.months, tc.midTerm, tc.reviews, tc.independent)
			}
			if r.BudgetLine != tc.independent {
				t.Errorf("budget line %v", r.BudgetLine)
			}
		})
	}
}

func planSummary(es []tcmis.Evaluation) string {
	var parts []string
	for _, e := range es {
		s := fmt.Sprintf("%s %s %s", e.Timing, e.Type, e.Planned.Format(tcmis.DateLayout))
		if e.Budget != 0 {
			s += fmt.Sprintf(" $%d", e.Budget/100)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func TestPlan(t *testing.T) {
	framework, pol := policies()
	for _, tc := range []struct {
		name       string
		policy     *tcmis.EvaluationPolicy
		start, end string
		opt        tcmis.PlanOptions
		want       string
		err        string
	}{
		{"under 18 months: final only", pol, "2006-07-01", "2007-06-30", tcmis.PlanOptions{},
			"final self 2007-06-30", ""},
		{"exactly 18 months: mid-term at the middle and final", pol, "2006-07-01", "2007-12-31", tcmis.PlanOptions{},
			"mid-term self 2007-04-01; final self 2007-12-31", ""},
		{"exactly 30 months", pol, "2006-01-01", "2008-06-30", tcmis.PlanOptions{},
			"mid-term self 2007-04-01; final self 2008-06-30", ""},
		{"31 months: annual reviews and final", pol, "2006-01-01", "2008-07-31", tcmis.PlanOptions{},
			"annual-review self 2007-01-01; annual-review self 2008-01-01; final self 2008-07-31", ""},
		{"48 months with a mid-term agreed", pol, "2006-01-01", "2009-12-31", tcmis.PlanOptions{MidTermAgreed: true},
			"annual-review self 2007-01-01; annual-review self 2008-01-01; mid-term self 2008-01-01; annual-review self 2009-01-01; final self 2009-12-31", ""},
		{"exactly US$350,000: no independent evaluation", pol, "2006-07-01", "2007-06-30", tcmis.PlanOptions{BudgetUSD: usd350k},
			"final self 2007-06-30", ""},
		{"one cent over, budgeted: the final is independent", pol, "2006-07-01", "2007-06-30", tcmis.PlanOptions{BudgetUSD: usd350k + 1, EvaluationBudget: 25_000_00},
			"final external-independent 2007-06-30 $25000", ""},
		{"internal independent", pol, "2006-07-01", "2007-06-30", tcmis.PlanOptions{BudgetUSD: usd350k + 1, EvaluationBudget: 25_000_00, Independent: tcmis.InternalIndependent},
			"final internal-independent 2007-06-30 $25000", ""},
		{"one cent over, no budget line under the 2005 policy", pol, "2006-07-01", "2007-06-30", tcmis.PlanOptions{BudgetUSD: usd350k + 1},
			"", "needs an independent evaluation with a budget line"},
		{"one cent over, no budget line under the 2002 framework", framework, "2006-07-01", "2007-06-30", tcmis.PlanOptions{BudgetUSD: usd350k + 1},
			"final external-independent 2007-06-30", ""},
		{"the independent type is checked", pol, "2006-07-01", "2007-06-30", tcmis.PlanOptions{BudgetUSD: usd350k + 1, EvaluationBudget: 1, Independent: tcmis.SelfEvaluation},
			"", "internal-independent or external-independent"},
		{"no dates", pol, "0001-01-01", "0001-01-01", tcmis.PlanOptions{}, "", "needs a start and an end date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := planProject(tc.start, tc.end)
			if tc.start == "0001-01-01" {
				p.Start, p.End = time.Time{}, time.Time{}
			}
			es, err := tcmis.Plan(p, tc.policy, tc.opt)
			if tc.err != "" {
				if tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := planSummary(es); got != tc.want {
				t.Errorf("plan:\n got %s\nwant %s", got, tc.want)
			}
			for _, e := range es {
				e.ID = 0
				if err := e.Validate(); err != nil {
					t.Errorf("planned evaluation not valid: %v", err)
				}
				if e.ProjectID != p.ID || e.Status != tcmis.EvaluationPlanned || !strings.HasSuffix(e.Title, "Youth employment (GHA/06/01/NET)") {
					t.Errorf("planned evaluation %+v", e)
				}
			}
		})
	}
}

// A project follows the policy version in force when it was approved: the
// same project approved the day before and the day the November 2005
// policy took effect gets different plans.
func TestPolicyChangeBetweenTwoApprovals(t *testing.T) {
	framework, pol := policies()
	versions := []*tcmis.EvaluationPolicy{framework, pol}
	p := planProject("2006-01-01", "2006-12-31")
	opt := tcmis.PlanOptions{BudgetUSD: usd350k + 1}
	for _, tc := range []struct {
		approved string
		want     *tcmis.EvaluationPolicy
		planned  bool
	}{
		{"2005-10-31", framework, true},
		{"2005-11-01", pol, false},
	} {
		v, err := tcmis.PolicyInForce(versions, day(tc.approved))
		if err != nil || v != tc.want {
			t.Fatalf("approved %s: policy %v %v", tc.approved, v, err)
		}
		_, err = tcmis.Plan(p, v, opt)
		if (err == nil) != tc.planned {
			t.Errorf("approved %s under %s: plan error %v", tc.approved, v.Name, err)
		}
	}

	// A version that changes the thresholds changes the requirements of
	// projects approved under it, not of those approved before.
	stricter := *pol
	stricter.Effective, stricter.MidTermUpTo, stricter.IndependentOver = day("2007-01-01"), 24, 250_000*100
	versions = append(versions, &stricter)
	p = planProject("2007-07-01", "2009-12-31") // 30 months
	budget := int64(300_000 * 100)
	before, _ := tcmis.PolicyInForce(versions, day("2006-12-31"))
	after, _ := tcmis.PolicyInForce(versions, day("2007-01-01"))
	rb := before.Require(p, tcmis.PlanOptions{BudgetUSD: budget})
	ra := after.Require(p, tcmis.PlanOptions{BudgetUSD: budget})
	if !rb.MidTerm || rb.AnnualReviews != 0 || rb.Independent {
		t.Errorf("approved under the 2005 policy: %+v", rb)
	}
	if ra.MidTerm || ra.AnnualReviews != 1 || !ra.Independent {
		t.Errorf("approved under the stricter version: %+v", ra)
	}
}

func TestMidpoint(t *testing.T) {
	for _, tc := range []struct{ start, end, want string }{
		{"2006-01-01", "2006-01-01", "2006-01-01"},
		{"2006-01-01", "2006-01-03", "2006-01-02"},
		{"2006-01-01", "2006-01-04", "2006-01-02"},
		{"2006-07-01", "2007-12-31", "2007-04-01"},
	} {
		if got := tcmis.Midpoint(day(tc.start), day(tc.end)).Format(tcmis.DateLayout); got != tc.want {
			t.Errorf("Midpoint(%s, %s) = %s, want %s", tc.start, tc.end, got, tc.want)
		}
	}
}

func TestCompliance(t *testing.T) {
	_, pol := policies()
	p := planProject("2006-01-01", "2007-12-31") // 24 months: mid-term and final
	big := tcmis.PlanOptions{BudgetUSD: usd350k + 1}
	ev := func(timing tcmis.Timing, typ tcmis.EvaluationType, status tcmis.EvaluationStatus, planned string, budget int64) *tcmis.Evaluation {
		return &tcmis.Evaluation{Subject: tcmis.SubjectProject, ProjectID: p.ID, Timing: timing, Type: typ, Status: status, Planned: day(planned), Budget: budget}
	}
	today := day("2007-03-01")
	for _, tc := range []struct {
		name    string
		opt     tcmis.PlanOptions
		evals   []*tcmis.Evaluation
		state   tcmis.ComplianceState
		counts  [3]int // planned, done, overdue
		missing string
	}{
		{"nothing planned", tcmis.PlanOptions{}, nil, tcmis.ComplianceMissing, [3]int{}, "final evaluation; mid-term evaluation"},
		{"planned", tcmis.PlanOptions{}, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.SelfEvaluation, tcmis.EvaluationPlanned, "2007-04-01", 0),
			ev(tcmis.Final, tcmis.SelfEvaluation, tcmis.EvaluationPlanned, "2007-12-31", 0),
		}, tcmis.CompliancePlanned, [3]int{2, 0, 0}, ""},
		{"mid-term overdue", tcmis.PlanOptions{}, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.SelfEvaluation, tcmis.EvaluationUnderway, "2007-01-01", 0),
			ev(tcmis.Final, tcmis.SelfEvaluation, tcmis.EvaluationPlanned, "2007-12-31", 0),
		}, tcmis.ComplianceOverdue, [3]int{2, 0, 1}, ""},
		{"a cancelled final does not count", tcmis.PlanOptions{}, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.SelfEvaluation, tcmis.EvaluationDone, "2007-01-01", 0),
			ev(tcmis.Final, tcmis.SelfEvaluation, tcmis.EvaluationCancelled, "2007-12-31", 0),
		}, tcmis.ComplianceMissing, [3]int{1, 1, 0}, "final evaluation"},
		{"all done", tcmis.PlanOptions{}, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.SelfEvaluation, tcmis.EvaluationDone, "2007-01-01", 0),
			ev(tcmis.Final, tcmis.SelfEvaluation, tcmis.EvaluationDone, "2007-02-01", 0),
		}, tcmis.ComplianceDone, [3]int{2, 2, 0}, ""},
		{"over the budget threshold without an independent evaluation", big, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.SelfEvaluation, tcmis.EvaluationDone, "2007-01-01", 0),
			ev(tcmis.Final, tcmis.SelfEvaluation, tcmis.EvaluationPlanned, "2007-12-31", 0),
		}, tcmis.ComplianceMissing, [3]int{2, 1, 0}, "independent evaluation"},
		{"independent but not budgeted", big, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.SelfEvaluation, tcmis.EvaluationDone, "2007-01-01", 0),
			ev(tcmis.Final, tcmis.ExternalIndependent, tcmis.EvaluationPlanned, "2007-12-31", 0),
		}, tcmis.ComplianceMissing, [3]int{2, 1, 0}, "budget line for the independent evaluation"},
		{"independent and budgeted", big, []*tcmis.Evaluation{
			ev(tcmis.MidTerm, tcmis.InternalIndependent, tcmis.EvaluationDone, "2007-01-01", 10),
			ev(tcmis.Final, tcmis.SelfEvaluation, tcmis.EvaluationPlanned, "2007-12-31", 0),
		}, tcmis.CompliancePlanned, [3]int{2, 1, 0}, ""},
		{"another project's evaluations do not count", tcmis.PlanOptions{}, []*tcmis.Evaluation{
			{Subject: tcmis.SubjectProject, ProjectID: 8, Timing: tcmis.Final, Type: tcmis.SelfEvaluation, Status: tcmis.EvaluationPlanned, Planned: day("2007-12-31")},
		}, tcmis.ComplianceMissing, [3]int{}, "final evaluation; mid-term evaluation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tcmis.CheckCompliance(p, pol, tc.opt, tc.evals, today)
			if c.State != tc.state || [3]int{c.Planned, c.Done, c.Overdue} != tc.counts || strings.Join(c.Missing, "; ") != tc.missing {
				t.Errorf("compliance %s planned %d done %d overdue %d missing %q; want %s %v %q",
					c.State, c.Planned, c.Done, c.Overdue, c.Missing, tc.state, tc.counts, tc.missing)
			}
			if c.PolicyID != pol.ID || c.Code != p.Code {
				t.Errorf("compliance names policy %d project %s", c.PolicyID, c.Code)
			}
		})
	}

	// Annual reviews are counted.
	long := planProject("2006-01-01", "2008-12-31")
	c := tcmis.CheckCompliance(long, pol, tcmis.PlanOptions{}, []*tcmis.Evaluation{
		{Subject: tcmis.SubjectProject, ProjectID: long.ID, Timing: tcmis.AnnualReview, Type: tcmis.SelfEvaluation, Status: tcmis.EvaluationDone, Planned: day("2007-01-01")},
		{Subject: tcmis.SubjectProject, ProjectID: long.ID, Timing: tcmis.Final, Type: tcmis.SelfEvaluation, Status: tcmis.EvaluationPlanned, Planned: day("2008-12-31")},
	}, today)
	if c.State != tcmis.ComplianceMissing || strings.Join(c.Missing, "; ") != "1 of 2 annual reviews" {
		t.Errorf("annual reviews: %s %v", c.State, c.Missing)
	}
	if got := strings.Join(c.Requirements.List(), ", "); got != "2 annual reviews, final" {
		t.Errorf("requirements list: %s", got)
	}

	// Without a policy in force, nothing is required.
	c = tcmis.CheckCompliance(p, nil, tcmis.PlanOptions{}, nil, today)
	if c.State != tcmis.ComplianceNoPolicy || len(c.Missing) != 0 {
		t.Errorf("no policy: %+v", c)
	}
}
