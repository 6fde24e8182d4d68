package api

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
)

// The programme's statistics: the list of reports and each report's
// table, as render.JSON writes it (exact figures in cents and basis
// points, how each prints, and the keys that trace it to its records).

// ReportInfo describes one report.
type ReportInfo struct {
	Number  int    `json:"number"`
	Name    string `json:"name"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Parameters are the query parameters the report takes.
	Parameters []string `json:"parameters"`
}

// reportParams are the query parameters of each report option, as
// report.ParseParams reads them.
var reportParams = []struct {
	opt    report.Option
	params []Param
}{
	{report.OptPeriod, []Param{
		{report.KeyFrom, "integer", "first year of the period (default: five years to the last with records)"},
		{report.KeyTo, "integer", "last year of the period"}}},
	{report.OptBase, []Param{
		{report.KeyBaseFrom, "integer", "first year of the period compared with"},
		{report.KeyBaseTo, "integer", "last year of the period compared with"}}},
	{report.OptFilters, []Param{
		{report.KeySource, "string", "sources of funds, comma-separated: xbtc, rbtc, rb, other"},
		{report.KeyRegion, "string", "regions, comma-separated (or interregional)"},
		{report.KeyOffice, "string", "offices by unit code, comma-separated"},
		{report.KeyCategory, "string", "donor categories, comma-separated"}}},
	{report.OptCategories, []Param{{report.KeyCategory, "string", "donor categories, comma-separated"}}},
	{report.OptMonth, []Param{{report.KeyMonth, "string", "delivery at the end of this month, YYYY-MM"}}},
	{report.OptBy, []Param{{report.KeyBy, "string", "group by region, office, unit or source"}}},
	{report.OptThreshold, []Param{{report.KeyThreshold, "string", "list projects whose forecast rate is below this per cent"}}},
	{report.OptLimit, []Param{{report.KeyLimit, "integer", "list at most this many projects (0: all; default 100)"}}},
	{report.OptBiennium, []Param{{report.KeyBiennium, "string", "biennium, such as 2004-05"}}},
	{report.OptMeasure, []Param{{report.KeyMeasure, "string", "expenditure or approvals"}}},
	{report.OptAttribute, []Param{{report.KeyAttribute, "boolean", "put interregional projects under the regions of their countries"}}},
	{report.OptToday, []Param{{report.KeyDate, "string", "the day evaluations are overdue against, YYYY-MM-DD"}}},
}

// paramsOf lists the query parameters of a report, or of every report
// when d is nil.
func paramsOf(d *report.Definition) []Param {
	var out []Param
	for _, rp := range reportParams {
		if d != nil && !d.Uses(rp.opt) {
			continue
		}
		for _, p := range rp.params {
			if !slices.ContainsFunc(out, func(o Param) bool { return o.Name == p.Name }) {
				out = append(out, p)
			}
		}
	}
	return out
}

func (h *Handler) listReports(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	items := []ReportInfo{}
	for _, d := range report.All() {
		var names []string
		for _, p := range paramsOf(&d) {
			names = append(names, p.Name)
		}
		if names == nil {
			names = []string{}
		}
		items = append(items, ReportInfo{Number: d.Number, Name: d.Name, Title: d.Title, Summary: d.Summary, Parameters: names})
	}
	writeJSON(w, http.StatusOK, items)
	return nil
}

// runReport is GET /reports/{name}.
func (h *Handler) runReport(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	name := r.PathValue("name")
	d, ok := report.Lookup(name)
	if !ok {
		return tcmis.Errorf(tcmis.ENOTFOUND, "there is no report %s: GET %s/reports lists them", strconv.Quote(name), Prefix)
	}
	q := newQuery(r, paramsOf(&d))
	if q.values.Has("offset") {
		q.bad("offset", "a report is one table: it has no pages")
	}
	if err := q.err(); err != nil {
		return err
	}
	p, err := report.ParseParams(r.Context(), h.store, q.values)
	if err != nil {
		return err
	}
	t, err := report.Run(r.Context(), h.store, d.Name, p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render.JSON(&buf, t); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}
