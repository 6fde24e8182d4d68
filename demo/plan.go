package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// today is the day the demo portfolio describes: the end of June 2006,
// when the Conference discussed the report.
var today = date(2006, 6, 30)

// The years with money: approvals, allocations and expenditure.
const (
	firstYear = 2000
	lastYear  = 2005
	nYears    = lastYear - firstYear + 1
)

// The usual spread of national and regional projects over the regions.
var defaultRegions = [5]int{25, 17, 3, 23, 6}

// An approval planned for a project.
type approval struct {
	day      time.Time
	amount   int64  // minor units of currency
	currency string // the approval's currency
	usd      int64  // US cents
}

// project is the plan of one project: enough to build its record and to
// regenerate its money and evaluations at any time, deterministically.
type project struct {
	replica, seq int
	theme        int
	source       tcmis.Source
	donors       []int
	lead, office int // indices in units; office -1 for none
	scope        tcmis.Scope
	group        int
	countries    []tcmis.CountryShare
	regions      []tcmis.RegionShare
	split        bool // serves a second objective
	outcomes     []string
	approved     time.Time // first approval, or proposal date
	start, end   time.Time
	// startMonth and endMonth are start and end as months (monthOf), set
	// once the dates are final.
	startMonth, endMonth int
	status               tcmis.Status
	currency             string
	approvals            []approval
	local                bool
	agreement            int   // index in the generator's agreements, or -1
	size                 int64 // planned size in US dollars
	year0                int   // first year it is approved (its code's year)
	code, title          string

	spend [nYears]int64 // expenditure, US cents
	rate  [nYears]int32 // delivery rate, basis points
	raw   [nYears]int64 // spending weight before normalisation
	types uint8         // bit i: spends on assistance type i
	mult  [6]int32      // per-mille multipliers of the type mix
	phase uint8
	corr  uint8 // bit y: a correction in year firstYear+y
	rows  int32 // expenditure rows
	// budget is the total budget in minor units of currency.
	budget int64

	id int64
}

func (p *project) donor() *donor { return &donors[p.donors[0]] }
func (p *project) th() *theme    { return &themes[p.theme] }
func (p *project) xb() bool      { return p.source == tcmis.XBTC }
func (p *project) pipeline() bool {
	return p.status == tcmis.Proposal || p.status == tcmis.Appraisal || p.status == tcmis.Cancelled
}

// activeMonths returns the project's first and last month within a year
// with money (2000-2005), and false if it spends nothing that year.
func (p *project) activeMonths(y int) (int, int, bool) {
	if p.pipeline() || p.status == tcmis.Approved {
		return 0, 0, false
	}
	lo := max(p.startMonth, (firstYear+y)*12)
	hi := min(p.endMonth, (firstYear+y)*12+11)
	return lo, hi, lo <= hi
}

func (p *project) approvedUSD() int64 {
	var s int64
	for _, a := range p.approvals {
		s += a.usd
	}
	return s
}

// replicaPlan is the state of planning one copy of the portfolio.
type replicaPlan struct {
	g        *generator
	r        *rand.Rand
	replica  int
	projects []*project
	byDonor  [][]*project
	// byTheme is the money each donor gave to each theme of its profile
	// (by index in the profile), and to the regular budget's profiles.
	byTheme map[int][]int64
}

func (g *generator) planReplica(replica int, annex []published) {
	rp := &replicaPlan{
		g:       g,
		r:       rand.New(rand.NewPCG(g.seed, 0x5eed0000+uint64(replica))),
		replica: replica,
		byDonor: make([][]*project, len(donors)),
		byTheme: map[int][]int64{},
	}
	r := rp.r

	// Projects approved before 2000 that are still running in 2000.
	for di := range donors {
		for k := 0; k < donors[di].pre2000; k++ {
			year := between(r, 1996, 1999)
			p := rp.newProject(di, dayIn(r, year, 1, 12), donors[di].size*int64(between(r, 50, 250))/100)
			// Long enough to be running in 2000.
			if m := monthOf(date(2000, 6, 30)) + between(r, 0, 30); monthOf(p.end) < m {
				p.end = lastDay(m)
			}
		}
	}

	// The published approvals of 2000-2004, in year order, then those of
	// 2005.
	order := make([]int, len(annex))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return annex[a].year - annex[b].year })
	for _, i := range order {
		a := annex[i]
		rp.fund(a.donor, a.year, a.amount, tcmis.USD)
	}
	for di := range donors {
		if d := &donors[di]; d.approved2005 > 0 {
			cur := d.cur2005
			if cur == "" {
				cur = tcmis.USD
			}
			rp.fund(di, 2005, d.approved2005, cur)
		}
	}

	rp.planRegularBudget()
	rp.planPipeline()
	rp.fillRegions()
	for _, p := range rp.projects {
		rp.finish(p)
	}
	rp.markLocal()
	rp.planSpending()
	g.projects = append(g.projects, rp.projects...)
}

