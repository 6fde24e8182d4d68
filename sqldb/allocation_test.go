package sqldb_test

import (
	"encoding/json"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestAllocations(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		rates := finRates(t, db, "EUR 2005-01-01 0.8", "EUR 2006-01-01 0.5")

		one := &tcmis.Allocation{ProjectID: f.project, Year: 2005, Amount: finMoney(40000, "EUR")}
		if err := db.CreateAllocations(ctx, []*tcmis.Allocation{one}); err != nil {
			t.Fatal(err)
		}
		if one.ID == 0 || one.Version != 1 || one.Amount.USD != 50000 || one.Amount.RateID != rates["EUR 2005-01-01"].ID {
			t.Fatalf("created %+v", one)
		}
		batch := []*tcmis.Allocation{
			{ProjectID: f.project, Year: 2006, Amount: finMoney(40000, "EUR")},
			{ProjectID: f.project2, Year: 2005, Amount: finMoney(300000, "USD")},
			{ProjectID: f.project, Year: 2006, Amount: finMoney(-10000, "USD"), Reason: "budget revision"},
		}
		if err := db.CreateAllocations(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if batch[0].Amount.USD != 80000 || batch[0].Amount.RateID != rates["EUR 2006-01-01"].ID || batch[1].Amount.RateID != 0 {
			t.Fatalf("converted %+v and %+v", batch[0].Amount, batch[1].Amount)
		}

		all, total, err := db.FindAllocations(ctx, tcmis.MoneyFilter{})
		if err != nil || total != 4 || len(all) != 4 {
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
			{tcmis.MoneyFilter{Year: finPtr(2005)}, []int64{one.ID, batch[1].ID}, 2},
			{tcmis.MoneyFilter{ProjectID: &f.project}, []int64{one.ID, batch[0].ID, batch[2].ID}, 3},
			{tcmis.MoneyFilter{DonorID: &f.donor, Year: finPtr(2006)}, []int64{batch[0].ID, batch[2].ID}, 2}, // through the project's donors
			{tcmis.MoneyFilter{DonorID: &f.other}, []int64{batch[1].ID}, 1},
			{tcmis.MoneyFilter{ProjectID: &f.project, Offset: 2, Limit: 5}, []int64{batch[2].ID}, 3},
		} {
			got, total, err := db.FindAllocations(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			if total != c.total || fmtIDs(ids) != fmtIDs(c.ids) {
				t.Errorf("filter %+v: ids %v of %d, want %v of %d", c.f, ids, total, c.ids, c.total)
			}
		}

		mustCode(t, db.CreateAllocations(ctx, []*tcmis.Allocation{{ProjectID: f.project, Year: 2005, Amount: finMoney(-1, "USD")}}), tcmis.EINVALID)
		err = db.CreateAllocations(ctx, []*tcmis.Allocation{{ProjectID: 999999, Year: 2005, Amount: finMoney(1, "USD")}})
		mustCode(t, err, tcmis.EINVALID)
		if ps := tcmis.ErrorProblems(err); len(ps) != 1 || ps[0].Field != "allocations[0].project_id" {
			t.Fatalf("problems %v", ps)
		}

		a, b := *one, *one
		a.Year = 2006 // now at the 2006 rate
		if err := db.UpdateAllocation(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if a.Version != 2 || a.Amount.USD != 80000 || a.Amount.RateID != rates["EUR 2006-01-01"].ID {
			t.Fatalf("updated %+v", a)
		}
		b.Amount = finMoney(1, "USD")
		mustCode(t, db.UpdateAllocation(ctxAs("bob"), &b), tcmis.ECONFLICT)
		a.Year = 2004 // no rate yet
		mustCode(t, db.UpdateAllocation(ctx, &a), tcmis.EINVALID)

		if err := db.DeleteAllocation(ctx, one.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteAllocation(ctx, one.ID), tcmis.ENOTFOUND)
		entity := "allocation"
		changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &one.ID})
		if err != nil || len(changes) != 2 || changes[0].Action != tcmis.ActionDelete || changes[1].Action != tcmis.ActionUpdate {
			t.Fatalf("changes %+v, %v", changes, err)
		}
		var old tcmis.Allocation
		if err := json.Unmarshal(changes[0].Old, &old); err != nil || old.Year != 2006 || old.Version != 2 || len(changes[0].New) != 0 {
			t.Fatalf("deletion recorded as %s / %s (%v)", changes[0].Old, changes[0].New, err)
		}
	})
}
