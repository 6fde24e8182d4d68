package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/xlsx"
)

const pageSize = 50

// projectListData is the project list with its filters and the names of
// what the filters and rows refer to.
type projectListData struct {
	Projects []*tcmis.Project
	Total    int
	Page     int
	Pages    int
	Sort     string
	// Filters are the <option>s of each filter, by query key.
	Filters    map[string]template.HTML
	DonorNames map[int64]string
	UnitNames  map[int64]string
	// DonorLocked is true for a donor viewer, who sees only its donor's
	// projects.
	DonorLocked bool
}

// projectFilter reads the list's filters from the query; a value that
// cannot be read is an EINVALID error naming the filter.
func projectFilter(r *http.Request, u *tcmis.User) (tcmis.ProjectFilter, error) {
	q := r.URL.Query()
	var f tcmis.ProjectFilter
	var ps []tcmis.Problem
	bad := func(field, msg string) { ps = append(ps, tcmis.Problem{Field: field, Message: msg}) }
	if v := q.Get("status"); v != "" {
		if s, err := tcmis.ParseStatus(v); err != nil {
			bad("status", err.Error())
		} else {
			f.Status = &s
		}
	}
	if v := q.Get("source"); v != "" {
		if s, err := tcmis.ParseSource(v); err != nil {
			bad("source", err.Error())
		} else {
			f.Source = &s
		}
	}
	if v := q.Get("category"); v != "" {
		if c, err := tcmis.ParseDonorCategory(v); err != nil {
			bad("category", err.Error())
		} else {
			f.Category = &c
		}
	}
	if v := q.Get("objective"); v != "" {
		if o, err := tcmis.ParseObjective(v); err != nil {
			bad("objective", err.Error())
		} else {
			f.Objective = &o
		}
	}
	if v := q.Get("region"); v != "" {
		if g, err := tcmis.ParseRegion(v); err != nil {
			bad("region", err.Error())
		} else {
			f.Region = &g
		}
	}
	if v := strings.ToUpper(strings.TrimSpace(q.Get("country"))); v != "" {
		f.Country = &v
	}
	for _, x := range []struct {
		key string
		dst **int64
	}{{"donor", &f.DonorID}, {"unit", &f.UnitID}} {
		if v := q.Get(x.key); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				bad(x.key, fmt.Sprintf("%q is not a record number", v))
				continue
			}
			*x.dst = &id
		}
	}
	f.Search = strings.TrimSpace(q.Get("q"))
	switch s := q.Get("sort"); strings.TrimPrefix(s, "-") {
	case "", "code", "title", "start", "end":
		f.Sort = s
	default:
		bad("sort", fmt.Sprintf("the list sorts by code, title, start or end, not %q", s))
	}
	if u.Role == tcmis.RoleDonorViewer {
		f.DonorID = &u.DonorID
	}
	if len(ps) > 0 {
		return f, &tcmis.Error{Code: tcmis.EINVALID, Message: "the project list's filters", Problems: ps}
	}
	return f, nil
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	f, err := projectFilter(r, u)
	if err != nil {
		return err
	}
	switch format := r.URL.Query().Get("format"); format {
	case "csv", "xlsx":
		return s.projectDownload(w, r, f, format)
	case "":
	default:
		return tcmis.Errorf(tcmis.EINVALID, "the project list downloads as csv or xlsx, not %q", format)
	}
	d := &projectListData{
		Sort: f.Sort, Page: max(1, atoi(r.URL.Query().Get("page"))),
		DonorNames: map[int64]string{}, UnitNames: map[int64]string{}, DonorLocked: u.Role == tcmis.RoleDonorViewer,
	}
	f.Offset, f.Limit = (d.Page-1)*pageSize, pageSize
	if d.Projects, d.Total, err = s.store.FindProjects(r.Context(), f); err != nil {
		return err
	}
	d.Pages = max(1, (d.Total+pageSize-1)/pageSize)
	donors, _, err := s.store.FindOrganisations(r.Context(), tcmis.OrganisationFilter{})
	if err != nil {
		return err
	}
	units, _, err := s.store.FindUnits(r.Context(), tcmis.UnitFilter{})
	if err != nil {
		return err
	}
	p := s.newPage(w, r, u, "Projects", "projects", d)
	var donorOpts, unitOpts, countryOpts []option
	for _, o := range donors {
		d.DonorNames[o.ID] = o.Name
		donorOpts = append(donorOpts, option{strconv.FormatInt(o.ID, 10), o.Name})
	}
	for _, x := range units {
		d.UnitNames[x.ID] = x.Name
		unitOpts = append(unitOpts, option{strconv.FormatInt(x.ID, 10), x.Name})
	}
	for _, c := range tcmis.CountryCodes() {
		countryOpts = append(countryOpts, option{c, tcmis.CountryName(c)})
	}
	q := r.URL.Query()
	d.Filters = map[string]template.HTML{
		"status":    options(kindOptions(p, tcmis.Statuses()), q.Get("status")),
		"source":    options(kindOptions(p, tcmis.Sources()), q.Get("source")),
		"category":  options(kindOptions(p, tcmis.DonorCategories()), q.Get("category")),
		"objective": options(kindOptions(p, tcmis.Objectives()), q.Get("objective")),
		"region":    options(kindOptions(p, tcmis.Regions()), q.Get("region")),
		"country":   options(countryOpts, q.Get("country")),
		"unit":      options(unitOpts, q.Get("unit")),
	}
	if !d.DonorLocked {
		d.Filters["donor"] = options(donorOpts, q.Get("donor"))
	}
	s.render(w, r, http.StatusOK, "projects", p)
	return nil
}

