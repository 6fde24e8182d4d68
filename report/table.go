package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// Kind is what a column's values are.
type Kind string

const (
	// Text is a label.
	Text Kind = "text"
	// Integer is a count.
	Integer Kind = "integer"
	// Money is an amount in US cents.
	Money Kind = "money"
	// Percent is a share or a change in basis points (10000 is 100 per
	// cent), already rounded to the decimals its unit prints.
	Percent Kind = "percent"
	// Decimal is a quantity with six decimals (tcmis.Decimal), such as
	// an indicator's target or a cost index.
	Decimal Kind = "decimal"
)

// Unit is how a column prints its values.
type Unit struct {
	// Name is what the column heading says the figures are in.
	Name string `json:"name,omitempty"`
	// Scale is, for money, the US cents in one unit: 100000 for
	// thousands of US dollars.
	Scale int64 `json:"scale,omitempty"`
	// Decimals is how many decimals the figures print with.
	Decimals int `json:"decimals,omitempty"`
}

// The units the organisation's tables print in.
var (
	ThousandsUSD = Unit{Name: "US$'000", Scale: 100_000}
	MillionsUSD  = Unit{Name: "US$ million", Scale: 100_000_000, Decimals: 1}
	USDollars    = Unit{Name: "US$", Scale: 100}
	PerCent      = Unit{Name: "%", Decimals: 1}
	Points       = Unit{Name: "points"}
	Count        = Unit{}
)

// Column is one column of a table.
type Column struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	// TitlePhrase is the title as fixed words and values, when it has
	// values in it (a period, a month): see Phrase.
	TitlePhrase Phrase `json:"-"`
	// Group is a heading over several columns, such as "Average 2000-04".
	Group string `json:"group,omitempty"`
	Kind  Kind   `json:"kind"`
	Unit  Unit   `json:"unit"`
	// Keys narrow the records of a row to those of this column, such as
	// {"year": "2000"}: see Table.Trace.
	Keys map[string]string `json:"keys,omitempty"`
}

// Value is one cell.
type Value struct {
	Text string
	// N is the figure: a count, US cents, basis points or a decimal with
	// six digits, by the column's kind.
	N int64
	// Den, when more than 1, divides N: an average kept exact, such as
	// a five-year total over 5, rounded only when printed.
	Den int64
	// Null is a cell without a figure: a change from nothing, a share of
	// nothing, a year without an index.
	Null bool
}

// RowKind tells the rows of a table apart.
type RowKind string

const (
	Detail   RowKind = "detail"
	Heading  RowKind = "heading"
	Subtotal RowKind = "subtotal"
	Total    RowKind = "total"
)

// Row is one row of a table.
type Row struct {
	Kind RowKind `json:"kind"`
	// Level indents a row under a heading.
	Level int     `json:"level,omitempty"`
	Cells []Value `json:"-"`
	// Keys select the records behind the row, such as {"donor": "12"}:
	// see Table.Trace.
	Keys map[string]string `json:"keys,omitempty"`
}

// ChartKind is the picture a table is best drawn as.
type ChartKind string

const (
	NoChart ChartKind = ""
	Bar     ChartKind = "bar"
	// Stacked stacks the series of each category.
	Stacked ChartKind = "stacked"
	Line    ChartKind = "line"
	Pie     ChartKind = "pie"
)

// Chart says how to draw a table: the categories along the axis and the
// series drawn for each.
type Chart struct {
	Kind ChartKind `json:"kind"`
	// Label is the column that names the rows.
	Label int `json:"label"`
	// Series are the columns drawn.
	Series []int `json:"series"`
	// Across draws one series per row along the Series columns (years
	// along the axis, one bar or line per region), instead of one series
	// per column along the rows.
	Across bool `json:"across,omitempty"`
	// Rows are the kinds of rows drawn; nil means the detail rows.
	Rows []RowKind `json:"rows,omitempty"`
	// Max caps the rows drawn (0: all), keeping the first.
	Max int `json:"max,omitempty"`
	// Unit names the values' axis.
	Unit string `json:"unit,omitempty"`
}

