package demo

import (
	"context"
	"math/bits"

	"github.com/tcmis/tcmis"
)

// Expenditure of the whole programme each year in US dollars, regular
// budget included (¶161: US$91 million in 2000, 138 in 2003, 171 in 2005;
// ¶18: of which US$17 million regular budget in 2005), and the regular
// budget's part, higher in the second year of each biennium (¶162).
var (
	spendTotal = [nYears]int64{91_240_000, 103_530_000, 116_870_000, 138_160_000, 152_640_000, 171_320_000}
	spendRB    = [nYears]int64{13_610_000, 16_930_000, 13_580_000, 16_870_000, 13_640_000, 16_950_000}
)

// Share of expenditure by region group each year, per mille (Table V.2;
// 2005 continues the trend).
var regionShare = [nYears][nGroups]int64{
	{312, 157, 24, 228, 57, 222},
	{269, 165, 19, 220, 49, 278},
	{238, 168, 21, 227, 65, 281},
	{234, 174, 21, 224, 64, 283},
	{229, 193, 15, 242, 52, 269},
	{230, 185, 18, 240, 55, 272},
}

// The mix of expenditure by type of assistance each year, per mille
// (Figure V.5 and ¶175: international experts declining, other personnel
// rising to 31 per cent on average in 2000-04, subcontracts to 17.7, less
// training and equipment). Types are in the order of tcmis.AssistanceTypes.
// Subcontracts are set a little low because the themes that use them most,
// child labour above all, are also the largest.
var typeMix = [nYears][6]int64{
	{250, 270, 148, 150, 80, 90},
	{230, 290, 157, 145, 75, 90},
	{210, 310, 166, 140, 70, 90},
	{190, 330, 170, 135, 60, 100},
	{170, 350, 175, 130, 55, 105},
	{160, 360, 175, 130, 50, 110},
}

// mixMean is the average of the themes' adjustments to each type, which
// the project multipliers divide by, so that the themes shift the mix
// between projects without shifting the programme's.
var mixMean = func() (m [6]int64) {
	for _, th := range themes {
		for t := range 6 {
			m[t] += int64(th.mix[t])
		}
	}
	for t := range m {
		m[t] /= int64(len(themes))
	}
	return m
}()

// Indices of the types of assistance in tcmis.AssistanceTypes.
const (
	tExperts = iota
	tPersonnel
	tSubcontracts
	tTraining
	tEquipment
	tMisc
)

// The chance, in per cent, that a project spends on each type at all;
// personnel and miscellaneous are always there.
var typePresence = [6]int{85, 100, 80, 90, 65, 100}

