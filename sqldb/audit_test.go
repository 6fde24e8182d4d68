package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestLatestChange(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		if id, err := db.LatestChange(ctx); err != nil || id != 0 {
			t.Fatalf("empty trail: %d, %v", id, err)
		}
		o := &tcmis.Organisation{Name: "Norway", Category: tcmis.MultiBilateral}
		if err := db.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		first, err := db.LatestChange(ctx)
		if err != nil || first == 0 {
			t.Fatalf("after a creation: %d, %v", first, err)
		}
		// A refused write changes nothing; a stored one moves it on.
		stale := *o
		stale.Version = 99
		if err := db.UpdateOrganisation(ctx, &stale); tcmis.ErrorCode(err) != tcmis.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		if id, _ := db.LatestChange(ctx); id != first {
			t.Fatalf("a refused update moved the trail to %d", id)
		}
		o.Name = "Kingdom of Norway"
		if err := db.UpdateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := db.LatestChange(ctx); id <= first || id != changes[0].ID {
			t.Fatalf("after an update: %d (first %d, newest change %d)", id, first, changes[0].ID)
		}
	})
}