// Table is a report's result: typed columns and rows of exact figures,
// rounded only when printed, each row carrying the keys that select the
// records behind it.
type Table struct {
	// Name is the report's name, such as "approvals-by-donor".
	Name  string `json:"name"`
	Title string `json:"title"`
	// Notes explain the figures: definitions, what was left out.
	Notes []string `json:"notes,omitempty"`
	// Source says where the figures come from.
	Source string `json:"source"`
	// TitlePhrase, NotePhrases and SourcePhrase are Title, Notes and
	// Source as fixed words and values (see Phrase); Run writes Title,
	// Notes and Source from them.
	TitlePhrase  Phrase   `json:"-"`
	NotePhrases  []Phrase `json:"-"`
	SourcePhrase Phrase   `json:"-"`
	// Records names the kind of records the figures are made of:
	// approvals, allocations, expenditures, evaluations, training or
	// results.
	Records string `json:"records"`
	// Filter is the selection the whole table was made from.
	Filter  map[string]string `json:"filter,omitempty"`
	Columns []Column          `json:"columns"`
	Rows    []Row             `json:"rows"`
	Chart   Chart             `json:"chart"`
}

// Phrase is a text of a table kept as its fixed English words, a format
// with fmt verbs, and the values that fill it in: "Approvals by donor
// category, %s (US$'000)" and "2000-04". An interface translates the
// format and then fills in the values, translating those that are
// Phrases themselves (a month's name); String is the English text.
type Phrase struct {
	Format string
	Args   []any
}

// Phrasef is a phrase made of a format and its values.
func Phrasef(format string, args ...any) Phrase { return Phrase{Format: format, Args: args} }

// String is the text in English: the format filled in with the values;
// a text without values is its format as it is.
func (x Phrase) String() string {
	if len(x.Args) == 0 {
		return x.Format
	}
	return fmt.Sprintf(x.Format, x.Args...)
}

// phrases are fixed texts without values.
func phrases(ss ...string) []Phrase {
	out := make([]Phrase, len(ss))
	for i, s := range ss {
		out[i] = Phrase{Format: s}
	}
	return out
}

// Trace returns the keys that select the records behind a cell: the
// table's filter, narrowed by its row's keys and its column's. The figure
// of a money cell is the sum of Records matching all of them (a record of
// a project split between objectives or places counts at its share).
func (t *Table) Trace(row, col int) map[string]string {
	out := maps.Clone(t.Filter)
	if out == nil {
		out = map[string]string{}
	}
	if row >= 0 && row < len(t.Rows) {
		maps.Copy(out, t.Rows[row].Keys)
	}
	if col >= 0 && col < len(t.Columns) {
		maps.Copy(out, t.Columns[col].Keys)
	}
	return out
}

// Printed is a figure as the table prints it: rounded half away from
// zero (the organisation's "half up") to the column's unit and decimals,
// as an integer count of the last decimal printed; false for text and
// empty cells.
func (c Column) Printed(v Value) (int64, bool) {
	if v.Null || c.Kind == Text {
		return 0, false
	}
	den := max(v.Den, 1)
	switch c.Kind {
	case Money:
		scale := c.Unit.Scale
		if scale == 0 {
			scale = 100
		}
		return roundRatio(v.N, den*(scale/pow10(c.Unit.Decimals))), true
	case Percent:
		return roundRatio(v.N, den*pow10(2-c.Unit.Decimals)), true
	}
	return roundRatio(v.N, den), true
}

func roundRatio(n, d int64) int64 {
	if d == 1 {
		return n
	}
	return tcmis.RoundDiv(n, d)
}

// Float is the figure in the column's unit, for spreadsheets and charts:
// thousands of dollars, per cent as a fraction (0.895), a count.
func (c Column) Float(v Value) float64 {
	den := float64(max(v.Den, 1))
	switch c.Kind {
	case Money:
		scale := c.Unit.Scale
		if scale == 0 {
			scale = 100
		}
		return float64(v.N) / den / float64(scale)
	case Percent:
		return float64(v.N) / den / float64(tcmis.Whole)
	case Decimal:
		return float64(v.N) / den / 1e6
	}
	return float64(v.N) / den
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// Format writes a cell as the table prints it: "153,770", "89.5", text
// as it is, "" for an empty cell.
func (c Column) Format(v Value) string { return c.format(v, true) }

// Plain writes a cell for machines: "153770", "89.5".
func (c Column) Plain(v Value) string { return c.format(v, false) }

func (c Column) format(v Value, group bool) string {
	switch {
	case c.Kind == Text:
		return v.Text
	case v.Null:
		return ""
	case c.Kind == Decimal:
		return tcmis.Decimal(v.N).String()
	}
	n, _ := c.Printed(v)
	d := c.Unit.Decimals
	if c.Kind == Integer {
		d = 0
	}
	return fixed(n, d, group)
}

// fixed writes n/10^d with d decimals, grouping thousands if asked.
func fixed(n int64, d int, group bool) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= d {
		s = strings.Repeat("0", d-len(s)+1) + s
	}
	whole, frac := s[:len(s)-d], s[len(s)-d:]
	if group {
		var b strings.Builder
		for i, ch := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(ch)
		}
		whole = b.String()
	}
	if d > 0 {
		whole += "." + frac
	}
	if neg && strings.Trim(whole, "0.,") != "" {
		whole = "-" + whole
	}
	return whole
}

