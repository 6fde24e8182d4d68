package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/klauspost/compress/s2"

	"github.com/tcmis/tcmis"
)

// The record of IATI imports and checks (migration 0010): one row per
// run, its report compressed with S2 as the activities' documents are.
// A run is a log of what the application did, not a record of the
// programme: the audit trail does not list it (an import's changes are
// in the audit trail already).

var _ tcmis.IATIRunService = (*DB)(nil)

// CreateIATIRun records a run as it starts.
func (db *DB) CreateIATIRun(ctx context.Context, r *tcmis.IATIRun) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := findUserByID(tx, r.UserID); err != nil {
			return err
		}
		if r.Started.IsZero() {
			r.Started = tx.now
		}
		r.Started = instant(r.Started)
		id, err := tx.insert(`INSERT INTO iati_runs (kind, file, bytes, user_id, started_at) VALUES (?, ?, ?, ?, ?)`,
			r.Kind, r.File, r.Bytes, r.UserID, tx.moment(r.Started))
		if err != nil {
			return err
		}
		r.ID = id
		return nil
	})
}

// FinishIATIRun records how a run ended. A run ends once.
func (db *DB) FinishIATIRun(ctx context.Context, r *tcmis.IATIRun) error {
	switch r.Outcome {
	case tcmis.IATIImported, tcmis.IATIRefused, tcmis.IATIValid, tcmis.IATIInvalid, tcmis.IATIFailed:
	default:
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "IATI run is not valid", Problems: []tcmis.Problem{{Field: "outcome", Message: fmt.Sprintf("%q is not how a run ends", r.Outcome)}}}
	}
	return db.update(ctx, func(tx *Tx) error {
		if r.Finished.IsZero() {
			r.Finished = tx.now
		}
		r.Finished = instant(r.Finished)
		var report any
		if r.Report != nil {
			report = s2.Encode(nil, r.Report)
		}
		res, err := tx.exec(`UPDATE iati_runs SET finished_at = ?, outcome = ?, report = ? WHERE id = ? AND finished_at IS NULL`,
			tx.moment(r.Finished), r.Outcome, report, r.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := findIATIRun(tx, r.ID, false); err != nil {
				return err
			}
			return tcmis.Errorf(tcmis.ECONFLICT, "IATI run %d has already ended", r.ID)
		}
		return nil
	})
}

// FindIATIRunByID returns a run with its report.
func (db *DB) FindIATIRunByID(ctx context.Context, id int64) (*tcmis.IATIRun, error) {
	var r *tcmis.IATIRun
	err := db.view(ctx, func(tx *Tx) (err error) {
		r, err = findIATIRun(tx, id, true)
		return err
	})
	return r, err
}

// FindIATIRuns returns runs without their reports, newest first.
func (db *DB) FindIATIRuns(ctx context.Context, f tcmis.IATIRunFilter) ([]*tcmis.IATIRun, int, error) {
	var (
		out   []*tcmis.IATIRun
		total int
	)
	err := db.view(ctx, func(tx *Tx) error {
		var w where
		if f.UserID != nil {
			w.add("user_id = ?", *f.UserID)
		}
		var err error
		if total, err = tx.count(`SELECT COUNT(*) FROM iati_runs`+w.String(), w.args...); err != nil {
			return err
		}
		rows, err := tx.query(tx.page(`SELECT `+iatiRunColumns+`, NULL FROM iati_runs`+w.String()+` ORDER BY id DESC`, f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanIATIRun(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, total, err
}

const iatiRunColumns = "id, kind, file, bytes, user_id, started_at, finished_at, outcome"

func findIATIRun(tx *Tx, id int64, withReport bool) (*tcmis.IATIRun, error) {
	report := "NULL"
	if withReport {
		report = "report"
	}
	r, err := scanIATIRun(tx.queryRow(`SELECT `+iatiRunColumns+`, `+report+` FROM iati_runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "IATI run %d not found", id)
	}
	return r, err
}

func scanIATIRun(row interface{ Scan(...any) error }) (*tcmis.IATIRun, error) {
	r := &tcmis.IATIRun{}
	var report []byte
	if err := row.Scan(&r.ID, &r.Kind, &r.File, &r.Bytes, &r.UserID, scanTime(&r.Started), scanTime(&r.Finished), &r.Outcome, &report); err != nil {
		return nil, err
	}
	if report != nil {
		js, err := s2.Decode(nil, report)
		if err != nil {
			return nil, fmt.Errorf("report of IATI run %d: %w", r.ID, err)
		}
		r.Report = js
	}
	return r, nil
}
