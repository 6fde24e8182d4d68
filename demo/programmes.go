package demo

import (
	"math/rand/v2"
	"strconv"

	"github.com/tcmis/tcmis"
)

// A priority a country programme may set, with the country outcomes it
// expects and the global outcomes each serves.
type priorityDef struct {
	title    string
	outcomes []outcomeLink
}

type outcomeLink struct {
	title  string
	global []string
}

var priorityDefs = map[string]priorityDef{
	"youth": {"Employment creation for young women and men", []outcomeLink{
		{"A national action plan on youth employment is adopted and implemented", []string{"2a.1"}},
		{"Skills and entrepreneurship programmes reach young women and men", []string{"2b.1", "2b.2"}},
	}},
	"childlabour": {"Elimination of the worst forms of child labour", []outcomeLink{
		{"A time-bound programme against the worst forms of child labour is implemented", []string{"1b.2"}},
		{"Child labour is monitored and the Conventions on child labour applied", []string{"1b.1"}},
	}},
	"socialprotection": {"Extending social protection", []outcomeLink{
		{"Social security covers more workers of the informal economy", []string{"3a.1"}},
		{"Workplaces adopt policies on HIV/AIDS following the ILO code of practice", []string{"3b.2"}},
	}},
	"dialogue": {"Strengthening social dialogue and labour administration", []outcomeLink{
		{"Tripartite institutions are strengthened and used", []string{"4b.1"}},
		{"Labour law is reformed with the social partners", []string{"4b.1", "1a.1"}},
		{"Employers' and workers' organizations offer better services to their members", []string{"4a.1"}},
	}},
	"prs": {"Decent work in the poverty reduction strategy", []outcomeLink{
		{"Employment and decent work are integrated in the poverty reduction strategy", []string{"2a.1"}},
		{"Local economic development creates jobs in pilot districts", []string{"2b.2"}},
	}},
	"rights": {"Fundamental principles and rights at work", []outcomeLink{
		{"Freedom of association and collective bargaining are applied", []string{"1a.1"}},
		{"Forced labour and discrimination at work are addressed", []string{"1a.2"}},
	}},
	"safework": {"Safe work and labour migration", []outcomeLink{
		{"A national programme on occupational safety and health is adopted", []string{"3b.1"}},
		{"Migrant workers are better protected", []string{"3b.3"}},
	}},
	"recovery": {"Crisis recovery and reconstruction", []outcomeLink{
		{"Crisis-affected people find work through employment-intensive recovery", []string{"2a.2", "2b.2"}},
	}},
	// The pilot programmes' own focus (¶70).
	"informal": {"Poverty reduction and the informal economy", []outcomeLink{
		{"Informal economy operators are organized and reach markets and services", []string{"2b.2", "4a.1"}},
		{"District assemblies apply local economic development in 40 more districts", []string{"2b.2"}},
	}},
	"textiles": {"Restructuring of the textiles and garment sector", []outcomeLink{
		{"Garment enterprises raise productivity and respect the Labour Code", []string{"4b.1", "1a.1"}},
		{"Workers affected by restructuring find new jobs", []string{"2b.1"}},
	}},
	"globalization": {"Responses to globalization", []outcomeLink{
		{"The garment industry adjusts to the end of quotas with social dialogue", []string{"4b.1", "2a.1"}},
	}},
	"localdev": {"Local development and decent work", []outcomeLink{
		{"Local governments integrate decent work in local development plans", []string{"2b.2", "2a.1"}},
	}},
	"reform": {"Democratization and labour market reform", []outcomeLink{
		{"New labour institutions and freedom of association are established", []string{"1a.1", "4b.1"}},
		{"The labour market reform increases employment of nationals", []string{"2a.1"}},
	}},
	"integratedsp": {"An integrated approach to social protection", []outcomeLink{
		{"Social protection policies are integrated and extended", []string{"3a.1"}},
		{"Occupational safety and health improves in key sectors", []string{"3b.1"}},
	}},
	"lmreform": {"Labour market reform and employment-intensive investment", []outcomeLink{
		{"Labour market reform is agreed by the social partners", []string{"4b.1", "2a.1"}},
		{"The employment-intensive infrastructure programme creates jobs", []string{"2b.2"}},
	}},
	"coherence": {"Policy coherence and social dialogue", []outcomeLink{
		{"Decent work indicators are used in policy dialogue", []string{"4b.1"}},
	}},
}

