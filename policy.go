package tcmis

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// EvaluationPolicy is one version of the organisation's evaluation policy:
// the thresholds that decide which evaluations a project must have, from
// the day the version takes effect until the next one does. A project
// follows the version in force on the day it was approved, so a new
// version never changes the plans of projects approved before it.
//
// The thresholds read as the policy words them (facts ¶143): a project
// shorter than FinalOnlyUnder months has a final evaluation; one of
// FinalOnlyUnder to MidTermUpTo months, both included, a mid-term and a
// final evaluation; a longer one, an annual review every ReviewEvery
// months, a mid-term evaluation where agreed and a final evaluation. A
// budget over IndependentOver (strictly) needs at least one independent
// evaluation, which under a policy with BudgetLine is budgeted in the
// project.
type EvaluationPolicy struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Ref       string    `json:"ref,omitempty"`
	Effective time.Time `json:"effective"`
	// FinalOnlyUnder is the duration, in months, under which a project
	// has only a final evaluation.
	FinalOnlyUnder int `json:"final_only_under_months"`
	// MidTermUpTo is the longest duration, in months, of a project that
	// has a mid-term and a final evaluation; longer projects have annual
	// reviews.
	MidTermUpTo int `json:"mid_term_up_to_months"`
	// ReviewEvery is the interval of annual reviews, in months.
	ReviewEvery int `json:"review_every_months"`
	// IndependentOver is the budget, in US cents, over which a project
	// needs at least one independent evaluation.
	IndependentOver int64 `json:"independent_over_usd"`
	// BudgetLine is true when independent evaluations must carry a
	// budget line in the project.
	BudgetLine bool `json:"budget_line"`
	Version    int  `json:"version"`
}

// Validate checks a policy version before it is stored.
func (p *EvaluationPolicy) Validate() error {
	var ps problems
	if strings.TrimSpace(p.Name) == "" {
		ps.add("name", "the policy needs a name")
	}
	if p.Effective.IsZero() {
		ps.add("effective", "say from which day the policy applies")
	}
	if p.FinalOnlyUnder < 1 {
		ps.add("final_only_under_months", "the threshold for a final evaluation only must be at least 1 month")
	}
	if p.MidTermUpTo < p.FinalOnlyUnder {
		ps.add("mid_term_up_to_months", "the mid-term threshold (%d months) cannot be below the final-only threshold (%d months)", p.MidTermUpTo, p.FinalOnlyUnder)
	}
	if p.ReviewEvery < 1 {
		ps.add("review_every_months", "annual reviews need an interval of at least 1 month")
	}
	if p.IndependentOver < 0 {
		ps.add("independent_over_usd", "the budget threshold cannot be negative")
	}
	return ps.err("evaluation policy " + p.Name)
}

// String names the version, e.g. "ILO evaluation policy (GB.294/PFA/8/4),
// in force from 2005-11-01".
func (p *EvaluationPolicy) String() string {
	s := p.Name
	if p.Ref != "" {
		s += " (" + p.Ref + ")"
	}
	return s + ", in force from " + p.Effective.Format(DateLayout)
}

// StandardPolicies are the two versions of the organisation's evaluation
// policy the 2006 report describes: the evaluation framework the
// Governing Body approved in November 2002 (GB.285/PFA/10) and the
// evaluation policy and strategy of November 2005 (GB.294/PFA/8/4), which
// added that resources for independent project evaluations are included
// in project budgets (¶150). The database migration stores the same two.
func StandardPolicies() []*EvaluationPolicy {
	return []*EvaluationPolicy{
		{
			Name: "ILO evaluation framework", Ref: "GB.285/PFA/10", Effective: time.Date(2002, 11, 1, 0, 0, 0, 0, time.UTC),
			FinalOnlyUnder: 18, MidTermUpTo: 30, ReviewEvery: 12, IndependentOver: 350_000 * 100,
		},
		{
			Name: "ILO evaluation policy and strategy", Ref: "GB.294/PFA/8/4", Effective: time.Date(2005, 11, 1, 0, 0, 0, 0, time.UTC),
			FinalOnlyUnder: 18, MidTermUpTo: 30, ReviewEvery: 12, IndependentOver: 350_000 * 100, BudgetLine: true,
		},
	}
}