// planSpending draws each project's spending, then scales it so that
// each year's expenditure by region matches the programme's totals
// exactly, and sets delivery rates, the mix by type, corrections and the
// budget.
func (rp *replicaPlan) planSpending() {
	r := rp.r
	for _, p := range rp.projects {
		months := max(1, p.endMonth-p.startMonth+1)
		base := max(1, p.size/int64(months))
		for y := range nYears {
			lo, hi, ok := p.activeMonths(y)
			if !ok {
				continue
			}
			var w int64
			for m := lo; m <= hi; m++ {
				w += monthWeight(p, m)
			}
			if p.source == tcmis.RBTC && (firstYear+y)%2 == 1 {
				w = w * 3 / 2
			}
			p.raw[y] = base * w * int64(between(r, 80, 120)) / 100
		}
		p.phase = uint8(r.IntN(6))
		th := p.th()
		for t := range 6 {
			if chance(r, typePresence[t]) {
				p.types |= 1 << t
				// Dividing by the presence keeps the programme's mix on
				// target although some projects lack a type.
				p.mult[t] = int32(int64(th.mix[t]) * 100 / mixMean[t] * int64(between(r, 70, 130)) * 100 / int64(typePresence[t]))
			}
		}
	}

	for y := range nYears {
		var rb [nGroups]int64
		var cells [nGroups + 1][]*project
		for _, p := range rp.projects {
			if p.raw[y] == 0 {
				continue
			}
			if p.xb() {
				cells[p.group] = append(cells[p.group], p)
			} else {
				cells[nGroups] = append(cells[nGroups], p)
			}
		}
		distribute := func(ps []*project, cents int64) {
			w := make([]int64, len(ps))
			for i, p := range ps {
				w[i] = p.raw[y]
			}
			for i, part := range split(nil, cents, w) {
				ps[i].spend[y] = part
			}
		}
		// The regular budget's projects follow the regional shares too, so
		// that no region's regular budget exceeds its share of the total.
		var rbCells [nGroups][]*project
		var present int64
		for _, p := range cells[nGroups] {
			if len(rbCells[p.group]) == 0 {
				present += regionShare[y][p.group]
			}
			rbCells[p.group] = append(rbCells[p.group], p)
		}
		for g := range nGroups {
			if len(rbCells[g]) > 0 {
				rb[g] = spendRB[y] * 100 * regionShare[y][g] / present
				distribute(rbCells[g], rb[g])
			}
		}
		for g := range nGroups {
			target := spendTotal[y] * 100 * regionShare[y][g] / 1000
			distribute(cells[g], max(target-rb[g], target*3/10))
		}
	}

	for _, p := range rp.projects {
		var spent int64
		var months int
		for y := range nYears {
			if p.spend[y] == 0 {
				continue
			}
			spent += p.spend[y]
			lo, hi, _ := p.activeMonths(y)
			months += hi - lo + 1
			// Delivery: mostly between 60 and 70 per cent (¶140).
			switch n := r.IntN(100); {
			case n < 70:
				p.rate[y] = int32(between(r, 6000, 7000))
			case n < 85:
				p.rate[y] = int32(between(r, 5000, 5999))
			default:
				p.rate[y] = int32(between(r, 7001, 8500))
			}
			if chance(r, 4) && hi > lo {
				p.corr |= 1 << y
			}
			p.rows += int32(expenditureRows(p, y))
		}
		// The budget covers the whole life of the project, before 2000 and
		// after 2005 too, and at least what donors approved.
		usd := p.size * 100
		if months > 0 {
			all := p.endMonth - p.startMonth + 1
			lifetime := spent + spent/int64(months)*int64(all-months)
			usd = lifetime * 100 / 96
		}
		usd = max(usd, p.approvedUSD())
		if p.currency == tcmis.USD {
			p.budget = usd
		} else {
			rate, _ := rateFor(p.currency, p.start.Year())
			p.budget = fromUSD(usd, rate)
		}
	}
}

func monthWeight(p *project, m int) int64 {
	switch k := m - p.startMonth; {
	case k == 0:
		return 40
	case k == 1:
		return 60
	case k == 2:
		return 80
	case p.endMonth-m < 2:
		return 70
	}
	return 100
}

// typeMonths returns, as bits 1-12, the months from m0 to m1 in which a
// project pays for type t.
func typeMonths(p *project, t, m0, m1 int) uint16 {
	every := 1
	switch t {
	case tTraining:
		every = 2
	case tEquipment:
		every = 3
	}
	var mask uint16
	for m := m0; m <= m1; m++ {
		if (m+int(p.phase))%every == 0 {
			mask |= 1 << m
		}
	}
	if mask == 0 {
		mask = 1 << m0
	}
	return mask
}

// The currencies other than the US dollar that some projects use, with
// yearly rates close to the UN operational rates of exchange of the time
// (units per US dollar, in millionths). Each year's rate applies from 1
// January.
var rateCurrencies = []string{"EUR", "GBP", "JPY", "CHF"}

const (
	firstRateYear = 2000
	lastRateYear  = 2006
	rateSource    = "UN operational rates of exchange"
)

var ratePerUSD = [][lastRateYear - firstRateYear + 1]tcmis.Decimal{
	{1_085_400, 1_117_500, 1_062_600, 886_000, 805_400, 803_400, 797_100},                       // EUR
	{660_900, 694_700, 667_200, 612_500, 546_200, 550_000, 543_400},                             // GBP
	{107_770_000, 121_530_000, 125_390_000, 115_930_000, 108_190_000, 110_220_000, 116_300_000}, // JPY
	{1_688_800, 1_687_600, 1_558_600, 1_346_700, 1_243_500, 1_245_200, 1_253_800},               // CHF
}

