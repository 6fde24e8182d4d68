package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// financeFixture is what money attaches to: a donor, an agreement of the
// donor, a project the donor funds and one another donor funds.
type financeFixture struct {
	donor, other, agreement, project, project2 int64
	unit                                       int64
}

func mustFinanceFixture(tb testing.TB, db *sqldb.DB) financeFixture {
	tb.Helper()
	ctx := ctxAs("setup")
	var f financeFixture
	for _, o := range []struct {
		id   *int64
		name string
	}{{&f.donor, "Netherlands"}, {&f.other, "Norway"}} {
		org := &tcmis.Organisation{Name: o.name, Category: tcmis.MultiBilateral}
		if err := db.CreateOrganisation(ctx, org); err != nil {
			tb.Fatal(err)
		}
		*o.id = org.ID
	}
	unit := &tcmis.Unit{Code: "EMP", Name: "Employment Sector", Kind: tcmis.Department}
	if err := db.CreateUnit(ctx, unit); err != nil {
		tb.Fatal(err)
	}
	f.unit = unit.ID
	ag := &tcmis.Agreement{Ref: "NL-2004-1", DonorID: f.donor, Kind: tcmis.Partnership, Start: finDay("2004-01-01"), End: finDay("2007-12-31"),
		Amount: tcmis.Money{Amount: 100_000_000, Currency: "EUR"}}
	if err := db.CreateAgreement(ctx, ag); err != nil {
		tb.Fatal(err)
	}
	f.agreement = ag.ID
	ps := []*tcmis.Project{finProject("INT/04/01/NET", f.unit, f.donor), finProject("INT/04/02/NOR", f.unit, f.other)}
	if err := db.CreateProjects(ctx, ps); err != nil {
		tb.Fatal(err)
	}
	f.project, f.project2 = ps[0].ID, ps[1].ID
	return f
}

// finProject is a project with only what a project needs.
func finProject(code string, unit, donor int64) *tcmis.Project {
	return &tcmis.Project{Code: code, Title: "Project " + code, Source: tcmis.XBTC, DonorIDs: []int64{donor}, LeadUnitID: unit,
		Scope: tcmis.Global, Start: finDay("2004-01-01"), End: finDay("2008-12-31"), Status: tcmis.Ongoing, Currency: "USD"}
}

