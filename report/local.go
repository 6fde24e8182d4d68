package report

import (
	"context"

	"github.com/tcmis/tcmis"
)

// Report 3: approvals mobilised locally by field offices, against all
// approvals, by donor category and by strategic objective (Annex 1 A and
// B of the 2006 report).

func init() {
	register(Definition{
		Name: "local-mobilisation", Number: 3,
		Title:   "Local resource mobilisation by donor category",
		Summary: "approvals mobilised by field offices against all approvals, by donor category (Annex 1 A)",
		Options: []Option{OptPeriod, OptFilters},
		run: func(ctx context.Context, r *run) (*Table, error) {
			return localMobilisation(ctx, r, tcmis.ByCategory, "Donor category", append(codes(tcmis.DonorCategories()), ""), categoryLabel)
		},
	})
	register(Definition{
		Name: "local-mobilisation-by-objective", Number: 3,
		Title:   "Local resource mobilisation by strategic objective",
		Summary: "approvals mobilised by field offices against all approvals, by strategic objective (Annex 1 B)",
		Options: []Option{OptPeriod, OptFilters},
		run: func(ctx context.Context, r *run) (*Table, error) {
			return localMobilisation(ctx, r, tcmis.ByObjective, "Strategic objective", objectiveOrder(), func(code string) string {
				if code == "" {
					return "Not tied to a project's objectives"
				}
				return objectiveLabel(code)
			})
		},
	})
}

func localMobilisation(ctx context.Context, r *run, dim tcmis.Dimension, heading string, order []string, label func(string) string) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureApprovals)
	if err != nil {
		return nil, err
	}
	c, err := r.sums(ctx, tcmis.MeasureApprovals, r.stats(from, to), dim, tcmis.ByLocal)
	if err != nil {
		return nil, err
	}
	pl := periodLabel(from, to)
	local := map[string]string{"local": "true"}
	t := &Table{
		TitlePhrase: Phrasef("Approvals %s mobilised locally, by "+map[tcmis.Dimension]string{tcmis.ByCategory: "donor category", tcmis.ByObjective: "strategic objective"}[dim], pl),
		Records:     "approvals",
		Columns: []Column{
			{Key: string(dim), Title: heading, Kind: Text},
			{Key: "total", TitlePhrase: Phrasef("Total XB-TC %s", pl), Kind: Money, Unit: MillionsUSD},
			{Key: "total_share", Title: "Share of total", Kind: Percent, Unit: PerCent},
			{Key: "local", TitlePhrase: Phrasef("Locally mobilised %s", pl), Kind: Money, Unit: MillionsUSD, Keys: local},
			{Key: "local_share", Title: "Share of locally mobilised", Kind: Percent, Unit: PerCent, Keys: local},
			{Key: "local_rate", Title: "Local as % of total", Kind: Percent, Unit: PerCent, Keys: local},
		},
		NotePhrases: phrases("Locally mobilised approvals are those a field office mobilised (the approval's local flag)."),
	}
	if dim == tcmis.ByObjective {
		t.NotePhrases = append(t.NotePhrases, Phrasef("A project's approvals count under each of its strategic objectives in proportion to its shares."))
	}
	total, totalLocal := c.get("*", "*"), c.get("*", "true")
	for _, k := range order {
		all, loc := c.get(k, "*"), c.get(k, "true")
		if all == 0 && loc == 0 && !hasAny(c, k) {
			continue
		}
		t.Rows = append(t.Rows, Row{Kind: Detail, Keys: map[string]string{string(dim): k}, Cells: []Value{
			TextValue(label(k)), Num(all), Share(all, total, 1), Num(loc), Share(loc, totalLocal, 1), Share(loc, all, 1),
		}})
	}
	t.Rows = append(t.Rows, Row{Kind: Total, Cells: []Value{
		TextValue("Total"), Num(total), Share(total, total, 1), Num(totalLocal), Share(totalLocal, totalLocal, 1), Share(totalLocal, total, 1),
	}})
	t.Chart = Chart{Kind: Bar, Label: 0, Series: []int{1, 3}, Unit: MillionsUSD.Name}
	return t, nil
}

func hasAny(c cube, first string) bool {
	for _, row := range c.rows {
		if row.Keys[0] == first {
			return true
		}
	}
	return false
}
