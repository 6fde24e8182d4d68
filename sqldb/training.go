package sqldb

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

var trainingFields = []string{"year", "kind", "title", "project_id", "country", "employers", "workers", "governments", "others", "women"}

var trainingColumns = "id, " + columnList(trainingFields) + ", version"

// FindTraining returns the training activities that match f, by year and
// title, and how many match in all.
func (db *DB) FindTraining(ctx context.Context, f tcmis.TrainingFilter) ([]*tcmis.TrainingActivity, int, error) {
	var (
		ts []*tcmis.TrainingActivity
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		ts, n, err = findTraining(tx, f)
		return err
	})
	return ts, n, err
}

// CreateTraining stores training activities, all or none, and sets their
// IDs.
func (db *DB) CreateTraining(ctx context.Context, ts []*tcmis.TrainingActivity) error {
	return db.load(ctx, func(l *loader) error { return l.CreateTraining(ts) })
}

// UpdateTraining saves t unless someone changed it since it was read.
func (db *DB) UpdateTraining(ctx context.Context, t *tcmis.TrainingActivity) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findTrainingByID(tx, t.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("training", t.ID, t.Version, "training activity"); err != nil {
			return err
		}
		if err := trainingRefs(t, "").check(tx, "training activity "+t.Title); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE training SET `+columnSets(trainingFields)+` WHERE id = ?`, append(trainingValues(t), t.ID)...); err != nil {
			return constraintError(err, "training activity "+t.Title)
		}
		t.Version = old.Version + 1
		return tx.audit("training", t.ID, tcmis.ActionUpdate, old, t)
	})
}

// DeleteTraining removes a training activity.
func (db *DB) DeleteTraining(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findTrainingByID(tx, id)
		if err != nil {
			return err
		}
		return tx.remove("training", "training", id, old)
	})
}

// CreateTraining stores many training activities at once.
func (l *loader) CreateTraining(ts []*tcmis.TrainingActivity) error {
	if err := validateAll("training", ts); err != nil {
		return err
	}
	var refs refSet
	for i, t := range ts {
		refs.addAll(trainingRefs(t, bulkField("training", i, "")))
	}
	if err := refs.check(l.tx, "the batch of training activities"); err != nil {
		return err
	}
	ids, err := l.copyNew("training", "training", "training activities", trainingFields, len(ts), func(i int) []any {
		return trainingValues(ts[i])
	})
	if err != nil {
		return err
	}
	for i, t := range ts {
		t.ID, t.Version = ids[i], 1
	}
	return nil
}

func trainingRefs(t *tcmis.TrainingActivity, prefix string) *refSet {
	var refs refSet
	refs.add("projects", "project", prefix+"project_id", t.ProjectID)
	return &refs
}

// trainingValues returns the values of trainingFields.
func trainingValues(t *tcmis.TrainingActivity) []any {
	p := t.Participants
	return []any{int64(t.Year), string(t.Kind), t.Title, nullID(t.ProjectID), t.Country,
		int64(p.Employers), int64(p.Workers), int64(p.Governments), int64(p.Others), int64(p.Women)}
}

func findTrainingByID(tx *Tx, id int64) (*tcmis.TrainingActivity, error) {
	var w where
	w.add("id = ?", id)
	ts, _, err := queryTraining(tx, &w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(ts) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "training activity %d not found", id)
	}
	return ts[0], nil
}

func findTraining(tx *Tx, f tcmis.TrainingFilter) ([]*tcmis.TrainingActivity, int, error) {
	var w where
	if f.Year != nil {
		w.add("year = ?", int64(*f.Year))
	}
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	}
	if f.Country != nil {
		w.add("country = ?", strings.ToUpper(strings.TrimSpace(*f.Country)))
	}
	return queryTraining(tx, &w, f.Offset, f.Limit)
}

func queryTraining(tx *Tx, w *where, offset, limit int) ([]*tcmis.TrainingActivity, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM training`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+trainingColumns+` FROM training`+w.String()+` ORDER BY year, title, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.TrainingActivity
	for rows.Next() {
		var t tcmis.TrainingActivity
		p := &t.Participants
		if err := rows.Scan(&t.ID, &t.Year, &t.Kind, &t.Title, scanID(&t.ProjectID), &t.Country,
			&p.Employers, &p.Workers, &p.Governments, &p.Others, &p.Women, &t.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &t)
	}
	return out, total, rows.Err()
}

// FindTrainingByID returns a training activity, or ENOTFOUND.
func (db *DB) FindTrainingByID(ctx context.Context, id int64) (*tcmis.TrainingActivity, error) {
	var t *tcmis.TrainingActivity
	err := db.view(ctx, func(tx *Tx) (err error) {
		t, err = findTrainingByID(tx, id)
		return err
	})
	return t, err
}