// newProject creates a project of a donor approved on a day for about
// size US dollars, choosing its theme, geography and dates.
func (rp *replicaPlan) newProject(di int, approved time.Time, size int64) *project {
	r := rp.r
	d := &donors[di]
	p := &project{replica: rp.replica, source: tcmis.XBTC, donors: []int{di}, approved: approved, size: max(size, 1), agreement: -1, year0: approved.Year()}
	p.theme = rp.chooseTheme(di, d.profile, approved.Year(), p.size)
	rp.chooseGeography(p, d)
	delay := between(r, 1, 5)
	if approved.After(date(2005, 9, 1)) && chance(r, 15) {
		// Approved late in 2005, not started by mid-2006.
		delay = between(r, 10, 12)
	}
	start := monthOf(approved) + delay
	p.start = firstDay(start)
	p.end = lastDay(start + durationFor(r, p.size) - 1)
	if d.currency != "" && approved.Year() >= 2000 && chance(r, d.curShare) {
		p.currency = d.currency
	} else {
		p.currency = tcmis.USD
	}
	// Some multi-bilateral projects are co-funded by a second donor.
	if d.category == tcmis.MultiBilateral && chance(r, 8) {
		if co := between(r, 0, 14); co != di {
			p.donors = append(p.donors, co)
		}
	}
	rp.add(p)
	return p
}

func (rp *replicaPlan) add(p *project) {
	rp.projects = append(rp.projects, p)
	rp.byDonor[p.donors[0]] = append(rp.byDonor[p.donors[0]], p)
}

// durationFor draws a project's length in months from its size: the
// small ones last about a year, the large ones four or five.
func durationFor(r *rand.Rand, size int64) int {
	switch {
	case size < 250_000:
		return between(r, 9, 20)
	case size < 1_000_000:
		return between(r, 15, 34)
	case size < 4_000_000:
		return between(r, 24, 48)
	default:
		return between(r, 36, 60)
	}
}

// chooseTheme picks the theme of a donor's new project of a given size.
// It keeps each donor's money close to its profile, favouring the theme
// furthest behind its share, with enough chance left for variety: at
// scale 1 pure chance would let a few large projects tilt the
// programme's shares by objective.
func (rp *replicaPlan) chooseTheme(di int, profile string, year int, size int64) int {
	r := rp.r
	ws := profiles[profile]
	if rp.byTheme[di] == nil {
		rp.byTheme[di] = make([]int64, len(ws))
	}
	got := rp.byTheme[di]
	var total, sum int64
	for i, w := range ws {
		total += got[i]
		sum += int64(w.weight)
	}
	best, bestScore := -1, int64(0)
	for i, w := range ws {
		if themes[themeIndex(w.key)].from > year {
			continue
		}
		deficit := int64(w.weight)*(total+size)/sum - got[i]
		score := deficit + size*int64(r.IntN(50))/100
		if best < 0 || score > bestScore {
			best, bestScore = i, score
		}
	}
	got[best] += size
	return themeIndex(ws[best].key)
}

