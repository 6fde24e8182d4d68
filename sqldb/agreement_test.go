package sqldb_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestAgreements(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		w := newProjectWorld(t, db) // its agreement is NL-2005-01, ending 2008-12-31
		// A date given in another time zone is stored as its calendar day.
		cet := time.FixedZone("CET", 3600)
		us := &tcmis.Agreement{Ref: "US-2004-3", Title: "Child labour", DonorID: w.usa.ID, Kind: tcmis.SingleProject,
			Start: time.Date(2004, 10, 1, 0, 0, 0, 0, cet), End: date(2006, 9, 30), Amount: tcmis.Money{Amount: 2_500_000_00, Currency: "USD"}, Local: true, NegotiatedBy: w.jakarta.ID}
		eu := &tcmis.Agreement{Ref: "EC-2005-9", DonorID: w.eu.ID, Kind: tcmis.SingleProject,
			Start: date(2005, 1, 1), End: date(2006, 12, 31), Amount: tcmis.Money{Amount: 900_000_00, Currency: "EUR"}}
		for _, a := range []*tcmis.Agreement{us, eu} {
			if err := db.CreateAgreement(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if us.ID == 0 || us.Version != 1 || us.Start != date(2004, 10, 1) {
			t.Fatalf("created %+v", us)
		}
		for _, want := range []*tcmis.Agreement{us, eu, w.agreement} {
			got, err := db.FindAgreementByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read back %+v, want %+v", got, want)
			}
		}
		_, err := db.FindAgreementByID(ctx, 9001)
		mustCode(t, err, tcmis.ENOTFOUND)

		ref, end := "US-2004-3", date(2006, 12, 31)
		for _, tt := range []struct {
			f     tcmis.AgreementFilter
			want  []*tcmis.Agreement
			total int
		}{
			{tcmis.AgreementFilter{}, []*tcmis.Agreement{eu, w.agreement, us}, 3},
			{tcmis.AgreementFilter{DonorID: &w.usa.ID}, []*tcmis.Agreement{us}, 1},
			{tcmis.AgreementFilter{Ref: &ref}, []*tcmis.Agreement{us}, 1},
			{tcmis.AgreementFilter{ID: &eu.ID}, []*tcmis.Agreement{eu}, 1},
			{tcmis.AgreementFilter{EndingBefore: &end}, []*tcmis.Agreement{eu, us}, 2},
			{tcmis.AgreementFilter{Limit: 1, Offset: 2}, []*tcmis.Agreement{us}, 3},
		} {
			got, total, err := db.FindAgreements(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) || total != tt.total {
				t.Errorf("FindAgreements(%+v) = %d of %d, want %d of %d", tt.f, len(got), total, len(tt.want), tt.total)
			}
		}

		// Invalid input, unknown donors and units, a reference used twice.
		err = db.CreateAgreement(ctx, &tcmis.Agreement{Ref: "X-1", DonorID: 9001, NegotiatedBy: 9002, Kind: "grant",
			Start: date(2005, 1, 1), End: date(2004, 1, 1), Amount: tcmis.Money{Amount: -1, Currency: "USD"}})
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "kind", "end", "amount", "donor_id", "negotiated_by")
		if n := len(tcmis.ErrorProblems(err)); n != 5 {
			t.Errorf("%d problems, want 5: %v", n, err)
		}
		dup := *eu
		dup.ID = 0
		err = db.CreateAgreement(ctx, &dup)
		mustCode(t, err, tcmis.ECONFLICT)
		if want := "an agreement with reference EC-2005-9 already exists"; tcmis.ErrorMessage(err) != want {
			t.Errorf("message %q, want %q", tcmis.ErrorMessage(err), want)
		}

		// Two people edit the same agreement: the second save is refused.
		a, _ := db.FindAgreementByID(ctx, us.ID)
		b, _ := db.FindAgreementByID(ctx, us.ID)
		a.Amount.Amount += 100
		a.NegotiatedBy = 0
		if err := db.UpdateAgreement(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.Title = "Bob's title"
		mustCode(t, db.UpdateAgreement(ctxAs("bob"), b), tcmis.ECONFLICT)
		got, _ := db.FindAgreementByID(ctx, us.ID)
		if !reflect.DeepEqual(got, a) || got.Version != 2 {
			t.Fatalf("after conflict: %+v, want %+v", got, a)
		}
		a.DonorID = 9001
		mustCode(t, db.UpdateAgreement(ctx, a), tcmis.EINVALID)
		a.DonorID = w.usa.ID
		a.Ref = eu.Ref
		mustCode(t, db.UpdateAgreement(ctx, a), tcmis.ECONFLICT)

		changes := auditTrail(t, db, "agreement", us.ID)
		if len(changes) != 2 || changes[0].Action != tcmis.ActionUpdate {
			t.Fatalf("changes = %+v", changes)
		}
		var old tcmis.Agreement
		json.Unmarshal(changes[0].Old, &old)
		if !reflect.DeepEqual(&old, us) {
			t.Fatalf("audited old value %+v, want %+v", old, us)
		}

		if err := db.DeleteAgreement(ctx, us.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindAgreementByID(ctx, us.ID)
		mustCode(t, err, tcmis.ENOTFOUND)
		mustCode(t, db.DeleteAgreement(ctx, us.ID), tcmis.ENOTFOUND)
	})
}