// PolicyInForce returns the version in force on day: the latest that took
// effect on or before it. It fails with EINVALID when none had.
func PolicyInForce(versions []*EvaluationPolicy, day time.Time) (*EvaluationPolicy, error) {
	var best *EvaluationPolicy
	for _, v := range versions {
		if !v.Effective.After(day) && (best == nil || v.Effective.After(best.Effective)) {
			best = v
		}
	}
	if best != nil {
		return best, nil
	}
	if len(versions) == 0 {
		return nil, Errorf(EINVALID, "no evaluation policy is recorded: add one (tcmis evaluation policy add)")
	}
	sorted := append([]*EvaluationPolicy(nil), versions...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Effective.Before(sorted[j].Effective) })
	return nil, Errorf(EINVALID, "no evaluation policy was in force on %s: the first, %s, takes effect on %s",
		day.Format(DateLayout), sorted[0].Name, sorted[0].Effective.Format(DateLayout))
}

// Requirements are the evaluations a policy version requires of a project.
type Requirements struct {
	Months    int   `json:"months"`
	BudgetUSD int64 `json:"budget_usd"`
	// Rule names the duration rule that applied.
	Rule          string `json:"rule"`
	Final         bool   `json:"final"`
	MidTerm       bool   `json:"mid_term"`
	AnnualReviews int    `json:"annual_reviews"`
	Independent   bool   `json:"independent"`
	// BudgetLine is true when the independent evaluation must carry a
	// budget line.
	BudgetLine bool `json:"budget_line"`
}

// List describes the requirements in words, one item each: "final",
// "mid-term", "3 annual reviews", "1 independent (budgeted)".
func (r Requirements) List() []string {
	var out []string
	if r.AnnualReviews == 1 {
		out = append(out, "1 annual review")
	} else if r.AnnualReviews > 1 {
		out = append(out, fmt.Sprintf("%d annual reviews", r.AnnualReviews))
	}
	if r.MidTerm {
		out = append(out, "mid-term")
	}
	if r.Final {
		out = append(out, "final")
	}
	if r.Independent {
		s := "1 independent"
		if r.BudgetLine {
			s += " (budgeted)"
		}
		out = append(out, s)
	}
	return out
}

// PlanOptions are what a plan needs besides the project and the policy.
type PlanOptions struct {
	// BudgetUSD is the project's budget in US cents.
	BudgetUSD int64
	// MidTermAgreed adds a mid-term evaluation to the plan of a project
	// long enough for annual reviews (from the appraisal).
	MidTermAgreed bool
	// EvaluationBudget is what the project budgets for its independent
	// evaluation, in US cents (from the appraisal).
	EvaluationBudget int64
	// Independent is the type the independent evaluation takes:
	// internal-independent or external-independent (the default).
	Independent EvaluationType
}

// Require returns the evaluations the policy requires of a project, by
// its duration (MonthsBetween its start and end) and its budget.
func (pol *EvaluationPolicy) Require(p *Project, opt PlanOptions) Requirements {
	r := Requirements{Months: p.DurationMonths(), BudgetUSD: opt.BudgetUSD, Final: true}
	switch {
	case r.Months < pol.FinalOnlyUnder:
		r.Rule = fmt.Sprintf("under %d months: a final evaluation", pol.FinalOnlyUnder)
	case r.Months <= pol.MidTermUpTo:
		r.Rule = fmt.Sprintf("%d to %d months: a mid-term and a final evaluation", pol.FinalOnlyUnder, pol.MidTermUpTo)
		r.MidTerm = true
	default:
		r.Rule = fmt.Sprintf("over %d months: annual reviews, a mid-term evaluation where agreed and a final evaluation", pol.MidTermUpTo)
		r.AnnualReviews = len(reviewDates(p, pol.ReviewEvery))
		r.MidTerm = opt.MidTermAgreed
	}
	if opt.BudgetUSD > pol.IndependentOver {
		r.Independent = true
		r.BudgetLine = pol.BudgetLine
	}
	return r
}

