package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// projectFormData is the form that creates or edits a project. The
// inputs are shown from Form, the values sent or those of the stored
// project; the repeated rows (countries, regions, objectives, sectors)
// have a few blank rows to fill without JavaScript.
type projectFormData struct {
	New  bool
	P    *tcmis.Project // the stored project, when editing
	Form url.Values

	Donors      []*tcmis.Organisation
	Units       []*tcmis.Unit
	Agreements  []*tcmis.Agreement
	Sources     []tcmis.Source
	Scopes      []tcmis.Scope
	Objectives  []tcmis.Objective
	Assistances []tcmis.Assistance
	Currencies  []string
	Countries   []string
	Regions     []string
	Sectors     []string
	Genders     []tcmis.GenderMarker
	Stages      []projectChoice
	Parties     []projectChoice

	CountryRows, RegionRows, ObjectiveRows, SectorRows []int
}

// Get is the value of an input.
func (d *projectFormData) Get(name string) string { return d.Form.Get(name) }

// Has reports whether a multiple-projectChoice input holds a value.
func (d *projectFormData) Has(name, value string) bool { return slices.Contains(d.Form[name], value) }

// Name is an input's name for row i of a list, such as "country_2".
func (d *projectFormData) Name(prefix string, i int) string { return prefix + "_" + strconv.Itoa(i) }

// RegionName and SectorName are the English names of IATI codes.
func (d *projectFormData) RegionName(code string) string {
	return tcmis.LookupCodelist(tcmis.ListRegion).NameOf(code)
}
func (d *projectFormData) SectorName(code string) string {
	return tcmis.LookupCodelist(tcmis.ListSector).NameOf(code)
}

// projectChoice is an option of a form: its value and its English label.
type projectChoice struct{ Code, Label string }

// tripartiteStages are the stages of the form's tripartite checkboxes
// ("tri_design", ...), in the order of tcmis.Tripartite's fields.
var tripartiteStages = []string{"design", "implementation", "monitoring", "evaluation"}

func (s *Server) newProjectForm(r *http.Request, p *tcmis.Project, form url.Values) (*projectFormData, error) {
	ctx := r.Context()
	d := &projectFormData{
		New: p == nil || p.ID == 0, P: p, Form: form,
		Sources: tcmis.Sources(), Scopes: tcmis.Scopes(), Objectives: tcmis.Objectives(),
		Assistances: tcmis.AssistanceTypes(), Currencies: tcmis.LookupCodelist(tcmis.ListCurrency).Codes(),
		Countries: tcmis.CountryCodes(), Regions: tcmis.LookupCodelist(tcmis.ListRegion).Codes(),
		Sectors: tcmis.LookupCodelist(tcmis.ListSector).Codes(),
		Genders: []tcmis.GenderMarker{tcmis.NotScreened, tcmis.NotTargeted, tcmis.Significant, tcmis.Principal},
		Stages:  []projectChoice{{"design", "Design"}, {"implementation", "Implementation"}, {"monitoring", "Monitoring"}, {"evaluation", "Evaluation"}},
		Parties: []projectChoice{{"government", "Government"}, {"employers", "Employers"}, {"workers", "Workers"}},
	}
	var err error
	if d.Donors, _, err = s.store.FindOrganisations(ctx, tcmis.OrganisationFilter{}); err != nil {
		return nil, err
	}
	if d.Units, _, err = s.store.FindUnits(ctx, tcmis.UnitFilter{}); err != nil {
		return nil, err
	}
	if d.Agreements, _, err = s.store.FindAgreements(ctx, tcmis.AgreementFilter{}); err != nil {
		return nil, err
	}
	d.CountryRows = formRows(form, "country", 5)
	d.RegionRows = formRows(form, "region", 2)
	d.ObjectiveRows = formRows(form, "objective", 4)
	d.SectorRows = formRows(form, "sector", 3)
	return d, nil
}

