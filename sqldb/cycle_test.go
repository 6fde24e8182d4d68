package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func cyDay(s string) time.Time {
	d, err := tcmis.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// cycleWorld is what the cycle tests refer to: a department, an office in
// Ghana, a donor, and users in each role.
type cycleWorld struct {
	emp, accra *tcmis.Unit
	donor      *tcmis.Organisation
	admin      tcmis.User
	officer    tcmis.User
	viewer     tcmis.User
}

func newCycleWorld(t testing.TB, db *sqldb.DB) *cycleWorld {
	t.Helper()
	ctx := ctxAs("setup")
	w := &cycleWorld{
		emp:   &tcmis.Unit{Code: "EMP", Name: "Employment Sector", Kind: tcmis.Department},
		accra: &tcmis.Unit{Code: "CO-Accra", Name: "Country Office for Ghana", Kind: tcmis.FieldOffice, Region: tcmis.Africa, Country: "GH"},
		donor: &tcmis.Organisation{Name: "Netherlands", Category: tcmis.MultiBilateral, Country: "NL"},
	}
	for _, u := range []*tcmis.Unit{w.emp, w.accra} {
		if err := db.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateOrganisation(ctx, w.donor); err != nil {
		t.Fatal(err)
	}
	w.admin = tcmis.User{Name: "Ada", Role: tcmis.RoleAdmin}
	w.officer = tcmis.User{Name: "Otto", Role: tcmis.RoleProgrammeOfficer, UnitIDs: []int64{w.accra.ID}}
	w.viewer = tcmis.User{Name: "Vic", Role: tcmis.RoleViewer}
	return w
}

// project stores a proposal in Ghana, led by EMP and managed from Accra,
// with a budget in US dollars.
func (w *cycleWorld) project(t testing.TB, db *sqldb.DB, code string, start, end string, budgetUSD int64, outcomes ...string) *tcmis.Project {
	t.Helper()
	p := &tcmis.Project{
		Code: code, Title: "Youth employment in the informal economy", Description: "Local economic development in northern districts.",
		Source: tcmis.XBTC, DonorIDs: []int64{w.donor.ID}, LeadUnitID: w.emp.ID, OfficeID: w.accra.ID, Scope: tcmis.National,
		Countries:  []tcmis.CountryShare{{Country: "GH", Percent: tcmis.Whole}},
		Objectives: []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Outcome: "2b.2", Percent: tcmis.Whole}},
		Start:      cyDay(start), End: cyDay(end), Status: tcmis.Proposal, Currency: tcmis.USD,
		Budget:          []tcmis.BudgetLine{{Type: tcmis.InternationalExperts, Amount: budgetUSD}},
		CountryOutcomes: outcomes,
	}
	if err := db.CreateProject(ctxAs("setup"), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// appraise records an appraisal with every criterion passed, then fail.
func appraise(t testing.TB, db *sqldb.DB, p *tcmis.Project, on string, evalBudget int64, fail ...tcmis.Criterion) *tcmis.ProjectAppraisal {
	t.Helper()
	a := tcmis.NewAppraisal(p.ID)
	a.Appraiser, a.Date, a.EvaluationBudget = "PARDEV", cyDay(on), evalBudget
	for _, c := range tcmis.Criteria() {
		a.Set(c, tcmis.Pass, "")
	}
	for _, c := range fail {
		a.Set(c, tcmis.Fail, "not good enough")
	}
	if err := db.CreateAppraisal(ctxAs("appraiser"), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func move(t testing.TB, db *sqldb.DB, by tcmis.User, p *tcmis.Project, to tcmis.Status, on string) *tcmis.CycleResult {
	t.Helper()
	res, err := db.ChangeProjectStatus(ctxAs(by.Name), tcmis.StatusChange{ProjectID: p.ID, To: to, Date: cyDay(on), By: by, Reason: "test"})
	if err != nil {
		t.Fatalf("moving %s to %s: %v", p.Code, to, err)
	}
	*p = *res.Project
	return res
}

func TestSeededPolicies(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		got, err := db.FindEvaluationPolicies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := tcmis.StandardPolicies()
		if len(got) != len(want) {
			t.Fatalf("%d policies seeded, want %d", len(got), len(want))
		}
		for i := range want {
			want[i].ID, want[i].Version = got[i].ID, 1
			if *got[i] != *want[i] {
				t.Errorf("seeded policy %d:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}

		// A new version; two versions cannot start the same day.
		v := &tcmis.EvaluationPolicy{Name: "Revised policy", Effective: cyDay("2009-01-01"), FinalOnlyUnder: 12, MidTermUpTo: 24, ReviewEvery: 12, IndependentOver: 500_000 * 100, BudgetLine: true}
		if err := db.CreateEvaluationPolicy(ctx, v); err != nil {
			t.Fatal(err)
		}
		dup := *v
		mustCode(t, db.CreateEvaluationPolicy(ctx, &dup), tcmis.ECONFLICT)
		mustCode(t, db.CreateEvaluationPolicy(ctx, &tcmis.EvaluationPolicy{Name: "x"}), tcmis.EINVALID)
		v.MidTermUpTo = 30
		if err := db.UpdateEvaluationPolicy(ctx, v); err != nil || v.Version != 2 {
			t.Fatalf("update: %v, version %d", err, v.Version)
		}
		stale := *v
		stale.Version = 1
		mustCode(t, db.UpdateEvaluationPolicy(ctx, &stale), tcmis.ECONFLICT)
		if err := db.DeleteEvaluationPolicy(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		entity := "evaluation-policy"
		changes, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &v.ID})
		if len(changes) != 3 || changes[0].Action != tcmis.ActionDelete {
			t.Errorf("audit trail of the policy: %d entries", len(changes))
		}
	})
}

// A project from proposal to ongoing: who may move it, an appraisal that
// blocks approval, approval with its evaluations planned in the same
// transaction, the plan and the compliance report.
func TestProjectCycle(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("otto")
		// 24 months, US$400,000: mid-term and final, one independent.
		p := w.project(t, db, "GHA/06/01/NET", "2006-07-01", "2008-06-30", 400_000*100)

		_, err := db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Approved, By: w.admin})
		mustCode(t, err, tcmis.EINVALID)
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Appraisal, By: w.viewer})
		mustCode(t, err, tcmis.EFORBIDDEN)
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, Version: p.Version + 1, To: tcmis.Appraisal, By: w.officer})
		mustCode(t, err, tcmis.ECONFLICT)

		// An appraisal needs the project in appraisal.
		a := tcmis.NewAppraisal(p.ID)
		a.Appraiser, a.Date = "PARDEV", cyDay("2006-02-01")
		err = db.CreateAppraisal(ctx, a)
		if tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), "move it to appraisal first") {
			t.Fatalf("appraising a proposal: %v", err)
		}

		res := move(t, db, w.officer, p, tcmis.Appraisal, "2006-02-01")
		if p.Status != tcmis.Appraisal || p.Version != 2 || res.Event.From != tcmis.Proposal || res.Event.Role != tcmis.RoleProgrammeOfficer || res.Event.Actor != "Otto" {
			t.Fatalf("after the move: %+v %+v", p, res.Event)
		}

		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Approved, Date: cyDay("2006-03-01"), By: w.officer})
		if tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), "no appraisal") {
			t.Fatalf("approval without appraisal: %v", err)
		}

		// A failing mandatory criterion blocks approval, and nothing is
		// planned.
		first := appraise(t, db, p, "2006-02-15", 30_000*100, tcmis.CriterionTripartite)
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Approved, Date: cyDay("2006-03-01"), By: w.officer})
		if tcmis.ErrorCode(err) != tcmis.EINVALID || len(tcmis.ErrorProblems(err)) != 1 || tcmis.ErrorProblems(err)[0].Field != "tripartite" {
			t.Fatalf("approval with a failed criterion: %v", err)
		}

		// The latest appraisal decides. Without an evaluation budget the
		// 2005 policy refuses the plan, and the approval with it.
		appraise(t, db, p, "2006-02-20", 0)
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Approved, Date: cyDay("2006-03-01"), By: w.officer})
		if tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), "budget line") {
			t.Fatalf("approval without an evaluation budget: %v", err)
		}
		if es, _, _ := db.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &p.ID}); len(es) != 0 {
			t.Fatalf("a refused approval planned %d evaluations", len(es))
		}
		if got, _ := db.FindProjectByID(ctx, p.ID); got.Status != tcmis.Appraisal || got.Version != p.Version {
			t.Fatalf("a refused approval changed the project: %+v", got)
		}

		// The evaluation plan before approval is a proposal.
		plan, err := db.EvaluationPlan(ctx, p.ID, cyDay("2006-03-01"))
		if err != nil || !strings.Contains(plan.Issue, "budget line") || len(plan.Evaluations) != 2 {
			t.Fatalf("plan of an unbudgeted proposal: %+v %v", plan, err)
		}
		latest := appraise(t, db, p, "2006-02-25", 30_000*100)
		plan, err = db.EvaluationPlan(ctx, p.ID, cyDay("2006-03-01"))
		if err != nil || !plan.Proposed || len(plan.Evaluations) != 2 || plan.Policy.Ref != "GB.294/PFA/8/4" || plan.Evaluations[0].ID != 0 || plan.Issue != "" {
			t.Fatalf("proposed plan: %+v %v", plan, err)
		}

		res = move(t, db, w.officer, p, tcmis.Approved, "2006-03-01")
		if len(res.Planned) != 2 || res.Policy.Ref != "GB.294/PFA/8/4" || res.Event.PolicyID != res.Policy.ID || res.Event.AppraisalID != latest.ID {
			t.Fatalf("approval: %+v, event %+v", res, res.Event)
		}
		es, _, err := db.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &p.ID})
		if err != nil || len(es) != 2 {
			t.Fatalf("planned evaluations: %d %v", len(es), err)
		}
		mid, final := es[0], es[1]
		if mid.Timing != tcmis.MidTerm || mid.Type != tcmis.SelfEvaluation || !mid.Planned.Equal(cyDay("2007-07-01")) ||
			final.Timing != tcmis.Final || final.Type != tcmis.ExternalIndependent || !final.Planned.Equal(cyDay("2008-06-30")) || final.Budget != 30_000*100 {
			t.Fatalf("planned:\n%+v\n%+v", mid, final)
		}
		entity := "evaluation"
		if changes, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &final.ID}); len(changes) != 1 || changes[0].Actor != "Otto" || changes[0].Action != tcmis.ActionCreate {
			t.Errorf("audit of the planned evaluation: %d entries", len(changes))
		}

		// An approved project's appraisals are its record.
		latest.Summary = "changed after the fact"
		mustCode(t, db.UpdateAppraisal(ctx, latest), tcmis.EINVALID)
		mustCode(t, db.DeleteAppraisal(ctx, first.ID), tcmis.EINVALID)

		// The plan and the compliance of the approved project.
		plan, err = db.EvaluationPlan(ctx, p.ID, time.Time{})
		if err != nil || plan.Proposed || len(plan.Evaluations) != 2 || !plan.ApprovedOn.Equal(cyDay("2006-03-01")) || plan.Compliance.State != tcmis.CompliancePlanned {
			t.Fatalf("approved plan: %+v %v", plan, err)
		}
		cs, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: cyDay("2007-07-15")})
		if err != nil || len(cs) != 1 || cs[0].State != tcmis.ComplianceOverdue || cs[0].Overdue != 1 || cs[0].PolicyID != res.Policy.ID {
			t.Fatalf("compliance after the mid-term date: %+v %v", cs, err)
		}
		overdue := tcmis.ComplianceOverdue
		if cs, _ := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: cyDay("2006-07-15"), State: &overdue}); len(cs) != 0 {
			t.Fatalf("overdue before the mid-term date: %+v", cs)
		}

		// The policy it was approved under is history now.
		mustCode(t, db.DeleteEvaluationPolicy(ctx, res.Policy.ID), tcmis.ECONFLICT)
		mustCode(t, db.UpdateEvaluationPolicy(ctx, res.Policy), tcmis.ECONFLICT)

		// It starts on its start date, not before.
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Ongoing, Date: cyDay("2006-06-30"), By: w.officer})
		mustCode(t, err, tcmis.EINVALID)
		started, err := db.StartDueProjects(ctx, w.officer, cyDay("2006-06-30"))
		if err != nil || len(started) != 0 {
			t.Fatalf("started before the date: %v %v", started, err)
		}
		started, err = db.StartDueProjects(ctx, w.officer, cyDay("2006-07-01"))
		if err != nil || len(started) != 1 || started[0].Project.Status != tcmis.Ongoing {
			t.Fatalf("started: %v %v", started, err)
		}

		events, err := db.FindStatusEvents(ctx, p.ID)
		if err != nil || len(events) != 3 {
			t.Fatalf("events: %v %v", events, err)
		}
		var path []string
		for _, ev := range events {
			path = append(path, string(ev.From)+">"+string(ev.To)+"@"+ev.Date.Format(tcmis.DateLayout))
		}
		if got := strings.Join(path, " "); got != "proposal>appraisal@2006-02-01 appraisal>approved@2006-03-01 approved>ongoing@2006-07-01" {
			t.Errorf("history: %s", got)
		}
		entity = "project"
		changes, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &p.ID})
		if len(changes) != 4 || !strings.Contains(string(changes[0].Old), `"status":"approved"`) || !strings.Contains(string(changes[0].New), `"status":"ongoing"`) {
			t.Errorf("project audit trail: %d entries, latest %s -> %s", len(changes), changes[0].Old, changes[0].New)
		}
		// Only an administrator closes the accounts.
		move(t, db, w.officer, p, tcmis.OperationallyClosed, "2008-06-30")
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.FinanciallyClosed, By: w.officer})
		mustCode(t, err, tcmis.EFORBIDDEN)
		move(t, db, w.admin, p, tcmis.FinanciallyClosed, "2008-12-31")
	})
}

