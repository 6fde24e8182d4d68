package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
)

// esc is a text as html/template writes it in a page.
func repEsc(s string) string { return html.EscapeString(s) }

func TestReportList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, role := range []tcmis.Role{tcmis.RoleViewer, tcmis.RoleDonorViewer, tcmis.RoleAdmin} {
		res := a.as(role).get("/reports").must(t, http.StatusOK)
		for _, d := range report.All() {
			res.contains(t, `href="/reports/`+d.Name+`"`, repEsc(d.Title), repEsc(d.Summary))
		}
		res.contains(t, `href="/reports/workbook.xlsx"`)
	}
	if res := a.client().get("/reports"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/signin") {
		t.Errorf("a visitor gets %d %q, want the sign-in page", res.Status, res.Location)
	}
}

// TestReportPages opens every report, as a viewer and as a donor viewer
// (the reports are published statistics), and checks the page shows the
// report's own table: its title and its first row's label.
func TestReportPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	viewer, donor := a.as(tcmis.RoleViewer), a.as(tcmis.RoleDonorViewer)
	for _, d := range report.All() {
		t.Run(d.Name, func(t *testing.T) {
			tab, err := report.Run(context.Background(), a.DB, d.Name, report.Params{})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []*client{viewer, donor} {
				res := c.get("/reports/"+d.Name).must(t, http.StatusOK)
				res.contains(t, "<h1>"+repEsc(d.Title)+"</h1>", "<caption>"+repEsc(tab.Title)+"</caption>", `href="/reports/`+d.Name+`?format=csv"`)
				if len(tab.Rows) > 0 && tab.Rows[0].Cells[0].Text != "" {
					res.contains(t, repEsc(tab.Rows[0].Cells[0].Text))
				}
				if tab.Chart.Kind != report.NoChart && len(tab.Rows) > 0 {
					res.contains(t, "<svg")
				}
				// Only the options the report takes are offered.
				for _, o := range []struct {
					opt   report.Option
					input string
				}{{report.OptPeriod, `name="from"`}, {report.OptMonth, `name="month"`}, {report.OptBy, `name="by"`},
					{report.OptThreshold, `name="threshold"`}, {report.OptBiennium, `name="biennium"`}, {report.OptFilters, `name="source"`},
					{report.OptToday, `name="date"`}, {report.OptMeasure, `name="measure"`}, {report.OptBase, `name="base-from"`}} {
					if got := strings.Contains(res.Body, o.input); got != d.Uses(o.opt) {
						t.Errorf("%s: input %s shown %v, but the report uses %s: %v", d.Name, o.input, got, o.opt, d.Uses(o.opt))
					}
				}
			}
		})
	}
}

// TestReportFilters checks that the form's options reach the report.
func TestReportFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	ctx := context.Background()
	for _, tc := range []struct {
		name, query string
		params      report.Params
	}{
		{"approvals-by-donor", "from=2001&to=2002", report.Params{From: 2001, To: 2002}},
		{"expenditure-by-region", "from=2001&source=xbtc", report.Params{From: 2001, To: 2005, Sources: []tcmis.Source{"xbtc"}}},
		{"delivery", "month=2004-06&by=source", report.Params{Year: 2004, Month: 6, By: "source"}},
		{"real-terms", "measure=approvals", report.Params{Measure: tcmis.MeasureApprovals}},
	} {
		want, err := report.Run(ctx, a.DB, tc.name, tc.params)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := report.Run(ctx, a.DB, tc.name, report.Params{})
		if err != nil {
			t.Fatal(err)
		}
		res := c.get("/reports/"+tc.name+"?"+tc.query).must(t, http.StatusOK)
		var wantCSV, gotCSV, plainCSV bytes.Buffer
		repWriteCSV(t, &wantCSV, want)
		repWriteCSV(t, &plainCSV, plain)
		if wantCSV.String() == plainCSV.String() {
			t.Fatalf("%s?%s: the options change nothing in the demo, the test proves nothing", tc.name, tc.query)
		}
		gotCSV.WriteString(c.get("/reports/"+tc.name+"?"+tc.query+"&format=csv").must(t, http.StatusOK).Body)
		if gotCSV.String() != wantCSV.String() {
			t.Errorf("%s?%s: the CSV download is not the report with these options:\n%s\nwant\n%s", tc.name, tc.query, gotCSV.String(), wantCSV.String())
		}
		res.contains(t, "<caption>"+repEsc(want.Title)+"</caption>")
	}
}

