package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/importer"
	"github.com/tcmis/tcmis/sqldb"
)

// MustOpenDB opens a new, migrated, empty SQLite database in a temporary
// folder.
func MustOpenDB(tb testing.TB) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(tb.TempDir(), "tcmis.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

func ctxAs(name string) context.Context {
	return tcmis.WithActor(context.Background(), tcmis.Actor{Name: name})
}

// seedFile returns the path of a file of shared/seed, which lies beside
// the repository (../../shared from this package).
func seedFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "seed", name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared/seed is not beside the repository: %v", err)
		}
		t.Skipf("shared/seed is not beside the repository: %v", err)
	}
	return p
}

// counts is how many records of each kind the store holds.
type counts map[string]int

func countAll(t *testing.T, db *sqldb.DB) counts {
	t.Helper()
	ctx := context.Background()
	c := counts{}
	var err error
	check := func(name string, n int, e error) {
		c[name] = n
		if e != nil && err == nil {
			err = e
		}
	}
	_, n, e := db.FindOrganisations(ctx, tcmis.OrganisationFilter{Limit: 1})
	check("organisations", n, e)
	_, n, e = db.FindUnits(ctx, tcmis.UnitFilter{Limit: 1})
	check("units", n, e)
	_, n, e = db.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	check("projects", n, e)
	_, n, e = db.FindRates(ctx, tcmis.RateFilter{Limit: 1})
	check("rates", n, e)
	_, n, e = db.FindApprovals(ctx, tcmis.MoneyFilter{Limit: 1})
	check("approvals", n, e)
	_, n, e = db.FindAllocations(ctx, tcmis.MoneyFilter{Limit: 1})
	check("allocations", n, e)
	_, n, e = db.FindExpenditures(ctx, tcmis.MoneyFilter{Limit: 1})
	check("expenditures", n, e)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func importString(t *testing.T, db *sqldb.DB, kind importer.Kind, name, body string, opts importer.Options) (*importer.Summary, error) {
	t.Helper()
	return importer.Import(ctxAs("test"), db, kind, name, strings.NewReader(body), opts)
}

func mustImportFile(t *testing.T, db *sqldb.DB, kind importer.Kind, path string) *importer.Summary {
	t.Helper()
	sum, err := importer.ImportFile(ctxAs("test"), db, kind, path, importer.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return sum
}

// rowErrors returns the problems of an import that failed on its file.
func rowErrors(t *testing.T, err error) []importer.RowError {
	t.Helper()
	var e *importer.Errors
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *importer.Errors", err, err)
	}
	if tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Fatalf("error code %q, want invalid", tcmis.ErrorCode(err))
	}
	return e.Problems
}

// want is a problem expected at a row and column, whose message contains
// a text.
type want struct {
	row    int
	column string
	text   string
}

func checkProblems(t *testing.T, got []importer.RowError, wants []want) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, g := range got {
			if !used[i] && g.Row == w.row && g.Column == w.column && strings.Contains(g.Message, w.text) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("no problem at row %d, column %q, saying %q", w.row, w.column, w.text)
		}
	}
	for i, g := range got {
		if !used[i] {
			t.Errorf("unexpected problem: %s", g.Error())
		}
	}
}

