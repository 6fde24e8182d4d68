package report

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// Store is what the reports ask of the programme's records. sqldb.DB
// implements it.
type Store interface {
	tcmis.StatisticsService
	FindOrganisations(ctx context.Context, f tcmis.OrganisationFilter) ([]*tcmis.Organisation, int, error)
	FindUnits(ctx context.Context, f tcmis.UnitFilter) ([]*tcmis.Unit, int, error)
	// From the programme cycle: delivery thresholds, evaluation
	// compliance and results by biennium.
	FindDeliveryThresholds(ctx context.Context) ([]*tcmis.DeliveryThreshold, error)
	ComplianceTallies(ctx context.Context, today time.Time) ([]tcmis.ComplianceTally, error)
	LateProjects(ctx context.Context, f tcmis.LateFilter) ([]*tcmis.LateProject, int, error)
	BienniumResults(ctx context.Context, b tcmis.Biennium, objective *tcmis.Objective) ([]tcmis.IndicatorProgress, error)
}

// Params are a report's filters and options. Zero values take the
// report's defaults; each report says which it uses.
type Params struct {
	// From and To are the period, both years included. By default, the
	// five years ending with the last year with records.
	From, To int
	// BaseFrom and BaseTo are the period compared with (approvals by
	// source); by default as many years just before From.
	BaseFrom, BaseTo int

	Sources    []tcmis.Source
	Regions    []string // region codes, or "interregional"
	OfficeIDs  []int64
	Categories []tcmis.DonorCategory

	// Year and Month are the month delivery is reported at; by default
	// the last month with expenditure.
	Year, Month int
	// By groups delivery and compliance: region, office, unit or source.
	By string
	// Threshold is the delivery rate below which projects are listed;
	// by default the thresholds stored for projects, else 60 per cent.
	Threshold *tcmis.Percent
	// Limit caps the projects listed (0: 100; negative: all).
	Limit int
	// Biennium is the biennium of the results report; by default the
	// one of To.
	Biennium tcmis.Biennium
	// Measure is what real terms are computed for: expenditure
	// (default) or approvals.
	Measure tcmis.Measure
	// Attribute puts interregional expenditure under the regions of its
	// countries in the expenditure by region.
	Attribute bool
	// Today is the day evaluations are overdue against; by default the
	// store's today.
	Today time.Time
}

// Option names a parameter a report uses, as the command line spells it.
type Option string

const (
	OptPeriod     Option = "period"
	OptBase       Option = "base"
	OptFilters    Option = "filters"
	OptMonth      Option = "month"
	OptBy         Option = "by"
	OptThreshold  Option = "threshold"
	OptLimit      Option = "limit"
	OptBiennium   Option = "biennium"
	OptMeasure    Option = "measure"
	OptAttribute  Option = "attribute"
	OptToday      Option = "date"
	OptCategories Option = "category"
)

// Definition is one report: its name, what it shows and how it is made.
type Definition struct {
	// Name is how the command line names it.
	Name string
	// Number is the report's place in the list of the programme's
	// statistics (1 approvals ... 10 results).
	Number  int
	Title   string
	Summary string
	// Options are the parameters it uses.
	Options []Option
	run     func(ctx context.Context, r *run) (*Table, error)
}

// Uses reports whether the report takes a parameter.
func (d Definition) Uses(o Option) bool { return slices.Contains(d.Options, o) }

var registry []Definition

func register(d Definition) { registry = append(registry, d) }

