package sqldb_test

import (
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// TestSumsBulk checks that the report sums a bulk load adds in Go are
// those the folds in SQL rebuild from the records, to the unit: projects
// split between objectives (two outcomes of one objective among them),
// attributed to countries of two regions and to IATI regions, a country
// with no region listed first, a region taken from the office, no shares
// at all, approvals of no project; amounts in currencies of zero, two and
// three decimals converted at rates that round, negative corrections;
// several batches of each kind, written in several flushes, then a second
// load onto the same groups, a project update, and a project update
// between two loads in one transaction.
func TestSumsBulk(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		defer sqldb.SetMaxPendingForTestC(50)()
		ctx := ctxAs("loader")
		orgs := []*tcmis.Organisation{{Name: "Netherlands", Category: tcmis.MultiBilateral}, {Name: "UNDP", Category: tcmis.UnitedNations}}
		units := []*tcmis.Unit{
			{Code: "EMP", Name: "Employment Sector", Kind: tcmis.Department},
			{Code: "ILO-Accra", Name: "ILO Office Accra", Kind: tcmis.FieldOffice, Region: tcmis.Africa, Country: "GH"},
			{Code: "ILO-Lima", Name: "ILO Office Lima", Kind: tcmis.FieldOffice, Region: tcmis.Americas, Country: "PE"},
		}
		var rates []*tcmis.ExchangeRate
		for _, r := range []struct {
			cur, day string
			per      tcmis.Decimal
		}{{"EUR", "2004-01-01", 876_543}, {"EUR", "2004-07-01", 793_117}, {"EUR", "2005-01-01", 811_111}, {"JPY", "2004-01-01", 107_370_000}, {"KWD", "2004-01-01", 294_813}} {
			rates = append(rates, &tcmis.ExchangeRate{Currency: r.cur, Date: finDay(r.day), PerUSD: r.per, Source: "test"})
		}
		var ps []*tcmis.Project
		err := db.Load(ctx, "test", func(l tcmis.Loader) error {
			if err := l.CreateOrganisations(orgs); err != nil {
				return err
			}
			if err := l.CreateUnits(units); err != nil {
				return err
			}
			if err := l.CreateRates(rates); err != nil {
				return err
			}
			nl, un, dept, accra, lima := orgs[0].ID, orgs[1].ID, units[0].ID, units[1].ID, units[2].ID
			base := func(code string, scope tcmis.Scope) *tcmis.Project {
				return &tcmis.Project{Code: code, Title: "Project " + code, Source: tcmis.XBTC, DonorIDs: []int64{nl}, LeadUnitID: dept, Scope: scope,
					Start: finDay("2004-01-01"), End: finDay("2005-12-31"), Status: tcmis.Ongoing, Currency: "USD"}
			}
			national := base("GHA/04/01/NET", tcmis.National)
			national.OfficeID, national.LeadUnitID = accra, accra
			national.Countries = []tcmis.CountryShare{{Country: "GH", Percent: tcmis.Whole}}
			national.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.Standards, Outcome: "1a.1", Percent: 2500}, {Objective: tcmis.Standards, Outcome: "1a.2", Percent: 2500},
				{Objective: tcmis.Employment, Percent: 3333}, {Objective: tcmis.SocialDialogue, Percent: 1667}}
			inter := base("INT/04/02/UND", tcmis.Interregional)
			inter.DonorIDs = []int64{un, nl}
			inter.Countries = []tcmis.CountryShare{{Country: "GH", Percent: 6000}, {Country: "BR", Percent: 3000}}
			inter.Regions = []tcmis.RegionShare{{Code: "298", Percent: 1000}}
			inter.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.SocialProtection, Percent: tcmis.Whole}}
			glob := base("INT/04/03/RBT", tcmis.Global)
			glob.Source, glob.DonorIDs = tcmis.RBTC, nil
			andes := base("RLA/04/04/NET", tcmis.Regional)
			andes.OfficeID = lima
			andes.Countries = []tcmis.CountryShare{{Country: "AQ", Percent: 3000}, {Country: "PE", Percent: 7000}}
			andes.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Outcome: "2a.1", Percent: 5000}, {Objective: tcmis.SocialProtection, Percent: 5000}}
			sahel := base("RAF/04/05/NET", tcmis.Regional)
			sahel.OfficeID = accra
			sahel.Regions = []tcmis.RegionShare{{Code: "998", Percent: tcmis.Whole}}
			ps = []*tcmis.Project{national, inter, glob, andes, sahel}
			if err := l.CreateProjects(ps); err != nil {
				return err
			}
			m := newMoneyGen()
			var as []*tcmis.Approval
			for i, p := range ps {
				for k := range 6 {
					as = append(as, &tcmis.Approval{DonorID: []int64{nl, un}[k%2], ProjectID: p.ID, Date: finDay("2004-02-01").AddDate(0, 2*k+i, 0), Amount: m.next(), Local: k%3 == 0})
				}
				as = append(as, &tcmis.Approval{DonorID: nl, Date: finDay("2004-03-15").AddDate(0, 5*i, 0), Amount: m.next(), Local: i%2 == 0})
			}
			for _, a := range as {
				a.Reason = why(a.Amount)
			}
			if err := l.CreateApprovals(as[:13]); err != nil {
				return err
			}
			if err := l.CreateApprovals(as[13:]); err != nil {
				return err
			}
			var als []*tcmis.Allocation
			for _, p := range ps {
				for y := 2004; y <= 2005; y++ {
					for range 3 {
						a := m.next()
						als = append(als, &tcmis.Allocation{ProjectID: p.ID, Year: y, Amount: a, Reason: why(a)})
					}
				}
			}
			if err := l.CreateAllocations(als); err != nil {
				return err
			}
			es := expenditures(m, ps, 2004, 2005)
			for len(es) > 0 {
				n := min(len(es), 37)
				if err := l.CreateExpenditures(es[:n]); err != nil {
					return err
				}
				es = es[n:]
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "a bulk load in several batches and flushes")

		m := newMoneyGen()
		if err := db.CreateExpenditures(ctx, expenditures(m, ps, 2005, 2005)); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "a second load onto the same groups")

		p, err := db.FindProjectByID(ctx, ps[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Countries = []tcmis.CountryShare{{Country: "BR", Percent: 5000}, {Country: "GH", Percent: 5000}}
		p.Scope, p.Objectives = tcmis.Interregional, nil
		if err := db.UpdateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "a project changed")
		if err := db.CreateExpenditures(ctx, expenditures(m, ps[3:4], 2005, 2005)); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "a load after the project changed")

		// As an IATI import that updates a project does: money of the
		// project is pending when its money is folded out, the project
		// changes, its money is folded in, and more of its money comes.
		p, err = db.FindProjectByID(ctx, ps[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Countries, p.Regions = []tcmis.CountryShare{{Country: "PE", Percent: tcmis.Whole}}, nil
		p.Scope, p.OfficeID, p.DonorIDs = tcmis.National, ps[3].OfficeID, []int64{ps[0].DonorIDs[0]}
		p.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.Standards, Outcome: "1a.1", Percent: 4000}, {Objective: tcmis.Employment, Percent: 6000}}
		if err := sqldb.LoadAndMoveForTestC(ctx, db, expenditures(m, ps[:2], 2004, 2004), p, expenditures(m, ps[:2], 2005, 2005)); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "a load, a project change and a load in one transaction")
	})
}

