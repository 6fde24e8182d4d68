package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tcmis/tcmis"
)

// The delivery control system: a month's snapshot is a row of
// delivery_snapshots with its lines in delivery_snapshot_rows, taken again
// whole when the month is taken again; thresholds are in
// delivery_thresholds, one per scope and unit (scope_key).

var snapshotRowColumns = []string{"snapshot_id", "position", "scope", "project_id", "unit_id", "office_id", "allocated", "spent_month", "spent_ytd", "forecast", "projects"}

// snapshotSummary is what the audit trail keeps of a snapshot: its size,
// not its thousands of lines.
type snapshotSummary struct {
	Year     int    `json:"year"`
	Month    int    `json:"month"`
	Rows     int    `json:"rows"`
	TakenAt  string `json:"taken_at"`
	Projects int    `json:"projects"`
}

func summarise(s *tcmis.DeliverySnapshot) *snapshotSummary {
	sum := &snapshotSummary{Year: s.Year, Month: s.Month, Rows: len(s.Rows), TakenAt: s.TakenAt.Format("2006-01-02T15:04:05Z07:00")}
	for _, r := range s.Rows {
		if r.Scope == tcmis.ScopeProject {
			sum.Projects++
		}
	}
	return sum
}

// TakeDeliverySnapshot computes the delivery of every project with
// allocations or expenditure in the year, and of their lead units and
// offices, at the end of a month, and stores it in place of an earlier
// snapshot of the month.
func (db *DB) TakeDeliverySnapshot(ctx context.Context, year, month int) (*tcmis.DeliverySnapshot, error) {
	if month < 1 || month > 12 || year < 1950 || year > 2100 {
		return nil, tcmis.Errorf(tcmis.EINVALID, "%s is not a month a snapshot can be taken of", tcmis.MonthString(year, month))
	}
	var snap *tcmis.DeliverySnapshot
	err := db.update(ctx, func(tx *Tx) error {
		projects, err := deliveryProjects(tx, year, month)
		if err != nil {
			return err
		}
		snap = &tcmis.DeliverySnapshot{Year: year, Month: month, TakenAt: stampNow(tx), Actor: tx.actor.Name, Rows: tcmis.BuildSnapshot(month, projects)}
		old, err := findSnapshot(tx, year, month)
		switch {
		case err == nil:
			if err := tx.bump("delivery_snapshots", old.ID, old.Version, "delivery snapshot"); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE delivery_snapshots SET taken_at = ?, actor = ? WHERE id = ?`, tx.stamp(snap.TakenAt), snap.Actor, old.ID); err != nil {
				return err
			}
			if _, err := tx.exec(`DELETE FROM delivery_snapshot_rows WHERE snapshot_id = ?`, old.ID); err != nil {
				return err
			}
			snap.ID, snap.Version = old.ID, old.Version+1
			if err := tx.audit("delivery-snapshot", snap.ID, tcmis.ActionUpdate, summarise(old), summarise(snap)); err != nil {
				return err
			}
		case tcmis.ErrorCode(err) == tcmis.ENOTFOUND:
			id, err := tx.insert(`INSERT INTO delivery_snapshots (year, month, taken_at, actor, version) VALUES (?, ?, ?, ?, 1)`, year, month, tx.stamp(snap.TakenAt), snap.Actor)
			if err != nil {
				return constraintError(err, "the delivery snapshot of "+tcmis.MonthString(year, month))
			}
			snap.ID, snap.Version = id, 1
			if err := tx.audit("delivery-snapshot", snap.ID, tcmis.ActionCreate, nil, summarise(snap)); err != nil {
				return err
			}
		default:
			return err
		}
		return tx.copyRows("delivery_snapshot_rows", snapshotRowColumns, len(snap.Rows), func(i int) []any {
			r := snap.Rows[i]
			return []any{snap.ID, int64(i), string(r.Scope), nullID(r.ProjectID), nullID(r.UnitID), nullID(r.OfficeID),
				r.Allocated, r.SpentMonth, r.SpentYTD, r.Forecast, int64(r.Projects)}
		})
	})
	return snap, err
}

// deliveryProjects reads, for every project with allocations or
// expenditure in the year, its units, its allocations for the year and
// its expenditure of each month up to month.
func deliveryProjects(tx *Tx, year, month int) ([]tcmis.DeliveryProject, error) {
	byID := map[int64]*tcmis.DeliveryProject{}
	get := func(id int64) *tcmis.DeliveryProject {
		p := byID[id]
		if p == nil {
			p = &tcmis.DeliveryProject{ProjectID: id}
			byID[id] = p
		}
		return p
	}
	// The casts keep PostgreSQL from widening the sums to NUMERIC.
	rows, err := tx.query(`SELECT project_id, CAST(SUM(usd) AS BIGINT) FROM allocations WHERE year = ? GROUP BY project_id`, year)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, usd int64
		if err := rows.Scan(&id, &usd); err != nil {
			rows.Close()
			return nil, err
		}
		get(id).Allocated = usd
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	rows, err = tx.query(`SELECT project_id, month, CAST(SUM(usd) AS BIGINT) FROM expenditures WHERE year = ? AND month <= ? GROUP BY project_id, month`, year, month)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, usd int64
		var m int
		if err := rows.Scan(&id, &m, &usd); err != nil {
			rows.Close()
			return nil, err
		}
		get(id).Monthly[m-1] = usd
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	err = eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT id, lead_unit_id, office_id FROM projects WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var unit, office int64
			if err := rows.Scan(&id, &unit, scanID(&office)); err != nil {
				return err
			}
			byID[id].UnitID, byID[id].OfficeID = unit, office
		}
		return rows.Err()
	})
	out := make([]tcmis.DeliveryProject, 0, len(byID))
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	return out, err
}

// FindDeliverySnapshot returns the snapshot of a month, or ENOTFOUND.
func (db *DB) FindDeliverySnapshot(ctx context.Context, year, month int) (*tcmis.DeliverySnapshot, error) {
	var s *tcmis.DeliverySnapshot
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, err = findSnapshot(tx, year, month)
		return err
	})
	return s, err
}

func findSnapshot(tx *Tx, year, month int) (*tcmis.DeliverySnapshot, error) {
	s := &tcmis.DeliverySnapshot{Year: year, Month: month}
	err := tx.queryRow(`SELECT id, taken_at, actor, version FROM delivery_snapshots WHERE year = ? AND month = ?`, year, month).
		Scan(&s.ID, scanTime(&s.TakenAt), &s.Actor, &s.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "there is no delivery snapshot of %s: take one (tcmis delivery snapshot --month %s)", tcmis.MonthString(year, month), tcmis.MonthString(year, month))
	} else if err != nil {
		return nil, err
	}
	rows, err := tx.query(`SELECT scope, project_id, unit_id, office_id, allocated, spent_month, spent_ytd, forecast, projects
		FROM delivery_snapshot_rows WHERE snapshot_id = ? ORDER BY position`, s.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r tcmis.DeliveryRow
		if err := rows.Scan(&r.Scope, scanID(&r.ProjectID), scanID(&r.UnitID), scanID(&r.OfficeID), &r.Allocated, &r.SpentMonth, &r.SpentYTD, &r.Forecast, &r.Projects); err != nil {
			return nil, err
		}
		s.Rows = append(s.Rows, r)
	}
	return s, rows.Err()
}

// FindDeliveryThresholds returns every threshold, by scope and unit.
func (db *DB) FindDeliveryThresholds(ctx context.Context) ([]*tcmis.DeliveryThreshold, error) {
	var out []*tcmis.DeliveryThreshold
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, err = findThresholds(tx, &where{})
		return err
	})
	return out, err
}

// SetDeliveryThreshold stores the threshold of t's scope and unit,
// replacing the one set before, and sets t's ID and version.
func (db *DB) SetDeliveryThreshold(ctx context.Context, t *tcmis.DeliveryThreshold) error {
	if err := t.Validate(); err != nil {
		return err
	}
	c := *t
	err := db.update(ctx, func(tx *Tx) error {
		if c.UnitID != 0 {
			u, err := findUnitByID(tx, c.UnitID)
			if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
				return tcmis.Errorf(tcmis.EINVALID, "there is no unit with id %d", c.UnitID)
			} else if err != nil {
				return err
			}
			if c.Scope == tcmis.ScopeOffice && !u.IsField() {
				return tcmis.Errorf(tcmis.EINVALID, "%s is not an office: set its threshold for the unit scope", u.Code)
			}
		}
		key := thresholdKey(&c)
		var w where
		w.add("scope_key = ?", key)
		old, err := findThresholds(tx, &w)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			id, err := tx.insert(`INSERT INTO delivery_thresholds (scope, unit_id, scope_key, rate, version) VALUES (?, ?, ?, ?, 1)`,
				string(c.Scope), nullID(c.UnitID), key, int64(c.Rate))
			if err != nil {
				return constraintError(err, "a delivery threshold for "+key)
			}
			c.ID, c.Version = id, 1
			return tx.audit("delivery-threshold", id, tcmis.ActionCreate, nil, &c)
		}
		prev := old[0]
		if err := tx.bump("delivery_thresholds", prev.ID, prev.Version, "delivery threshold"); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE delivery_thresholds SET rate = ? WHERE id = ?`, int64(c.Rate), prev.ID); err != nil {
			return err
		}
		c.ID, c.Version = prev.ID, prev.Version+1
		return tx.audit("delivery-threshold", c.ID, tcmis.ActionUpdate, prev, &c)
	})
	if err == nil {
		*t = c
	}
	return err
}

