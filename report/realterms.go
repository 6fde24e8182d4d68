package report

import (
	"context"
	"math/big"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// Report 6: growth in real terms: amounts deflated by a cost index
// entered for each year (the organisation deflates extra-budgetary
// expenditure by the cost increases of its regular budget, ¶153).

func init() {
	register(Definition{
		Name: "real-terms", Number: 6,
		Title:   "Growth in real terms",
		Summary: "expenditure (or approvals) per year in current prices and in prices of the first year, deflated by the cost index",
		Options: []Option{OptPeriod, OptFilters, OptMeasure},
		run:     realTerms,
	})
}

func realTerms(ctx context.Context, r *run) (*Table, error) {
	m := r.p.Measure
	if m == "" {
		m = tcmis.MeasureExpenditure
	}
	if m != tcmis.MeasureExpenditure && m != tcmis.MeasureApprovals {
		return nil, tcmis.Errorf(tcmis.EINVALID, "real terms are computed for expenditure or approvals, not %s", m)
	}
	from, to, err := r.period(ctx, m)
	if err != nil {
		return nil, err
	}
	c, err := r.sums(ctx, m, r.stats(from, to), tcmis.ByYear)
	if err != nil {
		return nil, err
	}
	index, err := r.s.FindCostIndex(ctx)
	if err != nil {
		return nil, err
	}
	idx := map[int]int64{}
	for _, ci := range index {
		idx[ci.Year] = int64(ci.Value)
	}
	base := strconv.Itoa(from)
	records := "expenditures"
	if m == tcmis.MeasureApprovals {
		records = "approvals"
	}
	t := &Table{
		TitlePhrase: Phrasef(capital(string(m))+" in current prices and in real terms (prices of %s), %s", base, periodLabel(from, to)),
		Records:     records,
		Columns: []Column{
			{Key: "year", Title: "Year", Kind: Text},
			{Key: "nominal", Title: "Current prices", Kind: Money, Unit: ThousandsUSD},
			{Key: "index", Title: "Cost index", Kind: Decimal},
			{Key: "real", TitlePhrase: Phrasef("Prices of %s", base), Kind: Money, Unit: ThousandsUSD},
			{Key: "nominal_change", TitlePhrase: Phrasef("Change since %s, current prices", base), Kind: Percent, Unit: PerCent},
			{Key: "real_change", TitlePhrase: Phrasef("Change since %s, real terms", base), Kind: Percent, Unit: PerCent},
		},
		NotePhrases: []Phrase{Phrasef("Real terms divide each year's amount by the year's cost index and multiply it by the index of %s (the organisation deflates by the cost increases of its regular budget).", base)},
	}
	nominal0 := c.get(base)
	idx0, has0 := idx[from]
	var missing []string
	for _, y := range yearsOf(from, to) {
		ys := strconv.Itoa(y)
		n := c.get(ys)
		row := Row{Kind: Detail, Keys: map[string]string{"year": ys}, Cells: []Value{TextValue(ys), Num(n)}}
		iy, ok := idx[y]
		if !ok {
			missing = append(missing, ys)
			row.Cells = append(row.Cells, Empty(), Empty(), Change(nominal0, n, 1), Empty())
			t.Rows = append(t.Rows, row)
			continue
		}
		row.Cells = append(row.Cells, Num(iy))
		if !has0 {
			row.Cells = append(row.Cells, Empty(), Change(nominal0, n, 1), Empty())
			t.Rows = append(t.Rows, row)
			continue
		}
		// real = n * idx0 / iy, kept exact as a fraction when it fits.
		real := Avg(n*idx0, iy)
		if n != 0 && (n*idx0)/idx0 != n {
			v, _ := tcmis.MulDivRound(n, idx0, iy)
			real = Num(v)
		}
		row.Cells = append(row.Cells, real, Change(nominal0, n, 1), bigChange(nominal0, iy, n, idx0))
		t.Rows = append(t.Rows, row)
	}
	if len(missing) > 0 {
		t.NotePhrases = append(t.NotePhrases, Phrasef("No cost index is set for %s: set it with tcmis report costindex set YEAR VALUE.", strings.Join(missing, ", ")))
	}
	t.Chart = Chart{Kind: Line, Label: 0, Series: []int{1, 3}, Unit: ThousandsUSD.Name}
	return t, nil
}

// bigChange is the change from old*a to cur*b as a percentage, with one
// decimal, computed without overflow: the real change between two years
// is (cur*idx0 - old*idx)/(old*idx).
func bigChange(old, a, cur, b int64) Value {
	oa := new2(old, a)
	if oa.Sign() <= 0 {
		return Empty()
	}
	diff := new(big.Int).Sub(new2(cur, b), oa)
	// tenths of a per cent, rounded half away from zero
	num := diff.Mul(diff, big.NewInt(1000))
	q, rem := new(big.Int).QuoRem(num, oa, new(big.Int))
	rem.Abs(rem).Mul(rem, big.NewInt(2))
	if rem.Cmp(oa) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return Num(q.Int64() * 10)
}

func new2(a, b int64) *big.Int { return new(big.Int).Mul(big.NewInt(a), big.NewInt(b)) }

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