func finDay(s string) time.Time {
	t, err := tcmis.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func finPtr[T any](v T) *T { return &v }

func fmtIDs(ids []int64) string { return fmt.Sprint(ids) }

func finMoney(amount int64, currency string) tcmis.Converted {
	return tcmis.Converted{Money: tcmis.Money{Amount: amount, Currency: currency}}
}

// mustRates stores rates and returns them by "CUR date".
func finRates(tb testing.TB, db *sqldb.DB, rates ...string) map[string]*tcmis.ExchangeRate {
	tb.Helper()
	var rs []*tcmis.ExchangeRate
	out := map[string]*tcmis.ExchangeRate{}
	for _, s := range rates {
		var cur, date, per string
		if _, err := fmt.Sscan(s, &cur, &date, &per); err != nil {
			tb.Fatal(err)
		}
		p, err := tcmis.ParseDecimal(per)
		if err != nil {
			tb.Fatal(err)
		}
		r := &tcmis.ExchangeRate{Currency: cur, Date: finDay(date), PerUSD: p, Source: "UN operational rates of exchange"}
		rs = append(rs, r)
		out[cur+" "+date] = r
	}
	if err := db.CreateRates(ctxAs("setup"), rs); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestFinanceConversion checks the US dollar figures: the rate in force by
// date for each kind of record, currencies with two and no decimals,
// rounding half away from zero, and the error for a missing rate.
func TestFinanceConversion(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		rates := finRates(t, db,
			"EUR 2005-01-01 0.8", "EUR 2005-03-31 0.75",
			"JPY 2005-01-01 110.5", "JPY 2006-01-01 200",
			"CHF 2005-01-01 2")
		eurJan, eurMar := rates["EUR 2005-01-01"].ID, rates["EUR 2005-03-31"].ID
		jpy05, jpy06 := rates["JPY 2005-01-01"].ID, rates["JPY 2006-01-01"].ID
		chf := rates["CHF 2005-01-01"].ID

		// Approvals use their date: on, just before and after a new rate.
		approvals := []struct {
			date   string
			amount tcmis.Converted
			usd    int64
			rate   int64
		}{
			{"2005-01-01", finMoney(10000, "EUR"), 12500, eurJan},             // 100 EUR / 0.8
			{"2005-03-30", finMoney(10000, "EUR"), 12500, eurJan},             // the day before the new rate
			{"2005-03-31", finMoney(7500, "EUR"), 10000, eurMar},              // 75 EUR / 0.75
			{"2005-12-31", finMoney(7500, "EUR"), 10000, eurMar},              // long after
			{"2005-06-01", finMoney(1000, "JPY"), 905, jpy05},                 // 1000 JPY / 110.5 = 9.0497 USD
			{"2006-01-01", finMoney(1, "JPY"), 1, jpy06},                      // 0.005 USD: half a cent, up
			{"2006-02-01", finMoney(3, "JPY"), 2, jpy06},                      // 1.5 cents, up
			{"2006-02-01", finMoney(-1, "JPY"), -1, jpy06},                    // -0.5 cent, away from zero
			{"2006-02-01", finMoney(-3, "JPY"), -2, jpy06},                    // -1.5 cents, away from zero
			{"2005-02-01", finMoney(1, "CHF"), 1, chf},                        // 0.5 cent
			{"2005-02-01", finMoney(-5, "CHF"), -3, chf},                      // -2.5 cents
			{"2005-02-01", finMoney(123456, "USD"), 123456, 0},                // no rate for dollars
			{"2005-02-01", finMoney(-1234567891, "EUR"), -1543209864, eurJan}, // -12345678.91 / 0.8 = -15432098.6375
		}
		var as []*tcmis.Approval
		for _, c := range approvals {
			a := &tcmis.Approval{DonorID: f.donor, ProjectID: f.project, Date: finDay(c.date), Amount: c.amount}
			if c.amount.Amount < 0 {
				a.Reason = "correction"
			}
			as = append(as, a)
		}
		if err := db.CreateApprovals(ctx, as); err != nil {
			t.Fatal(err)
		}
		stored, _, err := db.FindApprovals(ctx, tcmis.MoneyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]*tcmis.Approval{}
		for _, a := range stored {
			byID[a.ID] = a
		}
		for i, c := range approvals {
			for _, got := range []*tcmis.Approval{as[i], byID[as[i].ID]} {
				if got == nil || got.Amount.USD != c.usd || got.Amount.RateID != c.rate || got.Amount.Money != c.amount.Money {
					t.Errorf("%s %v: got %+v, want %d US cents at rate %d", c.date, c.amount.Money, got, c.usd, c.rate)
				}
			}
		}

		// The figure can be traced to its rate, date and source.
		r, err := db.FindRateByID(ctx, as[2].Amount.RateID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Currency != "EUR" || !r.Date.Equal(finDay("2005-03-31")) || r.PerUSD != 750000 || r.Source != "UN operational rates of exchange" {
			t.Fatalf("rate of %+v: %+v", as[2].Amount, r)
		}

		// Allocations use 1 January of their year, expenditures the last
		// day of their month.
		al := []*tcmis.Allocation{
			{ProjectID: f.project, Year: 2005, Amount: finMoney(8000, "EUR")},
			{ProjectID: f.project, Year: 2006, Amount: finMoney(8000, "EUR")},
		}
		if err := db.CreateAllocations(ctx, al); err != nil {
			t.Fatal(err)
		}
		if al[0].Amount.RateID != eurJan || al[0].Amount.USD != 10000 || al[1].Amount.RateID != eurMar || al[1].Amount.USD != 10667 {
			t.Fatalf("allocations converted to %+v and %+v", al[0].Amount, al[1].Amount)
		}
		es := []*tcmis.Expenditure{
			{ProjectID: f.project, Year: 2005, Month: 2, Type: tcmis.Equipment, Amount: finMoney(8000, "EUR")},
			{ProjectID: f.project, Year: 2005, Month: 3, Type: tcmis.Equipment, Amount: finMoney(7500, "EUR")},
		}
		if err := db.CreateExpenditures(ctx, es); err != nil {
			t.Fatal(err)
		}
		if es[0].Amount.RateID != eurJan || es[0].Amount.USD != 10000 || es[1].Amount.RateID != eurMar || es[1].Amount.USD != 10000 {
			t.Fatalf("expenditures converted to %+v and %+v", es[0].Amount, es[1].Amount)
		}

		// No rate in force: refused, naming the currency and the day.
		_, before, _ := db.FindApprovals(ctx, tcmis.MoneyFilter{})
		err = db.CreateApprovals(ctx, []*tcmis.Approval{{DonorID: f.donor, Date: finDay("2004-12-31"), Amount: finMoney(100, "EUR")}})
		mustCode(t, err, tcmis.EINVALID)
		if msg := tcmis.ErrorMessage(err); !strings.Contains(msg, "EUR") || !strings.Contains(msg, "2004-12-31") || !strings.Contains(msg, "approvals[0].amount") {
			t.Fatalf("missing rate: %s", msg)
		}
		err = db.CreateAllocations(ctx, []*tcmis.Allocation{{ProjectID: f.project, Year: 2004, Amount: finMoney(100, "JPY")}})
		mustCode(t, err, tcmis.EINVALID)
		if msg := tcmis.ErrorMessage(err); !strings.Contains(msg, "JPY") || !strings.Contains(msg, "2004-01-01") {
			t.Fatalf("missing rate: %s", msg)
		}
		err = db.CreateExpenditures(ctx, []*tcmis.Expenditure{{ProjectID: f.project, Year: 2005, Month: 1, Type: tcmis.Training, Amount: finMoney(100, "GBP")}})
		mustCode(t, err, tcmis.EINVALID)
		if msg := tcmis.ErrorMessage(err); !strings.Contains(msg, "GBP") || !strings.Contains(msg, "2005-01-31") {
			t.Fatalf("missing rate: %s", msg)
		}
		a := as[0]
		a.Date = finDay("2004-06-30")
		err = db.UpdateApproval(ctx, a)
		mustCode(t, err, tcmis.EINVALID)
		if msg := tcmis.ErrorMessage(err); !strings.Contains(msg, "EUR") || !strings.Contains(msg, "2004-06-30") {
			t.Fatalf("missing rate on update: %s", msg)
		}
		if _, n, _ := db.FindApprovals(ctx, tcmis.MoneyFilter{}); n != before {
			t.Fatalf("%d approvals after refusals, want %d", n, before)
		}
	})
}

// TestFinanceBulkAllOrNothing checks that one bad row keeps a whole batch,
// and a whole load, out of the store, and that every problem is listed.
func TestFinanceBulkAllOrNothing(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		finRates(t, db, "EUR 2005-01-01 0.8")
		good := func() *tcmis.Expenditure {
			return &tcmis.Expenditure{ProjectID: f.project, Year: 2005, Month: 6, Type: tcmis.Training, Amount: finMoney(100, "EUR")}
		}
		bad := []struct {
			name   string
			change func(e *tcmis.Expenditure)
			fields []string
		}{
			{"unknown project", func(e *tcmis.Expenditure) { e.ProjectID = 999999 }, []string{"expenditures[1].project_id"}},
			{"no rate", func(e *tcmis.Expenditure) { e.Amount.Currency = "GBP" }, []string{"expenditures[1].amount"}},
			{"invalid", func(e *tcmis.Expenditure) { e.Month, e.Amount.Amount = 13, -5 }, []string{"expenditures[1].month", "expenditures[1].amount"}},
			{"unknown project and no rate", func(e *tcmis.Expenditure) { e.ProjectID, e.Amount.Currency = 999999, "GBP" }, []string{"expenditures[1].project_id", "expenditures[1].amount"}},
		}
		for _, c := range bad {
			es := []*tcmis.Expenditure{good(), good(), good()}
			c.change(es[1])
			err := db.CreateExpenditures(ctx, es)
			mustCode(t, err, tcmis.EINVALID)
			var fields []string
			for _, p := range tcmis.ErrorProblems(err) {
				fields = append(fields, p.Field)
			}
			if strings.Join(fields, " ") != strings.Join(c.fields, " ") {
				t.Errorf("%s: problems %v, want fields %v", c.name, tcmis.ErrorProblems(err), c.fields)
			}
			if _, n, _ := db.FindExpenditures(ctx, tcmis.MoneyFilter{}); n != 0 {
				t.Fatalf("%s: %d expenditures stored from a refused batch", c.name, n)
			}
			if es[0].ID != 0 {
				t.Errorf("%s: refused record got id %d", c.name, es[0].ID)
			}
		}

		// A load that fails late leaves out what it created early.
		err := db.Load(ctx, "test.xlsx", func(l tcmis.Loader) error {
			if err := l.CreateRates([]*tcmis.ExchangeRate{{Currency: "GBP", Date: finDay("2005-01-01"), PerUSD: 600000, Source: "test"}}); err != nil {
				return err
			}
			if err := l.CreateAllocations([]*tcmis.Allocation{{ProjectID: f.project, Year: 2005, Amount: finMoney(100, "GBP")}}); err != nil {
				return err
			}
			return l.CreateApprovals([]*tcmis.Approval{{DonorID: 999999, Date: finDay("2005-02-01"), Amount: finMoney(100, "GBP")}})
		})
		mustCode(t, err, tcmis.EINVALID)
		if ps := tcmis.ErrorProblems(err); len(ps) != 1 || ps[0].Field != "approvals[0].donor_id" || !strings.Contains(ps[0].Message, "999999") {
			t.Fatalf("problems %v", ps)
		}
		_, rates, _ := db.FindRates(ctx, tcmis.RateFilter{})
		_, allocations, _ := db.FindAllocations(ctx, tcmis.MoneyFilter{})
		_, approvals, _ := db.FindApprovals(ctx, tcmis.MoneyFilter{})
		if rates != 1 || allocations != 0 || approvals != 0 {
			t.Fatalf("after a failed load: %d rates (want 1), %d allocations, %d approvals", rates, allocations, approvals)
		}

		// The same load without the bad approval stores everything, and
		// later calls see the rates of earlier ones.
		err = db.Load(ctx, "test.xlsx", func(l tcmis.Loader) error {
			if err := l.CreateRates([]*tcmis.ExchangeRate{{Currency: "GBP", Date: finDay("2005-01-01"), PerUSD: 500000, Source: "test"}}); err != nil {
				return err
			}
			return l.CreateAllocations([]*tcmis.Allocation{{ProjectID: f.project, Year: 2005, Amount: finMoney(100, "GBP")}})
		})
		if err != nil {
			t.Fatal(err)
		}
		als, _, err := db.FindAllocations(ctx, tcmis.MoneyFilter{})
		if err != nil || len(als) != 1 || als[0].Amount.USD != 200 {
			t.Fatalf("allocations %+v, %v", als, err)
		}
	})
}