// fund records a donor's approvals of a year: new projects of about the
// donor's usual size, and additions to its running projects. The number
// of new projects depends only on the amount and on whether the donor
// already has projects, so that every copy of the portfolio has as many.
func (rp *replicaPlan) fund(di, year int, amount int64, currency string) {
	r := rp.r
	d := &donors[di]
	// Amounts are split in whole dollars (or euros): unit converts them to
	// minor units.
	unit := int64(1)
	for range tcmis.MinorDigits(currency) {
		unit *= 10
	}
	rateYear := tcmis.ExchangeRate{}
	usdAmount := amount
	if currency != tcmis.USD {
		rateYear, _ = rateFor(currency, year)
		usd, _ := rateYear.ToUSD(tcmis.Money{Amount: amount * unit, Currency: currency})
		usdAmount = usd / 100
	}
	nNew := int((usdAmount + d.size/2) / d.size)
	prior := rp.byDonor[di]
	if nNew == 0 && len(prior) == 0 {
		nNew = 1
	}
	nNew = min(nNew, 40)
	topPct := int64(0)
	if len(prior) > 0 {
		topPct = 15
		if nNew == 0 {
			topPct = 100
		}
	}

	// Additions go to projects still running at the start of the year,
	// or to the latest one, extended.
	var recipients []*project
	if topPct > 0 {
		var running []*project
		for _, p := range prior {
			if p.end.Year() >= year {
				running = append(running, p)
			}
		}
		if len(running) == 0 {
			running = prior[len(prior)-1:]
		}
		k := min(len(running), 1+r.IntN(3))
		for _, i := range r.Perm(len(running))[:k] {
			recipients = append(recipients, running[i])
		}
	}

	top := amount * topPct / 100
	weights := make([]int64, 0, max(nNew, len(recipients)))
	for range recipients {
		weights = append(weights, int64(between(r, 30, 200)))
	}
	parts := split(nil, top, weights)
	for i, p := range recipients {
		if parts[i] == 0 {
			continue
		}
		day := dayIn(r, year, 1, 12)
		if day.Before(p.approved) {
			day = p.approved
		}
		rp.approve(p, day, parts[i]*unit, currency, rateYear)
		// A project that receives more money is extended.
		if m := monthOf(day) + 9; monthOf(p.end) < m {
			p.end = lastDay(monthOf(day) + between(r, 12, 24))
		}
	}

	weights = weights[:0]
	for range nNew {
		weights = append(weights, int64(between(r, 30, 200)))
	}
	parts = split(parts[:0], amount-top, weights)
	for _, part := range parts {
		if part == 0 {
			continue
		}
		day := dayIn(r, year, 1, 12)
		size := part
		if currency != tcmis.USD {
			usd, _ := rateYear.ToUSD(tcmis.Money{Amount: part * unit, Currency: currency})
			size = usd / 100
		}
		p := rp.newProject(di, day, size)
		if currency != tcmis.USD {
			p.currency = currency
		}
		rp.approve(p, day, part*unit, currency, rateYear)
	}
}

func (rp *replicaPlan) approve(p *project, day time.Time, amount int64, currency string, rate tcmis.ExchangeRate) {
	a := approval{day: day, amount: amount, currency: currency, usd: amount}
	if currency != tcmis.USD {
		a.usd, _ = rate.ToUSD(tcmis.Money{Amount: amount, Currency: currency})
	}
	p.approvals = append(p.approvals, a)
}

// planRegularBudget adds the projects paid from the regular budget: the
// field offices' RBTC projects, one biennium each, and a few regular
// budget programmes at headquarters.
func (rp *replicaPlan) planRegularBudget() {
	r := rp.r
	for b := firstYear; b <= lastYear; b += 2 {
		for range 15 {
			p := &project{replica: rp.replica, source: tcmis.RBTC, donors: []int{regularBudget}, agreement: -1, currency: tcmis.USD, year0: b}
			p.size = int64(between(r, 150, 900)) * 1000
			p.theme = rp.chooseTheme(-1, "rbtc", b, p.size)
			p.approved = dayIn(r, b-1, 11, 12)
			rp.chooseGeography(p, &donors[regularBudget])
			p.start = firstDay(monthOf(date(b, between(r, 1, 4), 1)))
			p.end = date(b+1, 12, 31)
			rp.add(p)
		}
	}
	for range 5 {
		b := between(r, 2000, 2003)
		p := &project{replica: rp.replica, source: tcmis.RegularBudget, donors: []int{regularBudget}, agreement: -1, currency: tcmis.USD, year0: b}
		p.size = int64(between(r, 800, 2500)) * 1000
		p.theme = rp.chooseTheme(-2, "rb", b, p.size)
		p.approved = dayIn(r, b-1, 10, 12)
		rp.chooseGeography(p, &donors[regularBudget])
		p.start = date(b, 1, 1)
		p.end = lastDay(monthOf(p.start) + between(r, 24, 48) - 1)
		rp.add(p)
	}
}

