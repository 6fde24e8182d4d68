package sqldb

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/tcmis/tcmis"
)

// This file holds what approvals, allocations and expenditures share: the
// conversion of their amounts to US dollars, the check that the records
// they refer to exist, their filter, and the per-year sums of a project.

// ProjectFinance sums a project's approvals, allocations and expenditure by
// year, in US cents, with the delivery rate of each year (expenditure over
// allocations).
func (db *DB) ProjectFinance(ctx context.Context, projectID int64) ([]tcmis.YearFinance, error) {
	var out []tcmis.YearFinance
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, err = projectFinance(tx, projectID)
		return err
	})
	return out, err
}

func projectFinance(tx *Tx, projectID int64) ([]tcmis.YearFinance, error) {
	if n, err := tx.count(`SELECT COUNT(*) FROM projects WHERE id = ?`, projectID); err != nil {
		return nil, err
	} else if n == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "project %d not found", projectID)
	}
	// Each table is summed on its own index before the three are merged by
	// year; the casts keep PostgreSQL from widening the sums to NUMERIC.
	rows, err := tx.query(`SELECT year, CAST(SUM(approved) AS BIGINT), CAST(SUM(allocated) AS BIGINT), CAST(SUM(spent) AS BIGINT) FROM (
		SELECT year, SUM(usd) AS approved, CAST(0 AS BIGINT) AS allocated, CAST(0 AS BIGINT) AS spent FROM approvals WHERE project_id = ? GROUP BY year
		UNION ALL
		SELECT year, CAST(0 AS BIGINT), SUM(usd), CAST(0 AS BIGINT) FROM allocations WHERE project_id = ? GROUP BY year
		UNION ALL
		SELECT year, CAST(0 AS BIGINT), CAST(0 AS BIGINT), SUM(usd) FROM expenditures WHERE project_id = ? GROUP BY year
	) sums GROUP BY year ORDER BY year`, projectID, projectID, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []tcmis.YearFinance{}
	for rows.Next() {
		var y tcmis.YearFinance
		if err := rows.Scan(&y.Year, &y.Approved, &y.Allocated, &y.Spent); err != nil {
			return nil, err
		}
		y.Delivery, y.HasDelivery = tcmis.DeliveryRate(y.Spent, y.Allocated)
		out = append(out, y)
	}
	return out, rows.Err()
}

// moneyWhere turns a money filter into conditions. Approvals name their
// donor; allocations and expenditures are the donor's through the
// project's donors.
func moneyWhere(f tcmis.MoneyFilter, hasDonor bool) where {
	var w where
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	}
	if f.DonorID != nil {
		if hasDonor {
			w.add("donor_id = ?", *f.DonorID)
		} else {
			w.add("project_id IN (SELECT project_id FROM project_donors WHERE donor_id = ?)", *f.DonorID)
		}
	}
	if f.Year != nil {
		w.add("year = ?", *f.Year)
	}
	return w
}

// txRates finds the rate in force in the database, for records stored one
// at a time. It picks the same rate as rateIndex: the latest dated on or
// before the day, the last entered among rates of the same day.
type txRates struct{ tx *Tx }

func (r txRates) RateOn(currency string, day time.Time) (tcmis.ExchangeRate, error) {
	var w where
	w.add("currency = ? AND rate_date <= ?", currency, r.tx.date(day))
	rates, _, err := findRates(r.tx, w, "rate_date DESC, id DESC", 0, 1)
	if err != nil {
		return tcmis.ExchangeRate{}, err
	} else if len(rates) == 0 {
		return tcmis.Rates{}.RateOn(currency, day) // the domain's "no rate" error
	}
	return *rates[0], nil
}

// rateIndex is a tcmis.RateFinder over the rates of the currencies of a
// bulk load, read once: per currency, the rates by day, found by binary
// search. Bulk rows come grouped, so it remembers the last currency.
type rateIndex struct {
	currencies map[string]*currencyRates
	last       *currencyRates
}

type currencyRates struct {
	currency string
	days     []int32 // rateDay of each rate, ascending; equal days by id
	rates    []tcmis.ExchangeRate
	// dens is per_usd * 10^(minor digits of the currency), the divisor of
	// the conversion, or 0 when it does not fit an int64.
	dens []int64
}

