package importer

import (
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

func init() {
	register(&spec{
		kind: Expenditures,
		columns: []Column{
			{Name: "project", Aliases: []string{"project_code", "code"}, Required: true, Description: "Code of the stored project that spent the money."},
			{Name: "year", Description: "The year of the expenditure: 2004. A file gives year and month, or period."},
			{Name: "month", Description: "The month, 1 to 12 or its English name (March, Mar)."},
			{Name: "period", Aliases: []string{"year_month", "month_of"}, Description: "Year and month together: 2004-03 (or a date cell, whose day is ignored)."},
			{Name: "type", Aliases: []string{"type_of_assistance", "assistance", "assistance_type", "budget_line"}, Required: true,
				Description: "Type of assistance: experts, personnel, subcontracts, training, equipment or misc (or International experts, Other personnel, ...)."},
			{Name: "amount", Aliases: []string{"value", "spent", "expenditure"}, Required: true,
				Description: "The amount, in the currency's units with at most its decimals. Negative for a refund or correction, with a reason."},
			{Name: "currency", Required: true, Description: "ISO 4217 code. Other currencies than USD need an exchange rate dated on or before the last day of the month."},
			{Name: "reason", Aliases: []string{"explanation"}, Description: "Why an amount is negative."},
		},
		needs: func(has func(string) bool) ([]string, string) {
			switch {
			case has("period"):
			case has("year") && has("month"):
			case has("year"):
				return []string{"month"}, "the file has a year column but no month column: an expenditures file needs year and month, or period (2004-03)"
			default:
				return []string{"period", "year", "month"}, "the file has no period column (2004-03), nor year and month columns: an expenditures file needs one or the other"
			}
			return nil, ""
		},
		start: func(j *job) kindImporter { return &expenditureImport{j: j} },
	})
}

type expenditureImport struct {
	j         *job
	b         batch[*tcmis.Expenditure]
	periodCol []bool // whether each record's year and month came from period
}

func expenditureColumn(field string, period bool) string {
	switch field {
	case "project_id":
		return "project"
	case "year", "month":
		if period {
			return "period"
		}
		return field
	case "type", "amount", "currency", "reason":
		return field
	}
	return ""
}

func (d *expenditureImport) row(r *row) {
	e := &tcmis.Expenditure{Reason: r.get("reason")}
	e.ProjectID = projectOf(r)
	if d.j.fatal != nil {
		return
	}
	period := r.get("period") != "" || r.has("period") && r.get("year") == "" && r.get("month") == ""
	if period {
		if _, ok := r.need("period", "the period (year and month, such as 2004-03)"); ok {
			e.Year, e.Month, _ = r.period("period")
		}
		if r.get("year") != "" || r.get("month") != "" {
			r.fail("period", "give the period, or the year and the month, not both")
		}
	} else {
		if _, ok := r.need("year", "the year"); ok {
			e.Year, _ = r.year("year")
		}
		if _, ok := r.need("month", "the month"); ok {
			e.Month, _ = r.month("month")
		}
	}
	if v, ok := r.need("type", "the type of assistance"); ok {
		t, err := tcmis.ParseAssistance(v)
		if err != nil {
			r.fail("type", "%s", err)
		}
		e.Type = t
	}
	e.Amount.Currency, _ = r.currency("currency")
	if _, ok := r.need("amount", "the amount"); ok {
		e.Amount.Amount, _ = r.amount("amount", e.Amount.Currency)
	}
	r.problems(e.Validate(), func(field string, _ int) string { return expenditureColumn(field, period) })
	if r.ok() {
		d.b.add(e, r.num)
		d.periodCol = append(d.periodCol, period)
	}
}

var monthNames = func() map[string]int {
	m := map[string]int{}
	for i := time.January; i <= time.December; i++ {
		n := strings.ToLower(i.String())
		m[n], m[n[:3]] = int(i), int(i)
	}
	m["sept"] = 9
	return m
}()

// month reads a month: 1 to 12, March or Mar.
func (r *row) month(col string) (int, bool) {
	v := r.number(col)
	if m, ok := monthNames[strings.ToLower(strings.TrimSuffix(v, "."))]; ok {
		return m, true
	}
	m, err := strconv.Atoi(v)
	if err != nil || m < 1 || m > 12 {
		r.fail(col, "%q is not a month (1 to 12, or its name)", r.get(col))
		return 0, false
	}
	return m, true
}

// period reads a year and a month written 2004-03, 2004/03, 03/2004, as a
// day (whose day is ignored) or, in a workbook, as a date cell.
func (r *row) period(col string) (year, month int, ok bool) {
	v := r.get(col)
	if r.j.t.xlsx || len(v) == len("2004-03-31") {
		if _, isSerial, _ := serialDate(v, r.date1904); isSerial || len(v) == len("2004-03-31") {
			t, ok := r.date(col)
			return t.Year(), int(t.Month()), ok
		}
	}
	a, b, found := strings.Cut(strings.ReplaceAll(v, "/", "-"), "-")
	if len(b) == 4 && len(a) <= 2 {
		a, b = b, a
	}
	y, err1 := strconv.Atoi(a)
	m, err2 := strconv.Atoi(b)
	if !found || len(a) != 4 || err1 != nil || err2 != nil || m < 1 || m > 12 {
		r.fail(col, "%q is not a period written as year and month, such as 2004-03", v)
		return 0, 0, false
	}
	if y < 1950 || y > 2100 {
		r.fail(col, "%d is not a plausible year", y)
		return 0, 0, false
	}
	return y, m, true
}

type expenditureKey struct {
	project     int64
	year, month int
	typ         tcmis.Assistance
	amount      int64
	currency    string
}

func (d *expenditureImport) check() error {
	j := d.j
	if err := checkRates(j, d.b.recs, d.b.rows, func(e *tcmis.Expenditure) (tcmis.Money, time.Time) { return e.Amount.Money, e.Day() }); err != nil {
		return err
	}
	key := func(e *tcmis.Expenditure) expenditureKey {
		return expenditureKey{e.ProjectID, e.Year, e.Month, e.Type, e.Amount.Amount, e.Amount.Currency}
	}
	return duplicates(j, d.b.rows, func(i int) expenditureKey { return key(d.b.recs[i]) }, func() (map[expenditureKey]bool, error) {
		stored := map[expenditureKey]bool{}
		for _, id := range distinctProjects(d.b.recs, func(e *tcmis.Expenditure) int64 { return e.ProjectID }) {
			old, err := all(func(offset, limit int) ([]*tcmis.Expenditure, int, error) {
				return j.store.FindExpenditures(j.ctx, tcmis.MoneyFilter{ProjectID: &id, Offset: offset, Limit: limit})
			})
			if err != nil {
				return nil, err
			}
			for _, o := range old {
				stored[key(o)] = true
			}
		}
		return stored, nil
	}, "expenditure", "the same project, month, type of assistance, amount and currency", true)
}

func (d *expenditureImport) load() error {
	d.j.total = int64(len(d.b.recs))
	d.b.kind = Expenditures
	d.b.column = func(i int, field string, _ int) string { return expenditureColumn(field, d.periodCol[i]) }
	return create(d.j, &d.b, d.j.loader.CreateExpenditures)
}
