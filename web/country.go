package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/tcmis/tcmis"
)

type countryRow struct {
	Code        string
	Name        string
	Region      tcmis.Region
	Projects    int
	Expenditure int64
	Programmes  []*tcmis.CountryProgramme
}

type countryListData struct {
	Rows    []countryRow
	Regions []tcmis.Region
}

// countryList lists the countries the programme works in: those with
// projects or a Decent Work Country Programme, by name, with their
// region, projects, expenditure and programme.
func (s *Server) countryList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	var region *tcmis.Region
	if v := r.URL.Query().Get("region"); v != "" {
		g, err := tcmis.ParseRegion(v)
		if err != nil {
			return &tcmis.Error{Code: tcmis.EINVALID, Message: "the country list's filters", Problems: []tcmis.Problem{{Field: "region", Message: err.Error()}}}
		}
		region = &g
	}
	rows := map[string]*countryRow{}
	row := func(code string) *countryRow {
		x := rows[code]
		if x == nil {
			g, _ := tcmis.RegionOf(code)
			x = &countryRow{Code: code, Name: tcmis.CountryName(code), Region: g}
			rows[code] = x
		}
		return x
	}
	counts, err := s.store.CountProjectsByCountry(ctx)
	if err != nil {
		return err
	}
	for code, n := range counts {
		row(code).Projects = n
	}
	progs, _, err := s.store.FindProgrammes(ctx, tcmis.ProgrammeFilter{})
	if err != nil {
		return err
	}
	for _, c := range progs {
		x := row(c.Country)
		x.Programmes = append(x.Programmes, c)
	}
	spent, err := s.refSums(ctx, tcmis.MeasureExpenditure, tcmis.ByPlace, tcmis.StatsFilter{})
	if err != nil {
		return err
	}
	d := &countryListData{Regions: tcmis.Regions()}
	for _, x := range rows {
		if region != nil && x.Region != *region {
			continue
		}
		x.Expenditure = spent[x.Code]
		d.Rows = append(d.Rows, *x)
	}
	sort.Slice(d.Rows, func(i, j int) bool {
		if d.Rows[i].Name != d.Rows[j].Name {
			return d.Rows[i].Name < d.Rows[j].Name
		}
		return d.Rows[i].Code < d.Rows[j].Code
	})
	s.render(w, r, http.StatusOK, "countries", s.newPage(w, r, u, "Countries", "countries", d))
	return nil
}

// trainingYear sums a country's training activities of a year.
type trainingYear struct {
	Year         int
	Activities   int
	Participants int
	Women        int
}

type countryPageData struct {
	Code       string
	Name       string
	Region     tcmis.Region
	Programmes []*tcmis.CountryProgramme
	// Gaps are the funding of the programmes' outcomes, by outcome code.
	Gaps          map[string]tcmis.OutcomeGap
	Projects      []*tcmis.Project
	ProjectsTotal int
	Expenditure   []yearSum
	Spent         int64
	Training      []trainingYear
	Activities    []*tcmis.TrainingActivity
	// ActivitiesTotal is how many training activities took place in the
	// country; Activities are the latest of them.
	ActivitiesTotal int
}

const countryActivities = 20

// countryPage shows a country: its Decent Work Country Programmes with
// their priorities, outcomes and funding, the projects working there, the
// expenditure by year and the training held there.
func (s *Server) countryPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	code := strings.ToUpper(r.PathValue("code"))
	if !tcmis.LookupCodelist(tcmis.ListCountry).Has(code) {
		return notFound("country")
	}
	d := &countryPageData{Code: code, Name: tcmis.CountryName(code), Gaps: map[string]tcmis.OutcomeGap{}}
	d.Region, _ = tcmis.RegionOf(code)
	var err error
	if d.Programmes, _, err = s.store.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &code}); err != nil {
		return err
	}
	if len(d.Programmes) > 0 {
		gaps, err := s.store.FundingGaps(ctx, tcmis.GapFilter{Country: &code})
		if err != nil {
			return err
		}
		for _, g := range gaps {
			d.Gaps[g.Outcome] = g
		}
	}
	if d.Projects, d.ProjectsTotal, err = s.store.FindProjects(ctx, tcmis.ProjectFilter{Country: &code, Limit: pageSize}); err != nil {
		return err
	}
	{
		sums, err := s.store.SumMoney(ctx, tcmis.MoneyQuery{Measure: tcmis.MeasureExpenditure, By: []tcmis.Dimension{tcmis.ByPlace, tcmis.ByYear}})
		if err != nil {
			return err
		}
		for _, x := range sums {
			if x.Keys[0] == code {
				d.Expenditure = append(d.Expenditure, yearSum{Year: atoi(x.Keys[1]), Amount: x.Amount})
				d.Spent += x.Amount
			}
		}
		sort.Slice(d.Expenditure, func(i, j int) bool { return d.Expenditure[i].Year < d.Expenditure[j].Year })
	}
	training, _, err := s.store.FindTraining(ctx, tcmis.TrainingFilter{Country: &code})
	if err != nil {
		return err
	}
	byYear := map[int]*trainingYear{}
	for _, t := range training {
		y := byYear[t.Year]
		if y == nil {
			y = &trainingYear{Year: t.Year}
			byYear[t.Year] = y
		}
		y.Activities++
		y.Participants += t.Participants.Total()
		y.Women += t.Participants.Women
	}
	for _, y := range byYear {
		d.Training = append(d.Training, *y)
	}
	sort.Slice(d.Training, func(i, j int) bool { return d.Training[i].Year < d.Training[j].Year })
	sort.SliceStable(training, func(i, j int) bool { return training[i].Year > training[j].Year })
	d.ActivitiesTotal = len(training)
	d.Activities = training[:min(len(training), countryActivities)]
	s.render(w, r, http.StatusOK, "country", s.newPage(w, r, u, d.Name, "countries", d))
	return nil
}
