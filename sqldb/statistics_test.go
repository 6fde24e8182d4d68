package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/sqldb"
)

// statsFixture is a small programme whose report sums can be worked out by
// hand: a national project split three ways between objectives, an
// interregional one attributed to two countries of two regions, a global
// one, and an approval of no project.
type statsFixture struct {
	un, nl, office, dept  int64
	national, inter, glob *tcmis.Project
}

func mustStatsFixture(t *testing.T, db *sqldb.DB) statsFixture {
	t.Helper()
	ctx := ctxAs("setup")
	var f statsFixture
	for _, o := range []struct {
		id  *int64
		org tcmis.Organisation
	}{
		{&f.nl, tcmis.Organisation{Name: "Netherlands", Category: tcmis.MultiBilateral}},
		{&f.un, tcmis.Organisation{Name: "UNDP", Category: tcmis.UnitedNations}},
	} {
		org := o.org
		if err := db.CreateOrganisation(ctx, &org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	for _, u := range []struct {
		id   *int64
		unit tcmis.Unit
	}{
		{&f.dept, tcmis.Unit{Code: "EMP", Name: "Employment Sector", Kind: tcmis.Department}},
		{&f.office, tcmis.Unit{Code: "ILO-Accra", Name: "ILO Office Accra", Kind: tcmis.FieldOffice, Region: tcmis.Africa, Country: "GH"}},
	} {
		unit := u.unit
		if err := db.CreateUnit(ctx, &unit); err != nil {
			t.Fatal(err)
		}
		*u.id = unit.ID
	}
	base := func(code string) *tcmis.Project {
		return &tcmis.Project{Code: code, Title: "Project " + code, Source: tcmis.XBTC, DonorIDs: []int64{f.nl}, LeadUnitID: f.dept,
			Start: finDay("2004-01-01"), End: finDay("2006-12-31"), Status: tcmis.Ongoing, Currency: "USD"}
	}
	f.national = base("GHA/04/01/NET")
	f.national.OfficeID, f.national.LeadUnitID = f.office, f.office
	f.national.Scope, f.national.Countries = tcmis.National, []tcmis.CountryShare{{Country: "GH", Percent: tcmis.Whole}}
	f.national.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.Standards, Outcome: "1a.1", Percent: 3333}, {Objective: tcmis.Employment, Percent: 3333}, {Objective: tcmis.SocialDialogue, Percent: 3334}}
	f.inter = base("INT/04/02/UND")
	f.inter.DonorIDs = []int64{f.un, f.nl}
	f.inter.Scope, f.inter.Countries = tcmis.Interregional, []tcmis.CountryShare{{Country: "GH", Percent: 6000}, {Country: "BR", Percent: 4000}}
	f.inter.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.SocialProtection, Percent: tcmis.Whole}}
	f.glob = base("INT/04/03/RBT")
	f.glob.Source, f.glob.DonorIDs = tcmis.RBTC, nil
	f.glob.Scope, f.glob.Regions = tcmis.Global, []tcmis.RegionShare{{Code: "998", Percent: tcmis.Whole}}
	if err := db.CreateProjects(ctx, []*tcmis.Project{f.national, f.inter, f.glob}); err != nil {
		t.Fatal(err)
	}
	usd := func(cents int64) tcmis.Converted { return finMoney(cents, "USD") }
	if err := db.CreateApprovals(ctx, []*tcmis.Approval{
		{DonorID: f.nl, ProjectID: f.national.ID, Date: finDay("2004-02-01"), Amount: usd(100), Local: true},
		{DonorID: f.un, ProjectID: f.inter.ID, Date: finDay("2004-03-01"), Amount: usd(1000)},
		{DonorID: f.nl, Date: finDay("2005-01-01"), Amount: usd(5000)},
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAllocations(ctx, []*tcmis.Allocation{
		{ProjectID: f.national.ID, Year: 2005, Amount: usd(1200)},
		{ProjectID: f.inter.ID, Year: 2005, Amount: usd(10000)},
	}); err != nil {
		t.Fatal(err)
	}
	var es []*tcmis.Expenditure
	for m := 1; m <= 6; m++ {
		es = append(es, &tcmis.Expenditure{ProjectID: f.national.ID, Year: 2005, Month: m, Type: tcmis.Training, Amount: usd(100)})
		es = append(es, &tcmis.Expenditure{ProjectID: f.inter.ID, Year: 2005, Month: m, Type: tcmis.InternationalExperts, Amount: usd(1001)})
	}
	es = append(es, &tcmis.Expenditure{ProjectID: f.glob.ID, Year: 2005, Month: 3, Type: tcmis.Equipment, Amount: usd(7)})
	if err := db.CreateExpenditures(ctx, es); err != nil {
		t.Fatal(err)
	}
	return f
}

func sums(t *testing.T, db *sqldb.DB, m tcmis.Measure, f tcmis.StatsFilter, by ...tcmis.Dimension) string {
	t.Helper()
	rows, err := db.SumMoney(context.Background(), tcmis.MoneyQuery{Measure: m, By: by, Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s=%d/%d", strings.Join(r.Keys, ","), r.Amount, r.Records))
	}
	return strings.Join(parts, " ")
}

func mustCurrent(t *testing.T, db *sqldb.DB, after string) {
	t.Helper()
	diff, err := sqldb.RebuildSumsForTestC(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff) > 0 {
		t.Fatalf("after %s, the report sums are not those of the records:\n%s", after, strings.Join(diff, "\n"))
	}
}

// TestStatistics checks the report sums on a programme small enough to
// work out by hand: the headings, the splits rounded by largest remainder
// so that they add up, the filters, and that every write keeps the sums
// those of the records.
func TestStatistics(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		f := mustStatsFixture(t, db)
		mustCurrent(t, db, "the first load")
		all := tcmis.StatsFilter{}
		nat, inter, glob := f.national.ID, f.inter.ID, f.glob.ID

		// Approvals: one of no project (extra-budgetary, no region).
		if got, want := sums(t, db, tcmis.MeasureApprovals, all, tcmis.ByYear, tcmis.ByCategory, tcmis.ByRegion),
			"2004,multi-bilateral,africa=100/1 2004,un,interregional=1000/1 2005,multi-bilateral,=5000/1"; got != want {
			t.Errorf("approvals by year, category, region:\n got %s\nwant %s", got, want)
		}
		// 100 cents split 33.33/33.33/33.34: 33, 33, 34.
		if got, want := sums(t, db, tcmis.MeasureApprovals, tcmis.StatsFilter{FromYear: 2004, ToYear: 2004}, tcmis.ByLocal, tcmis.ByObjective),
			"false,so3=1000/1 true,so1=33/1 true,so2=33/1 true,so4=34/1"; got != want {
			t.Errorf("approvals 2004 by local, objective:\n got %s\nwant %s", got, want)
		}
		if got, want := sums(t, db, tcmis.MeasureApprovals, tcmis.StatsFilter{Local: finPtr(false), Sources: []tcmis.Source{tcmis.XBTC}}, tcmis.BySource),
			"xbtc=6000/2"; got != want {
			t.Errorf("approvals not local: got %s, want %s", got, want)
		}

		// Expenditure by objective: 600 cents of the national project split
		// 199.98/199.98/200.04 (200, 200, 200 after the remainders), 6006 to
		// social protection, 7 to no objective.
		if got, want := sums(t, db, tcmis.MeasureExpenditure, all, tcmis.ByYear, tcmis.ByObjective),
			"2005,=7/1 2005,so1=200/6 2005,so2=200/6 2005,so3=6006/6 2005,so4=200/6"; got != want {
			t.Errorf("expenditure by objective:\n got %s\nwant %s", got, want)
		}
		if got, want := sums(t, db, tcmis.MeasureExpenditure, all, tcmis.ByOutcome, tcmis.ByType),
			",equipment=7/1 ,experts=6006/6 ,training=400/12 1a.1,training=200/6"; got != want {
			t.Errorf("expenditure by outcome and type:\n got %s\nwant %s", got, want)
		}
		// By place: the interregional project's 6006 cents 60/40 between
		// Brazil and Ghana; the global one under its IATI region.
		if got, want := sums(t, db, tcmis.MeasureExpenditure, all, tcmis.ByRegion, tcmis.ByPlace),
			"africa,GH=600/6 interregional,998=7/1 interregional,BR=2402/6 interregional,GH=3604/6"; got != want {
			t.Errorf("expenditure by place:\n got %s\nwant %s", got, want)
		}
		if got, want := sums(t, db, tcmis.MeasureExpenditure, tcmis.StatsFilter{ToMonth: 3, OfficeIDs: []int64{f.office}}, tcmis.ByMonth, tcmis.ByUnit),
			fmt.Sprintf("1,%[1]d=100/1 2,%[1]d=100/1 3,%[1]d=100/1", f.office); got != want {
			t.Errorf("expenditure of the office to March:\n got %s\nwant %s", got, want)
		}
		if got, want := sums(t, db, tcmis.MeasureExpenditure, tcmis.StatsFilter{Categories: []tcmis.DonorCategory{tcmis.UnitedNations}}, tcmis.ByDonor),
			fmt.Sprintf("%d=6006/6", f.un); got != want {
			t.Errorf("expenditure of UN-led projects: got %s, want %s", got, want)
		}
		if got, want := sums(t, db, tcmis.MeasureAllocations, all, tcmis.ByRegion), "africa=1200/1 interregional=10000/1"; got != want {
			t.Errorf("allocations by region: got %s, want %s", got, want)
		}
		if _, err := db.SumMoney(ctx, tcmis.MoneyQuery{Measure: tcmis.MeasureExpenditure, By: []tcmis.Dimension{tcmis.ByMonth, tcmis.ByObjective}}); tcmis.ErrorCode(err) != tcmis.EINVALID {
			t.Errorf("expenditure by month and objective: %v, want EINVALID", err)
		}

		// Delivery by project: at the end of March, the interregional
		// project spent 3003 of 10000 and will reach 12012 (120%); the
		// national one 300 of 1200, 1200 (100%).
		years, total, err := db.ProjectYears(ctx, tcmis.ProjectYearQuery{Year: 2005})
		if err != nil || total != 3 || len(years) != 3 || years[0].ProjectID != nat || years[0].Allocated != 1200 || years[0].Monthly[5] != 100 || years[0].Region != "africa" {
			t.Fatalf("project years: %d of %d, %+v, %v", len(years), total, years, err)
		}
		// The store returns a few more than the rule keeps, never fewer,
		// lowest forecast first.
		for _, c := range []struct {
			below tcmis.Percent
			want  []int64
		}{{9999, nil}, {10001, []int64{nat}}, {12012, []int64{nat}}, {12013, []int64{nat, inter}}} {
			below := c.below
			got, n, err := db.ProjectYears(ctx, tcmis.ProjectYearQuery{Year: 2005, Month: 3, Below: &below})
			if err != nil || n != len(got) {
				t.Fatalf("below %s: %d of %d, %v", below, len(got), n, err)
			}
			var kept []int64
			for i, y := range got {
				if rate, ok := tcmis.DeliveryRate(tcmis.Forecast(y.Monthly, 3), y.Allocated); ok && rate < below {
					if len(kept) < i {
						t.Errorf("below %s: %v kept after one dropped", below, y.ProjectID)
					}
					kept = append(kept, y.ProjectID)
				}
			}
			if !slices.Equal(kept, c.want) {
				t.Errorf("below %s: %v, want %v", below, kept, c.want)
			}
		}

		heads, err := db.ProjectHeadings(ctx, []int64{nat, inter, glob, 999})
		if err != nil || len(heads) != 3 || heads[nat].Region != "africa" || heads[nat].OfficeID != f.office || heads[inter].Category != tcmis.UnitedNations ||
			heads[inter].Region != tcmis.InterregionalRegion || heads[glob].Source != tcmis.RBTC || heads[glob].DonorID != 0 {
			t.Errorf("project headings: %+v, %v", heads, err)
		}

		// Every kind of write keeps the sums current.
		exps, _, err := db.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &nat})
		if err != nil {
			t.Fatal(err)
		}
		e := exps[0]
		e.Amount, e.ProjectID, e.Month = finMoney(250, "USD"), inter, 12
		if err := db.UpdateExpenditure(ctx, e); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "an expenditure moved to another project")
		if err := db.DeleteExpenditure(ctx, exps[1].ID); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "an expenditure deleted")
		if got, want := sums(t, db, tcmis.MeasureExpenditure, tcmis.StatsFilter{OfficeIDs: []int64{f.office}}, tcmis.ByYear), "2005=400/4"; got != want {
			t.Errorf("office expenditure after the changes: got %s, want %s", got, want)
		}
		aps, _, _ := db.FindApprovals(ctx, tcmis.MoneyFilter{})
		aps[2].ProjectID, aps[2].Local = glob, true
		if err := db.UpdateApproval(ctx, aps[2]); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteApproval(ctx, aps[0].ID); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "approvals changed")
		als, _, _ := db.FindAllocations(ctx, tcmis.MoneyFilter{})
		als[0].Year = 2006
		if err := db.UpdateAllocation(ctx, als[0]); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteAllocation(ctx, als[1].ID); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "allocations changed")

		// A project that changes its office, country, lead donor and
		// objectives moves all its money.
		p, err := db.FindProjectByID(ctx, inter)
		if err != nil {
			t.Fatal(err)
		}
		p.Scope, p.Countries, p.OfficeID = tcmis.National, []tcmis.CountryShare{{Country: "BR", Percent: tcmis.Whole}}, f.office
		p.DonorIDs, p.Source = []int64{f.nl}, tcmis.OtherSource
		p.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Outcome: "2a.1", Percent: 5000}, {Objective: tcmis.Integration, Percent: 5000}}
		if err := db.UpdateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "a project changed")
		if got, want := sums(t, db, tcmis.MeasureExpenditure, all, tcmis.ByRegion, tcmis.BySource, tcmis.ByPlace),
			"africa,xbtc,GH=400/4 americas,other,BR=6256/7 interregional,rbtc,998=7/1"; got != want {
			t.Errorf("expenditure after the project moved:\n got %s\nwant %s", got, want)
		}
		// A donor put in another category needs no refold: categories are
		// read with the sums.
		nl, _ := db.FindOrganisationByID(ctx, f.nl)
		nl.Category = tcmis.EuropeanUnion
		if err := db.UpdateOrganisation(ctx, nl); err != nil {
			t.Fatal(err)
		}
		if got, want := sums(t, db, tcmis.MeasureExpenditure, all, tcmis.ByCategory), "=7/1 eu=6656/11"; got != want {
			t.Errorf("expenditure by category after the change: got %s, want %s", got, want)
		}
	})
}

