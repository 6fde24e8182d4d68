package sqldb

// Temporary stubs (helper C: results, programmes, evaluations, training, users). Delete each as it is implemented.

import (
	"context"
	"errors"

	"github.com/tcmis/tcmis"
)

var errTODOc = errors.New("not implemented")

func (db *DB) FindOutcomes(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Outcome, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateOutcome(ctx context.Context, o *tcmis.Outcome) error { return errTODOc }
func (db *DB) UpdateOutcome(ctx context.Context, o *tcmis.Outcome) error { return errTODOc }
func (db *DB) DeleteOutcome(ctx context.Context, id int64) error         { return errTODOc }
func (db *DB) FindIndicators(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Indicator, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateIndicator(ctx context.Context, i *tcmis.Indicator) error { return errTODOc }
func (db *DB) UpdateIndicator(ctx context.Context, i *tcmis.Indicator) error { return errTODOc }
func (db *DB) DeleteIndicator(ctx context.Context, id int64) error           { return errTODOc }
func (db *DB) FindTargets(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Target, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateTarget(ctx context.Context, t *tcmis.Target) error { return errTODOc }
func (db *DB) UpdateTarget(ctx context.Context, t *tcmis.Target) error { return errTODOc }
func (db *DB) DeleteTarget(ctx context.Context, id int64) error        { return errTODOc }
func (db *DB) FindResults(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Result, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateResult(ctx context.Context, r *tcmis.Result) error { return errTODOc }
func (db *DB) UpdateResult(ctx context.Context, r *tcmis.Result) error { return errTODOc }
func (db *DB) DeleteResult(ctx context.Context, id int64) error        { return errTODOc }
func (l *loader) CreateOutcomes(os []*tcmis.Outcome) error             { return errTODOc }
func (l *loader) CreateIndicators(is []*tcmis.Indicator) error         { return errTODOc }
func (l *loader) CreateTargets(ts []*tcmis.Target) error               { return errTODOc }
func (l *loader) CreateResults(rs []*tcmis.Result) error               { return errTODOc }

func (db *DB) FindProgrammeByID(ctx context.Context, id int64) (*tcmis.CountryProgramme, error) {
	return nil, errTODOc
}
func (db *DB) FindProgrammes(ctx context.Context, f tcmis.ProgrammeFilter) ([]*tcmis.CountryProgramme, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateProgramme(ctx context.Context, c *tcmis.CountryProgramme) error { return errTODOc }
func (db *DB) UpdateProgramme(ctx context.Context, c *tcmis.CountryProgramme) error { return errTODOc }
func (db *DB) DeleteProgramme(ctx context.Context, id int64) error                  { return errTODOc }
func (l *loader) CreateProgrammes(cs []*tcmis.CountryProgramme) error               { return errTODOc }

func (db *DB) FindEvaluationByID(ctx context.Context, id int64) (*tcmis.Evaluation, error) {
	return nil, errTODOc
}
func (db *DB) FindEvaluations(ctx context.Context, f tcmis.EvaluationFilter) ([]*tcmis.Evaluation, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateEvaluation(ctx context.Context, e *tcmis.Evaluation) error { return errTODOc }
func (db *DB) UpdateEvaluation(ctx context.Context, e *tcmis.Evaluation) error { return errTODOc }
func (db *DB) DeleteEvaluation(ctx context.Context, id int64) error            { return errTODOc }
func (db *DB) FindLessons(ctx context.Context, f tcmis.LessonFilter) ([]*tcmis.Lesson, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateLesson(ctx context.Context, l *tcmis.Lesson) error { return errTODOc }
func (db *DB) UpdateLesson(ctx context.Context, l *tcmis.Lesson) error { return errTODOc }
func (db *DB) DeleteLesson(ctx context.Context, id int64) error        { return errTODOc }
func (l *loader) CreateEvaluations(es []*tcmis.Evaluation) error       { return errTODOc }
func (l *loader) CreateLessons(ls []*tcmis.Lesson) error               { return errTODOc }

func (db *DB) FindTraining(ctx context.Context, f tcmis.TrainingFilter) ([]*tcmis.TrainingActivity, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateTraining(ctx context.Context, ts []*tcmis.TrainingActivity) error {
	return errTODOc
}
func (db *DB) UpdateTraining(ctx context.Context, t *tcmis.TrainingActivity) error { return errTODOc }
func (db *DB) DeleteTraining(ctx context.Context, id int64) error                  { return errTODOc }
func (l *loader) CreateTraining(ts []*tcmis.TrainingActivity) error                { return errTODOc }

func (db *DB) FindUserByID(ctx context.Context, id int64) (*tcmis.User, error) { return nil, errTODOc }
func (db *DB) FindUsers(ctx context.Context, f tcmis.UserFilter) ([]*tcmis.User, int, error) {
	return nil, 0, errTODOc
}
func (db *DB) CreateUser(ctx context.Context, u *tcmis.User) error { return errTODOc }
func (db *DB) UpdateUser(ctx context.Context, u *tcmis.User) error { return errTODOc }
func (db *DB) DeleteUser(ctx context.Context, id int64) error      { return errTODOc }
