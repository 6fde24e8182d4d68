package tcmis_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func day(s string) time.Time {
	d, err := tcmis.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// validProject is a national XB-TC project that passes validation.
func validProject() *tcmis.Project {
	return &tcmis.Project{
		Code: "GHA/04/01/NET", Title: "Decent work pilot", Source: tcmis.XBTC,
		DonorIDs: []int64{1}, LeadUnitID: 2, OfficeID: 3, Scope: tcmis.National,
		Countries:  []tcmis.CountryShare{{Country: "GH", Percent: tcmis.Whole}},
		Objectives: []tcmis.ObjectiveShare{{Objective: tcmis.Employment, Percent: 7000}, {Objective: tcmis.SocialDialogue, Percent: 3000}},
		Sectors:    []tcmis.SectorShare{{Code: "16020", Percent: tcmis.Whole}},
		Start:      day("2004-01-01"), End: day("2005-12-31"), Status: tcmis.Ongoing, Currency: "USD",
		Budget:      []tcmis.BudgetLine{{Type: tcmis.InternationalExperts, Amount: 100}, {Type: tcmis.Training, Amount: 50}},
		Conventions: []int{122},
	}
}

func TestProjectValidate(t *testing.T) {
	if err := validProject().Validate(); err != nil {
		t.Fatalf("valid project refused: %v", err)
	}
	for _, tt := range []struct {
		name   string
		change func(p *tcmis.Project)
		fields []string // every field that must be named
	}{
		{"no code, no title", func(p *tcmis.Project) { p.Code, p.Title = "", " " }, []string{"code", "title"}},
		{"code with spaces", func(p *tcmis.Project) { p.Code = "GHA 04" }, []string{"code"}},
		{"end before start", func(p *tcmis.Project) { p.End = day("2003-12-31") }, []string{"end"}},
		{"end on start", func(p *tcmis.Project) { p.End = p.Start }, []string{"end"}},
		{"unknown currency", func(p *tcmis.Project) { p.Currency = "XYZ" }, []string{"currency"}},
		{"unknown country", func(p *tcmis.Project) { p.Countries[0].Country = "ZZ" }, []string{"countries[0]"}},
		{"country split under 100", func(p *tcmis.Project) { p.Countries[0].Percent = 9999 }, []string{"countries"}},
		{"objective split over 100", func(p *tcmis.Project) { p.Objectives[1].Percent = 3001 }, []string{"objectives"}},
		{"unknown objective", func(p *tcmis.Project) { p.Objectives[0].Objective = "so9" }, []string{"objectives[0]"}},
		{"unknown sector", func(p *tcmis.Project) { p.Sectors[0].Code = "99999" }, []string{"sectors[0]"}},
		{"national in two countries", func(p *tcmis.Project) {
			p.Countries = []tcmis.CountryShare{{Country: "GH", Percent: 5000}, {Country: "TG", Percent: 5000}}
		}, []string{"countries"}},
		{"regional across regions", func(p *tcmis.Project) {
			p.Scope = tcmis.Regional
			p.Countries = []tcmis.CountryShare{{Country: "GH", Percent: 5000}, {Country: "BR", Percent: 5000}}
		}, []string{"countries"}},
		{"unknown region code", func(p *tcmis.Project) {
			p.Scope = tcmis.Regional
			p.Countries = nil
			p.Regions = []tcmis.RegionShare{{Code: "000", Percent: tcmis.Whole}}
		}, []string{"regions[0]"}},
		{"negative budget", func(p *tcmis.Project) { p.Budget[0].Amount = -1 }, []string{"budget[0]"}},
		{"budget type twice", func(p *tcmis.Project) { p.Budget[1].Type = tcmis.InternationalExperts }, []string{"budget[1]"}},
		{"xbtc without donor", func(p *tcmis.Project) { p.DonorIDs = nil }, []string{"donor_ids"}},
		{"sector twice", func(p *tcmis.Project) {
			p.Sectors = []tcmis.SectorShare{{Code: "16020", Percent: 5000}, {Code: "16020", Percent: 5000}}
		}, []string{"sectors[1]"}},
		{"country outcome twice or empty", func(p *tcmis.Project) { p.CountryOutcomes = []string{"GHA101", "GHA101", " "} }, []string{"country_outcomes[1]", "country_outcomes[2]"}},
		{"convention twice", func(p *tcmis.Project) { p.Conventions = []int{138, 138} }, []string{"conventions[1]"}},
		{"bad status and scope", func(p *tcmis.Project) { p.Status, p.Scope = "done", "planet" }, []string{"status", "scope"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := validProject()
			tt.change(p)
			err := p.Validate()
			if tcmis.ErrorCode(err) != tcmis.EINVALID {
				t.Fatalf("got %v, want an invalid-input error", err)
			}
			named := map[string]bool{}
			for _, pr := range tcmis.ErrorProblems(err) {
				named[pr.Field] = true
				if pr.Message == "" {
					t.Errorf("problem without a message on %s", pr.Field)
				}
			}
			for _, f := range tt.fields {
				if !named[f] {
					t.Errorf("problem on %s missing from %v", f, err)
				}
			}
			if !strings.Contains(err.Error(), "project") {
				t.Errorf("message does not say what is invalid: %v", err)
			}
		})
	}
}

func TestProjectSplitsWithRegionsAndCountries(t *testing.T) {
	p := validProject()
	p.Scope = tcmis.Interregional
	p.Countries = []tcmis.CountryShare{{Country: "GH", Percent: 3333}, {Country: "BR", Percent: 3333}}
	p.Regions = []tcmis.RegionShare{{Code: "298", Percent: 3334}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if r := p.RegionOf(nil); r != "" {
		t.Errorf("interregional project counted under %s", r)
	}
	p = validProject()
	if r := p.RegionOf(nil); r != tcmis.Africa {
		t.Errorf("Ghana project counted under %q", r)
	}
}

func TestMonthsBetween(t *testing.T) {
	for _, tt := range []struct {
		start, end string
		want       int
	}{
		{"2004-01-01", "2004-12-31", 12},
		{"2004-01-01", "2005-06-30", 18},
		{"2004-01-01", "2005-06-29", 18}, // one day short still rounds to 18
		{"2004-01-01", "2005-06-14", 17}, // more than half a month short
		{"2004-01-01", "2006-06-30", 30},
		{"2004-01-15", "2006-07-14", 30},
		{"2004-01-01", "2006-07-31", 31},
		{"2004-03-01", "2004-03-31", 1},
		{"2004-03-01", "2004-03-10", 0},
		{"2004-01-31", "2004-02-29", 1},
	} {
		if got := tcmis.MonthsBetween(day(tt.start), day(tt.end)); got != tt.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", tt.start, tt.end, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[string]tcmis.Percent{"100": 10000, "33.33": 3333, "12.5%": 1250, " 7 ": 700} {
		got, err := tcmis.ParsePercent(in)
		if err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := tcmis.ParsePercent("33.333"); err == nil {
		t.Error("three decimals accepted")
	}
	for _, tt := range []struct {
		p      tcmis.Percent
		amount int64
		want   int64
	}{{5000, 101, 51}, {5000, -101, -51}, {3333, 100, 33}, {6667, 100, 67}, {tcmis.Whole, 12345, 12345}} {
		if got := tt.p.Share(tt.amount); got != tt.want {
			t.Errorf("%s%% of %d = %d, want %d", tt.p, tt.amount, got, tt.want)
		}
	}
}

func TestParseKinds(t *testing.T) {
	if c, err := tcmis.ParseDonorCategory("Multi-bilateral donors"); err != nil || c != tcmis.MultiBilateral {
		t.Errorf("label: %q, %v", c, err)
	}
	if c, err := tcmis.ParseDonorCategory("UN"); err != nil || c != tcmis.UnitedNations {
		t.Errorf("code in capitals: %q, %v", c, err)
	}
	if _, err := tcmis.ParseDonorCategory("friends"); err == nil || !strings.Contains(err.Error(), "multi-bilateral") {
		t.Errorf("unknown category error does not list the choices: %v", err)
	}
	if s, err := tcmis.ParseSource("XB-TC"); err != nil || s != tcmis.XBTC {
		t.Errorf("XB-TC: %q, %v", s, err)
	}
	if o, err := tcmis.ParseObjective("2"); err != nil || o != tcmis.Employment {
		t.Errorf("objective 2: %q, %v", o, err)
	}
	if c, err := tcmis.ParseConstituents("government+workers"); err != nil || c != tcmis.Governments|tcmis.Workers || c.String() != "government+workers" {
		t.Errorf("constituents: %v, %v", c, err)
	}
	if _, err := tcmis.ParseConstituents("bankers"); err == nil {
		t.Error("unknown constituent accepted")
	}
	if g, err := tcmis.ParseGenderMarker("2"); err != nil || g != tcmis.Principal {
		t.Errorf("gender 2: %v, %v", g, err)
	}
	if s, ok := tcmis.Principal.IATISignificance(); !ok || s != 2 {
		t.Errorf("principal significance %d %v", s, ok)
	}
	if _, ok := tcmis.NotScreened.IATISignificance(); ok {
		t.Error("not screened has a significance")
	}
}

func TestBiennium(t *testing.T) {
	for in, want := range map[string]tcmis.Biennium{"2006-07": "2006-07", "2006-2007": "2006-07", "1998-99": "1998-99", "1999-2000": "1999-00"} {
		got, err := tcmis.ParseBiennium(in)
		if err != nil || got != want {
			t.Errorf("ParseBiennium(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"2006-08", "2006", "06-07", "2006-2008"} {
		if _, err := tcmis.ParseBiennium(in); err == nil {
			t.Errorf("ParseBiennium(%q) accepted", in)
		}
	}
	b := tcmis.BienniumOf(2006)
	if !b.Contains(2007) || b.Contains(2008) || b.Start() != 2006 {
		t.Errorf("biennium %s arithmetic wrong", b)
	}
}

// The statuses of Box II.2 of the report read back as printed.
func TestInvolvementString(t *testing.T) {
	for _, tt := range []struct {
		v    tcmis.Involvement
		want string
	}{
		{tcmis.Involvement{Status: tcmis.Involved}, "Ongoing"},
		{tcmis.Involvement{Status: tcmis.Completed, CompletedYear: 2004}, "Completed 2004"},
		{tcmis.Involvement{Status: tcmis.Involved, SecondRound: tcmis.SecondRoundOngoing}, "Second round ongoing"},
		{tcmis.Involvement{Status: tcmis.Completed, CompletedYear: 2005, SecondRound: tcmis.SecondRoundExpected}, "Completed 2005, second round expected"},
		{tcmis.Involvement{}, "Not involved"},
	} {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%+v reads %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestOtherValidations(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    interface{ Validate() error }
		n    int // problems expected
	}{
		{"organisation ok", &tcmis.Organisation{Name: "Norway", Category: tcmis.MultiBilateral, Type: "10", Country: "NO"}, 0},
		{"organisation bad", &tcmis.Organisation{Name: "", Category: "x", Type: "99", Country: "XX", NonState: tcmis.NonStateKind("foundation")}, 5},
		{"office without region", &tcmis.Unit{Code: "ILO-Accra", Name: "Accra", Kind: tcmis.FieldOffice}, 1},
		{"office in the wrong region", &tcmis.Unit{Code: "ILO-Accra", Name: "Accra", Kind: tcmis.FieldOffice, Region: tcmis.Europe, Country: "GH"}, 1},
		{"department", &tcmis.Unit{Code: "IPEC", Name: "IPEC", Kind: tcmis.Department}, 0},
		{"agreement", &tcmis.Agreement{Ref: "NL-2004", DonorID: 1, Kind: tcmis.Partnership, Start: day("2004-01-01"), End: day("2007-12-31"), Amount: tcmis.Money{Amount: 1, Currency: "EUR"}}, 0},
		{"agreement bad", &tcmis.Agreement{Kind: "x", Amount: tcmis.Money{Amount: -1, Currency: "EUR"}}, 6},
		{"negative approval without reason", &tcmis.Approval{DonorID: 1, Date: day("2004-01-01"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: -5, Currency: "USD"}}}, 1},
		{"negative approval with reason", &tcmis.Approval{DonorID: 1, Date: day("2004-01-01"), Amount: tcmis.Converted{Money: tcmis.Money{Amount: -5, Currency: "USD"}}, Reason: "grant reduced"}, 0},
		{"expenditure bad month and type", &tcmis.Expenditure{ProjectID: 1, Year: 2004, Month: 13, Type: "x", Amount: tcmis.Converted{Money: tcmis.Money{Currency: "USD"}}}, 2},
		{"allocation bad year", &tcmis.Allocation{ProjectID: 1, Year: 204, Amount: tcmis.Converted{Money: tcmis.Money{Currency: "USD"}}}, 1},
		{"programme", &tcmis.CountryProgramme{Country: "GH", Title: "DWCP Ghana", StartYear: 2006, EndYear: 2009, Status: tcmis.ProgrammeActive,
			Priorities: []tcmis.Priority{{Number: 1, Title: "Jobs", Outcomes: []tcmis.CountryOutcome{{Code: "GHA101", Title: "Local jobs"}, {Code: "GHA101", Title: "again"}}}}}, 1},
		{"evaluation done without date", &tcmis.Evaluation{Title: "Final", Subject: tcmis.SubjectProject, ProjectID: 1, Type: tcmis.ExternalIndependent, Timing: tcmis.Final, Planned: day("2005-01-01"), Status: tcmis.EvaluationDone, Ratings: tcmis.Ratings{Impact: 7}}, 2},
		{"lesson", &tcmis.Lesson{EvaluationID: 1, Kind: tcmis.GoodPractice, Title: "t", Text: "x", Country: "GH", Objective: tcmis.Employment}, 0},
		{"training", &tcmis.TrainingActivity{Year: 2004, Kind: "course", Title: "FoA", Participants: tcmis.Participants{Employers: 1, Women: 2}}, 1},
		{"user", &tcmis.User{Email: "Ann@Example.org", Name: "Ann", Role: tcmis.RoleDonorViewer}, 1},
		{"result", &tcmis.Result{IndicatorID: 1, Biennium: "2006-07", Reported: day("2005-01-01"), Evidence: "x"}, 1},
	} {
		err := tt.v.Validate()
		if got := len(tcmis.ErrorProblems(err)); got != tt.n {
			t.Errorf("%s: %d problems, want %d: %v", tt.name, got, tt.n, err)
		}
	}
}
