package sqldb_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

func day(s string) time.Time {
	t, err := time.Parse(tcmis.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testActivity is an activity with a little of everything.
func testActivity(id, title string) *tcmis.Activity {
	return &tcmis.Activity{
		Identifier:    id,
		Lang:          "en",
		Currency:      "EUR",
		ReportingOrg:  tcmis.Org{Ref: "XM-DAC-41114", Type: "40", Name: tcmis.Narratives{{Text: "UNDP"}}},
		Title:         tcmis.Narratives{{Text: title}, {Lang: "fr", Text: "Titre"}},
		Participants:  []tcmis.Org{{Ref: "GB-GOV-1", Role: "1", Name: tcmis.Narratives{{Text: "FCDO"}}}},
		Status:        "2",
		Dates:         []tcmis.ActivityDate{{Type: "1", Date: day("2020-01-01")}, {Type: "3", Date: day("2022-12-31")}},
		Countries:     []tcmis.CountryPart{{Code: "KE", Percentage: "60"}, {Code: "UG", Percentage: "40"}},
		Sectors:       []tcmis.SectorPart{{Code: "16020", Vocabulary: "1"}},
		PolicyMarkers: []tcmis.PolicyMarker{{Code: "1", Vocabulary: "1", Significance: "2"}},
		Transactions: []tcmis.Transaction{
			{Type: "2", Date: day("2020-02-01"), Value: tcmis.Value{Amount: 100000, ValueDate: day("2020-02-01")},
				Provider: &tcmis.Org{Ref: "GB-GOV-1"}},
			{Type: "4", Date: day("2021-03-31"), Value: tcmis.Value{Amount: -2550, Currency: "USD", ValueDate: day("2021-03-31")}},
		},
		Extra: []tcmis.Fragment{{Name: "contact-info", XML: "<contact-info><email>a@b.org</email></contact-info>"}},
	}
}

func TestActivities(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		unit := &tcmis.Unit{Code: "IATI", Name: "Imported", Kind: tcmis.Department}
		load := func(as ...*tcmis.Activity) (int, error) {
			var created int
			err := db.LoadActivities(ctx, "test", func(l tcmis.ActivityLoader) (err error) {
				created, err = l.UpsertActivities(unit, as)
				return err
			})
			return created, err
		}
		a, b := testActivity("XM-1", "Decent work in Kenya"), testActivity("XM-2", "Second")
		if n, err := load(a, b); err != nil || n != 2 {
			t.Fatalf("created %d: %v", n, err)
		}
		got, total, err := db.FindActivities(ctx, tcmis.ActivityFilter{})
		if err != nil || total != 2 {
			t.Fatalf("found %d: %v", total, err)
		}
		if !reflect.DeepEqual(got[0], a) {
			t.Errorf("read back\n%+v\nwant\n%+v", got[0], a)
		}
		p, err := db.FindProjectByID(ctx, a.ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Code != "XM-1" || p.IATIID != "XM-1" || p.Title != "Decent work in Kenya" || p.Scope != tcmis.Regional ||
			len(p.Countries) != 2 || p.Countries[0].Percent != 6000 || p.Gender != tcmis.Principal || p.Status != tcmis.Ongoing || p.Currency != "EUR" {
			t.Errorf("project %+v", p)
		}

		// Again, changed: the same projects, updated, not duplicated.
		a2 := testActivity("XM-1", "Decent work in Kenya and Uganda")
		a2.Transactions = a2.Transactions[:1]
		if n, err := load(a2); err != nil || n != 0 {
			t.Fatalf("re-import created %d: %v", n, err)
		}
		if _, n, _ := db.FindProjects(ctx, tcmis.ProjectFilter{}); n != 2 {
			t.Errorf("%d projects after re-import, want 2", n)
		}
		p2, _ := db.FindProjectByID(ctx, a.ProjectID)
		if p2.Title != "Decent work in Kenya and Uganda" || p2.Version != 2 || a2.ProjectID != a.ProjectID {
			t.Errorf("after re-import: %+v", p2)
		}
		id := "XM-1"
		got, _, _ = db.FindActivities(ctx, tcmis.ActivityFilter{Identifier: &id})
		if len(got) != 1 || len(got[0].Transactions) != 1 {
			t.Errorf("re-imported activity: %+v", got)
		}

		// An activity goes to the project that has its code, or its code
		// after the reporting organisation's identifier.
		own := &tcmis.Project{Code: "INT/20/01/XYZ", Title: "Own", Source: tcmis.RBTC, LeadUnitID: p.LeadUnitID, Scope: tcmis.Global,
			Start: day("2020-01-01"), End: day("2021-01-01"), Status: tcmis.Approved, Currency: "USD"}
		if err := db.CreateProject(ctx, own); err != nil {
			t.Fatal(err)
		}
		exported := testActivity("XM-DAC-41114-INT/20/01/XYZ", "Own")
		exported.Countries = nil
		if n, err := load(exported); err != nil || n != 0 || exported.ProjectID != own.ID {
			t.Fatalf("activity of an own project: created %d, project %d (want %d): %v", n, exported.ProjectID, own.ID, err)
		}
		if p, _ := db.FindProjectByID(ctx, own.ID); p.Status != tcmis.Approved || p.Source != tcmis.RBTC || p.IATIID != exported.Identifier {
			t.Errorf("own project after import: %+v", p)
		}
		if err := db.DeleteProject(ctx, own.ID); err != nil {
			t.Fatal(err)
		}

		// A failing load stores nothing.
		boom := errors.New("boom")
		err = db.LoadActivities(ctx, "test", func(l tcmis.ActivityLoader) error {
			if _, err := l.UpsertActivities(unit, []*tcmis.Activity{testActivity("XM-3", "Third")}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("load: %v", err)
		}
		if _, n, _ := db.FindActivities(ctx, tcmis.ActivityFilter{}); n != 2 {
			t.Errorf("%d activities after a failed load, want 2", n)
		}
		// Invalid activities are refused whole.
		bad := testActivity("XM 4", "Bad")
		_, err = load(testActivity("XM-5", "Fine"), bad)
		mustCode(t, err, tcmis.EINVALID)

		// Deleting the project deletes its activity.
		if err := db.DeleteProject(ctx, b.ProjectID); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := db.FindActivities(ctx, tcmis.ActivityFilter{}); n != 1 {
			t.Errorf("%d activities after deleting a project, want 1", n)
		}
	})
}

// TestActivityDocumentsMigration stores activities as migrations 0004 to
// 0007 kept them (a JSON document per activity without its transactions,
// and one per transaction), migrates, and reads them back whole: the
// published samples of every kind, and the test activity.
func TestActivityDocumentsMigration(t *testing.T) {
	for _, engine := range []sqldb.Engine{sqldb.SQLite, sqldb.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := ctxAs("alice")
			dsn, driver := sqldbtest.DSN(t, string(engine)), "sqlite"
			if engine == sqldb.Postgres {
				driver = "pgx"
			}
			db, err := sqldb.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if err := db.MigrateThroughForTest(ctx, "0007_compliance_snapshot.sql"); err != nil {
				t.Fatal(err)
			}
			unit := &tcmis.Unit{Code: "IATI", Name: "Imported", Kind: tcmis.Department}
			if err := db.CreateUnit(ctx, unit); err != nil {
				t.Fatal(err)
			}
			as := append(sampleActivities(t, "ec-elarg-1.04.xml", 20), sampleActivities(t, "iom-2.03.xml", 20)...)
			as = append(as, testActivity("XM-1", "Decent work in Kenya"))
			rebind := func(q string) string {
				if engine == sqldb.Postgres {
					for i := 1; strings.Contains(q, "?"); i++ {
						q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
					}
				}
				return q
			}
			for _, a := range as {
				p, _, err := a.ToProject()
				if err != nil {
					t.Fatal(err)
				}
				p.LeadUnitID = unit.ID
				if err := db.CreateProject(ctx, p); err != nil {
					t.Fatalf("activity %s: %v", a.Identifier, err)
				}
				a.ProjectID = p.ID
				c := *a
				c.ProjectID, c.Transactions = 0, nil
				doc, err := json.Marshal(&c)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := raw.Exec(rebind(`INSERT INTO iati_activities (project_id, identifier, document, transactions, updated_at) VALUES (?, ?, ?, ?, ?)`),
					p.ID, a.Identifier, string(doc), len(a.Transactions), "2024-01-02T03:04:05Z"); err != nil {
					t.Fatal(err)
				}
				for i, tr := range a.Transactions {
					doc, err := json.Marshal(&tr)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := raw.Exec(rebind(`INSERT INTO iati_transactions (project_id, position, type, tx_date, amount, currency, document) VALUES (?, ?, ?, ?, ?, ?, ?)`),
						p.ID, i, tr.Type, "2024-01-02", tr.Value.Amount, "USD", string(doc)); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got, n, err := db.FindActivities(ctx, tcmis.ActivityFilter{})
			if err != nil || n != len(as) {
				t.Fatalf("found %d of %d: %v", n, len(as), err)
			}
			byID := map[string]*tcmis.Activity{}
			for _, a := range got {
				byID[a.Identifier] = a
			}
			transactions := 0
			for _, a := range as {
				transactions += len(a.Transactions)
				if !reflect.DeepEqual(byID[a.Identifier], a) {
					t.Errorf("activity %s read back\n%+v\nwant\n%+v", a.Identifier, byID[a.Identifier], a)
				}
			}
			if transactions == 0 {
				t.Fatal("the samples have no transactions to migrate")
			}
		})
	}
}

// sampleActivities reads the first n activities of a published sample.
func sampleActivities(t *testing.T, name string, n int) []*tcmis.Activity {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "shared", "iati", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := iati.NewReader(f, name)
	if err != nil {
		t.Fatal(err)
	}
	var out []*tcmis.Activity
	for len(out) < n {
		a, err := rd.Next()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, a)
	}
	return out
}
