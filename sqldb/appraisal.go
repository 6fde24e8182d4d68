package sqldb

import (
	"context"
	"fmt"

	"github.com/tcmis/tcmis"
)

// An appraisal is stored in appraisals, with its findings in
// appraisal_criteria and the lessons it considered in appraisal_lessons;
// both lists are replaced whole when it is saved. Only a project in
// appraisal has its appraisals written; once the project is approved they
// are part of its record.

var appraisalFields = []string{"project_id", "appraiser", "appraised_on", "mid_term_agreed", "evaluation_budget", "summary"}

var appraisalColumns = "id, " + columnList(appraisalFields) + ", version"

func appraisalValues(tx *Tx, a *tcmis.ProjectAppraisal) []any {
	return []any{a.ProjectID, a.Appraiser, tx.date(a.Date), a.MidTermAgreed, a.EvaluationBudget, a.Summary}
}

// FindAppraisals returns the appraisals that match f, latest first, and
// how many match in all.
func (db *DB) FindAppraisals(ctx context.Context, f tcmis.AppraisalFilter) ([]*tcmis.ProjectAppraisal, int, error) {
	var (
		out   []*tcmis.ProjectAppraisal
		total int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, total, err = findAppraisals(tx, f)
		return err
	})
	return out, total, err
}

// FindLatestAppraisal returns the appraisal that decides a project's
// approval: its latest by date, then by id.
func (db *DB) FindLatestAppraisal(ctx context.Context, projectID int64) (*tcmis.ProjectAppraisal, error) {
	var a *tcmis.ProjectAppraisal
	err := db.view(ctx, func(tx *Tx) (err error) {
		a, err = findLatestAppraisal(tx, projectID)
		return err
	})
	return a, err
}

// CreateAppraisal stores a new appraisal of a project in appraisal and
// sets its ID.
func (db *DB) CreateAppraisal(ctx context.Context, a *tcmis.ProjectAppraisal) error {
	if err := a.Validate(); err != nil {
		return err
	}
	c := cloneAppraisal(a)
	c.Date = calendarDay(c.Date)
	err := db.update(ctx, func(tx *Tx) error {
		if err := checkAppraisal(tx, c); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO appraisals (`+columnList(appraisalFields)+`, version) VALUES (`+columnParams(len(appraisalFields))+`, 1)`, appraisalValues(tx, c)...)
		if err != nil {
			return constraintError(err, "appraisal")
		}
		c.ID, c.Version = id, 1
		if err := writeAppraisalParts(tx, c); err != nil {
			return err
		}
		tx.complianceTouch(c.ProjectID)
		return tx.audit("appraisal", id, tcmis.ActionCreate, nil, c)
	})
	if err == nil {
		*a = *c
	}
	return err
}

// UpdateAppraisal saves a, replacing its findings and lessons, unless
// someone changed it since it was read or its project has left appraisal.
func (db *DB) UpdateAppraisal(ctx context.Context, a *tcmis.ProjectAppraisal) error {
	if err := a.Validate(); err != nil {
		return err
	}
	c := cloneAppraisal(a)
	c.Date = calendarDay(c.Date)
	err := db.update(ctx, func(tx *Tx) error {
		old, err := findAppraisalByID(tx, c.ID)
		if err != nil {
			return err
		}
		if old.ProjectID != c.ProjectID {
			return tcmis.Errorf(tcmis.EINVALID, "an appraisal stays with the project it appraised (project %d)", old.ProjectID)
		}
		if err := tx.bump("appraisals", c.ID, c.Version, "appraisal"); err != nil {
			return err
		}
		if err := checkAppraisal(tx, c); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE appraisals SET `+columnSets(appraisalFields)+` WHERE id = ?`, append(appraisalValues(tx, c), c.ID)...); err != nil {
			return constraintError(err, "appraisal")
		}
		if err := deleteAppraisalParts(tx, c.ID); err != nil {
			return err
		}
		if err := writeAppraisalParts(tx, c); err != nil {
			return err
		}
		c.Version = old.Version + 1
		tx.complianceTouch(c.ProjectID)
		return tx.audit("appraisal", c.ID, tcmis.ActionUpdate, old, c)
	})
	if err == nil {
		*a = *c
	}
	return err
}

// DeleteAppraisal removes an appraisal of a project still in appraisal.
func (db *DB) DeleteAppraisal(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findAppraisalByID(tx, id)
		if err != nil {
			return err
		}
		if err := checkAppraisal(tx, old); err != nil {
			return err
		}
		if err := deleteAppraisalParts(tx, id); err != nil {
			return err
		}
		tx.complianceTouch(old.ProjectID)
		return tx.remove("appraisals", "appraisal", id, old)
	})
}

// checkAppraisal checks that the project is in appraisal and that the
// lessons considered exist.
func checkAppraisal(tx *Tx, a *tcmis.ProjectAppraisal) error {
	p, err := findProjectByID(tx, a.ProjectID)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "appraisal is not valid", Problems: []tcmis.Problem{{Field: "project_id", Message: fmt.Sprintf("there is no project with id %d", a.ProjectID)}}}
	} else if err != nil {
		return err
	}
	if p.Status != tcmis.Appraisal {
		hint := ""
		if p.Status == tcmis.Proposal {
			hint = ": move it to appraisal first (tcmis project status " + p.Code + " appraisal)"
		}
		return tcmis.Errorf(tcmis.EINVALID, "project %s is %s: only a project in appraisal has its appraisals recorded or changed%s", p.Code, p.Status.Label(), hint)
	}
	var refs refSet
	for i, id := range a.LessonsConsidered {
		refs.add("lessons", "lesson", fmt.Sprintf("lessons_considered[%d]", i), id)
	}
	return refs.check(tx, "appraisal of project "+p.Code)
}

