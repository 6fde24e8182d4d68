package sqldb

import (
	"context"
	"time"

	"github.com/tcmis/tcmis"
)

const expenditureColumns = `id, project_id, year, month, type, amount, currency, usd, rate_id, reason, version`

// CreateExpenditures stores expenditures in one transaction, all or none,
// each converted to US dollars at the rate in force on the last day of its
// month.
func (db *DB) CreateExpenditures(ctx context.Context, es []*tcmis.Expenditure) error {
	return db.load(ctx, func(l *loader) error { return l.CreateExpenditures(es) })
}

// FindExpenditures returns the expenditures that match f, by project, year
// and month, and how many match in all.
func (db *DB) FindExpenditures(ctx context.Context, f tcmis.MoneyFilter) ([]*tcmis.Expenditure, int, error) {
	var (
		es []*tcmis.Expenditure
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		es, n, err = findExpenditures(tx, moneyWhere(f, false), f.Offset, f.Limit)
		return err
	})
	return es, n, err
}

// UpdateExpenditure saves e unless someone changed it since it was read,
// and converts its amount again.
func (db *DB) UpdateExpenditure(ctx context.Context, e *tcmis.Expenditure) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findExpenditureByID(tx, e.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("expenditures", e.ID, e.Version, "expenditure"); err != nil {
			return err
		}
		if err := tx.sumsRecord("expenditures", e.ID, -1); err != nil {
			return err
		}
		amount, err := convertRecord(tx, "expenditure", e.Amount.Money, e.Day(), expenditureRefs(e)...)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE expenditures SET project_id = ?, year = ?, month = ?, type = ?, amount = ?, currency = ?, usd = ?, rate_id = ?, reason = ? WHERE id = ?`,
			e.ProjectID, e.Year, e.Month, string(e.Type), amount.Amount, amount.Currency, amount.USD, nullID(amount.RateID), e.Reason, e.ID); err != nil {
			return constraintError(err, "the expenditure")
		}
		e.Amount, e.Version = amount, old.Version+1
		if err := tx.sumsRecord("expenditures", e.ID, 1); err != nil {
			return err
		}
		return tx.audit("expenditure", e.ID, tcmis.ActionUpdate, old, e)
	})
}

// DeleteExpenditure removes an expenditure.
func (db *DB) DeleteExpenditure(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findExpenditureByID(tx, id)
		if err != nil {
			return err
		}
		if err := tx.sumsRecord("expenditures", id, -1); err != nil {
			return err
		}
		return tx.remove("expenditures", "expenditure", id, old)
	})
}

func expenditureRefs(es ...*tcmis.Expenditure) []*moneyRefs {
	projects := newMoneyRefs("projects", "project_id", "project")
	for i, e := range es {
		projects.add(i, e.ProjectID)
	}
	return []*moneyRefs{projects}
}

func findExpenditureByID(tx *Tx, id int64) (*tcmis.Expenditure, error) {
	var w where
	w.add("id = ?", id)
	es, _, err := findExpenditures(tx, w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(es) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "expenditure %d not found", id)
	}
	return es[0], nil
}

func findExpenditures(tx *Tx, w where, offset, limit int) ([]*tcmis.Expenditure, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM expenditures`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+expenditureColumns+` FROM expenditures`+w.String()+` ORDER BY project_id, year, month, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Expenditure
	for rows.Next() {
		var e tcmis.Expenditure
		m := &e.Amount
		if err := rows.Scan(&e.ID, &e.ProjectID, &e.Year, &e.Month, &e.Type, &m.Amount, &m.Currency, &m.USD, scanID(&m.RateID), &e.Reason, &e.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &e)
	}
	return out, total, rows.Err()
}

// CreateExpenditures stores many expenditures at once. It carries the
// largest loads (millions of rows), so it writes them itself rather than
// through copyNew: no query per row, and no allocation per row beyond
// boxing its id and amounts.
func (l *loader) CreateExpenditures(es []*tcmis.Expenditure) error {
	err := prepareMoney(l.tx, "expenditures", es, expenditureRefs, func(e *tcmis.Expenditure) (*tcmis.Converted, time.Time) { return &e.Amount, e.Day() })
	if err != nil {
		return err
	}
	ids, err := l.tx.reserveIDs("expenditures", len(es))
	if err != nil {
		return err
	}
	// One row buffer (copyRows is done with a row before it asks for the
	// next), and the values that runs of rows share boxed once.
	var (
		row           = make([]any, 11)
		project, year box[int64]
		currency      box[string]
		rate          box[int64]
		types         = map[tcmis.Assistance]any{}
	)
	err = l.tx.copyRows("expenditures", []string{"id", "project_id", "year", "month", "type", "amount", "currency", "usd", "rate_id", "reason", "version"}, len(es), func(i int) []any {
		e := es[i]
		m := &e.Amount
		typ, ok := types[e.Type]
		if !ok {
			typ = string(e.Type)
			types[e.Type] = typ
		}
		row[0], row[1], row[2], row[3], row[4] = ids[i], project.of(e.ProjectID), year.of(int64(e.Year)), int64(e.Month), typ
		row[5], row[6], row[7], row[9], row[10] = m.Amount, currency.of(m.Currency), m.USD, e.Reason, int64(1)
		if m.RateID == 0 {
			row[8] = nil
		} else {
			row[8] = rate.of(m.RateID)
		}
		return row
	})
	if err != nil {
		return constraintError(err, "an expenditure")
	}
	for i, e := range es {
		e.ID, e.Version = ids[i], 1
	}
	l.stored("expenditure", ids...)
	return l.tx.sumsExpenditures(es)
}

// box holds a value boxed in an interface, to be reused while the rows of a
// bulk load repeat it instead of boxing it anew for every row.
type box[T comparable] struct {
	v   T
	any any
}

func (b *box[T]) of(v T) any {
	if b.any == nil || v != b.v {
		b.v, b.any = v, v
	}
	return b.any
}

// FindExpenditureByID returns an expenditure, or ENOTFOUND.
func (db *DB) FindExpenditureByID(ctx context.Context, id int64) (*tcmis.Expenditure, error) {
	var e *tcmis.Expenditure
	err := db.view(ctx, func(tx *Tx) (err error) {
		e, err = findExpenditureByID(tx, id)
		return err
	})
	return e, err
}
