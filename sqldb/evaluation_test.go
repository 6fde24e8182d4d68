package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestEvaluations(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		project := insertProjectRow(t, db, "RAS/05/50/JPN")
		programme := indonesiaProgramme()
		if err := db.CreateProgramme(ctx, programme); err != nil {
			t.Fatal(err)
		}

		done := &tcmis.Evaluation{
			Title: "Final evaluation of the youth employment project", Subject: tcmis.SubjectProject, ProjectID: project,
			Type: tcmis.ExternalIndependent, Timing: tcmis.Final, Planned: ymd(2006, 10, 1), Actual: ymd(2006, 11, 15),
			Status:       tcmis.EvaluationDone,
			Ratings:      tcmis.Ratings{Relevance: 5, Efficiency: 4, Effectiveness: 4, Impact: 3, Sustainability: 2},
			Constituents: tcmis.Governments | tcmis.Workers, Budget: 25_000_00, Evaluator: "J. Smith", Summary: "Relevant and well run.",
		}
		planned := &tcmis.Evaluation{Title: "DWCP review", Subject: tcmis.SubjectProgramme, ProgrammeID: programme.ID,
			Type: tcmis.CountryProgrammeEval, Timing: tcmis.MidTerm, Planned: ymd(2007, 3, 1), Status: tcmis.EvaluationPlanned}
		theme := &tcmis.Evaluation{Title: "Gender mainstreaming", Subject: tcmis.SubjectTheme, Theme: "gender",
			Type: tcmis.ThematicEvaluation, Timing: tcmis.ExPost, Planned: ymd(2005, 12, 1), Status: tcmis.EvaluationUnderway}
		for _, e := range []*tcmis.Evaluation{done, planned, theme} {
			if err := db.CreateEvaluation(ctx, e); err != nil {
				t.Fatal(err)
			}
			if e.ID == 0 || e.Version != 1 {
				t.Fatalf("created evaluation has id %d version %d", e.ID, e.Version)
			}
			got, err := db.FindEvaluationByID(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqualRecord(t, got, e)
		}

		// An evaluation not done has no date of completion, not a zero date.
		if n, err := sqldb.CountForTestC(db, `SELECT COUNT(*) FROM evaluations WHERE actual IS NULL`); err != nil || n != 2 {
			t.Fatalf("%d evaluations without a date of completion, want 2 (%v)", n, err)
		}

		// Missing references and invalid fields are all reported.
		err := db.CreateEvaluation(ctx, &tcmis.Evaluation{Title: "x", Subject: tcmis.SubjectProject, ProjectID: 9999, ProgrammeID: 8888,
			Type: tcmis.SelfEvaluation, Timing: tcmis.Final, Planned: ymd(2006, 1, 1), Status: tcmis.EvaluationPlanned})
		mustProblems(t, err, tcmis.EINVALID, "project_id", "programme_id")
		err = db.CreateEvaluation(ctx, &tcmis.Evaluation{Subject: tcmis.SubjectProject, Type: "peer", Status: tcmis.EvaluationDone, Ratings: tcmis.Ratings{Impact: 7}})
		mustProblems(t, err, tcmis.EINVALID, "title", "project_id", "type", "timing", "planned", "actual", "ratings.impact")

		plannedStatus, thematic := tcmis.EvaluationPlanned, tcmis.ThematicEvaluation
		mustFind(t, "project", 1, 1)(db.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &project}))
		mustFind(t, "programme", 1, 1)(db.FindEvaluations(ctx, tcmis.EvaluationFilter{ProgrammeID: &programme.ID}))
		mustFind(t, "status", 1, 1)(db.FindEvaluations(ctx, tcmis.EvaluationFilter{Status: &plannedStatus}))
		mustFind(t, "type", 1, 1)(db.FindEvaluations(ctx, tcmis.EvaluationFilter{Type: &thematic}))
		list, total, err := db.FindEvaluations(ctx, tcmis.EvaluationFilter{Limit: 2})
		if err != nil || total != 3 || len(list) != 2 {
			t.Fatalf("first page: %v of %d, %v", list, total, err)
		}
		mustEqualRecord(t, list, []*tcmis.Evaluation{theme, done}) // by planned date

		// The planned evaluation is done: its date of completion is
		// stored; a stale copy cannot undo it.
		a, _ := db.FindEvaluationByID(ctx, planned.ID)
		stale, _ := db.FindEvaluationByID(ctx, planned.ID)
		a.Status, a.Actual, a.Ratings.Relevance = tcmis.EvaluationDone, ymd(2007, 4, 2), 6
		if err := db.UpdateEvaluation(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindEvaluationByID(ctx, planned.ID)
		mustEqualRecord(t, got, a)
		stale.Status = tcmis.EvaluationCancelled
		mustCode(t, db.UpdateEvaluation(ctxAs("bob"), stale), tcmis.ECONFLICT)
		a.ProgrammeID = 4242
		mustProblems(t, db.UpdateEvaluation(ctx, a), tcmis.EINVALID, "programme_id")
		got, _ = db.FindEvaluationByID(ctx, planned.ID)
		if got.Version != 2 || got.ProgrammeID != programme.ID {
			t.Fatalf("after refused updates: %+v", got)
		}
		mustAudit(t, db, "evaluation", planned.ID, tcmis.ActionUpdate, tcmis.ActionCreate)

		// Deleting an evaluation deletes its lessons, each audited.
		l := &tcmis.Lesson{EvaluationID: done.ID, Kind: tcmis.LessonLearned, Title: "Involve employers early", Text: "..."}
		if err := db.CreateLesson(ctx, l); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteEvaluation(ctx, done.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindEvaluationByID(ctx, done.ID)
		mustCode(t, err, tcmis.ENOTFOUND)
		mustFind(t, "lessons of deleted evaluation", 0, 0)(db.FindLessons(ctx, tcmis.LessonFilter{EvaluationID: &done.ID}))
		mustAudit(t, db, "lesson", l.ID, tcmis.ActionDelete, tcmis.ActionCreate)
		mustAudit(t, db, "evaluation", done.ID, tcmis.ActionDelete, tcmis.ActionCreate)
		mustCode(t, db.DeleteEvaluation(ctx, done.ID), tcmis.ENOTFOUND)
	})
}

