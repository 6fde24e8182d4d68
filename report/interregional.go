package report

import (
	"context"
	"sort"

	"github.com/tcmis/tcmis"
)

// Report 5: interregional projects, whose expenditure the organisation's
// tables show as one heading, attributed to the regions and countries
// they work in (¶173 of the 2006 report: counting them would raise
// Africa's share from 25 to about 32 per cent).

func init() {
	register(Definition{
		Name: "interregional", Number: 5,
		Title:   "Interregional expenditure attributed to regions",
		Summary: "each region's expenditure and share without and with interregional projects attributed to their countries",
		Options: []Option{OptPeriod, OptFilters},
		run:     interregional,
	})
	register(Definition{
		Name: "interregional-countries", Number: 5,
		Title:   "Interregional expenditure by country",
		Summary: "the expenditure of interregional and global projects attributed to the countries and regions they name",
		Options: []Option{OptPeriod, OptFilters},
		run:     interregionalCountries,
	})
}

func interregional(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureExpenditure)
	if err != nil {
		return nil, err
	}
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, r.stats(from, to), tcmis.ByRegion, tcmis.ByPlace)
	if err != nil {
		return nil, err
	}
	without, with := map[string]int64{}, map[string]int64{}
	var grand, inter, toCountries, toRegions int64
	for _, row := range c.rows {
		reg, place := row.Keys[0], row.Keys[1]
		attributed := placeRegion(place, reg)
		without[reg] += row.Amount
		with[attributed] += row.Amount
		grand += row.Amount
		if reg == tcmis.InterregionalRegion {
			inter += row.Amount
			switch {
			case attributed == tcmis.InterregionalRegion:
			case place[0] >= '0' && place[0] <= '9':
				toRegions += row.Amount
			default:
				toCountries += row.Amount
			}
		}
	}
	pl := periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Expenditure by region without and with interregional projects attributed, %s", pl),
		Records:     "expenditures",
		Columns: []Column{
			{Key: "region", Title: "Region", Kind: Text},
			{Key: "without", Title: "Without attribution", Kind: Money, Unit: ThousandsUSD},
			{Key: "without_share", Title: "Share without", Kind: Percent, Unit: PerCent},
			{Key: "attributed", Title: "Attributed", Kind: Money, Unit: ThousandsUSD},
			{Key: "with", Title: "With attribution", Kind: Money, Unit: ThousandsUSD},
			{Key: "with_share", Title: "Share with", Kind: Percent, Unit: PerCent},
		},
		NotePhrases: []Phrase{
			Phrasef("Without attribution, interregional and global projects are one heading, as in Table V.2. With attribution, their expenditure counts under the regions of the countries and IATI regions they name, in proportion to their shares; what names no region stays interregional. Attributed is what attribution adds to a region (and takes from Interregional)."),
			Phrasef("Of interregional expenditure (%s thousand US$, %s per cent of the total), %s per cent is attributed to countries, %s per cent to regions, and the rest names no region.",
				thousandsColumn.Format(Num(inter)), perCentColumn.Format(Share(inter, grand, 1)), perCentColumn.Format(Share(toCountries, inter, 1)), perCentColumn.Format(Share(toRegions, inter, 1))),
		},
	}
	for _, reg := range append(regionOrder(), "") {
		if without[reg] == 0 && with[reg] == 0 {
			continue
		}
		t.Rows = append(t.Rows, Row{Kind: Detail, Keys: map[string]string{"region": reg}, Cells: []Value{
			TextValue(regionLabel(reg)), Num(without[reg]), Share(without[reg], grand, 1), Num(with[reg] - without[reg]), Num(with[reg]), Share(with[reg], grand, 1),
		}})
	}
	t.Rows = append(t.Rows, Row{Kind: Total, Cells: []Value{
		TextValue("Total"), Num(grand), Share(grand, grand, 1), Num(0), Num(grand), Share(grand, grand, 1),
	}})
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{2, 5}, Unit: "%"}
	return t, nil
}

// Columns used to format figures in notes.
var (
	thousandsColumn = Column{Kind: Money, Unit: ThousandsUSD}
	perCentColumn   = Column{Kind: Percent, Unit: PerCent}
)

func placeLabel(place string) string {
	switch {
	case place == "":
		return "No country or region named"
	case place[0] >= '0' && place[0] <= '9':
		if n := tcmis.LookupCodelist(tcmis.ListRegion).NameOf(place); n != "" {
			return n + " (" + place + ")"
		}
		return "Region " + place
	}
	return tcmis.CountryName(place) + " (" + place + ")"
}

func interregionalCountries(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureExpenditure)
	if err != nil {
		return nil, err
	}
	f := r.stats(from, to)
	f.Regions = []string{tcmis.InterregionalRegion}
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, f, tcmis.ByPlace)
	if err != nil {
		return nil, err
	}
	byRegion := map[string][]tcmis.MoneySum{}
	var total int64
	for _, row := range c.rows {
		reg := placeRegion(row.Keys[0], tcmis.InterregionalRegion)
		byRegion[reg] = append(byRegion[reg], row)
		total += row.Amount
	}
	pl := periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Expenditure of interregional projects by country and region, %s", pl),
		Records:     "expenditures",
		Filter:      map[string]string{"region": tcmis.InterregionalRegion},
		Columns: []Column{
			{Key: "place", Title: "Country or region", Kind: Text},
			{Key: "amount", TitlePhrase: Phrasef("Expenditure %s", pl), Kind: Money, Unit: ThousandsUSD},
			{Key: "share", Title: "Share of interregional", Kind: Percent, Unit: PerCent},
		},
		NotePhrases: phrases("Interregional and global projects, their expenditure attributed to the countries and IATI regions they name in proportion to their shares, grouped by region."),
	}
	for _, reg := range regionOrder() {
		rows := byRegion[reg]
		if len(rows) == 0 {
			continue
		}
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].Amount != rows[j].Amount {
				return rows[i].Amount > rows[j].Amount
			}
			return rows[i].Keys[0] < rows[j].Keys[0]
		})
		var sub int64
		keys := map[string]string{"attributed_region": reg}
		label := regionLabel(reg)
		if reg == tcmis.InterregionalRegion {
			label = "Not attributable to a region"
		}
		t.Rows = append(t.Rows, Row{Kind: Heading, Keys: keys, Cells: headingCells(label, len(t.Columns))})
		for _, row := range rows {
			sub += row.Amount
			t.Rows = append(t.Rows, Row{Kind: Detail, Level: 1, Keys: map[string]string{"place": row.Keys[0]}, Cells: []Value{
				TextValue(placeLabel(row.Keys[0])), Num(row.Amount), Share(row.Amount, total, 1),
			}})
		}
		t.Rows = append(t.Rows, Row{Kind: Subtotal, Level: 1, Keys: keys, Cells: []Value{TextValue("Subtotal " + label), Num(sub), Share(sub, total, 1)}})
	}
	t.Rows = append(t.Rows, Row{Kind: Total, Cells: []Value{TextValue("Total interregional"), Num(total), Share(total, total, 1)}})
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{1}, Rows: []RowKind{Subtotal}, Unit: ThousandsUSD.Name}
	return t, nil
}
