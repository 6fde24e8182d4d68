package sqldb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestSuggestLessons(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("alice")
		done := w.project(t, db, "GHA/02/01/NET", "2002-01-01", "2003-12-31", 100, "GHA101")
		p := w.project(t, db, "GHA/06/01/NET", "2006-07-01", "2007-06-30", 100, "GHA101")
		evalOf := func(projectID int64, title string) *tcmis.Evaluation {
			e := &tcmis.Evaluation{Title: title, Subject: tcmis.SubjectTheme, Theme: "x", Type: tcmis.SelfEvaluation, Timing: tcmis.Final,
				Planned: cyDay("2004-01-01"), Status: tcmis.EvaluationPlanned}
			if projectID != 0 {
				e.Subject, e.ProjectID = tcmis.SubjectProject, projectID
			}
			if err := db.CreateEvaluation(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		ghana := evalOf(done.ID, "Final evaluation: GHA/02/01/NET")
		other := evalOf(0, "Thematic evaluation")
		lessons := []*tcmis.Lesson{
			{EvaluationID: other.ID, Kind: tcmis.LessonLearned, Title: "Unrelated", Text: "Peer educators in enterprises.", Country: "NP", Objective: tcmis.SocialProtection},
			{EvaluationID: ghana.ID, Kind: tcmis.GoodPractice, Title: "District assemblies", Text: "Assemblies in northern districts took over.", Country: "GH"},
			{EvaluationID: other.ID, Kind: tcmis.LessonLearned, Title: "Youth", Text: "Trace young people.", Country: "KE", Theme: "youth employment"},
		}
		for _, l := range lessons {
			if err := db.CreateLesson(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.SuggestLessons(ctx, p.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Lesson.ID != lessons[1].ID || got[1].Lesson.ID != lessons[2].ID {
			t.Fatalf("offered %v", got)
		}
		if r := strings.Join(got[0].Reasons, "; "); r != "same country: Ghana; same outcome: 2b.2, GHA101; shared words: district, northern" || got[0].Evaluation != ghana.Title {
			t.Errorf("reasons: %s (from %q)", r, got[0].Evaluation)
		}
		if got, _ := db.SuggestLessons(ctx, p.ID, 1); len(got) != 1 {
			t.Errorf("limit 1: %v", got)
		}
		_, err = db.SuggestLessons(ctx, 424242, 0)
		mustCode(t, err, tcmis.ENOTFOUND)
	})
}

func TestFundingGapsStore(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("alice")
		gh := &tcmis.CountryProgramme{Country: "GH", Title: "Ghana DWCP", StartYear: 2006, EndYear: 2009, Status: tcmis.ProgrammeActive,
			PRS: tcmis.Involvement{Framework: "GPRS II", Status: tcmis.Involved},
			Priorities: []tcmis.Priority{{Title: "Informal economy", Outcomes: []tcmis.CountryOutcome{
				{Code: "GHA101", Title: "Operators organized", Planned: 1_000_000_00},
				{Code: "GHA102", Title: "LED in 40 districts", Planned: 500_000_00},
			}}}}
		np := &tcmis.CountryProgramme{Country: "NP", Title: "Nepal DWCP", StartYear: 2006, EndYear: 2009, Status: tcmis.ProgrammeDraft,
			Priorities: []tcmis.Priority{{Title: "Rights", Outcomes: []tcmis.CountryOutcome{{Code: "NPL101", Title: "Forced labour", Planned: 200_000_00}}}}}
		for _, c := range []*tcmis.CountryProgramme{gh, np} {
			if err := db.CreateProgramme(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		a := w.project(t, db, "GHA/06/01/NET", "2006-01-01", "2007-12-31", 100, "GHA101", "GHA102")
		b := w.project(t, db, "GHA/06/02/NET", "2006-01-01", "2007-12-31", 100, "GHA101")
		w.project(t, db, "GHA/06/03/NET", "2006-01-01", "2007-12-31", 100) // serves nothing
		approvals := []*tcmis.Approval{
			{DonorID: w.donor.ID, ProjectID: a.ID, Date: cyDay("2006-01-10"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 400_000_00, Currency: tcmis.USD}}},
			{DonorID: w.donor.ID, ProjectID: a.ID, Date: cyDay("2006-06-10"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 200_000_01, Currency: tcmis.USD}}},
			{DonorID: w.donor.ID, ProjectID: b.ID, Date: cyDay("2006-02-10"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 100_000_00, Currency: tcmis.USD}}},
			{DonorID: w.donor.ID, Date: cyDay("2006-02-10"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: 999, Currency: tcmis.USD}}},
		}
		if err := db.CreateApprovals(ctx, approvals); err != nil {
			t.Fatal(err)
		}
		rows, err := db.FundingGaps(ctx, tcmis.GapFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range rows {
			got = append(got, fmt.Sprintf("%s %s %s %d %d %d %s", g.Country, g.Region, g.Outcome, g.Planned, g.Approved, g.Gap, strings.Join(g.Projects, "+")))
		}
		want := "GH africa GHA101 100000000 40000001 59999999 GHA/06/01/NET+GHA/06/02/NET|GH africa GHA102 50000000 30000000 20000000 GHA/06/01/NET|NP asia-pacific NPL101 20000000 0 20000000 "
		if strings.Join(got, "|") != want {
			t.Errorf("gaps:\n%s\nwant\n%s", strings.Join(got, "|"), want)
		}
		country, region := "gh", tcmis.AsiaPacific
		if rows, _ := db.FundingGaps(ctx, tcmis.GapFilter{Country: &country}); len(rows) != 2 || rows[0].Approved != 40000001 {
			t.Errorf("Ghana only: %+v", rows)
		}
		if rows, _ := db.FundingGaps(ctx, tcmis.GapFilter{Region: &region}); len(rows) != 1 || rows[0].Country != "NP" {
			t.Errorf("Asia only: %+v", rows)
		}
	})
}

