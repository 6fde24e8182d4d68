package sqldb

import (
	"context"

	"github.com/tcmis/tcmis"
)

const rateColumns = `id, currency, rate_date, per_usd, source`

// CreateRates stores exchange rates in one transaction: all or none.
func (db *DB) CreateRates(ctx context.Context, rs []*tcmis.ExchangeRate) error {
	return db.load(ctx, func(l *loader) error { return l.CreateRates(rs) })
}

// FindRates returns the rates that match f, by currency and date, and how
// many match in all.
func (db *DB) FindRates(ctx context.Context, f tcmis.RateFilter) ([]*tcmis.ExchangeRate, int, error) {
	var (
		rs []*tcmis.ExchangeRate
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		var w where
		if f.Currency != nil {
			w.add("currency = ?", *f.Currency)
		}
		rs, n, err = findRates(tx, w, `currency, rate_date, id`, f.Offset, f.Limit)
		return err
	})
	return rs, n, err
}

// FindRateByID returns one rate, so that a converted amount can be traced
// to its rate, date and source; ENOTFOUND if there is none.
func (db *DB) FindRateByID(ctx context.Context, id int64) (*tcmis.ExchangeRate, error) {
	var r *tcmis.ExchangeRate
	err := db.view(ctx, func(tx *Tx) error {
		var w where
		w.add("id = ?", id)
		rs, _, err := findRates(tx, w, "id", 0, 0)
		if err != nil {
			return err
		} else if len(rs) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "exchange rate %d not found", id)
		}
		r = rs[0]
		return nil
	})
	return r, err
}

// findRates returns the rates that meet w in order, and how many do in
// all. The total is only counted when a page is asked for.
func findRates(tx *Tx, w where, order string, offset, limit int) ([]*tcmis.ExchangeRate, int, error) {
	rows, err := tx.query(tx.page(`SELECT `+rateColumns+` FROM exchange_rates`+w.String()+` ORDER BY `+order, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.ExchangeRate
	for rows.Next() {
		var r tcmis.ExchangeRate
		if err := rows.Scan(&r.ID, &r.Currency, scanTime(&r.Date), &r.PerUSD, &r.Source); err != nil {
			return nil, 0, err
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	total := len(out)
	if offset > 0 || limit > 0 {
		if total, err = tx.count(`SELECT COUNT(*) FROM exchange_rates`+w.String(), w.args...); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// CreateRates stores many exchange rates at once.
func (l *loader) CreateRates(rs []*tcmis.ExchangeRate) error {
	if err := validateAll("exchange_rates", rs); err != nil {
		return err
	}
	ids, err := l.tx.reserveIDs("exchange_rates", len(rs))
	if err != nil {
		return err
	}
	err = l.tx.copyRows("exchange_rates", []string{"id", "currency", "rate_date", "per_usd", "source"}, len(rs), func(i int) []any {
		r := rs[i]
		return []any{ids[i], r.Currency, l.tx.date(r.Date), int64(r.PerUSD), r.Source}
	})
	if err != nil {
		return constraintError(err, "an exchange rate for the same currency, date and source")
	}
	for i, r := range rs {
		r.ID = ids[i]
	}
	l.stored("exchange_rate", ids...)
	l.tx.complianceTouchAll()
	return nil
}