// loadRates reads every rate of the currencies other than US dollars.
func loadRates(tx *Tx, currencies map[string]bool) (*rateIndex, error) {
	var codes []string
	for c := range currencies {
		if c != tcmis.USD {
			codes = append(codes, c)
		}
	}
	var all []tcmis.ExchangeRate
	err := eachChunk(codes, func(in string, args []any) error {
		var w where
		w.add(`currency IN (`+in+`)`, args...)
		rates, _, err := findRates(tx, w, "id", 0, 0)
		for _, r := range rates {
			all = append(all, *r)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return newRateIndex(all), nil
}

func newRateIndex(rates []tcmis.ExchangeRate) *rateIndex {
	ix := &rateIndex{currencies: map[string]*currencyRates{}}
	for _, r := range rates {
		cr := ix.currencies[r.Currency]
		if cr == nil {
			cr = &currencyRates{currency: r.Currency}
			ix.currencies[r.Currency] = cr
		}
		cr.rates = append(cr.rates, r)
	}
	for _, cr := range ix.currencies {
		slices.SortFunc(cr.rates, func(a, b tcmis.ExchangeRate) int {
			return cmp.Or(cmp.Compare(rateDay(a.Date), rateDay(b.Date)), cmp.Compare(a.ID, b.ID))
		})
		scale := int64(math.Pow10(tcmis.MinorDigits(cr.currency)))
		cr.days = make([]int32, len(cr.rates))
		cr.dens = make([]int64, len(cr.rates))
		for i, r := range cr.rates {
			cr.days[i] = rateDay(r.Date)
			if r.PerUSD > 0 && int64(r.PerUSD) <= math.MaxInt64/scale {
				cr.dens[i] = int64(r.PerUSD) * scale
			}
		}
	}
	return ix
}

// rateDay writes a day as the number yyyymmdd, which sorts like the day.
func rateDay(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(y*10000 + int(m)*100 + d)
}

// find returns the position of the rate in force on day, or -1.
func (ix *rateIndex) find(currency string, day int32) (*currencyRates, int) {
	cr := ix.last
	if cr == nil || cr.currency != currency {
		if cr = ix.currencies[currency]; cr == nil {
			return nil, -1
		}
		ix.last = cr
	}
	i, _ := slices.BinarySearch(cr.days, day+1) // the first rate after day
	return cr, i - 1
}

// RateOn implements tcmis.RateFinder.
func (ix *rateIndex) RateOn(currency string, day time.Time) (tcmis.ExchangeRate, error) {
	cr, i := ix.find(currency, rateDay(day))
	if i < 0 {
		return tcmis.Rates{}.RateOn(currency, day)
	}
	return cr.rates[i], nil
}

// errNoRate is convert's cheap "no rate in force", which callers turn
// into the domain's error once per currency and day.
var errNoRate = errors.New("no exchange rate")

// convert is tcmis.Convert for bulk loads: the same result, rounded half
// away from zero, in integer arithmetic without allocating while the
// figures fit an int64, and through the domain's exact conversion when
// they do not.
func (ix *rateIndex) convert(m tcmis.Money, day time.Time) (tcmis.Converted, error) {
	if m.Currency == tcmis.USD {
		return tcmis.Converted{Money: m, USD: m.Amount}, nil
	}
	cr, i := ix.find(m.Currency, rateDay(day))
	if i < 0 {
		return tcmis.Converted{}, errNoRate
	}
	r := &cr.rates[i]
	const scale = 100 * 1_000_000 // cents per dollar times the rate's decimals
	den := cr.dens[i]
	if den == 0 || m.Amount > math.MaxInt64/scale || m.Amount < -math.MaxInt64/scale {
		usd, err := r.ToUSD(m)
		return tcmis.Converted{Money: m, USD: usd, RateID: r.ID}, err
	}
	num := m.Amount * scale
	q, rem := num/den, num%den
	if rem < 0 {
		rem = -rem
	}
	if rem >= den-rem { // 2*rem >= den, without overflow
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return tcmis.Converted{Money: m, USD: q, RateID: r.ID}, nil
}

// moneyConversions converts the amounts of a batch, reporting each missing
// rate once (by currency and day), at the first row that needs it.
type moneyConversions struct {
	rates   *rateIndex
	what    string
	missing map[string]bool
	ps      []tcmis.Problem
}

func (c *moneyConversions) convert(i int, m tcmis.Money, day time.Time) tcmis.Converted {
	v, err := c.rates.convert(m, day)
	if err == nil {
		return v
	}
	if err == errNoRate {
		key := m.Currency + " " + day.Format(tcmis.DateLayout)
		if c.missing[key] {
			return tcmis.Converted{Money: m}
		}
		if c.missing == nil {
			c.missing = map[string]bool{}
		}
		c.missing[key] = true
		_, err = tcmis.Rates{}.RateOn(m.Currency, day) // the domain's words for it
	}
	c.ps = append(c.ps, tcmis.Problem{Field: moneyField(c.what, i, "amount"), Message: tcmis.ErrorMessage(err)})
	return tcmis.Converted{Money: m}
}

// moneyRefs collects the distinct ids a batch refers to in one table, with
// the first row referring to each, so that their existence is checked with
// one query per chunk of ids instead of one per row.
type moneyRefs struct {
	table, field, what string
	first              map[int64]int
	last               int64
}

func newMoneyRefs(table, field, what string) *moneyRefs {
	return &moneyRefs{table: table, field: field, what: what, first: map[int64]int{}}
}

// add notes that row i refers to id; zero is no reference.
func (r *moneyRefs) add(i int, id int64) {
	if id == 0 || id == r.last {
		return
	}
	r.last = id
	if _, ok := r.first[id]; !ok {
		r.first[id] = i
	}
}

// check returns a problem for every id that does not exist, at the first
// row of the batch named what referring to it (what "" for one record).
func (r *moneyRefs) check(tx *Tx, what string) ([]tcmis.Problem, error) {
	ids := make([]int64, 0, len(r.first))
	for id := range r.first {
		ids = append(ids, id)
	}
	found, err := existingIDs(tx, r.table, ids)
	if err != nil {
		return nil, err
	}
	var missing []int64
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	slices.SortFunc(missing, func(a, b int64) int { return cmp.Compare(r.first[a], r.first[b]) })
	ps := make([]tcmis.Problem, len(missing))
	for k, id := range missing {
		ps[k] = tcmis.Problem{Field: moneyField(what, r.first[id], r.field), Message: "there is no " + r.what + " with id " + strconv.FormatInt(id, 10)}
	}
	return ps, nil
}

// prepareMoney takes a batch of money records through what comes before
// writing them: each is validated, the records they refer to must exist,
// and each amount is converted at the rate in force on its day, rates read
// once for the whole batch. It refuses the batch with every problem found.
// money returns a record's amount, converted in place, and its day.
func prepareMoney[T interface{ Validate() error }](tx *Tx, what string, items []T, refs func(...T) []*moneyRefs, money func(T) (*tcmis.Converted, time.Time)) error {
	if err := validateAll(what, items); err != nil {
		return err
	}
	ps, err := moneyRefProblems(tx, what, refs(items...)...)
	if err != nil {
		return err
	}
	currencies := map[string]bool{}
	last := ""
	for _, it := range items {
		if m, _ := money(it); m.Currency != last {
			currencies[m.Currency], last = true, m.Currency
		}
	}
	rates, err := loadRates(tx, currencies)
	if err != nil {
		return err
	}
	c := moneyConversions{rates: rates, what: what, ps: ps}
	for i, it := range items {
		m, day := money(it)
		*m = c.convert(i, m.Money, day)
	}
	return refuseMoney(what, c.ps)
}

// moneyRefProblems checks the references of a batch named what (or of
// one record, what ""), kind by kind, and returns every problem found.
func moneyRefProblems(tx *Tx, what string, rs ...*moneyRefs) ([]tcmis.Problem, error) {
	var ps []tcmis.Problem
	for _, r := range rs {
		p, err := r.check(tx, what)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p...)
	}
	return ps, nil
}

// refuseMoney refuses a batch named what with its problems, or returns nil
// when there are none.
func refuseMoney(what string, ps []tcmis.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: "some " + what + " records are not valid", Problems: ps}
}

// moneyField names a field of row i of a batch, or the field alone for a
// single record (what "").
func moneyField(what string, i int, field string) string {
	if what == "" {
		return field
	}
	return bulkField(what, i, field)
}

// convertRecord checks the references of one record being saved and
// converts its amount with the rate in force in the database, refusing it
// with every problem found.
func convertRecord(tx *Tx, record string, m tcmis.Money, day time.Time, rs ...*moneyRefs) (tcmis.Converted, error) {
	ps, err := moneyRefProblems(tx, "", rs...)
	if err != nil {
		return tcmis.Converted{}, err
	}
	c, err := tcmis.Convert(txRates{tx}, m, day)
	if tcmis.ErrorCode(err) == tcmis.EINVALID {
		ps = append(ps, tcmis.Problem{Field: "amount", Message: tcmis.ErrorMessage(err)})
	} else if err != nil {
		return tcmis.Converted{}, err
	}
	if len(ps) > 0 {
		return tcmis.Converted{}, &tcmis.Error{Code: tcmis.EINVALID, Message: record + " is not valid", Problems: ps}
	}
	return c, nil
}