// planPipeline adds the proposals of 2006, still being designed or
// appraised, and two that were dropped.
func (rp *replicaPlan) planPipeline() {
	r := rp.r
	lead := []int{0, 0, 0, 1, 2, 3, 4, 6, 7, 11, 36, 49}
	for i := range 20 {
		di := lead[r.IntN(len(lead))]
		d := &donors[di]
		p := &project{replica: rp.replica, source: tcmis.XBTC, donors: []int{di}, agreement: -1, currency: tcmis.USD, year0: 2006}
		p.size = d.size * int64(between(r, 40, 200)) / 100
		p.theme = rp.chooseTheme(-3-di, d.profile, 2006, p.size)
		p.approved = dayIn(r, 2006, 1, 6)
		rp.chooseGeography(p, d)
		start := monthOf(date(2006, 7, 1)) + between(r, 0, 9)
		p.start = firstDay(start)
		p.end = lastDay(start + durationFor(r, p.size) - 1)
		switch {
		case i < 9:
			p.status = tcmis.Proposal
		case i < 18:
			p.status = tcmis.Appraisal
		default:
			p.status = tcmis.Cancelled
		}
		rp.add(p)
	}
}

// chooseGeography sets a project's scope, countries or regions, its
// region group and the office that manages it.
func (rp *replicaPlan) chooseGeography(p *project, d *donor) {
	r := rp.r
	th := p.th()
	scope := th.scope
	if len(th.titles) == 0 {
		scope[0], scope[1] = 0, 0
	}
	if len(th.global) == 0 {
		scope[2], scope[3] = 0, 0
	}
	switch {
	case d.countries != nil || th.countries != nil || d.category == tcmis.DirectTrustFund || d.category == tcmis.FinancialInstitution:
		if scope[0] > 0 {
			scope = [4]int{1, 0, 0, 0}
		}
	case d.category == tcmis.UnitedNations && scope[0] > 0:
		scope = [4]int{85, 15, 0, 0}
	}
	p.office = -1
	p.countries, p.regions = nil, nil
	switch pick(r, scope[:]) {
	case 0:
		p.scope = tcmis.National
		c := rp.chooseCountry(d, th, -1)
		rp.setNational(p, c)
	case 1:
		p.scope = tcmis.Regional
		g := pick(r, regionWeights(d))
		offices := officesIn(g)
		o := offices[r.IntN(len(offices))]
		p.group, p.office = g, o
		if chance(r, 20) {
			p.regions = []tcmis.RegionShare{{Code: regionalCode[g], Percent: tcmis.Whole}}
			p.office = unitIndex(units[o].parentOrSelf())
			break
		}
		cs := countriesOf(o)
		if len(cs) < 3 {
			// A small office's subregion reaches into its neighbours' in
			// the same subregion, or failing that the whole region.
			same := units[o].subregion
			for _, o2 := range offices {
				if o2 != o && units[o2].subregion == same {
					cs = append(cs, countriesOf(o2)...)
				}
			}
			if len(cs) < 2 {
				for _, o2 := range offices {
					if o2 != o {
						cs = append(cs, countriesOf(o2)...)
					}
				}
			}
		}
		n := min(len(cs), between(r, 2, 5))
		perm := r.Perm(len(cs))[:n]
		slices.Sort(perm)
		weights := make([]int64, n)
		for i := range weights {
			weights[i] = int64(between(r, 5, 20))
		}
		shares := split(nil, int64(tcmis.Whole), weights)
		for i, k := range perm {
			p.countries = append(p.countries, tcmis.CountryShare{Country: cs[k], Percent: tcmis.Percent(shares[i])})
		}
	case 2:
		p.scope = tcmis.Interregional
		p.group = gInterregional
		rp.interregional(p)
	default:
		p.scope = tcmis.Global
		p.group = gInterregional
		p.regions = []tcmis.RegionShare{{Code: "998", Percent: tcmis.Whole}}
	}
}

