package report

import (
	"context"
	"strconv"

	"github.com/tcmis/tcmis"
)

// Report 10: results. For each outcome of a biennium, its indicators'
// targets against the results reported (the programme cycle's
// tcmis.BienniumProgress), and the resources from all sources that went
// to it: the expenditure of the biennium of the projects that serve it,
// in proportion to their objective shares.

func init() {
	register(Definition{
		Name: "results", Number: 10,
		Title:   "Results and resources by outcome",
		Summary: "each outcome's targets against results reported, with the expenditure of all sources that went to it in the biennium",
		Options: []Option{OptBiennium, OptFilters},
		run:     results,
	})
}

func results(ctx context.Context, r *run) (*Table, error) {
	b := r.p.Biennium
	if b == "" {
		_, to, err := r.period(ctx, tcmis.MeasureExpenditure)
		if err != nil {
			return nil, err
		}
		b = tcmis.BienniumOf(to - to%2)
	}
	if _, err := tcmis.ParseBiennium(string(b)); err != nil {
		return nil, tcmis.Errorf(tcmis.EINVALID, "%v", err)
	}
	progress, err := r.s.BienniumResults(ctx, b, nil)
	if err != nil {
		return nil, err
	}
	y0 := b.Start()
	c, err := r.sums(ctx, tcmis.MeasureExpenditure, r.stats(y0, y0+1), tcmis.ByOutcome, tcmis.BySource)
	if err != nil {
		return nil, err
	}
	sources := codes(tcmis.Sources())
	t := &Table{
		TitlePhrase: Phrasef("Results and resources by outcome, %s", string(b)),
		Records:     "expenditures",
		Filter:      map[string]string{"biennium": string(b), "from": strconv.Itoa(y0), "to": strconv.Itoa(y0 + 1)},
		Columns: []Column{
			{Key: "code", Title: "Outcome / indicator", Kind: Text},
			{Key: "title", Title: "Title", Kind: Text},
			{Key: "unit", Title: "Unit", Kind: Text},
			{Key: "target", Title: "Target", Kind: Decimal},
			{Key: "achieved", Title: "Achieved", Kind: Decimal},
			{Key: "percent", Title: "% of target", Kind: Percent, Unit: PerCent},
			{Key: "met", Title: "Met", Kind: Text},
		},
		NotePhrases: phrases(
			"Indicator lines give the target of the biennium and the latest result reported; outcome lines the expenditure of the biennium that went to the outcome: a project's expenditure counts under each outcome of its objective shares, in proportion.",
		),
	}
	for _, s := range sources {
		t.Columns = append(t.Columns, Column{Key: "r_" + s, Title: sourceLabel(s), Kind: Money, Unit: ThousandsUSD, Keys: map[string]string{"source": s}})
	}
	t.Columns = append(t.Columns, Column{Key: "resources", Title: "All sources", Kind: Money, Unit: ThousandsUSD})
	outcomeLine := func(code, title string) Row {
		row := Row{Kind: Subtotal, Keys: map[string]string{"outcome": code}, Cells: []Value{TextValue(code), TextValue(title), TextValue(""), Empty(), Empty(), Empty(), TextValue("")}}
		for _, s := range sources {
			row.Cells = append(row.Cells, Num(c.get(code, s)))
		}
		return append2(row, Num(c.get(code, "*")))
	}
	done := map[string]bool{}
	for i, ip := range progress {
		code := ip.Outcome.Code
		if i == 0 || progress[i-1].Outcome.Code != code {
			t.Rows = append(t.Rows, outcomeLine(code, ip.Outcome.Title))
			done[code] = true
		}
		row := Row{Kind: Detail, Level: 1, Keys: map[string]string{"outcome": code, "indicator": ip.Indicator.Code}, Cells: []Value{
			TextValue(ip.Indicator.Code), TextValue(ip.Indicator.Title), TextValue(ip.Indicator.Unit)}}
		target, achieved, pct, met := Empty(), Empty(), Empty(), ""
		if ip.Target != nil {
			target = Num(int64(ip.Target.Value))
		}
		if ip.HasResult {
			achieved = Num(int64(ip.Achieved))
		}
		if ip.Target != nil && ip.HasResult && ip.Target.Value > 0 {
			pct = Share(int64(ip.Achieved), int64(ip.Target.Value), 1)
		}
		if ip.Target != nil {
			met = "No"
			if ip.Met {
				met = "Yes"
			}
		}
		row.Cells = append(row.Cells, target, achieved, pct, TextValue(met))
		for range sources {
			row.Cells = append(row.Cells, Empty())
		}
		t.Rows = append(t.Rows, append2(row, Empty()))
	}
	// Expenditure under outcome codes the framework of the biennium does
	// not have, and under none.
	for _, code := range c.values(0) {
		if done[code] {
			continue
		}
		label, title := code, "Not in the results framework of "+string(b)
		if code == "" {
			label, title = "None", "Not linked to an outcome"
		}
		row := outcomeLine(code, title)
		row.Cells[0] = TextValue(label)
		t.Rows = append(t.Rows, row)
	}
	total := Row{Kind: Total, Cells: []Value{TextValue("Total"), TextValue(""), TextValue(""), Empty(), Empty(), Empty(), TextValue("")}}
	for _, s := range sources {
		total.Cells = append(total.Cells, Num(c.get("*", s)))
	}
	t.Rows = append(t.Rows, append2(total, Num(c.get("*", "*"))))
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{len(t.Columns) - 1}, Rows: []RowKind{Subtotal}, Unit: ThousandsUSD.Name}
	return t, nil
}
