package iati_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/iati"
	"github.com/tcmis/tcmis/iati/validate"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

var ctx = tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})

func openDB(t testing.TB, engine string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(ctx, sqldbtest.DSN(t, engine))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func importFile(t *testing.T, db *sqldb.DB, path string) *iati.Summary {
	t.Helper()
	s, err := iati.ImportFile(ctx, db, path, iati.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return s
}

func export(t *testing.T, db *sqldb.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := iati.Export(ctx, db, &buf, iati.ExportOptions{Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func activities(t *testing.T, db *sqldb.DB) []*tcmis.Activity {
	t.Helper()
	as, _, err := db.FindActivities(ctx, tcmis.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		a.ProjectID = 0
	}
	return as
}

// The counts, on both engines, and a second import that updates
// and never duplicates.
func TestImportSamples(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := openDB(t, engine)
			for _, tc := range []struct {
				file                     string
				activities, transactions int
			}{
				{"iom-2.03.xml", 577, 577},
				{"ec-elarg-1.04.xml", 105, 1306},
			} {
				s := importFile(t, db, filepath.Join(samples(t), tc.file))
				if !s.Imported || s.Activities != tc.activities || s.Created != tc.activities || s.Transactions != tc.transactions || s.ErrorCount != 0 {
					t.Errorf("%s: %+v", tc.file, s)
				}
				again := importFile(t, db, filepath.Join(samples(t), tc.file))
				if again.Created != 0 || again.Updated != tc.activities {
					t.Errorf("%s again: created %d, updated %d", tc.file, again.Created, again.Updated)
				}
			}
			_, n, err := db.FindProjects(ctx, tcmis.ProjectFilter{})
			if err != nil || n != 577+105 {
				t.Errorf("%d projects (%v), want %d", n, err, 577+105)
			}
			as := activities(t, db)
			tx := 0
			for _, a := range as {
				tx += len(a.Transactions)
			}
			if len(as) != 682 || tx != 577+1306 {
				t.Errorf("%d activities with %d transactions stored", len(as), tx)
			}
		})
	}
}

// Import, export, import into a new database: the same activities and
// projects; the export is valid 2.03.
func TestStoreRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samples(t), "*-2.03.xml"))
	files = append(files, filepath.Join(samples(t), "ec-elarg-1.04.xml"))
	for _, path := range files {
		if strings.Contains(path, "organisation") {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			first := openDB(t, "sqlite")
			importFile(t, first, path)
			out := export(t, first)
			xmllint(t, out)
			f := filepath.Join(t.TempDir(), "export.xml")
			os.WriteFile(f, out, 0o644)
			second := openDB(t, "sqlite")
			importFile(t, second, f)
			a1, a2 := activities(t, first), activities(t, second)
			if len(a1) != len(a2) {
				t.Fatalf("%d activities after the round trip, want %d", len(a2), len(a1))
			}
			for i := range a1 {
				if !reflect.DeepEqual(a1[i], a2[i]) {
					t.Fatalf("activity %s changed:\n%s", a1[i].Identifier, diff(a1[i], a2[i]))
				}
			}
			p1, p2 := projects(t, first), projects(t, second)
			if !reflect.DeepEqual(p1, p2) {
				t.Fatalf("projects changed:\n%s", diff(p1, p2))
			}
			// The export imported into the database it came from changes
			// nothing.
			s := importFile(t, first, f)
			if s.Created != 0 {
				t.Errorf("re-import of the export created %d projects", s.Created)
			}
			if p3 := projects(t, first); !reflect.DeepEqual(p1, p3) {
				t.Fatalf("projects changed by importing their own export:\n%s", diff(p1, p3))
			}
		})
	}
}

// projects returns the projects without what differs between databases.
func projects(t *testing.T, db *sqldb.DB) []*tcmis.Project {
	t.Helper()
	ps, _, err := db.FindProjects(ctx, tcmis.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		p.ID, p.LeadUnitID, p.UpdatedAt, p.Version = 0, 0, time.Time{}, 0
	}
	return ps
}

