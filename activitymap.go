package tcmis

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// How an IATI activity becomes a project, and a project an activity. The
// activity keeps the file's values as they are; the project gets values
// that satisfy the programme's rules (shares that add up to 100, an end
// after the start), and each approximation made on the way is returned as
// a note for the import's warnings.

// ToProject returns the project an activity describes: its code and IATI
// identifier, title and description (English, else the default
// language), status, dates, scope, currency, countries, DAC regions and
// DAC sectors with percentages, and the gender marker (policy marker 1).
// The project's source is "other"; its lead unit is left for the caller.
// The notes say where the project differs from what the file says.
func (a *Activity) ToProject() (*Project, []string, error) {
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	p := &Project{
		Code:   a.Identifier,
		IATIID: a.Identifier,
		Source: OtherSource,
		Gender: NotScreened,
	}
	p.Title = a.Title.In("en", a.Lang)
	for _, d := range a.Descriptions {
		if d.Type == "" || d.Type == "1" {
			p.Description = d.Text.In("en", a.Lang)
			break
		}
	}
	if p.Description == "" && len(a.Descriptions) > 0 {
		p.Description = a.Descriptions[0].Text.In("en", a.Lang)
	}
	if p.Title == "" {
		p.Title = a.Identifier
		note("the activity has no title: the project is titled by its identifier")
	}

	switch a.Status {
	case "1":
		p.Status = Proposal
	case "2":
		p.Status = Ongoing
	case "3":
		p.Status = OperationallyClosed
	case "4":
		p.Status = FinanciallyClosed
	case "5":
		p.Status = Cancelled
	case "6":
		p.Status = Ongoing
		note("activity status 6 (suspended) has no project status of its own: the project is ongoing")
	case "":
		p.Status = Ongoing
		note("the activity has no status: the project is taken as ongoing")
	default:
		p.Status = Ongoing
		note("activity status %q is not an IATI status: the project is taken as ongoing", a.Status)
	}

	p.Currency = a.Currency
	if p.Currency == "" {
		for _, t := range a.Transactions {
			if t.Value.Currency != "" {
				p.Currency = t.Value.Currency
				break
			}
		}
	}
	if p.Currency == "" || !LookupCodelist(ListCurrency).Has(p.Currency) {
		if p.Currency == "" {
			note("the activity has no default currency: the project's currency is USD")
		} else {
			note("currency %q is not an ISO 4217 code: the project's currency is USD", p.Currency)
		}
		p.Currency = USD
	}

	if err := a.projectDates(p, note); err != nil {
		return nil, notes, err
	}
	a.projectGeography(p, note)
	a.projectSectors(p, note)
	for _, m := range a.PolicyMarkers {
		if strings.TrimLeft(m.Code, "0") != "1" || (m.Vocabulary != "" && m.Vocabulary != "1") {
			continue
		}
		switch m.Significance {
		case "0":
			p.Gender = NotTargeted
		case "1":
			p.Gender = Significant
		case "2", "3", "4":
			p.Gender = Principal
		default:
			note("gender equality policy marker with significance %q: the project's gender marker is not screened", m.Significance)
		}
		break
	}
	return p, notes, nil
}

func (a *Activity) projectDates(p *Project, note func(string, ...any)) error {
	p.Start = a.Date(DateActualStart)
	if p.Start.IsZero() {
		p.Start = a.Date(DatePlannedStart)
	}
	p.End = a.Date(DateActualEnd)
	if p.End.IsZero() {
		p.End = a.Date(DatePlannedEnd)
	}
	if p.Start.IsZero() || p.End.IsZero() {
		// The activity's money tells when it ran.
		var first, last time.Time
		see := func(ts ...time.Time) {
			for _, t := range ts {
				if t.IsZero() {
					continue
				}
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if last.IsZero() || t.After(last) {
					last = t
				}
			}
		}
		for _, b := range a.Budgets {
			see(b.Start, b.End)
		}
		for _, d := range a.PlannedDisbursements {
			see(d.Start, d.End)
		}
		for _, t := range a.Transactions {
			see(t.Date)
		}
		for _, d := range a.Dates {
			see(d.Date)
		}
		if p.Start.IsZero() && !first.IsZero() {
			p.Start = first
			note("the activity has no start date: the project starts on %s, its earliest budget, transaction or date", first.Format(DateLayout))
		}
		if p.End.IsZero() && !last.IsZero() && last.After(p.Start) {
			p.End = last
			note("the activity has no end date: the project ends on %s, its latest budget, transaction or date", last.Format(DateLayout))
		}
		if p.Start.IsZero() {
			if t, err := time.Parse(time.RFC3339, a.LastUpdated); err == nil {
				p.Start = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				note("the activity has no dates, budgets or transactions: the project starts on the day it was last updated")
			} else {
				return Errorf(EINVALID, "activity %s has no dates, budgets or transactions: a project needs at least a start date", a.Identifier)
			}
		}
	}
	switch {
	case p.End.IsZero():
		p.End = p.Start.AddDate(0, 0, 1)
		note("the activity has no end date: the project ends the day after it starts")
	case p.End.Equal(p.Start):
		p.End = p.Start.AddDate(0, 0, 1)
		note("the activity starts and ends on %s: the project ends the day after", p.Start.Format(DateLayout))
	case p.End.Before(p.Start):
		note("the activity ends (%s) before it starts (%s): the project takes the dates the other way round", p.End.Format(DateLayout), p.Start.Format(DateLayout))
		p.Start, p.End = p.End, p.Start
	}
	return nil
}

