package importer

import (
	"time"

	"github.com/tcmis/tcmis"
)

func init() {
	register(&spec{
		kind: Allocations,
		columns: []Column{
			{Name: "project", Aliases: []string{"project_code", "code"}, Required: true, Description: "Code of the stored project the funds are for."},
			{Name: "year", Required: true, Description: "The year the funds are made available for: 2004."},
			{Name: "amount", Aliases: []string{"value", "allocated", "allocation"}, Required: true,
				Description: "The amount, in the currency's units with at most its decimals. Negative for a reduction, with a reason."},
			{Name: "currency", Required: true, Description: "ISO 4217 code. Other currencies than USD need an exchange rate dated on or before 1 January of the year."},
			{Name: "reason", Aliases: []string{"explanation"}, Description: "Why an amount is negative."},
		},
		start: func(j *job) kindImporter { return &allocationImport{j: j} },
	})
}

type allocationImport struct {
	j *job
	b batch[*tcmis.Allocation]
}

var allocationColumns = map[string]string{"project_id": "project", "year": "year", "amount": "amount", "currency": "currency", "reason": "reason"}

func (d *allocationImport) row(r *row) {
	a := &tcmis.Allocation{Reason: r.get("reason")}
	a.ProjectID = projectOf(r)
	if d.j.fatal != nil {
		return
	}
	if _, ok := r.need("year", "the year"); ok {
		a.Year, _ = r.year("year")
	}
	a.Amount.Currency, _ = r.currency("currency")
	if _, ok := r.need("amount", "the amount"); ok {
		a.Amount.Amount, _ = r.amount("amount", a.Amount.Currency)
	}
	r.problems(a.Validate(), func(field string, _ int) string { return allocationColumns[field] })
	if r.ok() {
		d.b.add(a, r.num)
	}
}

// projectOf finds the stored project a row names in its project column,
// and returns its id, or 0 after reporting it unknown.
func projectOf(r *row) int64 {
	code, ok := r.need("project", "the project code")
	if !ok {
		return 0
	}
	p, err := r.j.cache.project(code)
	if err != nil {
		r.j.fatal = err
		return 0
	}
	if p == nil {
		r.fail("project", "unknown project %s: import projects first (tcmis import projects)", code)
		return 0
	}
	return p.ID
}

type allocationKey struct {
	project  int64
	year     int
	amount   int64
	currency string
}

func (d *allocationImport) check() error {
	j := d.j
	err := checkRates(j, d.b.recs, d.b.rows, func(a *tcmis.Allocation) (tcmis.Money, time.Time) {
		return a.Amount.Money, time.Date(a.Year, time.January, 1, 0, 0, 0, 0, time.UTC)
	})
	if err != nil {
		return err
	}
	key := func(a *tcmis.Allocation) allocationKey {
		return allocationKey{a.ProjectID, a.Year, a.Amount.Amount, a.Amount.Currency}
	}
	return duplicates(j, d.b.rows, func(i int) allocationKey { return key(d.b.recs[i]) }, func() (map[allocationKey]bool, error) {
		stored := map[allocationKey]bool{}
		for _, id := range distinctProjects(d.b.recs, func(a *tcmis.Allocation) int64 { return a.ProjectID }) {
			old, err := all(func(offset, limit int) ([]*tcmis.Allocation, int, error) {
				return j.store.FindAllocations(j.ctx, tcmis.MoneyFilter{ProjectID: &id, Offset: offset, Limit: limit})
			})
			if err != nil {
				return nil, err
			}
			for _, o := range old {
				stored[key(o)] = true
			}
		}
		return stored, nil
	}, "allocation", "the same project, year, amount and currency", true)
}

// distinctProjects lists the projects records refer to, each once, in
// the order first met.
func distinctProjects[T any](recs []T, project func(T) int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, r := range recs {
		if id := project(r); !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (d *allocationImport) load() error {
	d.j.total = int64(len(d.b.recs))
	d.b.kind = Allocations
	d.b.column = func(_ int, field string, _ int) string { return allocationColumns[field] }
	return create(d.j, &d.b, d.j.loader.CreateAllocations)
}