// DeleteDeliveryThreshold removes a threshold.
func (db *DB) DeleteDeliveryThreshold(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var w where
		w.add("id = ?", id)
		old, err := findThresholds(tx, &w)
		if err != nil {
			return err
		} else if len(old) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "delivery threshold %d not found", id)
		}
		return tx.remove("delivery_thresholds", "delivery-threshold", id, old[0])
	})
}

func thresholdKey(t *tcmis.DeliveryThreshold) string { return fmt.Sprintf("%s/%d", t.Scope, t.UnitID) }

func findThresholds(tx *Tx, w *where) ([]*tcmis.DeliveryThreshold, error) {
	rows, err := tx.query(`SELECT id, scope, unit_id, rate, version FROM delivery_thresholds`+w.String()+` ORDER BY scope, unit_id, id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tcmis.DeliveryThreshold
	for rows.Next() {
		var t tcmis.DeliveryThreshold
		if err := rows.Scan(&t.ID, &t.Scope, scanID(&t.UnitID), &t.Rate, &t.Version); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

// DeliveryAlerts returns the lines of a month's snapshot (the latest, when
// f.Year is 0) whose year-end forecast is below their threshold, with the
// trend since the snapshot of the month before, when there is one.
func (db *DB) DeliveryAlerts(ctx context.Context, f tcmis.AlertFilter) ([]tcmis.DeliveryAlert, error) {
	var out []tcmis.DeliveryAlert
	err := db.view(ctx, func(tx *Tx) error {
		if f.Year == 0 {
			err := tx.queryRow(`SELECT year, month FROM delivery_snapshots ORDER BY year DESC, month DESC`+tx.page("", 0, 1)).Scan(&f.Year, &f.Month)
			if errors.Is(err, sql.ErrNoRows) {
				return tcmis.Errorf(tcmis.ENOTFOUND, "no delivery snapshot has been taken: take one (tcmis delivery snapshot --month YYYY-MM)")
			} else if err != nil {
				return err
			}
		}
		cur, err := findSnapshot(tx, f.Year, f.Month)
		if err != nil {
			return err
		}
		var prev *tcmis.DeliverySnapshot
		if f.Month > 1 {
			if prev, err = findSnapshot(tx, f.Year, f.Month-1); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
				return err
			}
		}
		ts, err := findThresholds(tx, &where{})
		if err != nil {
			return err
		}
		if len(ts) == 0 && f.Threshold == nil {
			return tcmis.Errorf(tcmis.EINVALID, "no delivery thresholds are set: set them (tcmis delivery threshold set) or give one for this list (--threshold 60)")
		}
		for _, a := range tcmis.Alerts(cur, prev, ts, f.Threshold) {
			if f.Scope == nil || a.Scope == *f.Scope {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}
