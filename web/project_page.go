package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
)

// projectPageData is everything the project page shows: the record with
// its names resolved, its money, results, evaluations, cycle, IATI
// activity and history.
type projectPageData struct {
	P         *tcmis.Project
	Donors    []*tcmis.Organisation // the project's donors, lead first
	AllDonors []*tcmis.Organisation // for the approval form
	Agreement *tcmis.Agreement
	LeadUnit  *tcmis.Unit
	Office    *tcmis.Unit
	Names     map[int64]string // donors by id
	Duration  int

	Approvals    []*tcmis.Approval
	ApprovedUSD  int64
	Budget       []budgetRow
	BudgetTotal  tcmis.Money
	Finance      []tcmis.YearFinance
	FinanceTotal tcmis.YearFinance
	Year         int
	Years        []int
	Monthly      *monthlyTable
	Expenditures []*tcmis.Expenditure // of the selected year
	Allocations  []*tcmis.Allocation  // of the selected year
	// Every year's records, for the IATI activity and the history.
	allExpenditures []*tcmis.Expenditure
	allAllocations  []*tcmis.Allocation
	CountryResults  []countryOutcomeRow
	GlobalResults   []*tcmis.Outcome
	Results         []resultRow
	Evaluations     []evaluationRow
	Events          []*tcmis.StatusEvent
	Moves           []projectMove
	Appraisal       *tcmis.ProjectAppraisal
	// Criteria is the appraisal form, offered while the project is in
	// appraisal to those who may edit it.
	Criteria    []criterionRow
	IATI        string
	IATIError   string
	History     []historyEntry
	HistoryMore bool
	// Names of every donor and unit, for the history's values.
	historyDonors, historyUnits map[int64]string

	// What the user may do here.
	CanEdit       bool // the project's fields
	CanDelivery   bool // allocations and expenditure
	CanApprovals  bool // approvals
	CanSeeHistory bool

	// Choices for the money forms.
	Assistances []tcmis.Assistance
	Currencies  []string
	Months      []int

	// Form is the money or status form sent with invalid input, shown
	// again with its values; FormName says which one.
	Form     url.Values
	FormName string
}

type budgetRow struct {
	Type   tcmis.Assistance
	Amount tcmis.Money
}

type countryOutcomeRow struct {
	Code, Title, Programme string
	Global                 []string
}

type resultRow struct {
	Indicator *tcmis.Indicator
	Result    *tcmis.Result
}

type evaluationRow struct {
	E       *tcmis.Evaluation
	Lessons []*tcmis.Lesson
}

// projectMove is a move of the cycle the user may make from the project's
// status.
type projectMove struct {
	To          tcmis.Status
	NeedsReason bool
	Rule        string
}

// monthlyTable is a year's expenditure by month and type of assistance,
// in US cents, with the delivery rate to date against the year's
// allocation.
type monthlyTable struct {
	Types      []tcmis.Assistance
	Rows       []monthRow
	Totals     []int64 // by type
	Total      int64
	Allocated  int64
	Delivery   tcmis.Percent
	HasRate    bool
	HasRecords bool
}

type monthRow struct {
	Month      int
	ByType     []int64
	Total      int64
	ToDate     int64
	Delivery   tcmis.Percent
	HasRate    bool
	HasRecords bool
}

// Get is a value of the form shown again, for the templates.
func (d *projectPageData) Get(name string) string { return d.Form.Get(name) }

// Is reports whether the form shown again is the named one.
func (d *projectPageData) Is(name string) bool { return d.FormName == name }

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	d, err := s.loadProjectPage(r, u, p, nil, "")
	if err != nil {
		return err
	}
	s.renderProjectPage(w, r, u, http.StatusOK, d, nil)
	return nil
}

// renderProjectPage renders the page; a form error, if any, is shown with
// the form it belongs to.
func (s *Server) renderProjectPage(w http.ResponseWriter, r *http.Request, u *tcmis.User, status int, d *projectPageData, fill func(pg *page)) {
	pg := s.newPage(w, r, u, "Project", "projects", d)
	pg.Title = d.P.Code + " · " + d.P.Title
	if fill != nil {
		fill(pg)
	}
	s.render(w, r, status, "project", pg)
}

