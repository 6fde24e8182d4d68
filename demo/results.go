package demo

import (
	"math/rand/v2"
	"time"

	"github.com/tcmis/tcmis"
)

// The bienniums of the results framework: strategic budgeting began with
// the Programme and Budget for 2000-01 (¶57).
var bienniums = []int{2000, 2002, 2004, 2006}

// An outcome of the results framework, the same in each biennium from
// its first, with its indicators.
type outcomeDef struct {
	code       string
	objective  tcmis.Objective
	title      string
	from       int
	indicators []indicatorDef
}

// An indicator with its targets for each biennium (2000-01 to 2006-07),
// in its unit, and what shows a result.
type indicatorDef struct {
	title, unit string
	targets     [4]int64
	evidence    string
}

var outcomeDefs = []outcomeDef{
	{"1a.1", tcmis.Standards, "Member States give effect to the principles and rights on freedom of association and collective bargaining", 2000, []indicatorDef{
		{"Member States that ratify Conventions Nos. 87 and 98 or apply them better with the Office's support", "member States", [4]int64{8, 12, 15, 18}, "Ratifications registered with the Director-General and reports under the Declaration follow-up"},
	}},
	{"1a.2", tcmis.Standards, "Member States act against forced labour and discrimination at work", 2000, []indicatorDef{
		{"Member States with policies or programmes against forced labour or trafficking for labour exploitation", "member States", [4]int64{3, 6, 10, 14}, "National action plans and laws adopted"},
		{"Member States that adopt measures against discrimination in employment and occupation", "member States", [4]int64{4, 7, 10, 12}, "Laws and policies adopted, reported under the Declaration follow-up"},
	}},
	{"1b.1", tcmis.Standards, "Member States ratify and apply the Conventions on child labour", 2000, []indicatorDef{
		{"Ratifications of Conventions Nos. 138 and 182", "ratifications", [4]int64{80, 70, 50, 30}, "Ratifications registered with the Director-General"},
		{"Member States with national child labour surveys", "member States", [4]int64{10, 20, 30, 40}, "SIMPOC survey reports"},
	}},
	{"1b.2", tcmis.Standards, "Member States implement time-bound programmes against the worst forms of child labour", 2000, []indicatorDef{
		{"Member States implementing a time-bound programme", "member States", [4]int64{3, 8, 19, 25}, "Time-bound programme documents adopted by governments"},
		{"Children withdrawn or prevented from child labour through IPEC action", "children", [4]int64{150_000, 250_000, 300_000, 300_000}, "IPEC technical progress reports and tracer studies"},
	}},
	{"1c.1", tcmis.Standards, "Member States improve the application of ratified Conventions", 2000, []indicatorDef{
		{"Cases of progress noted with satisfaction by the Committee of Experts", "cases", [4]int64{80, 85, 90, 95}, "Report of the Committee of Experts on the Application of Conventions and Recommendations"},
	}},
	{"2a.1", tcmis.Employment, "Member States place employment at the centre of economic, social and poverty reduction policies", 2000, []indicatorDef{
		{"Member States with employment objectives in their national development or poverty reduction strategies", "member States", [4]int64{8, 12, 16, 20}, "Poverty reduction strategy papers and national plans"},
	}},
	{"2a.2", tcmis.Employment, "Constituents respond to crises with employment-centred recovery", 2000, []indicatorDef{
		{"Crisis-affected member States where the Office supported employment-centred recovery", "member States", [4]int64{5, 8, 10, 12}, "Crisis response programme reports"},
	}},
	{"2b.1", tcmis.Employment, "Skills development policies and programmes improve employability", 2000, []indicatorDef{
		{"Member States that revise their training policies or systems with the Office's support", "member States", [4]int64{6, 9, 12, 15}, "National training policies adopted"},
		{"People trained in community-based training for rural economic empowerment", "persons", [4]int64{2_000, 5_000, 8_000, 10_000}, "Project monitoring and tracer surveys"},
	}},
	{"2b.2", tcmis.Employment, "Enterprises, cooperatives and local development create more and better jobs", 2000, []indicatorDef{
		{"Member States where partner institutions use Start and Improve Your Business", "member States", [4]int64{60, 75, 90, 95}, "SIYB global tracer study and partner institution reports"},
		{"Jobs created in employment-intensive investment programmes", "jobs", [4]int64{40_000, 60_000, 80_000, 100_000}, "Programme monitoring reports"},
	}},
	{"3a.1", tcmis.SocialProtection, "Member States extend social security coverage", 2000, []indicatorDef{
		{"Member States that take measures to extend social security coverage with the Office's support", "member States", [4]int64{6, 10, 14, 18}, "Laws, policies and actuarial reports"},
	}},
	{"3b.1", tcmis.SocialProtection, "Member States improve safety, health and conditions at work", 2000, []indicatorDef{
		{"Member States with national programmes or action plans on occupational safety and health", "member States", [4]int64{5, 10, 19, 25}, "National OSH programmes adopted"},
	}},
	{"3b.2", tcmis.SocialProtection, "Constituents act on HIV/AIDS in the world of work", 2002, []indicatorDef{
		{"Member States whose constituents apply the ILO code of practice on HIV/AIDS and the world of work", "member States", [4]int64{0, 10, 20, 30}, "Workplace policies and tripartite declarations"},
	}},
	{"3b.3", tcmis.SocialProtection, "Member States manage labour migration and protect migrant workers", 2002, []indicatorDef{
		{"Member States with labour migration policies developed with the Office's support", "member States", [4]int64{0, 5, 8, 10}, "Policies adopted and bilateral agreements signed"},
	}},
	{"4a.1", tcmis.SocialDialogue, "Employers' and workers' organizations are stronger and more representative", 2000, []indicatorDef{
		{"Employers' and workers' organizations offering new or better services to members", "organizations", [4]int64{20, 30, 40, 50}, "Reports of the Bureaux for Employers' and Workers' Activities"},
	}},
	{"4b.1", tcmis.SocialDialogue, "Social dialogue institutions and labour administrations are strengthened", 2000, []indicatorDef{
		{"Member States that create or strengthen tripartite institutions or reform labour law with the Office's support", "member States", [4]int64{10, 15, 20, 25}, "Laws and decrees establishing tripartite bodies"},
	}},
}