func (a *Activity) projectGeography(p *Project, note func(string, ...any)) {
	type part struct {
		country, region string
		pct             string
	}
	var parts []part
	seen := map[string]bool{}
	for _, c := range a.Countries {
		code := strings.ToUpper(strings.TrimSpace(c.Code))
		switch {
		case !LookupCodelist(ListCountry).Has(code):
			note("recipient country %q is not an ISO 3166 country code: the project leaves it out", c.Code)
		case seen[code]:
			note("recipient country %s is listed twice: the project counts it once", code)
		default:
			seen[code] = true
			parts = append(parts, part{country: code, pct: c.Percentage})
		}
	}
	for _, r := range a.Regions {
		if r.Vocabulary != "" && r.Vocabulary != "1" {
			continue // another classification than the OECD DAC regions
		}
		code := strings.TrimSpace(r.Code)
		switch {
		case !LookupCodelist(ListRegion).Has(code):
			note("recipient region %q is not an OECD DAC region code: the project leaves it out", r.Code)
		case seen["region:"+code]:
			note("recipient region %s is listed twice: the project counts it once", code)
		default:
			seen["region:"+code] = true
			parts = append(parts, part{region: code, pct: r.Percentage})
		}
	}
	raw := make([]string, len(parts))
	for i, pt := range parts {
		raw[i] = pt.pct
	}
	shares, keep := splitShares(raw, "recipient country and region", note)
	p.Countries, p.Regions = nil, nil
	regions := map[Region]bool{}
	for i, pt := range parts {
		if !keep[i] {
			continue
		}
		if pt.country != "" {
			p.Countries = append(p.Countries, CountryShare{Country: pt.country, Percent: shares[i]})
			if r, ok := RegionOf(pt.country); ok {
				regions[r] = true
			}
		} else {
			p.Regions = append(p.Regions, RegionShare{Code: pt.region, Percent: shares[i]})
		}
	}
	switch {
	case a.Scope == "1":
		p.Scope = Global
	case len(p.Countries) == 1 && len(p.Regions) == 0:
		p.Scope = National
	case len(p.Countries)+len(p.Regions) == 0:
		p.Scope = Global
		if a.Scope != "" {
			note("the activity names no recipient country or region the project can take: the project is global")
		}
	case len(regions) <= 1:
		p.Scope = Regional
	default:
		p.Scope = Interregional
	}
}

func (a *Activity) projectSectors(p *Project, note func(string, ...any)) {
	var codes, raw []string
	seen := map[string]bool{}
	for _, s := range a.Sectors {
		if s.Vocabulary != "" && s.Vocabulary != "1" {
			continue
		}
		code := strings.TrimSpace(s.Code)
		switch {
		case !LookupCodelist(ListSector).Has(code):
			note("sector %q is not an OECD DAC purpose code: the project leaves it out", s.Code)
		case seen[code]:
			note("sector %s is listed twice: the project counts it once", code)
		default:
			seen[code] = true
			codes = append(codes, code)
			raw = append(raw, s.Percentage)
		}
	}
	shares, keep := splitShares(raw, "sector", note)
	p.Sectors = nil
	for i, c := range codes {
		if keep[i] {
			p.Sectors = append(p.Sectors, SectorShare{Code: c, Percent: shares[i]})
		}
	}
}

