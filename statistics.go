package tcmis

import (
	"context"
	"math/big"
	"sort"
)

// The programme's statistics: the sums of money behind its reports, grouped
// by the headings the governing body reads them under. The store keeps
// these sums current as money and projects are written, so that a report
// costs the same on a thousand projects as on a million.
//
// Two headings split a project's money in proportion rather than putting
// it under one heading: the strategic objective (and outcome) of its
// objective shares, and the place (country or IATI region) of its country
// and region shares. A split amount is computed exactly, as US cents
// times basis points, and rounded to the cent once, with Apportion, so
// that the parts of any total add up to it.

// Measure is the kind of money a statistic sums.
type Measure string

const (
	MeasureApprovals   Measure = "approvals"
	MeasureAllocations Measure = "allocations"
	MeasureExpenditure Measure = "expenditure"
)

// Dimension is a heading money is grouped by. The keys a MoneySum carries
// for each are strings: ids for offices, units and donors, codes for the
// others.
type Dimension string

const (
	ByYear  Dimension = "year"
	ByMonth Dimension = "month"
	// ByType is the type of assistance of expenditure.
	ByType   Dimension = "type"
	BySource Dimension = "source"
	// ByRegion is the project's reporting region (ReportingRegion).
	ByRegion Dimension = "region"
	// ByOffice is the id of the project's office, "0" for none.
	ByOffice Dimension = "office"
	// ByUnit is the id of the project's lead unit.
	ByUnit Dimension = "unit"
	// ByDonor is the donor of an approval, and the lead donor (the first
	// listed) of a project's allocations and expenditure; "0" for none.
	ByDonor Dimension = "donor"
	// ByCategory is the category of that donor, "" for none.
	ByCategory Dimension = "category"
	// ByLocal is "true" for approvals a field office mobilised.
	ByLocal Dimension = "local"
	// ByObjective and ByOutcome split a project's money by its objective
	// shares; money of a project with none, or of no project, is under "".
	ByObjective Dimension = "objective"
	ByOutcome   Dimension = "outcome"
	// ByPlace splits a project's money by its country and region shares:
	// an ISO country code (letters, "GH"), an IATI region code (digits,
	// "289"), or "" for a project with neither.
	ByPlace Dimension = "place"
)

// Split reports whether the dimension divides a project's money in
// proportion to its shares.
func (d Dimension) Split() bool { return d == ByObjective || d == ByOutcome || d == ByPlace }

// The reporting region of a project: the region of its countries (or, for
// a regional project that names only IATI regions, of those) for national
// and regional projects, else the region of its office; interregional and
// global projects are under InterregionalRegion. Money not tied to a
// project has no region ("").
const InterregionalRegion = "interregional"

// StatsFilter selects the money a statistic sums. Empty lists and zero
// values do not filter.
type StatsFilter struct {
	// FromYear and ToYear bound the years, both included.
	FromYear, ToYear int
	// ToMonth keeps months up to this one (1-12) of every year: the year
	// to date. Only expenditure has months.
	ToMonth    int
	Sources    []Source
	Regions    []string
	OfficeIDs  []int64
	UnitIDs    []int64
	DonorIDs   []int64
	Categories []DonorCategory
	Objectives []Objective
	// Local, when set, keeps approvals mobilised locally (true) or not.
	Local *bool
}

// MoneyQuery asks for a measure grouped by dimensions.
type MoneyQuery struct {
	Measure Measure
	By      []Dimension
	Filter  StatsFilter
}

// MoneySum is one group of a statistic: its keys, in the order of the
// query's dimensions, the amount in US cents and how many records
// contributed to it (a record split between groups counts in each).
type MoneySum struct {
	Keys    []string `json:"keys"`
	Amount  int64    `json:"amount_usd"`
	Records int64    `json:"records"`
}

// ProjectYearQuery asks for the delivery of projects in a year.
type ProjectYearQuery struct {
	Year   int
	Filter StatsFilter
	// Month and Below, when Below is set, keep the projects whose
	// year-end forecast at the end of Month may be below the rate Below:
	// a few more than tcmis.Forecast and DeliveryRate would keep, never
	// fewer, so that the caller applies the rule itself. They come
	// lowest forecast first.
	Month int
	Below *Percent
	// Limit caps the projects returned (0: all).
	Limit int
}

// ProjectYear is a project's allocations and monthly expenditure in a
// year, in US cents, with the headings it counts under.
type ProjectYear struct {
	ProjectID int64     `json:"project_id"`
	Code      string    `json:"code"`
	Title     string    `json:"title"`
	Year      int       `json:"year"`
	Source    Source    `json:"source"`
	Region    string    `json:"region"`
	OfficeID  int64     `json:"office_id,omitempty"`
	UnitID    int64     `json:"unit_id"`
	DonorID   int64     `json:"donor_id,omitempty"`
	Allocated int64     `json:"allocated_usd"`
	Monthly   [12]int64 `json:"monthly_usd"`
}

// ProjectHeading is what a project counts under in reports: its source,
// reporting region, office, lead unit and lead donor (with its category).
type ProjectHeading struct {
	ProjectID int64         `json:"project_id"`
	Source    Source        `json:"source"`
	Region    string        `json:"region"`
	OfficeID  int64         `json:"office_id,omitempty"`
	UnitID    int64         `json:"unit_id"`
	DonorID   int64         `json:"donor_id,omitempty"`
	Category  DonorCategory `json:"category,omitempty"`
}