func TestAgreementsBulk(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("importer")
		w := newProjectWorld(t, db)
		as := []*tcmis.Agreement{
			{Ref: "US-1", DonorID: w.usa.ID, Kind: tcmis.Partnership, Start: date(2005, 1, 1), End: date(2009, 1, 1), Amount: tcmis.Money{Amount: 1, Currency: "USD"}, NegotiatedBy: w.emp.ID},
			{Ref: "EU-1", DonorID: w.eu.ID, Kind: tcmis.SingleProject, Start: date(2005, 1, 1), End: date(2006, 1, 1), Amount: tcmis.Money{Amount: 2, Currency: "EUR"}, Local: true},
		}
		if err := db.Load(ctx, "agreements.csv", func(l tcmis.Loader) error { return l.CreateAgreements(as) }); err != nil {
			t.Fatal(err)
		}
		for _, want := range as {
			got, err := db.FindAgreementByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) || got.Version != 1 {
				t.Fatalf("loaded %+v, read back %+v", want, got)
			}
		}
		bad := []*tcmis.Agreement{
			{Ref: "US-2", DonorID: w.usa.ID, Kind: tcmis.Partnership, Start: date(2005, 1, 1), End: date(2009, 1, 1), Amount: tcmis.Money{Currency: "USD"}},
			{Ref: "US-3", DonorID: 9001, Kind: tcmis.Partnership, Start: date(2005, 1, 1), End: date(2009, 1, 1), Amount: tcmis.Money{Currency: "USD"}},
			{Ref: "US-2", DonorID: w.usa.ID, Kind: tcmis.Partnership, Amount: tcmis.Money{Currency: "USD"}},
		}
		err := db.Load(ctx, "agreements.csv", func(l tcmis.Loader) error { return l.CreateAgreements(bad) })
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "agreements[1].donor_id", "agreements[2].start", "agreements[2].ref")
		err = db.Load(ctx, "agreements.csv", func(l tcmis.Loader) error { return l.CreateAgreements(bad[:1:1]) })
		if err != nil {
			t.Fatal(err)
		}
		err = db.Load(ctx, "agreements.csv", func(l tcmis.Loader) error { return l.CreateAgreements(bad[:1]) })
		mustCode(t, err, tcmis.ECONFLICT)
		hasFields(t, err, "agreements[0].ref")
		if _, n, _ := db.FindAgreements(ctx, tcmis.AgreementFilter{}); n != 4 {
			t.Fatalf("%d agreements, want 4", n)
		}
	})
}
