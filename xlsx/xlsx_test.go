package xlsx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
	"github.com/tcmis/tcmis/xlsx"
)

var today = time.Date(2006, 6, 30, 0, 0, 0, 0, time.UTC)

// demoTables makes every report on the demo portfolio.
func demoTables(t *testing.T) []*report.Table {
	t.Helper()
	ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})
	db, err := sqldb.Open(ctx, sqldbtest.DSN(t, "sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return today }
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	for y, v := range map[int]tcmis.Decimal{2000: 1_000_000, 2001: 1_041_000, 2002: 1_084_000, 2003: 1_131_000, 2004: 1_180_300} {
		if err := db.SetCostIndex(ctx, &tcmis.CostIndex{Year: y, Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	var out []*report.Table
	for _, d := range report.All() {
		tab, err := report.Run(ctx, db, d.Name, report.Params{From: 2000, To: 2004, Year: 2005, Month: 6, Biennium: "2004-05", Today: today})
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		out = append(out, tab)
	}
	return out
}

func workbook(t *testing.T, tables []*report.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := xlsx.Write(&b, tables, xlsx.Options{Contents: true, Title: "Test"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWorkbook checks the workbook as Excel reads it: a contents sheet,
// then a sheet per table whose figures are numbers with the number format
// of their column, headers frozen, and a native chart for each table that
// has one.
func TestWorkbook(t *testing.T) {
	tables := demoTables(t)
	b := workbook(t, tables)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != len(tables)+1 || sheets[0] != "Contents" {
		t.Fatalf("sheets %v", sheets)
	}
	charts := 0
	for i, tab := range tables {
		name := sheets[i+1]
		if name != xlsx.SheetName(tab) {
			t.Errorf("sheet %d is %s, want %s", i+1, name, xlsx.SheetName(tab))
		}
		if title, _ := f.GetCellValue(name, "A1"); title != tab.Title {
			t.Errorf("%s: title %q", name, title)
		}
		panes, err := f.GetPanes(name)
		if err != nil || !panes.Freeze || panes.YSplit != xlsx.HeaderRow || panes.XSplit != 1 {
			t.Errorf("%s: panes %+v, %v", name, panes, err)
		}
		numbers := 0
		for r, row := range tab.Rows {
			for c, col := range tab.Columns {
				v := row.Cells[c]
				if col.Kind == report.Text || v.Null {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, xlsx.HeaderRow+1+r)
				typ, err := f.GetCellType(name, ref)
				if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
					t.Fatalf("%s!%s is %v, not a number (%v)", name, ref, typ, err)
				}
				raw, _ := f.GetCellValue(name, ref, excelize.Options{RawCellValue: true})
				if raw == "" {
					t.Fatalf("%s!%s is empty", name, ref)
				}
				st, _ := f.GetCellStyle(name, ref)
				style, err := f.GetStyle(st)
				if err != nil || style.CustomNumFmt == nil || *style.CustomNumFmt != xlsx.NumberFormat(col) {
					t.Fatalf("%s!%s: number format %v, want %s", name, ref, style.CustomNumFmt, xlsx.NumberFormat(col))
				}
				numbers++
			}
		}
		if numbers == 0 && len(tab.Rows) > 0 && tab.Name != "evaluations-overdue" {
			t.Errorf("%s: no figures", name)
		}
		if cats, _ := tab.ChartData(); len(cats) > 0 {
			charts++
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") && strings.HasSuffix(zf.Name, ".xml") {
			found++
		}
	}
	if charts == 0 || found != charts {
		t.Errorf("%d native charts in the workbook, %d tables with a chart", found, charts)
	}
}

// TestLibreOffice opens a workbook written by tcmis in LibreOffice,
// headless, converts every sheet to CSV as LibreOffice shows it, and
// checks that each figure reads as the table prints it. LibreOffice is
// needed (scripts/setup.sh installs it); TCMIS_TEST_LIBREOFFICE=off skips
// the test, and says so.
func TestLibreOffice(t *testing.T) {
	if os.Getenv("TCMIS_TEST_LIBREOFFICE") == "off" {
		t.Skip("LibreOffice test skipped: TCMIS_TEST_LIBREOFFICE=off")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("LibreOffice (soffice) is not installed: run scripts/setup.sh, or set TCMIS_TEST_LIBREOFFICE=off to skip this test")
	}
	tables := demoTables(t)
	dir := t.TempDir()
	book := filepath.Join(dir, "reports.xlsx")
	if err := os.WriteFile(book, workbook(t, tables), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "csv")
	// Comma, double quote, UTF-8, from line 1, cells as shown, every
	// sheet to a file of its own; an English locale for the separators.
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir", out, book)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	for _, tab := range tables {
		path := filepath.Join(out, "reports-"+xlsx.SheetName(tab)+".csv")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("LibreOffice wrote no CSV for sheet %s: %v", xlsx.SheetName(tab), err)
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		lines, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(lines) < xlsx.HeaderRow+len(tab.Rows) {
			t.Fatalf("%s: %d lines for %d rows", path, len(lines), len(tab.Rows))
		}
		if lines[0][0] != tab.Title {
			t.Errorf("%s: title %q", path, lines[0][0])
		}
		for c, col := range tab.Columns {
			if got := lines[xlsx.HeaderRow-1][c]; got != col.Heading() {
				t.Errorf("%s: heading %q, want %q", path, got, col.Heading())
			}
		}
		checked := 0
		for i, row := range tab.Rows {
			line := lines[xlsx.HeaderRow+i]
			for c, col := range tab.Columns {
				want := col.Format(row.Cells[c])
				got := ""
				if c < len(line) {
					got = line[c]
				}
				if col.Kind == report.Percent {
					got = strings.TrimSuffix(got, "%")
				}
				if got != want {
					t.Errorf("%s row %d (%s), column %s: LibreOffice shows %q, the table %q", tab.Name, i+1, row.Cells[0].Text, col.Key, got, want)
				}
				checked++
			}
		}
		if checked == 0 {
			t.Errorf("%s: nothing compared", tab.Name)
		}
	}
}
