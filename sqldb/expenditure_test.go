package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestExpenditures(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		rates := finRates(t, db, "JPY 2005-01-01 100", "JPY 2005-06-30 200")

		one := &tcmis.Expenditure{ProjectID: f.project, Year: 2005, Month: 5, Type: tcmis.InternationalExperts, Amount: finMoney(100000, "JPY")}
		if err := db.CreateExpenditures(ctx, []*tcmis.Expenditure{one}); err != nil {
			t.Fatal(err)
		}
		if one.ID == 0 || one.Version != 1 || one.Amount.USD != 100000 || one.Amount.RateID != rates["JPY 2005-01-01"].ID {
			t.Fatalf("created %+v", one)
		}
		var batch []*tcmis.Expenditure
		for m := 1; m <= 12; m++ {
			batch = append(batch, &tcmis.Expenditure{ProjectID: f.project2, Year: 2005, Month: m, Type: tcmis.Training, Amount: finMoney(int64(m)*1000, "JPY")})
		}
		batch = append(batch, &tcmis.Expenditure{ProjectID: f.project, Year: 2006, Month: 1, Type: tcmis.Miscellaneous, Amount: finMoney(-500, "USD"), Reason: "refund"})
		if err := db.CreateExpenditures(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for i, e := range batch[:12] {
			want := rates["JPY 2005-01-01"]
			if e.Month >= 6 { // 30 June is the last day of June
				want = rates["JPY 2005-06-30"]
			}
			if e.ID == 0 || e.Amount.RateID != want.ID || e.Amount.USD != int64(e.Month)*100000/(int64(want.PerUSD)/1_000_000) {
				t.Errorf("batch[%d] = %+v, want rate %d", i, e, want.ID)
			}
		}

		all, total, err := db.FindExpenditures(ctx, tcmis.MoneyFilter{})
		if err != nil || total != 14 || len(all) != 14 {
			t.Fatalf("find all: %d of %d, %v", len(all), total, err)
		}
		if *all[0] != *one {
			t.Fatalf("read back %+v, want %+v", all[0], one)
		}
		for _, c := range []struct {
			f     tcmis.MoneyFilter
			ids   []int64
			total int
		}{
			{tcmis.MoneyFilter{ProjectID: &f.project}, []int64{one.ID, batch[12].ID}, 2},
			{tcmis.MoneyFilter{Year: finPtr(2006)}, []int64{batch[12].ID}, 1},
			{tcmis.MoneyFilter{DonorID: &f.donor}, []int64{one.ID, batch[12].ID}, 2},
			{tcmis.MoneyFilter{ProjectID: &f.project2, Offset: 10, Limit: 5}, []int64{batch[10].ID, batch[11].ID}, 12},
			{tcmis.MoneyFilter{ProjectID: &f.project2, Limit: 2}, []int64{batch[0].ID, batch[1].ID}, 12},
		} {
			got, total, err := db.FindExpenditures(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if total != c.total || fmtIDs(ids) != fmtIDs(c.ids) {
				t.Errorf("filter %+v: ids %v of %d, want %v of %d", c.f, ids, total, c.ids, c.total)
			}
		}

		// A negative amount needs a reason.
		neg := &tcmis.Expenditure{ProjectID: f.project, Year: 2006, Month: 2, Type: tcmis.Miscellaneous, Amount: finMoney(-1, "USD")}
		err = db.CreateExpenditures(ctx, []*tcmis.Expenditure{neg})
		mustCode(t, err, tcmis.EINVALID)
		if ps := tcmis.ErrorProblems(err); len(ps) != 1 || ps[0].Field != "expenditures[0].amount" {
			t.Fatalf("problems %v", ps)
		}
		neg.Reason = "refund of an advance"
		if err := db.CreateExpenditures(ctx, []*tcmis.Expenditure{neg}); err != nil {
			t.Fatal(err)
		}

		a, b := *one, *one
		a.Month, a.Type = 7, tcmis.Equipment // now at the rate of 30 June
		if err := db.UpdateExpenditure(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if a.Version != 2 || a.Amount.USD != 50000 || a.Amount.RateID != rates["JPY 2005-06-30"].ID {
			t.Fatalf("updated %+v", a)
		}
		b.Reason = "late"
		mustCode(t, db.UpdateExpenditure(ctxAs("bob"), &b), tcmis.ECONFLICT)
		a.Reason = ""
		a.Amount = finMoney(-5, "USD")
		mustCode(t, db.UpdateExpenditure(ctx, &a), tcmis.EINVALID)
		got, _, _ := db.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &f.project, Year: finPtr(2005)})
		if len(got) != 1 || got[0].Month != 7 || got[0].Type != tcmis.Equipment || got[0].Version != 2 || got[0].Amount.USD != 50000 {
			t.Fatalf("after update %+v", got)
		}

		if err := db.DeleteExpenditure(ctx, one.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteExpenditure(ctx, one.ID), tcmis.ENOTFOUND)
		mustCode(t, db.UpdateExpenditure(ctx, &a), tcmis.EINVALID) // validated before it is looked up
		a.Amount = finMoney(5, "USD")
		mustCode(t, db.UpdateExpenditure(ctx, &a), tcmis.ENOTFOUND)
		entity := "expenditure"
		changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity})
		if err != nil || len(changes) != 5 {
			t.Fatalf("changes %+v, %v", changes, err)
		}
		for i, action := range []string{tcmis.ActionDelete, tcmis.ActionUpdate, tcmis.ActionImport, tcmis.ActionImport, tcmis.ActionImport} {
			if changes[i].Action != action {
				t.Errorf("change %d is %s, want %s", i, changes[i].Action, action)
			}
		}
		if string(changes[2].New) == "" || changes[3].Actor != "alice" {
			t.Errorf("import recorded as %+v", changes[3])
		}
	})
}

