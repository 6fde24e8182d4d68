package main_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// The acceptance path: the published approvals imported into an
// empty database, and Table V.1 printed with their figures, on both
// engines.
func TestReportPublishedApprovals(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			mustRun(t, dsn, "import", "approvals", seed(t, "approvals-2000-2004.csv"))
			out := mustRun(t, dsn, "report", "approvals-by-source", "--from", "2000", "--to", "2004")
			for _, want := range []string{"Average 2000-04", "United Nations", "9,130", "5.9", "Multi-bilateral donors", "137,576", "89.5", "153,770", "100.0"} {
				if !strings.Contains(out, want) {
					t.Errorf("Table V.1 does not show %q:\n%s", want, out)
				}
			}
			out = mustRun(t, dsn, "report", "approvals-by-donor", "--from", "2000", "--to", "2004", "--format", "csv")
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			last := rows[len(rows)-1]
			if strings.Join(last, ",") != "Total donors,134667,154572,176414,150826,152371,768850,153770,100.0" {
				t.Errorf("total row: %v", last)
			}
		})
	}
}

func TestReportCommands(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	dir := t.TempDir()
	mustRun(t, dsn, "demo")

	list := mustRun(t, dsn, "report", "list")
	for _, d := range report.All() {
		if !strings.Contains(list, d.Name) {
			t.Errorf("report list does not list %s", d.Name)
		}
	}

	// CSV: figures as printed, without separators.
	out := mustRun(t, dsn, "report", "expenditure-by-region", "--from", "2000", "--to", "2004", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != "2000 (%)" || rows[1][0] != "Africa" || rows[len(rows)-1][0] != "Total" || rows[len(rows)-1][1] != "100.0" {
		t.Errorf("expenditure by region as CSV:\n%s", out)
	}
	// Filters narrow the figures.
	xb := mustRun(t, dsn, "report", "expenditure-by-source", "--from", "2000", "--to", "2004", "--source", "xbtc", "--region", "africa,interregional", "--format", "csv")
	if strings.Contains(xb, "RBTC") || !strings.Contains(xb, "XB-TC") {
		t.Errorf("--source xbtc:\n%s", xb)
	}

	// JSON: exact figures and the keys that trace them.
	var js struct {
		Name    string            `json:"name"`
		Filter  map[string]string `json:"filter"`
		Records string            `json:"records"`
		Rows    []struct {
			Keys  map[string]string `json:"keys"`
			Cells []json.RawMessage `json:"cells"`
		} `json:"rows"`
	}
	out = mustRun(t, dsn, "report", "delivery", "--month", "2005-06", "--by", "office", "--format", "json")
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatal(err)
	}
	if js.Name != "delivery" || js.Records != "expenditures" || js.Filter["to_month"] != "6" || len(js.Rows) < 10 || js.Rows[0].Keys["office"] == "" {
		t.Errorf("delivery as JSON: %+v", js)
	}

	// A cell traced to its records.
	out = mustRun(t, dsn, "report", "approvals-by-donor", "--from", "2000", "--to", "2004", "--trace", "2,y2001")
	for _, want := range []string{"United States", "2001", "approvals that match", "category", "multi-bilateral", "donor", "year"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace does not say %q:\n%s", want, out)
		}
	}

	// An SVG chart, a one-sheet workbook, and the workbook of all reports.
	svg := filepath.Join(dir, "regions.svg")
	mustRun(t, dsn, "report", "expenditure-by-region", "--format", "svg", "--out", svg)
	if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "Africa") {
		t.Errorf("SVG: %v", err)
	}
	one := filepath.Join(dir, "delivery.xlsx")
	mustRun(t, dsn, "report", "delivery-projects", "--month", "2005-06", "--threshold", "55", "--format", "xlsx", "--out", one)
	book := filepath.Join(dir, "reports.xlsx")
	mustRun(t, dsn, "report", "workbook", "--from", "2000", "--to", "2004", "--month", "2005-06", "--date", "2006-06-30", "--out", book)
	for path, sheets := range map[string]int{one: 1, book: len(report.All()) + 1} {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(f.GetSheetList()); got != sheets {
			t.Errorf("%s: %d sheets, want %d", path, got, sheets)
		}
		f.Close()
	}

	// The cost index, set one year at a time or from a file, and used by
	// the real terms.
	mustRun(t, dsn, "report", "costindex", "set", "2000", "1")
	index := filepath.Join(dir, "index.csv")
	os.WriteFile(index, []byte("year,value,note\n2001,1.041,RB\n2002,1.084,RB\n2003,1.131,RB\n2004,1.1803,RB\n"), 0o644)
	if out := mustRun(t, dsn, "report", "costindex", "import", index); !strings.Contains(out, "4 years") {
		t.Errorf("costindex import: %s", out)
	}
	if out := mustRun(t, dsn, "report", "costindex", "list"); !strings.Contains(out, "1.1803") {
		t.Errorf("costindex list:\n%s", out)
	}
	out = mustRun(t, dsn, "report", "real-terms", "--from", "2000", "--to", "2004", "--source", "xbtc", "--format", "csv")
	if !strings.Contains(out, "\n2004,139000,1.1803,") || !strings.HasSuffix(strings.TrimSpace(out), ",79.1,51.7") {
		t.Errorf("real terms of XB-TC expenditure:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("2005,abc\n2006\n"), 0o644)
	if _, _, err := run(t, dsn, "report", "costindex", "import", bad); err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad cost index file: %v", err)
	}

	// Mistakes are refused with a message.
	for _, args := range [][]string{
		{"report", "no-such-report"},
		{"report", "delivery", "--format", "pdf"},
		{"report", "delivery", "--month", "June"},
		{"report", "delivery", "--by", "planet"},
		{"report", "expenditure-by-region", "--source", "gold"},
		{"report", "expenditure-by-region", "--region", "atlantis"},
		{"report", "expenditure-by-region", "--office", "ILO-Atlantis"},
		{"report", "expenditure-by-region", "--format", "xlsx"},
		{"report", "evaluations-overdue", "--format", "svg"},
		{"report", "delivery-projects", "--threshold", "150"},
		{"report", "approvals-by-donor", "--from", "2004", "--to", "2000"},
		{"report", "approvals-by-donor", "--trace", "999,1"},
		{"report", "workbook"},
		{"report", "costindex", "set", "2004", "-1"},
	} {
		if _, _, err := run(t, dsn, args...); err == nil {
			t.Errorf("tcmis %s succeeded", strings.Join(args, " "))
		}
	}
	// The options are read by the rules of the web screens and the API
	// (report.ParseParams): every mistake at once, each named by its flag.
	_, _, err = run(t, dsn, "report", "delivery", "--month", "2005-13", "--source", "xbtc,gold", "--by", "planet")
	var flags []string
	for _, p := range tcmis.ErrorProblems(err) {
		flags = append(flags, p.Field)
	}
	if want := []string{"--source", "--month", "--by"}; !slices.Equal(flags, want) {
		t.Errorf("delivery with a bad month, source and grouping: problems on %v, want %v (%v)", flags, want, err)
	}
	if err == nil || !strings.Contains(err.Error(), `--month: "2005-13" is not a month`) {
		t.Errorf("a bad --month: %v", err)
	}
	// A boolean flag alone is true, and takes the values it took before.
	attributed := mustRun(t, dsn, "report", "expenditure-by-region", "--attribute", "--format", "csv")
	if out := mustRun(t, dsn, "report", "expenditure-by-region", "--attribute=t", "--format", "csv"); out != attributed {
		t.Errorf("--attribute=t differs from --attribute:\n%s\n%s", out, attributed)
	}
	if out := mustRun(t, dsn, "report", "delivery", "--help"); !strings.Contains(out, "--month") || strings.Contains(out, "--biennium") {
		t.Errorf("delivery's help lists the wrong flags:\n%s", out)
	}
}
