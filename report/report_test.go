package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/importer"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the reports on SQLite")

// Today is the day the demo portfolio describes.
var Today = time.Date(2006, 6, 30, 0, 0, 0, 0, time.UTC)

func openDB(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldbtest.DSN(tb, engine))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return Today.Add(12 * time.Hour) }
	return db
}

func seed(tb testing.TB, name string) string {
	tb.Helper()
	path := filepath.Join("..", "..", "shared", "seed", name)
	if _, err := os.Stat(path); err != nil {
		tb.Fatalf("the shared seed data is missing (%v): tests expect ../shared beside the repository", err)
	}
	return path
}

// cell returns the printed figure of the row whose first cell is label, in
// the column with key col.
func cell(t *testing.T, tab *report.Table, label, col string) string {
	t.Helper()
	c := -1
	for i, column := range tab.Columns {
		if column.Key == col {
			c = i
		}
	}
	if c < 0 {
		t.Fatalf("%s has no column %s", tab.Name, col)
	}
	for _, r := range tab.Rows {
		if strings.TrimSpace(r.Cells[0].Text) == label {
			return tab.Columns[c].Format(r.Cells[c])
		}
	}
	t.Fatalf("%s has no row %q", tab.Name, label)
	return ""
}

// TestPublishedApprovals imports the organisation's published approvals of
// 2000-2004 (Annex 2 of the 2006 report) into an empty store and checks
// that the approvals reports print the published figures, in the layout
// of Table V.1 and Annex 2, on both engines.
func TestPublishedApprovals(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := openDB(t, engine)
			ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})
			if _, err := importer.ImportFile(ctx, db, importer.Approvals, seed(t, "approvals-2000-2004.csv"), importer.Options{}); err != nil {
				t.Fatal(err)
			}
			p := report.Params{From: 2000, To: 2004}
			annex, err := report.Run(ctx, db, "approvals-by-donor", p)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ row, col, want string }{
				{"Total donors", "total", "768,850"},
				{"Total donors", "average", "153,770"},
				{"Total donors", "share", "100.0"},
				{"Total donors", "y2000", "134,667"},
				{"Total donors", "y2001", "154,572"},
				{"Total donors", "y2002", "176,414"},
				{"Total donors", "y2003", "150,826"},
				{"Total donors", "y2004", "152,371"},
				{"Subtotal Multi-bilateral donors", "average", "137,576"},
				{"Subtotal Multi-bilateral donors", "share", "89.5"},
				{"Subtotal United Nations", "average", "9,130"},
				{"Subtotal United Nations", "share", "5.9"},
				{"United States", "total", "312,307"},
				{"United States", "average", "62,461"},
				{"United States", "share", "40.6"},
				{"Netherlands", "y2001", "574"},
				{"Netherlands", "share", "10.0"},
			} {
				if got := cell(t, annex, c.row, c.col); got != c.want {
					t.Errorf("approvals by donor, %s, %s: %s, published %s", c.row, c.col, got, c.want)
				}
			}
			// Annex 2: a heading per category, its donors by size, a subtotal.
			if r := annex.Rows[0]; r.Kind != report.Heading || r.Cells[0].Text != "Multi-bilateral donors" || annex.Rows[1].Cells[0].Text != "United States" {
				t.Errorf("annex layout starts %v, %v", annex.Rows[0].Cells[0], annex.Rows[1].Cells[0])
			}

			v1, err := report.Run(ctx, db, "approvals-by-source", p)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, c := range v1.Columns {
				titles = append(titles, c.Heading())
			}
			if got, want := strings.Join(titles, " | "), "Source | Average 1995-99 (US$'000) | Share 1995-99 (%) | Average 2000-04 (US$'000) | Share 2000-04 (%) | % change"; got != want {
				t.Errorf("Table V.1 columns:\n got %s\nwant %s", got, want)
			}
			var labels []string
			for _, r := range v1.Rows {
				labels = append(labels, r.Cells[0].Text)
			}
			if got, want := strings.Join(labels, " | "), "United Nations | Multi-bilateral donors | Other sources* | Total"; got != want {
				t.Errorf("Table V.1 rows: %s, want %s", got, want)
			}
			for _, c := range []struct{ row, col, want string }{
				{"United Nations", "average", "9,130"}, {"United Nations", "share", "5.9"},
				{"Multi-bilateral donors", "average", "137,576"}, {"Multi-bilateral donors", "share", "89.5"},
				{"Other sources*", "average", "7,065"}, {"Other sources*", "share", "4.6"},
				{"Total", "average", "153,770"}, {"Total", "share", "100.0"},
				{"Total", "change", ""}, // nothing recorded for 1995-99
			} {
				if got := cell(t, v1, c.row, c.col); got != c.want {
					t.Errorf("Table V.1, %s, %s: %s, published %s", c.row, c.col, got, c.want)
				}
			}

			// Annex 1 A's total of 2002-04, in US$ million.
			local, err := report.Run(ctx, db, "local-mobilisation", report.Params{From: 2002, To: 2004})
			if err != nil {
				t.Fatal(err)
			}
			if got := cell(t, local, "Total", "total"); got != "479.6" {
				t.Errorf("approvals 2002-04: %s million, published 479.6", got)
			}
			if got := cell(t, local, "European Union", "total"); got != "7.8" {
				t.Errorf("European Union 2002-04: %s million, published 7.8", got)
			}
		})
	}
}

