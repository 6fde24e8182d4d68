package report

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/tcmis/tcmis"
)

// Report 7: delivery, expenditure against the year's allocations (¶140 of
// the 2006 report: monthly by unit and field office), to date and by
// month, with the year-end forecast of the domain's delivery control
// (tcmis.Forecast), and the projects whose forecast is below their
// threshold (tcmis.ThresholdFor, tcmis.DeliveryRate).

func init() {
	register(Definition{
		Name: "delivery", Number: 7,
		Title:   "Delivery to date and forecast",
		Summary: "allocations, expenditure to date, delivery rate and year-end forecast by region, office, unit or source",
		Options: []Option{OptMonth, OptBy, OptFilters},
		run:     deliveryByGroup,
	})
	register(Definition{
		Name: "delivery-monthly", Number: 7,
		Title:   "Delivery by month",
		Summary: "expenditure of each month of the year against the year's allocations, by region, office, unit or source",
		Options: []Option{OptMonth, OptBy, OptFilters},
		run:     deliveryMonthly,
	})
	register(Definition{
		Name: "delivery-projects", Number: 7,
		Title:   "Projects below their delivery threshold",
		Summary: "projects whose year-end forecast delivery is below the threshold, lowest first",
		Options: []Option{OptMonth, OptFilters, OptThreshold, OptLimit},
		run:     deliveryProjects,
	})
}

// DefaultThreshold is the delivery rate projects are held to when no
// threshold is stored or given: the low end of the 60 to 70 per cent the
// programme usually delivers (¶140).
const DefaultThreshold tcmis.Percent = 6000

// deliveryGroup is how delivery is grouped.
type deliveryGroup struct {
	dim   tcmis.Dimension
	key   string
	title string
}

var deliveryGroups = map[string]deliveryGroup{
	"region": {tcmis.ByRegion, "region", "Region"},
	"office": {tcmis.ByOffice, "office", "Office"},
	"unit":   {tcmis.ByUnit, "unit", "Lead unit"},
	"source": {tcmis.BySource, "source", "Source of funds"},
}

func (r *run) group() (deliveryGroup, error) {
	by := r.p.By
	if by == "" {
		by = "region"
	}
	g, ok := deliveryGroups[by]
	if !ok {
		return g, tcmis.Errorf(tcmis.EINVALID, "delivery is grouped by region, office, unit or source, not %q", by)
	}
	return g, nil
}

// month resolves the month delivery is reported at: the parameters, or
// the last month with expenditure.
func (r *run) month(ctx context.Context) (int, int, error) {
	y, m := r.p.Year, r.p.Month
	if y != 0 && m != 0 {
		if m < 1 || m > 12 {
			return 0, 0, tcmis.Errorf(tcmis.EINVALID, "%d is not a month", m)
		}
		return y, m, nil
	}
	f := tcmis.StatsFilter{FromYear: y, ToYear: y}
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, f, tcmis.ByYear, tcmis.ByMonth)
	if err != nil {
		return 0, 0, err
	}
	if len(c.rows) == 0 {
		if y == 0 {
			y = time.Now().Year()
		}
		return y, 12, nil
	}
	last := c.rows[len(c.rows)-1]
	y, _ = strconv.Atoi(last.Keys[0])
	m, _ = strconv.Atoi(last.Keys[1])
	r.p.Year, r.p.Month = y, m
	return y, m, nil
}

// deliveryLine is one group's delivery in the year.
type deliveryLine struct {
	key       string
	allocated int64
	monthly   [12]int64
}

func (l deliveryLine) ytd(month int) int64 {
	var s int64
	for _, v := range l.monthly[:month] {
		s += v
	}
	return s
}

