package report

import (
	"context"
	"strconv"

	"github.com/tcmis/tcmis"
)

// Report 4: where and on what the money is spent: expenditure by
// strategic objective (Figure V.3 of the 2006 report), by region (Table
// V.2), by type of assistance (Figure V.5), by region and objective, and
// by source of funds.

func init() {
	register(Definition{
		Name: "expenditure-by-objective", Number: 4,
		Title:   "Expenditure by strategic objective",
		Summary: "expenditure per year and share of the period by strategic objective, split projects in proportion (Figure V.3)",
		Options: []Option{OptPeriod, OptFilters},
		run: func(ctx context.Context, r *run) (*Table, error) {
			t, err := expenditureBy(ctx, r, tcmis.ByObjective, "Strategic objective", objectiveOrder(), objectiveLabel)
			if t != nil {
				t.NotePhrases = append(t.NotePhrases, Phrasef("A project split across several strategic objectives counts under each in proportion to its shares, not wholly under its lead unit's sector."))
				t.Chart = Chart{Kind: Pie, Label: 0, Series: []int{len(t.Columns) - 2}, Unit: ThousandsUSD.Name}
			}
			return t, err
		},
	})
	register(Definition{
		Name: "expenditure-by-region", Number: 4,
		Title:   "Share of expenditure by region",
		Summary: "each region's share of expenditure per year and of the period (Table V.2), optionally with interregional projects under their countries' regions",
		Options: []Option{OptPeriod, OptFilters, OptAttribute},
		run:     expenditureByRegion,
	})
	register(Definition{
		Name: "expenditure-by-type", Number: 4,
		Title:   "Expenditure by type of assistance",
		Summary: "expenditure per year and share of the period by type of assistance (Figure V.5)",
		Options: []Option{OptPeriod, OptFilters},
		run: func(ctx context.Context, r *run) (*Table, error) {
			t, err := expenditureBy(ctx, r, tcmis.ByType, "Type of assistance", codes(tcmis.AssistanceTypes()), func(s string) string { return tcmis.Assistance(s).Label() })
			if t != nil {
				t.Chart = Chart{Kind: Pie, Label: 0, Series: []int{len(t.Columns) - 2}, Unit: ThousandsUSD.Name}
			}
			return t, err
		},
	})
	register(Definition{
		Name: "expenditure-by-region-objective", Number: 4,
		Title:   "Expenditure by region and strategic objective",
		Summary: "expenditure of the period by region and strategic objective, split projects in proportion",
		Options: []Option{OptPeriod, OptFilters},
		run:     expenditureByRegionObjective,
	})
	register(Definition{
		Name: "expenditure-by-source", Number: 4,
		Title:   "Expenditure by source of funds",
		Summary: "expenditure per year and share of the period by source of funds",
		Options: []Option{OptPeriod, OptFilters},
		run: func(ctx context.Context, r *run) (*Table, error) {
			t, err := expenditureBy(ctx, r, tcmis.BySource, "Source of funds", codes(tcmis.Sources()), sourceLabel)
			if t != nil {
				t.Chart = Chart{Kind: Stacked, Label: 0, Series: seriesRange(1, len(t.Columns)-3), Across: true, Unit: ThousandsUSD.Name}
			}
			return t, err
		},
	})
}

