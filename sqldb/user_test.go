package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestUsers(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("admin")
		donor := &tcmis.Organisation{Name: "Norway", Category: tcmis.MultiBilateral}
		if err := db.CreateOrganisation(ctx, donor); err != nil {
			t.Fatal(err)
		}
		u1, u2, u3 := insertUnitRow(t, db, "EMP"), insertUnitRow(t, db, "DECLARATION"), insertUnitRow(t, db, "RO-BANGKOK")

		officer := &tcmis.User{Email: " Alice@Example.org ", Name: "Alice", Role: tcmis.RoleProgrammeOfficer, UnitIDs: []int64{u3, u1}}
		if err := db.CreateUser(ctx, officer); err != nil {
			t.Fatal(err)
		}
		if officer.ID == 0 || officer.Version != 1 || officer.Email != "alice@example.org" || !officer.CreatedAt.Equal(db.Now()) {
			t.Fatalf("created user: %+v", officer)
		}
		if officer.UnitIDs[0] != min(u1, u3) {
			t.Fatalf("unit ids are not kept sorted: %v", officer.UnitIDs)
		}
		got, err := db.FindUserByID(ctx, officer.ID)
		if err != nil {
			t.Fatal(err)
		}
		mustEqualRecord(t, got, officer)

		viewer := &tcmis.User{Email: "bob@norad.no", Name: "Bob", Role: tcmis.RoleDonorViewer, DonorID: donor.ID, Disabled: true,
			CreatedAt: time.Date(2004, 1, 2, 3, 4, 5, 6_007_008, time.FixedZone("CET", 3600))}
		if err := db.CreateUser(ctx, viewer); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindUserByID(ctx, viewer.ID)
		mustEqualRecord(t, got, viewer)
		if !got.CreatedAt.Equal(time.Date(2004, 1, 2, 2, 4, 5, 6_007_000, time.UTC)) {
			t.Fatalf("created at %v", got.CreatedAt)
		}

		// E-mail addresses are unique whatever their case; references to
		// missing donors and units are refused.
		err = db.CreateUser(ctx, &tcmis.User{Email: "ALICE@example.org", Name: "Other Alice", Role: tcmis.RoleViewer})
		mustCode(t, err, tcmis.ECONFLICT)
		if !strings.Contains(tcmis.ErrorMessage(err), "alice@example.org") {
			t.Fatalf("conflict does not name the address: %v", err)
		}
		err = db.CreateUser(ctx, &tcmis.User{Email: "carol@example.org", Name: "Carol", Role: tcmis.RoleDonorViewer, DonorID: 777, UnitIDs: []int64{u2, 888}})
		mustProblems(t, err, tcmis.EINVALID, "donor_id", "unit_ids")
		err = db.CreateUser(ctx, &tcmis.User{Email: "not an address", Role: "boss", DonorID: donor.ID, UnitIDs: []int64{u1, u1}})
		mustProblems(t, err, tcmis.EINVALID, "email", "name", "role", "donor_id", "unit_ids")
		mustFind(t, "all", 2, 2)(db.FindUsers(ctx, tcmis.UserFilter{}))

		email := "  BOB@norad.NO"
		list, total, err := db.FindUsers(ctx, tcmis.UserFilter{Email: &email})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("find by e-mail: %v of %d, %v", list, total, err)
		}
		mustEqualRecord(t, list[0], viewer)
		list, total, err = db.FindUsers(ctx, tcmis.UserFilter{Offset: 1, Limit: 1})
		if err != nil || total != 2 || len(list) != 1 {
			t.Fatalf("second page: %v of %d, %v", list, total, err)
		}
		mustEqualRecord(t, list[0], viewer) // by e-mail: alice, then bob

		// An update replaces the units and keeps the creation time; a
		// stale one is refused.
		a, _ := db.FindUserByID(ctx, officer.ID)
		stale, _ := db.FindUserByID(ctx, officer.ID)
		a.UnitIDs, a.Name, a.CreatedAt = []int64{u2}, "Alice Brown", time.Time{}
		if err := db.UpdateUser(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Version != 2 || !a.CreatedAt.Equal(officer.CreatedAt) {
			t.Fatalf("updated user: %+v", a)
		}
		got, _ = db.FindUserByID(ctx, officer.ID)
		mustEqualRecord(t, got, a)
		stale.Disabled = true
		mustCode(t, db.UpdateUser(ctxAs("bob"), stale), tcmis.ECONFLICT)
		a.Email = "bob@norad.no"
		mustCode(t, db.UpdateUser(ctx, a), tcmis.ECONFLICT)
		a.Email, a.UnitIDs = "alice@example.org", nil
		if err := db.UpdateUser(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindUserByID(ctx, officer.ID)
		mustEqualRecord(t, got, a)
		mustAudit(t, db, "user", officer.ID, tcmis.ActionUpdate, tcmis.ActionUpdate, tcmis.ActionCreate)

		if err := db.DeleteUser(ctx, officer.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindUserByID(ctx, officer.ID)
		mustCode(t, err, tcmis.ENOTFOUND)
		mustCode(t, db.DeleteUser(ctx, officer.ID), tcmis.ENOTFOUND)
		mustAudit(t, db, "user", officer.ID, tcmis.ActionDelete, tcmis.ActionUpdate, tcmis.ActionUpdate, tcmis.ActionCreate)
	})
}
