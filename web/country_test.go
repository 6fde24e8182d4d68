package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

var (
	refInputRE    = regexp.MustCompile(`<input [^>]*name="([^"]+)"[^>]*>`)
	refValueRE    = regexp.MustCompile(`value="([^"]*)"`)
	refSelectRE   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	refSelectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	refTextareaRE = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	// countryRowRE reads a row of the country list: the code and the
	// number of projects.
	countryRowRE = regexp.MustCompile(`(?s)<tr>\s*<td>([A-Z]{2})</td>.*?<td class="num">([^<]*)</td>`)
)

// refFormValues reads the values of the forms of a page as a browser
// would send them: inputs (checkboxes only when checked), the selected
// options and the text areas.
func refFormValues(body string) url.Values {
	v := url.Values{}
	for _, m := range refInputRE.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[0], `type="checkbox"`) && !strings.Contains(m[0], " checked") {
			continue
		}
		value := ""
		if x := refValueRE.FindStringSubmatch(m[0]); x != nil {
			value = html.UnescapeString(x[1])
		}
		v.Add(m[1], value)
	}
	for _, m := range refSelectRE.FindAllStringSubmatch(body, -1) {
		value := ""
		if x := refSelectedRE.FindStringSubmatch(m[2]); x != nil {
			value = html.UnescapeString(x[1])
		}
		v.Set(m[1], value)
	}
	for _, m := range refTextareaRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// refRow is the table row of a page that holds marker, or "".
func refRow(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end]
}

func TestCountryList(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	code := "BD"
	_, n, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Country: &code})
	if err != nil || n == 0 {
		t.Fatalf("no project in Bangladesh: %v", err)
	}
	progs, _, err := a.DB.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &code})
	if err != nil || len(progs) == 0 {
		t.Fatalf("no programme for Bangladesh: %v", err)
	}
	c := a.as(tcmis.RoleViewer)
	res := c.get("/countries").must(t, 200)
	row := refRow(res.Body, `href="/countries/BD"`)
	if row == "" {
		t.Fatal("Bangladesh is not listed")
	}
	for _, s := range []string{"Bangladesh", "Asia and the Pacific", fmt.Sprintf(`<td class="num">%d</td>`, n), refEsc(progs[0].Title)} {
		if !strings.Contains(row, s) {
			t.Errorf("the row of Bangladesh lacks %q:\n%s", s, row)
		}
	}
	// Every country's projects, as counted over the projects themselves;
	// the countries listed are those with projects or a programme.
	projects, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	progs, _, err = a.DB.FindProgrammes(ctx, tcmis.ProgrammeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, p := range projects {
		for _, c := range p.Countries {
			counts[c.Country]++
		}
	}
	for _, p := range progs {
		counts[p.Country] += 0
	}
	want := map[string]string{}
	for k, n := range counts {
		want[k] = refInt(n)
	}
	got := map[string]string{}
	for _, m := range countryRowRE.FindAllStringSubmatch(res.Body, -1) {
		got[m[1]] = m[2]
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the countries' projects:\n%v\nwant\n%v", got, want)
	}
	// A country with neither projects nor a programme is not listed.
	if strings.Contains(res.Body, `href="/countries/AQ"`) {
		t.Error("Antarctica is listed")
	}
	res = c.get("/countries?region=africa").must(t, 200)
	if strings.Contains(res.Body, `href="/countries/BD"`) {
		t.Error("the Africa filter lists Bangladesh")
	}
	res.contains(t, `href="/countries/GH"`)
	c.get("/countries?region=mars").must(t, 422)
}

func TestCountryPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	code := "BD"
	progs, _, err := a.DB.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &code})
	if err != nil || len(progs) == 0 || len(progs[0].Priorities) == 0 {
		t.Fatalf("no programme with priorities for Bangladesh: %v", err)
	}
	c := progs[0]
	projects, total, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Country: &code, Limit: 1})
	if err != nil || total == 0 {
		t.Fatal(err)
	}
	training, _, err := a.DB.FindTraining(ctx, tcmis.TrainingFilter{Country: &code})
	if err != nil || len(training) == 0 {
		t.Fatalf("no training in Bangladesh: %v", err)
	}
	year := training[0].Year
	var activities, participants int
	for _, x := range training {
		if x.Year == year {
			activities++
			participants += x.Participants.Total()
		}
	}
	outcome := c.Priorities[0].Outcomes[0]
	res := a.as(tcmis.RoleEvaluationOfficer).get("/countries/bd").must(t, 200)
	res.contains(t, "<h1>Bangladesh", refEsc(c.Title), refEsc(c.Priorities[0].Title), outcome.Code, refEsc(outcome.Title),
		refDollars(outcome.Planned), fmt.Sprintf("%d projects", total), refEsc(projects[0].Code),
		fmt.Sprintf(`<th scope="row">%d</th><td class="num">%d</td><td class="num">%d</td>`, year, activities, participants))
	if c.UNDAF.Framework != "" {
		res.contains(t, refEsc(c.UNDAF.Framework))
	}
	// Expenditure in the country, by year, adds up to its total.
	if !strings.Contains(res.Body, `id="country-expenditure"`) || !strings.Contains(res.Body, `id="country-spent">`) {
		t.Error("no expenditure by year")
	}
	if strings.Contains(res.Body, "/programmes/") {
		t.Error("an evaluation officer is offered to edit the country programme")
	}
	a.as(tcmis.RoleProgrammeOfficer).get("/countries/BD").must(t, 200).contains(t, fmt.Sprintf(`href="/programmes/%d/edit"`, c.ID))
	a.as(tcmis.RoleViewer).get("/countries/QQ").must(t, 404)
	a.as(tcmis.RoleViewer).get("/countries/AQ").must(t, 200).contains(t, "The country has no Decent Work Country Programme.")
}

func TestCountryAccess(t *testing.T) {
	a := newApp(t)
	refCheckAccess(t, a, []refAccess{
		{tcmis.RoleViewer, "GET", "/countries", 200},
		{tcmis.RoleDonorViewer, "GET", "/countries", 403},
		{tcmis.RoleDonorViewer, "GET", "/countries/BD", 403},
		{tcmis.RoleViewer, "GET", "/programmes/new", 403},
		{tcmis.RoleResourceMobiliser, "POST", "/programmes/new", 403},
		{tcmis.RoleEvaluationOfficer, "GET", "/programmes/2/edit", 403},
		{tcmis.RoleEvaluationOfficer, "POST", "/programmes/2/edit", 403},
		{tcmis.RoleProgrammeOfficer, "GET", "/programmes/new?country=BD", 200},
		{tcmis.RoleProgrammeOfficer, "GET", "/programmes/2/edit", 200},
		{tcmis.RoleAdmin, "GET", "/programmes/999999/edit", 404},
	})
}