// BenchmarkCreateExpenditures measures the bulk path of the demo loader:
// 100,000 expenditures per operation, in four currencies, grouped by
// project as a loader sends them, into a table that grows op by op.
func BenchmarkCreateExpenditures(b *testing.B) {
	const rows = 100_000
	for _, engine := range []sqldb.Engine{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			db := MustOpenDB(b, engine)
			f := mustFinanceFixture(b, db)
			var ps []*tcmis.Project
			for i := range 498 {
				ps = append(ps, finProject(fmt.Sprintf("BENCH/%03d", i), f.unit, f.donor))
			}
			if err := db.CreateProjects(ctxAs("bench"), ps); err != nil {
				b.Fatal(err)
			}
			projects := []int64{f.project, f.project2}
			for _, p := range ps {
				projects = append(projects, p.ID)
			}
			var rates []*tcmis.ExchangeRate
			for _, cur := range []string{"EUR", "JPY", "GBP"} {
				for m := range 12 * 12 {
					rates = append(rates, &tcmis.ExchangeRate{Currency: cur, Date: time.Date(2000, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC), PerUSD: tcmis.Decimal(800000 + m*1000), Source: "bench"})
				}
			}
			if err := db.CreateRates(ctxAs("bench"), rates); err != nil {
				b.Fatal(err)
			}
			currencies := []string{"USD", "EUR", "JPY", "GBP"}
			types := tcmis.AssistanceTypes()
			es := make([]*tcmis.Expenditure, rows)
			for i := range es {
				p := i / 200
				es[i] = &tcmis.Expenditure{ProjectID: projects[p%len(projects)], Year: 2001 + (i/72)%8, Month: 1 + (i/6)%12, Type: types[i%6],
					Amount: finMoney(int64(1000+i%100000), currencies[p%4])}
			}
			b.ReportAllocs()
			ctx := ctxAs("bench")
			for b.Loop() {
				if err := db.CreateExpenditures(ctx, es); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
