package sqldb_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/sqldb"
)

// The compliance snapshot is current after every kind of write: it equals
// the snapshot computed from scratch by the lean read, and what it sums
// and lists on a day equals what the lean read (EachCompliance) gives on
// that day, on both engines.
func TestComplianceSnapshot(t *testing.T) {
	t.Run("demo", func(t *testing.T) {
		if testing.Short() {
			t.Skip("loads the demo portfolio")
		}
		engines(t, func(t *testing.T, db *sqldb.DB) {
			snapshotCurrent(t, db, "empty")
			if _, err := demo.Load(ctxAs("demo-test"), db, demo.Options{}); err != nil {
				t.Fatal(err)
			}
			snapshotCurrent(t, db, "demo loaded")
		})
	})
	t.Run("writes", func(t *testing.T) {
		engines(t, func(t *testing.T, db *sqldb.DB) {
			snapshotWrites(t, db)
		})
	})
	t.Run("concurrent", func(t *testing.T) {
		engines(t, func(t *testing.T, db *sqldb.DB) {
			snapshotConcurrent(t, db)
		})
	})
}

// snapshotConcurrent adds evaluations to the same projects from several
// transactions at once, with a new rate among them: the last to commit
// must see the others' evaluations.
func snapshotConcurrent(t *testing.T, db *sqldb.DB) {
	ctx := ctxAs("setup")
	boundaryPortfolio(t, db)
	cs, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{})
	if err != nil || len(cs) < 2 {
		t.Fatalf("compliance: %d projects, %v", len(cs), err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				if g == 0 && i == 2 {
					errs <- db.CreateRates(ctx, []*tcmis.ExchangeRate{{Currency: "EUR", Date: cyDay("2002-12-01"), PerUSD: 700_000, Source: "concurrent"}})
					continue
				}
				c := cs[(g+i)%2]
				errs <- db.CreateEvaluation(ctx, &tcmis.Evaluation{Title: "Concurrent review", Subject: tcmis.SubjectProject, ProjectID: c.ProjectID,
					Type: tcmis.SelfEvaluation, Timing: tcmis.AnnualReview, Planned: cyDay("2006-01-01").AddDate(0, g, i), Status: tcmis.EvaluationPlanned})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	snapshotCurrent(t, db, "concurrent writes")
}

func snapshotWrites(t *testing.T, db *sqldb.DB) {
	ctx := ctxAs("setup")
	boundaryPortfolio(t, db)
	snapshotCurrent(t, db, "boundary portfolio")
	w := &cycleWorld{officer: tcmis.User{Name: "Otto", Role: tcmis.RoleProgrammeOfficer}}
	units, _, err := db.FindUnits(ctx, tcmis.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		switch u.Code {
		case "EMP":
			w.emp = u
		case "CO-Accra":
			w.accra = u
			w.officer.UnitIDs = []int64{u.ID}
		}
	}
	donors, _, err := db.FindOrganisations(ctx, tcmis.OrganisationFilter{})
	if err != nil || len(donors) != 1 {
		t.Fatalf("donors: %v %v", donors, err)
	}
	w.donor = donors[0]
	byCode := func(code string) *tcmis.Project {
		t.Helper()
		p, err := db.FindProjectByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		snapshotCurrent(t, db, name)
	}

	// Projects: dates, budget lines and headings.
	p := byCode("B03")
	p.End = p.End.AddDate(1, 0, 0)
	p.Budget = append(p.Budget, tcmis.BudgetLine{Type: tcmis.Equipment, Amount: 90_000 * 100})
	p.Countries = nil
	p.Scope = tcmis.Interregional
	step("update a project", db.UpdateProject(ctx, p))

	// Evaluations.
	e := &tcmis.Evaluation{Title: "Late review", Subject: tcmis.SubjectProject, ProjectID: p.ID, Type: tcmis.SelfEvaluation,
		Timing: tcmis.AnnualReview, Planned: cyDay("2006-02-01"), Status: tcmis.EvaluationPlanned}
	step("create an evaluation", db.CreateEvaluation(ctx, e))
	e.Planned = cyDay("2007-01-01")
	step("move an evaluation", db.UpdateEvaluation(ctx, e))
	e.Status, e.Actual = tcmis.EvaluationDone, cyDay("2007-01-02")
	step("finish an evaluation", db.UpdateEvaluation(ctx, e))
	step("delete an evaluation", db.DeleteEvaluation(ctx, e.ID))
	err = db.Load(ctx, "test", func(l tcmis.Loader) error {
		return l.CreateEvaluations([]*tcmis.Evaluation{
			{Title: "Loaded review 1", Subject: tcmis.SubjectProject, ProjectID: p.ID, Type: tcmis.SelfEvaluation, Timing: tcmis.AnnualReview, Planned: cyDay("2006-03-01"), Status: tcmis.EvaluationPlanned},
			{Title: "Loaded review 2", Subject: tcmis.SubjectProject, ProjectID: p.ID, Type: tcmis.SelfEvaluation, Timing: tcmis.AnnualReview, Planned: cyDay("2006-03-01"), Status: tcmis.EvaluationUnderway},
			{Title: "Loaded review 3", Subject: tcmis.SubjectProject, ProjectID: p.ID, Type: tcmis.SelfEvaluation, Timing: tcmis.AnnualReview, Planned: cyDay("2007-09-01"), Status: tcmis.EvaluationPlanned},
		})
	})
	step("load evaluations", err)

	// The cycle: a new project appraised and approved, others moved on.
	n := w.project(t, db, "N01", "2006-01-01", "2008-12-31", 500_000*100)
	move(t, db, w.officer, n, tcmis.Appraisal, "2005-05-01")
	a := appraise(t, db, n, "2005-05-15", 40_000*100)
	snapshotCurrent(t, db, "appraise")
	a.MidTermAgreed = true
	step("update an appraisal", db.UpdateAppraisal(ctx, a))
	move(t, db, w.officer, n, tcmis.Approved, "2006-03-01")
	snapshotCurrent(t, db, "approve")
	move(t, db, w.officer, n, tcmis.Ongoing, "2006-03-02")
	snapshotCurrent(t, db, "start")
	move(t, db, w.officer, n, tcmis.OperationallyClosed, "2006-04-01")
	snapshotCurrent(t, db, "close")

	// Funding approvals decide when a project recorded outside the cycle
	// was approved.
	l01 := byCode("L01")
	as, _, err := db.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &l01.ID})
	if err != nil || len(as) != 2 {
		t.Fatalf("approvals of L01: %v %v", as, err)
	}
	step("create an approval", db.CreateApprovals(ctx, []*tcmis.Approval{
		{DonorID: w.donor.ID, ProjectID: l01.ID, Date: cyDay("2002-06-01"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 1000, Currency: "EUR"}}},
	}))
	as, _, err = db.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &l01.ID})
	if err != nil {
		t.Fatal(err)
	}
	first := as[0]
	for _, x := range as {
		if x.Date.Before(first.Date) {
			first = x
		}
	}
	first.Date = cyDay("2002-12-01")
	step("update an approval", db.UpdateApproval(ctx, first))
	step("delete an approval", db.DeleteApproval(ctx, first.ID))

	// Rates and policy versions change every project's outcome.
	step("create a rate", db.CreateRates(ctx, []*tcmis.ExchangeRate{{Currency: "EUR", Date: cyDay("2002-12-01"), PerUSD: 500_000, Source: "test"}}))
	pol := &tcmis.EvaluationPolicy{Name: "Test policy", Ref: "T/1", Effective: cyDay("2003-01-01"), FinalOnlyUnder: 12, MidTermUpTo: 24, ReviewEvery: 6, IndependentOver: 100_000 * 100}
	step("create a policy version", db.CreateEvaluationPolicy(ctx, pol))
	pol.IndependentOver = 10_000 * 100
	step("update a policy version", db.UpdateEvaluationPolicy(ctx, pol))
	step("delete a policy version", db.DeleteEvaluationPolicy(ctx, pol.ID))

	// An office's region is the heading of projects that name no place.
	accra, err := db.FindUnitByID(ctx, l01.OfficeID)
	if err != nil {
		t.Fatal(err)
	}
	accra.Region, accra.Country = tcmis.AsiaPacific, "TH"
	step("update an office", db.UpdateUnit(ctx, accra))

	// A bulk load of approved projects with approvals and evaluations,
	// one of them in a currency without rates: the reports then fail
	// as the lean read does, until it is deleted.
	var loaded []*tcmis.Project
	err = db.Load(ctx, "test", func(l tcmis.Loader) error {
		loaded = []*tcmis.Project{
			{Code: "L10", Title: "Loaded ongoing", Source: tcmis.XBTC, DonorIDs: []int64{w.donor.ID}, LeadUnitID: w.emp.ID, OfficeID: accra.ID,
				Scope: tcmis.National, Countries: []tcmis.CountryShare{{Country: "GH", Percent: tcmis.Whole}},
				Objectives: []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Percent: tcmis.Whole}},
				Start:      cyDay("2004-01-01"), End: cyDay("2007-06-30"), Status: tcmis.Ongoing, Currency: tcmis.USD,
				Budget: []tcmis.BudgetLine{{Type: tcmis.Equipment, Amount: 400_000 * 100}}},
			{Code: "L11", Title: "Loaded in pounds", Source: tcmis.RBTC, LeadUnitID: w.emp.ID,
				Scope: tcmis.Global, Objectives: []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Percent: tcmis.Whole}},
				Start: cyDay("2004-01-01"), End: cyDay("2005-06-30"), Status: tcmis.Ongoing, Currency: "GBP",
				Budget: []tcmis.BudgetLine{{Type: tcmis.Equipment, Amount: 10_000 * 100}}},
		}
		if err := l.CreateProjects(loaded); err != nil {
			return err
		}
		if err := l.CreateApprovals([]*tcmis.Approval{
			{DonorID: w.donor.ID, ProjectID: loaded[0].ID, Date: cyDay("2003-12-15"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 400_000 * 100, Currency: tcmis.USD}}},
		}); err != nil {
			return err
		}
		return l.CreateEvaluations([]*tcmis.Evaluation{
			{Title: "Review", Subject: tcmis.SubjectProject, ProjectID: loaded[0].ID, Type: tcmis.SelfEvaluation, Timing: tcmis.AnnualReview, Planned: cyDay("2005-01-01"), Status: tcmis.EvaluationPlanned},
			{Title: "Final", Subject: tcmis.SubjectProject, ProjectID: loaded[0].ID, Type: tcmis.ExternalIndependent, Timing: tcmis.Final, Planned: cyDay("2007-06-30"), Status: tcmis.EvaluationPlanned},
		})
	})
	step("bulk load", err)

	// An IATI load writes each batch's rows as it goes: a later batch
	// that changes a project of an earlier one must leave its row current.
	err = db.LoadActivities(ctx, "test", func(l tcmis.ActivityLoader) error {
		unit := &tcmis.Unit{Code: "IATI", Name: "Imported", Kind: tcmis.Department}
		first, second := testActivity("XM-S1", "First"), testActivity("XM-S2", "Second")
		if _, err := l.UpsertActivities(unit, []*tcmis.Activity{first, second}); err != nil {
			return err
		}
		again := testActivity("XM-S1", "First, longer")
		again.Dates[1].Date = again.Dates[1].Date.AddDate(2, 0, 0)
		_, err := l.UpsertActivities(unit, []*tcmis.Activity{again})
		return err
	})
	step("IATI load in two batches", err)
	step("delete a project", db.DeleteProject(ctx, loaded[1].ID))
	step("delete another project", db.DeleteProject(ctx, byCode("L02").ID))
}