// TestPublishedApprovals imports the organisation's published approvals
// by donor and year, 2000-2004, into an empty database.
func TestPublishedApprovals(t *testing.T) {
	path := seedFile(t, "approvals-2000-2004.csv")
	db := MustOpenDB(t)
	ctx := context.Background()

	// What the file says, read on its own.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:]
	total := new(big.Int)
	categories := map[string]string{}
	for _, r := range recs {
		v, ok := new(big.Int).SetString(r[3], 10)
		if !ok {
			t.Fatalf("amount %q", r[3])
		}
		total.Add(total, v)
		categories[r[1]] = r[2]
	}
	if len(recs) != 165 || len(categories) != 50 {
		t.Fatalf("the seed file has %d rows and %d donors, want 165 and 50", len(recs), len(categories))
	}
	// Thousands of US$, rounded half up as the report does.
	thousands := new(big.Int).Div(new(big.Int).Add(total, big.NewInt(500)), big.NewInt(1000))
	if thousands.Int64() != 768_850 {
		t.Fatalf("the seed file adds up to %s thousand, want 768,850", thousands)
	}

	var progress []int64
	sum, err := importer.ImportFile(ctxAs("test"), db, importer.Approvals, path, importer.Options{
		Progress: func(done, total int64) { progress = append(progress, done, total) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 165 || sum.Created[importer.Donors] != 50 || sum.Created[importer.Approvals] != 165 {
		t.Fatalf("summary %+v", sum)
	}
	if got := sum.String(); got != "approvals-2000-2004.csv: 165 rows read, created 50 donors and 165 approvals" {
		t.Errorf("summary says %q", got)
	}
	if n := len(progress); n < 4 || progress[n-2] != 215 || progress[n-1] != 215 {
		t.Errorf("progress calls %v, want to end with 215 of 215 stored", progress)
	}

	donors, n, err := db.FindOrganisations(ctx, tcmis.OrganisationFilter{})
	if err != nil || n != 50 {
		t.Fatalf("%d donors, %v", n, err)
	}
	byID := map[int64]*tcmis.Organisation{}
	for _, o := range donors {
		byID[o.ID] = o
		want, err := tcmis.ParseDonorCategory(categories[o.Name])
		if err != nil || o.Category != want {
			t.Errorf("donor %s has category %q, want %q", o.Name, o.Category, categories[o.Name])
		}
	}
	approvals, n, err := db.FindApprovals(ctx, tcmis.MoneyFilter{})
	if err != nil || n != 165 {
		t.Fatalf("%d approvals, %v", n, err)
	}
	stored := new(big.Int)
	for _, a := range approvals {
		if a.Amount.Currency != "USD" || a.Amount.USD != a.Amount.Amount {
			t.Errorf("approval %+v", a)
		}
		if a.Date.Month() != time.January || a.Date.Day() != 1 {
			t.Errorf("approval dated %s, want 1 January of its year", a.Date)
		}
		if byID[a.DonorID] == nil {
			t.Errorf("approval of unknown donor %d", a.DonorID)
		}
		stored.Add(stored, big.NewInt(a.Amount.Amount))
	}
	// Stored in cents; the file's amounts are whole dollars.
	if want := new(big.Int).Mul(total, big.NewInt(100)); stored.Cmp(want) != 0 {
		t.Fatalf("approvals add up to %s cents, want %s", stored, want)
	}

	// A second import is refused, every row a duplicate, and changes
	// nothing.
	before := countAll(t, db)
	_, err = importer.ImportFile(ctxAs("test"), db, importer.Approvals, path, importer.Options{})
	problems := rowErrors(t, err)
	if len(problems) != 165 {
		t.Fatalf("second import: %d problems, want 165:\n%v", len(problems), err)
	}
	for i, p := range problems {
		if p.Row != i+2 || !strings.Contains(p.Message, "already stored") {
			t.Errorf("second import: %s", p.Error())
		}
	}
	if after := countAll(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("second import changed the store: %v, then %v", before, after)
	}
}

// fixture stores the records the small files refer to: rates, donors,
// units and projects, from testdata.
func fixture(t *testing.T, db *sqldb.DB) {
	t.Helper()
	for _, k := range []importer.Kind{importer.Rates, importer.Donors, importer.Units, importer.Projects} {
		mustImportFile(t, db, k, filepath.Join("testdata", string(k)+".csv"))
	}
}

// TestEveryKind imports the sample file of every kind, in the order a
// new database is filled.
func TestEveryKind(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	wantRows := map[importer.Kind]int{
		importer.Rates: 3, importer.Donors: 5, importer.Units: 4, importer.Projects: 3,
		importer.Approvals: 4, importer.Allocations: 3, importer.Expenditures: 5,
	}
	for _, k := range importer.Kinds() {
		sum := mustImportFile(t, db, k, filepath.Join("testdata", string(k)+".csv"))
		if sum.Rows != wantRows[k] || sum.Created[k] != wantRows[k] {
			t.Errorf("%s: %+v", k, sum)
		}
	}

	// Donors.
	japan, _, err := db.FindOrganisations(ctx, tcmis.OrganisationFilter{Name: ptr("Japan, through the Government of Japan")})
	if err != nil || len(japan) != 1 || japan[0].Country != "JP" || japan[0].Category != tcmis.DirectTrustFund || japan[0].Type != "10" {
		t.Errorf("Japan read back as %+v, %v", japan, err)
	}
	gates, _, _ := db.FindOrganisations(ctx, tcmis.OrganisationFilter{Name: ptr("bill & melinda gates foundation")})
	if len(gates) != 1 || gates[0].NonState != "foundation" || gates[0].Category != tcmis.NonState {
		t.Errorf("Gates read back as %+v", gates)
	}
	swiss, _, _ := db.FindOrganisations(ctx, tcmis.OrganisationFilter{Name: ptr("Switzerland")})
	if len(swiss) != 1 || swiss[0].Category != tcmis.MultiBilateral {
		t.Errorf("the donor the approvals created: %+v", swiss)
	}

	// Units: the office listed before its parent reports to it.
	units, _, err := db.FindUnits(ctx, tcmis.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string]*tcmis.Unit{}
	for _, u := range units {
		unit[u.Code] = u
	}
	if d, ro := unit["ILO-Dakar"], unit["RO-Africa"]; d == nil || ro == nil || d.ParentID != ro.ID || d.Region != tcmis.Africa || d.Country != "SN" {
		t.Errorf("units read back as %+v, %+v", d, ro)
	}

	// Projects.
	p, err := db.FindProjectByCode(ctx, "SEN/04/01/USA")
	if err != nil {
		t.Fatal(err)
	}
	if p.LeadUnitID != unit["IPEC"].ID || p.OfficeID != unit["ILO-Dakar"].ID || p.Source != tcmis.XBTC || p.Scope != tcmis.National ||
		p.Status != tcmis.Ongoing || p.Gender != tcmis.Significant || p.Tripartite.Design != tcmis.AllConstituents ||
		p.Tripartite.Implementation != tcmis.Governments|tcmis.Workers || p.Tripartite.Evaluation != 0 || p.Crisis ||
		fmt.Sprint(p.Conventions) != "[138 182]" || p.IATIID != "XM-DAC-41302-SEN/04/01/USA" ||
		fmt.Sprint(p.Countries) != "[{SN 100}]" || fmt.Sprint(p.Objectives) != "[{so1 1a.2 100}]" ||
		p.Start.Format(tcmis.DateLayout) != "2004-01-01" || p.End.Format(tcmis.DateLayout) != "2007-12-31" {
		t.Errorf("project read back as %+v", p)
	}
	if got := p.TotalBudget(); got.Amount != 230_000_000 {
		t.Errorf("budget %v, want 2,300,000.00 USD", got)
	}
	raf, err := db.FindProjectByCode(ctx, "RAF/04/10/NET")
	if err != nil {
		t.Fatal(err)
	}
	if len(raf.DonorIDs) != 2 || fmt.Sprint(raf.Countries) != "[{GH 60} {TG 40}]" || !raf.Crisis || raf.Currency != "EUR" ||
		fmt.Sprint(raf.Sectors) != "[{16020 60} {11330 40}]" {
		t.Errorf("project read back as %+v", raf)
	}

	// Money: a year alone dates an approval 1 January; euros are
	// converted at the rate in force.
	approvals, _, err := db.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &raf.ID})
	if err != nil || len(approvals) != 1 {
		t.Fatalf("approvals %v, %v", approvals, err)
	}
	if a := approvals[0]; a.Date.Format(tcmis.DateLayout) != "2004-01-01" || a.Amount.Amount != 80_000_000 || a.Amount.USD != 100_000_000 || !a.Local {
		t.Errorf("approval read back as %+v", a)
	}
	spent, _, err := db.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &p.ID})
	if err != nil || len(spent) != 4 {
		t.Fatalf("expenditures %v, %v", spent, err)
	}
	var cents int64
	for _, e := range spent {
		cents += e.Amount.USD
	}
	if cents != 2_500_000+430_075+2_500_000-12_050 {
		t.Errorf("expenditures add up to %d cents", cents)
	}
}

