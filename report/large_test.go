package report_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb"
)

// The large benchmark database: a million projects ("activities") with
// ten million money rows on SQLite, built once by buildLarge into the
// file $TCMIS_BENCH_DB names (scripts/bench-reports.sh keeps it in a
// cache folder) and reused afterwards.
//
// The programme it holds is shaped like a real one, scaled up: 60 donors
// of every category, each funding a handful of themes in a few dozen
// countries; 30 themes, each led by a headquarters department under one
// or two strategic objectives; 45 field offices; projects national,
// regional, interregional and global, of one to four years between 2000
// and 2008. Each project has one approval, an allocation for each year it
// runs and monthly expenditures, about 10.5 money rows in all (a project
// without a donor has one more expenditure in place of the approval), and
// a final evaluation.
const (
	largeProjects = 1_000_000
	largeChunk    = 50_000 // projects per transaction
)

func largeStore(b *testing.B) *sqldb.DB {
	b.Helper()
	path := os.Getenv("TCMIS_BENCH_DB")
	if path == "" {
		b.Skip("set TCMIS_BENCH_DB to the large benchmark database (scripts/bench-reports.sh does)")
	}
	ctx := context.Background()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		start := time.Now()
		n := largeProjects
		if v, err := strconv.Atoi(os.Getenv("TCMIS_BENCH_PROJECTS")); err == nil && v > 0 {
			n = v // a smaller database, to try the benchmark out
		}
		if err := buildLarge(ctx, path+".tmp", n); err != nil {
			b.Fatal(err)
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if _, err := os.Stat(path + ".tmp" + suffix); err == nil {
				if err := os.Rename(path+".tmp"+suffix, path+suffix); err != nil {
					b.Fatal(err)
				}
			}
		}
		fmt.Fprintf(os.Stderr, "built %s in %s\n", path, time.Since(start).Round(time.Second))
	}
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2006, 6, 30, 12, 0, 0, 0, time.UTC) }
	return db
}

