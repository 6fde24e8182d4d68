package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/chart"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/xlsx"
)

// reportGroup is the reports of one number of the programme's list of
// statistics.
type reportGroup struct {
	Number  int
	Reports []report.Definition
}

// reportList lists every report, grouped by its number.
func (s *Server) reportList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	var groups []*reportGroup
	for _, d := range report.All() {
		if n := len(groups); n == 0 || groups[n-1].Number != d.Number {
			groups = append(groups, &reportGroup{Number: d.Number})
		}
		g := groups[len(groups)-1]
		g.Reports = append(g.Reports, d)
	}
	s.render(w, r, http.StatusOK, "reports", s.newPage(w, r, u, "Reports", "reports", groups))
	return nil
}

// reportChoice is an option of a select.
type reportChoice struct{ Value, Label string }

// reportPage is one report with its filter form.
type reportPage struct {
	Def report.Definition
	// Report is nil when the options are not valid.
	Report *shownReport
	// Options the report uses, by name (report.Option).
	Uses map[string]bool
	// Choices for the filters.
	Sources, Regions, Categories, Offices, By, Measures []reportChoice
	// Selected lists the values chosen in each multiple filter.
	Selected map[string]map[string]bool
	// Downloads are the formats the report downloads in.
	Downloads []reportChoice
	// query is the request's filters, for links.
	query url.Values
}

// TraceLink is the address of the page naming the records behind a
// cell, or "" for a cell that is not a figure of money.
func (d *reportPage) TraceLink(row, col int) string {
	t := d.Report.Table
	if row < 0 || row >= len(t.Rows) || col <= 0 || col >= len(t.Columns) || col >= len(t.Rows[row].Cells) {
		return ""
	}
	if t.Columns[col].Kind != report.Money || t.Rows[row].Kind == report.Heading || t.Rows[row].Cells[col].Null {
		return ""
	}
	q := reportQuery(d.query)
	q.Set("row", strconv.Itoa(row+1))
	q.Set("col", strconv.Itoa(col+1))
	return "/reports/" + d.Def.Name + "/trace?" + q.Encode()
}

// Download is the address of the report in a format.
func (d *reportPage) Download(format string) string {
	q := reportQuery(d.query)
	q.Set("format", format)
	return "/reports/" + d.Def.Name + "?" + q.Encode()
}

// reportQuery is the report's options out of a query, without what
// chooses the format or the cell.
func reportQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		switch k {
		case "format", "row", "col":
			continue
		}
		for _, x := range v {
			if strings.TrimSpace(x) != "" {
				out.Add(k, x)
			}
		}
	}
	return out
}

// reportFormats are the downloads of a report, by format.
var reportFormats = map[string]struct{ ctype, ext string }{
	"csv":  {"text/csv; charset=utf-8", "csv"},
	"json": {"application/json", "json"},
	"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	"svg":  {"image/svg+xml", "svg"},
}

// reportShow shows a report with its chart and filter form, or sends it
// as a download when the query asks for a format.
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	def, ok := report.Lookup(r.PathValue("name"))
	if !ok {
		return notFound("report " + strconv.Quote(r.PathValue("name")))
	}
	q := r.URL.Query()
	format := q.Get("format")
	if _, ok := reportFormats[format]; !ok && format != "" {
		return tcmis.Errorf(tcmis.EINVALID, "report %s downloads as csv, json, xlsx or svg, not %q", def.Name, format)
	}
	d := s.reportPageData(r, def)
	p := s.newPage(w, r, u, def.Title, "reports", d)
	params, err := report.ParseParams(r.Context(), s.store, q)
	if err == nil {
		d.Report, err = s.runReport(r.Context(), def.Name, params)
	}
	if err != nil {
		if err := formProblems(p, err); err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "reportshow", p)
		return nil
	}
	if format != "" {
		return s.reportDownload(w, d.Report.Table, format)
	}
	d.Downloads = []reportChoice{{"csv", "CSV"}, {"xlsx", "Excel"}, {"json", "JSON"}}
	if d.Report.Chart != "" {
		d.Downloads = append(d.Downloads, reportChoice{"svg", "SVG chart"})
	}
	s.render(w, r, http.StatusOK, "reportshow", p)
	return nil
}

// reportPageData prepares the filter form of a report.
func (s *Server) reportPageData(r *http.Request, def report.Definition) *reportPage {
	q := r.URL.Query()
	d := &reportPage{Def: def, Uses: map[string]bool{}, Selected: map[string]map[string]bool{}, query: q}
	for _, o := range def.Options {
		d.Uses[string(o)] = true
	}
	for _, src := range tcmis.Sources() {
		d.Sources = append(d.Sources, reportChoice{string(src), src.Label()})
	}
	for _, reg := range tcmis.Regions() {
		d.Regions = append(d.Regions, reportChoice{string(reg), reg.Label()})
	}
	d.Regions = append(d.Regions, reportChoice{tcmis.InterregionalRegion, "Interregional"})
	for _, c := range tcmis.DonorCategories() {
		d.Categories = append(d.Categories, reportChoice{string(c), c.Label()})
	}
	d.By = []reportChoice{{"region", "Region"}, {"office", "Office"}, {"unit", "Lead unit"}, {"source", "Source of funds"}}
	d.Measures = []reportChoice{{string(tcmis.MeasureExpenditure), "Expenditure"}, {string(tcmis.MeasureApprovals), "Approvals"}}
	if d.Uses[string(report.OptFilters)] {
		// The offices are a reportChoice only; a store failing here shows in
		// the report itself.
		if units, _, err := s.store.FindUnits(r.Context(), tcmis.UnitFilter{}); err == nil {
			for _, x := range units {
				if x.IsField() {
					d.Offices = append(d.Offices, reportChoice{x.Code, x.Name})
				}
			}
		}
	}
	for _, key := range []string{report.KeySource, report.KeyRegion, report.KeyCategory, report.KeyOffice} {
		d.Selected[key] = map[string]bool{}
		for _, v := range q[key] {
			for _, x := range strings.Split(v, ",") {
				d.Selected[key][strings.TrimSpace(x)] = true
			}
		}
	}
	return d
}