func repWriteCSV(t *testing.T, b *bytes.Buffer, tab *report.Table) {
	t.Helper()
	// render.CSV is what the download must match.
	if err := render.CSV(b, tab); err != nil {
		t.Fatal(err)
	}
}

func TestReportDownloads(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleDonorViewer)
	for _, d := range report.All() {
		tab, err := report.Run(context.Background(), a.DB, d.Name, report.Params{})
		if err != nil {
			t.Fatal(err)
		}
		path := "/reports/" + d.Name + "?format="
		res := c.get(path+"csv").must(t, http.StatusOK)
		repCheckDownload(t, res, "text/csv", d.Name+".csv")
		rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Errorf("%s: the CSV does not parse: %v", d.Name, err)
		} else if !strings.Contains(strings.Join(rows[0], ","), tab.Columns[0].Title) && !strings.Contains(res.Body, tab.Columns[0].Title) {
			t.Errorf("%s: the CSV lacks the first column's title %q", d.Name, tab.Columns[0].Title)
		}

		res = c.get(path+"json").must(t, http.StatusOK)
		repCheckDownload(t, res, "application/json", d.Name+".json")
		var got struct {
			Name    string `json:"name"`
			Title   string `json:"title"`
			Columns []any  `json:"columns"`
		}
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
			t.Errorf("%s: the JSON does not decode: %v", d.Name, err)
		} else if got.Name != d.Name || got.Title != tab.Title || len(got.Columns) != len(tab.Columns) {
			t.Errorf("%s: the JSON is of %q %q with %d columns, want %q %q with %d", d.Name, got.Name, got.Title, len(got.Columns), d.Name, tab.Title, len(tab.Columns))
		}

		res = c.get(path+"xlsx").must(t, http.StatusOK)
		repCheckDownload(t, res, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", d.Name+".xlsx")
		if _, err := zip.NewReader(strings.NewReader(res.Body), int64(len(res.Body))); err != nil || !strings.HasPrefix(res.Body, "PK\x03\x04") {
			t.Errorf("%s: the workbook is not a zip file: %v", d.Name, err)
		}

		res = c.get(path + "svg")
		if tab.Chart.Kind == report.NoChart {
			res.must(t, http.StatusUnprocessableEntity).contains(t, "has no chart")
			continue
		}
		if len(tab.Rows) == 0 {
			continue
		}
		res.must(t, http.StatusOK)
		repCheckDownload(t, res, "image/svg+xml", d.Name+".svg")
		body := strings.TrimSpace(res.Body)
		if strings.HasPrefix(body, "<?xml") {
			_, body, _ = strings.Cut(body, "?>")
			body = strings.TrimSpace(body)
		}
		if !strings.HasPrefix(body, "<svg") || !strings.HasSuffix(body, "</svg>") {
			t.Errorf("%s: the download is not an SVG picture: %.80q", d.Name, body)
		}
	}
}

func repCheckDownload(t *testing.T, res *response, ctype, filename string) {
	t.Helper()
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, ctype) {
		t.Errorf("content type %q, want %q", got, ctype)
	}
	if got := res.Header.Get("Content-Disposition"); got != `attachment; filename="`+filename+`"` {
		t.Errorf("content disposition %q, want the file %s", got, filename)
	}
}