// TestEvaluationFilterYearIndependent holds the store's year and
// independence filters to the domain's Evaluation.Year and
// EvaluationType.Independent, on dates either side of a new year.
func TestEvaluationFilterYearIndependent(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		eval := func(typ tcmis.EvaluationType, planned, actual time.Time) *tcmis.Evaluation {
			e := &tcmis.Evaluation{Title: string(typ), Subject: tcmis.SubjectTheme, Theme: "gender", Type: typ,
				Timing: tcmis.Final, Planned: planned, Actual: actual, Status: tcmis.EvaluationPlanned}
			if !actual.IsZero() {
				e.Status = tcmis.EvaluationDone
			}
			return e
		}
		es := map[string]*tcmis.Evaluation{
			"1": eval(tcmis.SelfEvaluation, ymd(2005, 12, 31), time.Time{}),         // 2005
			"2": eval(tcmis.ExternalIndependent, ymd(2005, 11, 1), ymd(2006, 1, 1)), // 2006: done late
			"3": eval(tcmis.InternalIndependent, ymd(2006, 12, 31), time.Time{}),    // 2006
			"4": eval(tcmis.ExPostEvaluation, ymd(2004, 6, 1), ymd(2005, 1, 1)),     // 2005: done late
			"5": eval(tcmis.ThematicEvaluation, ymd(2006, 1, 1), ymd(2005, 12, 31)), // 2005: done early
			"6": eval(tcmis.CountryProgrammeEval, ymd(2007, 1, 1), time.Time{}),     // 2007
		}
		byID := map[int64]string{}
		types := map[tcmis.EvaluationType]bool{}
		for _, k := range []string{"1", "2", "3", "4", "5", "6"} {
			if err := db.CreateEvaluation(ctx, es[k]); err != nil {
				t.Fatal(err)
			}
			byID[es[k].ID] = k
			types[es[k].Type] = true
		}
		if len(types) != len(tcmis.EvaluationTypes()) {
			t.Fatalf("the evaluations have %d of the %d types", len(types), len(tcmis.EvaluationTypes()))
		}
		keys := func(f tcmis.EvaluationFilter) (string, int) {
			t.Helper()
			got, total, err := db.FindEvaluations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var k string
			for _, e := range got {
				k += byID[e.ID]
			}
			return k, total
		}
		year := func(y int) *int { return &y }
		yes, no, self := true, false, tcmis.SelfEvaluation
		tests := []struct {
			name  string
			f     tcmis.EvaluationFilter
			want  string // by planned date
			total int    // when paging, the count without it
		}{
			{"year 2005", tcmis.EvaluationFilter{Year: year(2005)}, "415", 0},
			{"year 2006", tcmis.EvaluationFilter{Year: year(2006)}, "23", 0},
			{"year 2004: planned then, done later", tcmis.EvaluationFilter{Year: year(2004)}, "", 0},
			{"year 2007", tcmis.EvaluationFilter{Year: year(2007)}, "6", 0},
			{"independent", tcmis.EvaluationFilter{Independent: &yes}, "423", 0},
			{"not independent", tcmis.EvaluationFilter{Independent: &no}, "156", 0},
			{"year and independent", tcmis.EvaluationFilter{Year: year(2005), Independent: &yes}, "4", 0},
			{"year and not independent", tcmis.EvaluationFilter{Year: year(2006), Independent: &no}, "", 0},
			{"independent of a type that is not", tcmis.EvaluationFilter{Type: &self, Independent: &yes}, "", 0},
			{"a page of a year", tcmis.EvaluationFilter{Year: year(2005), Offset: 1, Limit: 1}, "1", 3},
			{"a page of the independent", tcmis.EvaluationFilter{Independent: &yes, Offset: 2, Limit: 2}, "3", 3},
		}
		for _, tt := range tests {
			got, total := keys(tt.f)
			wantTotal := tt.total
			if wantTotal == 0 {
				wantTotal = len(tt.want)
			}
			if got != tt.want || total != wantTotal {
				t.Errorf("%s: got %q of %d, want %q of %d", tt.name, got, total, tt.want, wantTotal)
			}
		}

		// Every year and choice: the store keeps what the domain rules keep.
		for y := 2003; y <= 2008; y++ {
			for _, ind := range []*bool{nil, &yes, &no} {
				var want string
				for _, k := range []string{"4", "2", "1", "5", "3", "6"} { // by planned date
					e := es[k]
					if e.Year() == y && (ind == nil || e.Type.Independent() == *ind) {
						want += k
					}
				}
				if got, _ := keys(tcmis.EvaluationFilter{Year: year(y), Independent: ind}); got != want {
					t.Errorf("year %d, independent %s: got %q, want %q", y, boolLabel(ind), got, want)
				}
			}
		}
	})
}