// TestStatisticsDemo compares the report sums of the demo portfolio with
// the same figures worked out in Go from the records themselves: the
// objective and place splits apportioned by tcmis.Apportion, and the
// projects below a delivery threshold by tcmis.Forecast.
func TestStatisticsDemo(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("demo")
		if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
			t.Fatal(err)
		}
		mustCurrent(t, db, "the demo")
		projects, _, err := db.FindProjects(ctx, tcmis.ProjectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]*tcmis.Project{}
		for _, p := range projects {
			byID[p.ID] = p
		}
		exps, _, err := db.FindExpenditures(ctx, tcmis.MoneyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		// Expenditure of each year by objective, worked out record by record.
		exact := map[int]map[string]int64{} // year -> objective -> cents x basis points
		monthly := map[int64]*[12]int64{}
		for _, e := range exps {
			p := byID[e.ProjectID]
			if exact[e.Year] == nil {
				exact[e.Year] = map[string]int64{}
			}
			if len(p.Objectives) == 0 {
				exact[e.Year][""] += e.Amount.USD * int64(tcmis.Whole)
			}
			for _, o := range p.Objectives {
				exact[e.Year][string(o.Objective)] += e.Amount.USD * int64(o.Percent)
			}
			if e.Year == 2005 {
				if monthly[e.ProjectID] == nil {
					monthly[e.ProjectID] = &[12]int64{}
				}
				monthly[e.ProjectID][e.Month-1] += e.Amount.USD
			}
		}
		var want []string
		for _, y := range []int{2000, 2001, 2002, 2003, 2004, 2005} {
			var keys []string
			var nums []int64
			var total int64
			for k := range exact[y] {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				nums = append(nums, exact[y][k])
				total += exact[y][k]
			}
			for i, c := range tcmis.Apportion(total/int64(tcmis.Whole), nums, int64(tcmis.Whole)) {
				want = append(want, fmt.Sprintf("%d,%s=%d", y, keys[i], c))
			}
		}
		rows, err := db.SumMoney(ctx, tcmis.MoneyQuery{Measure: tcmis.MeasureExpenditure, By: []tcmis.Dimension{tcmis.ByYear, tcmis.ByObjective}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%s=%d", strings.Join(r.Keys, ","), r.Amount))
		}
		if !slices.Equal(got, want) {
			t.Errorf("expenditure by year and objective:\n got %v\nwant %v", got, want)
		}

		// The projects whose forecast at the end of June 2005 is below 65
		// per cent, by the domain's rule, are those the store returns once
		// the rule is applied to them.
		allocs, _, err := db.FindAllocations(ctx, tcmis.MoneyFilter{Year: finPtr(2005)})
		if err != nil {
			t.Fatal(err)
		}
		allocated := map[int64]int64{}
		for _, a := range allocs {
			allocated[a.ProjectID] += a.Amount.USD
		}
		threshold := tcmis.Percent(6500)
		var below []int64
		for id, a := range allocated {
			var m [12]int64
			if monthly[id] != nil {
				m = *monthly[id]
			}
			if rate, ok := tcmis.DeliveryRate(tcmis.Forecast(m, 6), a); ok && rate < threshold {
				below = append(below, id)
			}
		}
		slices.Sort(below)
		cands, n, err := db.ProjectYears(ctx, tcmis.ProjectYearQuery{Year: 2005, Month: 6, Below: &threshold})
		if err != nil || n != len(cands) {
			t.Fatalf("candidates: %d of %d, %v", len(cands), n, err)
		}
		var kept []int64
		for _, c := range cands {
			if rate, ok := tcmis.DeliveryRate(tcmis.Forecast(c.Monthly, 6), c.Allocated); ok && rate < threshold {
				kept = append(kept, c.ProjectID)
			}
			if c.Monthly != *monthly[c.ProjectID] && monthly[c.ProjectID] != nil {
				t.Errorf("project %d: monthly %v, records %v", c.ProjectID, c.Monthly, *monthly[c.ProjectID])
			}
		}
		slices.Sort(kept)
		if len(below) == 0 || !slices.Equal(kept, below) {
			t.Errorf("projects below %s: store %v, records %v", threshold, kept, below)
		}
	})
}