// moneyGen gives amounts that convert with remainders: in US dollars,
// euros, yen and Kuwaiti dinars, one in seven negative.
type moneyGen struct{ state, n uint64 }

func newMoneyGen() *moneyGen { return &moneyGen{state: 20040101} }

func (g *moneyGen) next() tcmis.Converted {
	g.state = g.state*6364136223846793005 + 1442695040888963407
	g.n++
	amount := int64(g.state>>40)%9_999_991 + 7
	if g.n%7 == 0 {
		amount = -amount / 3
	}
	return finMoney(amount, []string{"USD", "EUR", "JPY", "KWD"}[g.n%4])
}

// why gives a negative amount its reason.
func why(c tcmis.Converted) string {
	if c.Amount < 0 {
		return "Correction of a charge recorded twice"
	}
	return ""
}

// expenditures gives each project a few types of assistance in every
// month of the years.
func expenditures(g *moneyGen, ps []*tcmis.Project, from, to int) []*tcmis.Expenditure {
	var out []*tcmis.Expenditure
	types := []tcmis.Assistance{tcmis.Training, tcmis.InternationalExperts, tcmis.Equipment}
	for i, p := range ps {
		for y := from; y <= to; y++ {
			for month := time.January; month <= time.December; month++ {
				for _, typ := range types[:1+(i+int(month))%3] {
					a := g.next()
					out = append(out, &tcmis.Expenditure{ProjectID: p.ID, Year: y, Month: int(month), Type: typ, Amount: a, Reason: why(a)})
				}
			}
		}
	}
	return out
}
