package report

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// Report 1: approvals by donor category and donor (the layout of Annex 2
// of the 2006 report), and average approvals by source in two periods
// with their shares and the change (Table V.1).

func init() {
	register(Definition{
		Name: "approvals-by-donor", Number: 1,
		Title:   "Approvals by donor category and donor",
		Summary: "each donor's approvals per year, total, annual average and share, with subtotals by category (Annex 2)",
		Options: []Option{OptPeriod, OptFilters},
		run:     approvalsByDonor,
	})
	register(Definition{
		Name: "approvals-by-source", Number: 1,
		Title:   "Approvals by source in two periods",
		Summary: "average annual approvals of United Nations, multi-bilateral and other sources, shares and change (Table V.1)",
		Options: []Option{OptPeriod, OptBase, OptFilters},
		run:     approvalsBySource,
	})
}

func approvalsByDonor(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureApprovals)
	if err != nil {
		return nil, err
	}
	years := yearsOf(from, to)
	c, err := r.sums(ctx, tcmis.MeasureApprovals, r.stats(from, to), tcmis.ByCategory, tcmis.ByDonor, tcmis.ByYear)
	if err != nil {
		return nil, err
	}
	n := int64(len(years))
	label := periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Approvals by donor category, %s (US$'000)", label),
		Records:     "approvals",
		Columns: append(append([]Column{{Key: "donor", Title: "Donors", Kind: Text}}, yearColumns(years, ThousandsUSD)...),
			Column{Key: "total", TitlePhrase: Phrasef("%s Total", label), Kind: Money, Unit: ThousandsUSD},
			Column{Key: "average", Title: "Average", Kind: Money, Unit: ThousandsUSD},
			Column{Key: "share", Title: "% share", Kind: Percent, Unit: PerCent}),
		NotePhrases: []Phrase{
			Phrasef("Amounts are approvals converted to US dollars at the rate in force on their date, rounded to thousands half up; totals are of the exact amounts, so printed figures may not add up."),
			Phrasef("Average is the period total over its %d years; %% share is of all donors' approvals in the period.", len(years)),
		},
	}
	grand := c.get("*", "*", "*")
	line := func(kind RowKind, level int, name string, keys map[string]string, amount func(y string) int64) Row {
		row := Row{Kind: kind, Level: level, Keys: keys, Cells: []Value{TextValue(name)}}
		var total int64
		for _, y := range years {
			v := amount(strconv.Itoa(y))
			total += v
			row.Cells = append(row.Cells, Num(v))
		}
		row.Cells = append(row.Cells, Num(total), Avg(total, n), Share(total, grand, 1))
		return row
	}
	categories := append(codes(tcmis.DonorCategories()), "")
	for _, cat := range categories {
		var donors []string
		for _, d := range c.values(1) {
			if c.get(cat, d, "*") != 0 || hasRecords(c, cat, d) {
				donors = append(donors, d)
			}
		}
		if len(donors) == 0 {
			continue
		}
		totals := map[string]int64{}
		for _, d := range donors {
			totals[d] = c.get(cat, d, "*")
		}
		sort.SliceStable(donors, func(i, j int) bool {
			if totals[donors[i]] != totals[donors[j]] {
				return totals[donors[i]] > totals[donors[j]]
			}
			return r.donorName(ctx, id(donors[i])) < r.donorName(ctx, id(donors[j]))
		})
		keys := map[string]string{"category": cat}
		t.Rows = append(t.Rows, Row{Kind: Heading, Keys: keys, Cells: headingCells(categoryLabel(cat), len(t.Columns))})
		for _, d := range donors {
			t.Rows = append(t.Rows, line(Detail, 1, r.donorName(ctx, id(d)), keyed(keys, "donor", d), func(y string) int64 { return c.get(cat, d, y) }))
		}
		t.Rows = append(t.Rows, line(Subtotal, 1, "Subtotal "+categoryLabel(cat), keys, func(y string) int64 { return c.get(cat, "*", y) }))
	}
	t.Rows = append(t.Rows, line(Total, 0, "Total donors", nil, func(y string) int64 { return c.get("*", "*", y) }))
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{len(years) + 1}, Rows: []RowKind{Subtotal}, Unit: ThousandsUSD.Name}
	return t, nil
}

func hasRecords(c cube, cat, donor string) bool {
	for _, row := range c.rows {
		if row.Keys[0] == cat && row.Keys[1] == donor && row.Records != 0 {
			return true
		}
	}
	return false
}