func TestCostIndex(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		c := &tcmis.CostIndex{Year: 2000, Value: 1_000_000, Note: "base"}
		if err := db.SetCostIndex(ctx, c); err != nil || c.Version != 1 {
			t.Fatalf("set: %+v %v", c, err)
		}
		c2 := &tcmis.CostIndex{Year: 2000, Value: 1_030_000}
		if err := db.SetCostIndex(ctx, c2); err != nil || c2.Version != 2 {
			t.Fatalf("replace: %+v %v", c2, err)
		}
		if err := db.SetCostIndex(ctx, c); tcmis.ErrorCode(err) != tcmis.ECONFLICT {
			t.Errorf("stale set: %v", err)
		}
		if err := db.SetCostIndex(ctx, &tcmis.CostIndex{Year: 2001, Value: 0}); tcmis.ErrorCode(err) != tcmis.EINVALID {
			t.Errorf("zero index: %v", err)
		}
		if err := db.SetCostIndex(ctx, &tcmis.CostIndex{Year: 1999, Value: 990_000}); err != nil {
			t.Fatal(err)
		}
		all, err := db.FindCostIndex(ctx)
		if err != nil || len(all) != 2 || all[0].Year != 1999 || all[1].Value != 1_030_000 {
			t.Fatalf("find: %v %v", all, err)
		}
		if err := db.DeleteCostIndex(ctx, 1999); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteCostIndex(ctx, 1999); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
			t.Errorf("delete twice: %v", err)
		}
	})
}

// TestReportGeography checks that the geography the report sums attribute
// money by is the domain's: tcmis.RegionOf for countries, RegionOfCode for
// IATI regions.
func TestReportGeography(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		geo, err := sqldb.GeographyForTestC(db)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, c := range tcmis.CountryCodes() {
			if r, ok := tcmis.RegionOf(c); ok {
				want[c] = string(r)
			}
		}
		for _, c := range tcmis.LookupCodelist(tcmis.ListRegion).Codes() {
			if r, ok := tcmis.RegionOfCode(c); ok {
				want[c] = string(r)
			}
		}
		if len(geo) != len(want) {
			t.Errorf("report_geography has %d codes, the domain %d", len(geo), len(want))
		}
		for code, r := range want {
			if geo[code] != r {
				t.Errorf("%s: report_geography says %q, the domain %q", code, geo[code], r)
			}
		}
	})
}
