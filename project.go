package tcmis

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Project is a technical cooperation project: what it does, who pays for
// it, who runs it, where it works, what it serves and how far it has come
// through the project cycle.
type Project struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Source      Source `json:"source"`
	// DonorIDs are the organisations funding the project, lead donor first.
	DonorIDs    []int64 `json:"donor_ids,omitempty"`
	AgreementID int64   `json:"agreement_id,omitempty"`
	// LeadUnitID is the technical unit responsible for the project; its
	// strategic objective is where the organisation traditionally records
	// the project's expenditure.
	LeadUnitID int64 `json:"lead_unit_id"`
	// OfficeID is the office that manages it in the field, if any.
	OfficeID int64 `json:"office_id,omitempty"`
	Scope    Scope `json:"scope"`
	// Countries and Regions attribute the project's resources to where it
	// works; together their percentages add up to 100.
	Countries []CountryShare `json:"countries,omitempty"`
	Regions   []RegionShare  `json:"regions,omitempty"`
	// Objectives splits the project across strategic objectives and
	// outcomes; the percentages add up to 100.
	Objectives []ObjectiveShare `json:"objectives,omitempty"`
	Sectors    []SectorShare    `json:"sectors,omitempty"`
	// CountryOutcomes are the codes of the country programme outcomes the
	// project serves.
	CountryOutcomes []string     `json:"country_outcomes,omitempty"`
	Start           time.Time    `json:"start"`
	End             time.Time    `json:"end"`
	Status          Status       `json:"status"`
	Currency        string       `json:"currency"`
	Budget          []BudgetLine `json:"budget,omitempty"`
	Gender          GenderMarker `json:"gender_marker"`
	Tripartite      Tripartite   `json:"tripartite"`
	Crisis          bool         `json:"crisis_response"`
	// Conventions are the numbers of the international labour Conventions
	// the project relates to (138 and 182 for child labour, ...).
	Conventions []int     `json:"conventions,omitempty"`
	IATIID      string    `json:"iati_identifier,omitempty"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CountryShare attributes part of a project to a recipient country.
type CountryShare struct {
	Country string  `json:"country"`
	Percent Percent `json:"percent"`
}

// RegionShare attributes part of a project to a recipient region, by IATI
// region code (289 South of Sahara, ...), for work not tied to a country.
type RegionShare struct {
	Code    string  `json:"code"`
	Percent Percent `json:"percent"`
}

// ObjectiveShare puts part of a project under a strategic objective and,
// where known, one of its outcomes.
type ObjectiveShare struct {
	Objective Objective `json:"objective"`
	Outcome   string    `json:"outcome,omitempty"`
	Percent   Percent   `json:"percent"`
}

// SectorShare classifies part of a project by an OECD DAC sector code.
type SectorShare struct {
	Code    string  `json:"code"`
	Percent Percent `json:"percent"`
}

// BudgetLine is the project's budget for one type of assistance, in the
// project's currency.
type BudgetLine struct {
	Type   Assistance `json:"type"`
	Amount int64      `json:"amount"`
}

// TotalBudget returns the project's total budget.
func (p *Project) TotalBudget() Money {
	m := Money{Currency: p.Currency}
	for _, b := range p.Budget {
		m.Amount += b.Amount
	}
	return m
}

// DurationMonths is the planned length of the project in whole months,
// counting a month begun as a month: 1 January to 31 December is 12.
func (p *Project) DurationMonths() int {
	return MonthsBetween(p.Start, p.End)
}

// MonthsBetween counts the months from start to end inclusive: whole
// calendar months, plus one for a remainder of more than 15 days. 1 January
// to 31 December is 12 months; 1 January to 30 June is 6.
func MonthsBetween(start, end time.Time) int {
	if end.Before(start) {
		return 0
	}
	e := end.AddDate(0, 0, 1) // the day after the last day
	m := (e.Year()-start.Year())*12 + int(e.Month()) - int(start.Month())
	if start.AddDate(0, m, 0).After(e) {
		m--
	}
	if e.Sub(start.AddDate(0, m, 0)) > 15*24*time.Hour {
		m++
	}
	return m
}

// RegionOf returns the region the project counts under in reports: the
// region of its countries when they are all in one region, of its office
// otherwise, and "" for interregional and global projects.
func (p *Project) RegionOf(office *Unit) Region {
	if p.Scope == Interregional || p.Scope == Global {
		return ""
	}
	var region Region
	for _, c := range p.Countries {
		r, _ := RegionOf(c.Country)
		if region != "" && r != region {
			return ""
		}
		region = r
	}
	if region == "" && office != nil {
		region = office.Region
	}
	return region
}

// Validate checks a project before it is stored and returns every problem
// it finds.
func (p *Project) Validate() error {
	var ps problems
	p.Code = strings.TrimSpace(p.Code)
	if p.Code == "" {
		ps.add("code", "the project needs a code, such as INT/04/51/USA")
	} else if strings.ContainsAny(p.Code, " \t\n") {
		ps.add("code", "a project code has no spaces")
	}
	if strings.TrimSpace(p.Title) == "" {
		ps.add("title", "the project needs a title")
	}
	if !p.Source.Valid() {
		ps.add("source", "choose the source of funds: xbtc, rbtc, rb or other")
	}
	if p.LeadUnitID == 0 {
		ps.add("lead_unit_id", "say which unit leads the project")
	}
	if !p.Status.Valid() {
		ps.add("status", "%q is not a project status", p.Status)
	}
	checkPeriod(&ps, p.Start, p.End)
	checkCurrency(&ps, "currency", p.Currency)
	if !p.Gender.Valid() {
		ps.add("gender_marker", "%d is not a gender marker", p.Gender)
	}
	p.checkDonors(&ps)
	p.checkGeography(&ps)
	p.checkObjectives(&ps)
	p.checkSectors(&ps)
	p.checkBudget(&ps)
	seen := map[int]bool{}
	for i, c := range p.Conventions {
		if c < 1 || c > 999 {
			ps.add(fmt.Sprintf("conventions[%d]", i), "%d is not a Convention number", c)
		} else if seen[c] {
			ps.add(fmt.Sprintf("conventions[%d]", i), "Convention %d is listed twice", c)
		}
		seen[c] = true
	}
	outcomes := map[string]bool{}
	for i, c := range p.CountryOutcomes {
		field := fmt.Sprintf("country_outcomes[%d]", i)
		if strings.TrimSpace(c) == "" {
			ps.add(field, "a country programme outcome code cannot be empty")
		} else if outcomes[c] {
			ps.add(field, "country programme outcome %s is listed twice", c)
		}
		outcomes[c] = true
	}
	if strings.ContainsAny(p.IATIID, " \t\n") {
		ps.add("iati_identifier", "an IATI identifier has no spaces")
	}
	return ps.err("project " + p.Code)
}

func (p *Project) checkDonors(ps *problems) {
	seen := map[int64]bool{}
	for i, id := range p.DonorIDs {
		if id == 0 || seen[id] {
			ps.add(fmt.Sprintf("donor_ids[%d]", i), "each donor is listed once")
		}
		seen[id] = true
	}
	if p.Source == XBTC && len(p.DonorIDs) == 0 {
		ps.add("donor_ids", "an extra-budgetary project needs at least one donor")
	}
}

func (p *Project) checkGeography(ps *problems) {
	if !p.Scope.Valid() {
		ps.add("scope", "choose national, regional, interregional or global")
		return
	}
	shares := make([]Percent, 0, len(p.Countries)+len(p.Regions))
	seen := map[string]bool{}
	regionsSeen := map[Region]bool{}
	for i, c := range p.Countries {
		field := fmt.Sprintf("countries[%d]", i)
		checkCountry(ps, field, c.Country)
		if seen[c.Country] {
			ps.add(field, "%s is listed twice", c.Country)
		}
		seen[c.Country] = true
		if r, ok := RegionOf(c.Country); ok {
			regionsSeen[r] = true
		}
		shares = append(shares, c.Percent)
	}
	for i, r := range p.Regions {
		field := fmt.Sprintf("regions[%d]", i)
		checkCode(ps, field, ListRegion, r.Code, "region")
		if seen["region:"+r.Code] {
			ps.add(field, "region %s is listed twice", r.Code)
		}
		seen["region:"+r.Code] = true
		shares = append(shares, r.Percent)
	}
	checkSplit(ps, "countries", "country and region", shares)
	switch p.Scope {
	case National:
		if len(p.Countries) != 1 || len(p.Regions) != 0 {
			ps.add("countries", "a national project works in exactly one country (it lists %d countries and %d regions)", len(p.Countries), len(p.Regions))
		}
	case Regional:
		if len(regionsSeen) > 1 {
			ps.add("countries", "a regional project works within one region; these countries span %d regions: make it interregional", len(regionsSeen))
		}
		if len(p.Countries) == 0 && len(p.Regions) == 0 {
			ps.add("countries", "a regional project names its countries or regions")
		}
	}
}

func (p *Project) checkObjectives(ps *problems) {
	shares := make([]Percent, len(p.Objectives))
	seen := map[string]bool{}
	for i, o := range p.Objectives {
		field := fmt.Sprintf("objectives[%d]", i)
		if !o.Objective.Valid() {
			ps.add(field, "%q is not a strategic objective", o.Objective)
		}
		key := string(o.Objective) + "/" + o.Outcome
		if seen[key] {
			ps.add(field, "%s is listed twice", key)
		}
		seen[key] = true
		shares[i] = o.Percent
	}
	checkSplit(ps, "objectives", "strategic objective", shares)
}

func (p *Project) checkSectors(ps *problems) {
	shares := make([]Percent, len(p.Sectors))
	seen := map[string]bool{}
	for i, s := range p.Sectors {
		field := fmt.Sprintf("sectors[%d]", i)
		checkCode(ps, field, ListSector, s.Code, "DAC sector")
		if seen[s.Code] {
			ps.add(field, "sector %s is listed twice", s.Code)
		}
		seen[s.Code] = true
		shares[i] = s.Percent
	}
	checkSplit(ps, "sectors", "sector", shares)
}

func (p *Project) checkBudget(ps *problems) {
	seen := map[Assistance]bool{}
	for i, b := range p.Budget {
		field := fmt.Sprintf("budget[%d]", i)
		if !b.Type.Valid() {
			ps.add(field, "%q is not a type of assistance", b.Type)
		}
		if seen[b.Type] {
			ps.add(field, "%s has two budget lines", b.Type.Label())
		}
		seen[b.Type] = true
		if b.Amount < 0 {
			ps.add(field, "a budget line cannot be negative")
		}
	}
}

// ProjectFilter selects projects; nil fields do not filter.
type ProjectFilter struct {
	ID        *int64
	Code      *string
	Status    *Status
	Source    *Source
	DonorID   *int64
	Category  *DonorCategory
	Objective *Objective
	Country   *string
	Region    *Region
	UnitID    *int64 // lead unit or office
	Scope     *Scope
	IATIID    *string
	Search    string // words in the code, title or description
	Sort      string // "code" (default), "title", "start", "end", "-start", ...
	Offset    int
	Limit     int
}

// ProjectService stores projects.
type ProjectService interface {
	FindProjectByID(ctx context.Context, id int64) (*Project, error)
	FindProjectByCode(ctx context.Context, code string) (*Project, error)
	FindProjects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	// CountProjectsByCountry returns how many projects work in each
	// country, by ISO code; a country no project names is left out.
	CountProjectsByCountry(ctx context.Context) (map[string]int, error)
	CreateProject(ctx context.Context, p *Project) error
	// CreateProjects stores many projects in one transaction: all or none.
	CreateProjects(ctx context.Context, ps []*Project) error
	// UpdateProject saves p if p.Version is still the stored version, and
	// fails with ECONFLICT when someone else saved it in between. It
	// refuses a change of status: the project cycle (CycleService) moves
	// projects from one status to another.
	UpdateProject(ctx context.Context, p *Project) error
	DeleteProject(ctx context.Context, id int64) error
}