// The demo portfolio, never imported, exports as valid IATI that the
// default ruleset finds no error in, and imports back onto its projects.
func TestExportDemo(t *testing.T) {
	db := openDB(t, "sqlite")
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	before := projects(t, db)
	var buf bytes.Buffer
	if _, err := iati.Export(ctx, db, &buf, iati.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	xmllint(t, out)
	v, err := validate.New(validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Validate(bytes.NewReader(out), "demo.xml")
	if err != nil {
		t.Fatal(err)
	}
	if r.Activities != len(before) {
		t.Errorf("%d activities exported, want %d", r.Activities, len(before))
	}
	for _, p := range r.Problems {
		if p.Severity == validate.SeverityError {
			t.Errorf("ruleset error: %s [%s] %s %s (line %d)", p.Activity, p.RuleID, p.Message, p.Detail, p.Line)
		}
	}
	if t.Failed() {
		return
	}
	f := filepath.Join(t.TempDir(), "demo.xml")
	os.WriteFile(f, out, 0o644)
	s := importFile(t, db, f)
	if s.Created != 0 || s.Updated != len(before) {
		t.Errorf("importing the export: %d created, %d updated", s.Created, s.Updated)
	}
	after := projects(t, db)
	for i := range after {
		after[i].IATIID = before[i].IATIID // the import records it
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("projects changed by importing their own export:\n%s", diff(before, after))
	}
}

const head = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
`

func activity(body string) string {
	return head + ` <iati-activity default-currency="USD">
  <iati-identifier>XM-1</iati-identifier>
  <title><narrative>A</narrative></title>
  <activity-date type="1" iso-date="2020-01-01"/>
` + body + `
 </iati-activity>
</iati-activities>
`
}

// Each kind of bad input gets an error that names the file, the line and
// the problem, and nothing is stored.
func TestBadInput(t *testing.T) {
	deep := head + strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100) + "</iati-activities>"
	for _, tc := range []struct {
		name, body string
		line       int
		want       string
	}{
		{"not-xml", "this is not XML at all", 1, "not an XML file"},
		{"empty", "", 1, "empty"},
		{"html", "<html><body>404</body></html>", 1, "not an IATI activity file"},
		{"organisation", `<iati-organisations version="2.03"></iati-organisations>`, 1, "organisation file"},
		{"truncated", activity("")[:120], 4, "truncated"},
		{"bomb", `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<iati-activities version="2.03"></iati-activities>`, 2, "DOCTYPE"},
		{"nesting", deep, 3, "nested more than"},
		{"utf16", "\xff\xfe<\x00?\x00", 1, "UTF-16"},
		{"latin1-undeclared", activity("<description><narrative>Caf\xe9</narrative></description>"), 7, "not valid UTF-8"},
		{"unknown-encoding", `<?xml version="1.0" encoding="EBCDIC-US"?><iati-activities/>`, 1, "EBCDIC-US"},
		{"version", `<iati-activities version="3.0"></iati-activities>`, 1, `version "3.0"`},
		{"v1-declaring-2.03", activity(`<transaction><transaction-type code="C"/><transaction-date iso-date="2020-01-01"/><value>1</value></transaction>`), 7, "version 1 code"},
		{"v1-title", head + " <iati-activity>\n  <iati-identifier>XM-1</iati-identifier>\n  <title>Old style</title>\n </iati-activity>\n</iati-activities>", 5, "<narrative>"},
		{"no-identifier", head + " <iati-activity>\n  <title><narrative>A</narrative></title>\n </iati-activity>\n</iati-activities>", 3, "no <iati-identifier>"},
		{"impossible-date", activity(`<activity-date type="3" iso-date="2021-02-30"/>`), 7, `"2021-02-30" is not a date`},
		{"impossible-amount", activity(`<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><value value-date="2020-01-01">12,3.4.5</value></budget>`), 7, "not an amount"},
		{"huge-exponent", activity(`<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><value value-date="2020-01-01">1e999999999</value></budget>`), 7, "not a plausible amount"},
		{"impossible-code", activity(`<transaction><transaction-type code="99"/><transaction-date iso-date="2020-01-01"/><value value-date="2020-01-01">1</value></transaction>`), 7, "not an IATI transaction type"},
		{"currency", activity(`<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value currency="EURO" value-date="2020-01-01">1</value></transaction>`), 7, `currency "EURO"`},
		{"duplicate", head + " <iati-activity><iati-identifier>A</iati-identifier><activity-date type=\"1\" iso-date=\"2020-01-01\"/></iati-activity>\n <iati-activity><iati-identifier>A</iati-identifier><activity-date type=\"1\" iso-date=\"2020-01-01\"/></iati-activity>\n</iati-activities>", 4, "used twice"},
		{"trailing", activity("") + "<iati-activities/>", 10, "after the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t, "sqlite")
			path := filepath.Join(t.TempDir(), tc.name+".xml")
			os.WriteFile(path, []byte(tc.body), 0o644)
			s, err := iati.ImportFile(ctx, db, path, iati.Options{})
			var fe *iati.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v, want a *FileError", err, err)
			}
			found := false
			for _, p := range fe.Problems {
				if p.File == path && p.Line == tc.line && strings.Contains(p.Message, tc.want) {
					found = true
				}
			}
			if !found || !strings.Contains(err.Error(), path+":") {
				t.Errorf("want %q at line %d, got:\n%v", tc.want, tc.line, err)
			}
			if s == nil || s.Imported || s.ErrorCount == 0 {
				t.Errorf("summary %+v", s)
			}
			if _, n, _ := db.FindProjects(ctx, tcmis.ProjectFilter{}); n != 0 {
				t.Errorf("%d projects stored from a refused file", n)
			}
			if _, n, _ := db.FindActivities(ctx, tcmis.ActivityFilter{}); n != 0 {
				t.Errorf("%d activities stored from a refused file", n)
			}
		})
	}
}

// A declared Latin-1 or windows-1252 file reads; problems that do not stop
// an import are warnings with their line.
func TestEncodingsAndWarnings(t *testing.T) {
	for _, enc := range []string{"ISO-8859-1", "windows-1252"} {
		body := strings.Replace(activity("<description><narrative>Caf\xe9 \x80</narrative></description>\n  <sector code=\"11110\" percentage=\"50\" colour=\"red\"/>\n  <sector code=\"11220\" percentage=\"20\"/>"), `encoding="UTF-8"`, `encoding="`+enc+`"`, 1)
		as, rd := readAll(t, strings.NewReader(body), "x.xml")
		if err := rd.Err(); err != nil {
			t.Fatal(err)
		}
		text := as[0].Descriptions[0].Text[0].Text
		want := "Café \u0080"
		if enc == "windows-1252" {
			want = "Café €"
		}
		if text != want {
			t.Errorf("%s: read %q, want %q", enc, text, want)
		}
		if len(as[0].Sectors[0].Attrs) != 1 || as[0].Sectors[0].Attrs[0].Name != "colour" {
			t.Errorf("unknown attribute not kept: %+v", as[0].Sectors[0])
		}
		found := false
		for _, w := range rd.Warnings() {
			found = found || (w.Line == 8 && strings.Contains(w.Message, "colour"))
		}
		if !found {
			t.Errorf("no warning for the unknown attribute at line 8: %v", rd.Warnings())
		}
		_, notes, err := as[0].ToProject()
		if err != nil || len(notes) == 0 || !strings.Contains(strings.Join(notes, "\n"), "add up to 70") {
			t.Errorf("notes %v, %v", notes, err)
		}
	}
}

// Amounts are read exactly into minor units, never through a float.
func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		text, cur string
		want      int64
	}{
		{"1234.5", "EUR", 123450},
		{"1e3", "USD", 100000},
		{"-0.005", "USD", -1},
		{"20832.333333", "USD", 2083233},
		{"1000", "JPY", 1000},
		{"1.2345", "KWD", 1235},
		{"90071992547409.93", "USD", 9007199254740993},
	} {
		body := activity(`<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value currency="` + tc.cur + `" value-date="2020-01-01">` + tc.text + `</value></transaction>`)
		as, rd := readAll(t, strings.NewReader(body), "x.xml")
		if err := rd.Err(); err != nil {
			t.Fatal(err)
		}
		if got := as[0].Transactions[0].Value.Amount; got != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.text, tc.cur, got, tc.want)
		}
	}
}