func ptr[T any](v T) *T { return &v }

// TestBadCSV checks that every problem of a file is reported at its row
// and column, and that a file with any problem changes nothing.
func TestBadCSV(t *testing.T) {
	db := MustOpenDB(t)
	fixture(t, db)
	cases := []struct {
		name string
		kind importer.Kind
		body string
		want []want
	}{
		{
			name: "approvals.csv",
			kind: importer.Approvals,
			body: "date,donor,project,amount,currency,local,reason\n" +
				"2004-03-15,United States,SEN/04/01/USA,1000,USD,,\n" + // fine
				"2004-03-15,United States,SEN/04/01/USA,12.3.4,USD,,\n" +
				"2004-03-15,United States,XYZ/99/01/ABC,1000,USD,,\n" +
				"15/03/2004,United States,,1000,USD,,\n" +
				"2004-03-15,Atlantis,,1000,USD,,\n" +
				"2004-03-15,United States,,,USD,,\n" +
				"\n" +
				"2004-03-15,United States,,12.345,USD,maybe,\n" +
				"2004-03-15,United States,,-500,USD,,\n" +
				"2004-03-15,United States,,500,EURO,,\n" +
				"1999-03-15,Netherlands,,500,EUR,,\n",
			want: []want{
				{3, "amount", `"12.3.4" is not an amount in USD`},
				{4, "project", "unknown project XYZ/99/01/ABC"},
				{5, "date", `"15/03/2004" is not a date written as YYYY-MM-DD`},
				{6, "donor", "unknown donor Atlantis: import donors first (tcmis import donors), or add a donor_category column"},
				{7, "amount", "the amount is missing"},
				{9, "amount", "more than 2 decimals"},
				{9, "local", `"maybe" is neither yes nor no`},
				{10, "amount", "a negative amount needs a reason"},
				{11, "currency", `"EURO" is not a currency code`},
				{12, "currency", "no exchange rate for EUR on or before 1999-03-15"},
			},
		},
		{
			name: "projects.csv",
			kind: importer.Projects,
			body: "code,title,source,donors,lead_unit,scope,countries,objectives,start,end,status,currency,budget_experts\n" +
				"GHA/04/01/USA,Fine,xbtc,United States,IPEC,national,GH,so2,2004-01-01,2005-12-31,ongoing,USD,1000\n" +
				"GHA/04/02/USA,Unknown country,xbtc,United States,IPEC,regional,GH:50;XX:50,so2,2004-01-01,2005-12-31,ongoing,USD,\n" +
				"GHA/04/03/USA,Shares,xbtc,United States,IPEC,regional,GH:60;TG:30,so1:70;so2:20,2004-01-01,2005-12-31,ongoing,USD,\n" +
				"GHA/04/04/USA,Bad dates,xbtc,United States,IPEC,national,GH,so2,2004-13-01,2003-12-31,ongoing,USD,\n" +
				"GHA/04/05/USA,No donor,xbtc,,NOPE,national,GH,so2,2004-01-01,2005-12-31,ongoing,USD,-5\n" +
				"SEN/04/01/USA,Stored already,xbtc,United States,IPEC,national,SN,so1,2004-01-01,2005-12-31,ongoing,USD,\n" +
				"GHA/04/01/USA,Twice,xbtc,United States,IPEC,national,GH,so2,2004-01-01,2005-12-31,done,USD,\n",
			want: []want{
				{3, "countries", `unknown country "XX"`},
				{4, "countries", "the country and region shares add up to 90 per cent; they must add up to 100"},
				{4, "objectives", "the strategic objective shares add up to 90 per cent"},
				{5, "start", `"2004-13-01" is not a date written as YYYY-MM-DD`},
				{6, "lead_unit", "unknown unit NOPE"},
				{6, "donors", "an extra-budgetary project needs at least one donor"},
				{6, "budget_experts", "a budget line cannot be negative"},
				{7, "code", "a project with code SEN/04/01/USA is already stored"},
				{8, "status", `"done" is not a project status`},
				{8, "code", "row 2 already has a project with code GHA/04/01/USA"},
			},
		},
		{
			name: "donors.csv",
			kind: importer.Donors,
			body: "name,category,non_state,type,country\n" +
				"United States,multi-bilateral,,10,US\n" +
				"Ford Foundation,non-state,charity,60,US\n" +
				"Ruritania,bilateral,,10,RU\n" +
				"ACME,non-state,private-sector,99,Atlantis\n" +
				"Ford Foundation,non-state,,,\n" +
				",un,,,\n",
			want: []want{
				{2, "name", "a donor named United States is already stored"},
				{3, "non_state", `"charity" is not a kind of non-state actor`},
				{4, "category", `"bilateral" is not a donor category`},
				{5, "type", `"99" is not an IATI organisation type`},
				{5, "country", `unknown country "Atlantis"`},
				{6, "name", "row 3 already has a donor named Ford Foundation"},
				{7, "name", "the donor's name is missing"},
			},
		},
		{
			name: "units.csv",
			kind: importer.Units,
			body: "code,name,kind,parent,region,country\n" +
				"ILO-Abuja,ILO Office in Abuja,field-office,RO-Africa,,NG\n" +
				"ILO-Lima,ILO Office in Lima,field-office,RO-Americas,,PE\n" +
				"A,Unit A,department,B,,\n" +
				"B,Unit B,department,A,,\n" +
				"ILO-Nowhere,ILO Office,field-office,,,\n" +
				"ILO-Cairo,ILO Office in Cairo,field-office,,arab-states,EG\n" +
				"IPEC,Again,department,,,\n",
			want: []want{
				{3, "parent", "unknown unit RO-Americas: import it first, or add it to this file"},
				{4, "parent", "unit A reports, through the parents given in this file, to itself"},
				{5, "parent", "unit B reports, through the parents given in this file, to itself"},
				{6, "region", "an office must belong to a region"},
				{7, "region", "Egypt is in Africa, not Arab States"},
				{8, "code", "a unit with code IPEC is already stored"},
			},
		},
		{
			name: "allocations.csv",
			kind: importer.Allocations,
			body: "project,year,amount,currency\n" +
				"SEN/04/01/USA,2004,100,USD\n" +
				"SEN/04/01/USA,2004,100,USD\n" +
				"SEN/04/01/USA,1850,100,USD\n" +
				"SEN/04/01/USA,twenty,100,USD\n" +
				",2004,100,USD\n" +
				"NOPE,2004,100,USD\n",
			want: []want{
				{3, "", "the same allocation as row 2"},
				{4, "year", "1850 is not a plausible year"},
				{5, "year", `"twenty" is not a year`},
				{6, "project", "the project code is missing"},
				{7, "project", "unknown project NOPE"},
			},
		},
		{
			name: "expenditures.csv",
			kind: importer.Expenditures,
			body: "project,year,type,amount\n" +
				"SEN/04/01/USA,2004,experts,100\n",
			want: []want{
				{1, "", "the file has no currency column"},
				{1, "", "the file has a year column but no month column"},
			},
		},
		{
			name: "periods.csv",
			kind: importer.Expenditures,
			body: "project,period,year,month,type,amount,currency\n" +
				"SEN/04/01/USA,2004-13,,,experts,1,USD\n" +
				"SEN/04/01/USA,2004-03,2004,,experts,1,USD\n" +
				"SEN/04/01/USA,,2004,Smarch,experts,1,USD\n" +
				"SEN/04/01/USA,,2004,Sept,chairs,1,USD\n" +
				"SEN/04/01/USA,03/2004,,,training,1,USD\n" +
				"SEN/04/01/USA,,,,training,1,USD\n",
			want: []want{
				{2, "period", `"2004-13" is not a period`},
				{3, "period", "give the period, or the year and the month, not both"},
				{4, "month", `"Smarch" is not a month`},
				{5, "type", `"chairs" is not a type of assistance`},
				{7, "period", "the period (year and month, such as 2004-03) is missing"},
			},
		},
		{
			name: "rates.csv",
			kind: importer.Rates,
			body: "currency,date,per_usd,source,amonut\n" +
				"EUR,2004-01-01,0.8,UN operational rates of exchange,\n" +
				"EUR,2005-01-01,0.8,UN operational rates of exchange,\n" +
				"EUR,2005-01-01,0.75,,\n" +
				"USD,2005-01-01,1,UN,\n" +
				"GBP,2005-01-01,-0.5,UN,\n" +
				"GBP,2005-01-01,0.5,UN,\n" +
				"GBP,2005-01-01,0.55,UN,\n",
			want: []want{
				{1, "amonut", `unknown column "amonut"`},
				{2, "", "this exchange rate is already stored"},
				{4, "source", "the source of the rate is missing"},
				{5, "currency", "US dollars need no exchange rate"},
				{6, "per_usd", "the rate must be a positive number"},
				{8, "", "the same exchange rate as row 7"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countAll(t, db)
			_, err := importString(t, db, c.kind, c.name, c.body, importer.Options{})
			t.Logf("the problems, as printed:\n%v", err)
			checkProblems(t, rowErrors(t, err), c.want)
			if after := countAll(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("a bad file changed the store: %v, then %v", before, after)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, c.name+": ") {
					t.Errorf("line %q does not name the file", line)
				}
			}
		})
	}
}