// BenchmarkReportsLarge times each report on the large database.
func BenchmarkReportsLarge(b *testing.B) {
	db := largeStore(b)
	ctx := context.Background()
	p := report.Params{From: 2000, To: 2004, Year: 2005, Month: 6, Biennium: "2004-05", Today: time.Date(2006, 6, 30, 0, 0, 0, 0, time.UTC)}
	for _, d := range report.All() {
		b.Run(d.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := report.Run(ctx, db, d.Name, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// large is the plan of the large programme.
type large struct {
	r       *rand.Rand
	donors  []largeDonor
	weights []int
	themes  []largeTheme
	offices []int64 // unit ids
	depts   []int64
	regions map[tcmis.Region][]string // countries with an office
	office  map[string]int64          // country -> office
	seq     int
}

type largeDonor struct {
	id        int64
	category  tcmis.DonorCategory
	themes    []int
	countries []string
}

type largeTheme struct {
	dept     int64
	primary  tcmis.ObjectiveShare
	second   *tcmis.ObjectiveShare
	types    []tcmis.Assistance
	training bool
}

var largeRegionCodes = map[tcmis.Region]string{tcmis.Africa: "289", tcmis.Americas: "489", tcmis.ArabStates: "589", tcmis.AsiaPacific: "798", tcmis.Europe: "619"}

// buildLarge writes the large programme into a new SQLite database.
func buildLarge(ctx context.Context, path string, projects int) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	ctx = tcmis.WithActor(ctx, tcmis.Actor{Name: "benchmark"})
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	g := &large{r: rand.New(rand.NewPCG(2006, 95)), regions: map[tcmis.Region][]string{}, office: map[string]int64{}}
	if err := db.Load(ctx, "benchmark reference", g.reference); err != nil {
		return err
	}
	for done := 0; done < projects; done += largeChunk {
		n := min(largeChunk, projects-done)
		if err := db.Load(ctx, "benchmark projects", func(l tcmis.Loader) error { return g.chunk(l, n) }); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "benchmark database: %d of %d projects\n", done+n, projects)
	}
	return nil
}

// reference creates the donors, units, results framework and training.
func (g *large) reference(l tcmis.Loader) error {
	r := g.r
	cats := []struct {
		c tcmis.DonorCategory
		n int
	}{{tcmis.MultiBilateral, 30}, {tcmis.UnitedNations, 12}, {tcmis.NonState, 8}, {tcmis.FinancialInstitution, 4}, {tcmis.DirectTrustFund, 3}, {tcmis.EuropeanUnion, 1}, {tcmis.OtherIntergovernment, 2}}
	var orgs []*tcmis.Organisation
	for _, c := range cats {
		for i := range c.n {
			o := &tcmis.Organisation{Name: fmt.Sprintf("%s donor %d", c.c.Label(), i+1), Category: c.c}
			if c.c == tcmis.NonState {
				o.NonState = "foundation"
			}
			orgs = append(orgs, o)
		}
	}
	if err := l.CreateOrganisations(orgs); err != nil {
		return err
	}
	var units []*tcmis.Unit
	for i := range 30 {
		units = append(units, &tcmis.Unit{Code: fmt.Sprintf("DEPT-%02d", i+1), Name: fmt.Sprintf("Department %d", i+1), Kind: tcmis.Department})
	}
	perRegion := map[tcmis.Region]int{tcmis.Africa: 12, tcmis.Americas: 9, tcmis.ArabStates: 4, tcmis.AsiaPacific: 12, tcmis.Europe: 8}
	type officeOf struct {
		unit      *tcmis.Unit
		countries []string
	}
	var offices []officeOf
	for _, reg := range tcmis.Regions() {
		var countries []string
		for _, c := range tcmis.CountriesOf(reg) {
			if tcmis.CountryName(c) != c {
				countries = append(countries, c)
			}
		}
		countries = countries[:min(len(countries), perRegion[reg]*3)]
		for k := range perRegion[reg] {
			var mine []string
			for j := k; j < len(countries); j += perRegion[reg] {
				mine = append(mine, countries[j])
			}
			u := &tcmis.Unit{Code: fmt.Sprintf("OFF-%s-%d", reg, k+1), Name: fmt.Sprintf("Office %s %d", reg.Label(), k+1), Kind: tcmis.FieldOffice, Region: reg}
			units = append(units, u)
			offices = append(offices, officeOf{u, mine})
		}
	}
	if err := l.CreateUnits(units); err != nil {
		return err
	}
	for _, u := range units[:30] {
		g.depts = append(g.depts, u.ID)
	}
	for _, o := range offices {
		g.offices = append(g.offices, o.unit.ID)
		for _, c := range o.countries {
			g.office[c] = o.unit.ID
			g.regions[o.unit.Region] = append(g.regions[o.unit.Region], c)
		}
	}
	// Themes under the objectives and the outcome codes of the framework.
	outcomes := map[tcmis.Objective][]string{
		tcmis.Standards: {"1a.1", "1a.2", "1b.1", "1b.2", "1c.1"}, tcmis.Employment: {"2a.1", "2a.2", "2b.1", "2b.2"},
		tcmis.SocialProtection: {"3a.1", "3b.1", "3b.2", "3b.3"}, tcmis.SocialDialogue: {"4a.1", "4b.1"},
	}
	objs := []tcmis.Objective{tcmis.Standards, tcmis.Standards, tcmis.Employment, tcmis.Employment, tcmis.SocialProtection, tcmis.SocialDialogue, tcmis.Integration, tcmis.OtherObjective}
	all := tcmis.AssistanceTypes()
	for i := range 30 {
		o := objs[i%len(objs)]
		share := func(o tcmis.Objective, pct tcmis.Percent) tcmis.ObjectiveShare {
			s := tcmis.ObjectiveShare{Objective: o, Percent: pct}
			if codes := outcomes[o]; len(codes) > 0 {
				s.Outcome = codes[r.IntN(len(codes))]
			}
			return s
		}
		th := largeTheme{dept: g.depts[i], primary: share(o, tcmis.Whole)}
		if r.IntN(10) < 3 {
			second := objs[r.IntN(6)]
			if second != o {
				pct := tcmis.Percent(1000 * (1 + r.IntN(4)))
				th.primary.Percent = tcmis.Whole - pct
				s := share(second, pct)
				th.second = &s
			}
		}
		perm := r.Perm(len(all))
		for _, k := range perm[:2+r.IntN(3)] {
			th.types = append(th.types, all[k])
			th.training = th.training || all[k] == tcmis.Training
		}
		g.themes = append(g.themes, th)
	}
	// Donors: a few themes and a few dozen countries each; the largest
	// give most (the United States gave 38 per cent, ¶156).
	var countries []string
	for _, reg := range tcmis.Regions() {
		countries = append(countries, g.regions[reg]...)
	}
	for i, o := range orgs {
		d := largeDonor{id: o.ID, category: o.Category}
		for _, k := range r.Perm(len(g.themes))[:4+r.IntN(5)] {
			d.themes = append(d.themes, k)
		}
		for _, k := range r.Perm(len(countries))[:6+r.IntN(25)] {
			d.countries = append(d.countries, countries[k])
		}
		g.donors = append(g.donors, d)
		w := 1 + 400/(i+1)
		if i == 0 {
			w = 1200
		}
		g.weights = append(g.weights, w)
	}
	// A small results framework for 2004-05, and training.
	var outs []*tcmis.Outcome
	for o, codes := range outcomes {
		for _, c := range codes {
			outs = append(outs, &tcmis.Outcome{Code: c, Biennium: "2004-05", Objective: o, Title: "Outcome " + c})
		}
	}
	if err := l.CreateOutcomes(outs); err != nil {
		return err
	}
	var inds []*tcmis.Indicator
	for _, o := range outs {
		inds = append(inds, &tcmis.Indicator{OutcomeID: o.ID, Code: o.Code + ".1", Title: "Member States that act on " + o.Code, Unit: "member States"})
	}
	if err := l.CreateIndicators(inds); err != nil {
		return err
	}
	var targets []*tcmis.Target
	var results []*tcmis.Result
	for _, in := range inds {
		targets = append(targets, &tcmis.Target{IndicatorID: in.ID, Biennium: "2004-05", Value: tcmis.Decimal(10+r.IntN(20)) * 1_000_000})
		results = append(results, &tcmis.Result{IndicatorID: in.ID, Biennium: "2004-05", Value: tcmis.Decimal(8+r.IntN(25)) * 1_000_000,
			Reported: time.Date(2006, 3, 1, 0, 0, 0, 0, time.UTC), Evidence: "Programme implementation report 2004-05"})
	}
	if err := l.CreateTargets(targets); err != nil {
		return err
	}
	if err := l.CreateResults(results); err != nil {
		return err
	}
	var training []*tcmis.TrainingActivity
	for y := 2000; y <= 2005; y++ {
		for k := range 350 {
			p := tcmis.Participants{Governments: 5 + r.IntN(20), Others: r.IntN(10)}
			switch k % 5 {
			case 0:
				p = tcmis.Participants{Employers: 10 + r.IntN(15)}
			case 1:
				p = tcmis.Participants{Workers: 10 + r.IntN(15)}
			case 2:
				p.Employers, p.Workers = r.IntN(6), r.IntN(6)
			}
			p.Women = p.Total() * (25 + r.IntN(25)) / 100
			training = append(training, &tcmis.TrainingActivity{Year: y, Kind: "course", Title: fmt.Sprintf("Course %d-%d", y, k), Country: "IT", Participants: p})
		}
	}
	return l.CreateTraining(training)
}

// chunk creates n projects with their money and evaluations.
func (g *large) chunk(l tcmis.Loader, n int) error {
	r := g.r
	ps := make([]*tcmis.Project, n)
	for i := range ps {
		ps[i] = g.project()
	}
	if err := l.CreateProjects(ps); err != nil {
		return err
	}
	var (
		approvals   []*tcmis.Approval
		allocations []*tcmis.Allocation
		spending    []*tcmis.Expenditure
		evaluations []*tcmis.Evaluation
	)
	today := time.Date(2006, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, p := range ps {
		budget := int64(20_000+r.IntN(480_000)) * 100
		var donor int64
		if len(p.DonorIDs) > 0 {
			donor = p.DonorIDs[0]
		}
		if len(p.DonorIDs) > 0 {
			approvals = append(approvals, &tcmis.Approval{DonorID: donor, ProjectID: p.ID, Date: p.Start, Amount: usd(budget), Local: p.OfficeID != 0 && r.IntN(5) == 0})
		}
		years := p.End.Year() - p.Start.Year() + 1
		for y := p.Start.Year(); y <= p.End.Year(); y++ {
			allocations = append(allocations, &tcmis.Allocation{ProjectID: p.ID, Year: y, Amount: usd(budget / int64(years))})
		}
		// Expenditure: about 7.5 months of the project's span, less its
		// allocations, so that the project has 10 money rows on average.
		months := (p.End.Year()-p.Start.Year())*12 + int(p.End.Month()) - int(p.Start.Month()) + 1
		k := max(1, 9-years+r.IntN(2))
		if len(p.DonorIDs) == 0 {
			k++ // in place of the approval
		}
		th := &g.themes[g.themeOf(p)]
		for j := range k {
			m := int(p.Start.Month()) - 1 + (j*months)/k
			spending = append(spending, &tcmis.Expenditure{ProjectID: p.ID, Year: p.Start.Year() + m/12, Month: m%12 + 1,
				Type: th.types[r.IntN(len(th.types))], Amount: usd(budget * int64(60+r.IntN(30)) / 100 / int64(k))})
		}
		e := &tcmis.Evaluation{Title: "Final evaluation: " + p.Title, Subject: tcmis.SubjectProject, ProjectID: p.ID, Type: tcmis.SelfEvaluation,
			Timing: tcmis.Final, Planned: p.End, Status: tcmis.EvaluationPlanned}
		if p.End.Before(today) && r.IntN(10) < 8 {
			e.Status, e.Actual = tcmis.EvaluationDone, p.End.AddDate(0, 1, 0)
		}
		evaluations = append(evaluations, e)
	}
	for _, step := range []error{l.CreateApprovals(approvals), l.CreateAllocations(allocations), l.CreateExpenditures(spending), l.CreateEvaluations(evaluations)} {
		if step != nil {
			return step
		}
	}
	return nil
}

func usd(cents int64) tcmis.Converted {
	return tcmis.Converted{Money: tcmis.Money{Amount: cents, Currency: tcmis.USD}, USD: cents}
}

// themeOf finds the theme of a project from its title.
func (g *large) themeOf(p *tcmis.Project) int {
	k, _ := strconv.Atoi(p.Description)
	return k
}

// project plans one project.
func (g *large) project() *tcmis.Project {
	r := g.r
	g.seq++
	d := &g.donors[pick(r, g.weights)]
	theme := d.themes[r.IntN(len(d.themes))]
	th := &g.themes[theme]
	start := time.Date(2000+r.IntN(8), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 12*(1+r.IntN(4)), -1)
	p := &tcmis.Project{
		Code: fmt.Sprintf("B/%07d", g.seq), Title: fmt.Sprintf("Project %d of theme %d", g.seq, theme+1), Description: strconv.Itoa(theme),
		Source: tcmis.XBTC, DonorIDs: []int64{d.id}, LeadUnitID: th.dept, Start: start, End: end, Currency: tcmis.USD,
		Objectives: []tcmis.ObjectiveShare{th.primary},
		Budget:     []tcmis.BudgetLine{{Type: th.types[0], Amount: 100_000_00}},
	}
	if th.second != nil {
		p.Objectives = append(p.Objectives, *th.second)
	}
	switch v := r.IntN(100); {
	case v < 8:
		p.Source, p.DonorIDs = tcmis.RBTC, nil
	case v < 11:
		p.Source, p.DonorIDs = tcmis.RegularBudget, nil
	case v < 12:
		p.Source = tcmis.OtherSource
	}
	c := d.countries[r.IntN(len(d.countries))]
	reg, _ := tcmis.RegionOf(c)
	switch v := r.IntN(100); {
	case v < 70:
		p.Scope, p.Countries, p.OfficeID = tcmis.National, []tcmis.CountryShare{{Country: c, Percent: tcmis.Whole}}, g.office[c]
		if r.IntN(10) < 3 {
			p.LeadUnitID = p.OfficeID
		}
	case v < 85:
		p.Scope, p.OfficeID = tcmis.Regional, g.office[c]
		in := g.regions[reg]
		if r.IntN(3) == 0 {
			p.Regions = []tcmis.RegionShare{{Code: largeRegionCodes[reg], Percent: tcmis.Whole}}
		} else {
			a, b := in[r.IntN(len(in))], in[r.IntN(len(in))]
			if a == b {
				p.Countries = []tcmis.CountryShare{{Country: a, Percent: tcmis.Whole}}
			} else {
				p.Countries = []tcmis.CountryShare{{Country: a, Percent: 6000}, {Country: b, Percent: 4000}}
			}
		}
	case v < 97:
		p.Scope = tcmis.Interregional
		other := d.countries[r.IntN(len(d.countries))]
		if other == c {
			p.Countries = []tcmis.CountryShare{{Country: c, Percent: 5000}}
			p.Regions = []tcmis.RegionShare{{Code: "998", Percent: 5000}}
		} else {
			p.Countries = []tcmis.CountryShare{{Country: c, Percent: 5500}, {Country: other, Percent: 4500}}
		}
	default:
		p.Scope, p.Regions = tcmis.Global, []tcmis.RegionShare{{Code: "998", Percent: tcmis.Whole}}
	}
	today := time.Date(2006, 6, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case start.After(today):
		p.Status = tcmis.Approved
	case end.After(today):
		p.Status = tcmis.Ongoing
	default:
		p.Status = tcmis.FinanciallyClosed
	}
	return p
}

func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}
