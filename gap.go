package tcmis

import (
	"context"
	"sort"
	"strings"
)

// The funding gap of the country programmes: for each country outcome,
// the resources it needs against those donors approved for the projects
// that serve it. Summed by country and by region, it is the basis for
// resource mobilisation.

// ServingProject is a project that serves country programme outcomes,
// with its net approvals.
type ServingProject struct {
	ProjectID int64  `json:"project_id"`
	Code      string `json:"code"`
	Status    Status `json:"status"`
	// Outcomes are the country outcome codes the project serves.
	Outcomes []string `json:"outcomes"`
	// Approved is the sum of the project's approvals in US cents,
	// reductions and cancellations included.
	Approved int64 `json:"approved_usd"`
}

// OutcomeGap is the funding of one country outcome.
type OutcomeGap struct {
	ProgrammeID int64  `json:"programme_id"`
	Country     string `json:"country"`
	Region      Region `json:"region,omitempty"`
	Programme   string `json:"programme"`
	Priority    int    `json:"priority"`
	Outcome     string `json:"outcome"`
	Title       string `json:"title"`
	// Planned, Approved and Gap are in US cents. Gap is what remains to
	// mobilise: Planned less Approved, and never below zero, since money
	// approved beyond one outcome's needs does not fund another.
	Planned  int64    `json:"planned_usd"`
	Approved int64    `json:"approved_usd"`
	Gap      int64    `json:"gap_usd"`
	Projects []string `json:"projects,omitempty"`
}

// FundingGaps computes the funding of every outcome of the programmes.
// A project's approvals count towards the outcomes it serves; a project
// serving several outcomes has its approvals split equally among those
// the programmes define, cent by cent, so that nothing is counted twice.
// Cancelled projects count only their net approvals, usually zero.
func FundingGaps(progs []*CountryProgramme, serving []ServingProject) []OutcomeGap {
	known := map[string]bool{}
	for _, c := range progs {
		for _, p := range c.Priorities {
			for _, o := range p.Outcomes {
				known[o.Code] = true
			}
		}
	}
	approved := map[string]int64{}
	projects := map[string][]string{}
	for _, s := range serving {
		var codes []string
		for _, o := range s.Outcomes {
			if known[o] {
				codes = append(codes, o)
			}
		}
		if len(codes) == 0 {
			continue
		}
		sort.Strings(codes)
		for i, share := range splitEqually(s.Approved, len(codes)) {
			approved[codes[i]] += share
			projects[codes[i]] = append(projects[codes[i]], s.Code)
		}
	}
	var out []OutcomeGap
	for _, c := range progs {
		region, _ := RegionOf(c.Country)
		for _, p := range c.Priorities {
			for _, o := range p.Outcomes {
				g := OutcomeGap{
					ProgrammeID: c.ID, Country: c.Country, Region: region, Programme: c.Title,
					Priority: p.Number, Outcome: o.Code, Title: o.Title,
					Planned: o.Planned, Approved: approved[o.Code], Projects: projects[o.Code],
				}
				sort.Strings(g.Projects)
				g.Gap = max(g.Planned-g.Approved, 0)
				out = append(out, g)
			}
		}
	}
	return out
}

// splitEqually splits an amount into n shares that differ by at most one
// cent and add up to it exactly; the first shares take the remainder.
func splitEqually(amount int64, n int) []int64 {
	out := make([]int64, n)
	q, r := amount/int64(n), amount%int64(n)
	for i := range out {
		out[i] = q
		if int64(i) < abs64(r) {
			if r < 0 {
				out[i]--
			} else {
				out[i]++
			}
		}
	}
	return out
}

// GapTotal sums the outcome gaps of a country or a region.
type GapTotal struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Outcomes int    `json:"outcomes"`
	Planned  int64  `json:"planned_usd"`
	Approved int64  `json:"approved_usd"`
	Gap      int64  `json:"gap_usd"`
}

// GapsByCountry sums the outcome gaps by country, in country code order.
func GapsByCountry(rows []OutcomeGap) []GapTotal {
	return sumGaps(rows, func(g OutcomeGap) (string, string) { return g.Country, CountryName(g.Country) })
}

// GapsByRegion sums the outcome gaps by region, in report order.
func GapsByRegion(rows []OutcomeGap) []GapTotal {
	totals := sumGaps(rows, func(g OutcomeGap) (string, string) { return string(g.Region), g.Region.Label() })
	order := map[string]int{}
	for i, r := range Regions() {
		order[string(r)] = i
	}
	sort.SliceStable(totals, func(i, j int) bool { return order[totals[i].Key] < order[totals[j].Key] })
	return totals
}

func sumGaps(rows []OutcomeGap, key func(OutcomeGap) (string, string)) []GapTotal {
	byKey := map[string]*GapTotal{}
	var out []*GapTotal
	for _, g := range rows {
		k, name := key(g)
		t := byKey[k]
		if t == nil {
			t = &GapTotal{Key: k, Name: name}
			byKey[k] = t
			out = append(out, t)
		}
		t.Outcomes++
		t.Planned += g.Planned
		t.Approved += g.Approved
		t.Gap += g.Gap
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.Compare(out[i].Key, out[j].Key) < 0 })
	res := make([]GapTotal, len(out))
	for i, t := range out {
		res[i] = *t
	}
	return res
}

// GapFilter selects the country programmes of a funding gap report.
type GapFilter struct {
	ProgrammeID *int64
	Country     *string
	Region      *Region
}

// GapService reports the funding gap of the country programmes.
type GapService interface {
	// FundingGaps returns the funding of each outcome of the selected
	// programmes, by country, programme, priority and outcome.
	FundingGaps(ctx context.Context, f GapFilter) ([]OutcomeGap, error)
}