// A programme the demo loads: a decent work pilot programme of 2002-05 or
// a Decent Work Country Programme, with the country's UNDAF and, for the
// countries in Box II.2, the state of the Office's involvement in the
// poverty reduction strategy.
type programmeDef struct {
	country    string
	pilot      bool
	from, to   int
	priorities []string
	undaf      tcmis.Involvement
	prs        tcmis.Involvement
}

func ongoing(framework string, from, to int) tcmis.Involvement {
	return tcmis.Involvement{Framework: framework, StartYear: from, EndYear: to, Status: tcmis.Involved}
}

func completed(framework string, from, to, year int) tcmis.Involvement {
	return tcmis.Involvement{Framework: framework, StartYear: from, EndYear: to, Status: tcmis.Completed, CompletedYear: year}
}

var programmeDefs = []programmeDef{
	// The decent work pilot programme, 2002-05, in eight countries (¶70).
	{country: "BH", pilot: true, from: 2002, to: 2005, priorities: []string{"reform", "dialogue"}},
	{country: "BD", pilot: true, from: 2002, to: 2005, priorities: []string{"globalization", "childlabour"}, undaf: ongoing("UNDAF Bangladesh 2006-2010", 2006, 2010)},
	{country: "DK", pilot: true, from: 2002, to: 2005, priorities: []string{"coherence"}},
	{country: "GH", pilot: true, from: 2002, to: 2005, priorities: []string{"informal", "prs"}, undaf: ongoing("UNDAF Ghana 2006-2010", 2006, 2010),
		prs: ongoing("Growth and Poverty Reduction Strategy (GPRS II)", 2006, 2009)},
	{country: "KZ", pilot: true, from: 2002, to: 2005, priorities: []string{"integratedsp"}, undaf: ongoing("UNDAF Kazakhstan 2005-2009", 2005, 2009)},
	{country: "MA", pilot: true, from: 2002, to: 2005, priorities: []string{"textiles", "rights"}, undaf: completed("UNDAF Morocco 2002-2006", 2002, 2006, 2006)},
	{country: "PA", pilot: true, from: 2002, to: 2005, priorities: []string{"lmreform"}, undaf: ongoing("UNDAF Panama 2002-2006", 2002, 2006)},
	{country: "PH", pilot: true, from: 2002, to: 2005, priorities: []string{"localdev", "dialogue"}, undaf: ongoing("UNDAF Philippines 2005-2009", 2005, 2009)},

	// Decent Work Country Programmes; the poverty reduction strategies are
	// those of Box II.2.
	{country: "ET", from: 2006, to: 2009, priorities: []string{"youth", "socialprotection", "dialogue"}, undaf: ongoing("UNDAF Ethiopia 2007-2011", 2007, 2011),
		prs: ongoing("Plan for Accelerated and Sustained Development to End Poverty (PASDEP)", 2006, 2010)},
	{country: "LS", from: 2006, to: 2009, priorities: []string{"socialprotection", "youth"}, undaf: ongoing("UNDAF Lesotho 2002-2007", 2002, 2007),
		prs: ongoing("Poverty Reduction Strategy", 2004, 2007)},
	{country: "ML", from: 2006, to: 2009, priorities: []string{"prs", "childlabour"}, undaf: ongoing("UNDAF Mali 2003-2007", 2003, 2007),
		prs: completed("Cadre stratégique de lutte contre la pauvreté (CSLP)", 2002, 2006, 2004)},
	{country: "SD", from: 2006, to: 2009, priorities: []string{"recovery", "youth"}, undaf: ongoing("UNDAF Sudan 2002-2006", 2002, 2006),
		prs: ongoing("Interim poverty reduction strategy", 2004, 2007)},
	{country: "TZ", from: 2006, to: 2010, priorities: []string{"youth", "childlabour", "socialprotection"}, undaf: ongoing("UNDAF United Republic of Tanzania 2007-2010", 2007, 2010),
		prs: tcmis.Involvement{Framework: "National Strategy for Growth and Reduction of Poverty (MKUKUTA)", StartYear: 2005, EndYear: 2010, Status: tcmis.Involved, SecondRound: tcmis.SecondRoundOngoing}},
	{country: "KH", from: 2006, to: 2009, priorities: []string{"youth", "rights", "childlabour"}, undaf: ongoing("UNDAF Cambodia 2006-2010", 2006, 2010),
		prs: completed("National Poverty Reduction Strategy", 2003, 2005, 2003)},
	{country: "CN", from: 2006, to: 2010, priorities: []string{"youth", "socialprotection", "dialogue"}, undaf: ongoing("UNDAF China 2006-2010", 2006, 2010),
		prs: tcmis.Involvement{Framework: "Poverty reduction strategy", StartYear: 2001, EndYear: 2005, Status: tcmis.Completed, CompletedYear: 2005, SecondRound: tcmis.SecondRoundExpected}},
	{country: "ID", from: 2006, to: 2010, priorities: []string{"youth", "recovery", "rights"}, undaf: ongoing("UNDAF Indonesia 2006-2010", 2006, 2010),
		prs: completed("National Poverty Reduction Strategy (SNPK)", 2005, 2009, 2005)},
	{country: "NP", from: 2006, to: 2009, priorities: []string{"recovery", "childlabour", "dialogue"}, undaf: ongoing("UNDAF Nepal 2002-2006", 2002, 2006),
		prs: completed("Tenth Plan and Poverty Reduction Strategy Paper", 2002, 2007, 2003)},
	{country: "PK", from: 2006, to: 2009, priorities: []string{"youth", "childlabour", "dialogue"}, undaf: ongoing("UNDAF Pakistan 2004-2008", 2004, 2008),
		prs: completed("Poverty Reduction Strategy Paper", 2003, 2006, 2004)},
	{country: "VN", from: 2006, to: 2010, priorities: []string{"youth", "socialprotection", "dialogue"}, undaf: ongoing("UNDAF Viet Nam 2006-2010", 2006, 2010),
		prs: completed("Comprehensive Poverty Reduction and Growth Strategy (CPRGS)", 2002, 2005, 2005)},
	{country: "YE", from: 2007, to: 2010, priorities: []string{"youth", "childlabour"}, undaf: ongoing("UNDAF Yemen 2002-2006", 2002, 2006),
		prs: ongoing("Poverty Reduction Strategy Paper", 2003, 2005)},
	{country: "EC", from: 2007, to: 2010, priorities: []string{"youth", "rights"}, undaf: ongoing("UNDAF Ecuador 2004-2008", 2004, 2008),
		prs: ongoing("Poverty reduction strategy", 2003, 2007)},
	{country: "HN", from: 2006, to: 2009, priorities: []string{"youth", "childlabour", "safework"}, undaf: ongoing("UNDAF Honduras 2002-2006", 2002, 2006),
		prs: completed("Estrategia para la Reducción de la Pobreza (ERP)", 2001, 2015, 2003)},
	{country: "PE", from: 2007, to: 2010, priorities: []string{"youth", "rights", "socialprotection"}, undaf: ongoing("UNDAF Peru 2006-2010", 2006, 2010),
		prs: ongoing("Poverty reduction strategy", 2004, 2006)},
	{country: "KG", from: 2006, to: 2009, priorities: []string{"youth", "safework"}, undaf: ongoing("UNDAF Kyrgyzstan 2005-2010", 2005, 2010),
		prs: ongoing("National Poverty Reduction Strategy", 2003, 2005)},

	{country: "JO", from: 2006, to: 2009, priorities: []string{"youth", "safework"}},
	{country: "LK", from: 2006, to: 2009, priorities: []string{"recovery", "youth", "dialogue"}, undaf: ongoing("UNDAF Sri Lanka 2002-2006", 2002, 2006)},
	{country: "MN", from: 2006, to: 2009, priorities: []string{"youth", "socialprotection"}, undaf: ongoing("UNDAF Mongolia 2002-2006", 2002, 2006)},
	{country: "UA", from: 2006, to: 2007, priorities: []string{"dialogue", "safework"}, undaf: ongoing("UNDAF Ukraine 2006-2010", 2006, 2010)},
	{country: "MD", from: 2006, to: 2007, priorities: []string{"dialogue", "rights"}, undaf: ongoing("UNDAF Moldova 2002-2006", 2002, 2006)},
	{country: "AR", from: 2006, to: 2007, priorities: []string{"youth", "dialogue"}},
	{country: "KE", from: 2007, to: 2011, priorities: []string{"youth", "childlabour", "socialprotection"}, undaf: ongoing("UNDAF Kenya 2004-2008", 2004, 2008)},
	{country: "ZM", from: 2007, to: 2011, priorities: []string{"youth", "socialprotection"}, undaf: ongoing("UNDAF Zambia 2002-2006", 2002, 2006)},
	{country: "MG", from: 2006, to: 2009, priorities: []string{"youth", "rights"}, undaf: ongoing("UNDAF Madagascar 2005-2009", 2005, 2009)},
	{country: "SN", from: 2006, to: 2009, priorities: []string{"youth", "socialprotection", "childlabour"}, undaf: ongoing("UNDAF Senegal 2002-2006", 2002, 2006)},
	{country: "AL", from: 2006, to: 2007, priorities: []string{"dialogue", "youth"}, undaf: ongoing("UNDAF Albania 2006-2010", 2006, 2010)},
	{country: "NI", from: 2007, to: 2010, priorities: []string{"youth", "childlabour"}, undaf: ongoing("UNDAF Nicaragua 2002-2006", 2002, 2006)},
}