// boolLabel names an optional choice: true, false or any.
func boolLabel(b *bool) string {
	if b == nil {
		return "any"
	}
	return fmt.Sprint(*b)
}

func TestEvaluationLoad(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("loader")
		project := insertProjectRow(t, db, "INT/04/01/NET")
		var es []*tcmis.Evaluation
		var ls []*tcmis.Lesson
		err := db.Load(ctx, "evaluations.xlsx", func(l tcmis.Loader) error {
			es = []*tcmis.Evaluation{
				{Title: "Mid-term", Subject: tcmis.SubjectProject, ProjectID: project, Type: tcmis.SelfEvaluation, Timing: tcmis.MidTerm,
					Planned: ymd(2005, 6, 1), Actual: ymd(2005, 7, 1), Status: tcmis.EvaluationDone, Ratings: tcmis.Ratings{Relevance: 6},
					Constituents: tcmis.AllConstituents, Budget: 1, Evaluator: "E", Summary: "S"},
				{Title: "Child labour", Subject: tcmis.SubjectTheme, Theme: "child labour", Type: tcmis.ThematicEvaluation, Timing: tcmis.ExPost,
					Planned: ymd(2006, 1, 1), Status: tcmis.EvaluationPlanned},
			}
			if err := l.CreateEvaluations(es); err != nil {
				return err
			}
			ls = []*tcmis.Lesson{{EvaluationID: es[0].ID, Kind: tcmis.GoodPractice, Title: "Tripartite steering", Text: "Worked well.", Country: "ID", Objective: tcmis.SocialDialogue, Theme: "dialogue", Assistance: tcmis.Training}}
			return l.CreateLessons(ls)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := db.FindEvaluations(ctx, tcmis.EvaluationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		mustEqualRecord(t, got, es)
		gotLs, _, _ := db.FindLessons(ctx, tcmis.LessonFilter{})
		mustEqualRecord(t, gotLs, ls)
		mustAudit(t, db, "evaluation", 0, tcmis.ActionImport)
		mustAudit(t, db, "lesson", 0, tcmis.ActionImport)

		// A lesson of a missing evaluation refuses the whole load.
		err = db.Load(ctx, "bad.xlsx", func(l tcmis.Loader) error {
			e := &tcmis.Evaluation{Title: "New", Subject: tcmis.SubjectTheme, Theme: "t", Type: tcmis.SelfEvaluation, Timing: tcmis.Final,
				Planned: ymd(2007, 1, 1), Status: tcmis.EvaluationPlanned}
			if err := l.CreateEvaluations([]*tcmis.Evaluation{e}); err != nil {
				return err
			}
			return l.CreateLessons([]*tcmis.Lesson{
				{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: "ok", Text: "ok"},
				{EvaluationID: e.ID + 100, Kind: tcmis.LessonLearned, Title: "lost", Text: "lost"},
			})
		})
		mustProblems(t, err, tcmis.EINVALID, "lessons[1].evaluation_id")
		err = db.Load(ctx, "bad.xlsx", func(l tcmis.Loader) error {
			return l.CreateEvaluations([]*tcmis.Evaluation{
				{Title: "No project", Subject: tcmis.SubjectProject, ProjectID: project + 1000, Type: tcmis.SelfEvaluation, Timing: tcmis.Final, Planned: ymd(2007, 1, 1), Status: tcmis.EvaluationPlanned},
			})
		})
		mustProblems(t, err, tcmis.EINVALID, "evaluations[0].project_id")
		mustFind(t, "evaluations after refused loads", 2, 2)(db.FindEvaluations(ctx, tcmis.EvaluationFilter{}))
		mustFind(t, "lessons after refused loads", 1, 1)(db.FindLessons(ctx, tcmis.LessonFilter{}))
	})
}

// TestEvaluationsOpenAndOverdue: the store selects and counts the
// evaluations still to be done and those overdue on a day by the
// domain's rules (EvaluationStatus.Open, Evaluation.Overdue), a moment
// within a day included.
func TestEvaluationsOpenAndOverdue(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		project := insertProjectRow(t, db, "RAS/05/51/JPN")
		for i, st := range []tcmis.EvaluationStatus{tcmis.EvaluationPlanned, tcmis.EvaluationUnderway, tcmis.EvaluationDone, tcmis.EvaluationCancelled} {
			for j, planned := range []time.Time{ymd(2005, 6, 29), ymd(2005, 6, 30), ymd(2005, 7, 1)} {
				e := &tcmis.Evaluation{Title: fmt.Sprintf("Evaluation %d.%d", i, j), Subject: tcmis.SubjectProject, ProjectID: project,
					Type: tcmis.SelfEvaluation, Timing: tcmis.MidTerm, Planned: planned, Status: st}
				if st == tcmis.EvaluationDone {
					e.Actual = planned
				}
				if err := db.CreateEvaluation(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		all, _, err := db.FindEvaluations(ctx, tcmis.EvaluationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, open := range []bool{true, false} {
			var want []int64
			for _, e := range all {
				if e.Status.Open() == open {
					want = append(want, e.ID)
				}
			}
			got, n, err := db.FindEvaluations(ctx, tcmis.EvaluationFilter{Open: &open, Limit: 2})
			if err != nil || n != len(want) || len(got) != 2 || got[0].ID != want[0] || got[1].ID != want[1] {
				t.Errorf("open %v: %d evaluations, first %v (%v); want %d, first %v", open, n, got, err, len(want), want[:2])
			}
		}
		for _, day := range []time.Time{ymd(2005, 6, 29), ymd(2005, 6, 30), ymd(2005, 6, 30).Add(9 * time.Hour), ymd(2005, 7, 2)} {
			want := 0
			for _, e := range all {
				if e.Overdue(day) {
					want++
				}
			}
			n, err := db.CountEvaluations(ctx, tcmis.EvaluationFilter{OverdueOn: &day, ProjectID: &project})
			if err != nil || n != want {
				t.Errorf("overdue on %s: %d (%v), want %d", day, n, err, want)
			}
		}
	})
}