// loadProjectPage reads everything the page shows. form and formName are
// a form sent with invalid input, to be shown again.
func (s *Server) loadProjectPage(r *http.Request, u *tcmis.User, p *tcmis.Project, form url.Values, formName string) (*projectPageData, error) {
	ctx := r.Context()
	id := p.ID
	d := &projectPageData{
		P: p, Names: map[int64]string{}, Duration: p.DurationMonths(),
		CanEdit:       u.CanEditProject(p),
		CanDelivery:   u.Can(tcmis.PermEditDelivery) && u.CanEditProject(p),
		CanApprovals:  u.Can(tcmis.PermEditResources),
		CanSeeHistory: u.Can(tcmis.PermViewInternal),
		Assistances:   tcmis.AssistanceTypes(),
		Currencies:    tcmis.LookupCodelist(tcmis.ListCurrency).Codes(),
		Months:        []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		Form:          form, FormName: formName,
	}
	if d.Form == nil {
		d.Form = url.Values{}
	}
	orgs, _, err := s.store.FindOrganisations(ctx, tcmis.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*tcmis.Organisation{}
	for _, o := range orgs {
		byID[o.ID], d.Names[o.ID] = o, o.Name
	}
	for _, id := range p.DonorIDs {
		if o := byID[id]; o != nil {
			d.Donors = append(d.Donors, o)
		}
	}
	if d.CanApprovals {
		d.AllDonors = orgs
	}
	if p.AgreementID != 0 {
		if d.Agreement, err = s.store.FindAgreementByID(ctx, p.AgreementID); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
			return nil, err
		}
	}
	if d.LeadUnit, err = s.store.FindUnitByID(ctx, p.LeadUnitID); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		return nil, err
	}
	if p.OfficeID != 0 {
		if d.Office, err = s.store.FindUnitByID(ctx, p.OfficeID); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
			return nil, err
		}
	}

	// Funding, budget, money by year. A donor viewer sees its own
	// donor's approvals of a project it funds with others, not theirs.
	approvals := tcmis.MoneyFilter{ProjectID: &id}
	if u.Role == tcmis.RoleDonorViewer {
		approvals.DonorID = &u.DonorID
	}
	if d.Approvals, _, err = s.store.FindApprovals(ctx, approvals); err != nil {
		return nil, err
	}
	for _, a := range d.Approvals {
		d.ApprovedUSD += a.Amount.USD
	}
	d.BudgetTotal = p.TotalBudget()
	for _, b := range p.Budget {
		d.Budget = append(d.Budget, budgetRow{Type: b.Type, Amount: tcmis.Money{Amount: b.Amount, Currency: p.Currency}})
	}
	if d.Finance, err = s.store.ProjectFinance(ctx, id); err != nil {
		return nil, err
	}
	d.FinanceTotal.Year = 0
	for _, y := range d.Finance {
		d.FinanceTotal.Approved += y.Approved
		d.FinanceTotal.Allocated += y.Allocated
		d.FinanceTotal.Spent += y.Spent
		d.Years = append(d.Years, y.Year)
	}
	d.FinanceTotal.Delivery, d.FinanceTotal.HasDelivery = tcmis.DeliveryRate(d.FinanceTotal.Spent, d.FinanceTotal.Allocated)
	d.Year = s.projectYear(r, d.Finance)
	if !slices.Contains(d.Years, d.Year) {
		d.Years = append(d.Years, d.Year)
		slices.Sort(d.Years)
	}
	year := d.Year
	// All the project's expenditure and allocations, read once for the
	// year shown, the IATI activity and the history.
	if d.allExpenditures, _, err = s.store.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &id}); err != nil {
		return nil, err
	}
	if d.allAllocations, _, err = s.store.FindAllocations(ctx, tcmis.MoneyFilter{ProjectID: &id}); err != nil {
		return nil, err
	}
	for _, e := range d.allExpenditures {
		if e.Year == year {
			d.Expenditures = append(d.Expenditures, e)
		}
	}
	for _, a := range d.allAllocations {
		if a.Year == year {
			d.Allocations = append(d.Allocations, a)
		}
	}
	var allocated int64
	for _, a := range d.Allocations {
		allocated += a.Amount.USD
	}
	d.Monthly = buildMonthly(d.Expenditures, allocated)

	if err := s.loadProjectResults(r, p, d); err != nil {
		return nil, err
	}

	// Evaluations and their lessons.
	evals, _, err := s.store.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &id})
	if err != nil {
		return nil, err
	}
	for _, e := range evals {
		eid := e.ID
		ls, _, err := s.store.FindLessons(ctx, tcmis.LessonFilter{EvaluationID: &eid})
		if err != nil {
			return nil, err
		}
		d.Evaluations = append(d.Evaluations, evaluationRow{E: e, Lessons: ls})
	}

	// The cycle.
	if d.Events, err = s.store.FindStatusEvents(ctx, id); err != nil {
		return nil, err
	}
	d.Moves = projectMoves(u, p)
	if d.Appraisal, err = s.store.FindLatestAppraisal(ctx, id); err != nil {
		if tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
			return nil, err
		}
		d.Appraisal = nil
	}

	if p.Status == tcmis.Appraisal && d.CanEdit {
		d.Criteria = appraisalCriteria(p)
		if d.Form.Get("appraisal_appraiser") == "" && formName != "appraisal" {
			d.Form.Set("appraisal_appraiser", u.Name)
		}
	}

	return d, nil
}