func (u *unit) parentOrSelf() string {
	if u.parent != "" {
		return u.parent
	}
	return u.code
}

func regionWeights(d *donor) []int {
	w := d.regions
	if w == [5]int{} {
		w = defaultRegions
	}
	return w[:]
}

// chooseCountry picks a country for a national project: among the
// donor's or the theme's countries if they have any, otherwise by region
// and by how much cooperation each country receives. group >= 0 forces
// the region.
func (rp *replicaPlan) chooseCountry(d *donor, th *theme, group int) string {
	r := rp.r
	if group < 0 {
		if list := th.countries; list != nil {
			return list[r.IntN(len(list))]
		}
		if list := d.countries; list != nil {
			return list[r.IntN(len(list))]
		}
		group = pick(r, regionWeights(d))
	}
	return places[pick(r, placeWeights[group])].iso2
}

// placeWeights weighs the places of each region group, the others zero.
var placeWeights = func() (w [nGroups - 1][]int) {
	for g := range w {
		w[g] = make([]int, len(places))
		for i := range places {
			if reg, _ := tcmis.RegionOf(places[i].iso2); groupOf(reg) == g {
				w[g][i] = places[i].weight
			}
		}
	}
	return w
}()

func (rp *replicaPlan) setNational(p *project, c string) {
	p.countries = []tcmis.CountryShare{{Country: c, Percent: tcmis.Whole}}
	reg, _ := tcmis.RegionOf(c)
	p.group = groupOf(reg)
	p.office = unitIndex(places[placeIndex(c)].office)
}

// interregional attributes an interregional project to countries of
// several regions, Africa receiving about a quarter of it (¶173), or, for
// some, to regions only.
func (rp *replicaPlan) interregional(p *project) {
	r := rp.r
	if chance(r, 30) {
		codes := []string{"289", "798", "489", "589", "619"}
		perm := r.Perm(len(codes))[:between(r, 2, 3)]
		slices.Sort(perm)
		weights := make([]int64, len(perm))
		for i := range weights {
			weights[i] = int64(between(r, 10, 40))
		}
		shares := split(nil, int64(tcmis.Whole), weights)
		for i, k := range perm {
			p.regions = append(p.regions, tcmis.RegionShare{Code: codes[k], Percent: tcmis.Percent(shares[i])})
		}
		return
	}
	var picked []string
	var weights []int64
	seen := map[string]bool{}
	add := func(group, n int, total int64) {
		ws := make([]int64, n)
		for i := range ws {
			ws[i] = int64(between(r, 5, 20))
		}
		for i, part := range split(nil, total, ws) {
			c := rp.chooseCountry(nil, nil, group)
			if seen[c] {
				// The share goes to the country already listed.
				for j := range picked {
					if picked[j] == c {
						weights[j] += part
					}
				}
				continue
			}
			seen[c] = true
			picked = append(picked, c)
			weights = append(weights, part)
			_ = i
		}
	}
	rest := int64(tcmis.Whole)
	if chance(r, 85) {
		africa := int64(between(r, 1800, 3800))
		add(gAfrica, between(r, 1, 3), africa)
		rest -= africa
	}
	others := []int{gAmericas, gArabStates, gAsia, gEurope}
	ow := []int{17, 3, 23, 6}
	first := others[pick(r, ow)]
	second := first
	for second == first {
		second = others[pick(r, ow)]
	}
	ws := []int64{int64(between(r, 40, 70)), 0}
	ws[1] = 100 - ws[0]
	sh := split(nil, rest, ws)
	add(first, between(r, 1, 3), sh[0])
	add(second, between(r, 1, 2), sh[1])
	for i, c := range picked {
		p.countries = append(p.countries, tcmis.CountryShare{Country: c, Percent: tcmis.Percent(weights[i])})
	}
}