func headingCells(label string, n int) []Value {
	cells := make([]Value, n)
	cells[0] = TextValue(label)
	for i := 1; i < n; i++ {
		cells[i] = Empty()
	}
	return cells
}

func codes[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func id(s string) int64 {
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}

// sourceGroups are the sources of Table V.1: the United Nations, the
// multi-bilateral donors, and all other categories together.
var sourceGroups = []struct {
	label string
	cats  []tcmis.DonorCategory
}{
	{"United Nations", []tcmis.DonorCategory{tcmis.UnitedNations}},
	{"Multi-bilateral donors", []tcmis.DonorCategory{tcmis.MultiBilateral}},
	{"Other sources*", []tcmis.DonorCategory{tcmis.DirectTrustFund, tcmis.NonState, tcmis.FinancialInstitution, tcmis.EuropeanUnion, tcmis.OtherIntergovernment, tcmis.RegularBudgetDonor}},
}

func approvalsBySource(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureApprovals)
	if err != nil {
		return nil, err
	}
	bFrom, bTo := r.p.BaseFrom, r.p.BaseTo
	if bFrom == 0 || bTo == 0 {
		n := to - from + 1
		bFrom, bTo = from-n, from-1
	}
	if bTo < bFrom {
		return nil, tcmis.Errorf(tcmis.EINVALID, "the base period ends (%d) before it starts (%d)", bTo, bFrom)
	}
	c, err := r.sums(ctx, tcmis.MeasureApprovals, r.stats(min(bFrom, from), max(bTo, to)), tcmis.ByCategory, tcmis.ByYear)
	if err != nil {
		return nil, err
	}
	sum := func(cats []tcmis.DonorCategory, from, to int) int64 {
		var s int64
		for _, cat := range cats {
			for y := from; y <= to; y++ {
				s += c.get(string(cat), strconv.Itoa(y))
			}
		}
		return s
	}
	var all []tcmis.DonorCategory
	for _, g := range sourceGroups {
		all = append(all, g.cats...)
	}
	all = append(all, "") // approvals of donors no longer known
	nb, np := int64(bTo-bFrom+1), int64(to-from+1)
	baseTotal, total := sum(all, bFrom, bTo), sum(all, from, to)
	bl, pl := periodLabel(bFrom, bTo), periodLabel(from, to)
	t := &Table{
		TitlePhrase: Phrasef("Approvals of extra-budgetary funding, average %s and %s", bl, pl),
		Records:     "approvals",
		Columns: []Column{
			{Key: "source", Title: "Source", Kind: Text},
			{Key: "base_average", TitlePhrase: Phrasef("Average %s", bl), Kind: Money, Unit: ThousandsUSD, Keys: map[string]string{"from": strconv.Itoa(bFrom), "to": strconv.Itoa(bTo)}},
			{Key: "base_share", TitlePhrase: Phrasef("Share %s", bl), Kind: Percent, Unit: PerCent, Keys: map[string]string{"from": strconv.Itoa(bFrom), "to": strconv.Itoa(bTo)}},
			{Key: "average", TitlePhrase: Phrasef("Average %s", pl), Kind: Money, Unit: ThousandsUSD, Keys: map[string]string{"from": strconv.Itoa(from), "to": strconv.Itoa(to)}},
			{Key: "share", TitlePhrase: Phrasef("Share %s", pl), Kind: Percent, Unit: PerCent, Keys: map[string]string{"from": strconv.Itoa(from), "to": strconv.Itoa(to)}},
			{Key: "change", Title: "% change", Kind: Percent, Unit: PerCent},
		},
		NotePhrases: phrases(
			"* Other sources include direct trust funds, non-state actors, international financial institutions and the European Union.",
			"Averages are annual: each period's total over its number of years. % change compares the two averages.",
		),
	}
	row := func(kind RowKind, label string, cats []tcmis.DonorCategory) Row {
		b, p := sum(cats, bFrom, bTo), sum(cats, from, to)
		var keys map[string]string
		if kind != Total {
			keys = map[string]string{"category": strings.Join(codes(cats), ",")}
		}
		return Row{Kind: kind, Keys: keys, Cells: []Value{
			TextValue(label), Avg(b, nb), Share(b, baseTotal, 1), Avg(p, np), Share(p, total, 1), Change(b*np, p*nb, 1),
		}}
	}
	for _, g := range sourceGroups {
		t.Rows = append(t.Rows, row(Detail, g.label, g.cats))
	}
	t.Rows = append(t.Rows, row(Total, "Total", all))
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{1, 3}, Unit: ThousandsUSD.Name}
	return t, nil
}