// buildProgrammes makes the country programmes and indexes their outcomes
// by country, for linking projects to them.
func buildProgrammes(r *rand.Rand) ([]*tcmis.CountryProgramme, map[string][]countryOutcome) {
	var out []*tcmis.CountryProgramme
	byCountry := map[string][]countryOutcome{}
	for _, def := range programmeDefs {
		pl := &places[placeIndex(def.country)]
		c := &tcmis.CountryProgramme{Country: def.country, StartYear: def.from, EndYear: def.to, UNDAF: def.undaf, PRS: def.prs}
		if c.UNDAF.Status == "" {
			c.UNDAF.Status = tcmis.NotInvolved
		}
		if c.PRS.Status == "" {
			c.PRS.Status = tcmis.NotInvolved
		}
		switch {
		case def.pilot:
			c.Title = "Decent Work Pilot Programme: " + pl.name
			c.Status = tcmis.ProgrammeCompleted
		case def.from <= today.Year():
			c.Title = "Decent Work Country Programme for " + pl.name + " " + strconv.Itoa(def.from) + "-" + strconv.Itoa(def.to)
			c.Status = tcmis.ProgrammeActive
		default:
			c.Title = "Decent Work Country Programme for " + pl.name + " " + strconv.Itoa(def.from) + "-" + strconv.Itoa(def.to)
			c.Status = tcmis.ProgrammeDraft
		}
		for i, key := range def.priorities {
			pd := priorityDefs[key]
			pr := tcmis.Priority{Number: i + 1, Title: pd.title}
			for j, o := range pd.outcomes {
				code := pl.iso3 + strconv.Itoa(i+1) + "0" + strconv.Itoa(j+1)
				co := tcmis.CountryOutcome{Code: code, Title: o.title, GlobalOutcomes: o.global, Planned: int64(between(r, 3, 50)) * 100_000 * 100}
				pr.Outcomes = append(pr.Outcomes, co)
				byCountry[def.country] = append(byCountry[def.country], countryOutcome{code: code, global: o.global, from: def.from, to: def.to})
			}
			c.Priorities = append(c.Priorities, pr)
		}
		out = append(out, c)
	}
	return out, byCountry
}

