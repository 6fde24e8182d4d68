package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	main "github.com/tcmis/tcmis/cmd/tcmis"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// run runs the program as a user would, on the database dsn, and returns
// what it wrote.
func run(t *testing.T, dsn string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := main.NewMain()
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(""), &out, &errOut
	m.Getenv = func(string) string { return "" }
	m.Interactive = false
	err = m.Run(context.Background(), append([]string{"--db", dsn}, args...))
	if cerr := m.Close(); cerr != nil {
		t.Error(cerr)
	}
	return out.String(), errOut.String(), err
}

func mustRun(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	out, errOut, err := run(t, dsn, args...)
	if err != nil {
		t.Fatalf("tcmis %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func seed(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "seed", name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the shared seed data is missing (%v): tests expect ../shared beside the repository", err)
	}
	return path
}

func TestImportPublishedApprovals(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			out := mustRun(t, dsn, "import", "approvals", seed(t, "approvals-2000-2004.csv"))
			if !strings.Contains(out, "165 rows read") || !strings.Contains(out, "50 donors") || !strings.Contains(out, "165 approvals") {
				t.Errorf("import summary: %q", out)
			}
			var donors []struct {
				Name     string `json:"name"`
				Category string `json:"category"`
			}
			if err := json.Unmarshal([]byte(mustRun(t, dsn, "donor", "list", "--format", "json")), &donors); err != nil {
				t.Fatal(err)
			}
			byCategory := map[string]int{}
			for _, d := range donors {
				byCategory[d.Category]++
			}
			if len(donors) != 50 || byCategory["multi-bilateral"] != 30 || byCategory["un"] != 12 {
				t.Errorf("%d donors, by category %v", len(donors), byCategory)
			}
			csv := mustRun(t, dsn, "donor", "list", "--category", "un", "--format", "csv")
			if lines := strings.Count(csv, "\n"); lines != 13 || !strings.HasPrefix(csv, "Name,Category") {
				t.Errorf("UN donors as CSV:\n%s", csv)
			}

			// Again: refused as duplicates, nothing doubled.
			_, errOut, err := run(t, dsn, "import", "approvals", seed(t, "approvals-2000-2004.csv"))
			if err == nil || !strings.Contains(err.Error(), "row 2") || !strings.Contains(err.Error(), "Nothing was imported") {
				t.Errorf("second import: %v %s", err, errOut)
			}
		})
	}
}

func TestImportBadRowsChangesNothing(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	bad := filepath.Join(t.TempDir(), "donors.csv")
	os.WriteFile(bad, []byte("name,category,country\nNorway,multi-bilateral,NO\nAtlantis,friends,AT\nSweden,multi-bilateral,XX\n"), 0o644)
	_, _, err := run(t, dsn, "import", "donors", bad)
	if err == nil {
		t.Fatal("a file with bad rows was imported")
	}
	for _, want := range []string{"donors.csv: row 3, column category", "donors.csv: row 4, column country", "Nothing was imported"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	if out := mustRun(t, dsn, "donor", "list", "--format", "json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("donors stored from a refused file: %s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	for _, args := range [][]string{
		{"import", "approvals"},
		{"import", "planets", "x.csv"},
		{"project", "list", "--format", "pdf"},
		{"project", "list", "--region", "atlantis"},
		{"donor", "list", "--category", "friends"},
		{"frobnicate"},
	} {
		_, _, err := run(t, dsn, args...)
		if err == nil {
			t.Errorf("tcmis %s succeeded", strings.Join(args, " "))
		}
	}
	_, _, err := run(t, dsn, "project", "show", "NO/SUCH/CODE")
	if err == nil || !strings.Contains(err.Error(), "NO/SUCH/CODE") {
		t.Errorf("unknown project: %v", err)
	}
}

func TestHelp(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	for _, args := range [][]string{
		{"--help"}, {"migrate", "--help"}, {"demo", "--help"}, {"project", "list", "--help"},
		{"project", "show", "--help"}, {"donor", "list", "--help"}, {"import", "--help"},
	} {
		out := mustRun(t, dsn, args...)
		if !strings.Contains(out, "Usage:") {
			t.Errorf("tcmis %s prints no usage:\n%s", strings.Join(args, " "), out)
		}
	}
	if out := mustRun(t, dsn, "import", "--help"); !strings.Contains(out, "expenditures") || !strings.Contains(out, "amount*") {
		t.Errorf("import help does not list the kinds and columns:\n%s", out)
	}
}

func TestMigrate(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			for i := 0; i < 2; i++ { // twice: the second finds nothing to do
				if out := mustRun(t, dsn, "migrate"); !strings.Contains(out, "up to date") {
					t.Errorf("migrate said %q", out)
				}
			}
		})
	}
}

// The acceptance path: tcmis demo, then the demo's projects listed
// as JSON, on both engines.
func TestDemoThenProjectList(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			out := mustRun(t, dsn, "demo")
			if !strings.Contains(out, "Projects") || !strings.Contains(out, "rows per second") {
				t.Errorf("demo summary:\n%s", out)
			}
			var list struct {
				Total    int `json:"total"`
				Projects []struct {
					Code     string   `json:"code"`
					LeadUnit string   `json:"lead_unit"`
					Donors   []string `json:"donors"`
					Status   string   `json:"status"`
				} `json:"projects"`
			}
			if err := json.Unmarshal([]byte(mustRun(t, dsn, "project", "list", "--format", "json")), &list); err != nil {
				t.Fatal(err)
			}
			if list.Total < 400 || len(list.Projects) != list.Total {
				t.Fatalf("listed %d of %d projects", len(list.Projects), list.Total)
			}
			for _, p := range list.Projects {
				if p.Code == "" || p.LeadUnit == "" || p.Status == "" {
					t.Fatalf("project listed without code, lead unit or status: %+v", p)
				}
			}

			// Filters narrow the list; every Ghana project works in Ghana.
			ghana := mustRun(t, dsn, "project", "list", "--country", "GH", "--format", "csv")
			rows := strings.Split(strings.TrimSpace(ghana), "\n")
			if len(rows) < 2 || len(rows)-1 >= list.Total {
				t.Fatalf("Ghana filter gave %d rows", len(rows)-1)
			}
			for _, r := range rows[1:] {
				if !strings.Contains(r, "GH") {
					t.Errorf("non-Ghana project under --country GH: %s", r)
				}
			}

			// A project's page shows its delivery by year.
			code := list.Projects[0].Code
			show := mustRun(t, dsn, "project", "show", code)
			for _, want := range []string{code, "Lead unit", "Funding and delivery by year"} {
				if !strings.Contains(show, want) {
					t.Errorf("project show lacks %q:\n%s", want, show)
				}
			}

			// The demo loads only into an empty database.
			if _, _, err := run(t, dsn, "demo"); err == nil || !strings.Contains(err.Error(), "empty database") {
				t.Errorf("second demo: %v", err)
			}
		})
	}
}
