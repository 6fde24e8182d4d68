package importer

import (
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

func init() {
	cols := []Column{
		{Name: "code", Aliases: []string{"project", "project_code"}, Required: true,
			Description: "The project's code, unique, without spaces: INT/04/51/USA."},
		{Name: "title", Aliases: []string{"project_title", "name"}, Required: true, Description: "The project's title."},
		{Name: "description", Aliases: []string{"summary"}, Description: "What the project does."},
		{Name: "source", Aliases: []string{"source_of_funds", "funding_source", "funds"}, Required: true,
			Description: "Source of funds: xbtc (XB-TC), rbtc, rb (RBSA) or other."},
		{Name: "donors", Aliases: []string{"donor", "donor_names"},
			Description: "The donors funding it, lead donor first, separated by semicolons: each a stored donor's name or IATI identifier. An extra-budgetary project needs one."},
		{Name: "agreement", Aliases: []string{"agreement_ref"}, Description: "Reference of a stored funding agreement."},
		{Name: "lead_unit", Aliases: []string{"unit", "lead", "technical_unit", "lead_unit_code"}, Required: true,
			Description: "Code of the stored unit that leads the project."},
		{Name: "office", Aliases: []string{"field_office", "managing_office", "office_code"}, Description: "Code of the stored office that manages it in the field."},
		{Name: "scope", Required: true, Description: "national, regional, interregional or global."},
		{Name: "countries", Aliases: []string{"country", "recipient_countries"},
			Description: "Where it works, each country (ISO code or English name) with its share: GH:60;TG:40. One country alone may leave out its share (100). Countries and regions together add up to 100."},
		{Name: "regions", Aliases: []string{"region", "recipient_regions"},
			Description: "IATI recipient region codes with their shares, for work not tied to a country: 289:100 (South of Sahara), 998:100 (developing countries, unspecified)."},
		{Name: "objectives", Aliases: []string{"objective", "strategic_objectives"},
			Description: "Strategic objectives, each optionally with an outcome after a slash, with shares adding up to 100: so1:70;so2:30 or so1/1a.1:100."},
		{Name: "sectors", Aliases: []string{"sector", "dac_sectors"}, Description: "OECD DAC sector codes with shares adding up to 100: 16020:60;11330:40."},
		{Name: "start", Aliases: []string{"start_date"}, Required: true, Description: "Planned start, YYYY-MM-DD (or a date cell)."},
		{Name: "end", Aliases: []string{"end_date"}, Required: true, Description: "Planned end, YYYY-MM-DD (or a date cell), after the start."},
		{Name: "status", Required: true, Description: "proposal, appraisal, approved, ongoing, operationally-closed, financially-closed or cancelled."},
		{Name: "currency", Required: true, Description: "ISO 4217 code of the budget's currency: USD, EUR, ..."},
	}
	for _, a := range tcmis.AssistanceTypes() {
		c := Column{Name: "budget_" + string(a), Description: "Budget for " + strings.ToLower(a.Label()) + ", in the project's currency: 1,234.56. Empty: no budget line."}
		if alias := "budget_" + strings.ReplaceAll(strings.ToLower(a.Label()), " ", "_"); normHeading(alias) != normHeading(c.Name) {
			c.Aliases = []string{alias}
		}
		cols = append(cols, c)
	}
	cols = append(cols,
		Column{Name: "gender", Aliases: []string{"gender_marker"}, Description: "Gender marker: not screened (empty), not targeted (0), significant (1) or principal (2)."},
		Column{Name: "tripartite_design", Aliases: []string{"design"}, Description: "Constituents who took part in the design: government, employers, workers (joined by +), all or none."},
		Column{Name: "tripartite_implementation", Aliases: []string{"implementation"}, Description: "The same, for the implementation."},
		Column{Name: "tripartite_monitoring", Aliases: []string{"monitoring"}, Description: "The same, for monitoring."},
		Column{Name: "tripartite_evaluation", Aliases: []string{"evaluation"}, Description: "The same, for evaluation."},
		Column{Name: "crisis", Aliases: []string{"crisis_response"}, Description: "yes if it responds to a crisis; empty or no otherwise."},
		Column{Name: "conventions", Aliases: []string{"convention"}, Description: "Numbers of the Conventions it relates to: 138;182."},
		Column{Name: "country_outcomes", Aliases: []string{"cp_outcomes", "country_programme_outcomes"}, Description: "Codes of the country programme outcomes it serves, separated by semicolons."},
		Column{Name: "iati_identifier", Aliases: []string{"iati_id", "iati_activity_identifier"}, Description: "IATI activity identifier, without spaces."},
	)
	register(&spec{
		kind:    Projects,
		columns: cols,
		start:   func(j *job) kindImporter { return &projectImport{j: j, seen: map[string]int{}} },
	})
}

type projectImport struct {
	j    *job
	b    batch[*tcmis.Project]
	seen map[string]int
}

var projectColumns = map[string]string{
	"code": "code", "title": "title", "description": "description", "source": "source", "lead_unit_id": "lead_unit",
	"office_id": "office", "agreement_id": "agreement", "status": "status", "start": "start", "end": "end",
	"currency": "currency", "gender_marker": "gender", "donor_ids": "donors", "scope": "scope",
	"regions": "regions", "objectives": "objectives", "sectors": "sectors", "conventions": "conventions",
	"iati_identifier": "iati_identifier", "country_outcomes": "country_outcomes",
}

// projectColumn names the column of a project's field; p is the project,
// for its budget lines.
func (d *projectImport) projectColumn(p *tcmis.Project, field string, index int) string {
	switch field {
	case "countries":
		if !d.j.t.has("countries") && d.j.t.has("regions") {
			return "regions"
		}
		return "countries"
	case "budget":
		if index >= 0 && index < len(p.Budget) {
			return "budget_" + string(p.Budget[index].Type)
		}
		return "currency"
	}
	return projectColumns[field]
}

func (d *projectImport) row(r *row) {
	j := d.j
	p := &tcmis.Project{Description: r.get("description"), IATIID: r.get("iati_identifier")}
	p.Code, _ = r.need("code", "the project code")
	p.Title, _ = r.need("title", "the project title")
	if v, ok := r.need("source", "the source of funds"); ok {
		s, err := tcmis.ParseSource(v)
		if err != nil {
			r.fail("source", "%s", err)
		}
		p.Source = s
	}
	var unknown []string
	for _, name := range splitList(r.get("donors")) {
		o, err := j.cache.donor(name)
		if err != nil {
			j.fatal = err
			return
		}
		if o == nil {
			unknown = append(unknown, name)
			continue
		}
		p.DonorIDs = append(p.DonorIDs, o.ID)
	}
	if len(unknown) > 0 {
		r.fail("donors", "unknown donor %s: import donors first (tcmis import donors)", strings.Join(unknown, ", "))
	}
	if v := r.get("agreement"); v != "" {
		a, err := j.cache.agreement(v)
		if err != nil {
			j.fatal = err
			return
		}
		if a == nil {
			r.fail("agreement", "unknown agreement %s", v)
		} else {
			p.AgreementID = a.ID
		}
	}
	for _, col := range []string{"lead_unit", "office"} {
		v, ok := r.get(col), true
		if col == "lead_unit" {
			v, ok = r.need(col, "the lead unit")
		}
		if !ok || v == "" {
			continue
		}
		u, err := j.cache.unit(v)
		if err != nil {
			j.fatal = err
			return
		}
		if u == nil {
			r.fail(col, "unknown unit %s: import units first (tcmis import units)", v)
		} else if col == "lead_unit" {
			p.LeadUnitID = u.ID
		} else {
			p.OfficeID = u.ID
		}
	}
	if v, ok := r.need("scope", "the scope"); ok {
		s, err := tcmis.ParseScope(v)
		if err != nil {
			r.fail("scope", "%s", err)
		}
		p.Scope = s
	}
	d.geography(r, p)
	d.objectives(r, p)
	if ss, ok := r.shares("sectors", "sector"); ok {
		for _, s := range ss {
			code, ok := codeOrName(tcmis.ListSector, s.key)
			if !ok {
				r.fail("sectors", "%q is not an OECD DAC sector code (such as 16020)", s.key)
				break
			}
			p.Sectors = append(p.Sectors, tcmis.SectorShare{Code: code, Percent: s.percent})
		}
	}
	if _, ok := r.need("start", "the start date"); ok {
		p.Start, _ = r.date("start")
	}
	if _, ok := r.need("end", "the end date"); ok {
		p.End, _ = r.date("end")
	}
	if v, ok := r.need("status", "the status"); ok {
		s, err := tcmis.ParseStatus(v)
		if err != nil {
			r.fail("status", "%s", err)
		}
		p.Status = s
	}
	p.Currency, _ = r.currency("currency")
	for _, a := range tcmis.AssistanceTypes() {
		col := "budget_" + string(a)
		if amount, ok := r.amount(col, p.Currency); ok {
			p.Budget = append(p.Budget, tcmis.BudgetLine{Type: a, Amount: amount})
		}
	}
	if v := r.get("gender"); v != "" {
		g, err := tcmis.ParseGenderMarker(v)
		if err != nil {
			r.fail("gender", "%s", err)
		}
		p.Gender = g
	}
	for _, stage := range []struct {
		col string
		c   *tcmis.Constituents
	}{
		{"tripartite_design", &p.Tripartite.Design},
		{"tripartite_implementation", &p.Tripartite.Implementation},
		{"tripartite_monitoring", &p.Tripartite.Monitoring},
		{"tripartite_evaluation", &p.Tripartite.Evaluation},
	} {
		c, err := tcmis.ParseConstituents(r.get(stage.col))
		if err != nil {
			r.fail(stage.col, "%s", err)
		}
		*stage.c = c
	}
	p.Crisis = r.yesNo("crisis")
	for _, f := range strings.FieldsFunc(r.get("conventions"), func(c rune) bool { return c == ';' || c == ',' || c == ' ' || c == '\n' }) {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(f), "C"))
		if err != nil {
			r.fail("conventions", "%q is not a Convention number (such as 182)", f)
			break
		}
		p.Conventions = append(p.Conventions, n)
	}
	p.CountryOutcomes = splitList(r.get("country_outcomes"))
	r.problems(p.Validate(), func(field string, index int) string { return d.projectColumn(p, field, index) })
	if p.Code != "" {
		if first, ok := d.seen[p.Code]; ok {
			r.fail("code", "row %d already has a project with code %s", first, p.Code)
		} else {
			d.seen[p.Code] = r.num
			if old, err := j.cache.project(p.Code); err != nil {
				j.fatal = err
			} else if old != nil {
				r.fail("code", "a project with code %s is already stored", p.Code)
			}
		}
	}
	if r.ok() {
		d.b.add(p, r.num)
	}
}