// formRows lists the row numbers of a repeated input: those filled, and
// blank ones up to at least min, with two blank rows past the last filled.
func formRows(form url.Values, prefix string, min int) []int {
	last := -1
	for k, v := range form {
		rest, ok := strings.CutPrefix(k, prefix+"_")
		if !ok {
			continue
		}
		rest = strings.TrimPrefix(rest, "pct_")
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 || i > 200 || strings.TrimSpace(strings.Join(v, "")) == "" {
			continue
		}
		last = max(last, i)
	}
	n := max(min, last+3)
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// projectValues writes a project into the form's inputs.
func projectValues(p *tcmis.Project) url.Values {
	f := url.Values{}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("code", p.Code)
	set("title", p.Title)
	set("description", p.Description)
	set("source", string(p.Source))
	if len(p.DonorIDs) > 0 {
		set("lead_donor", strconv.FormatInt(p.DonorIDs[0], 10))
		for _, id := range p.DonorIDs[1:] {
			f.Add("donor_ids", strconv.FormatInt(id, 10))
		}
	}
	if p.AgreementID != 0 {
		set("agreement_id", strconv.FormatInt(p.AgreementID, 10))
	}
	if p.LeadUnitID != 0 {
		set("lead_unit_id", strconv.FormatInt(p.LeadUnitID, 10))
	}
	if p.OfficeID != 0 {
		set("office_id", strconv.FormatInt(p.OfficeID, 10))
	}
	set("scope", string(p.Scope))
	for i, c := range p.Countries {
		set(fmt.Sprintf("country_%d", i), c.Country)
		set(fmt.Sprintf("country_pct_%d", i), c.Percent.String())
	}
	for i, c := range p.Regions {
		set(fmt.Sprintf("region_%d", i), c.Code)
		set(fmt.Sprintf("region_pct_%d", i), c.Percent.String())
	}
	for i, o := range p.Objectives {
		set(fmt.Sprintf("objective_%d", i), string(o.Objective))
		set(fmt.Sprintf("outcome_%d", i), o.Outcome)
		set(fmt.Sprintf("objective_pct_%d", i), o.Percent.String())
	}
	for i, c := range p.Sectors {
		set(fmt.Sprintf("sector_%d", i), c.Code)
		set(fmt.Sprintf("sector_pct_%d", i), c.Percent.String())
	}
	set("country_outcomes", strings.Join(p.CountryOutcomes, " "))
	if !p.Start.IsZero() {
		set("start", p.Start.Format(tcmis.DateLayout))
	}
	if !p.End.IsZero() {
		set("end", p.End.Format(tcmis.DateLayout))
	}
	set("currency", p.Currency)
	for _, b := range p.Budget {
		set("budget_"+string(b.Type), tcmis.FormatAmount(b.Amount, p.Currency))
	}
	f.Set("gender_marker", strconv.Itoa(int(p.Gender)))
	for i, c := range []tcmis.Constituents{p.Tripartite.Design, p.Tripartite.Implementation, p.Tripartite.Monitoring, p.Tripartite.Evaluation} {
		if c != 0 {
			f["tri_"+tripartiteStages[i]] = strings.Split(c.String(), "+")
		}
	}
	if p.Crisis {
		f.Set("crisis", "on")
	}
	conv := make([]string, len(p.Conventions))
	for i, c := range p.Conventions {
		conv[i] = strconv.Itoa(c)
	}
	set("conventions", strings.Join(conv, " "))
	set("iati_identifier", p.IATIID)
	if p.Version != 0 {
		f.Set("version", strconv.Itoa(p.Version))
	}
	return f
}

// rowMap remembers which form row each element of the project's lists
// came from, so that the store's problems ("countries[1]") are shown at
// the row the user filled ("countries[3]" when rows 0 to 2 were left
// blank).
type rowMap map[string][]int

// readProject reads the form into p (whose ID, status and version the
// form does not set) and returns the problems of input that could not be
// read, by input.
func readProject(f url.Values, p *tcmis.Project) (rowMap, formErrors) {
	var fe formErrors
	rows := rowMap{}
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	id := func(field string) int64 {
		v := get(field)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			fe.add(field, "%q is not a record number", v)
			return 0
		}
		return n
	}
	p.Code, p.Title, p.Description = get("code"), get("title"), get("description")
	p.Source = ""
	if v := get("source"); v != "" {
		if s, err := tcmis.ParseSource(v); err != nil {
			fe.add("source", "%v", err)
		} else {
			p.Source = s
		}
	}
	p.DonorIDs = nil
	if lead := id("lead_donor"); lead != 0 {
		p.DonorIDs = append(p.DonorIDs, lead)
	}
	for _, v := range f["donor_ids"] {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 1 {
			fe.add("donor_ids", "%q is not a record number", v)
			continue
		}
		if !slices.Contains(p.DonorIDs, n) {
			p.DonorIDs = append(p.DonorIDs, n)
		}
	}
	p.AgreementID = id("agreement_id")
	p.LeadUnitID = id("lead_unit_id")
	p.OfficeID = id("office_id")
	p.Scope = ""
	if v := get("scope"); v != "" {
		if s, err := tcmis.ParseScope(v); err != nil {
			fe.add("scope", "%v", err)
		} else {
			p.Scope = s
		}
	}
	// share reads the percentage of row i of a list.
	share := func(list, input string, i int) tcmis.Percent {
		v := get(fmt.Sprintf("%s_pct_%d", input, i))
		if v == "" {
			fe.add(fmt.Sprintf("%s[%d]", list, i), "give the share in per cent")
			return 0
		}
		pc, err := tcmis.ParsePercent(v)
		if err != nil {
			fe.add(fmt.Sprintf("%s[%d]", list, i), "%v", err)
		}
		return pc
	}
	p.Countries, p.Regions, p.Objectives, p.Sectors = nil, nil, nil, nil
	for i := range 200 {
		code := strings.ToUpper(get(fmt.Sprintf("country_%d", i)))
		if code == "" {
			if get(fmt.Sprintf("country_pct_%d", i)) != "" {
				fe.add(fmt.Sprintf("countries[%d]", i), "choose the country of this share")
			}
			continue
		}
		p.Countries = append(p.Countries, tcmis.CountryShare{Country: code, Percent: share("countries", "country", i)})
		rows["countries"] = append(rows["countries"], i)
	}
	for i := range 200 {
		code := get(fmt.Sprintf("region_%d", i))
		if code == "" {
			if get(fmt.Sprintf("region_pct_%d", i)) != "" {
				fe.add(fmt.Sprintf("regions[%d]", i), "choose the region of this share")
			}
			continue
		}
		p.Regions = append(p.Regions, tcmis.RegionShare{Code: code, Percent: share("regions", "region", i)})
		rows["regions"] = append(rows["regions"], i)
	}
	for i := range 200 {
		v := get(fmt.Sprintf("objective_%d", i))
		if v == "" {
			if get(fmt.Sprintf("objective_pct_%d", i)) != "" || get(fmt.Sprintf("outcome_%d", i)) != "" {
				fe.add(fmt.Sprintf("objectives[%d]", i), "choose the strategic objective of this share")
			}
			continue
		}
		o, err := tcmis.ParseObjective(v)
		if err != nil {
			fe.add(fmt.Sprintf("objectives[%d]", i), "%v", err)
		}
		p.Objectives = append(p.Objectives, tcmis.ObjectiveShare{Objective: o, Outcome: get(fmt.Sprintf("outcome_%d", i)), Percent: share("objectives", "objective", i)})
		rows["objectives"] = append(rows["objectives"], i)
	}
	for i := range 200 {
		code := get(fmt.Sprintf("sector_%d", i))
		if code == "" {
			if get(fmt.Sprintf("sector_pct_%d", i)) != "" {
				fe.add(fmt.Sprintf("sectors[%d]", i), "choose the sector of this share")
			}
			continue
		}
		p.Sectors = append(p.Sectors, tcmis.SectorShare{Code: code, Percent: share("sectors", "sector", i)})
		rows["sectors"] = append(rows["sectors"], i)
	}
	p.CountryOutcomes = splitList(get("country_outcomes"))
	p.Start, p.End = readDate(&fe, "start", get("start")), readDate(&fe, "end", get("end"))
	p.Currency = strings.ToUpper(get("currency"))
	p.Budget = nil
	for _, a := range tcmis.AssistanceTypes() {
		field := "budget_" + string(a)
		v := get(field)
		if v == "" {
			continue
		}
		amount, err := tcmis.ParseAmount(v, p.Currency)
		if err != nil {
			fe.add(field, "%v", err)
		}
		p.Budget = append(p.Budget, tcmis.BudgetLine{Type: a, Amount: amount})
	}
	p.Gender = tcmis.NotScreened
	if v := get("gender_marker"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !tcmis.GenderMarker(n).Valid() {
			fe.add("gender_marker", "choose a gender marker")
		} else {
			p.Gender = tcmis.GenderMarker(n)
		}
	}
	stages := []*tcmis.Constituents{&p.Tripartite.Design, &p.Tripartite.Implementation, &p.Tripartite.Monitoring, &p.Tripartite.Evaluation}
	for i, st := range tripartiteStages {
		c, err := tcmis.ParseConstituents(strings.Join(f["tri_"+st], "+"))
		if err != nil {
			fe.add("tri_"+st, "%v", err)
		}
		*stages[i] = c
	}
	p.Crisis = get("crisis") != ""
	p.Conventions = nil
	for _, c := range splitList(get("conventions")) {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(c), "C"))
		if err != nil {
			fe.add("conventions", "%q is not a Convention number such as 138", c)
			continue
		}
		p.Conventions = append(p.Conventions, n)
	}
	p.IATIID = get("iati_identifier")
	return rows, fe
}

