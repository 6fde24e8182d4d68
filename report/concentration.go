package report

import (
	"context"
	"math/big"
	"sort"
	"strconv"

	"github.com/tcmis/tcmis"
)

// Report 2: how concentrated the programme's funding is on a few donors.

func init() {
	register(Definition{
		Name: "donor-concentration", Number: 2,
		Title:   "Donor concentration",
		Summary: "share of the largest 1, 3 and 5 donors and the Herfindahl-Hirschman index of approvals, by year",
		Options: []Option{OptPeriod, OptFilters},
		run:     donorConcentration,
	})
}

// concentration measures one year's (or the period's) approvals by donor.
type concentration struct {
	total, top1, top3, top5 int64
	donors                  int64
	largest                 string
	hhi                     int64
}

// concentrate ranks donors by their approvals. Donors whose approvals net
// to nothing or less (cancellations) are left out; the index is the sum
// of the squared percentage shares, from near 0 (many small donors) to
// 10,000 (one donor), rounded half up.
func concentrate(amounts map[string]int64, name func(string) string) concentration {
	type d struct {
		key    string
		amount int64
	}
	var ds []d
	var c concentration
	for k, v := range amounts {
		if v > 0 {
			ds = append(ds, d{k, v})
			c.total += v
		}
	}
	sort.Slice(ds, func(i, j int) bool {
		if ds[i].amount != ds[j].amount {
			return ds[i].amount > ds[j].amount
		}
		return ds[i].key < ds[j].key
	})
	c.donors = int64(len(ds))
	squares := new(big.Int)
	for i, x := range ds {
		if i < 1 {
			c.top1 += x.amount
			c.largest = name(x.key)
		}
		if i < 3 {
			c.top3 += x.amount
		}
		if i < 5 {
			c.top5 += x.amount
		}
		a := big.NewInt(x.amount)
		squares.Add(squares, a.Mul(a, a))
	}
	if c.total > 0 {
		// 10000 * sum(a^2) / total^2, rounded half up.
		num := squares.Mul(squares, big.NewInt(2*int64(tcmis.Whole)))
		den := new(big.Int).Mul(big.NewInt(c.total), big.NewInt(c.total))
		num.Add(num, den)
		den.Mul(den, big.NewInt(2))
		c.hhi = num.Quo(num, den).Int64()
	}
	return c
}

func donorConcentration(ctx context.Context, r *run) (*Table, error) {
	from, to, err := r.period(ctx, tcmis.MeasureApprovals)
	if err != nil {
		return nil, err
	}
	c, err := r.sums(ctx, tcmis.MeasureApprovals, r.stats(from, to), tcmis.ByYear, tcmis.ByDonor)
	if err != nil {
		return nil, err
	}
	t := &Table{
		TitlePhrase: Phrasef("Donor concentration of approvals, %s", periodLabel(from, to)),
		Records:     "approvals",
		Columns: []Column{
			{Key: "year", Title: "Year", Kind: Text},
			{Key: "total", Title: "Approvals", Kind: Money, Unit: ThousandsUSD},
			{Key: "donors", Title: "Donors", Kind: Integer},
			{Key: "largest", Title: "Largest donor", Kind: Text},
			{Key: "top1", Title: "Largest donor's share", Kind: Percent, Unit: PerCent},
			{Key: "top3", Title: "Largest 3 donors' share", Kind: Percent, Unit: PerCent},
			{Key: "top5", Title: "Largest 5 donors' share", Kind: Percent, Unit: PerCent},
			{Key: "hhi", Title: "Herfindahl-Hirschman index", Kind: Integer, Unit: Points},
		},
		NotePhrases: phrases(
			"Donors are ranked by their approvals in the year (in the period for the last row); donors whose approvals net to nothing or less are left out.",
			"The Herfindahl-Hirschman index is the sum of the squared percentage shares of all donors: 10,000 when one donor gives everything, under 1,500 for funding that is not concentrated.",
		),
	}
	name := func(k string) string { return r.donorName(ctx, id(k)) }
	line := func(kind RowKind, label string, keys map[string]string, amounts map[string]int64) {
		k := concentrate(amounts, name)
		t.Rows = append(t.Rows, Row{Kind: kind, Keys: keys, Cells: []Value{
			TextValue(label), Num(k.total), Num(k.donors), TextValue(k.largest),
			Share(k.top1, k.total, 1), Share(k.top3, k.total, 1), Share(k.top5, k.total, 1), Num(k.hhi),
		}})
	}
	period := map[string]int64{}
	for _, y := range yearsOf(from, to) {
		ys := strconv.Itoa(y)
		amounts := map[string]int64{}
		for _, row := range c.rows {
			if row.Keys[0] == ys {
				amounts[row.Keys[1]] += row.Amount
				period[row.Keys[1]] += row.Amount
			}
		}
		line(Detail, ys, map[string]string{"year": ys}, amounts)
	}
	line(Total, periodLabel(from, to), nil, period)
	t.Chart = Chart{Kind: Line, Label: 0, Series: []int{4, 5, 6}, Unit: "%"}
	return t, nil
}