// framework holds the records of the results framework and which
// project, if any, achieved each result.
type framework struct {
	outcomes   []*tcmis.Outcome
	indicators []*tcmis.Indicator
	indOutcome []int // index in outcomes of each indicator
	targets    []*tcmis.Target
	tgtInd     []int // index in indicators of each target
	results    []*tcmis.Result
	resInd     []int
	resProject []*project
}

func buildFramework(r *rand.Rand, ps []*project) *framework {
	f := &framework{}
	for _, od := range outcomeDefs {
		for bi, b := range bienniums {
			if b < od.from {
				continue
			}
			bn := tcmis.BienniumOf(b)
			f.outcomes = append(f.outcomes, &tcmis.Outcome{Code: od.code, Biennium: bn, Objective: od.objective, Title: od.title})
			oi := len(f.outcomes) - 1
			for k, id := range od.indicators {
				baseline := int64(0)
				if bi > 0 {
					baseline = id.targets[bi-1] * int64(between(r, 85, 115)) / 100
				}
				f.indicators = append(f.indicators, &tcmis.Indicator{
					Code: od.code + "." + string(rune('1'+k)), Title: id.title, Unit: id.unit,
					Baseline: tcmis.Decimal(baseline * 1_000_000), BaselineYear: b - 1,
				})
				ii := len(f.indicators) - 1
				f.indOutcome = append(f.indOutcome, oi)
				f.targets = append(f.targets, &tcmis.Target{Biennium: bn, Value: tcmis.Decimal(id.targets[bi] * 1_000_000), Note: "Programme and Budget for " + string(bn)})
				f.tgtInd = append(f.tgtInd, ii)

				// Results: an interim report in the biennium's second year
				// and the implementation report after it; for 2006-07 only
				// what was reported by mid-2006.
				add := func(day time.Time, value int64, evidence string, p *project) {
					f.results = append(f.results, &tcmis.Result{Biennium: bn, Value: tcmis.Decimal(value * 1_000_000), Reported: day, Evidence: evidence})
					f.resInd = append(f.resInd, ii)
					f.resProject = append(f.resProject, p)
				}
				target := id.targets[bi]
				if b+2 <= today.Year() {
					add(date(b+1, 3, between(r, 1, 28)), target*int64(between(r, 35, 65))/100, "Mid-term review of the Programme and Budget for "+string(bn), nil)
					var p *project
					if chance(r, 60) {
						p = contributor(r, ps, od.code, b)
					}
					add(date(b+2, 3, between(r, 1, 28)), target*int64(between(r, 80, 125))/100, id.evidence+"; ILO programme implementation report "+string(bn), p)
				} else if chance(r, 50) {
					add(date(2006, between(r, 4, 6), between(r, 1, 28)), target*int64(between(r, 10, 30))/100, id.evidence, contributor(r, ps, od.code, b))
				}
			}
		}
	}
	return f
}

// contributor picks a project that serves an outcome in a biennium, or
// nil if none does.
func contributor(r *rand.Rand, ps []*project, code string, b int) *project {
	var cands []*project
	for _, p := range ps {
		if p.th().outcome == code && !p.pipeline() && p.start.Year() <= b+1 && p.end.Year() >= b && p.start.Before(today) {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[r.IntN(len(cands))]
}
