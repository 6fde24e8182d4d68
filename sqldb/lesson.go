package sqldb

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

// A lesson's text is stored in the column body.
var lessonFields = []string{"evaluation_id", "kind", "title", "body", "objective", "country", "theme", "assistance"}

var lessonColumns = "id, " + columnList(lessonFields) + ", version"

// FindLessons returns the lessons that match f and how many match in all.
// Search keeps the lessons whose title or text contains every word of it,
// ignoring case.
func (db *DB) FindLessons(ctx context.Context, f tcmis.LessonFilter) ([]*tcmis.Lesson, int, error) {
	var (
		ls []*tcmis.Lesson
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		ls, n, err = findLessons(tx, f)
		return err
	})
	return ls, n, err
}

// CreateLesson stores a lesson drawn from an existing evaluation.
func (db *DB) CreateLesson(ctx context.Context, l *tcmis.Lesson) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := lessonRefs(l, "").check(tx, "lesson "+l.Title); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO lessons (`+columnList(lessonFields)+`, version) VALUES (`+columnParams(len(lessonFields))+`, 1)`, lessonValues(l)...)
		if err != nil {
			return constraintError(err, "lesson "+l.Title)
		}
		l.ID, l.Version = id, 1
		return tx.audit("lesson", id, tcmis.ActionCreate, nil, l)
	})
}

// UpdateLesson saves l unless someone changed it since it was read.
func (db *DB) UpdateLesson(ctx context.Context, l *tcmis.Lesson) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findLessonByID(tx, l.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("lessons", l.ID, l.Version, "lesson"); err != nil {
			return err
		}
		if err := lessonRefs(l, "").check(tx, "lesson "+l.Title); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE lessons SET `+columnSets(lessonFields)+` WHERE id = ?`, append(lessonValues(l), l.ID)...); err != nil {
			return constraintError(err, "lesson "+l.Title)
		}
		l.Version = old.Version + 1
		return tx.audit("lesson", l.ID, tcmis.ActionUpdate, old, l)
	})
}

// DeleteLesson removes a lesson.
func (db *DB) DeleteLesson(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findLessonByID(tx, id)
		if err != nil {
			return err
		}
		return tx.remove("lessons", "lesson", id, old)
	})
}

// CreateLessons stores many lessons at once.
func (l *loader) CreateLessons(ls []*tcmis.Lesson) error {
	if err := validateAll("lessons", ls); err != nil {
		return err
	}
	var refs refSet
	for i, x := range ls {
		refs.addAll(lessonRefs(x, bulkField("lessons", i, "")))
	}
	if err := refs.check(l.tx, "the batch of lessons"); err != nil {
		return err
	}
	ids, err := l.copyNew("lessons", "lesson", "lessons", lessonFields, len(ls), func(i int) []any {
		return lessonValues(ls[i])
	})
	if err != nil {
		return err
	}
	for i, x := range ls {
		x.ID, x.Version = ids[i], 1
	}
	return nil
}

func lessonRefs(l *tcmis.Lesson, prefix string) *refSet {
	var refs refSet
	refs.add("evaluations", "evaluation", prefix+"evaluation_id", l.EvaluationID)
	return &refs
}

// lessonValues returns the values of lessonFields.
func lessonValues(l *tcmis.Lesson) []any {
	return []any{l.EvaluationID, string(l.Kind), l.Title, l.Text, string(l.Objective), l.Country, l.Theme, string(l.Assistance)}
}

func findLessonByID(tx *Tx, id int64) (*tcmis.Lesson, error) {
	var w where
	w.add("id = ?", id)
	ls, _, err := queryLessons(tx, &w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(ls) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "lesson %d not found", id)
	}
	return ls[0], nil
}

func findLessons(tx *Tx, f tcmis.LessonFilter) ([]*tcmis.Lesson, int, error) {
	var w where
	if f.EvaluationID != nil {
		w.add("evaluation_id = ?", *f.EvaluationID)
	}
	if f.Country != nil {
		w.add("country = ?", strings.ToUpper(strings.TrimSpace(*f.Country)))
	}
	if f.Objective != nil {
		w.add("objective = ?", string(*f.Objective))
	}
	if f.Theme != nil {
		w.add("LOWER(theme) = ?", strings.ToLower(strings.TrimSpace(*f.Theme)))
	}
	for _, word := range strings.Fields(f.Search) {
		// LOWER and LIKE behave alike on both engines for ASCII letters;
		// '!' escapes the pattern characters a word may contain.
		pat := "%" + likeEscaper.Replace(strings.ToLower(word)) + "%"
		w.add(`(LOWER(title) LIKE ? ESCAPE '!' OR LOWER(body) LIKE ? ESCAPE '!')`, pat, pat)
	}
	return queryLessons(tx, &w, f.Offset, f.Limit)
}

var likeEscaper = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")

func queryLessons(tx *Tx, w *where, offset, limit int) ([]*tcmis.Lesson, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM lessons`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+lessonColumns+` FROM lessons`+w.String()+` ORDER BY evaluation_id, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Lesson
	for rows.Next() {
		var l tcmis.Lesson
		if err := rows.Scan(&l.ID, &l.EvaluationID, &l.Kind, &l.Title, &l.Text, &l.Objective, &l.Country, &l.Theme, &l.Assistance, &l.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &l)
	}
	return out, total, rows.Err()
}

// FindLessonByID returns a lesson, or ENOTFOUND.
func (db *DB) FindLessonByID(ctx context.Context, id int64) (*tcmis.Lesson, error) {
	var l *tcmis.Lesson
	err := db.view(ctx, func(tx *Tx) (err error) {
		l, err = findLessonByID(tx, id)
		return err
	})
	return l, err
}