// rateFor returns the rate plan of a currency in force in a year, clamped
// to the years the demo has rates for.
func rateFor(currency string, year int) (tcmis.ExchangeRate, int) {
	year = min(max(year, firstRateYear), lastRateYear)
	for i, c := range rateCurrencies {
		if c == currency {
			return tcmis.ExchangeRate{Currency: c, Date: date(year, 1, 1), PerUSD: ratePerUSD[i][year-firstRateYear], Source: rateSource}, i*(lastRateYear-firstRateYear+1) + year - firstRateYear
		}
	}
	panic("demo: no rates for " + currency)
}

// fromUSD converts US cents to the minor units of a currency at a rate,
// rounding down.
func fromUSD(cents int64, r tcmis.ExchangeRate) int64 {
	digits := tcmis.MinorDigits(r.Currency)
	// minor = cents / 100 * perUSD / 10^6 * 10^digits
	den := int64(100 * 1_000_000)
	num := int64(r.PerUSD)
	for ; digits > 0; digits-- {
		num *= 10
	}
	return mulDiv(cents, num, den)
}

func (g *generator) loadRates(ctx context.Context, l tcmis.Loader, st *Stats) error {
	var rs []*tcmis.ExchangeRate
	for _, c := range rateCurrencies {
		for y := firstRateYear; y <= lastRateYear; y++ {
			rate, _ := rateFor(c, y)
			rs = append(rs, &rate)
		}
	}
	if err := createAll(g, &st.Rates, l.CreateRates, rs); err != nil {
		return err
	}
	g.rateIDs = make([]int64, len(rs))
	for i, r := range rs {
		g.rateIDs[i] = r.ID
	}
	return nil
}

// converted returns an amount with its US dollar value at the rate of a
// year: the rates apply from 1 January, so any day of the year converts
// alike.
func (g *generator) converted(amount int64, currency string, year int) tcmis.Converted {
	return g.converter(currency, year).convert(amount)
}

// A converter converts amounts of one currency at one rate, as
// tcmis.ExchangeRate.ToUSD does but without its big integers, which the
// expenditure loop cannot afford for every row.
type converter struct {
	currency string
	rateID   int64
	den      uint64 // per-USD rate in millionths times 10^digits
}

func (g *generator) converter(currency string, year int) converter {
	if currency == tcmis.USD {
		return converter{currency: currency}
	}
	rate, k := rateFor(currency, year)
	den := uint64(rate.PerUSD)
	for range tcmis.MinorDigits(currency) {
		den *= 10
	}
	return converter{currency: currency, rateID: g.rateIDs[k], den: den}
}

func (c converter) convert(amount int64) tcmis.Converted {
	m := tcmis.Money{Amount: amount, Currency: c.currency}
	if c.den == 0 {
		return tcmis.Converted{Money: m, USD: amount}
	}
	return tcmis.Converted{Money: m, USD: toUSD(amount, c.den), RateID: c.rateID}
}

// toUSD returns amount*10^8/den in cents, rounded half away from zero.
func toUSD(amount int64, den uint64) int64 {
	a := uint64(amount)
	if amount < 0 {
		a = uint64(-amount)
	}
	hi, lo := bits.Mul64(a, 100_000_000)
	q, r := bits.Div64(hi, lo, den)
	if 2*r >= den {
		q++
	}
	if amount < 0 {
		return -int64(q)
	}
	return int64(q)
}

func (g *generator) loadApprovals(ctx context.Context, l tcmis.Loader, st *Stats) error {
	b := newBatch(g, ctx, moneyBatch, &st.Approvals, l.CreateApprovals)
	for _, p := range g.projects {
		var ag *agreementPlan
		if p.agreement >= 0 {
			ag = g.agreements[p.agreement]
		}
		for _, a := range p.approvals {
			rec, err := b.next()
			if err != nil {
				return err
			}
			*rec = tcmis.Approval{DonorID: g.donorIDs[p.donors[0]], ProjectID: p.id, Date: a.day,
				Amount: g.converted(a.amount, a.currency, a.day.Year()), Local: p.local}
			if ag != nil && !a.day.Before(ag.start) && !a.day.After(ag.end) {
				rec.AgreementID = ag.id
			}
		}
	}
	return b.flush()
}

// allocated is the money made available to a project in a year: its
// expenditure divided by its delivery rate.
func (p *project) allocated(y int) int64 {
	return p.spend[y] * 10_000 / int64(p.rate[y])
}

