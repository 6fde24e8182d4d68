package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tcmis/tcmis"
)

// row is one data row being read: its cells, and the columns found wrong
// so far, so that a column is reported once per row.
type row struct {
	j        *job
	num      int
	cells    []string
	date1904 bool
	bad      []string
}

// get returns the trimmed text of a column, "" when empty or absent.
func (r *row) get(col string) string {
	i, ok := r.j.t.index[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// has reports whether the file has the column.
func (r *row) has(col string) bool { return r.j.t.has(col) }

// fail reports a problem with a column of this row.
func (r *row) fail(col, format string, args ...any) {
	if col != "" && (r.isBad(col) || r.j.t.missing[col]) {
		return
	}
	r.bad = append(r.bad, col)
	e := RowError{Row: r.num, Message: fmt.Sprintf(format, args...)}
	if col != "" {
		e.Column, e.Value = r.j.t.label(col), r.get(col)
	}
	r.j.errs.add(e)
}

func (r *row) isBad(col string) bool {
	for _, b := range r.bad {
		if b == col {
			return true
		}
	}
	return false
}

// ok reports whether no problem was found on the row.
func (r *row) ok() bool { return len(r.bad) == 0 }

// need returns a required column's text, reporting it when empty. A
// column missing from the header was reported with the header.
func (r *row) need(col, what string) (string, bool) {
	v := r.get(col)
	if v == "" {
		if r.has(col) {
			r.fail(col, "%s is missing", what)
		}
		return "", false
	}
	return v, true
}

// number is a numeric cell's text; in a workbook, as Excel shows it.
func (r *row) number(col string) string {
	v := r.get(col)
	if r.j.t.xlsx {
		v = plainNumber(v)
	}
	return v
}

// amount reads an amount of money in a currency, exactly.
func (r *row) amount(col, currency string) (int64, bool) {
	v := r.number(col)
	if v == "" {
		return 0, false
	}
	if currency == "" {
		currency = tcmis.USD // only to read the digits; the currency is reported
	}
	a, err := tcmis.ParseAmount(v, currency)
	if err != nil {
		r.fail(col, "%s", err)
		return 0, false
	}
	return a, true
}

// date reads a day written YYYY-MM-DD or, in a workbook, a date cell.
func (r *row) date(col string) (time.Time, bool) {
	v := r.get(col)
	if v == "" {
		return time.Time{}, false
	}
	if r.j.t.xlsx {
		if t, ok, err := serialDate(v, r.date1904); ok {
			if err != nil {
				r.fail(col, "%s", err)
				return time.Time{}, false
			}
			return t, true
		}
	}
	// A date cell written as text with its time: "2004-03-15T00:00:00Z".
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		if rest := strings.TrimRight(v[11:], "0:.Z"); rest == "" {
			v = v[:10]
		}
	}
	t, err := tcmis.ParseDate(v)
	if err != nil {
		r.fail(col, "%s", err)
		return time.Time{}, false
	}
	return t, true
}

// integer reads a whole number.
func (r *row) integer(col, what string) (int, bool) {
	v := r.number(col)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
	if err != nil {
		r.fail(col, "%q is not %s", r.get(col), what)
		return 0, false
	}
	return n, true
}

// year reads a year such as 2004.
func (r *row) year(col string) (int, bool) {
	y, ok := r.integer(col, "a year (such as 2004)")
	if ok && (y < 1950 || y > 2100) {
		r.fail(col, "%d is not a plausible year", y)
		return 0, false
	}
	return y, ok
}

// yesNo reads yes or no; empty is no.
func (r *row) yesNo(col string) bool {
	switch strings.ToLower(r.get(col)) {
	case "", "no", "n", "false", "0", "non", "-":
		return false
	case "yes", "y", "true", "1", "x", "oui", "si", "sí":
		return true
	}
	r.fail(col, "%q is neither yes nor no", r.get(col))
	return false
}

// currency reads a currency code, in capitals.
func (r *row) currency(col string) (string, bool) {
	v, ok := r.need(col, "the currency")
	if !ok {
		return "", false
	}
	c := strings.ToUpper(v)
	if c == "US$" {
		c = tcmis.USD
	}
	if !tcmis.LookupCodelist(tcmis.ListCurrency).Has(c) {
		r.fail(col, "%q is not a currency code (such as USD, EUR, CHF)", v)
		return c, false
	}
	return c, true
}

// country reads a country as an ISO code ("GH") or its English name
// ("Ghana").
func (r *row) country(col string) string {
	v := r.get(col)
	if v == "" {
		return ""
	}
	c, err := countryCode(v)
	if err != nil {
		r.fail(col, "%s", err)
	}
	return c
}

// countryNames maps the lower-case English name of each country to its
// code.
var countryNames = sync.OnceValue(func() map[string]string {
	list := tcmis.LookupCodelist(tcmis.ListCountry)
	m := map[string]string{}
	for _, c := range list.Codes() {
		m[strings.ToLower(list.NameOf(c))] = c
	}
	return m
})

func countryCode(v string) (string, error) {
	if c := strings.ToUpper(strings.TrimSpace(v)); tcmis.LookupCodelist(tcmis.ListCountry).Has(c) {
		return c, nil
	}
	if c, ok := countryNames()[strings.ToLower(strings.TrimSpace(v))]; ok {
		return c, nil
	}
	return "", fmt.Errorf("unknown country %q: use its ISO code (such as GH for Ghana) or its English name", v)
}

// codeOrName finds a code on an IATI codelist by its code or its name.
func codeOrName(list, v string) (string, bool) {
	cl := tcmis.LookupCodelist(list)
	if cl.Has(v) {
		return v, true
	}
	for _, c := range cl.Codes() {
		if strings.EqualFold(cl.NameOf(c), v) {
			return c, true
		}
	}
	return "", false
}

// share is one entry of a list such as "GH:60;TG:40".
type share struct {
	key     string
	percent tcmis.Percent
}

// shares reads a list of entries, each with its percentage: "GH:60;
// TG:40". One entry alone may leave out its percentage, which is then
// 100.
func (r *row) shares(col, what string) ([]share, bool) {
	v := r.get(col)
	if v == "" {
		return nil, true
	}
	parts := splitList(v)
	out := make([]share, 0, len(parts))
	for _, p := range parts {
		key, pct, hasPct := strings.Cut(p, ":")
		key = strings.TrimSpace(key)
		if key == "" {
			r.fail(col, "an entry %q has no %s before its percentage", p, what)
			return nil, false
		}
		s := share{key: key}
		if !hasPct {
			if len(parts) > 1 {
				r.fail(col, "give each %s its share, such as %s", what, shareExample(what))
				return nil, false
			}
			s.percent = tcmis.Whole
		} else {
			pc, err := tcmis.ParsePercent(strings.TrimSpace(pct))
			if err != nil {
				r.fail(col, "%s for %s", err, key)
				return nil, false
			}
			s.percent = pc
		}
		out = append(out, s)
	}
	return out, true
}

func shareExample(what string) string {
	switch what {
	case "strategic objective":
		return "so1:70;so2:30"
	case "sector":
		return "16020:60;11330:40"
	case "region":
		return "289:50;298:50"
	}
	return "GH:60;TG:40"
}

// splitList splits a cell listing several things, separated by
// semicolons or line breaks.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fieldPattern reads a field of a problem found by domain validation or a
// bulk creation: "countries[1]", "approvals[12].amount".
var fieldPattern = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?(?:\.(.+))?$`)

// problems reports the problems domain validation found with the record
// read from this row, each at the column that carries its field, unless
// that column was already reported. column maps a field to a column.
func (r *row) problems(err error, column func(field string, index int) string) {
	if err == nil {
		return
	}
	ps := tcmis.ErrorProblems(err)
	if len(ps) == 0 {
		r.fail("", "%s", tcmis.ErrorMessage(err))
		return
	}
	for _, p := range ps {
		field, index := splitField(p.Field)
		r.fail(column(field, index), "%s", p.Message)
	}
}

// splitField splits "countries[1]" into "countries" and 1; the index is
// -1 when there is none.
func splitField(f string) (string, int) {
	m := fieldPattern.FindStringSubmatch(f)
	if m == nil {
		return f, -1
	}
	if m[2] == "" {
		return m[1], -1
	}
	i, _ := strconv.Atoi(m[2])
	return m[1], i
}