var snapshotDays = []string{"2002-01-01", "2005-12-31", "2006-03-01", "2006-06-30", "2007-07-15", "2012-01-01"}

// snapshotCurrent checks the snapshot after a write.
func snapshotCurrent(t *testing.T, db *sqldb.DB, step string) {
	t.Helper()
	ctx := context.Background()
	diffs, err := sqldb.ComplianceSnapshotDiffForTestC(ctx, db)
	if err != nil {
		t.Fatalf("after %s: %v", step, err)
	}
	for _, d := range diffs {
		t.Errorf("after %s: %s", step, d)
	}
	for _, day := range snapshotDays {
		today := cyDay(day)
		tallies := map[tcmis.ProjectHeading]tcmis.ComplianceTally{}
		var late []*tcmis.LateProject
		leanErr := db.EachCompliance(ctx, tcmis.ComplianceFilter{Today: today}, func(c *tcmis.Compliance, h tcmis.ProjectHeading) error {
			h.ProjectID = 0
			x := tallies[h]
			x.Heading = h
			x.Projects++
			x.Planned += int64(c.Planned)
			x.Done += int64(c.Done)
			x.Overdue += int64(c.Overdue)
			switch c.State {
			case tcmis.ComplianceNoPolicy:
				x.NoPolicy++
			case tcmis.ComplianceMissing:
				x.Missing++
			case tcmis.ComplianceOverdue:
				x.Late++
			}
			if c.State != tcmis.ComplianceNoPolicy {
				x.Required += int64(c.Requirements.AnnualReviews) + boolN(c.Requirements.MidTerm) + boolN(c.Requirements.Final)
			}
			tallies[h] = x
			if c.State == tcmis.ComplianceMissing || c.State == tcmis.ComplianceOverdue {
				l := &tcmis.LateProject{Compliance: *c, OfficeID: h.OfficeID}
				l.Policy = ""
				late = append(late, l)
			}
			return nil
		})
		got, err := db.ComplianceTallies(ctx, today)
		if leanErr != nil || err != nil {
			if tcmis.ErrorCode(err) != tcmis.ErrorCode(leanErr) || tcmis.ErrorMessage(err) != tcmis.ErrorMessage(leanErr) {
				t.Errorf("after %s, on %s: tallies fail with %v, the lean read with %v", step, day, err, leanErr)
			}
			_, _, err = db.LateProjects(ctx, tcmis.LateFilter{Today: today})
			if tcmis.ErrorMessage(err) != tcmis.ErrorMessage(leanErr) {
				t.Errorf("after %s, on %s: late projects fail with %v, the lean read with %v", step, day, err, leanErr)
			}
			continue
		}
		gotTallies := map[tcmis.ProjectHeading]tcmis.ComplianceTally{}
		for _, x := range got {
			gotTallies[x.Heading] = x
		}
		if !reflect.DeepEqual(gotTallies, tallies) {
			t.Errorf("after %s, on %s: tallies\n snapshot %+v\n lean     %+v", step, day, got, tallies)
		}
		slices.SortFunc(late, func(a, b *tcmis.LateProject) int {
			if a.State != b.State {
				return strings.Compare(string(b.State), string(a.State))
			}
			if a.Overdue != b.Overdue {
				return b.Overdue - a.Overdue
			}
			return strings.Compare(a.Code, b.Code)
		})
		for _, limit := range []int{0, 1, 3} {
			want := late
			if limit > 0 && len(want) > limit {
				want = want[:limit]
			}
			list, total, err := db.LateProjects(ctx, tcmis.LateFilter{Today: today, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(late) || len(list) != len(want) {
				t.Errorf("after %s, on %s, limit %d: %d late projects of %d, want %d of %d", step, day, limit, len(list), total, len(want), len(late))
				continue
			}
			for i := range want {
				if !reflect.DeepEqual(list[i], want[i]) {
					t.Errorf("after %s, on %s: late project %d\n snapshot %+v\n lean     %+v", step, day, i, *list[i], *want[i])
				}
			}
		}
	}
}

func boolN(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
