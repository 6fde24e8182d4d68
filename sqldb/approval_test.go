package sqldb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestApprovals(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustFinanceFixture(t, db)
		rates := finRates(t, db, "EUR 2005-01-01 0.8", "JPY 2005-01-01 100")

		// One record, then a batch.
		one := &tcmis.Approval{DonorID: f.donor, ProjectID: f.project, AgreementID: f.agreement, Date: finDay("2005-04-15"), Amount: finMoney(80000, "EUR"), Local: true}
		if err := db.CreateApprovals(ctx, []*tcmis.Approval{one}); err != nil {
			t.Fatal(err)
		}
		if one.ID == 0 || one.Version != 1 || one.Amount.USD != 100000 || one.Amount.RateID != rates["EUR 2005-01-01"].ID {
			t.Fatalf("created %+v", one)
		}
		batch := []*tcmis.Approval{
			{DonorID: f.donor, Date: finDay("2005-01-10"), Amount: finMoney(100000, "USD")},
			{DonorID: f.other, ProjectID: f.project2, Date: finDay("2006-02-01"), Amount: finMoney(500000, "JPY")},
			{DonorID: f.donor, ProjectID: f.project, Date: finDay("2006-03-01"), Amount: finMoney(-20000, "USD"), Reason: "cancelled"},
		}
		if err := db.CreateApprovals(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, a := range batch {
			if a.ID == 0 || a.Version != 1 {
				t.Fatalf("created %+v", a)
			}
		}

		// Read back, whole and through each filter, with paging totals.
		all, total, err := db.FindApprovals(ctx, tcmis.MoneyFilter{})
		if err != nil || total != 4 || len(all) != 4 {
			t.Fatalf("find all: %d of %d, %v", len(all), total, err)
		}
		if got := all[1]; got.ID != one.ID || !got.Date.Equal(one.Date) || got.Amount != one.Amount || !got.Local || got.AgreementID != f.agreement || got.ProjectID != f.project {
			t.Fatalf("read back %+v, want %+v", got, one)
		}
		if all[0].ProjectID != 0 || all[0].AgreementID != 0 || all[0].Amount.RateID != 0 {
			t.Fatalf("approval without project read back as %+v", all[0])
		}
		year, donor, project := 2006, f.donor, f.project
		for _, c := range []struct {
			f     tcmis.MoneyFilter
			ids   []int64
			total int
		}{
			{tcmis.MoneyFilter{Year: &year}, []int64{batch[1].ID, batch[2].ID}, 2},
			{tcmis.MoneyFilter{DonorID: &donor}, []int64{batch[0].ID, one.ID, batch[2].ID}, 3},
			{tcmis.MoneyFilter{ProjectID: &project, Year: &year}, []int64{batch[2].ID}, 1},
			{tcmis.MoneyFilter{DonorID: &donor, Offset: 1, Limit: 1}, []int64{one.ID}, 3},
		} {
			got, total, err := db.FindApprovals(ctx, c.f)
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

		// A negative amount needs a reason; unknown references are named.
		err = db.CreateApprovals(ctx, []*tcmis.Approval{{DonorID: f.donor, Date: finDay("2005-01-10"), Amount: finMoney(-1, "USD")}})
		mustCode(t, err, tcmis.EINVALID)
		err = db.CreateApprovals(ctx, []*tcmis.Approval{
			{DonorID: f.donor, Date: finDay("2005-01-10"), Amount: finMoney(1, "USD")},
			{DonorID: 999999, ProjectID: 888888, AgreementID: 777777, Date: finDay("2005-01-10"), Amount: finMoney(1, "USD")},
		})
		mustCode(t, err, tcmis.EINVALID)
		if ps := tcmis.ErrorProblems(err); len(ps) != 3 || ps[0].Field != "approvals[1].donor_id" || ps[1].Field != "approvals[1].project_id" || ps[2].Field != "approvals[1].agreement_id" {
			t.Fatalf("problems %v", ps)
		}

		// Two people edit the same approval: the second save is refused.
		a, b := *all[1], *all[1]
		a.Amount = finMoney(1000, "JPY")
		a.Date = finDay("2005-05-01") // year stays 2005
		if err := db.UpdateApproval(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if a.Version != 2 || a.Amount.USD != 1000 || a.Amount.RateID != rates["JPY 2005-01-01"].ID {
			t.Fatalf("updated %+v", a)
		}
		b.Reason = "too late"
		mustCode(t, db.UpdateApproval(ctxAs("bob"), &b), tcmis.ECONFLICT)
		a.ProjectID, a.Date = 999999, finDay("2004-12-31") // no JPY rate yet
		err = db.UpdateApproval(ctx, &a)
		mustCode(t, err, tcmis.EINVALID)
		if ps := tcmis.ErrorProblems(err); len(ps) != 2 || ps[0].Field != "project_id" || ps[1].Field != "amount" || !strings.Contains(ps[1].Message, "JPY") {
			t.Fatalf("problems %v", ps)
		}
		a.ProjectID, a.Date = f.project, finDay("2007-01-01")
		if err := db.UpdateApproval(ctx, &a); err != nil {
			t.Fatal(err)
		}
		y2007 := 2007
		if got, _, _ := db.FindApprovals(ctx, tcmis.MoneyFilter{Year: &y2007}); len(got) != 1 || got[0].Version != 3 || got[0].Amount.USD != 1000 {
			t.Fatalf("after the date changed, 2007 has %+v", got)
		}
		missing := a
		missing.ID = 999999
		mustCode(t, db.UpdateApproval(ctx, &missing), tcmis.ENOTFOUND)

		// Delete, and the audit trail of it all.
		if err := db.DeleteApproval(ctx, one.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteApproval(ctx, one.ID), tcmis.ENOTFOUND)
		if _, total, _ := db.FindApprovals(ctx, tcmis.MoneyFilter{}); total != 3 {
			t.Fatalf("%d approvals after delete, want 3", total)
		}
		entity := "approval"
		changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &one.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 3 || changes[0].Action != tcmis.ActionDelete || changes[1].Action != tcmis.ActionUpdate || changes[2].Action != tcmis.ActionUpdate {
			t.Fatalf("changes %+v", changes)
		}
		var old, new tcmis.Approval
		if err := json.Unmarshal(changes[2].Old, &old); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(changes[2].New, &new); err != nil {
			t.Fatal(err)
		}
		if old.Amount != one.Amount || new.Amount.Currency != "JPY" || new.Amount.USD != 1000 || changes[2].Actor != "alice" {
			t.Fatalf("update recorded from %+v to %+v", old, new)
		}
		imports, _, _ := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: finPtr(int64(0))})
		if len(imports) != 2 || imports[0].Action != tcmis.ActionImport {
			t.Fatalf("creations recorded as %+v", imports)
		}
	})
}
