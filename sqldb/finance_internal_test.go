package sqldb

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

// TestFinanceFastConvert checks that the bulk conversion picks the same
// rate and gives the same US cents as the domain's tcmis.Convert, over
// currencies with 0 to 4 decimals, rates small and huge, amounts near the
// int64 limits of the fast path, and several rates on one day (the last
// entered wins).
func TestFinanceFastConvert(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	var rates []tcmis.ExchangeRate
	id := int64(0)
	for _, cur := range []string{"EUR", "JPY", "KWD", "CLF"} {
		for range 40 {
			id++
			per := tcmis.Decimal(rnd.Int64N(5_000_000_000) + 1)
			switch rnd.IntN(4) {
			case 0:
				per = tcmis.Decimal(rnd.Int64N(10) + 1) // 0.000001 and so
			case 1:
				per = tcmis.Decimal(math.MaxInt64 - rnd.Int64N(1000)) // beyond the fast path
			}
			rates = append(rates, tcmis.ExchangeRate{ID: id, Currency: cur, Date: base.AddDate(0, 0, rnd.IntN(400)), PerUSD: per, Source: "test"})
		}
	}
	// Rates on the same day: the one entered last is in force.
	rates = append(rates, tcmis.ExchangeRate{ID: 1000, Currency: "EUR", Date: rates[0].Date, PerUSD: 123456, Source: "correction"})
	rnd.Shuffle(len(rates), func(i, j int) { rates[i], rates[j] = rates[j], rates[i] })
	ix := newRateIndex(rates)
	// tcmis.Rates keeps the first of a day's rates: list the newest first.
	domain := slices.Clone(rates)
	slices.SortFunc(domain, func(a, b tcmis.ExchangeRate) int { return int(b.ID - a.ID) })

	limit := int64(math.MaxInt64 / 100_000_000)
	amounts := []int64{0, 1, -1, 2, -2, 3, 5, -5, 50, limit, -limit, limit + 1, -limit - 1, math.MaxInt64, math.MinInt64 + 1}
	for range 20000 {
		amounts = append(amounts, rnd.Int64N(2_000_000_000_000)-1_000_000_000_000, rnd.Int64N(2*limit)-limit, rnd.Int64())
	}
	for i, a := range amounts {
		m := tcmis.Money{Amount: a, Currency: []string{"EUR", "JPY", "KWD", "CLF", "USD"}[i%5]}
		day := base.AddDate(0, 0, rnd.IntN(420)-10)
		if i == 1 {
			day = rates[slices.IndexFunc(rates, func(r tcmis.ExchangeRate) bool { return r.ID == 1000 })].Date
			m.Currency = "EUR"
		}
		want, wantErr := tcmis.Convert(tcmis.Rates(domain), m, day)
		got, gotErr := ix.convert(m, day)
		if gotErr == errNoRate {
			gotErr = tcmis.Errorf(tcmis.EINVALID, "no rate")
		}
		if (wantErr == nil && got != want) || tcmis.ErrorCode(gotErr) != tcmis.ErrorCode(wantErr) {
			t.Fatalf("%v on %s: got %+v (%v), want %+v (%v)", m, day.Format(tcmis.DateLayout), got, gotErr, want, wantErr)
		}
		if i == 1 && got.RateID != 1000 {
			t.Fatalf("same-day rates: converted with %d, want the last entered", got.RateID)
		}
		if wantErr == nil {
			r, err := ix.RateOn(m.Currency, day)
			if m.Currency != tcmis.USD && (err != nil || r.ID != want.RateID) {
				t.Fatalf("RateOn(%s, %s) = %d, %v; Convert used %d", m.Currency, day, r.ID, err, want.RateID)
			}
		}
	}
}

// TestFinanceConvertHalves checks rounding where it matters: amounts that
// convert to exactly half a cent go away from zero, like the domain's.
func TestFinanceConvertHalves(t *testing.T) {
	day := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, per := range []tcmis.Decimal{2_000000, 4_000000, 8_000000, 200_000000, 1_600000} {
		for _, cur := range []string{"EUR", "JPY", "KWD"} {
			rates := tcmis.Rates{{ID: 7, Currency: cur, Date: day, PerUSD: per}}
			ix := newRateIndex(rates)
			for a := int64(-41); a <= 41; a++ {
				m := tcmis.Money{Amount: a, Currency: cur}
				want, _ := tcmis.Convert(rates, m, day)
				got, err := ix.convert(m, day)
				if err != nil || got != want {
					t.Fatalf("%v at %s per USD: got %+v (%v), want %+v", m, per, got, err, want)
				}
			}
		}
	}
}

// TestFinanceConvertAllocs keeps the bulk path free of allocations.
func TestFinanceConvertAllocs(t *testing.T) {
	ix := newRateIndex([]tcmis.ExchangeRate{
		{ID: 1, Currency: "EUR", Date: time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC), PerUSD: 800000},
		{ID: 2, Currency: "JPY", Date: time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC), PerUSD: 110_000000},
	})
	e := tcmis.Expenditure{Year: 2005, Month: 6, Amount: tcmis.Converted{Money: tcmis.Money{Amount: 123456, Currency: "EUR"}}}
	n := testing.AllocsPerRun(1000, func() {
		e.Amount.Currency = "EUR"
		if _, err := ix.convert(e.Amount.Money, e.Day()); err != nil {
			t.Fatal(err)
		}
		e.Amount.Currency = "JPY"
		if _, err := ix.convert(e.Amount.Money, e.Day()); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations per conversion", n)
	}
}
