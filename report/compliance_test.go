package report_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// The compliance reports on the store's snapshot are the reports as
// computed before it, from the lean read, on the demo portfolio and after
// writes that change it, by every grouping, with each filter, on several
// days and with several limits, on both engines.
func TestComplianceReportsOnSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo portfolio")
	}
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := demoStore(t, engine)
			ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})
			sameComplianceReports(t, db, "demo")

			// Late evaluations added, one moved on, a project started.
			cs, err := db.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: Today})
			if err != nil || len(cs) < 2 {
				t.Fatalf("compliance: %d projects, %v", len(cs), err)
			}
			for i, c := range cs[:2] {
				e := &tcmis.Evaluation{Title: "Added review", Subject: tcmis.SubjectProject, ProjectID: c.ProjectID, Type: tcmis.SelfEvaluation,
					Timing: tcmis.AnnualReview, Planned: Today.AddDate(0, -i-1, 0), Status: tcmis.EvaluationPlanned}
				if err := db.CreateEvaluation(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			es, _, err := db.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &cs[0].ProjectID})
			if err != nil || len(es) == 0 {
				t.Fatalf("evaluations: %v %v", es, err)
			}
			es[0].Status, es[0].Actual = tcmis.EvaluationDone, es[0].Planned
			if err := db.UpdateEvaluation(ctx, es[0]); err != nil {
				t.Fatal(err)
			}
			sameComplianceReports(t, db, "after writes")
		})
	}
}

func sameComplianceReports(t *testing.T, db *sqldb.DB, when string) {
	t.Helper()
	ctx := context.Background()
	tallies, err := db.ComplianceTallies(ctx, Today)
	if err != nil || len(tallies) == 0 {
		t.Fatalf("tallies: %v %v", tallies, err)
	}
	h := tallies[len(tallies)/2].Heading
	var params []report.Params
	for _, today := range []time.Time{{}, Today, Today.AddDate(-1, 0, 0), Today.AddDate(2, 0, 0)} {
		for _, by := range []string{"", "region", "office", "unit", "source"} {
			params = append(params, report.Params{Today: today, By: by})
		}
		for _, limit := range []int{0, 1, 3, -1} {
			params = append(params, report.Params{Today: today, Limit: limit})
		}
	}
	params = append(params,
		report.Params{Today: Today, Sources: []tcmis.Source{h.Source}},
		report.Params{Today: Today, Regions: []string{h.Region}, By: "office"},
		report.Params{Today: Today, OfficeIDs: []int64{h.OfficeID}, Limit: 2},
		report.Params{Today: Today, Categories: []tcmis.DonorCategory{h.Category}, By: "unit"},
		report.Params{Today: Today, Sources: []tcmis.Source{h.Source}, Regions: []string{h.Region, "interregional"}, OfficeIDs: []int64{h.OfficeID, 0},
			Categories: []tcmis.DonorCategory{h.Category, ""}, Limit: -1},
	)
	for _, name := range []string{"evaluation-compliance", "evaluations-overdue"} {
		for _, p := range params {
			got, err := report.Run(ctx, db, name, p)
			if err != nil {
				t.Fatalf("%s %s %+v: %v", when, name, p, err)
			}
			want, err := report.RunLeanForTest(ctx, db, db, name, p)
			if err != nil {
				t.Fatalf("%s %s %+v, the old way: %v", when, name, p, err)
			}
			// The old way writes its titles and notes as plain English;
			// the phrases they are made of are compared through them.
			if !reflect.DeepEqual(withoutPhrases(got), withoutPhrases(want)) {
				t.Errorf("%s: %s %+v on the snapshot differs from the old way:\n%s", when, name, p, diff(string(renderAll(t, want)), string(renderAll(t, got))))
			}
		}
	}
}

// withoutPhrases is a table without the phrases of its title, notes,
// source and column titles, leaving the English texts made of them.
func withoutPhrases(t *report.Table) *report.Table {
	out := *t
	out.TitlePhrase, out.NotePhrases, out.SourcePhrase = report.Phrase{}, nil, report.Phrase{}
	out.Columns = slices.Clone(t.Columns)
	for i := range out.Columns {
		out.Columns[i].TitlePhrase = report.Phrase{}
	}
	return &out
}