// TestFinanceProject checks the per-year sums of a project and the
// delivery rate.
func TestFinanceProject(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		finRates(t, db, "EUR 2005-01-01 0.5")
		if err := db.CreateApprovals(ctx, []*tcmis.Approval{
			{DonorID: f.donor, ProjectID: f.project, Date: finDay("2005-03-01"), Amount: finMoney(500000, "USD")},
			{DonorID: f.donor, ProjectID: f.project, Date: finDay("2005-09-01"), Amount: finMoney(100000, "EUR")}, // 2000.00 USD
			{DonorID: f.donor, ProjectID: f.project, Date: finDay("2006-01-01"), Amount: finMoney(-50000, "USD"), Reason: "reduced"},
			{DonorID: f.donor, Date: finDay("2005-03-01"), Amount: finMoney(999999, "USD")},                        // the donor's, no project
			{DonorID: f.other, ProjectID: f.project2, Date: finDay("2005-03-01"), Amount: finMoney(777777, "USD")}, // another project
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAllocations(ctx, []*tcmis.Allocation{
			{ProjectID: f.project, Year: 2005, Amount: finMoney(200000, "USD")},
			{ProjectID: f.project, Year: 2005, Amount: finMoney(50000, "EUR")}, // 1000.00 USD
			{ProjectID: f.project, Year: 2006, Amount: finMoney(300000, "USD")},
			{ProjectID: f.project2, Year: 2005, Amount: finMoney(1, "USD")},
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateExpenditures(ctx, []*tcmis.Expenditure{
			{ProjectID: f.project, Year: 2005, Month: 1, Type: tcmis.InternationalExperts, Amount: finMoney(100000, "USD")},
			{ProjectID: f.project, Year: 2005, Month: 12, Type: tcmis.Equipment, Amount: finMoney(5000, "EUR")}, // 100.00 USD
			{ProjectID: f.project, Year: 2006, Month: 5, Type: tcmis.Training, Amount: finMoney(100000, "USD")},
			{ProjectID: f.project, Year: 2007, Month: 5, Type: tcmis.Training, Amount: finMoney(100, "USD")},
			{ProjectID: f.project2, Year: 2005, Month: 5, Type: tcmis.Training, Amount: finMoney(1, "USD")},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := db.ProjectFinance(ctx, f.project)
		if err != nil {
			t.Fatal(err)
		}
		want := []tcmis.YearFinance{
			{Year: 2005, Approved: 700000, Allocated: 300000, Spent: 110000, Delivery: 3667, HasDelivery: true},
			{Year: 2006, Approved: -50000, Allocated: 300000, Spent: 100000, Delivery: 3333, HasDelivery: true},
			{Year: 2007, Spent: 100},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ProjectFinance\n got %+v\nwant %+v", got, want)
		}
		_, err = db.ProjectFinance(ctx, 999999)
		mustCode(t, err, tcmis.ENOTFOUND)
		if got, err := db.ProjectFinance(ctx, f.project2+1000); tcmis.ErrorCode(err) != tcmis.ENOTFOUND || got != nil {
			t.Fatalf("unknown project: %v, %v", got, err)
		}
		if got, err := db.ProjectFinance(ctx, f.project2); err != nil || len(got) != 1 || got[0].Delivery != tcmis.Whole {
			t.Fatalf("project 2: %+v, %v", got, err)
		}
	})
}