// TestErrorLines checks how problems are written.
func TestErrorLines(t *testing.T) {
	db := MustOpenDB(t)
	fixture(t, db)
	_, err := importString(t, db, importer.Approvals, "approvals.csv",
		"date,donor,amount,currency\n2004-01-01,United States,10,USD\n\n\n2004-01-01,United States,12.3.4,USD\n", importer.Options{})
	if want := `approvals.csv: row 5, column amount: "12.3.4" is not an amount in USD: more than 2 decimals`; err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
	if got := tcmis.ErrorMessage(err); got != err.Error() {
		t.Errorf("ErrorMessage = %q", got)
	}

	// Past MaxErrors, problems are only counted.
	var b strings.Builder
	b.WriteString("date,donor,amount,currency\n")
	for i := 0; i < importer.MaxErrors+5; i++ {
		b.WriteString("2004-01-01,Nobody,10,USD\n")
	}
	_, err = importString(t, db, importer.Approvals, "many.csv", b.String(), importer.Options{})
	var e *importer.Errors
	if !errors.As(err, &e) || len(e.Problems) != importer.MaxErrors || e.Omitted != 5 || e.Len() != importer.MaxErrors+5 {
		t.Fatalf("%d problems listed, %d omitted", len(e.Problems), e.Omitted)
	}
	if !strings.HasSuffix(err.Error(), "\nmany.csv: ... and 5 more problems") {
		t.Errorf("last line of %q", err.Error()[len(err.Error())-80:])
	}
}