func TestDeliverySnapshotsAndAlerts(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("alice")
		slow := w.project(t, db, "GHA/05/01/NET", "2005-01-01", "2006-12-31", 100)
		fast := w.project(t, db, "GHA/05/02/NET", "2005-01-01", "2006-12-31", 100)
		fast.OfficeID = 0
		if err := db.UpdateProject(ctx, fast); err != nil {
			t.Fatal(err)
		}
		usd := func(cents int64) tcmis.Converted {
			return tcmis.Converted{Money: tcmis.Money{Amount: cents, Currency: tcmis.USD}}
		}
		if err := db.CreateAllocations(ctx, []*tcmis.Allocation{
			{ProjectID: slow.ID, Year: 2005, Amount: usd(1_200_000)},
			{ProjectID: fast.ID, Year: 2005, Amount: usd(1_200_000)},
			{ProjectID: fast.ID, Year: 2004, Amount: usd(5)},
		}); err != nil {
			t.Fatal(err)
		}
		var es []*tcmis.Expenditure
		for m := 1; m <= 6; m++ {
			es = append(es,
				&tcmis.Expenditure{ProjectID: slow.ID, Year: 2005, Month: m, Type: tcmis.InternationalExperts, Amount: usd(int64(60_000 - 10_000*(m/4)))},
				&tcmis.Expenditure{ProjectID: fast.ID, Year: 2005, Month: m, Type: tcmis.Training, Amount: usd(100_000)})
		}
		es = append(es, &tcmis.Expenditure{ProjectID: fast.ID, Year: 2005, Month: 7, Type: tcmis.Training, Amount: usd(1)})
		if err := db.CreateExpenditures(ctx, es); err != nil {
			t.Fatal(err)
		}

		_, err := db.DeliveryAlerts(ctx, tcmis.AlertFilter{Year: 2005, Month: 6})
		mustCode(t, err, tcmis.ENOTFOUND)
		_, err = db.TakeDeliverySnapshot(ctx, 2005, 13)
		mustCode(t, err, tcmis.EINVALID)
		for _, m := range []int{5, 6} {
			if _, err := db.TakeDeliverySnapshot(ctx, 2005, m); err != nil {
				t.Fatal(err)
			}
		}
		snap, err := db.FindDeliverySnapshot(ctx, 2005, 6)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range snap.Rows {
			lines = append(lines, fmt.Sprintf("%s %d/%d/%d %d/%d m%d f%d", r.Scope, r.ProjectID, r.UnitID, r.OfficeID, r.SpentYTD, r.Allocated, r.SpentMonth, r.Forecast))
		}
		// slow spends 60,000 a month to March, 50,000 from April: 330,000 by
		// June and 50,000 for each month left.
		want := []string{
			fmt.Sprintf("office 0/%d/0 330000/1200000 m50000 f630000", w.accra.ID),
			fmt.Sprintf("unit 0/%d/0 930000/2400000 m150000 f1830000", w.emp.ID),
			fmt.Sprintf("project %d/%d/%d 330000/1200000 m50000 f630000", slow.ID, w.emp.ID, w.accra.ID),
			fmt.Sprintf("project %d/%d/0 600000/1200000 m100000 f1200000", fast.ID, w.emp.ID),
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("snapshot:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}

		_, err = db.DeliveryAlerts(ctx, tcmis.AlertFilter{Year: 2005, Month: 6})
		if tcmis.ErrorCode(err) != tcmis.EINVALID || !strings.Contains(err.Error(), "no delivery thresholds") {
			t.Fatalf("alerts without thresholds: %v", err)
		}
		for _, th := range []*tcmis.DeliveryThreshold{
			{Scope: tcmis.ScopeProject, Rate: 6000},
			{Scope: tcmis.ScopeOffice, Rate: 6000},
			{Scope: tcmis.ScopeUnit, Rate: 5000},
		} {
			if err := db.SetDeliveryThreshold(ctx, th); err != nil {
				t.Fatal(err)
			}
		}
		mustCode(t, db.SetDeliveryThreshold(ctx, &tcmis.DeliveryThreshold{Scope: tcmis.ScopeOffice, UnitID: w.emp.ID, Rate: 5000}), tcmis.EINVALID)
		mustCode(t, db.SetDeliveryThreshold(ctx, &tcmis.DeliveryThreshold{Scope: tcmis.ScopeUnit, UnitID: 424242, Rate: 5000}), tcmis.EINVALID)
		alerts, err := db.DeliveryAlerts(ctx, tcmis.AlertFilter{Year: 2005, Month: 6})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range alerts {
			got = append(got, fmt.Sprintf("%s %d %s %s<%s %s %v", a.Scope, a.UnitID, a.Rate, a.ForecastRate, a.Threshold, a.Trend, a.HasTrend))
		}
		// May: 280,000 of 1,200,000 (23.33%); June: 27.5%.
		if g, want := strings.Join(got, "; "), fmt.Sprintf("office %d 27.5 52.5<60 4.17 true; project %d 27.5 52.5<60 4.17 true", w.accra.ID, w.emp.ID); g != want {
			t.Errorf("alerts:\n got %s\nwant %s", g, want)
		}

		// Setting a threshold again replaces it; an office of its own
		// takes precedence over the scope's.
		th := &tcmis.DeliveryThreshold{Scope: tcmis.ScopeOffice, Rate: 4000}
		if err := db.SetDeliveryThreshold(ctx, th); err != nil || th.Version != 2 {
			t.Fatalf("replace: %v %+v", err, th)
		}
		if err := db.SetDeliveryThreshold(ctx, &tcmis.DeliveryThreshold{Scope: tcmis.ScopeOffice, UnitID: w.accra.ID, Rate: 5500}); err != nil {
			t.Fatal(err)
		}
		ts, _ := db.FindDeliveryThresholds(ctx)
		if len(ts) != 4 {
			t.Errorf("%d thresholds, want 4", len(ts))
		}
		office := tcmis.ScopeOffice
		alerts, _ = db.DeliveryAlerts(ctx, tcmis.AlertFilter{Year: 2005, Month: 6, Scope: &office})
		if len(alerts) != 1 || alerts[0].Threshold != 5500 {
			t.Errorf("office alerts: %+v", alerts)
		}
		low := tcmis.Percent(5000)
		if alerts, _ := db.DeliveryAlerts(ctx, tcmis.AlertFilter{Year: 2005, Month: 6, Threshold: &low}); len(alerts) != 0 {
			t.Errorf("with --threshold 50: %+v", alerts)
		}
		if err := db.DeleteDeliveryThreshold(ctx, th.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteDeliveryThreshold(ctx, th.ID), tcmis.ENOTFOUND)

		// Taking the month again replaces it, with the audit trail.
		if err := db.CreateExpenditures(ctx, []*tcmis.Expenditure{{ProjectID: slow.ID, Year: 2005, Month: 6, Type: tcmis.Training, Amount: usd(500_000)}}); err != nil {
			t.Fatal(err)
		}
		again, err := db.TakeDeliverySnapshot(ctxAs("bob"), 2005, 6)
		if err != nil || again.ID != snap.ID || again.Version != 2 || len(again.Rows) != 4 || again.Rows[0].SpentYTD != 830_000 {
			t.Fatalf("retaken: %+v %v", again, err)
		}
		entity := "delivery-snapshot"
		changes, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &snap.ID})
		if len(changes) != 2 || changes[0].Actor != "bob" || !strings.Contains(string(changes[0].Old), `"rows":4`) {
			t.Errorf("audit: %+v", changes)
		}
	})
}