// expenditureBy is expenditure per year by one heading, with the period's
// total and each heading's share of it.
func expenditureBy(ctx context.Context, r *run, dim tcmis.Dimension, heading string, order []string, label func(string) string) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureExpenditure)
	if err != nil {
		return nil, err
	}
	years := yearsOf(from, to)
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, r.stats(from, to), dim, tcmis.ByYear)
	if err != nil {
		return nil, err
	}
	pl := periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Expenditure by "+lower(heading)+", %s (US$'000)", pl),
		Records:     "expenditures",
		Columns: append(append([]Column{{Key: string(dim), Title: heading, Kind: Text}}, yearColumns(years, ThousandsUSD)...),
			Column{Key: "total", TitlePhrase: Phrasef("%s Total", pl), Kind: Money, Unit: ThousandsUSD},
			Column{Key: "share", TitlePhrase: Phrasef("Share %s", pl), Kind: Percent, Unit: PerCent}),
	}
	grand := c.get("*", "*")
	line := func(kind RowKind, name string, keys map[string]string, k string) Row {
		row := Row{Kind: kind, Keys: keys, Cells: []Value{TextValue(name)}}
		for _, y := range years {
			row.Cells = append(row.Cells, Num(c.get(k, strconv.Itoa(y))))
		}
		total := c.get(k, "*")
		return append2(row, Num(total), Share(total, grand, 1))
	}
	for _, k := range order {
		if c.get(k, "*") == 0 && !hasAny(c, k) {
			continue
		}
		t.Rows = append(t.Rows, line(Detail, label(k), map[string]string{string(dim): k}, k))
	}
	t.Rows = append(t.Rows, line(Total, "Total", nil, "*"))
	return t, nil
}

func append2(r Row, vs ...Value) Row {
	r.Cells = append(r.Cells, vs...)
	return r
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// placeRegion is the region a project's share in a place counts under
// when expenditure is attributed: the region of the country or IATI
// region, and the project's own reporting region when it names no place.
// A place with no region (998, developing countries unspecified) stays
// interregional.
func placeRegion(place, region string) string {
	switch {
	case place == "":
		return region
	case place[0] >= '0' && place[0] <= '9':
		if reg, ok := tcmis.RegionOfCode(place); ok {
			return string(reg)
		}
		return tcmis.InterregionalRegion
	}
	if reg, ok := tcmis.RegionOf(place); ok {
		return string(reg)
	}
	return tcmis.InterregionalRegion
}

// regionSums returns expenditure by region and year: by the projects'
// reporting regions, or attributed to the regions of their places.
func regionSums(ctx context.Context, r *run, from, to int, attribute bool) (map[[2]string]int64, error) {
	out := map[[2]string]int64{}
	if !attribute {
		c, err := r.sums(ctx, tcmis.MeasureExpenditure, r.stats(from, to), tcmis.ByRegion, tcmis.ByYear)
		if err != nil {
			return nil, err
		}
		for _, row := range c.rows {
			out[[2]string{row.Keys[0], row.Keys[1]}] += row.Amount
		}
		return out, nil
	}
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, r.stats(from, to), tcmis.ByRegion, tcmis.ByYear, tcmis.ByPlace)
	if err != nil {
		return nil, err
	}
	for _, row := range c.rows {
		out[[2]string{placeRegion(row.Keys[2], row.Keys[0]), row.Keys[1]}] += row.Amount
	}
	return out, nil
}