// TestHeaders checks headings with aliases, a byte order mark, semicolons
// as delimiters, Windows line ends, blank lines and columns not read.
func TestHeaders(t *testing.T) {
	db := MustOpenDB(t)
	fixture(t, db)
	body := "\ufeffProject Code;Period;Type of assistance;Value;Currency;Notes\r\n" +
		"SEN/04/01/USA;2004-05;Experts;\"1.234,5\";usd;first\r\n" + // a decimal comma is not read as one
		"\r\n" +
		"SEN/04/01/USA;2004-05;experts;1234.50;USD;\r\n"
	_, err := importString(t, db, importer.Expenditures, "semicolons.csv", body, importer.Options{})
	checkProblems(t, rowErrors(t, err), []want{{2, "Value", `"1.234,5" is not an amount in USD`}})

	body = strings.Replace(body, `"1.234,5"`, `"1,234.5"`, 1)
	_, err = importString(t, db, importer.Expenditures, "semicolons.csv", body, importer.Options{})
	checkProblems(t, rowErrors(t, err), []want{{4, "", "the same expenditure as row 2"}})
	sum, err := importString(t, db, importer.Expenditures, "semicolons.csv", body, importer.Options{AllowDuplicates: true})
	if err != nil || sum.Created[importer.Expenditures] != 2 {
		t.Fatalf("%+v, %v", sum, err)
	}

	// Aliases of every kind, in any case and spacing.
	sum, err = importString(t, db, importer.Donors, "donors.csv",
		"Donor Name,DONOR-CATEGORY,IATI_Ref,Organisation Type,Country Code,Comments\n"+
			"Sweden,Multi-bilateral donors,XM-DAC-10,10,SE,\n", importer.Options{})
	if err != nil || sum.Created[importer.Donors] != 1 {
		t.Fatalf("%+v, %v", sum, err)
	}
	sum, err = importString(t, db, importer.Allocations, "allocations.csv",
		"Project_Code\tYear\tAllocated (USD)\tcurrency\n"+
			"INT/04/20/RBTC\t2005\t125000\tUSD\n", importer.Options{})
	if err != nil || sum.Created[importer.Allocations] != 1 {
		t.Fatalf("%+v, %v", sum, err)
	}

	// A heading used twice, a cell without a heading, no data.
	_, err = importString(t, db, importer.Allocations, "allocations.csv",
		"project,code,year,amount,currency\nINT/04/20/RBTC,,2006,5,USD,stray\n", importer.Options{})
	checkProblems(t, rowErrors(t, err), []want{
		{1, "code", "repeats column project"},
		{2, "6", "a column without a heading"},
	})
	_, err = importString(t, db, importer.Allocations, "empty.csv", "\n\n", importer.Options{})
	checkProblems(t, rowErrors(t, err), []want{{0, "", "the file is empty"}})

	// A cell on two lines is one row of a spreadsheet.
	_, err = importString(t, db, importer.Donors, "donors.csv",
		"name,category\n\"Fondation\r\nde France\",non-state\n\nBad,nope\n", importer.Options{})
	checkProblems(t, rowErrors(t, err), []want{{4, "category", `"nope" is not a donor category`}})

	// A quotation mark out of place spoils its row only.
	_, err = importString(t, db, importer.Donors, "donors.csv",
		"name,category\nThe \"Good\" Fund,non-state\nBad,nope\n\"Open,non-state\n", importer.Options{})
	checkProblems(t, rowErrors(t, err), []want{
		{2, "", "a quotation mark in the middle of a cell, at character 5 of the line"},
		{3, "category", `"nope" is not a donor category`},
		{4, "", "a misplaced quotation mark"},
	})

	// Checked, not stored.
	before := countAll(t, db)
	sum, err = importString(t, db, importer.Donors, "donors.csv", "name,category\nNorway,multi-bilateral\n", importer.Options{Check: true})
	if err != nil || sum.Rows != 1 || len(sum.Created) != 0 {
		t.Fatalf("check: %+v, %v", sum, err)
	}
	if after := countAll(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a check changed the store: %v, then %v", before, after)
	}
}