// splitShares turns the percentages of a list as written into shares that
// add up to 100: missing ones mean an equal split, others are scaled to
// 100 when they add up to something else, and a share of 0 is left out.
// keep says which items have a share.
func splitShares(raw []string, what string, note func(string, ...any)) ([]Percent, []bool) {
	n := len(raw)
	shares := make([]Percent, n)
	keep := make([]bool, n)
	if n == 0 {
		return shares, keep
	}
	all, bad := true, false
	var sum Percent
	for i, r := range raw {
		if strings.TrimSpace(r) == "" {
			all = false
			continue
		}
		v, ok := ParseIATIPercent(r)
		if !ok || v < 0 {
			bad = true
			all = false
			continue
		}
		shares[i] = v
		sum += v
	}
	if !all || sum == 0 {
		if n > 1 || bad {
			note("the %s percentages are missing or not numbers: the project splits the %d of them equally", what, n)
		}
		for i := range shares {
			shares[i] = Whole / Percent(n)
			keep[i] = true
		}
		for i := 0; i < int(Whole%Percent(n)); i++ {
			shares[i]++
		}
		return shares, keep
	}
	zeros := 0
	for i := range shares {
		keep[i] = shares[i] > 0
		if !keep[i] {
			zeros++
		}
	}
	if zeros > 0 {
		note("%d %s percentages are 0: the project leaves those out", zeros, what)
	}
	if sum == Whole {
		return shares, keep
	}
	note("the %s percentages add up to %s: the project scales them to 100", what, sum)
	// Largest remainder: each share scaled down, the basis points left
	// over given to the largest remainders.
	type rem struct {
		i int
		r int64
	}
	var rems []rem
	var total Percent
	for i, s := range shares {
		if !keep[i] {
			continue
		}
		num := int64(s) * int64(Whole)
		shares[i] = Percent(num / int64(sum))
		total += shares[i]
		rems = append(rems, rem{i, num % int64(sum)})
	}
	sort.SliceStable(rems, func(x, y int) bool { return rems[x].r > rems[y].r })
	for k := 0; total < Whole; k++ {
		shares[rems[k%len(rems)].i]++
		total++
	}
	for i := range shares {
		if keep[i] && shares[i] == 0 {
			keep[i] = false
		}
	}
	// A share scaled to nothing went to the others.
	var kept Percent
	last := -1
	for i := range shares {
		if keep[i] {
			kept += shares[i]
			last = i
		}
	}
	if last >= 0 && kept != Whole {
		shares[last] += Whole - kept
	}
	return shares, keep
}

// ParseIATIPercent reads a percentage as IATI writes it (a decimal such as
// "33.333"), rounded half up to the hundredth.
func ParseIATIPercent(s string) (Percent, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if len(whole) > 6 || strings.HasPrefix(whole, "-") {
		return 0, false
	}
	w, err := strconv.Atoi(strings.TrimPrefix(whole, "+"))
	if err != nil {
		return 0, false
	}
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	for len(frac) < 3 {
		frac += "0"
	}
	f, _ := strconv.Atoi(frac[:3])
	v := Percent(w)*100 + Percent(f/10)
	if f%10 >= 5 {
		v++
	}
	return v, true
}

// TakeIATI copies onto p what an import decides about a project (see
// ToProject), keeping what only tcmis knows: code, source, units, donors,
// agreement, objectives, budget, tripartite participation, conventions.
// The currency changes only for a project without budget lines, which are
// in its currency.
//
// A status or scope that IATI cannot tell apart from the project's (an
// approved project and an ongoing one are both "implementation"; an
// interregional project with the same countries) stays as it is, so that
// importing the project's own export changes nothing.
func (p *Project) TakeIATI(from *Project) {
	sameGeography := reflect.DeepEqual(p.Countries, from.Countries) && reflect.DeepEqual(p.Regions, from.Regions)
	p.Title, p.Description = from.Title, from.Description
	p.Countries, p.Regions, p.Sectors = from.Countries, from.Regions, from.Sectors
	p.Start, p.End, p.Gender, p.IATIID = from.Start, from.End, from.Gender, from.IATIID
	if !sameGeography || !p.Scope.Valid() {
		p.Scope = from.Scope
	}
	if p.Status.IATIStatus() != from.Status.IATIStatus() {
		p.Status = from.Status
	}
	if len(p.Budget) == 0 {
		p.Currency = from.Currency
	}
}

// IATIStatus is the IATI activity status of a project status.
func (s Status) IATIStatus() string {
	switch s {
	case Proposal, Appraisal:
		return "1"
	case Approved, Ongoing:
		return "2"
	case OperationallyClosed:
		return "3"
	case FinanciallyClosed:
		return "4"
	case Cancelled:
		return "5"
	}
	return ""
}

// IATIScope is the IATI activity scope code of a project scope.
func (s Scope) IATIScope() string {
	switch s {
	case Global:
		return "1"
	case Regional:
		return "2"
	case Interregional:
		return "3"
	case National:
		return "4"
	}
	return ""
}