// CostIndex is the level of costs in a year, relative to any base (1.0 in
// the base year), by which amounts are expressed in real terms. The
// organisation deflates by the cost increases of its regular budget
// (facts ¶153).
type CostIndex struct {
	Year    int     `json:"year"`
	Value   Decimal `json:"value"`
	Note    string  `json:"note,omitempty"`
	Version int     `json:"version"`
}

// Validate checks a cost index before it is stored.
func (c *CostIndex) Validate() error {
	var ps problems
	checkYear(&ps, "year", c.Year)
	if c.Value <= 0 {
		ps.add("value", "a cost index is a positive number, such as 1.035 for costs 3.5 per cent above the base year")
	}
	return ps.err("cost index")
}

// TrainingYear sums the participants of a year's training activities by
// group. An activity is specific to employers (or workers) when all its
// participants are employers (or workers); the others are bipartite,
// tripartite or other activities.
type TrainingYear struct {
	Year           int   `json:"year"`
	Activities     int64 `json:"activities"`
	EmployersOwn   int64 `json:"employers_specific"`
	EmployersOther int64 `json:"employers_other"`
	WorkersOwn     int64 `json:"workers_specific"`
	WorkersOther   int64 `json:"workers_other"`
	Governments    int64 `json:"governments"`
	Others         int64 `json:"others"`
	Women          int64 `json:"women"`
	Total          int64 `json:"total"`
}

// StatisticsService answers the reports' questions with sums the store
// keeps current.
type StatisticsService interface {
	// SumMoney groups a measure by the query's dimensions, in the order
	// of their keys. Split dimensions are apportioned: within each group
	// of the other dimensions, the split amounts add up to the cent.
	SumMoney(ctx context.Context, q MoneyQuery) ([]MoneySum, error)
	// ProjectYears returns the delivery of each project with allocations
	// or expenditure in the year, by project id or, with Below, lowest
	// forecast first; and how many projects match before the limit.
	ProjectYears(ctx context.Context, q ProjectYearQuery) ([]ProjectYear, int, error)
	// ProjectHeadings returns the headings of the projects with the
	// given ids, by id.
	ProjectHeadings(ctx context.Context, ids []int64) (map[int64]ProjectHeading, error)
	// SumTraining sums training participants by year, between two years
	// (0: open).
	SumTraining(ctx context.Context, fromYear, toYear int) ([]TrainingYear, error)

	FindCostIndex(ctx context.Context) ([]*CostIndex, error)
	// SetCostIndex stores the index of a year, replacing the one set
	// before (with c.Version 0, whatever it was).
	SetCostIndex(ctx context.Context, c *CostIndex) error
	DeleteCostIndex(ctx context.Context, year int) error
}

// Apportion rounds exact parts to whole units so that they add up to a
// total, by the largest remainder method: each part is numerators[i]/den
// rounded down, and the units still missing from total go one each to the
// parts with the largest remainders, ties to the earlier part. total must
// be within len(numerators) units of the sum of the exact parts; the
// usual total is that sum, rounded. Negative parts (refunds) are rounded
// the same way on their absolute value.
func Apportion(total int64, numerators []int64, den int64) []int64 {
	out := make([]int64, len(numerators))
	if den <= 0 || len(numerators) == 0 {
		return out
	}
	type rem struct {
		i int
		r int64
	}
	rems := make([]rem, len(numerators))
	var sum int64
	for i, n := range numerators {
		q, r := n/den, n%den
		if r < 0 { // floor for negative numerators
			q--
			r += den
		}
		out[i] = q
		rems[i] = rem{i, r}
		sum += q
	}
	left := total - sum
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; left > 0 && k < len(rems); k++ {
		out[rems[k].i]++
		left--
	}
	for k := len(rems) - 1; left < 0 && k >= 0; k-- {
		out[rems[k].i]--
		left++
	}
	return out
}

// RoundDiv divides rounding half away from zero, the convention of the
// organisation's printed tables ("half up"), exactly for any int64
// operands.
func RoundDiv(num, den int64) int64 {
	if den == 0 {
		return 0
	}
	q, r := num/den, num%den
	if 2*uabs(r) >= uabs(den) {
		if (num < 0) != (den < 0) {
			q--
		} else {
			q++
		}
	}
	return q
}

func uabs(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// MulDivRound returns a*b/c rounded half away from zero, computed without
// overflow; false when c is zero or the result does not fit an int64.
func MulDivRound(a, b, c int64) (int64, bool) {
	if c == 0 {
		return 0, false
	}
	num := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	v, err := roundDiv(num, big.NewInt(c))
	return v, err == nil
}

// iatiRegions puts the IATI region codes under the organisation's
// regions. Central Asia belongs to Europe and Central Asia; the others
// follow their continent. "Developing countries, unspecified" (998) has
// no region.
var iatiRegions = map[string]Region{
	"88": Europe, "89": Europe, "619": Europe,
	"189": Africa, "289": Africa, "298": Africa, "1027": Africa, "1028": Africa, "1029": Africa, "1030": Africa,
	"380": Americas, "389": Americas, "489": Americas, "498": Americas, "1031": Americas, "1032": Americas,
	"589": ArabStates,
	"679": AsiaPacific, "689": AsiaPacific, "789": AsiaPacific, "798": AsiaPacific, "889": AsiaPacific,
	"1033": AsiaPacific, "1034": AsiaPacific, "1035": AsiaPacific,
}

// RegionOfCode returns the organisation's region of an IATI region code,
// and false for a code with none (998) or unknown.
func RegionOfCode(code string) (Region, bool) {
	r, ok := iatiRegions[code]
	return r, ok
}