type countryOutcome struct {
	code     string
	global   []string
	from, to int
}

// linkOutcomes links national projects running during a country
// programme to one or two of its outcomes, those serving the project's
// own global outcome first.
func linkOutcomes(r *rand.Rand, ps []*project, byCountry map[string][]countryOutcome) {
	for _, p := range ps {
		if p.scope != tcmis.National || p.status == tcmis.Cancelled {
			continue
		}
		cos := byCountry[p.countries[0].Country]
		if len(cos) == 0 || !chance(r, 75) {
			continue
		}
		var match, overlap []string
		for _, co := range cos {
			if p.end.Year() < co.from || p.start.Year() > co.to {
				continue
			}
			overlap = append(overlap, co.code)
			for _, gl := range co.global {
				if gl == p.th().outcome {
					match = append(match, co.code)
					break
				}
			}
		}
		if len(overlap) == 0 {
			continue
		}
		switch {
		case len(match) > 0:
			p.outcomes = append(p.outcomes, match[r.IntN(len(match))])
		default:
			p.outcomes = append(p.outcomes, overlap[r.IntN(len(overlap))])
		}
		if len(overlap) > 1 && chance(r, 25) {
			if c := overlap[r.IntN(len(overlap))]; c != p.outcomes[0] {
				p.outcomes = append(p.outcomes, c)
			}
		}
	}
}