func (d *projectImport) geography(r *row, p *tcmis.Project) {
	if ss, ok := r.shares("countries", "country"); ok {
		for _, s := range ss {
			c, err := countryCode(s.key)
			if err != nil {
				r.fail("countries", "%s", err)
				break
			}
			p.Countries = append(p.Countries, tcmis.CountryShare{Country: c, Percent: s.percent})
		}
	}
	if ss, ok := r.shares("regions", "region"); ok {
		for _, s := range ss {
			code, ok := codeOrName(tcmis.ListRegion, s.key)
			if !ok {
				r.fail("regions", "%q is not an IATI region code (such as 289 for South of Sahara)", s.key)
				break
			}
			p.Regions = append(p.Regions, tcmis.RegionShare{Code: code, Percent: s.percent})
		}
	}
}

func (d *projectImport) objectives(r *row, p *tcmis.Project) {
	ss, ok := r.shares("objectives", "strategic objective")
	if !ok {
		return
	}
	for _, s := range ss {
		obj, outcome, _ := strings.Cut(s.key, "/")
		o, err := tcmis.ParseObjective(obj)
		if err != nil {
			r.fail("objectives", "%s", err)
			return
		}
		p.Objectives = append(p.Objectives, tcmis.ObjectiveShare{Objective: o, Outcome: strings.TrimSpace(outcome), Percent: s.percent})
	}
}

func (d *projectImport) check() error { return nil }

func (d *projectImport) load() error {
	d.j.total = int64(len(d.b.recs))
	d.b.kind = Projects
	d.b.column = func(i int, field string, index int) string { return d.projectColumn(d.b.recs[i], field, index) }
	return create(d.j, &d.b, d.j.loader.CreateProjects)
}