// costIndex is a plausible cost index of the regular budget for the
// demo: increases of about 4 per cent a year, chosen so that the demo's
// extra-budgetary expenditure grows by 51.7 per cent in real terms from
// 2000 to 2004, as ¶153 of the 2006 report says the organisation's did.
var costIndex = []tcmis.CostIndex{{Year: 2000, Value: 1_000_000}, {Year: 2001, Value: 1_041_000}, {Year: 2002, Value: 1_084_000},
	{Year: 2003, Value: 1_131_000}, {Year: 2004, Value: 1_180_300}, {Year: 2005, Value: 1_229_000}}

// demoStore loads the demo portfolio, with the cost index, into a new
// database on the engine.
func demoStore(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	db := openDB(tb, engine)
	ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "demo"})
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		tb.Fatal(err)
	}
	for _, c := range costIndex {
		c := c
		if err := db.SetCostIndex(ctx, &c); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// goldenParams are the parameters of the golden reports: the period of
// the published tables, delivery at the end of June 2005, the biennium
// 2004-05, evaluations as at the demo's today.
func goldenParams() report.Params {
	return report.Params{From: 2000, To: 2004, Year: 2005, Month: 6, Biennium: "2004-05", Today: Today}
}

func renderAll(t *testing.T, tab *report.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := render.Text(&b, tab); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\n-- csv\n")
	if err := render.CSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDemo runs every report on the demo portfolio, on SQLite and on
// PostgreSQL, and compares each with its golden file (the same tables on
// both engines; go test ./report -run TestDemo -update rewrites them);
// then checks the figures the demo reproduces and the tracing of a cell.
func TestDemo(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := demoStore(t, engine)
			t.Run("published", func(t *testing.T) { demoReproducesPublished(t, db) })
			t.Run("trace", func(t *testing.T) { trace(t, db) })
			for _, d := range report.All() {
				t.Run(d.Name, func(t *testing.T) {
					tab, err := report.Run(context.Background(), db, d.Name, goldenParams())
					if err != nil {
						t.Fatal(err)
					}
					got := renderAll(t, tab)
					path := filepath.Join("testdata", d.Name+".golden")
					if *update && engine == "sqlite" {
						if err := os.WriteFile(path, got, 0o644); err != nil {
							t.Fatal(err)
						}
						return
					}
					want, err := os.ReadFile(path)
					if err != nil {
						t.Fatalf("%v (go test ./report -run TestDemo -update writes it)", err)
					}
					if !bytes.Equal(got, want) {
						t.Errorf("%s on %s differs from %s:\n%s", d.Name, engine, path, diff(string(want), string(got)))
					}
				})
			}
		})
	}
}

// diff shows the first lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 12; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "line "+strconv.Itoa(i+1)+":\n  want "+a+"\n  got  "+b)
		}
	}
	return strings.Join(out, "\n")
}