// ProjectMoney is what a project that was never imported publishes as
// transactions: its approvals (incoming commitments from the donor) and
// its expenditure (expenditure transactions at the end of each month).
type ProjectMoney struct {
	Approvals    []*Approval
	Expenditures []*Expenditure
	// Donors names the approvals' donors by ID.
	Donors map[int64]*Organisation
}

// NewActivity builds the IATI activity of a project that was never
// imported, reported by reporting. The identifier is the project's IATI
// identifier, else the reporting organisation's identifier and the
// project code. Actual dates are given only once they are past at now.
func NewActivity(p *Project, reporting Org, money ProjectMoney, now time.Time) *Activity {
	id := p.IATIID
	if id == "" {
		id = reporting.Ref + "-" + p.Code
	}
	a := &Activity{
		ProjectID:    p.ID,
		Identifier:   id,
		Lang:         "en",
		Currency:     p.Currency,
		ReportingOrg: reporting,
		Title:        Narratives{{Text: p.Title}},
		Status:       p.Status.IATIStatus(),
		Scope:        p.Scope.IATIScope(),
	}
	if updated := p.UpdatedAt; !updated.IsZero() {
		if updated.After(now) {
			updated = now
		}
		a.LastUpdated = updated.UTC().Format(time.RFC3339)
	}
	if p.Description != "" {
		a.Descriptions = []Description{{Type: "1", Text: Narratives{{Text: p.Description}}}}
	}
	seen := map[int64]bool{}
	donor := func(id int64) *Org {
		d := money.Donors[id]
		if d == nil {
			return nil
		}
		return &Org{Ref: d.Ref, Type: d.Type, Name: Narratives{{Text: d.Name}}}
	}
	for _, id := range p.DonorIDs {
		if o := donor(id); o != nil && !seen[id] {
			seen[id] = true
			o.Role = "1"
			a.Participants = append(a.Participants, *o)
		}
	}
	implementer := reporting
	implementer.Role, implementer.SecondaryReporter = "4", ""
	a.Participants = append(a.Participants, implementer)

	a.Dates = append(a.Dates, ActivityDate{Type: DatePlannedStart, Date: p.Start}, ActivityDate{Type: DatePlannedEnd, Date: p.End})
	started := p.Status != Proposal && p.Status != Appraisal && p.Status != Approved && p.Status != Cancelled
	if started && !p.Start.After(now) {
		a.Dates = append(a.Dates, ActivityDate{Type: DateActualStart, Date: p.Start})
	}
	if (p.Status == OperationallyClosed || p.Status == FinanciallyClosed) && !p.End.After(now) {
		a.Dates = append(a.Dates, ActivityDate{Type: DateActualEnd, Date: p.End})
	}
	for _, c := range p.Countries {
		a.Countries = append(a.Countries, CountryPart{Code: c.Country, Percentage: c.Percent.String()})
	}
	for _, r := range p.Regions {
		a.Regions = append(a.Regions, RegionPart{Code: r.Code, Vocabulary: "1", Percentage: r.Percent.String()})
	}
	for _, s := range p.Sectors {
		a.Sectors = append(a.Sectors, SectorPart{Code: s.Code, Vocabulary: "1", Percentage: s.Percent.String()})
	}
	if sig, ok := p.Gender.IATISignificance(); ok {
		a.PolicyMarkers = append(a.PolicyMarkers, PolicyMarker{Code: "1", Vocabulary: "1", Significance: strconv.Itoa(sig)})
	}
	for _, ap := range money.Approvals {
		t := Transaction{Type: TxIncomingCommitment, Date: ap.Date,
			Value:    Value{Amount: ap.Amount.Amount, Currency: ap.Amount.Currency, ValueDate: ap.Date},
			Provider: donor(ap.DonorID)}
		if ap.Reason != "" {
			t.Description = Narratives{{Text: ap.Reason}}
		}
		if t.Provider != nil && t.Provider.Ref == "" && len(t.Provider.Name) == 0 {
			t.Provider = nil
		}
		a.Transactions = append(a.Transactions, t)
	}
	for _, e := range money.Expenditures {
		day := e.Day()
		t := Transaction{Type: TxExpenditure, Date: day,
			Value:       Value{Amount: e.Amount.Amount, Currency: e.Amount.Currency, ValueDate: day},
			Description: Narratives{{Text: e.Type.Label()}}}
		if e.Reason != "" {
			t.Description = Narratives{{Text: e.Type.Label() + ": " + e.Reason}}
		}
		a.Transactions = append(a.Transactions, t)
	}
	sort.SliceStable(a.Transactions, func(i, j int) bool { return a.Transactions[i].Date.Before(a.Transactions[j].Date) })
	return a
}