// The same project approved the day before and the day the November 2005
// policy took effect: the first follows the 2002 framework, which did not
// ask for a budget line, the second the 2005 policy; a later version with
// other thresholds changes only the projects approved under it.
func TestPolicyChangeBetweenApprovals(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("ada")
		before := w.project(t, db, "GHA/05/01/NET", "2006-01-01", "2006-12-31", 350_000*100+1)
		after := w.project(t, db, "GHA/05/02/NET", "2006-01-01", "2006-12-31", 350_000*100+1)
		for _, p := range []*tcmis.Project{before, after} {
			move(t, db, w.admin, p, tcmis.Appraisal, "2005-10-01")
			appraise(t, db, p, "2005-10-15", 0)
		}
		res := move(t, db, w.admin, before, tcmis.Approved, "2005-10-31")
		if res.Policy.Ref != "GB.285/PFA/10" || len(res.Planned) != 1 || res.Planned[0].Type != tcmis.ExternalIndependent || res.Planned[0].Budget != 0 {
			t.Fatalf("approved under the 2002 framework: %+v %+v", res.Policy, res.Planned)
		}
		_, err := db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: after.ID, To: tcmis.Approved, Date: cyDay("2005-11-01"), By: w.admin})
		if tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), "ILO evaluation policy and strategy") {
			t.Fatalf("approved under the 2005 policy without a budget line: %v", err)
		}

		// A stricter version from 2006: a 24-month project approved under
		// it has annual reviews, not a mid-term evaluation.
		strict := &tcmis.EvaluationPolicy{Name: "Stricter policy", Effective: cyDay("2006-01-01"), FinalOnlyUnder: 12, MidTermUpTo: 18, ReviewEvery: 12, IndependentOver: 100_000 * 100}
		if err := db.CreateEvaluationPolicy(ctx, strict); err != nil {
			t.Fatal(err)
		}
		late := w.project(t, db, "GHA/06/03/NET", "2006-07-01", "2008-06-30", 50_000*100)
		early := w.project(t, db, "GHA/05/04/NET", "2006-07-01", "2008-06-30", 50_000*100)
		for _, p := range []*tcmis.Project{late, early} {
			move(t, db, w.admin, p, tcmis.Appraisal, "2005-10-01")
			appraise(t, db, p, "2005-10-15", 0)
		}
		resEarly := move(t, db, w.admin, early, tcmis.Approved, "2005-12-31")
		resLate := move(t, db, w.admin, late, tcmis.Approved, "2006-01-01")
		summary := func(es []*tcmis.Evaluation) string {
			var parts []string
			for _, e := range es {
				parts = append(parts, string(e.Timing))
			}
			return strings.Join(parts, " ")
		}
		if got := summary(resEarly.Planned); got != "mid-term final" {
			t.Errorf("approved on 2005-12-31: %s", got)
		}
		if got := summary(resLate.Planned); got != "annual-review final" {
			t.Errorf("approved on 2006-01-01: %s", got)
		}

		// Compliance follows each project's own version.
		cs, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: cyDay("2006-01-02")})
		if err != nil || len(cs) != 3 {
			t.Fatalf("compliance: %v %v", cs, err)
		}
		policyOf := map[string]int64{}
		for _, c := range cs {
			policyOf[c.Code] = c.PolicyID
			if c.State != tcmis.CompliancePlanned {
				t.Errorf("%s: %s %v", c.Code, c.State, c.Missing)
			}
		}
		if policyOf[before.Code] != res.Policy.ID || policyOf[early.Code] != resEarly.Policy.ID || policyOf[late.Code] != strict.ID || resEarly.Policy.ID == strict.ID {
			t.Errorf("policies followed: %v", policyOf)
		}
	})
}