// demoReproducesPublished checks the figures the demo portfolio was
// built to reproduce: the Turin Centre's employer and worker participants
// of Table IV.1, the growth in real terms of ¶153 with the demo's cost
// index, and tables whose figures add up.
func demoReproducesPublished(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	tab, err := report.Run(ctx, db, "training", report.Params{From: 2000, To: 2004})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(seed(t, "table_iv1_turin_employer_worker_participants.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]string{
		"Employer participants/Employer-specific activities":                                                 "employers_specific",
		"Employer participants/Bi-tripartite activities/other activities":                                    "employers_other",
		"Employer participants/Subtotal":                                                                     "employers",
		"Employer participants/As percentage of total number of Centre participants":                         "employers_share",
		"Worker participants/Worker-specific activities":                                                     "workers_specific",
		"Worker participants/Bi-tripartite activities/other activities":                                      "workers_other",
		"Worker participants/Subtotal":                                                                       "workers",
		"Worker participants/As percentage of total number of Centre participants":                           "workers_share",
		"Total/Total, employer and worker participants":                                                      "employers_workers",
		"Total/Total, Centre participants":                                                                   "total",
		"Total/Total, employer and worker participants as percentage of total number of Centre participants": "employers_workers_share",
	}
	checked := 0
	for _, l := range lines[1:] {
		key := cols[l[0]+"/"+l[1]]
		if key == "" {
			t.Fatalf("unknown line of Table IV.1: %v", l[:2])
		}
		for i, year := range []string{"2000", "2001", "2002", "2003", "2004"} {
			want := l[2+i]
			got := strings.ReplaceAll(cell(t, tab, year, key), ",", "")
			if strings.HasSuffix(key, "share") {
				if !strings.Contains(want, ".") {
					want += ".0"
				}
				// Two shares are printed rounded down: 265/6,705 is 3.95
				// and 943/7,955 is 11.85; half up they are 4.0 and 11.9.
				if year == "2000" && key == "employers_share" {
					want = "4.0"
				}
				if year == "2001" && key == "workers_share" {
					want = "11.9"
				}
			}
			if got != want {
				t.Errorf("Table IV.1 %s %s: %s, published %s", l[1], year, got, want)
			}
			checked++
		}
	}
	if checked != 55 {
		t.Errorf("checked %d figures of Table IV.1", checked)
	}

	real, err := report.Run(ctx, db, "real-terms", report.Params{From: 2000, To: 2004, Sources: []tcmis.Source{tcmis.XBTC}})
	if err != nil {
		t.Fatal(err)
	}
	if got := cell(t, real, "2004", "real_change"); got != "51.7" {
		t.Errorf("XB-TC expenditure 2000-2004 in real terms: %s per cent, ¶153 says 51.7", got)
	}

	// Shares add up to 100 and split amounts to the total, to the cent.
	obj, err := report.Run(ctx, db, "expenditure-by-objective", goldenParams())
	if err != nil {
		t.Fatal(err)
	}
	src, err := report.Run(ctx, db, "expenditure-by-source", goldenParams())
	if err != nil {
		t.Fatal(err)
	}
	for c := 1; c < len(obj.Columns)-1; c++ {
		var sum int64
		for _, r := range obj.Rows[:len(obj.Rows)-1] {
			sum += r.Cells[c].N
		}
		if total := obj.Rows[len(obj.Rows)-1].Cells[c].N; sum != total || total != src.Rows[len(src.Rows)-1].Cells[c].N {
			t.Errorf("column %s: objectives add up to %d cents, total %d, by source %d", obj.Columns[c].Key, sum, total, src.Rows[len(src.Rows)-1].Cells[c].N)
		}
	}
}

// trace checks that the keys of a cell select the records that make its
// figure: the sum of the donor's approvals of the year.
func trace(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	tab, err := report.Run(ctx, db, "approvals-by-donor", goldenParams())
	if err != nil {
		t.Fatal(err)
	}
	row, col := 1, 2 // the largest multi-bilateral donor, 2001
	keys := tab.Trace(row, col)
	if keys["category"] != "multi-bilateral" || keys["year"] != "2001" || keys["donor"] == "" || keys["from"] != "2000" {
		t.Fatalf("trace keys %v", keys)
	}
	donor, _ := strconv.ParseInt(keys["donor"], 10, 64)
	year, _ := strconv.Atoi(keys["year"])
	as, _, err := db.FindApprovals(ctx, tcmis.MoneyFilter{DonorID: &donor, Year: &year})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, a := range as {
		sum += a.Amount.USD
	}
	if got := tab.Rows[row].Cells[col].N; got != sum || sum == 0 {
		t.Errorf("cell %d cents, its records %d", got, sum)
	}
	var js bytes.Buffer
	if err := render.JSON(&js, tab); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Records string `json:"records"`
		Columns []struct {
			Key       string            `json:"key"`
			Keys      map[string]string `json:"keys"`
			ValueUnit string            `json:"value_unit"`
		} `json:"columns"`
		Rows []struct {
			Keys  map[string]string `json:"keys"`
			Cells []*struct {
				Value   *int64 `json:"value"`
				Den     int64  `json:"den"`
				Printed string `json:"printed"`
			} `json:"cells"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil {
		t.Fatal(err)
	}
	c := decoded.Rows[row].Cells[col]
	if decoded.Records != "approvals" || decoded.Rows[row].Keys["donor"] != keys["donor"] || decoded.Columns[col].Keys["year"] != "2001" ||
		decoded.Columns[col].ValueUnit != "US cents" || c == nil || *c.Value != sum {
		t.Errorf("JSON of the cell: %+v, %+v", decoded.Rows[row].Keys, c)
	}
	avg := decoded.Rows[row].Cells[len(decoded.Columns)-2]
	if avg.Den != 5 || avg.Printed == "" {
		t.Errorf("the average keeps its exact quotient: %+v", avg)
	}
}

// BenchmarkReports times each report on the demo portfolio (SQLite).
func BenchmarkReports(b *testing.B) {
	db := demoStore(b, "sqlite")
	ctx := context.Background()
	for _, d := range report.All() {
		b.Run(d.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := report.Run(ctx, db, d.Name, goldenParams()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