func TestReportInvalidOptions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	for _, tc := range []struct {
		path   string
		status int
		texts  []string
	}{
		{"/reports/approvals-by-donor?from=abc", http.StatusUnprocessableEntity, []string{`id="from-error"`, "is not a year", `aria-invalid="true"`}},
		{"/reports/approvals-by-donor?from=2004&to=2001", http.StatusUnprocessableEntity, []string{`id="to-error"`, "ends (2001) before it starts (2004)"}},
		{"/reports/delivery?month=2005-13", http.StatusUnprocessableEntity, []string{`id="month-error"`, "is not a month"}},
		{"/reports/delivery?by=colour", http.StatusUnprocessableEntity, []string{`id="by-error"`}},
		{"/reports/expenditure-by-region?source=gold", http.StatusUnprocessableEntity, []string{`id="source-error"`}},
		{"/reports/expenditure-by-region?office=NOWHERE", http.StatusUnprocessableEntity, []string{"no office with code"}},
		{"/reports/delivery-projects?threshold=150", http.StatusUnprocessableEntity, []string{`id="threshold-error"`}},
		{"/reports/results?biennium=2005", http.StatusUnprocessableEntity, []string{`id="biennium-error"`}},
		// A period the report itself refuses.
		{"/reports/approvals-by-donor?from=1901&to=2000", http.StatusUnprocessableEntity, []string{"too long"}},
		{"/reports/approvals-by-donor?format=pdf", http.StatusUnprocessableEntity, []string{"not &#34;pdf&#34;"}},
		{"/reports/approvals-by-donor?format=csv&from=abc", http.StatusUnprocessableEntity, []string{"is not a year"}},
		{"/reports/no-such-report", http.StatusNotFound, nil},
		{"/reports/no-such-report/trace?row=1&col=2", http.StatusNotFound, nil},
		{"/reports/approvals-by-donor/trace?row=0&col=2", http.StatusUnprocessableEntity, []string{"Give the cell"}},
		{"/reports/workbook.xlsx?from=abc", http.StatusUnprocessableEntity, []string{"is not a year"}},
	} {
		res := c.get(tc.path).must(t, tc.status)
		res.contains(t, tc.texts...)
		if tc.status == http.StatusUnprocessableEntity && strings.Contains(tc.path, "format=") && !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: an invalid download is %q, want an error page", tc.path, res.Header.Get("Content-Type"))
		}
	}
}

func TestReportWorkbook(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.as(tcmis.RoleDonorViewer).get("/reports/workbook.xlsx?from=2001&to=2004").must(t, http.StatusOK)
	repCheckDownload(t, res, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "tcmis-reports.xlsx")
	z, err := zip.NewReader(strings.NewReader(res.Body), int64(len(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	sheets := 0
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			sheets++
		}
	}
	// A contents sheet, then one per report.
	if want := len(report.All()) + 1; sheets != want {
		t.Errorf("%d sheets, want %d", sheets, want)
	}
}

// TestReportTrace follows a money cell's link to the records behind it.
func TestReportTrace(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	tab, err := report.Run(context.Background(), a.DB, "approvals-by-donor", report.Params{From: 2001, To: 2003})
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/reports/approvals-by-donor?from=2001&to=2003").must(t, http.StatusOK)
	m := regexp.MustCompile(`<a href="(/reports/approvals-by-donor/trace\?[^"]+)" class="trace">`).FindAllStringSubmatch(res.Body, -1)
	if len(m) == 0 {
		t.Fatal("no money cell links to its records")
	}
	link := html.UnescapeString(m[0][1])
	if !strings.Contains(link, "from=2001") {
		t.Errorf("the trace link %s loses the period", link)
	}
	tr := c.get(link).must(t, http.StatusOK)
	// The first link is the first row with a money figure.
	row := -1
	for i, r := range tab.Rows {
		if r.Kind != report.Heading {
			row = i
			break
		}
	}
	col := -1
	for i, cl := range tab.Columns {
		if cl.Kind == report.Money && !tab.Rows[row].Cells[i].Null {
			col = i
			break
		}
	}
	tr.contains(t, "Records behind a figure", repEsc(tab.Rows[row].Cells[0].Text))
	for k, v := range tab.Trace(row, col) {
		tr.contains(t, "<th scope=\"row\">"+repEsc(k)+"</th><td>"+repEsc(v)+"</td>")
	}
}