func TestBienniumResultsAndCarry(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w := newCycleWorld(t, db)
		ctx := ctxAs("alice")
		p := w.project(t, db, "GHA/04/01/NET", "2004-01-01", "2005-12-31", 100)
		dec := func(v int64) tcmis.Decimal { return tcmis.Decimal(v * 1_000_000) }
		o := &tcmis.Outcome{Code: "2b.1", Biennium: "2004-05", Objective: tcmis.Employment, Title: "Skills"}
		kept := &tcmis.Outcome{Code: "2b.2", Biennium: "2004-05", Objective: tcmis.Employment, Title: "Enterprises"}
		for _, x := range []*tcmis.Outcome{o, kept} {
			if err := db.CreateOutcome(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		i1 := &tcmis.Indicator{OutcomeID: o.ID, Code: "2b.1.1", Title: "Training policies revised", Unit: "member States", Baseline: dec(9), BaselineYear: 2003}
		i2 := &tcmis.Indicator{OutcomeID: kept.ID, Code: "2b.2.1", Title: "SIYB partners", Unit: "member States"}
		for _, x := range []*tcmis.Indicator{i1, i2} {
			if err := db.CreateIndicator(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range []*tcmis.Target{{IndicatorID: i1.ID, Biennium: "2004-05", Value: dec(12)}, {IndicatorID: i2.ID, Biennium: "2004-05", Value: dec(90)}} {
			if err := db.CreateTarget(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []*tcmis.Result{
			{IndicatorID: i1.ID, Biennium: "2004-05", Value: dec(5), Reported: cyDay("2005-03-01"), Evidence: "interim"},
			{IndicatorID: i1.ID, Biennium: "2004-05", Value: dec(10), Reported: cyDay("2006-03-01"), Evidence: "implementation report", ProjectID: p.ID},
			{IndicatorID: i2.ID, Biennium: "2004-05", Value: dec(40), Reported: cyDay("2005-03-01"), Evidence: "interim"},
		} {
			if err := db.CreateResult(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		progress, err := db.BienniumResults(ctx, "2004-05", nil)
		if err != nil || len(progress) != 2 {
			t.Fatalf("progress: %v %v", progress, err)
		}
		if p0 := progress[0]; p0.Achieved != dec(10) || p0.Percent.String() != "83.33" || p0.Met || len(p0.Contributions) != 1 || p0.Contributions[0].ProjectID != p.ID {
			t.Errorf("2b.1.1: %+v", p0)
		}
		so1 := tcmis.Standards
		if none, _ := db.BienniumResults(ctx, "2004-05", &so1); len(none) != 0 {
			t.Errorf("standards: %+v", none)
		}
		_, err = db.BienniumResults(ctx, "2004", nil)
		mustCode(t, err, tcmis.EINVALID)

		// 2006-07 keeps 2b.2 and drops 2b.1: its unmet target is carried.
		next := &tcmis.Outcome{Code: "2b.2", Biennium: "2006-07", Objective: tcmis.Employment, Title: "Enterprises"}
		if err := db.CreateOutcome(ctx, next); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateIndicator(ctx, &tcmis.Indicator{OutcomeID: next.ID, Code: "2b.2.1", Title: "SIYB partners", Unit: "member States"}); err != nil {
			t.Fatal(err)
		}
		_, err = db.CarryResults(ctx, "2006-07", "2004-05")
		mustCode(t, err, tcmis.EINVALID)
		plan, err := db.CarryResults(ctx, "2004-05", "2006-07")
		if err != nil || len(plan.Outcomes) != 1 || !plan.Outcomes[0].IsNew || plan.Outcomes[0].Outcome.ID == 0 {
			t.Fatalf("carried: %+v %v", plan, err)
		}
		after, _ := db.BienniumResults(ctx, "2006-07", nil)
		var got []string
		for _, ip := range after {
			s := ip.Outcome.Code + " " + ip.Indicator.Code + " baseline " + ip.Indicator.Baseline.String()
			if ip.Target != nil {
				s += " target " + ip.Target.Value.String() + " (" + ip.Target.Note + ")"
			}
			got = append(got, s)
		}
		if g, want := strings.Join(got, "; "), "2b.1 2b.1.1 baseline 10 target 12 (Carried over from 2004-05: target 12, reached 10); 2b.2 2b.2.1 baseline 0"; g != want {
			t.Errorf("2006-07:\n got %s\nwant %s", g, want)
		}
		// Carrying again finds nothing left to carry.
		plan, err = db.CarryResults(ctx, "2004-05", "2006-07")
		if err != nil || len(plan.Outcomes) != 0 {
			t.Errorf("second carry: %+v %v", plan, err)
		}
		entity := "indicator"
		changes, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity})
		if len(changes) == 0 || changes[0].Action != tcmis.ActionImport || !strings.Contains(string(changes[0].New), "carried over from 2004-05 to 2006-07") {
			t.Errorf("audit of the carry: %+v", changes[0])
		}
	})
}
