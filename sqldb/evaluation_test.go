package sqldb_test

import (
	"testing"

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