// projectDownload writes every project the filters select (not only the
// page shown) as CSV or as an Excel workbook.
func (s *Server) projectDownload(w http.ResponseWriter, r *http.Request, f tcmis.ProjectFilter, format string) error {
	f.Offset, f.Limit = 0, 0
	projects, _, err := s.store.FindProjects(r.Context(), f)
	if err != nil {
		return err
	}
	donors, units := map[int64]string{}, map[int64]string{}
	if err := s.donorNames(r, donors); err != nil {
		return err
	}
	if err := s.unitNames(r, units); err != nil {
		return err
	}
	t := &report.Table{Name: "projects", Title: "Projects", Records: "projects", Source: "tcmis project list",
		Columns: []report.Column{
			{Key: "code", Title: "Code", Kind: report.Text}, {Key: "title", Title: "Title", Kind: report.Text},
			{Key: "status", Title: "Status", Kind: report.Text}, {Key: "source", Title: "Source of funds", Kind: report.Text},
			{Key: "donor", Title: "Lead donor", Kind: report.Text}, {Key: "unit", Title: "Lead unit", Kind: report.Text},
			{Key: "office", Title: "Office", Kind: report.Text}, {Key: "scope", Title: "Scope", Kind: report.Text},
			{Key: "countries", Title: "Countries", Kind: report.Text}, {Key: "start", Title: "Start", Kind: report.Text},
			{Key: "end", Title: "End", Kind: report.Text}, {Key: "currency", Title: "Currency", Kind: report.Text},
			{Key: "budget", Title: "Budget", Kind: report.Decimal, Unit: report.Unit{Decimals: 2}},
		}}
	for _, p := range projects {
		donor := ""
		if len(p.DonorIDs) > 0 {
			donor = donors[p.DonorIDs[0]]
		}
		var countries []string
		for _, c := range p.Countries {
			countries = append(countries, c.Country)
		}
		// A budget in minor units, as a six-decimal quantity: exact for
		// currencies of up to six decimals.
		budget := p.TotalBudget()
		scale := int64(1)
		for range 6 - tcmis.MinorDigits(budget.Currency) {
			scale *= 10
		}
		t.Rows = append(t.Rows, report.Row{Kind: report.Detail, Cells: []report.Value{
			report.TextValue(p.Code), report.TextValue(p.Title), report.TextValue(p.Status.Label()), report.TextValue(p.Source.Label()),
			report.TextValue(donor), report.TextValue(units[p.LeadUnitID]), report.TextValue(units[p.OfficeID]), report.TextValue(p.Scope.Label()),
			report.TextValue(strings.Join(countries, " ")), report.TextValue(p.Start.Format(tcmis.DateLayout)), report.TextValue(p.End.Format(tcmis.DateLayout)),
			report.TextValue(p.Currency), report.Num(budget.Amount * scale),
		}})
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="projects.csv"`)
		return render.CSV(w, t)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="projects.xlsx"`)
	return xlsx.Write(w, []*report.Table{t}, xlsx.Options{})
}

// labelled is a kind of the domain: a code with an English label.
type labelled interface {
	~string
	Label() string
}

// kindOptions lists the choices of a kind with their labels translated.
func kindOptions[K labelled](p *page, kinds []K) []option {
	out := make([]option, len(kinds))
	for i, k := range kinds {
		out[i] = option{string(k), p.T(k.Label())}
	}
	return out
}
