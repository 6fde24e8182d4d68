package demo

import (
	"math/rand/v2"
	"time"

	"github.com/tcmis/tcmis"
)

// The multi-annual partnerships: framework agreements under which a donor
// funds many projects (¶87, ¶97, ¶156), negotiated at headquarters.
var partnerships = []struct {
	ref, title, donor string
	from, to          int
	currency          string
	// themes, when set, are the only themes the partnership funds.
	themes []string
}{
	{"USDOL-IPEC-2000", "USDOL-ILO cooperative agreements on the elimination of child labour, 2000-2005", "United States", 2000, 2005, "USD", []string{"ipec-national", "ipec-regional", "ipec-global"}},
	{"NPP-2002", "Netherlands Partnership Programme 2002-2005: Working out of poverty", "Netherlands", 2002, 2005, "EUR", nil},
	{"DFID-ILO-PFA-2001", "DFID-ILO Partnership Framework Arrangement 2001-2005", "United Kingdom", 2001, 2005, "GBP", nil},
	{"ITA-ILO-MB-2000", "Italy-ILO multi-bilateral cooperation programme 2000-2005", "Italy", 2000, 2005, "EUR", nil},
	{"NOR-ILO-FA-2002", "Norway-ILO framework agreement 2002-2005", "Norway", 2002, 2005, "USD", nil},
	{"DANIDA-ILO-2000", "Danida-ILO partnership programme 2000-2004", "Denmark", 2000, 2004, "USD", nil},
	{"SIDA-ILO-2001", "Sida-ILO framework agreement 2001-2005", "Sweden", 2001, 2005, "USD", nil},
	{"JPN-ILO-MB-2000", "Japan-ILO multi-bilateral programme 2000-2005", "Japan", 2000, 2005, "JPY", nil},
	{"AECI-ILO-2002", "Spain-ILO cooperation programme 2002-2005", "Spain", 2002, 2005, "EUR", nil},
	{"IRL-ILO-PP-2001", "Irish Aid-ILO partnership programme 2001-2005", "Ireland", 2001, 2005, "EUR", nil},
	{"BEL-ILO-2002", "Belgium-ILO cooperation programme 2002-2005", "Belgium", 2002, 2005, "EUR", nil},
	// ¶156: US$7 million for 2003-04, and €19 million expected for 2005.
	{"EC-ILO-SP-2004", "EC-ILO strategic partnership in development cooperation (2004)", "European Union", 2003, 2005, "EUR", nil},
}

// agreementPlan is a funding agreement to load.
type agreementPlan struct {
	ref, title string
	donor      int
	kind       tcmis.AgreementKind
	start, end time.Time
	currency   string
	amount     int64 // minor units of currency
	unit       int   // the unit that negotiated it
	local      bool
	id         int64
}

// planAgreements puts most projects of the partnership donors under
// their partnership and gives every other extra-budgetary project an
// agreement of its own, negotiated by its field office when the funds
// were mobilised locally.
func (g *generator) planAgreements(r *rand.Rand) {
	hq := unitIndex("PARDEV")
	for _, pd := range partnerships {
		a := &agreementPlan{ref: pd.ref, title: pd.title, donor: donorIndex(pd.donor), kind: tcmis.Partnership,
			start: date(pd.from, 1, 1), end: date(pd.to, 12, 31), currency: pd.currency, unit: hq}
		g.agreements = append(g.agreements, a)
	}
	for _, p := range g.projects {
		if !p.xb() || p.pipeline() {
			continue
		}
		for k, pd := range partnerships {
			a := g.agreements[k]
			if a.donor != p.donors[0] || p.local || p.approved.Before(a.start) || p.approved.After(a.end) || !chance(r, 75) {
				continue
			}
			if pd.themes != nil && !contains(pd.themes, p.th().key) {
				continue
			}
			p.agreement = k
			a.amount += convert(p.budgetUSD(), a.currency, pd.from)
			break
		}
		if p.agreement >= 0 {
			continue
		}
		a := &agreementPlan{ref: "TCA-" + p.code, title: p.title, donor: p.donors[0], kind: tcmis.SingleProject,
			start: p.approved, end: p.end, currency: p.currency, amount: p.budget, unit: hq, local: p.local}
		if p.local {
			a.unit = p.office
		}
		p.agreement = len(g.agreements)
		g.agreements = append(g.agreements, a)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// convert turns US cents into a currency at the rate of a year.
func convert(cents int64, currency string, year int) int64 {
	if currency == tcmis.USD {
		return cents
	}
	rate, _ := rateFor(currency, year)
	return fromUSD(cents, rate)
}