// officesIn lists the offices of a region group that cover countries.
func officesIn(group int) []int {
	var out []int
	for i := range units {
		u := &units[i]
		if u.kind != tcmis.Department && groupOf(u.region) == group && len(countriesOf(i)) > 0 {
			out = append(out, i)
		}
	}
	return out
}

func countriesOf(office int) []string {
	var out []string
	for i := range places {
		if places[i].office == units[office].code && places[i].weight > 0 {
			out = append(out, places[i].iso2)
		}
	}
	return out
}

// fillRegions makes sure that every region spends in every year, as the
// report's tables do, by moving a national project where a region would
// otherwise have none.
func (rp *replicaPlan) fillRegions() {
	for y := range nYears {
		for g := range nGroups - 1 {
			var count [nGroups]int
			for _, p := range rp.projects {
				if p.xb() && p.spendsIn(y) {
					count[p.group]++
				}
			}
			if count[g] > 0 {
				continue
			}
			from := 0
			for h := range nGroups - 1 {
				if count[h] > count[from] {
					from = h
				}
			}
			for _, p := range rp.projects {
				if p.xb() && p.spendsIn(y) && p.group == from && p.scope == tcmis.National && p.th().countries == nil && p.donor().countries == nil {
					rp.setNational(p, rp.chooseCountry(p.donor(), p.th(), g))
					break
				}
			}
		}
	}
}

// spendsIn reports whether the project runs in year y, judged on its
// dates alone (before its status is known).
func (p *project) spendsIn(y int) bool {
	if p.status != "" {
		return false
	}
	return p.start.Year() <= firstYear+y && p.end.Year() >= firstYear+y && p.start.Before(today)
}

// finish sets what depends on the project's final dates and geography:
// its status, lead unit, code and title.
func (rp *replicaPlan) finish(p *project) {
	r := rp.r
	th := p.th()
	p.startMonth, p.endMonth = monthOf(p.start), monthOf(p.end)
	if p.status == "" {
		switch {
		case p.start.After(today):
			p.status = tcmis.Approved
		case !p.end.Before(today):
			p.status = tcmis.Ongoing
		case p.end.After(date(2005, 6, 30)):
			p.status = tcmis.OperationallyClosed
			if chance(r, 30) {
				p.status = tcmis.FinanciallyClosed
			}
		default:
			p.status = tcmis.FinanciallyClosed
			if chance(r, 5) {
				p.status = tcmis.OperationallyClosed
			}
		}
	}
	p.lead = p.office
	if th.unit != "" {
		p.lead = unitIndex(th.unit)
	} else if p.lead < 0 {
		p.lead = unitIndex("PARDEV")
	}
	p.split = th.splitPct > 0 && chance(r, th.splitPct)
	p.code = rp.g.nextCode(p)
	p.title = rp.titleOf(p)
}

func (rp *replicaPlan) titleOf(p *project) string {
	r := rp.r
	th := p.th()
	var place string
	switch {
	case p.scope == tcmis.National:
		place = places[placeIndex(p.countries[0].Country)].name
	case p.scope == tcmis.Regional && len(p.countries) > 0:
		// The subregion if all the countries are in it, else the region.
		place = units[p.office].subregion
		for _, c := range p.countries {
			if units[unitIndex(places[placeIndex(c.Country)].office)].subregion != place {
				place = groupName[p.group]
				break
			}
		}
	case p.scope == tcmis.Regional:
		place = groupName[p.group]
	default:
		if len(th.global) > 0 {
			return th.global[r.IntN(len(th.global))]
		}
		place = "selected countries"
	}
	t := th.titles[r.IntN(len(th.titles))]
	return strings.Replace(t, "{place}", place, 1)
}

// nextCode numbers projects as the organisation does: area, year of
// approval, serial number, source of funds (INT/03/51/USA, GHA/02/01/NET).
func (g *generator) nextCode(p *project) string {
	var area string
	switch p.scope {
	case tcmis.National:
		area = places[placeIndex(p.countries[0].Country)].iso3
	case tcmis.Regional:
		area = regionalArea[p.group]
	case tcmis.Interregional:
		area = "INT"
	default:
		area = "GLO"
	}
	yy := strconv.Itoa(100 + p.year0%100)[1:]
	key := area + "/" + yy
	g.serials[key]++
	n := g.serials[key]
	serial := strconv.Itoa(n)
	if n < 10 {
		serial = "0" + serial
	}
	suffix := p.donor().suffix
	switch {
	case p.source == tcmis.RegularBudget:
		suffix = "RBS"
	case suffix == "":
		// A direct trust fund is paid by the country that benefits.
		suffix = area
	}
	return key + "/" + serial + "/" + suffix
}