func (g *generator) loadAllocations(ctx context.Context, l tcmis.Loader, st *Stats) error {
	b := newBatch(g, ctx, moneyBatch, &st.Allocations, l.CreateAllocations)
	for _, p := range g.projects {
		for y := range nYears {
			if p.spend[y] == 0 {
				continue
			}
			rec, err := b.next()
			if err != nil {
				return err
			}
			amount := convert(p.allocated(y), p.currency, firstYear+y)
			*rec = tcmis.Allocation{ProjectID: p.id, Year: firstYear + y, Amount: g.converted(amount, p.currency, firstYear+y)}
		}
	}
	return b.flush()
}

var correctionReasons = []string{
	"Reversal of a charge recorded against the wrong project",
	"Refund of an unspent advance by the implementing partner",
	"Correction of a duplicate payment to a subcontractor",
}

// loadExpenditures streams the monthly expenditure by type of assistance.
// Each project-year's total is split exactly: first across the types by
// the year's mix (Figure V.5) and the project's own, then each type
// across the months it is paid in.
func (g *generator) loadExpenditures(ctx context.Context, l tcmis.Loader, st *Stats) error {
	b := newBatch(g, ctx, moneyBatch, &st.Expenditures, l.CreateExpenditures)
	var (
		typeAmt = make([]int64, 0, 6)
		weights = make([]int64, 0, 12)
		parts   = make([]int64, 0, 12)
	)
	for _, p := range g.projects {
		for y := range nYears {
			if p.spend[y] == 0 {
				continue
			}
			r := g.reseed(saltMoney, uint64(p.seq)<<4|uint64(y))
			year := firstYear + y
			total := convert(p.spend[y], p.currency, year)
			conv := g.converter(p.currency, year)
			lo, hi, _ := p.activeMonths(y)
			m0, m1 := lo%12+1, hi%12+1

			var w [6]int64
			for t := range 6 {
				if p.types&(1<<t) != 0 {
					w[t] = typeMix[y][t] * int64(p.mult[t])
				}
			}
			typeAmt = split(typeAmt[:0], total, w[:])

			var grid [13][6]int64
			var masks [6]uint16
			for t := range 6 {
				if p.types&(1<<t) == 0 {
					continue
				}
				masks[t] = typeMonths(p, t, m0, m1)
				weights = weights[:0]
				for m := m0; m <= m1; m++ {
					if masks[t]&(1<<m) != 0 {
						weights = append(weights, monthWeight(p, year*12+m-1)*int64(between(r, 80, 120)))
					}
				}
				parts = split(parts[:0], typeAmt[t], weights)
				k := 0
				for m := m0; m <= m1; m++ {
					if masks[t]&(1<<m) != 0 {
						grid[m][t] = parts[k]
						k++
					}
				}
			}

			// A correction reverses part of a personnel charge in a later
			// month; the year's total does not change.
			corrMonth, corr, reason := 0, int64(0), ""
			if p.corr&(1<<y) != 0 {
				corrMonth = m1
				corr = max(1, grid[m0][tPersonnel]*int64(between(r, 10, 40))/100)
				grid[m0][tPersonnel] += corr
				reason = correctionReasons[r.IntN(len(correctionReasons))]
			}

			for m := m0; m <= m1; m++ {
				for t := range 6 {
					if masks[t]&(1<<m) == 0 {
						continue
					}
					rec, err := b.next()
					if err != nil {
						return err
					}
					*rec = tcmis.Expenditure{ProjectID: p.id, Year: year, Month: m, Type: assistance[t], Amount: conv.convert(grid[m][t])}
				}
				if m == corrMonth {
					rec, err := b.next()
					if err != nil {
						return err
					}
					*rec = tcmis.Expenditure{ProjectID: p.id, Year: year, Month: m, Type: assistance[tPersonnel], Amount: conv.convert(-corr), Reason: reason}
				}
			}
		}
	}
	return b.flush()
}

// expenditureRows counts the rows loadExpenditures writes for a
// project-year.
func expenditureRows(p *project, y int) int {
	lo, hi, ok := p.activeMonths(y)
	if !ok {
		return 0
	}
	n := 0
	for t := range 6 {
		if p.types&(1<<t) != 0 {
			n += bits.OnesCount16(typeMonths(p, t, lo%12+1, hi%12+1))
		}
	}
	if p.corr&(1<<y) != 0 {
		n++
	}
	return n
}