func TestCountryProgrammeForms(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleProgrammeOfficer)
	form := func() url.Values {
		return url.Values{"country": {"BD"}, "title": {"Decent Work Country Programme for Bangladesh 2006-2009"},
			"start_year": {"2006"}, "end_year": {"2009"}, "status": {"active"},
			"undaf.framework": {"UNDAF Bangladesh 2006-2010"}, "undaf.start_year": {"2006"}, "undaf.end_year": {"2010"}, "undaf.status": {"ongoing"},
			"prs.status": {"completed"}, "prs.completed_year": {"2005"}, "prs.second_round": {"expected"},
			// An empty first priority row is left out.
			"priorities[0].title":                       {""},
			"priorities[1].title":                       {"Youth employment"},
			"priorities[1].outcomes[0].code":            {""},
			"priorities[1].outcomes[1].code":            {"BGD901"},
			"priorities[1].outcomes[1].title":           {"Young people find decent jobs"},
			"priorities[1].outcomes[1].global_outcomes": {"2a.1, 2b.1"},
			"priorities[1].outcomes[1].planned_usd":     {"1,500,000"},
			"priorities[2].title":                       {"Social dialogue"},
			"priorities[2].outcomes[0].code":            {"BGD902"},
			"priorities[2].outcomes[0].title":           {"Tripartite bodies meet"},
		}
	}
	t.Run("create", func(t *testing.T) {
		c.get("/programmes/new?country=BD").must(t, 200).contains(t, `<option value="BD" selected>`)
		res := c.post("/programmes/new", form())
		if res.must(t, 303).Location != "/countries/BD" {
			t.Errorf("redirected to %s", res.Location)
		}
		code := "BD"
		progs, _, err := a.DB.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &code})
		if err != nil {
			t.Fatal(err)
		}
		var got *tcmis.CountryProgramme
		for _, p := range progs {
			if p.Title == "Decent Work Country Programme for Bangladesh 2006-2009" {
				got = p
			}
		}
		if got == nil {
			t.Fatal("the programme was not stored")
		}
		if len(got.Priorities) != 2 || got.Priorities[0].Title != "Youth employment" || got.Priorities[0].Number != 1 ||
			len(got.Priorities[0].Outcomes) != 1 || got.Priorities[1].Outcomes[0].Code != "BGD902" {
			t.Fatalf("priorities %+v", got.Priorities)
		}
		o := got.Priorities[0].Outcomes[0]
		if o.Code != "BGD901" || o.Planned != 150000000 || strings.Join(o.GlobalOutcomes, " ") != "2a.1 2b.1" {
			t.Errorf("outcome %+v", o)
		}
		if got.UNDAF.Status != tcmis.Involved || got.PRS.CompletedYear != 2005 || got.PRS.SecondRound != tcmis.SecondRoundExpected {
			t.Errorf("UNDAF %+v PRS %+v", got.UNDAF, got.PRS)
		}
		refAudited(t, a, "programme", got.ID, tcmis.ActionCreate, tcmis.RoleProgrammeOfficer)
		c.get("/countries/BD").must(t, 200).contains(t, "BGD901", "Young people find decent jobs", "1,500,000", "Completed 2005, second round expected")
	})

	for _, x := range []struct {
		name     string
		change   url.Values
		problems map[string]string
	}{
		{"ends before it starts", url.Values{"end_year": {"2005"}}, map[string]string{"end_year": "ends (2005) before it starts (2006)"}},
		{"year not a number", url.Values{"start_year": {"two thousand"}}, map[string]string{"start_year": "is not a whole number"}},
		{"outcome code twice", url.Values{"priorities[2].outcomes[0].code": {"BGD901"}}, map[string]string{"priorities[1].outcomes[0].code": "outcome code BGD901 is used twice"}},
		{"bad planned amount", url.Values{"priorities[1].outcomes[1].planned_usd": {"a lot"}}, map[string]string{"priorities[0].outcomes[0].planned_usd": "is not an amount"}},
		{"completed year while ongoing", url.Values{"undaf.completed_year": {"2004"}}, map[string]string{"undaf.completed_year": "only a completed involvement"}},
	} {
		t.Run(x.name, func(t *testing.T) {
			f := form()
			for k, v := range x.change {
				f[k] = v
			}
			_, before, _ := a.DB.FindProgrammes(ctx, tcmis.ProgrammeFilter{})
			res := c.post("/programmes/new", f).must(t, 422)
			for field, msg := range x.problems {
				res.contains(t, `id="`+field+`-error"`, msg)
			}
			if _, after, _ := a.DB.FindProgrammes(ctx, tcmis.ProgrammeFilter{}); after != before {
				t.Error("an invalid programme was stored")
			}
		})
	}

	t.Run("edit and stale edit", func(t *testing.T) {
		old, err := a.DB.FindProgrammeByID(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		res := c.get("/programmes/2/edit").must(t, 200)
		res.contains(t, refEsc(old.Title), `name="version" value="`+strconv.Itoa(old.Version)+`"`, old.Priorities[0].Outcomes[0].Code)
		// Send the form as it came, with a new status.
		f := refFormValues(res.Body)
		f.Set("status", "active")
		c.post("/programmes/2/edit", f).must(t, 303)
		saved, _ := a.DB.FindProgrammeByID(ctx, 2)
		if saved.Status != tcmis.ProgrammeActive || len(saved.Priorities) != len(old.Priorities) || saved.Version != old.Version+1 {
			t.Errorf("saved %+v", saved)
		}
		if fmt.Sprint(saved.Priorities) != fmt.Sprint(old.Priorities) {
			t.Errorf("the priorities changed:\n%v\n%v", old.Priorities, saved.Priorities)
		}
		refAudited(t, a, "programme", 2, tcmis.ActionUpdate, tcmis.RoleProgrammeOfficer)
		f.Set("status", "completed")
		a.as(tcmis.RoleAdmin).post("/programmes/2/edit", f).must(t, 409).contains(t, "changed by someone else")
	})
}
