package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestRates(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		rs := []*tcmis.ExchangeRate{
			{Currency: "EUR", Date: finDay("2005-01-01"), PerUSD: 812345, Source: "UN operational rates of exchange"},
			{Currency: "JPY", Date: finDay("2005-01-01"), PerUSD: 110_500000, Source: "UN operational rates of exchange"},
			{Currency: "EUR", Date: finDay("2005-02-01"), PerUSD: 790000, Source: "UN operational rates of exchange"},
		}
		if err := db.CreateRates(ctx, rs); err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.ID == 0 {
				t.Fatalf("rate without id: %+v", r)
			}
			got, err := db.FindRateByID(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *got != *r {
				t.Fatalf("read back %+v, want %+v", got, r)
			}
		}

		eur := "EUR"
		list, total, err := db.FindRates(ctx, tcmis.RateFilter{Currency: &eur, Limit: 1, Offset: 1})
		if err != nil || total != 2 || len(list) != 1 || *list[0] != *rs[2] {
			t.Fatalf("find EUR page 2: %+v of %d, %v", list, total, err)
		}
		list, total, err = db.FindRates(ctx, tcmis.RateFilter{})
		if err != nil || total != 3 || len(list) != 3 || list[0].ID != rs[0].ID || list[2].ID != rs[1].ID {
			t.Fatalf("find all: %+v of %d, %v", list, total, err)
		}

		// The same rate twice is a conflict; invalid rates are refused
		// with every problem, and nothing of their batch is stored.
		dup := *rs[0]
		mustCode(t, db.CreateRates(ctx, []*tcmis.ExchangeRate{&dup}), tcmis.ECONFLICT)
		err = db.CreateRates(ctx, []*tcmis.ExchangeRate{
			{Currency: "GBP", Date: finDay("2005-01-01"), PerUSD: 550000, Source: "test"},
			{Currency: "USD", Date: finDay("2005-01-01"), PerUSD: 1_000000, Source: "test"},
			{Currency: "XXY", PerUSD: 0},
		})
		mustCode(t, err, tcmis.EINVALID)
		if n := len(tcmis.ErrorProblems(err)); n != 5 {
			t.Fatalf("got %d problems, want 5: %v", n, err)
		}
		if _, n, _ := db.FindRates(ctx, tcmis.RateFilter{}); n != 3 {
			t.Fatalf("%d rates stored, want 3", n)
		}

		_, err = db.FindRateByID(ctx, 999999)
		mustCode(t, err, tcmis.ENOTFOUND)

		// The creation is in the audit trail.
		entity := "exchange_rate"
		changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity})
		if err != nil || len(changes) != 1 || changes[0].Action != tcmis.ActionImport || changes[0].Actor != "alice" {
			t.Fatalf("changes %+v, %v", changes, err)
		}
	})
}