// Local resource mobilisation in 2002-2004 by donor category, per mille of
// the category's approvals (Annex 1 A), and the tilt towards employment
// projects that Annex 1 B shows.
var localShare = map[tcmis.DonorCategory]int64{
	tcmis.MultiBilateral: 122, tcmis.DirectTrustFund: 858, tcmis.NonState: 252,
	tcmis.FinancialInstitution: 972, tcmis.UnitedNations: 677, tcmis.EuropeanUnion: 252,
	tcmis.OtherIntergovernment: 500,
}

// localWeight is how readily projects of each objective are funded
// locally, tuned so that each objective's local share comes close to
// Annex 1 B's.
var localWeight = map[tcmis.Objective]int{
	tcmis.Employment: 35, tcmis.SocialDialogue: 15, tcmis.Standards: 20, tcmis.SocialProtection: 8,
	tcmis.Integration: 3, tcmis.OtherObjective: 4,
}

// markLocal decides which projects' funds a field office mobilised. For
// each donor category it walks the projects with a field office in a
// random order that favours the objectives most often funded locally, and
// marks them local until the category's local share of 2002-2004
// approvals is reached (Annex 1 A). Projects funded only before 2002 or
// from 2005 follow with the same shares, a little higher for the
// multi-bilateral donors, whose local funding grew after 2003 (¶102).
func (rp *replicaPlan) markLocal() {
	r := rp.r
	cats := tcmis.DonorCategories()
	for pass := range 2 {
		for _, c := range cats {
			share, ok := localShare[c]
			if !ok {
				continue
			}
			if pass == 1 && c == tcmis.MultiBilateral {
				share = 200
			}
			type cand struct {
				p   *project
				amt int64
			}
			var cands []cand
			var total int64
			for _, p := range rp.projects {
				if !p.xb() || p.donor().category != c {
					continue
				}
				var amt int64
				for _, a := range p.approvals {
					in := a.day.Year() >= 2002 && a.day.Year() <= 2004
					if in == (pass == 0) {
						amt += a.usd
					}
				}
				if pass == 1 && p.anyApprovalIn(2002, 2004) {
					continue
				}
				if amt == 0 {
					continue
				}
				total += amt
				if p.office >= 0 {
					cands = append(cands, cand{p, amt})
				}
			}
			// A weighted random order, then first the projects that fit
			// under the target and then any that bring the total closer
			// to it; with few candidates the best of a few orders.
			target := total * share / 1000
			var best []int
			bestGap := int64(-1)
			weights := make([]int, len(cands))
			chosen := make([]bool, len(cands))
			for range 8 {
				for i, c := range cands {
					weights[i] = localWeight[c.p.th().objective]
					chosen[i] = false
				}
				order := make([]int, 0, len(cands))
				for range cands {
					i := pick(r, weights)
					weights[i] = 0
					order = append(order, i)
				}
				var got int64
				for _, i := range order {
					if got+cands[i].amt <= target {
						chosen[i] = true
						got += cands[i].amt
					}
				}
				for _, i := range order {
					if !chosen[i] && got+cands[i].amt/2 < target {
						chosen[i] = true
						got += cands[i].amt
					}
				}
				if gap := max(got-target, target-got); bestGap < 0 || gap < bestGap {
					bestGap = gap
					best = best[:0]
					for i := range cands {
						if chosen[i] {
							best = append(best, i)
						}
					}
				}
				if bestGap*100 <= target {
					break // within 1 per cent
				}
			}
			for _, i := range best {
				cands[i].p.local = true
			}
		}
	}
}

func (p *project) anyApprovalIn(from, to int) bool {
	for _, a := range p.approvals {
		if y := a.day.Year(); y >= from && y <= to {
			return true
		}
	}
	return false
}