// splitList splits a list written with spaces, commas or semicolons.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
}

func readDate(fe *formErrors, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := tcmis.ParseDate(v)
	if err != nil {
		fe.add(field, "%v", err)
	}
	return t
}

// formFields renames the problems of the store's validation to the form's
// inputs: list elements to the row they came from, budget lines to their
// type's input, donor and other lists to their input.
func formFields(err error, p *tcmis.Project, rows rowMap) error {
	var e *tcmis.Error
	if !errors.As(err, &e) || len(e.Problems) == 0 {
		return err
	}
	c := *e
	c.Problems = make([]tcmis.Problem, len(e.Problems))
	for i, pr := range e.Problems {
		f := pr.Field
		if list, rest, ok := strings.Cut(f, "["); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(rest, "]"))
			switch list {
			case "countries", "regions", "objectives", "sectors":
				if n >= 0 && n < len(rows[list]) {
					f = fmt.Sprintf("%s[%d]", list, rows[list][n])
				}
			case "budget":
				if n >= 0 && n < len(p.Budget) {
					f = "budget_" + string(p.Budget[n].Type)
				}
			case "donor_ids":
				f = "donor_ids"
			case "conventions", "country_outcomes":
				f = list
			}
		}
		c.Problems[i] = tcmis.Problem{Field: f, Message: pr.Message}
	}
	return &c
}