func expenditureByRegion(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureExpenditure)
	if err != nil {
		return nil, err
	}
	years := yearsOf(from, to)
	sums, err := regionSums(ctx, r, from, to, r.p.Attribute)
	if err != nil {
		return nil, err
	}
	pl := periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Share of total technical cooperation expenditure by region, %s (percentage)", pl),
		Records:     "expenditures",
		Columns:     []Column{{Key: "region", Title: "Region", Kind: Text}},
	}
	for _, y := range years {
		s := strconv.Itoa(y)
		t.Columns = append(t.Columns, Column{Key: "y" + s, Title: s, Kind: Percent, Unit: PerCent, Keys: map[string]string{"year": s}})
	}
	t.Columns = append(t.Columns, Column{Key: "average", TitlePhrase: Phrasef("Average %s", pl), Kind: Percent, Unit: PerCent})
	yearTotal := map[string]int64{}
	var grand int64
	regionTotal := map[string]int64{}
	for k, v := range sums {
		yearTotal[k[1]] += v
		regionTotal[k[0]] += v
		grand += v
	}
	for _, reg := range append(regionOrder(), "") {
		if regionTotal[reg] == 0 && !hasRegion(sums, reg) {
			continue
		}
		row := Row{Kind: Detail, Keys: map[string]string{"region": reg}, Cells: []Value{TextValue(regionLabel(reg))}}
		for _, y := range years {
			ys := strconv.Itoa(y)
			row.Cells = append(row.Cells, Share(sums[[2]string{reg, ys}], yearTotal[ys], 1))
		}
		row.Cells = append(row.Cells, Share(regionTotal[reg], grand, 1))
		t.Rows = append(t.Rows, row)
	}
	total := Row{Kind: Total, Cells: []Value{TextValue("Total")}}
	for _, y := range years {
		ys := strconv.Itoa(y)
		total.Cells = append(total.Cells, Share(yearTotal[ys], yearTotal[ys], 1))
	}
	t.Rows = append(t.Rows, append2(total, Share(grand, grand, 1)))
	t.NotePhrases = phrases("Shares are of the year's (for the average, the period's) total expenditure, so that the average weighs each year by its expenditure.")
	if r.p.Attribute {
		t.TitlePhrase = Phrasef("Share of total technical cooperation expenditure by region, %s (percentage), interregional projects attributed to their countries", pl)
		t.NotePhrases = append(t.NotePhrases, Phrasef("Interregional and global projects count under the regions of their countries and IATI regions, in proportion to their shares; what names no region stays interregional."))
		t.Filter = map[string]string{"attribute": "true"}
	} else {
		t.NotePhrases = append(t.NotePhrases, Phrasef("Interregional and global projects are under Interregional; see the interregional report for their countries."))
	}
	t.Chart = Chart{Kind: Stacked, Label: 0, Series: seriesRange(1, len(years)), Across: true, Unit: "%"}
	return t, nil
}

func hasRegion(sums map[[2]string]int64, reg string) bool {
	for k := range sums {
		if k[0] == reg {
			return true
		}
	}
	return false
}

func expenditureByRegionObjective(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureExpenditure)
	if err != nil {
		return nil, err
	}
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, r.stats(from, to), tcmis.ByRegion, tcmis.ByObjective)
	if err != nil {
		return nil, err
	}
	pl := periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Expenditure by region and strategic objective, %s (US$'000)", pl),
		Records:     "expenditures",
		Columns:     []Column{{Key: "region", Title: "Region", Kind: Text}},
		NotePhrases: phrases("A project split across several strategic objectives counts under each in proportion to its shares."),
	}
	var objs []string
	for _, o := range objectiveOrder() {
		if c.get("*", o) != 0 || hasObjective(c, o) {
			objs = append(objs, o)
			t.Columns = append(t.Columns, Column{Key: "o_" + o, Title: objectiveLabel(o), Kind: Money, Unit: ThousandsUSD, Keys: map[string]string{"objective": o}})
		}
	}
	t.Columns = append(t.Columns, Column{Key: "total", Title: "Total", Kind: Money, Unit: ThousandsUSD},
		Column{Key: "share", Title: "Share", Kind: Percent, Unit: PerCent})
	grand := c.get("*", "*")
	line := func(kind RowKind, name string, keys map[string]string, reg string) Row {
		row := Row{Kind: kind, Keys: keys, Cells: []Value{TextValue(name)}}
		for _, o := range objs {
			row.Cells = append(row.Cells, Num(c.get(reg, o)))
		}
		total := c.get(reg, "*")
		return append2(row, Num(total), Share(total, grand, 1))
	}
	for _, reg := range append(regionOrder(), "") {
		if c.get(reg, "*") == 0 && !hasAny(c, reg) {
			continue
		}
		t.Rows = append(t.Rows, line(Detail, regionLabel(reg), map[string]string{"region": reg}, reg))
	}
	t.Rows = append(t.Rows, line(Total, "Total", nil, "*"))
	t.Chart = Chart{Kind: Stacked, Label: 0, Series: seriesRange(1, len(objs)), Unit: ThousandsUSD.Name}
	return t, nil
}

func hasObjective(c cube, o string) bool {
	for _, row := range c.rows {
		if row.Keys[1] == o {
			return true
		}
	}
	return false
}
