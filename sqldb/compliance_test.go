package sqldb_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/sqldb"
)

// The lean read of the compliance (EachCompliance) gives exactly what the
// per-project path gives: the same compliance of the same projects, with
// the same headings, on the demo portfolio and on projects at the
// boundaries of the policy (18 and 30 months, US$350,000, the versions of
// 2002 and 2005), on both engines.
func TestComplianceLeanPath(t *testing.T) {
	days := []string{"2002-01-01", "2005-12-31", "2006-06-30", "2007-07-15", "2012-01-01"}
	t.Run("demo", func(t *testing.T) {
		if testing.Short() {
			t.Skip("loads the demo portfolio")
		}
		engines(t, func(t *testing.T, db *sqldb.DB) {
			if _, err := demo.Load(ctxAs("demo-test"), db, demo.Options{}); err != nil {
				t.Fatal(err)
			}
			sameCompliance(t, db, days)
		})
	})
	t.Run("boundaries", func(t *testing.T) {
		engines(t, func(t *testing.T, db *sqldb.DB) {
			boundaryPortfolio(t, db)
			sameCompliance(t, db, days)
		})
	})
}

// sameCompliance compares the lean read with the per-project path on
// each day.
func sameCompliance(t *testing.T, db *sqldb.DB, days []string) {
	t.Helper()
	ctx := context.Background()
	for _, day := range days {
		today := cyDay(day)
		want, heads, err := sqldb.ComplianceByProjectForTestC(ctx, db, today)
		if err != nil {
			t.Fatal(err)
		}
		var got []*tcmis.Compliance
		err = db.EachCompliance(ctx, tcmis.ComplianceFilter{Today: today}, func(c *tcmis.Compliance, h tcmis.ProjectHeading) error {
			if h != heads[c.ProjectID] {
				t.Errorf("%s, project %s: headings %+v, per project %+v", day, c.Code, h, heads[c.ProjectID])
			}
			got = append(got, c)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: the lean read gives %d projects, the per-project path %d", day, len(got), len(want))
		}
		states := map[tcmis.ComplianceState]int{}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%s, project %s:\n lean        %+v\n per project %+v", day, want[i].Code, *got[i], *want[i])
			}
			states[want[i].State]++
		}
		t.Logf("%s: %d projects %v", day, len(want), states)

		// EvaluationCompliance reads the same, by code, and filters by
		// state and project.
		all, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: today})
		if err != nil || len(all) != len(want) {
			t.Fatalf("%s: EvaluationCompliance gives %d projects (%v), want %d", day, len(all), err, len(want))
		}
		for i := 1; i < len(all); i++ {
			if all[i-1].Code >= all[i].Code {
				t.Fatalf("EvaluationCompliance is not by code: %s before %s", all[i-1].Code, all[i].Code)
			}
		}
		if len(want) > 0 {
			c := want[len(want)/2]
			one, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: today, ProjectID: &c.ProjectID, State: &c.State})
			if err != nil || len(one) != 1 || !reflect.DeepEqual(one[0], c) {
				t.Errorf("%s: compliance of project %s alone: %+v %v", day, c.Code, one, err)
			}
		}
	}
	missing := int64(1 << 40)
	_, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{ProjectID: &missing})
	mustCode(t, err, tcmis.ENOTFOUND)
}

