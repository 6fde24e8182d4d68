package api

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

// Evaluations, their lessons, and training activities.

func (h *Handler) evaluations() *resource[tcmis.Evaluation] {
	return &resource[tcmis.Evaluation]{
		name: "evaluation",
		ids:  func(v *tcmis.Evaluation) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"project", "integer", "id of the project evaluated"},
			{"programme", "integer", "id of the country programme evaluated"},
			{"status", "string", "planned, underway, completed or cancelled"},
			{"type", "string", "type of evaluation (self, internal-independent, ...)"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Evaluation, int, error) {
			f := tcmis.EvaluationFilter{ProjectID: q.id("project"), ProgrammeID: q.id("programme"),
				Status: parsed(q, "status", tcmis.ParseEvaluationStatus), Type: parsed(q, "type", tcmis.ParseEvaluationType),
				Offset: pg.Offset, Limit: pg.Limit}
			return func(ctx context.Context) ([]*tcmis.Evaluation, int, error) { return h.store.FindEvaluations(ctx, f) }
		},
		get:    h.store.FindEvaluationByID,
		create: h.store.CreateEvaluation,
		update: h.store.UpdateEvaluation,
		remove: h.store.DeleteEvaluation,
	}
}

func (h *Handler) lessons() *resource[tcmis.Lesson] {
	return &resource[tcmis.Lesson]{
		name: "lesson",
		ids:  func(v *tcmis.Lesson) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"evaluation", "integer", "id of the evaluation"},
			{"country", "string", "ISO 3166 country code"},
			{"objective", "string", "strategic objective"},
			{"theme", "string", "theme"},
			{"q", "string", "words in the title or text"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Lesson, int, error) {
			f := tcmis.LessonFilter{EvaluationID: q.id("evaluation"), Objective: parsed(q, "objective", tcmis.ParseObjective),
				Theme: q.text("theme"), Search: q.get("q"), Offset: pg.Offset, Limit: pg.Limit}
			if c := q.text("country"); c != nil {
				up := strings.ToUpper(*c)
				f.Country = &up
			}
			return func(ctx context.Context) ([]*tcmis.Lesson, int, error) { return h.store.FindLessons(ctx, f) }
		},
		get:    h.store.FindLessonByID,
		create: h.store.CreateLesson,
		update: h.store.UpdateLesson,
		remove: h.store.DeleteLesson,
	}
}

func (h *Handler) training() *resource[tcmis.TrainingActivity] {
	return &resource[tcmis.TrainingActivity]{
		name: "training activity",
		ids:  func(v *tcmis.TrainingActivity) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"year", "integer", "year"},
			{"project", "integer", "id of the project"},
			{"country", "string", "ISO 3166 country code"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.TrainingActivity, int, error) {
			f := tcmis.TrainingFilter{Year: q.int("year"), ProjectID: q.id("project"), Offset: pg.Offset, Limit: pg.Limit}
			if c := q.text("country"); c != nil {
				up := strings.ToUpper(*c)
				f.Country = &up
			}
			return func(ctx context.Context) ([]*tcmis.TrainingActivity, int, error) { return h.store.FindTraining(ctx, f) }
		},
		get: h.store.FindTrainingByID,
		create: func(ctx context.Context, v *tcmis.TrainingActivity) error {
			return oneOfBatch("training activity", h.store.CreateTraining(ctx, []*tcmis.TrainingActivity{v}))
		},
		update: h.store.UpdateTraining,
		remove: h.store.DeleteTraining,
	}
}
