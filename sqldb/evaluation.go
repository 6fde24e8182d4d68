package sqldb

import (
	"context"
	"slices"
	"time"

	"github.com/tcmis/tcmis"
)

var evaluationFields = []string{
	"title", "subject", "project_id", "programme_id", "theme", "type", "timing", "planned", "actual", "status",
	"relevance", "efficiency", "effectiveness", "impact", "sustainability", "constituents", "budget_usd", "evaluator", "summary",
}

var evaluationColumns = "id, " + columnList(evaluationFields) + ", version"

// FindEvaluationByID returns one evaluation, or ENOTFOUND.
func (db *DB) FindEvaluationByID(ctx context.Context, id int64) (*tcmis.Evaluation, error) {
	var e *tcmis.Evaluation
	err := db.view(ctx, func(tx *Tx) (err error) {
		e, err = findEvaluationByID(tx, id)
		return err
	})
	return e, err
}

// FindEvaluations returns the evaluations that match f, by planned date,
// and how many match in all.
func (db *DB) FindEvaluations(ctx context.Context, f tcmis.EvaluationFilter) ([]*tcmis.Evaluation, int, error) {
	var (
		es []*tcmis.Evaluation
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		es, n, err = findEvaluations(tx, f)
		return err
	})
	return es, n, err
}

// CountEvaluations returns how many evaluations match f.
func (db *DB) CountEvaluations(ctx context.Context, f tcmis.EvaluationFilter) (int, error) {
	var n int
	err := db.view(ctx, func(tx *Tx) (err error) {
		w := evaluationWhere(tx, f)
		n, err = tx.count(`SELECT COUNT(*) FROM evaluations`+w.String(), w.args...)
		return err
	})
	return n, err
}

// CreateEvaluation stores a new evaluation and sets its ID.
func (db *DB) CreateEvaluation(ctx context.Context, e *tcmis.Evaluation) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := evaluationRefs(e, "").check(tx, "evaluation "+e.Title); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO evaluations (`+columnList(evaluationFields)+`, version) VALUES (`+columnParams(len(evaluationFields))+`, 1)`,
			evaluationValues(tx, e)...)
		if err != nil {
			return constraintError(err, "evaluation "+e.Title)
		}
		e.ID, e.Version = id, 1
		tx.complianceTouch(e.ProjectID)
		return tx.audit("evaluation", id, tcmis.ActionCreate, nil, e)
	})
}

// UpdateEvaluation saves e unless someone changed it since it was read.
func (db *DB) UpdateEvaluation(ctx context.Context, e *tcmis.Evaluation) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findEvaluationByID(tx, e.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("evaluations", e.ID, e.Version, "evaluation"); err != nil {
			return err
		}
		if err := evaluationRefs(e, "").check(tx, "evaluation "+e.Title); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE evaluations SET `+columnSets(evaluationFields)+` WHERE id = ?`, append(evaluationValues(tx, e), e.ID)...); err != nil {
			return constraintError(err, "evaluation "+e.Title)
		}
		e.Version = old.Version + 1
		tx.complianceTouch(old.ProjectID, e.ProjectID)
		return tx.audit("evaluation", e.ID, tcmis.ActionUpdate, old, e)
	})
}

// DeleteEvaluation removes an evaluation with its lessons, recording each
// deletion in the audit trail.
func (db *DB) DeleteEvaluation(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findEvaluationByID(tx, id)
		if err != nil {
			return err
		}
		ls, _, err := findLessons(tx, tcmis.LessonFilter{EvaluationID: &id})
		if err != nil {
			return err
		}
		for _, l := range ls {
			if err := tx.remove("lessons", "lesson", l.ID, l); err != nil {
				return err
			}
		}
		tx.complianceTouch(old.ProjectID)
		return tx.remove("evaluations", "evaluation", id, old)
	})
}

// CreateEvaluations stores many evaluations at once.
func (l *loader) CreateEvaluations(es []*tcmis.Evaluation) error {
	if err := validateAll("evaluations", es); err != nil {
		return err
	}
	var refs refSet
	for i, e := range es {
		refs.addAll(evaluationRefs(e, bulkField("evaluations", i, "")))
	}
	if err := refs.check(l.tx, "the batch of evaluations"); err != nil {
		return err
	}
	ids, err := l.copyNew("evaluations", "evaluation", "evaluations", evaluationFields, len(es), func(i int) []any {
		return evaluationValues(l.tx, es[i])
	})
	if err != nil {
		return err
	}
	for i, e := range es {
		e.ID, e.Version = ids[i], 1
		l.tx.complianceTouch(e.ProjectID)
	}
	return nil
}

