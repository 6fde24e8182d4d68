package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestOrganisations(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		usa := &tcmis.Organisation{Name: "United States", Category: tcmis.MultiBilateral, Ref: "US-GOV-1", Type: "10", Country: "US"}
		if err := db.CreateOrganisation(ctx, usa); err != nil {
			t.Fatal(err)
		}
		if usa.ID == 0 || usa.Version != 1 {
			t.Fatalf("created organisation has id %d version %d", usa.ID, usa.Version)
		}
		got, err := db.FindOrganisationByID(ctx, usa.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *usa {
			t.Fatalf("read back %+v, want %+v", got, usa)
		}

		// Same name twice is a conflict, invalid input is refused whole.
		mustCode(t, db.CreateOrganisation(ctx, &tcmis.Organisation{Name: "Netherlands", Category: tcmis.MultiBilateral}), "")
		err = db.CreateOrganisation(ctx, &tcmis.Organisation{Name: "united states", Category: tcmis.MultiBilateral})
		mustCode(t, err, tcmis.ECONFLICT)
		err = db.CreateOrganisation(ctx, &tcmis.Organisation{Name: "X", Category: "nope", Country: "ZZ"})
		mustCode(t, err, tcmis.EINVALID)
		if n := len(tcmis.ErrorProblems(err)); n != 2 {
			t.Fatalf("got %d problems, want 2: %v", n, err)
		}

		cat := tcmis.MultiBilateral
		list, total, err := db.FindOrganisations(ctx, tcmis.OrganisationFilter{Category: &cat, Limit: 1})
		if err != nil || total != 2 || len(list) != 1 {
			t.Fatalf("find: %d of %d, %v", len(list), total, err)
		}

		// Two people edit the same record: the second save is refused.
		a, _ := db.FindOrganisationByID(ctx, usa.ID)
		b, _ := db.FindOrganisationByID(ctx, usa.ID)
		a.Ref = "US-GOV-2"
		if err := db.UpdateOrganisation(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.Country = "CA"
		mustCode(t, db.UpdateOrganisation(ctxAs("bob"), b), tcmis.ECONFLICT)
		got, _ = db.FindOrganisationByID(ctx, usa.ID)
		if got.Ref != "US-GOV-2" || got.Country != "US" || got.Version != 2 {
			t.Fatalf("after conflict: %+v", got)
		}

		// The audit trail has who, what and the old and new values.
		entity := "organisation"
		changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &usa.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 2 || changes[0].Action != tcmis.ActionUpdate || changes[0].Actor != "alice" {
			t.Fatalf("changes = %+v", changes)
		}
		if string(changes[0].Old) == "" || string(changes[0].New) == "" {
			t.Fatalf("update without old and new values: %+v", changes[0])
		}

		if err := db.DeleteOrganisation(ctx, usa.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindOrganisationByID(ctx, usa.ID)
		mustCode(t, err, tcmis.ENOTFOUND)
	})
}

// A deleted record's id is never given to a new one, so the audit trail
// of the old record never points at the new.
func TestIDsAreNotReused(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		a := &tcmis.Organisation{Name: "A", Category: tcmis.MultiBilateral}
		b := &tcmis.Organisation{Name: "B", Category: tcmis.MultiBilateral}
		if err := db.CreateOrganisation(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateOrganisation(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteOrganisation(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		c := &tcmis.Organisation{Name: "C", Category: tcmis.MultiBilateral}
		if err := db.CreateOrganisation(ctx, c); err != nil {
			t.Fatal(err)
		}
		d := []*tcmis.Organisation{{Name: "D", Category: tcmis.MultiBilateral}}
		if err := db.Load(ctx, "test", func(l tcmis.Loader) error { return l.CreateOrganisations(d) }); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteOrganisation(ctx, d[0].ID); err != nil {
			t.Fatal(err)
		}
		e := []*tcmis.Organisation{{Name: "E", Category: tcmis.MultiBilateral}}
		if err := db.Load(ctx, "test", func(l tcmis.Loader) error { return l.CreateOrganisations(e) }); err != nil {
			t.Fatal(err)
		}
		if c.ID == b.ID || e[0].ID == d[0].ID || e[0].ID <= c.ID {
			t.Errorf("ids reused: deleted %d and %d, new %d and %d", b.ID, d[0].ID, c.ID, e[0].ID)
		}
	})
}