// projectYear is the year whose monthly expenditure the page shows: the
// one asked for, else the latest year with money, else this year.
func (s *Server) projectYear(r *http.Request, fin []tcmis.YearFinance) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 1950 && y <= 2100 {
		return y
	}
	for i := len(fin) - 1; i >= 0; i-- {
		if fin[i].Spent != 0 || fin[i].Allocated != 0 {
			return fin[i].Year
		}
	}
	if len(fin) > 0 {
		return fin[len(fin)-1].Year
	}
	return s.cfg.Now().UTC().Year()
}

// buildMonthly sums a year's expenditure by month and type of assistance,
// with the delivery rate to the end of each month.
func buildMonthly(es []*tcmis.Expenditure, allocated int64) *monthlyTable {
	t := &monthlyTable{Types: tcmis.AssistanceTypes(), Allocated: allocated}
	col := map[tcmis.Assistance]int{}
	for i, a := range t.Types {
		col[a] = i
	}
	t.Totals = make([]int64, len(t.Types))
	t.Rows = make([]monthRow, 12)
	for m := range t.Rows {
		t.Rows[m] = monthRow{Month: m + 1, ByType: make([]int64, len(t.Types))}
	}
	for _, e := range es {
		if e.Month < 1 || e.Month > 12 {
			continue
		}
		row := &t.Rows[e.Month-1]
		if c, ok := col[e.Type]; ok {
			row.ByType[c] += e.Amount.USD
			t.Totals[c] += e.Amount.USD
		}
		row.Total += e.Amount.USD
		row.HasRecords = true
		t.Total += e.Amount.USD
		t.HasRecords = true
	}
	var toDate int64
	for m := range t.Rows {
		toDate += t.Rows[m].Total
		t.Rows[m].ToDate = toDate
		t.Rows[m].Delivery, t.Rows[m].HasRate = tcmis.DeliveryRate(toDate, allocated)
	}
	t.Delivery, t.HasRate = tcmis.DeliveryRate(t.Total, allocated)
	return t
}

// loadProjectResults finds what the project serves: its country
// programme outcomes, the global outcomes linked to them and to its
// objectives, and the results reported for it.
func (s *Server) loadProjectResults(r *http.Request, p *tcmis.Project, d *projectPageData) error {
	ctx := r.Context()
	global := map[string]bool{}
	for _, o := range p.Objectives {
		if o.Outcome != "" {
			global[o.Outcome] = true
		}
	}
	if len(p.CountryOutcomes) > 0 {
		known := map[string]countryOutcomeRow{}
		seen := map[string]bool{}
		for _, c := range p.Countries {
			if seen[c.Country] {
				continue
			}
			seen[c.Country] = true
			country := c.Country
			progs, _, err := s.store.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &country})
			if err != nil {
				return err
			}
			for _, pr := range progs {
				for _, pri := range pr.Priorities {
					for _, o := range pri.Outcomes {
						known[o.Code] = countryOutcomeRow{Code: o.Code, Title: o.Title, Programme: pr.Title, Global: o.GlobalOutcomes}
					}
				}
			}
		}
		for _, code := range p.CountryOutcomes {
			row, ok := known[code]
			if !ok {
				row = countryOutcomeRow{Code: code}
			}
			for _, g := range row.Global {
				global[g] = true
			}
			d.CountryResults = append(d.CountryResults, row)
		}
	}
	if len(global) > 0 {
		outcomes, _, err := s.store.FindOutcomes(ctx, tcmis.ResultFilter{})
		if err != nil {
			return err
		}
		// An outcome code recurs from biennium to biennium: show those of
		// the biennia the project runs in, or all if none is.
		var all []*tcmis.Outcome
		for _, o := range outcomes {
			if !global[o.Code] {
				continue
			}
			all = append(all, o)
			first := o.Biennium.Start()
			if first <= p.End.Year() && first+1 >= p.Start.Year() {
				d.GlobalResults = append(d.GlobalResults, o)
			}
		}
		if len(d.GlobalResults) == 0 {
			d.GlobalResults = all
		}
	}
	id := p.ID
	results, _, err := s.store.FindResults(ctx, tcmis.ResultFilter{ProjectID: &id})
	if err != nil {
		return err
	}
	indicators := map[int64]*tcmis.Indicator{}
	for _, res := range results {
		ind, ok := indicators[res.IndicatorID]
		if !ok {
			iid := res.IndicatorID
			found, _, err := s.store.FindIndicators(ctx, tcmis.ResultFilter{IndicatorID: &iid})
			if err != nil {
				return err
			}
			if len(found) > 0 {
				ind = found[0]
			}
			indicators[iid] = ind
		}
		d.Results = append(d.Results, resultRow{Indicator: ind, Result: res})
	}
	return nil
}

