package sqldb_test

import (
	"context"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// mustFindByID checks a lookup by id against what the list returned:
// every record of the list (at least two, so that a lookup returning
// the wrong one fails) comes back whole; an id that was never stored
// and the id of the last record, once deleted, are not found, and the
// other records still are.
func mustFindByID[T any](t *testing.T, what string, list []*T, err error, idOf func(*T) int64,
	byID func(context.Context, int64) (*T, error), remove func(context.Context, int64) error) {
	t.Helper()
	ctx := ctxAs("alice")
	if err != nil {
		t.Fatalf("find %s: %v", what, err)
	}
	if len(list) < 2 {
		t.Fatalf("find %s: %d records, want at least 2", what, len(list))
	}
	var top int64
	for _, want := range list {
		id := idOf(want)
		top = max(top, id)
		got, err := byID(ctx, id)
		if err != nil {
			t.Fatalf("%s %d: %v", what, id, err)
		}
		mustEqualRecord(t, got, want)
	}

	for _, id := range []int64{top + 1000, 0, -1} {
		got, err := byID(ctx, id)
		mustCode(t, err, tcmis.ENOTFOUND)
		if got != nil {
			t.Fatalf("%s %d: got %+v with ENOTFOUND", what, id, got)
		}
	}

	last := idOf(list[len(list)-1])
	if err := remove(ctx, last); err != nil {
		t.Fatalf("delete %s %d: %v", what, last, err)
	}
	if _, err := byID(ctx, last); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		t.Fatalf("deleted %s %d: error %v, want ENOTFOUND", what, last, err)
	}
	for _, want := range list[:len(list)-1] {
		got, err := byID(ctx, idOf(want))
		if err != nil {
			t.Fatalf("%s %d after deleting %d: %v", what, idOf(want), last, err)
		}
		mustEqualRecord(t, got, want)
	}
}

func TestMoneyFindByID(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		finRates(t, db, "EUR 2005-01-01 0.8", "JPY 2005-01-01 100")

		if err := db.CreateApprovals(ctx, []*tcmis.Approval{
			{DonorID: f.donor, ProjectID: f.project, AgreementID: f.agreement, Date: finDay("2005-04-15"), Amount: finMoney(80000, "EUR"), Local: true},
			{DonorID: f.other, Date: finDay("2005-01-10"), Amount: finMoney(100000, "USD")},
			{DonorID: f.donor, ProjectID: f.project2, Date: finDay("2006-03-01"), Amount: finMoney(-20000, "JPY"), Reason: "cancelled"},
		}); err != nil {
			t.Fatal(err)
		}
		as, _, err := db.FindApprovals(ctx, tcmis.MoneyFilter{})
		mustFindByID(t, "approval", as, err, func(a *tcmis.Approval) int64 { return a.ID }, db.FindApprovalByID, db.DeleteApproval)

		if err := db.CreateAllocations(ctx, []*tcmis.Allocation{
			{ProjectID: f.project, Year: 2005, Amount: finMoney(40000, "EUR")},
			{ProjectID: f.project2, Year: 2005, Amount: finMoney(300000, "USD")},
			{ProjectID: f.project, Year: 2006, Amount: finMoney(-10000, "USD"), Reason: "budget revision"},
		}); err != nil {
			t.Fatal(err)
		}
		ls, _, err := db.FindAllocations(ctx, tcmis.MoneyFilter{})
		mustFindByID(t, "allocation", ls, err, func(a *tcmis.Allocation) int64 { return a.ID }, db.FindAllocationByID, db.DeleteAllocation)

		if err := db.CreateExpenditures(ctx, []*tcmis.Expenditure{
			{ProjectID: f.project, Year: 2005, Month: 5, Type: tcmis.InternationalExperts, Amount: finMoney(100000, "JPY")},
			{ProjectID: f.project2, Year: 2005, Month: 7, Type: tcmis.Training, Amount: finMoney(2500, "EUR")},
			{ProjectID: f.project, Year: 2006, Month: 1, Type: tcmis.Miscellaneous, Amount: finMoney(-500, "USD"), Reason: "refund"},
		}); err != nil {
			t.Fatal(err)
		}
		es, _, err := db.FindExpenditures(ctx, tcmis.MoneyFilter{})
		mustFindByID(t, "expenditure", es, err, func(e *tcmis.Expenditure) int64 { return e.ID }, db.FindExpenditureByID, db.DeleteExpenditure)
	})
}

