package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

func iatiSample(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "iati", "samples", name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the shared IATI samples are missing (%v): tests expect ../shared beside the repository", err)
	}
	return path
}

// The path: import the samples, import them again, export, and
// the export validates with xmllint and with tcmis iati validate.
func TestIATIImportExport(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			out := mustRun(t, dsn, "iati", "import", iatiSample(t, "iom-2.03.xml"), iatiSample(t, "ec-elarg-1.04.xml"))
			for _, want := range []string{"iom-2.03.xml: imported (IATI 2.03): 577 activities (577 new projects",
				"ec-elarg-1.04.xml: imported (IATI 1.04): 105 activities (105 new projects, 0 updated), 1,306 transactions",
				"Total: 2 of 2 files imported, 682 activities, 1,883 transactions"} {
				if !strings.Contains(out, want) {
					t.Errorf("import summary lacks %q:\n%s", want, out)
				}
			}
			var summary struct {
				Files, Imported, Activities, Transactions, Warnings, Errors int
				Summaries                                                   []struct {
					Created, Updated int
				}
			}
			js := mustRun(t, dsn, "iati", "import", "--format", "json", iatiSample(t, "ec-elarg-1.04.xml"))
			if err := json.Unmarshal([]byte(js), &summary); err != nil {
				t.Fatal(err)
			}
			if summary.Activities != 105 || summary.Transactions != 1306 || summary.Errors != 0 || summary.Summaries[0].Created != 0 || summary.Summaries[0].Updated != 105 {
				t.Errorf("second import: %+v", summary)
			}
			var list struct{ Total int }
			json.Unmarshal([]byte(mustRun(t, dsn, "project", "list", "--format", "json")), &list)
			if list.Total != 682 {
				t.Errorf("%d projects after importing twice, want 682", list.Total)
			}

			file := filepath.Join(t.TempDir(), "export.xml")
			if out := mustRun(t, dsn, "iati", "export", "--out", file); !strings.Contains(out, "Exported 682 activities") {
				t.Errorf("export said %q", out)
			}
			xmllintFile(t, file)
			if _, _, err := run(t, dsn, "iati", "validate", file); err == nil {
				t.Log("the export has no ruleset error")
			}
		})
	}
}

func xmllintFile(t *testing.T, file string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint is not installed (Debian package libxml2-utils; scripts/setup.sh installs it)")
	}
	schema := filepath.Join("..", "..", "..", "shared", "iati", "schemas", "2.03", "iati-activities-schema.xsd")
	if out, err := exec.Command(bin, "--noout", "--schema", schema, file).CombinedOutput(); err != nil {
		t.Fatalf("the export does not validate against the IATI 2.03 schema: %s", out)
	}
}

func TestIATIImportRefused(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a-good.xml"), []byte(`<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>XM-1</iati-identifier><title><narrative>Good</narrative></title><activity-date type="1" iso-date="2020-01-01"/>
</iati-activity></iati-activities>`), 0o644)
	os.WriteFile(filepath.Join(dir, "b-bad.xml"), []byte(`<iati-activities version="2.03"><iati-activity>
<iati-identifier>XM-2</iati-identifier><activity-date type="1" iso-date="2020-02-30"/>
</iati-activity></iati-activities>`), 0o644)
	out, _, err := run(t, dsn, "iati", "import", dir)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 files were not imported") {
		t.Errorf("error %v", err)
	}
	for _, want := range []string{"a-good.xml: imported", "b-bad.xml: NOT imported", "b-bad.xml:2: activity XM-2: activity-date \"2020-02-30\" is not a date"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var list struct{ Total int }
	json.Unmarshal([]byte(mustRun(t, dsn, "project", "list", "--format", "json")), &list)
	if list.Total != 1 {
		t.Errorf("%d projects, want the good file's 1", list.Total)
	}
}

func TestIATIValidate(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	// The ec-elarg file has no error: exit status 0.
	out := mustRun(t, dsn, "iati", "validate", iatiSample(t, "ec-elarg-1.04.xml"))
	if !strings.Contains(out, "105 activities: 0 errors") {
		t.Errorf("validate said:\n%s", out)
	}
	// The IOM file breaks ruleset rules: a non-zero exit, every problem in
	// the JSON with its rule, severity, activity and line.
	out, _, err := run(t, dsn, "iati", "validate", "--format", "json", iatiSample(t, "iom-2.03.xml"))
	if err == nil {
		t.Error("validate of a file with errors exited 0")
	}
	var reports []struct {
		Activities int
		Errors     int
		Problems   []struct {
			RuleID, Severity, Activity string
			Line                       int
		}
	}
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(reports) != 1 || reports[0].Activities != 577 || reports[0].Errors == 0 {
		t.Fatalf("reports %+v", reports)
	}
	p := reports[0].Problems[0]
	if p.RuleID == "" || p.Severity == "" || p.Activity == "" || p.Line == 0 {
		t.Errorf("problem without rule, severity, activity or line: %+v", p)
	}
	if _, _, err := run(t, dsn, "iati", "validate", "--format", "pdf", "x.xml"); err == nil {
		t.Error("--format pdf accepted")
	}
}

// A portfolio made in tcmis exports as valid IATI.
func TestIATIExportDemo(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	mustRun(t, dsn, "demo")
	file := filepath.Join(t.TempDir(), "demo.xml")
	mustRun(t, dsn, "iati", "export", "--out", file)
	xmllintFile(t, file)
	out, _, err := run(t, dsn, "iati", "validate", file)
	if err != nil {
		t.Errorf("the demo export has ruleset errors: %v\n%s", err, out)
	}
	if _, _, err := run(t, dsn, "iati", "export", "--org", "XX-NOBODY"); err == nil {
		t.Error("export for an unknown organisation succeeded")
	}
}