// reviewDates are the anniversaries of a project's start, every `every`
// months, at least half an interval before its end: the final evaluation
// takes the place of a review that would fall in the project's last six
// months (for yearly reviews).
func reviewDates(p *Project, every int) []time.Time {
	var out []time.Time
	for k := 1; ; k++ {
		d := p.Start.AddDate(0, every*k, 0)
		if d.AddDate(0, every/2, 0).After(p.End) {
			return out
		}
		out = append(out, d)
	}
}

// Plan returns the evaluations the policy requires of a project, planned:
// the annual reviews on the anniversaries of its start (but not in its
// last half-interval, which the final evaluation covers), the mid-term
// evaluation at the middle of its period, the final evaluation on its
// last day. All are self-evaluations except the final evaluation of a
// project over the budget threshold, which is independent and carries the
// evaluation budget. Under a policy with BudgetLine, a project that needs
// an independent evaluation but budgets nothing for it cannot be planned:
// Plan fails with EINVALID.
func Plan(p *Project, pol *EvaluationPolicy, opt PlanOptions) ([]Evaluation, error) {
	if p.Start.IsZero() || p.End.Before(p.Start) {
		return nil, Errorf(EINVALID, "project %s needs a start and an end date before its evaluations can be planned", p.Code)
	}
	req := pol.Require(p, opt)
	if req.Independent && req.BudgetLine && opt.EvaluationBudget <= 0 {
		return nil, Errorf(EINVALID, "under the %s, project %s (budget US$%s, over US$%s) needs an independent evaluation with a budget line in the project: record the evaluation budget in the appraisal",
			pol.Name, p.Code, formatUSD(req.BudgetUSD), formatUSD(pol.IndependentOver))
	}
	independent := opt.Independent
	if independent == "" {
		independent = ExternalIndependent
	}
	if independent != InternalIndependent && independent != ExternalIndependent {
		return nil, Errorf(EINVALID, "the independent evaluation is internal-independent or external-independent, not %q", independent)
	}
	var out []Evaluation
	add := func(t Timing, title string, day time.Time) *Evaluation {
		out = append(out, Evaluation{
			Title: title + ": " + p.Title + " (" + p.Code + ")", Subject: SubjectProject, ProjectID: p.ID,
			Type: SelfEvaluation, Timing: t, Planned: day, Status: EvaluationPlanned,
		})
		return &out[len(out)-1]
	}
	if req.AnnualReviews > 0 {
		for _, d := range reviewDates(p, pol.ReviewEvery) {
			add(AnnualReview, fmt.Sprintf("Annual review %d", d.Year()), d)
		}
	}
	if req.MidTerm {
		add(MidTerm, "Mid-term evaluation", Midpoint(p.Start, p.End))
	}
	final := add(Final, "Final evaluation", p.End)
	final.Budget = opt.EvaluationBudget
	if req.Independent {
		final.Type = independent
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Planned.Before(out[j].Planned) })
	return out, nil
}

// Midpoint is the day halfway between start and end, rounded down.
func Midpoint(start, end time.Time) time.Time {
	days := int(end.Sub(start) / (24 * time.Hour))
	return start.AddDate(0, 0, days/2)
}