// boundaryPortfolio stores projects on either side of the policy's
// thresholds, approved through the cycle under each version, with
// evaluations done, cancelled, late and added, a mid-term agreed and a
// budget in euros; and one project recorded as ongoing with only a
// funding approval.
func boundaryPortfolio(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := ctxAs("setup")
	w := newCycleWorld(t, db)
	if err := db.CreateRates(ctx, []*tcmis.ExchangeRate{
		{Currency: "EUR", Date: cyDay("2000-01-01"), PerUSD: 1_000_000, Source: "test"},
		{Currency: "EUR", Date: cyDay("2006-01-01"), PerUSD: 800_000, Source: "test"},
	}); err != nil {
		t.Fatal(err)
	}
	start := cyDay("2006-01-01")
	n := 0
	for _, approved := range []string{"2005-06-01", "2006-03-01"} {
		for _, months := range []int{17, 18, 30, 31, 48} {
			for _, budget := range []int64{350_000 * 100, 350_000*100 + 1} {
				n++
				code := fmt.Sprintf("B%02d", n)
				end := start.AddDate(0, months, -1)
				p := w.project(t, db, code, start.Format(tcmis.DateLayout), end.Format(tcmis.DateLayout), budget)
				if got := p.DurationMonths(); got != months {
					t.Fatalf("%s lasts %d months, want %d", code, got, months)
				}
				move(t, db, w.officer, p, tcmis.Appraisal, "2005-05-01")
				a := appraise(t, db, p, "2005-05-15", int64(n%2)*40_000*100)
				if months == 48 && n%4 == 1 {
					a.MidTermAgreed = true
					if err := db.UpdateAppraisal(ctx, a); err != nil {
						t.Fatal(err)
					}
				}
				res, err := db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, To: tcmis.Approved, Date: cyDay(approved), By: w.officer})
				if err != nil {
					// Under 2005, an independent evaluation needs a budget
					// line: such a project stays in appraisal.
					mustCode(t, err, tcmis.EINVALID)
					continue
				}
				if n%3 == 0 {
					move(t, db, w.officer, p, tcmis.Ongoing, "2006-01-02")
				}
				// Some evaluations done, cancelled or under way.
				for i, e := range res.Planned {
					switch (n + i) % 5 {
					case 1:
						e.Status, e.Actual = tcmis.EvaluationDone, e.Planned
					case 2:
						e.Status = tcmis.EvaluationCancelled
					case 3:
						e.Status = tcmis.EvaluationUnderway
					default:
						continue
					}
					if err := db.UpdateEvaluation(ctx, e); err != nil {
						t.Fatal(err)
					}
				}
				if n%4 == 0 {
					extra := &tcmis.Evaluation{Title: "Independent review of " + code, Subject: tcmis.SubjectProject, ProjectID: p.ID,
						Type: tcmis.InternalIndependent, Timing: tcmis.MidTerm, Planned: start.AddDate(0, months/2, 0), Status: tcmis.EvaluationPlanned}
					if err := db.CreateEvaluation(ctx, extra); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	// Recorded outside the cycle: approved on its first funding approval,
	// in euros, under the 2002 framework; another before any policy.
	err := db.Load(ctx, "test", func(l tcmis.Loader) error {
		ps := []*tcmis.Project{
			{Code: "L01", Title: "Loaded in euros", Source: tcmis.XBTC, DonorIDs: []int64{w.donor.ID}, LeadUnitID: w.emp.ID, OfficeID: w.accra.ID,
				Scope: tcmis.National, Countries: []tcmis.CountryShare{{Country: "GH", Percent: tcmis.Whole}},
				Objectives: []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Percent: tcmis.Whole}},
				Start:      cyDay("2003-01-01"), End: cyDay("2005-12-31"), Status: tcmis.Ongoing, Currency: "EUR",
				Budget: []tcmis.BudgetLine{{Type: tcmis.InternationalExperts, Amount: 300_000 * 100}, {Type: tcmis.Equipment, Amount: 80_000 * 100}}},
			{Code: "L02", Title: "Before any policy", Source: tcmis.RBTC, LeadUnitID: w.emp.ID,
				Scope: tcmis.Global, Objectives: []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Percent: tcmis.Whole}},
				Start: cyDay("2001-01-01"), End: cyDay("2002-06-30"), Status: tcmis.FinanciallyClosed, Currency: tcmis.USD},
		}
		if err := l.CreateProjects(ps); err != nil {
			return err
		}
		return l.CreateApprovals([]*tcmis.Approval{
			{DonorID: w.donor.ID, ProjectID: ps[0].ID, Date: cyDay("2002-12-15"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 200_000 * 100, Currency: "EUR"}}},
			{DonorID: w.donor.ID, ProjectID: ps[0].ID, Date: cyDay("2003-02-01"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 180_000 * 100, Currency: "EUR"}}},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