func writeAppraisalParts(tx *Tx, a *tcmis.ProjectAppraisal) error {
	for i, r := range a.Criteria {
		if _, err := tx.exec(`INSERT INTO appraisal_criteria (appraisal_id, position, criterion, mandatory, result, comment) VALUES (?, ?, ?, ?, ?, ?)`,
			a.ID, i, string(r.Criterion), r.Mandatory, string(r.Result), r.Comment); err != nil {
			return constraintError(err, "a finding on "+string(r.Criterion))
		}
	}
	for i, id := range a.LessonsConsidered {
		if _, err := tx.exec(`INSERT INTO appraisal_lessons (appraisal_id, position, lesson_id) VALUES (?, ?, ?)`, a.ID, i, id); err != nil {
			return constraintError(err, "a lesson considered")
		}
	}
	return nil
}

func deleteAppraisalParts(tx *Tx, id int64) error {
	if _, err := tx.exec(`DELETE FROM appraisal_criteria WHERE appraisal_id = ?`, id); err != nil {
		return err
	}
	_, err := tx.exec(`DELETE FROM appraisal_lessons WHERE appraisal_id = ?`, id)
	return err
}

func cloneAppraisal(a *tcmis.ProjectAppraisal) *tcmis.ProjectAppraisal {
	c := *a
	c.Criteria = append([]tcmis.CriterionResult(nil), a.Criteria...)
	c.LessonsConsidered = append([]int64(nil), a.LessonsConsidered...)
	return &c
}

func findAppraisalByID(tx *Tx, id int64) (*tcmis.ProjectAppraisal, error) {
	as, _, err := findAppraisals(tx, tcmis.AppraisalFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(as) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "appraisal %d not found", id)
	}
	return as[0], nil
}

func findLatestAppraisal(tx *Tx, projectID int64) (*tcmis.ProjectAppraisal, error) {
	as, _, err := findAppraisals(tx, tcmis.AppraisalFilter{ProjectID: &projectID, Limit: 1})
	if err != nil {
		return nil, err
	} else if len(as) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "project %d has no appraisal", projectID)
	}
	return as[0], nil
}

// latestAppraisals returns the latest appraisal of each of the projects
// that has one.
func latestAppraisals(tx *Tx, ids []int64) (map[int64]*tcmis.ProjectAppraisal, error) {
	out := map[int64]*tcmis.ProjectAppraisal{}
	err := eachChunk(ids, func(in string, args []any) error {
		var w where
		w.add("project_id IN ("+in+")", args...)
		as, err := queryAppraisals(tx, &w, 0, 0)
		if err != nil {
			return err
		}
		for _, a := range as { // latest first
			if out[a.ProjectID] == nil {
				out[a.ProjectID] = a
			}
		}
		return nil
	})
	return out, err
}

func findAppraisals(tx *Tx, f tcmis.AppraisalFilter) ([]*tcmis.ProjectAppraisal, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	}
	total, err := tx.count(`SELECT COUNT(*) FROM appraisals`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	as, err := queryAppraisals(tx, &w, f.Offset, f.Limit)
	return as, total, err
}

// queryAppraisals reads the appraisals w selects, latest first, with
// their findings and lessons.
func queryAppraisals(tx *Tx, w *where, offset, limit int) ([]*tcmis.ProjectAppraisal, error) {
	rows, err := tx.query(tx.page(`SELECT `+appraisalColumns+` FROM appraisals`+w.String()+` ORDER BY appraised_on DESC, id DESC`, offset, limit), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tcmis.ProjectAppraisal
	byID := map[int64]*tcmis.ProjectAppraisal{}
	var ids []int64
	for rows.Next() {
		var a tcmis.ProjectAppraisal
		if err := rows.Scan(&a.ID, &a.ProjectID, &a.Appraiser, scanTime(&a.Date), &a.MidTermAgreed, &a.EvaluationBudget, &a.Summary, &a.Version); err != nil {
			return nil, err
		}
		out = append(out, &a)
		byID[a.ID] = &a
		ids = append(ids, a.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	err = eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT appraisal_id, criterion, mandatory, result, comment FROM appraisal_criteria WHERE appraisal_id IN (`+in+`) ORDER BY appraisal_id, position`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var r tcmis.CriterionResult
			if err := rows.Scan(&id, &r.Criterion, &r.Mandatory, &r.Result, &r.Comment); err != nil {
				return err
			}
			byID[id].Criteria = append(byID[id].Criteria, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		rows, err = tx.query(`SELECT appraisal_id, lesson_id FROM appraisal_lessons WHERE appraisal_id IN (`+in+`) ORDER BY appraisal_id, position`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, lesson int64
			if err := rows.Scan(&id, &lesson); err != nil {
				return err
			}
			byID[id].LessonsConsidered = append(byID[id].LessonsConsidered, lesson)
		}
		return rows.Err()
	})
	return out, err
}