// evaluationRefs lists the project and programme e refers to; prefix
// goes before the field names.
func evaluationRefs(e *tcmis.Evaluation, prefix string) *refSet {
	var refs refSet
	refs.add("projects", "project", prefix+"project_id", e.ProjectID)
	refs.add("programmes", "country programme", prefix+"programme_id", e.ProgrammeID)
	return &refs
}

// evaluationValues returns the values of evaluationFields.
func evaluationValues(tx *Tx, e *tcmis.Evaluation) []any {
	r := e.Ratings
	return []any{
		e.Title, string(e.Subject), nullID(e.ProjectID), nullID(e.ProgrammeID), e.Theme, string(e.Type), string(e.Timing),
		tx.date(e.Planned), tx.optDate(e.Actual), string(e.Status),
		int64(r.Relevance), int64(r.Efficiency), int64(r.Effectiveness), int64(r.Impact), int64(r.Sustainability),
		int64(e.Constituents), e.Budget, e.Evaluator, e.Summary,
	}
}

func findEvaluationByID(tx *Tx, id int64) (*tcmis.Evaluation, error) {
	es, _, err := findEvaluations(tx, tcmis.EvaluationFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(es) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "evaluation %d not found", id)
	}
	return es[0], nil
}

func findEvaluations(tx *Tx, f tcmis.EvaluationFilter) ([]*tcmis.Evaluation, int, error) {
	w := evaluationWhere(tx, f)
	total, err := tx.count(`SELECT COUNT(*) FROM evaluations`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+evaluationColumns+` FROM evaluations`+w.String()+` ORDER BY planned, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Evaluation
	for rows.Next() {
		var e tcmis.Evaluation
		r := &e.Ratings
		var constituents int64
		if err := rows.Scan(&e.ID, &e.Title, &e.Subject, scanID(&e.ProjectID), scanID(&e.ProgrammeID), &e.Theme, &e.Type, &e.Timing,
			scanTime(&e.Planned), scanTime(&e.Actual), &e.Status,
			&r.Relevance, &r.Efficiency, &r.Effectiveness, &r.Impact, &r.Sustainability,
			&constituents, &e.Budget, &e.Evaluator, &e.Summary, &e.Version); err != nil {
			return nil, 0, err
		}
		e.Constituents = tcmis.Constituents(constituents)
		out = append(out, &e)
	}
	return out, total, rows.Err()
}

// evaluationWhere is the condition that selects the evaluations of f.
func evaluationWhere(tx *Tx, f tcmis.EvaluationFilter) where {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	}
	if f.ProgrammeID != nil {
		w.add("programme_id = ?", *f.ProgrammeID)
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	if f.Type != nil {
		w.add("type = ?", string(*f.Type))
	}
	if f.Year != nil {
		// Evaluation.Year: the actual date, else the planned one; a
		// range of days rather than a year function, the same on both
		// engines.
		w.add("COALESCE(actual, planned) >= ? AND COALESCE(actual, planned) < ?",
			tx.date(time.Date(*f.Year, 1, 1, 0, 0, 0, 0, time.UTC)), tx.date(time.Date(*f.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	if f.Independent != nil {
		types := tcmis.IndependentTypes()
		args := make([]any, len(types))
		for i, t := range types {
			args[i] = string(t)
		}
		not := ""
		if !*f.Independent {
			not = "NOT "
		}
		w.add("type "+not+"IN "+inList(len(types)), args...)
	}
	open := tcmis.OpenEvaluationStatuses()
	openArgs := make([]any, len(open))
	for i, s := range open {
		openArgs[i] = string(s)
	}
	if f.Open != nil {
		not := ""
		if !*f.Open {
			not = "NOT "
		}
		w.add("status "+not+"IN "+inList(len(open)), openArgs...)
	}
	if f.OverdueOn != nil {
		// Evaluation.Overdue: open, and planned before the day. Planned
		// dates are days (midnight UTC), so a planned day is before a
		// moment within a day when it is before the next midnight.
		day := f.OverdueOn.UTC()
		cut := day.Truncate(24 * time.Hour)
		if !cut.Equal(day) {
			cut = cut.Add(24 * time.Hour)
		}
		w.add("status IN "+inList(len(open))+" AND planned < ?", append(slices.Clone(openArgs), tx.date(cut))...)
	}
	return w
}