// faultyStore fails the second bulk creation of expenditures with a
// problem at its second record, as a store would find a rate or a
// reference missing.
type faultyStore struct{ *sqldb.DB }

type faultyLoader struct {
	tcmis.Loader
	calls int
}

func (s faultyStore) Load(ctx context.Context, source string, fn func(tcmis.Loader) error) error {
	return s.DB.Load(ctx, source, func(l tcmis.Loader) error { return fn(&faultyLoader{Loader: l}) })
}

func (l *faultyLoader) CreateExpenditures(es []*tcmis.Expenditure) error {
	if l.calls++; l.calls == 2 {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "some expenditures records are not valid",
			Problems: []tcmis.Problem{{Field: "expenditures[1].amount", Message: "no exchange rate for XYZ"}}}
	}
	return l.Loader.CreateExpenditures(es)
}

// TestLoadProblems checks that a problem a bulk creation finds is
// reported at its row, and that nothing of the file is stored.
func TestLoadProblems(t *testing.T) {
	db := MustOpenDB(t)
	fixture(t, db)
	before := countAll(t, db)
	body, err := os.ReadFile(filepath.Join("testdata", "expenditures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = importer.Import(ctxAs("test"), faultyStore{db}, importer.Expenditures, "expenditures.csv", bytes.NewReader(body), importer.Options{ChunkSize: 2})
	checkProblems(t, rowErrors(t, err), []want{{5, "amount", "no exchange rate for XYZ"}})
	if after := countAll(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a failed load changed the store: %v, then %v", before, after)
	}
}

// TestXLSX imports workbooks written here: dates as serial numbers,
// numbers as a workbook stores them, problems named by column letter.
func TestXLSX(t *testing.T) {
	db := MustOpenDB(t)
	fixture(t, db)
	ctx := context.Background()

	write := func(t *testing.T, sheet string, rows [][]any) *bytes.Buffer {
		t.Helper()
		f := excelize.NewFile()
		defer f.Close()
		if sheet != "Sheet1" {
			f.NewSheet("Notes")
			f.SetCellValue("Notes", "A1", "Read me first")
			f.NewSheet(sheet)
		}
		date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		for i, r := range rows {
			for k, v := range r {
				cell, _ := excelize.CoordinatesToCellName(k+1, i+1)
				if v == nil {
					continue
				}
				if err := f.SetCellValue(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
				if _, ok := v.(time.Time); ok {
					f.SetCellStyle(sheet, cell, cell, date)
				}
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return &buf
	}

	day := func(s string) time.Time { d, _ := tcmis.ParseDate(s); return d }
	good := write(t, "Approvals", [][]any{
		{"Date", "Donor", "Project", "Amount", "Currency", "Reason"},
		{day("2004-04-01"), "United States", "SEN/04/01/USA", 1234.56, "USD"},
		{nil},
		{day("2000-01-01"), "Netherlands", nil, 0.1 + 0.2, "USD"},
		{"2004-02-29", "Netherlands", nil, "1,000,000", "USD"},
		{day("2004-12-31"), "Netherlands", nil, int64(123456789012), "USD"},
		{day("2004-12-31"), "Netherlands", nil, -20, "USD", "Correction"},
	})
	sum, err := importer.Import(ctxAs("test"), db, importer.Approvals, "approvals.xlsx", good, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sheet != "Approvals" || sum.Rows != 5 || sum.Created[importer.Approvals] != 5 {
		t.Fatalf("summary %+v", sum)
	}
	as, _, err := db.FindApprovals(ctx, tcmis.MoneyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		got = append(got, a.Date.Format(tcmis.DateLayout)+" "+a.Amount.String())
	}
	wantList := "[2000-01-01 0.30 USD 2004-02-29 1000000.00 USD 2004-04-01 1234.56 USD 2004-12-31 123456789012.00 USD 2004-12-31 -20.00 USD]"
	if fmt.Sprint(got) != wantList {
		t.Errorf("approvals stored:\n%v\nwant\n%s", got, wantList)
	}

	// A sheet of projects with problems: letters name the columns.
	before := countAll(t, db)
	bad := write(t, "Sheet1", [][]any{
		{"code", "title", "source", "donors", "lead_unit", "scope", "countries", "start", "end", "status", "currency", "budget_training"},
		{"GHA/05/01/USA", "Fine", "xbtc", "United States", "IPEC", "national", "GH", day("2005-01-01"), day("2006-12-31"), "ongoing", "USD", 1000.5},
		{"GHA/05/02/USA", "Bad", "xbtc", "United States", "IPEC", "regional", "GH:70;TG:20", 60, "2006-12-31", "ongoing", "USD", 12.345},
		{"GHA/05/03/USA", "Unknown", "xbtc", "Atlantis", "IPEC", "national", "Narnia", day("2005-01-01"), day("2004-12-31"), "ongoing", "USD"},
	})
	badBytes := bytes.Clone(bad.Bytes())
	_, err = importer.Import(ctxAs("test"), db, importer.Projects, "projects.xlsx", bad, importer.Options{})
	t.Logf("the problems, as printed:\n%v", err)
	checkProblems(t, rowErrors(t, err), []want{
		{3, "G (countries)", "the country and region shares add up to 90 per cent"},
		{3, "H (start)", "Excel's 29 February 1900"},
		{3, "L (budget_training)", `"12.345" is not an amount in USD`},
		{4, "D (donors)", "unknown donor Atlantis"},
		{4, "G (countries)", `unknown country "Narnia"`},
		{4, "I (end)", "the end date (2004-12-31) must come after the start date (2005-01-01)"},
	})
	if after := countAll(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a bad workbook changed the store: %v, then %v", before, after)
	}

	// A sheet named on the command line, and one that is not there.
	_, err = importer.Import(ctxAs("test"), db, importer.Projects, "projects.xlsx", bytes.NewReader(badBytes), importer.Options{Sheet: "Budget"})
	checkProblems(t, rowErrors(t, err), []want{{0, "", `the workbook has no sheet named "Budget"`}})
}

func TestParseKind(t *testing.T) {
	for _, k := range importer.Kinds() {
		if got, err := importer.ParseKind(" " + strings.ToUpper(string(k))); got != k || err != nil {
			t.Errorf("ParseKind(%s) = %q, %v", k, got, err)
		}
		if len(importer.Columns(k)) == 0 {
			t.Errorf("%s has no columns", k)
		}
		// Each heading leads to one column only.
		norm := strings.NewReplacer("_", "", " ", "", "-", "")
		seen := map[string]string{}
		for _, c := range importer.Columns(k) {
			for _, h := range append([]string{c.Name}, c.Aliases...) {
				n := norm.Replace(strings.ToLower(h))
				if other, ok := seen[n]; ok {
					t.Errorf("%s: heading %q is both %s and %s", k, h, other, c.Name)
				}
				seen[n] = c.Name
			}
		}
	}
	if _, err := importer.ParseKind("budgets"); tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Errorf("ParseKind(budgets): %v", err)
	}
}

// BenchmarkImportExpenditures imports 100,000 rows of expenditure, a
// tenth of them in euros, for 200 projects into SQLite, and reports the
// rows stored per second.
func BenchmarkImportExpenditures(b *testing.B) {
	const rows = 100_000
	var rates, projects, spent bytes.Buffer
	rates.WriteString("currency,date,per_usd,source\n")
	for y := 1998; y <= 2005; y++ {
		for m := 1; m <= 12; m++ {
			fmt.Fprintf(&rates, "EUR,%d-%02d-01,0.%d,UN operational rates of exchange\n", y, m, 8000+y%7*100+m)
		}
	}
	projects.WriteString("code,title,source,donors,lead_unit,scope,countries,start,end,status,currency\n")
	for p := 0; p < 200; p++ {
		fmt.Fprintf(&projects, "BEN/98/%03d/USA,Project %d,xbtc,United States,IPEC,national,BJ,1998-01-01,2005-12-31,ongoing,USD\n", p, p)
	}
	spent.WriteString("project,year,month,type,amount,currency,reason\n")
	types := tcmis.AssistanceTypes()
	for i := 0; i < rows; i++ {
		p, rest := i%200, i/200 // 500 rows a project
		y, m, k := 1998+rest/72, 1+rest/6%12, types[rest%6]
		currency := "USD"
		if i%10 == 0 {
			currency = "EUR"
		}
		fmt.Fprintf(&spent, "BEN/98/%03d/USA,%d,%d,%s,\"%d,%03d.%02d\",%s,\n", p, y, m, k, 1+i%97, i*7919%1000, i%100, currency)
	}
	ctx := ctxAs("bench")
	b.ReportAllocs()
	b.SetBytes(int64(spent.Len()))
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := MustOpenDB(b)
		for _, f := range []struct {
			kind importer.Kind
			body []byte
		}{
			{importer.Rates, rates.Bytes()},
			{importer.Donors, []byte("name,category\nUnited States,multi-bilateral\n")},
			{importer.Units, []byte("code,name,kind\nIPEC,IPEC,department\n")},
			{importer.Projects, projects.Bytes()},
		} {
			if _, err := importer.Import(ctx, db, f.kind, string(f.kind)+".csv", bytes.NewReader(f.body), importer.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		sum, err := importer.Import(ctx, db, importer.Expenditures, "expenditures.csv", bytes.NewReader(spent.Bytes()), importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Created[importer.Expenditures] != rows {
			b.Fatalf("summary %+v", sum)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

var update = flag.Bool("update", false, "rewrite the column reference in doc/import.md")

// columnReference writes the columns of every kind as markdown tables.
func columnReference() string {
	var b strings.Builder
	for _, k := range importer.Kinds() {
		fmt.Fprintf(&b, "\n### %s\n\n| column | also accepted | required | what it holds |\n|---|---|---|---|\n", k)
		for _, c := range importer.Columns(k) {
			aliases := make([]string, len(c.Aliases))
			for i, a := range c.Aliases {
				aliases[i] = "`" + a + "`"
			}
			required := ""
			if c.Required {
				required = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, strings.Join(aliases, ", "), required, strings.ReplaceAll(c.Description, "|", "\\|"))
		}
	}
	return b.String()
}

// TestColumnReference keeps the column reference of doc/import.md, and
// the list in the package comment, in step with the code.
func TestColumnReference(t *testing.T) {
	const path = "../doc/import.md"
	const begin, end = "<!-- columns:begin -->\n", "<!-- columns:end -->"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q section", path, begin, end)
	}
	want := columnReference() + "\n"
	if got := text[i+len(begin) : j]; got != want {
		if !*update {
			t.Fatalf("the column reference in %s is out of date: run go test ./importer -update", path)
		}
		if err := os.WriteFile(path, []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkg, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range importer.Kinds() {
		for _, c := range importer.Columns(k) {
			if !bytes.Contains(pkg, []byte(c.Name)) {
				t.Errorf("doc.go does not list column %s of %s", c.Name, k)
			}
		}
	}
}