// formatUSD writes US cents as whole dollars with thousands separators.
func formatUSD(cents int64) string {
	s := FormatAmount(cents, USD)
	s = strings.TrimSuffix(s, ".00")
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// ComplianceState sums up where a project stands against its evaluation
// requirements.
type ComplianceState string

const (
	// ComplianceMissing: a required evaluation is not even planned.
	ComplianceMissing ComplianceState = "missing"
	// ComplianceOverdue: a planned evaluation has passed its date.
	ComplianceOverdue ComplianceState = "overdue"
	// CompliancePlanned: every required evaluation is planned, none late.
	CompliancePlanned ComplianceState = "planned"
	// ComplianceDone: every required evaluation is done.
	ComplianceDone ComplianceState = "done"
	// ComplianceNoPolicy: no policy was in force when the project was
	// approved.
	ComplianceNoPolicy ComplianceState = "no-policy"
)

// Compliance is a project's evaluations against what its policy requires:
// required, planned, done, overdue.
type Compliance struct {
	ProjectID    int64           `json:"project_id"`
	Code         string          `json:"code"`
	Title        string          `json:"title"`
	Status       Status          `json:"status"`
	ApprovedOn   time.Time       `json:"approved_on"`
	PolicyID     int64           `json:"policy_id,omitempty"`
	Policy       string          `json:"policy,omitempty"`
	Requirements Requirements    `json:"requirements"`
	Planned      int             `json:"planned"`
	Done         int             `json:"done"`
	Overdue      int             `json:"overdue"`
	Missing      []string        `json:"missing,omitempty"`
	State        ComplianceState `json:"state"`
}

// CheckCompliance compares a project's evaluations with what the policy
// requires of it. Cancelled evaluations do not count. An evaluation is
// overdue when it is planned or under way and its date has passed.
func CheckCompliance(p *Project, pol *EvaluationPolicy, opt PlanOptions, evals []*Evaluation, today time.Time) Compliance {
	c := Compliance{ProjectID: p.ID, Code: p.Code, Title: p.Title, Status: p.Status}
	var final, midTerm, reviews int
	var independent, budgeted bool
	for _, e := range evals {
		if !counts(p, e) {
			continue
		}
		c.Planned++
		if e.Status == EvaluationDone {
			c.Done++
		}
		if e.Overdue(today) {
			c.Overdue++
		}
		switch e.Timing {
		case Final:
			final++
		case MidTerm:
			midTerm++
		case AnnualReview:
			reviews++
		}
		if e.Type.Independent() {
			independent = true
			budgeted = budgeted || e.Budget > 0
		}
	}
	if pol == nil {
		c.Requirements = Requirements{Months: p.DurationMonths(), BudgetUSD: opt.BudgetUSD}
		c.State = ComplianceNoPolicy
		return c
	}
	c.PolicyID, c.Policy = pol.ID, pol.String()
	req := pol.Require(p, opt)
	c.Requirements = req
	if final == 0 {
		c.Missing = append(c.Missing, "final evaluation")
	}
	if req.MidTerm && midTerm == 0 {
		c.Missing = append(c.Missing, "mid-term evaluation")
	}
	if reviews < req.AnnualReviews {
		c.Missing = append(c.Missing, fmt.Sprintf("%d of %d annual reviews", req.AnnualReviews-reviews, req.AnnualReviews))
	}
	if req.Independent && !independent {
		c.Missing = append(c.Missing, "independent evaluation")
	} else if req.Independent && req.BudgetLine && !budgeted {
		c.Missing = append(c.Missing, "budget line for the independent evaluation")
	}
	switch {
	case len(c.Missing) > 0:
		c.State = ComplianceMissing
	case c.Overdue > 0:
		c.State = ComplianceOverdue
	case c.Done == c.Planned:
		c.State = ComplianceDone
	default:
		c.State = CompliancePlanned
	}
	return c
}

// counts reports whether CheckCompliance counts an evaluation of p:
// one of the project itself, not cancelled.
func counts(p *Project, e *Evaluation) bool {
	return e.Status != EvaluationCancelled && e.Subject == SubjectProject && e.ProjectID == p.ID
}

// OpenDates returns the dates of the evaluations of p that CheckCompliance
// counts and that can still become overdue: on any day, the Overdue of its
// compliance is the number of these dates before that day, and its State
// is overdue when that number is not zero and it would otherwise be
// planned. The rest of the compliance does not depend on the day.
func OpenDates(p *Project, evals []*Evaluation) []time.Time {
	var out []time.Time
	for _, e := range evals {
		if counts(p, e) && e.Overdue(maxDay) {
			out = append(out, e.Planned)
		}
	}
	return out
}

// maxDay is after any date an evaluation can have.
var maxDay = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// EvaluationPlan is a project's evaluation plan: the policy version that
// applies, what it requires, and the evaluations. For a project not yet
// approved the evaluations are those approval would plan today (Proposed),
// not stored ones.
type EvaluationPlan struct {
	Project      *Project          `json:"project"`
	Policy       *EvaluationPolicy `json:"policy,omitempty"`
	ApprovedOn   time.Time         `json:"approved_on,omitempty"`
	Proposed     bool              `json:"proposed"`
	Requirements Requirements      `json:"requirements"`
	Evaluations  []*Evaluation     `json:"evaluations"`
	Compliance   *Compliance       `json:"compliance,omitempty"`
	// Issue, for a proposed plan, says what would make approval refuse
	// it (an independent evaluation without a budget line); the
	// evaluations are then those it would plan once that is settled.
	Issue string `json:"issue,omitempty"`
}

// ComplianceFilter selects the projects of a compliance report: those
// approved and not cancelled.
type ComplianceFilter struct {
	ProjectID *int64
	// State keeps the projects in one state (overdue, missing, ...).
	State *ComplianceState
	// Today is the day against which evaluations are overdue; zero means
	// the store's today.
	Today time.Time
}

// ComplianceTally sums the compliance on a day of the approved projects
// that count under one set of report headings (Heading.ProjectID is
// zero): what EachCompliance gives for each, added up.
type ComplianceTally struct {
	Heading  ProjectHeading `json:"heading"`
	Projects int64          `json:"projects"`
	// Required counts the evaluations required of the projects approved
	// under a policy.
	Required int64 `json:"required"`
	Planned  int64 `json:"planned"`
	Done     int64 `json:"done"`
	Overdue  int64 `json:"overdue"`
	// Missing, Late and NoPolicy count the projects in state missing,
	// overdue and no-policy.
	Missing  int64 `json:"missing"`
	Late     int64 `json:"late"`
	NoPolicy int64 `json:"no_policy"`
}

// LateFilter selects approved projects whose state is overdue or missing
// on a day. Empty lists do not filter.
type LateFilter struct {
	// Today is the day; zero means the store's today.
	Today      time.Time
	Sources    []Source
	Regions    []string
	OfficeIDs  []int64
	Categories []DonorCategory
	// Limit caps the projects returned; zero or negative: all.
	Limit int
}

// LateProject is the compliance of a project with overdue or missing
// evaluations, and its office.
type LateProject struct {
	Compliance
	OfficeID int64 `json:"office_id,omitempty"`
}

// PolicyService stores the versions of the evaluation policy and applies
// them to projects.
type PolicyService interface {
	FindEvaluationPolicies(ctx context.Context) ([]*EvaluationPolicy, error)
	CreateEvaluationPolicy(ctx context.Context, p *EvaluationPolicy) error
	// UpdateEvaluationPolicy and DeleteEvaluationPolicy refuse with
	// ECONFLICT a version that a project was approved under.
	UpdateEvaluationPolicy(ctx context.Context, p *EvaluationPolicy) error
	DeleteEvaluationPolicy(ctx context.Context, id int64) error
	// EvaluationPlan returns a project's plan: the stored evaluations of
	// an approved project, or those approval on day would plan.
	EvaluationPlan(ctx context.Context, projectID int64, day time.Time) (*EvaluationPlan, error)
	// EvaluationCompliance reports, for each approved project, its
	// evaluations against its policy version, by project code.
	EvaluationCompliance(ctx context.Context, f ComplianceFilter) ([]*Compliance, error)
	// EachCompliance calls fn with the compliance of each approved project
	// the filter selects, in order of project id, and the headings the
	// project counts under in reports. It reads only what CheckCompliance
	// needs, in one pass, for reports over a whole portfolio; it stops at
	// the first error fn returns.
	EachCompliance(ctx context.Context, f ComplianceFilter, fn func(c *Compliance, h ProjectHeading) error) error
	// ComplianceTallies sums the compliance of the approved projects on
	// day today (zero: the store's today) by their report headings, from
	// a snapshot the store keeps current on every write.
	ComplianceTallies(ctx context.Context, today time.Time) ([]ComplianceTally, error)
	// LateProjects returns the approved projects the filter selects whose
	// state is overdue or missing on its day, overdue first, most overdue
	// evaluations first, then by code, up to its limit, and how many there
	// are in all; from the same snapshot.
	LateProjects(ctx context.Context, f LateFilter) ([]*LateProject, int, error)
}