func TestAppraisals(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("alice")
		p := w.project(t, db, "GHA/06/01/NET", "2006-07-01", "2007-06-30", 100)
		move(t, db, w.admin, p, tcmis.Appraisal, "2006-01-10")
		e := &tcmis.Evaluation{Title: "Final evaluation", Subject: tcmis.SubjectTheme, Theme: "youth", Type: tcmis.SelfEvaluation, Timing: tcmis.Final,
			Planned: cyDay("2005-01-01"), Status: tcmis.EvaluationPlanned}
		if err := db.CreateEvaluation(ctx, e); err != nil {
			t.Fatal(err)
		}
		l := &tcmis.Lesson{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: "Start early", Text: "Recruit before the start."}
		if err := db.CreateLesson(ctx, l); err != nil {
			t.Fatal(err)
		}

		a := tcmis.NewAppraisal(p.ID)
		a.Appraiser, a.Date, a.MidTermAgreed, a.EvaluationBudget, a.Summary = "PARDEV", cyDay("2006-01-20"), true, 12_345, "Sound design"
		a.Set(tcmis.CriterionRisks, tcmis.Fail, "no risk log")
		a.LessonsConsidered = []int64{l.ID, 424242}
		err := db.CreateAppraisal(ctx, a)
		if tcmis.ErrorCode(err) != tcmis.EINVALID || len(tcmis.ErrorProblems(err)) != 1 || tcmis.ErrorProblems(err)[0].Field != "lessons_considered[1]" {
			t.Fatalf("unknown lesson: %v", err)
		}
		a.LessonsConsidered = []int64{l.ID}
		if err := db.CreateAppraisal(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindLatestAppraisal(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Version != 1 || !got.Date.Equal(a.Date) || !got.MidTermAgreed || got.EvaluationBudget != 12_345 || got.Summary != "Sound design" ||
			len(got.Criteria) != 7 || got.Criteria[6] != a.Criteria[6] || len(got.LessonsConsidered) != 1 || got.LessonsConsidered[0] != l.ID {
			t.Fatalf("read back %+v\nwant %+v", got, a)
		}

		// An earlier appraisal entered later is not the latest.
		older := tcmis.NewAppraisal(p.ID)
		older.Appraiser, older.Date = "PARDEV", cyDay("2006-01-05")
		if err := db.CreateAppraisal(ctx, older); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindLatestAppraisal(ctx, p.ID); got.ID != a.ID {
			t.Errorf("latest is %d, want %d", got.ID, a.ID)
		}
		list, total, err := db.FindAppraisals(ctx, tcmis.AppraisalFilter{ProjectID: &p.ID})
		if err != nil || total != 2 || list[0].ID != a.ID || list[1].ID != older.ID {
			t.Fatalf("list: %d %v", total, err)
		}

		// Two people edit the same appraisal.
		x, _ := db.FindLatestAppraisal(ctx, p.ID)
		y, _ := db.FindLatestAppraisal(ctx, p.ID)
		x.Set(tcmis.CriterionRisks, tcmis.Pass, "")
		x.LessonsConsidered = nil
		if err := db.UpdateAppraisal(ctx, x); err != nil || x.Version != 2 {
			t.Fatalf("update: %v", err)
		}
		y.Summary = "mine"
		mustCode(t, db.UpdateAppraisal(ctxAs("bob"), y), tcmis.ECONFLICT)
		got, _ = db.FindLatestAppraisal(ctx, p.ID)
		if got.Summary != "Sound design" || len(got.LessonsConsidered) != 0 || got.Criteria[6].Result != tcmis.Pass {
			t.Errorf("after update: %+v", got)
		}
		y.Version, y.ProjectID = got.Version, 424242
		mustCode(t, db.UpdateAppraisal(ctx, y), tcmis.EINVALID)

		// A lesson an appraisal considered stays.
		older.LessonsConsidered = []int64{l.ID}
		if err := db.UpdateAppraisal(ctx, older); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteLesson(ctx, l.ID), tcmis.ECONFLICT)

		// Nor does a project with appraisals and moves.
		mustCode(t, db.DeleteProject(ctx, p.ID), tcmis.ECONFLICT)

		if err := db.DeleteAppraisal(ctx, older.ID); err != nil {
			t.Fatal(err)
		}
		entity := "appraisal"
		changes, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &older.ID})
		if len(changes) != 3 || changes[0].Action != tcmis.ActionDelete || changes[1].Old == nil {
			t.Errorf("audit trail: %+v", changes)
		}
		_, total, _ = db.FindAppraisals(ctx, tcmis.AppraisalFilter{ProjectID: &p.ID})
		if total != 1 {
			t.Errorf("%d appraisals after deletion", total)
		}
	})
}