// All lists the reports, by number and then in the order they were
// defined.
func All() []Definition {
	out := slices.Clone(registry)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// Lookup finds a report by name.
func Lookup(name string) (Definition, bool) {
	for _, d := range registry {
		if d.Name == name {
			return d, true
		}
	}
	return Definition{}, false
}

// Run makes a report.
func Run(ctx context.Context, s Store, name string, p Params) (*Table, error) {
	d, ok := Lookup(name)
	if !ok {
		var names []string
		for _, d := range All() {
			names = append(names, d.Name)
		}
		return nil, tcmis.Errorf(tcmis.EINVALID, "there is no report %q (reports: %s)", name, strings.Join(names, ", "))
	}
	r := &run{s: s, p: p, def: d}
	t, err := d.run(ctx, r)
	if err != nil {
		return nil, err
	}
	return r.finish(t), nil
}

// finish gives a report's table its name, source and filter.
func (r *run) finish(t *Table) *Table {
	t.Name = r.def.Name
	if t.SourcePhrase.Format == "" && t.Source == "" {
		t.SourcePhrase = Phrasef("Source: tcmis, %s as recorded.", Phrase{Format: t.Records})
	}
	if t.SourcePhrase.Format != "" {
		t.Source = t.SourcePhrase.String()
	}
	if t.TitlePhrase.Format != "" {
		t.Title = t.TitlePhrase.String()
	}
	for i := range t.Columns {
		if c := &t.Columns[i]; c.TitlePhrase.Format != "" {
			c.Title = c.TitlePhrase.String()
		}
	}
	if len(t.NotePhrases) > 0 {
		t.Notes = nil
		for _, n := range t.NotePhrases {
			t.Notes = append(t.Notes, n.String())
		}
	}
	keys := r.filterKeys()
	maps.Copy(keys, t.Filter)
	if len(keys) > 0 {
		t.Filter = keys
	}
	return t
}

// run is one report being made: its store, its parameters, and what it
// has read once (names of donors and units).
type run struct {
	s      Store
	p      Params
	def    Definition
	donors map[int64]*tcmis.Organisation
	units  map[int64]*tcmis.Unit
}

// stats is the filter of the parameters, for the period from..to.
func (r *run) stats(from, to int) tcmis.StatsFilter {
	return tcmis.StatsFilter{FromYear: from, ToYear: to, Sources: r.p.Sources, Regions: r.p.Regions, OfficeIDs: r.p.OfficeIDs, Categories: r.p.Categories}
}

// filterKeys is the table's filter, as trace keys.
func (r *run) filterKeys() map[string]string {
	k := map[string]string{}
	join := func(key string, vals []string) {
		if len(vals) > 0 {
			k[key] = strings.Join(vals, ",")
		}
	}
	var s []string
	for _, v := range r.p.Sources {
		s = append(s, string(v))
	}
	join("source", s)
	join("region", r.p.Regions)
	s = nil
	for _, v := range r.p.OfficeIDs {
		s = append(s, strconv.FormatInt(v, 10))
	}
	join("office", s)
	s = nil
	for _, v := range r.p.Categories {
		s = append(s, string(v))
	}
	join("category", s)
	if r.def.Uses(OptPeriod) && r.p.From != 0 {
		k["from"], k["to"] = strconv.Itoa(r.p.From), strconv.Itoa(r.p.To)
	}
	return k
}

// sums asks the store for a measure grouped by dimensions.
func (r *run) sums(ctx context.Context, m tcmis.Measure, f tcmis.StatsFilter, by ...tcmis.Dimension) (cube, error) {
	rows, err := r.s.SumMoney(ctx, tcmis.MoneyQuery{Measure: m, By: by, Filter: f})
	if err != nil {
		return cube{}, err
	}
	c := cube{by: by, amounts: map[string]int64{}, records: map[string]int64{}}
	for _, row := range rows {
		k := strings.Join(row.Keys, "\x00")
		c.amounts[k] += row.Amount
		c.records[k] += row.Records
		c.rows = append(c.rows, row)
	}
	return c, nil
}

// cube is the result of a sum, looked up by its keys.
type cube struct {
	by      []tcmis.Dimension
	rows    []tcmis.MoneySum
	amounts map[string]int64
	records map[string]int64
}

// get returns the amount of a group; keys are given for each dimension,
// "*" summing over it.
func (c cube) get(keys ...string) int64 {
	if !slices.Contains(keys, "*") {
		return c.amounts[strings.Join(keys, "\x00")]
	}
	var sum int64
	for _, row := range c.rows {
		if matches(row.Keys, keys) {
			sum += row.Amount
		}
	}
	return sum
}

func matches(have, want []string) bool {
	for i, w := range want {
		if w != "*" && have[i] != w {
			return false
		}
	}
	return true
}

// values lists the distinct keys of one dimension, in the store's order.
func (c cube) values(dim int) []string {
	var out []string
	seen := map[string]bool{}
	for _, row := range c.rows {
		if k := row.Keys[dim]; !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// period resolves the report's period: the parameters, or the five years
// ending with the last year with records of the measure.
func (r *run) period(ctx context.Context, m tcmis.Measure) (int, int, error) {
	from, to := r.p.From, r.p.To
	if from != 0 && to != 0 {
		if to < from {
			return 0, 0, tcmis.Errorf(tcmis.EINVALID, "the period ends (%d) before it starts (%d)", to, from)
		}
		if to-from > 50 {
			return 0, 0, tcmis.Errorf(tcmis.EINVALID, "a period of %d years is too long for a table", to-from+1)
		}
		return from, to, nil
	}
	c, err := r.sums(ctx, m, tcmis.StatsFilter{}, tcmis.ByYear)
	if err != nil {
		return 0, 0, err
	}
	ys := c.values(0)
	if len(ys) == 0 {
		y := time.Now().Year()
		return nz(from, y-4), nz(to, y), nil
	}
	first, _ := strconv.Atoi(ys[0])
	last, _ := strconv.Atoi(ys[len(ys)-1])
	switch {
	case from == 0 && to == 0:
		to, from = last, max(first, last-4)
	case from == 0:
		from = max(min(first, to), to-4)
	default:
		to = min(max(last, from), from+4)
	}
	r.p.From, r.p.To = from, to
	return from, to, nil
}

func nz(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func yearsOf(from, to int) []int {
	var out []int
	for y := from; y <= to; y++ {
		out = append(out, y)
	}
	return out
}

// periodLabel writes a period as the organisation does: "2000-04".
func periodLabel(from, to int) string {
	if from == to {
		return strconv.Itoa(from)
	}
	if from/100 == to/100 {
		return fmt.Sprintf("%d-%02d", from, to%100)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

// donor and unit names, read once per report.
func (r *run) donorName(ctx context.Context, id int64) string {
	if r.donors == nil {
		r.donors = map[int64]*tcmis.Organisation{}
		os, _, err := r.s.FindOrganisations(ctx, tcmis.OrganisationFilter{})
		if err == nil {
			for _, o := range os {
				r.donors[o.ID] = o
			}
		}
	}
	if o := r.donors[id]; o != nil {
		return o.Name
	}
	if id == 0 {
		return "No donor"
	}
	return "Donor " + strconv.FormatInt(id, 10)
}

func (r *run) unit(ctx context.Context, id int64) *tcmis.Unit {
	if r.units == nil {
		r.units = map[int64]*tcmis.Unit{}
		us, _, err := r.s.FindUnits(ctx, tcmis.UnitFilter{})
		if err == nil {
			for _, u := range us {
				r.units[u.ID] = u
			}
		}
	}
	return r.units[id]
}

func (r *run) unitName(ctx context.Context, id int64) string {
	if u := r.unit(ctx, id); u != nil {
		return u.Code
	}
	if id == 0 {
		return "No office"
	}
	return "Unit " + strconv.FormatInt(id, 10)
}

// regionOrder lists the reporting regions in report order, interregional
// last.
func regionOrder() []string {
	var out []string
	for _, r := range tcmis.Regions() {
		out = append(out, string(r))
	}
	return append(out, tcmis.InterregionalRegion)
}

func regionLabel(code string) string {
	switch code {
	case tcmis.InterregionalRegion:
		return "Interregional"
	case "":
		return "No region"
	}
	return tcmis.Region(code).Label()
}

// objectiveOrder lists the objectives in report order, money of no
// objective last.
func objectiveOrder() []string {
	var out []string
	for _, o := range tcmis.Objectives() {
		out = append(out, string(o))
	}
	return append(out, "")
}

func objectiveLabel(code string) string {
	if code == "" {
		return "Not classified"
	}
	return tcmis.Objective(code).Label()
}

func sourceLabel(code string) string {
	switch tcmis.Source(code) {
	case tcmis.XBTC:
		return "Extra-budgetary (XB-TC)"
	case tcmis.RBTC:
		return "Regular budget TC (RBTC)"
	case tcmis.RegularBudget:
		return "Regular budget (RB)"
	case tcmis.OtherSource:
		return "Other"
	}
	return code
}

func categoryLabel(code string) string {
	if code == "" {
		return "No donor"
	}
	return tcmis.DonorCategory(code).Label()
}

// keyed returns a row's keys with one more.
func keyed(keys map[string]string, k, v string) map[string]string {
	out := maps.Clone(keys)
	if out == nil {
		out = map[string]string{}
	}
	out[k] = v
	return out
}

// moneyColumns returns a column per year, with its trace key.
func yearColumns(years []int, unit Unit) []Column {
	var out []Column
	for _, y := range years {
		s := strconv.Itoa(y)
		out = append(out, Column{Key: "y" + s, Title: s, Kind: Money, Unit: unit, Keys: map[string]string{"year": s}})
	}
	return out
}

func seriesRange(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}
