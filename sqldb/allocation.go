package sqldb

import (
	"context"
	"time"

	"github.com/tcmis/tcmis"
)

const allocationColumns = `id, project_id, year, amount, currency, usd, rate_id, reason, version`

// allocationDay is the day whose rate converts an allocation: 1 January of
// its year, when the funds are made available.
func allocationDay(a *tcmis.Allocation) time.Time {
	return time.Date(a.Year, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// CreateAllocations stores allocations in one transaction, all or none,
// each converted to US dollars at the rate in force on 1 January of its
// year.
func (db *DB) CreateAllocations(ctx context.Context, as []*tcmis.Allocation) error {
	return db.load(ctx, func(l *loader) error { return l.CreateAllocations(as) })
}

// FindAllocations returns the allocations that match f, by project and
// year, and how many match in all.
func (db *DB) FindAllocations(ctx context.Context, f tcmis.MoneyFilter) ([]*tcmis.Allocation, int, error) {
	var (
		as []*tcmis.Allocation
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		as, n, err = findAllocations(tx, moneyWhere(f, false), f.Offset, f.Limit)
		return err
	})
	return as, n, err
}

// UpdateAllocation saves a unless someone changed it since it was read, and
// converts its amount again.
func (db *DB) UpdateAllocation(ctx context.Context, a *tcmis.Allocation) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findAllocationByID(tx, a.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("allocations", a.ID, a.Version, "allocation"); err != nil {
			return err
		}
		if err := tx.sumsRecord("allocations", a.ID, -1); err != nil {
			return err
		}
		amount, err := convertRecord(tx, "allocation", a.Amount.Money, allocationDay(a), allocationRefs(a)...)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE allocations SET project_id = ?, year = ?, amount = ?, currency = ?, usd = ?, rate_id = ?, reason = ? WHERE id = ?`,
			a.ProjectID, a.Year, amount.Amount, amount.Currency, amount.USD, nullID(amount.RateID), a.Reason, a.ID); err != nil {
			return constraintError(err, "the allocation")
		}
		a.Amount, a.Version = amount, old.Version+1
		if err := tx.sumsRecord("allocations", a.ID, 1); err != nil {
			return err
		}
		return tx.audit("allocation", a.ID, tcmis.ActionUpdate, old, a)
	})
}

// DeleteAllocation removes an allocation.
func (db *DB) DeleteAllocation(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findAllocationByID(tx, id)
		if err != nil {
			return err
		}
		if err := tx.sumsRecord("allocations", id, -1); err != nil {
			return err
		}
		return tx.remove("allocations", "allocation", id, old)
	})
}

func allocationRefs(as ...*tcmis.Allocation) []*moneyRefs {
	projects := newMoneyRefs("projects", "project_id", "project")
	for i, a := range as {
		projects.add(i, a.ProjectID)
	}
	return []*moneyRefs{projects}
}

func findAllocationByID(tx *Tx, id int64) (*tcmis.Allocation, error) {
	var w where
	w.add("id = ?", id)
	as, _, err := findAllocations(tx, w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(as) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "allocation %d not found", id)
	}
	return as[0], nil
}

func findAllocations(tx *Tx, w where, offset, limit int) ([]*tcmis.Allocation, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM allocations`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+allocationColumns+` FROM allocations`+w.String()+` ORDER BY project_id, year, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Allocation
	for rows.Next() {
		var a tcmis.Allocation
		m := &a.Amount
		if err := rows.Scan(&a.ID, &a.ProjectID, &a.Year, &m.Amount, &m.Currency, &m.USD, scanID(&m.RateID), &a.Reason, &a.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &a)
	}
	return out, total, rows.Err()
}

// CreateAllocations stores many allocations at once.
func (l *loader) CreateAllocations(as []*tcmis.Allocation) error {
	err := prepareMoney(l.tx, "allocations", as, allocationRefs, func(a *tcmis.Allocation) (*tcmis.Converted, time.Time) { return &a.Amount, allocationDay(a) })
	if err != nil {
		return err
	}
	ids, err := l.copyNew("allocations", "allocation", "an allocation", []string{"project_id", "year", "amount", "currency", "usd", "rate_id", "reason"}, len(as), func(i int) []any {
		a := as[i]
		m := &a.Amount
		return []any{a.ProjectID, a.Year, m.Amount, m.Currency, m.USD, nullID(m.RateID), a.Reason}
	})
	if err != nil {
		return err
	}
	for i, a := range as {
		a.ID, a.Version = ids[i], 1
	}
	return l.tx.sumsAllocations(as)
}

// FindAllocationByID returns an allocation, or ENOTFOUND.
func (db *DB) FindAllocationByID(ctx context.Context, id int64) (*tcmis.Allocation, error) {
	var a *tcmis.Allocation
	err := db.view(ctx, func(tx *Tx) (err error) {
		a, err = findAllocationByID(tx, id)
		return err
	})
	return a, err
}