func TestResultsFindByID(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		o1 := mustOutcome(t, db, "1a.1", "2006-07", tcmis.Standards)
		mustOutcome(t, db, "2a.1", "2008-09", tcmis.Employment) // last by biennium: no indicators
		i1 := mustIndicator(t, db, o1.ID, "1")
		mustIndicator(t, db, o1.ID, "2") // last by code: no targets or results
		project := insertProjectRow(t, db, "INT/05/01/USA")
		for _, x := range []*tcmis.Target{
			{IndicatorID: i1.ID, Biennium: "2006-07", Value: 15_000_000, Note: "Fifteen more"},
			{IndicatorID: i1.ID, Biennium: "2008-09", Value: 30_000_000},
		} {
			if err := db.CreateTarget(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []*tcmis.Result{
			{IndicatorID: i1.ID, Biennium: "2006-07", ProjectID: project, Value: 2_000_000, Reported: ymd(2006, 11, 30), Evidence: "Two laws adopted"},
			{IndicatorID: i1.ID, Biennium: "2008-09", Value: 4_000_000, Reported: ymd(2008, 12, 31), Evidence: "Register"},
		} {
			if err := db.CreateResult(ctx, r); err != nil {
				t.Fatal(err)
			}
		}

		// From the bottom up, so that each deletion takes no other record.
		rs, _, err := db.FindResults(ctx, tcmis.ResultFilter{})
		mustFindByID(t, "result", rs, err, func(r *tcmis.Result) int64 { return r.ID }, db.FindResultByID, db.DeleteResult)
		ts, _, err := db.FindTargets(ctx, tcmis.ResultFilter{})
		mustFindByID(t, "target", ts, err, func(x *tcmis.Target) int64 { return x.ID }, db.FindTargetByID, db.DeleteTarget)
		is, _, err := db.FindIndicators(ctx, tcmis.ResultFilter{})
		mustFindByID(t, "indicator", is, err, func(i *tcmis.Indicator) int64 { return i.ID }, db.FindIndicatorByID, db.DeleteIndicator)
		os, _, err := db.FindOutcomes(ctx, tcmis.ResultFilter{})
		mustFindByID(t, "outcome", os, err, func(o *tcmis.Outcome) int64 { return o.ID }, db.FindOutcomeByID, db.DeleteOutcome)
	})
}

func TestLessonFindByID(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		e := &tcmis.Evaluation{Title: "Social dialogue review", Subject: tcmis.SubjectTheme, Theme: "dialogue", Type: tcmis.ThematicEvaluation,
			Timing: tcmis.ExPost, Planned: ymd(2005, 3, 1), Status: tcmis.EvaluationPlanned}
		if err := db.CreateEvaluation(ctx, e); err != nil {
			t.Fatal(err)
		}
		for _, l := range []*tcmis.Lesson{
			{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: "Tripartite Committees need a budget",
				Text: "Without a secretariat the committee met twice.", Objective: tcmis.SocialDialogue, Country: "ID", Theme: "Dialogue", Assistance: tcmis.Subcontracts},
			{EvaluationID: e.ID, Kind: tcmis.GoodPractice, Title: "Peer review of labour inspection", Text: "Inspectors reviewed each other.", Country: "PH"},
			{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: "Start early", Text: "Recruit staff before the inception phase."},
		} {
			if err := db.CreateLesson(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		ls, _, err := db.FindLessons(ctx, tcmis.LessonFilter{})
		mustFindByID(t, "lesson", ls, err, func(l *tcmis.Lesson) int64 { return l.ID }, db.FindLessonByID, db.DeleteLesson)
	})
}

func TestTrainingFindByID(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		project := insertProjectRow(t, db, "CAM/05/01/USA")
		if err := db.CreateTraining(ctx, []*tcmis.TrainingActivity{
			{Year: 2005, Kind: "course", Title: "Labour inspection", ProjectID: project, Country: "KH",
				Participants: tcmis.Participants{Employers: 3, Workers: 4, Governments: 12, Others: 1, Women: 9}},
			{Year: 2005, Kind: "fellowship", Title: "Actuarial studies"},
			{Year: 2006, Kind: "workshop", Title: "Collective bargaining", Country: "KH", Participants: tcmis.Participants{Workers: 30, Women: 30}},
		}); err != nil {
			t.Fatal(err)
		}
		ts, _, err := db.FindTraining(ctx, tcmis.TrainingFilter{})
		mustFindByID(t, "training activity", ts, err, func(x *tcmis.TrainingActivity) int64 { return x.ID }, db.FindTrainingByID, db.DeleteTraining)
	})
}