// deliveryLines sums allocations and monthly expenditure to the month by
// group, groups in report order, and their total.
func deliveryLines(ctx context.Context, r *run, g deliveryGroup, year, month int) ([]deliveryLine, deliveryLine, error) {
	f := r.stats(year, year)
	alloc, err := r.sums(ctx, tcmis.MeasureAllocations, f, g.dim)
	if err != nil {
		return nil, deliveryLine{}, err
	}
	f.ToMonth = month
	spent, err := r.sums(ctx, tcmis.MeasureExpenditure, f, g.dim, tcmis.ByMonth)
	if err != nil {
		return nil, deliveryLine{}, err
	}
	byKey := map[string]*deliveryLine{}
	get := func(k string) *deliveryLine {
		if byKey[k] == nil {
			byKey[k] = &deliveryLine{key: k}
		}
		return byKey[k]
	}
	var total deliveryLine
	for _, row := range alloc.rows {
		get(row.Keys[0]).allocated += row.Amount
		total.allocated += row.Amount
	}
	for _, row := range spent.rows {
		m, _ := strconv.Atoi(row.Keys[1])
		get(row.Keys[0]).monthly[m-1] += row.Amount
		total.monthly[m-1] += row.Amount
	}
	var keys []string
	for k := range byKey {
		keys = append(keys, k)
	}
	r.sortGroup(ctx, g, keys)
	out := make([]deliveryLine, len(keys))
	for i, k := range keys {
		out[i] = *byKey[k]
	}
	return out, total, nil
}

// sortGroup puts group keys in report order: regions and sources in
// theirs, offices and units by code.
func (r *run) sortGroup(ctx context.Context, g deliveryGroup, keys []string) {
	var order []string
	switch g.dim {
	case tcmis.ByRegion:
		order = append(regionOrder(), "")
	case tcmis.BySource:
		order = codes(tcmis.Sources())
	}
	rank := func(k string) string {
		if i := slices.Index(order, k); i >= 0 {
			return fmt.Sprintf("%03d", i)
		}
		if g.dim == tcmis.ByOffice && k == "0" {
			return "~" // no office last
		}
		return r.groupLabel(ctx, g, k)
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
}

func (r *run) groupLabel(ctx context.Context, g deliveryGroup, k string) string {
	switch g.dim {
	case tcmis.ByRegion:
		return regionLabel(k)
	case tcmis.BySource:
		return sourceLabel(k)
	}
	return r.unitName(ctx, id(k))
}

var monthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthName is a month's short name, for a phrase: a word to translate.
func monthName(m int) Phrase { return Phrase{Format: monthNames[m-1]} }

func deliveryByGroup(ctx context.Context, r *run) (*Table, error) {
	g, err := r.group()
	if err != nil {
		return nil, err
	}
	year, month, err := r.month(ctx)
	if err != nil {
		return nil, err
	}
	lines, total, err := deliveryLines(ctx, r, g, year, month)
	if err != nil {
		return nil, err
	}
	t := &Table{
		TitlePhrase: Phrasef("Delivery at the end of %s %d by "+lower(g.title), monthName(month), year),
		Records:     "expenditures",
		Filter:      map[string]string{"year": strconv.Itoa(year), "to_month": strconv.Itoa(month)},
		Columns: []Column{
			{Key: g.key, Title: g.title, Kind: Text},
			{Key: "allocated", TitlePhrase: Phrasef("Allocations %d", year), Kind: Money, Unit: ThousandsUSD},
			{Key: "spent", TitlePhrase: Phrasef("Expenditure to %s", monthName(month)), Kind: Money, Unit: ThousandsUSD},
			{Key: "rate", Title: "Delivery rate", Kind: Percent, Unit: PerCent},
			{Key: "forecast", Title: "Forecast for the year", Kind: Money, Unit: ThousandsUSD},
			{Key: "forecast_rate", Title: "Forecast delivery rate", Kind: Percent, Unit: PerCent},
		},
		NotePhrases: phrases(
			"Delivery is expenditure as a share of the year's allocations. The forecast adds to the expenditure to date the average of the last three months for each month left (tcmis.Forecast), applied to each group's monthly expenditure.",
		),
	}
	line := func(kind RowKind, label string, keys map[string]string, l deliveryLine) Row {
		spent, forecast := l.ytd(month), tcmis.Forecast(l.monthly, month)
		return Row{Kind: kind, Keys: keys, Cells: []Value{
			TextValue(label), Num(l.allocated), Num(spent), Share(spent, l.allocated, 1), Num(forecast), Share(forecast, l.allocated, 1),
		}}
	}
	for _, l := range lines {
		t.Rows = append(t.Rows, line(Detail, r.groupLabel(ctx, g, l.key), map[string]string{g.key: l.key}, l))
	}
	t.Rows = append(t.Rows, line(Total, "Total", nil, total))
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{3, 5}, Unit: "%"}
	return t, nil
}

