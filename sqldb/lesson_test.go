package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestLessons(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		e := &tcmis.Evaluation{Title: "Social dialogue review", Subject: tcmis.SubjectTheme, Theme: "dialogue", Type: tcmis.ThematicEvaluation,
			Timing: tcmis.ExPost, Planned: ymd(2005, 3, 1), Status: tcmis.EvaluationPlanned}
		if err := db.CreateEvaluation(ctx, e); err != nil {
			t.Fatal(err)
		}

		mustProblems(t, db.CreateLesson(ctx, &tcmis.Lesson{EvaluationID: 31337, Kind: tcmis.LessonLearned, Title: "t", Text: "x"}), tcmis.EINVALID, "evaluation_id")
		mustProblems(t, db.CreateLesson(ctx, &tcmis.Lesson{Kind: "tip", Objective: "so7", Country: "XX", Assistance: "cash"}), tcmis.EINVALID,
			"evaluation_id", "kind", "title", "text", "objective", "country", "assistance")

		l1 := &tcmis.Lesson{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: "Tripartite Committees need a budget",
			Text: "Without a secretariat the committee met twice.", Objective: tcmis.SocialDialogue, Country: "ID", Theme: "Dialogue", Assistance: tcmis.Subcontracts}
		l2 := &tcmis.Lesson{EvaluationID: e.ID, Kind: tcmis.GoodPractice, Title: "Peer review of labour inspection",
			Text: "Inspectors from two provinces reviewed each other: a TRIPARTITE board followed up. 100% of visits were reported.", Country: "PH"}
		l3 := &tcmis.Lesson{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: "Start early", Text: "Recruit staff before the inception_phase."}
		for _, l := range []*tcmis.Lesson{l1, l2, l3} {
			if err := db.CreateLesson(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		list, total, err := db.FindLessons(ctx, tcmis.LessonFilter{EvaluationID: &e.ID})
		if err != nil || total != 3 {
			t.Fatalf("lessons: %d, %v", total, err)
		}
		mustEqualRecord(t, list, []*tcmis.Lesson{l1, l2, l3})

		// Every word must appear, in the title or the text, in any case.
		for _, c := range []struct {
			search string
			want   []*tcmis.Lesson
		}{
			{"tripartite", []*tcmis.Lesson{l1, l2}},
			{"  TRIPARTITE   inspectors ", []*tcmis.Lesson{l2}},
			{"tripartite budget", []*tcmis.Lesson{l1}},
			{"tripartite nowhere", nil},
			{"100%", []*tcmis.Lesson{l2}},
			{"0%v", nil},
			{"inception_phase", []*tcmis.Lesson{l3}},
			{"inception_", []*tcmis.Lesson{l3}},
			{"of_labour", nil},
			{"", []*tcmis.Lesson{l1, l2, l3}},
		} {
			got, n, err := db.FindLessons(ctx, tcmis.LessonFilter{Search: c.search})
			if err != nil {
				t.Fatal(err)
			}
			if n != len(c.want) {
				t.Fatalf("search %q: %d lessons, want %d", c.search, n, len(c.want))
			}
			mustEqualRecord(t, got, c.want)
		}
		id, so4, theme := "ID", tcmis.SocialDialogue, "dialogue"
		mustFind(t, "country", 1, 1)(db.FindLessons(ctx, tcmis.LessonFilter{Country: &id}))
		mustFind(t, "objective", 1, 1)(db.FindLessons(ctx, tcmis.LessonFilter{Objective: &so4}))
		mustFind(t, "theme, any case", 1, 1)(db.FindLessons(ctx, tcmis.LessonFilter{Theme: &theme}))
		mustFind(t, "paged search", 2, 1)(db.FindLessons(ctx, tcmis.LessonFilter{Search: "tripartite", Offset: 1, Limit: 1}))

		a, stale := *l1, *l1
		a.Kind, a.Text = tcmis.GoodPractice, "With a secretariat it met monthly."
		if err := db.UpdateLesson(ctx, &a); err != nil {
			t.Fatal(err)
		}
		stale.Title = "Stale"
		mustCode(t, db.UpdateLesson(ctxAs("bob"), &stale), tcmis.ECONFLICT)
		list, _, _ = db.FindLessons(ctx, tcmis.LessonFilter{Search: "monthly"})
		mustEqualRecord(t, list, []*tcmis.Lesson{&a})
		a.EvaluationID = e.ID + 1
		mustProblems(t, db.UpdateLesson(ctx, &a), tcmis.EINVALID, "evaluation_id")
		mustAudit(t, db, "lesson", l1.ID, tcmis.ActionUpdate, tcmis.ActionCreate)

		if err := db.DeleteLesson(ctx, l1.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteLesson(ctx, l1.ID), tcmis.ENOTFOUND)
		mustAudit(t, db, "lesson", l1.ID, tcmis.ActionDelete, tcmis.ActionUpdate, tcmis.ActionCreate)
	})
}