func (s *Server) projectNewForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	form := url.Values{"currency": {tcmis.USD}, "scope": {string(tcmis.National)}, "source": {string(tcmis.XBTC)}}
	if len(u.UnitIDs) > 0 && u.Role == tcmis.RoleProgrammeOfficer {
		form.Set("lead_unit_id", strconv.FormatInt(u.UnitIDs[0], 10))
	}
	d, err := s.newProjectForm(r, nil, form)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "project_form", s.newPage(w, r, u, "New project", "projects", d))
	return nil
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	// A new project enters the cycle as a proposal; the cycle moves it on.
	p := &tcmis.Project{Status: tcmis.Proposal}
	rows, fe := readProject(r.PostForm, p)
	if p.LeadUnitID != 0 && !u.Manages(p.LeadUnitID) && !u.Manages(p.OfficeID) {
		return u.Forbid("create a project for a unit or office outside their scope")
	}
	var err error
	if len(fe) > 0 {
		err = fe.err("project " + p.Code)
	} else if err = s.store.CreateProject(r.Context(), p); err == nil {
		pg := &page{Lang: language(r)}
		s.flash(w, pg.T("Project %s created.", p.Code))
		http.Redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return nil
	} else {
		err = formFields(err, p, rows)
	}
	return s.projectFormFailed(w, r, u, nil, "New project", err)
}

// projectFormFailed shows the form again with the problems of what was
// sent: 422 for invalid input, 409 for a stale edit.
func (s *Server) projectFormFailed(w http.ResponseWriter, r *http.Request, u *tcmis.User, stored *tcmis.Project, title string, err error) error {
	status := http.StatusUnprocessableEntity
	if tcmis.ErrorCode(err) == tcmis.ECONFLICT {
		status = http.StatusConflict
	}
	d, lerr := s.newProjectForm(r, stored, r.PostForm)
	if lerr != nil {
		return lerr
	}
	pg := s.newPage(w, r, u, title, "projects", d)
	if err := formProblems(pg, err); err != nil {
		return err
	}
	if status == http.StatusConflict {
		pg.Error = pg.T("This project was changed by someone else since you opened it. Open it again to see their change, then make yours.")
	}
	s.render(w, r, status, "project_form", pg)
	return nil
}

// editableProject loads a project the user may see and edit.
func (s *Server) editableProject(r *http.Request, u *tcmis.User) (*tcmis.Project, error) {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return nil, err
	}
	if !u.CanEditProject(p) {
		return nil, u.Forbid("edit project " + p.Code)
	}
	return p, nil
}

func (s *Server) projectEditForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.editableProject(r, u)
	if err != nil {
		return err
	}
	d, err := s.newProjectForm(r, p, projectValues(p))
	if err != nil {
		return err
	}
	pg := s.newPage(w, r, u, "Edit project", "projects", d)
	s.render(w, r, http.StatusOK, "project_form", pg)
	return nil
}

func (s *Server) projectUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	stored, err := s.editableProject(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	p := *stored
	version, verr := strconv.Atoi(r.PostForm.Get("version"))
	if verr != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form has no version of the project: open the project again")
	}
	p.Version = version
	rows, fe := readProject(r.PostForm, &p)
	if p.LeadUnitID != 0 && !u.CanEditProject(&p) {
		return u.Forbid("move project " + p.Code + " to a unit or office outside their scope")
	}
	if len(fe) > 0 {
		err = fe.err("project " + p.Code)
	} else if err = s.store.UpdateProject(r.Context(), &p); err == nil {
		pg := &page{Lang: language(r)}
		s.flash(w, pg.T("Project %s saved.", p.Code))
		http.Redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return nil
	} else {
		err = formFields(err, &p, rows)
	}
	return s.projectFormFailed(w, r, u, stored, "Edit project", err)
}