func deliveryMonthly(ctx context.Context, r *run) (*Table, error) {
	g, err := r.group()
	if err != nil {
		return nil, err
	}
	year, month, err := r.month(ctx)
	if err != nil {
		return nil, err
	}
	lines, total, err := deliveryLines(ctx, r, g, year, month)
	if err != nil {
		return nil, err
	}
	ys := strconv.Itoa(year)
	t := &Table{
		TitlePhrase: Phrasef("Expenditure by month, %s-%s %s, by "+lower(g.title), monthName(1), monthName(month), ys),
		Records:     "expenditures",
		Filter:      map[string]string{"year": ys},
		Columns: []Column{
			{Key: g.key, Title: g.title, Kind: Text},
			{Key: "allocated", TitlePhrase: Phrasef("Allocations %s", ys), Kind: Money, Unit: ThousandsUSD},
		},
	}
	for m := 1; m <= month; m++ {
		t.Columns = append(t.Columns, Column{Key: "m" + strconv.Itoa(m), Title: monthNames[m-1], Kind: Money, Unit: ThousandsUSD, Keys: map[string]string{"month": strconv.Itoa(m)}})
	}
	t.Columns = append(t.Columns,
		Column{Key: "spent", TitlePhrase: Phrasef("Total to %s", monthName(month)), Kind: Money, Unit: ThousandsUSD},
		Column{Key: "rate", Title: "Delivery rate", Kind: Percent, Unit: PerCent})
	line := func(kind RowKind, label string, keys map[string]string, l deliveryLine) Row {
		row := Row{Kind: kind, Keys: keys, Cells: []Value{TextValue(label), Num(l.allocated)}}
		for m := 0; m < month; m++ {
			row.Cells = append(row.Cells, Num(l.monthly[m]))
		}
		spent := l.ytd(month)
		return append2(row, Num(spent), Share(spent, l.allocated, 1))
	}
	for _, l := range lines {
		t.Rows = append(t.Rows, line(Detail, r.groupLabel(ctx, g, l.key), map[string]string{g.key: l.key}, l))
	}
	t.Rows = append(t.Rows, line(Total, "Total", nil, total))
	t.Chart = Chart{Kind: Stacked, Label: 0, Series: seriesRange(2, month), Across: true, Unit: ThousandsUSD.Name}
	return t, nil
}

// PerCent2 prints rates with two decimals, as the delivery thresholds
// are set.
var PerCent2 = Unit{Name: "%", Decimals: 2}

