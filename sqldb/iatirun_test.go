package sqldb_test

import (
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestIATIRuns(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		alice := &tcmis.User{Email: "alice@example.org", Name: "Alice", Role: tcmis.RoleAdmin}
		bob := &tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleAdmin}
		for _, u := range []*tcmis.User{alice, bob} {
			if err := db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		started := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		a := &tcmis.IATIRun{Kind: tcmis.IATIRunImport, File: "iom.xml", Bytes: 1234, UserID: alice.ID, Started: started}
		b := &tcmis.IATIRun{Kind: tcmis.IATIRunValidation, File: "ec.xml", Bytes: 99, UserID: bob.ID}
		for _, r := range []*tcmis.IATIRun{a, b} {
			if err := db.CreateIATIRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if a.ID == 0 || b.ID <= a.ID || !b.Started.Equal(db.Now()) {
			t.Fatalf("ids %d, %d; b started %v", a.ID, b.ID, b.Started)
		}
		mustCode(t, db.CreateIATIRun(ctx, &tcmis.IATIRun{Kind: "export", File: "x.xml", UserID: alice.ID}), tcmis.EINVALID)
		mustCode(t, db.CreateIATIRun(ctx, &tcmis.IATIRun{Kind: tcmis.IATIRunImport, File: "x.xml", UserID: 999}), tcmis.ENOTFOUND)

		// Running: no end, no outcome, no report.
		got, err := db.FindIATIRunByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.File != "iom.xml" || got.Bytes != 1234 || !got.Started.Equal(started) || !got.Finished.IsZero() || got.Outcome != "" || got.Report != nil {
			t.Errorf("running run %+v", got)
		}

		report := []byte(`{"File":"iom.xml","Summary":{"activities":577}}`)
		a.Outcome, a.Report = tcmis.IATIImported, report
		if err := db.FinishIATIRun(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err = db.FindIATIRunByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != tcmis.IATIImported || string(got.Report) != string(report) || !got.Finished.Equal(db.Now()) {
			t.Errorf("finished run %+v (report %s)", got, got.Report)
		}
		// A run ends once; an unknown outcome or run is refused.
		mustCode(t, db.FinishIATIRun(ctx, a), tcmis.ECONFLICT)
		mustCode(t, db.FinishIATIRun(ctx, &tcmis.IATIRun{ID: b.ID, Outcome: "done"}), tcmis.EINVALID)
		mustCode(t, db.FinishIATIRun(ctx, &tcmis.IATIRun{ID: 999, Outcome: tcmis.IATIFailed}), tcmis.ENOTFOUND)
		mustCode(t, func() error { _, err := db.FindIATIRunByID(ctx, 999); return err }(), tcmis.ENOTFOUND)

		// Newest first, by user, paged; the list carries no reports.
		all, n, err := db.FindIATIRuns(ctx, tcmis.IATIRunFilter{})
		if err != nil || n != 2 || len(all) != 2 || all[0].ID != b.ID || all[1].ID != a.ID || all[1].Report != nil || all[1].Outcome != tcmis.IATIImported {
			t.Fatalf("all runs: %d %+v %v", n, all, err)
		}
		mine, n, err := db.FindIATIRuns(ctx, tcmis.IATIRunFilter{UserID: &alice.ID})
		if err != nil || n != 1 || len(mine) != 1 || mine[0].ID != a.ID {
			t.Errorf("alice's runs: %d %+v %v", n, mine, err)
		}
		page, n, err := db.FindIATIRuns(ctx, tcmis.IATIRunFilter{Offset: 1, Limit: 1})
		if err != nil || n != 2 || len(page) != 1 || page[0].ID != a.ID {
			t.Errorf("second page: %d %+v %v", n, page, err)
		}
	})
}