// reportDownload writes a report in a format, as a file to save. It is
// made in memory first, so that a failure is still an error page.
func (s *Server) reportDownload(w http.ResponseWriter, t *report.Table, format string) error {
	var b bytes.Buffer
	var err error
	switch format {
	case "csv":
		err = render.CSV(&b, t)
	case "json":
		err = render.JSON(&b, t)
	case "xlsx":
		err = xlsx.Write(&b, []*report.Table{t}, xlsx.Options{})
	case "svg":
		switch err = chart.SVG(&b, t); {
		case errors.Is(err, chart.ErrNoChart):
			return tcmis.Errorf(tcmis.EINVALID, "report %s has no chart: choose another format", t.Name)
		case errors.Is(err, chart.ErrEmpty):
			return tcmis.Errorf(tcmis.EINVALID, "report %s has no figures to draw for this selection", t.Name)
		}
	}
	if err != nil {
		return err
	}
	f := reportFormats[format]
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, t.Name, f.ext))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b.Bytes())
	return err
}

// reportWorkbook sends every report in one Excel workbook, a sheet each,
// made with the options of the query that the reports use.
func (s *Server) reportWorkbook(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	q := r.URL.Query()
	// As on the command line, the workbook has every report in its
	// usual form: real terms of expenditure, regions as recorded.
	q.Del(report.KeyMeasure)
	q.Del(report.KeyAttribute)
	params, err := report.ParseParams(r.Context(), s.store, q)
	if err != nil {
		return err
	}
	var tables []*report.Table
	for _, d := range report.All() {
		t, err := report.Run(r.Context(), s.store, d.Name, params)
		if err != nil {
			return fmt.Errorf("report %s: %w", d.Name, err)
		}
		tables = append(tables, t)
	}
	var b bytes.Buffer
	if err := xlsx.Write(&b, tables, xlsx.Options{Contents: true, Title: "Technical cooperation programme: statistics"}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", reportFormats["xlsx"].ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="tcmis-reports.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b.Bytes())
	return err
}

// traceKey is one key that selects the records behind a figure, with the
// name of what it refers to when it is a record number.
type traceKey struct {
	Key, Value, Name string
}

type tracePage struct {
	Def            report.Definition
	Table          *report.Table
	Row            report.Row
	Column         report.Column
	Label, Figure  string
	Keys           []traceKey
	Back           string
	RowNum, ColNum int
}

// reportTrace names the records behind one cell of a report: the table's
// filter narrowed by the cell's row and column.
func (s *Server) reportTrace(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	def, ok := report.Lookup(r.PathValue("name"))
	if !ok {
		return notFound("report " + strconv.Quote(r.PathValue("name")))
	}
	q := r.URL.Query()
	params, err := report.ParseParams(r.Context(), s.store, q)
	if err != nil {
		return err
	}
	sr, err := s.runReport(r.Context(), def.Name, params)
	if err != nil {
		return err
	}
	t := sr.Table
	row, rerr := strconv.Atoi(q.Get("row"))
	col, cerr := strconv.Atoi(q.Get("col"))
	if rerr != nil || cerr != nil || row < 1 || row > len(t.Rows) || col < 1 || col > len(t.Columns) {
		return tcmis.Errorf(tcmis.EINVALID, "give the cell as row 1 to %d and column 1 to %d", len(t.Rows), len(t.Columns))
	}
	d := &tracePage{Def: def, Table: t, Row: t.Rows[row-1], Column: t.Columns[col-1], RowNum: row, ColNum: col}
	if len(d.Row.Cells) > 0 {
		d.Label = d.Row.Cells[0].Text
	}
	back := reportQuery(q)
	d.Back = "/reports/" + def.Name
	if len(back) > 0 {
		d.Back += "?" + back.Encode()
	}
	names := map[string]map[int64]string{"donor": {}, "office": {}, "unit": {}}
	keys := t.Trace(row-1, col-1)
	if keys["donor"] != "" {
		if err := s.donorNames(r, names["donor"]); err != nil {
			return err
		}
	}
	if keys["office"] != "" || keys["unit"] != "" {
		if err := s.unitNames(r, names["unit"]); err != nil {
			return err
		}
		names["office"] = names["unit"]
	}
	for k, v := range keys {
		tk := traceKey{Key: k, Value: v}
		if m, ok := names[k]; ok {
			var ns []string
			for _, x := range strings.Split(v, ",") {
				if id, err := strconv.ParseInt(x, 10, 64); err == nil && m[id] != "" {
					ns = append(ns, m[id])
				}
			}
			tk.Name = strings.Join(ns, ", ")
		}
		d.Keys = append(d.Keys, tk)
	}
	slices.SortFunc(d.Keys, func(a, b traceKey) int { return strings.Compare(a.Key, b.Key) })
	p := s.newPage(w, r, u, "Records behind a figure", "reports", d)
	if col-1 < len(d.Row.Cells) {
		d.Figure = p.Cell(d.Column, d.Row.Cells[col-1])
	}
	s.render(w, r, http.StatusOK, "reporttrace", p)
	return nil
}