func deliveryProjects(ctx context.Context, r *run) (*Table, error) {
	year, month, err := r.month(ctx)
	if err != nil {
		return nil, err
	}
	stored, err := r.s.FindDeliveryThresholds(ctx)
	if err != nil {
		return nil, err
	}
	// The highest threshold that may apply narrows the projects the
	// store returns; each project is then held to its own.
	below := DefaultThreshold
	threshold := func(p tcmis.ProjectYear) tcmis.Percent {
		if r.p.Threshold != nil {
			return *r.p.Threshold
		}
		if rate, ok := tcmis.ThresholdFor(tcmis.DeliveryRow{Scope: tcmis.ScopeProject, ProjectID: p.ProjectID, UnitID: p.UnitID, OfficeID: p.OfficeID}, stored); ok {
			return rate
		}
		return DefaultThreshold
	}
	if r.p.Threshold != nil {
		below = *r.p.Threshold
	} else {
		for _, t := range stored {
			if t.Scope == tcmis.ScopeProject {
				below = max(below, t.Rate)
			}
		}
	}
	limit := r.p.Limit
	if limit == 0 {
		limit = 100
	}
	fetch := 0
	if limit > 0 {
		fetch = limit + 100 // the last few may be within the rounding of the threshold
	}
	f := r.stats(0, 0)
	cands, n, err := r.s.ProjectYears(ctx, tcmis.ProjectYearQuery{Year: year, Month: month, Below: &below, Filter: f, Limit: fetch})
	if err != nil {
		return nil, err
	}
	type line struct {
		p                      tcmis.ProjectYear
		spent, forecast        int64
		rate, fRate, threshold tcmis.Percent
	}
	var lines []line
	for _, p := range cands {
		l := line{p: p, spent: ytd(p.Monthly, month), forecast: tcmis.Forecast(p.Monthly, month), threshold: threshold(p)}
		var ok bool
		if l.rate, ok = tcmis.DeliveryRate(l.spent, p.Allocated); !ok {
			continue
		}
		l.fRate, _ = tcmis.DeliveryRate(l.forecast, p.Allocated)
		if l.fRate < l.threshold {
			lines = append(lines, l)
		}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if lines[i].fRate != lines[j].fRate {
			return lines[i].fRate < lines[j].fRate
		}
		return lines[i].p.Code < lines[j].p.Code
	})
	var count any = len(lines)
	if len(cands) < n {
		count = Phrasef("about %d", n)
	}
	shown := lines
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	t := &Table{
		TitlePhrase: Phrasef("Projects whose forecast delivery is below their threshold, end of %s %d", monthName(month), year),
		Records:     "expenditures",
		Filter:      map[string]string{"year": strconv.Itoa(year), "to_month": strconv.Itoa(month)},
		Columns: []Column{
			{Key: "code", Title: "Project", Kind: Text},
			{Key: "title", Title: "Title", Kind: Text},
			{Key: "office", Title: "Office", Kind: Text},
			{Key: "unit", Title: "Lead unit", Kind: Text},
			{Key: "allocated", Title: "Allocations", Kind: Money, Unit: ThousandsUSD},
			{Key: "spent", TitlePhrase: Phrasef("Expenditure to %s", monthName(month)), Kind: Money, Unit: ThousandsUSD},
			{Key: "rate", Title: "Delivery rate", Kind: Percent, Unit: PerCent2},
			{Key: "forecast", Title: "Forecast for the year", Kind: Money, Unit: ThousandsUSD},
			{Key: "forecast_rate", Title: "Forecast rate", Kind: Percent, Unit: PerCent2},
			{Key: "threshold", Title: "Threshold", Kind: Percent, Unit: PerCent2},
		},
		NotePhrases: []Phrase{
			Phrasef("%v projects are below their threshold; %d are listed, lowest forecast first.", count, len(shown)),
			Phrasef("A project is listed when its forecast delivery rate for the year is below the threshold set for it, its lead unit or its office, or else below %s per cent, unless the report is asked for one threshold for all.", perCentColumn.Format(Value{N: int64(DefaultThreshold)})),
		},
	}
	for _, l := range shown {
		t.Rows = append(t.Rows, Row{Kind: Detail, Keys: map[string]string{"project": strconv.FormatInt(l.p.ProjectID, 10)}, Cells: []Value{
			TextValue(l.p.Code), TextValue(l.p.Title), TextValue(officeName(ctx, r, l.p.OfficeID)), TextValue(r.unitName(ctx, l.p.UnitID)),
			Num(l.p.Allocated), Num(l.spent), Num(int64(l.rate)), Num(l.forecast), Num(int64(l.fRate)), Num(int64(l.threshold)),
		}})
	}
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{8}, Max: 20, Unit: "%"}
	return t, nil
}

func officeName(ctx context.Context, r *run, id int64) string {
	if id == 0 {
		return ""
	}
	return r.unitName(ctx, id)
}

func ytd(monthly [12]int64, month int) int64 {
	var s int64
	for _, v := range monthly[:month] {
		s += v
	}
	return s
}
