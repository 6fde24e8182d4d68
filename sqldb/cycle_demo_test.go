package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/sqldb"
)

// The demo portfolio through the cycle: one of its proposals, serving a
// country programme, is offered lessons from its own country, is
// appraised and approved, and has its evaluations planned; the funding
// gap of its country's outcomes is reported.
func TestDemoProposalThroughTheCycle(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo portfolio")
	}
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("demo-test")
		if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
			t.Fatal(err)
		}
		status := tcmis.Proposal
		proposals, _, err := db.FindProjects(ctx, tcmis.ProjectFilter{Status: &status})
		if err != nil || len(proposals) == 0 {
			t.Fatalf("the demo has no proposals: %v", err)
		}
		// A national proposal offered a lesson from its own country.
		var p *tcmis.Project
		var offered []tcmis.LessonMatch
		for _, c := range proposals {
			if c.Scope != tcmis.National || len(c.CountryOutcomes) == 0 {
				continue
			}
			ms, err := db.SuggestLessons(ctx, c.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Lesson.Country == c.Countries[0].Country {
					p, offered = c, ms
				}
			}
			if p != nil {
				break
			}
		}
		if p == nil {
			t.Fatal("no demo proposal serving a country programme is offered a lesson from its own country")
		}
		admin := tcmis.User{Name: "Ada", Role: tcmis.RoleAdmin}
		move(t, db, admin, p, tcmis.Appraisal, "2006-06-01")

		// A failing mandatory criterion blocks approval.
		a := appraise(t, db, p, "2006-06-10", 0, tcmis.CriterionResults)
		_, err = db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Approved, Date: cyDay("2006-06-30"), By: admin})
		mustCode(t, err, tcmis.EINVALID)

		a.Set(tcmis.CriterionResults, tcmis.Pass, "indicators with baselines added")
		a.EvaluationBudget = 50_000 * 100
		a.LessonsConsidered = []int64{offered[0].Lesson.ID}
		if err := db.UpdateAppraisal(ctx, a); err != nil {
			t.Fatal(err)
		}
		res := move(t, db, admin, p, tcmis.Approved, "2006-06-30")
		plan, err := db.EvaluationPlan(ctx, p.ID, cyDay("2006-07-01"))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Planned) == 0 || len(plan.Evaluations) != len(res.Planned) || plan.Proposed || res.Policy.Ref != "GB.294/PFA/8/4" {
			t.Fatalf("approved demo project %s: %d planned, plan %+v", p.Code, len(res.Planned), plan)
		}
		if c := plan.Compliance; c.State != tcmis.CompliancePlanned || len(c.Missing) != 0 {
			t.Errorf("compliance of %s: %+v", p.Code, c)
		}
		var final *tcmis.Evaluation
		for _, e := range plan.Evaluations {
			if e.Timing == tcmis.Final {
				final = e
			}
		}
		if final == nil || !final.Planned.Equal(p.End) {
			t.Errorf("no final evaluation on %s: %+v", p.End.Format(tcmis.DateLayout), plan.Evaluations)
		}
		t.Logf("%s (%d months) approved: %s", p.Code, p.DurationMonths(), plan.Requirements.List())

		// The funding gap of the country's outcomes is reported.
		country := p.Countries[0].Country
		gaps, err := db.FundingGaps(ctx, tcmis.GapFilter{Country: &country})
		if err != nil {
			t.Fatal(err)
		}
		var planned int64
		for _, g := range gaps {
			planned += g.Planned
			if g.Country != country || g.Gap < 0 || g.Gap > g.Planned {
				t.Errorf("gap row %+v", g)
			}
		}
		if len(gaps) == 0 || planned == 0 {
			t.Errorf("no funding gap reported for %s, whose project serves %v", country, p.CountryOutcomes)
		}

		// The whole portfolio's compliance report runs.
		cs, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: cyDay("2006-06-30")})
		if err != nil || len(cs) < 100 {
			t.Fatalf("compliance of the demo: %d rows, %v", len(cs), err)
		}
	})
}