// projectMoves lists the moves of the cycle the user may make from the
// project's status: their role is among the move's, and they may edit
// the project.
func projectMoves(u *tcmis.User, p *tcmis.Project) []projectMove {
	if !u.CanEditProject(p) {
		return nil
	}
	var out []projectMove
	for _, to := range tcmis.NextStatuses(p.Status) {
		t, _ := tcmis.TransitionFor(p.Status, to)
		if slices.Contains(t.Roles, u.Role) {
			out = append(out, projectMove{To: to, NeedsReason: t.NeedsReason, Rule: t.Rule})
		}
	}
	return out
}

// writeProjectIATI writes the project as an IATI 2.03 activity file: the
// activity imported for it if there is one, else the activity the export
// builds from the project and its money. Approvals and expenditures nil
// are read from the store.
func (s *Server) writeProjectIATI(r *http.Request, p *tcmis.Project, donors map[int64]*tcmis.Organisation,
	approvals []*tcmis.Approval, expenditures []*tcmis.Expenditure, w *bytes.Buffer) error {
	ctx := r.Context()
	id := p.ID
	now := s.cfg.Now().UTC()
	as, _, err := s.store.FindActivities(ctx, tcmis.ActivityFilter{ProjectID: &id, Limit: 1})
	if err != nil {
		return err
	}
	var a *tcmis.Activity
	if len(as) > 0 {
		a = as[0]
	} else {
		if approvals == nil {
			if approvals, _, err = s.store.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &id}); err != nil {
				return err
			}
		}
		if expenditures == nil {
			if expenditures, _, err = s.store.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &id}); err != nil {
				return err
			}
		}
		a = tcmis.NewActivity(p, iati.ILO, tcmis.ProjectMoney{Approvals: approvals, Expenditures: expenditures, Donors: donors}, now)
	}
	x := iati.NewWriter(w, now)
	if err := x.Write(a); err != nil {
		return err
	}
	return x.Close()
}

// projectIATIPage shows the project as IATI 2.03 XML; a project the
// writer cannot express shows the reason.
func (s *Server) projectIATIPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	donors, err := s.organisationsByID(r)
	if err != nil {
		return err
	}
	d := &projectPageData{P: p}
	var b bytes.Buffer
	if err := s.writeProjectIATI(r, p, donors, nil, nil, &b); err != nil {
		if tcmis.ErrorCode(err) == tcmis.EINTERNAL {
			return err
		}
		d.IATIError = tcmis.ErrorMessage(err)
	} else {
		d.IATI = b.String()
	}
	pg := s.newPage(w, r, u, "IATI activity", "projects", d)
	pg.Title = pg.T("Project %s as an IATI activity", p.Code)
	s.render(w, r, http.StatusOK, "project_iati", pg)
	return nil
}

// projectIATI downloads the project's IATI activity file.
func (s *Server) projectIATI(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	donors, err := s.organisationsByID(r)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := s.writeProjectIATI(r, p, donors, nil, nil, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileSafe(p.Code)+`.xml"`)
	_, err = w.Write(b.Bytes())
	return err
}

// fileSafe turns a project code such as INT/04/51/USA into a file name.
func fileSafe(code string) string {
	b := []byte(code)
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '-'
		}
	}
	return string(b)
}

// organisationsByID reads every donor and partner, by id.
func (s *Server) organisationsByID(r *http.Request) (map[int64]*tcmis.Organisation, error) {
	orgs, _, err := s.store.FindOrganisations(r.Context(), tcmis.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*tcmis.Organisation, len(orgs))
	for _, o := range orgs {
		out[o.ID] = o
	}
	return out, nil
}