// Heading is the column's title with its unit, as a header row shows it:
// "2000 (US$'000)".
func (c Column) Heading() string {
	if c.Unit.Name == "" || c.Kind == Text || strings.Contains(c.Title, c.Unit.Name) {
		return c.Title
	}
	return c.Title + " (" + c.Unit.Name + ")"
}

// Cell values.

// TextValue is a label.
func TextValue(s string) Value { return Value{Text: s} }

// Num is a count, an amount in cents or a decimal.
func Num(n int64) Value { return Value{N: n} }

// Avg is n divided by d, kept exact until printed.
func Avg(n, d int64) Value {
	if d <= 0 {
		return Empty()
	}
	return Value{N: n, Den: d}
}

// Empty is a cell without a figure.
func Empty() Value { return Value{Null: true} }

// Share is part as a percentage of whole, rounded half away from zero to
// the decimals given and returned in basis points; empty when whole is
// zero.
func Share(part, whole int64, decimals int) Value {
	if whole == 0 {
		return Empty()
	}
	step := pow10(2 - decimals) // basis points per printed step
	v, ok := tcmis.MulDivRound(part, int64(tcmis.Whole)/step, whole)
	if !ok {
		return Empty()
	}
	return Value{N: v * step}
}

// Change is the change from old to new as a percentage of old, rounded
// like Share; empty when old is not positive.
func Change(old, new int64, decimals int) Value {
	if old <= 0 {
		return Empty()
	}
	return Share(new-old, old, decimals)
}

// ChartSeries is one series of a table's chart: its name, the column
// that says how its values print, and one value per category.
type ChartSeries struct {
	Name   string
	Column Column
	Values []Value
}

// ChartData returns what the table's chart draws: the categories along
// the axis and the series, from the rows and columns its Chart selects.
// Nothing when the table has no chart.
func (t *Table) ChartData() ([]string, []ChartSeries) {
	ch := t.Chart
	if ch.Kind == NoChart || len(ch.Series) == 0 || ch.Label >= len(t.Columns) {
		return nil, nil
	}
	kinds := ch.Rows
	if kinds == nil {
		kinds = []RowKind{Detail}
	}
	var rows []Row
	for _, r := range t.Rows {
		if slices.Contains(kinds, r.Kind) && len(r.Cells) == len(t.Columns) {
			rows = append(rows, r)
			if ch.Max > 0 && len(rows) == ch.Max {
				break
			}
		}
	}
	label := t.Columns[ch.Label]
	var cats []string
	var series []ChartSeries
	if ch.Across {
		for _, s := range ch.Series {
			cats = append(cats, t.Columns[s].Title)
		}
		for _, r := range rows {
			cs := ChartSeries{Name: label.Format(r.Cells[ch.Label]), Column: t.Columns[ch.Series[0]]}
			for _, s := range ch.Series {
				cs.Values = append(cs.Values, r.Cells[s])
			}
			series = append(series, cs)
		}
		return cats, series
	}
	for _, r := range rows {
		name := label.Format(r.Cells[ch.Label])
		if r.Kind == Subtotal {
			// A chart of subtotals names what they total.
			name = strings.TrimPrefix(name, "Subtotal ")
		}
		cats = append(cats, name)
	}
	for _, s := range ch.Series {
		cs := ChartSeries{Name: t.Columns[s].Title, Column: t.Columns[s]}
		for _, r := range rows {
			cs.Values = append(cs.Values, r.Cells[s])
		}
		series = append(series, cs)
	}
	return cats, series
}
