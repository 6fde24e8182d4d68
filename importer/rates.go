package importer

import (
	"github.com/tcmis/tcmis"
)

func init() {
	register(&spec{
		kind: Rates,
		columns: []Column{
			{Name: "currency", Required: true, Description: "ISO 4217 code of the currency (not USD)."},
			{Name: "date", Aliases: []string{"from", "valid_from", "rate_date", "effective_date"}, Required: true,
				Description: "The day the rate applies from, YYYY-MM-DD (or a date cell); it applies until the next rate of the currency."},
			{Name: "per_usd", Aliases: []string{"rate", "rate_per_usd", "units_per_usd", "per_us_dollar"}, Required: true,
				Description: "Units of the currency one US dollar buys, with up to six decimals: 0.8123."},
			{Name: "source", Required: true, Description: "Where the rate comes from: UN operational rates of exchange."},
		},
		start: func(j *job) kindImporter { return &rateImport{j: j} },
	})
}

type rateImport struct {
	j *job
	b batch[*tcmis.ExchangeRate]
}

var rateColumns = map[string]string{"currency": "currency", "date": "date", "per_usd": "per_usd", "source": "source"}

func (d *rateImport) row(r *row) {
	x := &tcmis.ExchangeRate{}
	x.Currency, _ = r.currency("currency")
	if _, ok := r.need("date", "the date the rate applies from"); ok {
		x.Date, _ = r.date("date")
	}
	if v, ok := r.need("per_usd", "the rate"); ok {
		rate, err := tcmis.ParseDecimal(r.number("per_usd"))
		if err != nil {
			r.fail("per_usd", "%q is not a rate: write the units of %s one US dollar buys, with up to six decimals", v, x.Currency)
		}
		x.PerUSD = rate
	}
	x.Source, _ = r.need("source", "the source of the rate")
	r.problems(x.Validate(), func(field string, _ int) string { return rateColumns[field] })
	if r.ok() {
		d.b.add(x, r.num)
	}
}

type rateKey struct {
	currency, day, source string
}

func key(x *tcmis.ExchangeRate) rateKey {
	return rateKey{x.Currency, x.Date.Format(tcmis.DateLayout), x.Source}
}

// check refuses a second rate for the same currency, day and source,
// which the store cannot keep, even when duplicates are allowed.
func (d *rateImport) check() error {
	j := d.j
	return duplicates(j, d.b.rows, func(i int) rateKey { return key(d.b.recs[i]) }, func() (map[rateKey]bool, error) {
		stored := map[rateKey]bool{}
		for _, x := range d.b.recs {
			rates, err := j.cache.ratesOf(x.Currency)
			if err != nil {
				return nil, err
			}
			for _, o := range rates {
				stored[key(&o)] = true
			}
		}
		return stored, nil
	}, "exchange rate", "the same currency, date and source", false)
}

func (d *rateImport) load() error {
	d.j.total = int64(len(d.b.recs))
	d.b.kind = Rates
	d.b.column = func(_ int, field string, _ int) string { return rateColumns[field] }
	return create(d.j, &d.b, d.j.loader.CreateRates)
}
