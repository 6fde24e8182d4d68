package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func TestEvaluationList(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	all, total, err := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{})
	if err != nil || total == 0 {
		t.Fatal(err)
	}
	c := a.as(tcmis.RoleEvaluationOfficer)
	c.get("/evaluations").must(t, 200).contains(t, fmt.Sprintf("%s evaluations", refInt(total)))

	// The status filter: completed evaluations, not cancelled ones.
	var cancelled *tcmis.Evaluation
	done := 0
	for _, e := range all {
		switch e.Status {
		case tcmis.EvaluationCancelled:
			if cancelled == nil {
				cancelled = e
			}
		case tcmis.EvaluationDone:
			done++
		}
	}
	res := c.get("/evaluations?status=completed").must(t, 200)
	res.contains(t, fmt.Sprintf("%s evaluations", refInt(done)))
	if strings.Contains(res.Body, fmt.Sprintf(`href="/evaluations/%d"`, cancelled.ID)) {
		t.Errorf("the completed filter lists cancelled evaluation %d", cancelled.ID)
	}

	// The year (done in the year, or due then) and independent types:
	// the count, and the register's pages in order of planned date.
	for _, tt := range []struct {
		year        int
		independent bool
	}{{2003, true}, {2005, false}, {0, true}} {
		var want []int64
		for _, e := range all {
			y := e.Planned.Year()
			if !e.Actual.IsZero() {
				y = e.Actual.Year()
			}
			if (tt.year == 0 || y == tt.year) && (!tt.independent || e.Type.Independent()) {
				want = append(want, e.ID)
			}
		}
		if len(want) == 0 {
			t.Fatalf("the demo has no evaluation of year %d (independent %v): the test needs some", tt.year, tt.independent)
		}
		v := url.Values{}
		if tt.year != 0 {
			v.Set("year", strconv.Itoa(tt.year))
		}
		if tt.independent {
			v.Set("type", "independent")
		}
		for page := 1; page <= 2; page++ {
			v.Set("page", strconv.Itoa(page))
			res := c.get("/evaluations?"+v.Encode()).must(t, 200)
			res.contains(t, fmt.Sprintf("%s evaluations", refInt(len(want))))
			wantPage := want[min(len(want), (page-1)*50):min(len(want), page*50)]
			if got := registerIDs(res.Body); fmt.Sprint(got) != fmt.Sprint(wantPage) {
				t.Errorf("%s: the register lists %v, want %v", v.Encode(), got, wantPage)
			}
		}
	}

	// A project's evaluations.
	p := all[0].ProjectID
	mine, m, err := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &p})
	if err != nil {
		t.Fatal(err)
	}
	res = c.get(fmt.Sprintf("/evaluations?project=%d", p)).must(t, 200)
	res.contains(t, fmt.Sprintf("%d evaluations", m), refEsc(mine[len(mine)-1].Title))

	// The plan as at a day: what is planned or under way, and overdue,
	// counted by the store as the domain's rules say (Open, Overdue);
	// the soonest due listed, the overdue ones marked.
	at := time.Date(2005, 6, 30, 0, 0, 0, 0, time.UTC)
	var plan []int64
	var planned, overdue, overdueListed int
	for _, e := range all { // by planned date, as the plan lists them
		listed := e.Status.Open() && len(plan) < 20
		if e.Status.Open() {
			planned++
		}
		if listed {
			plan = append(plan, e.ID)
		}
		if e.Overdue(at) {
			overdue++
			if listed {
				overdueListed++
			}
		}
	}
	if overdue == 0 || overdue == planned || planned <= 20 {
		t.Fatalf("the demo has %d of %d evaluations overdue on %s: the test needs some of each, and more than the plan lists", overdue, planned, at.Format(tcmis.DateLayout))
	}
	res = c.get("/evaluations?at=2005-06-30").must(t, 200)
	res.contains(t, fmt.Sprintf("%s evaluations planned or under way, %s of them overdue (as at 2005-06-30).", refInt(planned), refInt(overdue)))
	_, planTable, _ := strings.Cut(res.Body, `id="evaluation-plan"`)
	planTable, _, _ = strings.Cut(planTable, "</table>")
	var listed []int64
	for _, m := range registerRowRE.FindAllStringSubmatch(planTable, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		listed = append(listed, id)
	}
	if fmt.Sprint(listed) != fmt.Sprint(plan) {
		t.Errorf("the plan lists %v, want the soonest due %v", listed, plan)
	}
	if n := strings.Count(planTable, `class="overdue"`); n != overdueListed {
		t.Errorf("the plan marks %d evaluations overdue, want %d", n, overdueListed)
	}

	// The projects against the evaluation policy on that day.
	cs, err := a.DB.EvaluationCompliance(ctx, tcmis.ComplianceFilter{Today: at})
	if err != nil {
		t.Fatal(err)
	}
	late := 0
	for _, x := range cs {
		if x.State == tcmis.ComplianceOverdue {
			late++
		}
	}
	res = c.get("/evaluations?at=2005-06-30").must(t, 200)
	res.contains(t, fmt.Sprintf("<dt>An evaluation is overdue</dt><dd>%s projects</dd>", refInt(late)))

	for _, q := range []string{"status=lost", "type=guess", "year=later", "project=x", "at=tomorrow"} {
		c.get("/evaluations?"+q).must(t, 422)
	}
	c.get("/evaluations?project=999999").must(t, 404)
}

var registerRowRE = regexp.MustCompile(`<th scope="row"><a href="/evaluations/(\d+)">`)

// registerIDs are the evaluations the register of a page lists, in order.
func registerIDs(body string) []int64 {
	_, table, _ := strings.Cut(body, `id="evaluation-list"`)
	table, _, _ = strings.Cut(table, "</table>")
	var ids []int64
	for _, m := range registerRowRE.FindAllStringSubmatch(table, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}

// refInt formats a whole number as the pages do in English.
func refInt(n int) string { return refDollars(int64(n) * 100) }

func TestEvaluationPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	lessons, _, err := a.DB.FindLessons(ctx, tcmis.LessonFilter{Limit: 1})
	if err != nil || len(lessons) == 0 {
		t.Fatal(err)
	}
	l := lessons[0]
	e, err := a.DB.FindEvaluationByID(ctx, l.EvaluationID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.DB.FindProjectByID(ctx, e.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/evaluations/%d", e.ID)
	res := a.as(tcmis.RoleViewer).get(path).must(t, 200)
	res.contains(t, "<h1>"+refEsc(e.Title)+"</h1>", refEsc(p.Code), fmt.Sprintf(`href="/projects/%d"`, p.ID),
		e.Planned.Format(tcmis.DateLayout), e.Type.Label(), refEsc(l.Title), refEsc(l.Text))
	if e.Summary != "" {
		res.contains(t, refEsc(e.Summary))
	}
	if strings.Contains(res.Body, "lesson-form") || strings.Contains(res.Body, path+"/edit") {
		t.Error("a viewer is offered to edit the evaluation or add a lesson")
	}
	a.as(tcmis.RoleEvaluationOfficer).get(path).must(t, 200).contains(t, `id="lesson-form"`, path+"/edit")
	a.as(tcmis.RoleViewer).get("/evaluations/999999").must(t, 404)
}

func TestEvaluationAccess(t *testing.T) {
	a := newApp(t)
	refCheckAccess(t, a, []refAccess{
		{tcmis.RoleViewer, "GET", "/evaluations", 200},
		{tcmis.RoleViewer, "GET", "/evaluations/1", 200},
		{tcmis.RoleDonorViewer, "GET", "/evaluations", 403},
		{tcmis.RoleDonorViewer, "GET", "/evaluations/1", 403},
		{tcmis.RoleResourceMobiliser, "GET", "/evaluations/new", 403},
		{tcmis.RoleResourceMobiliser, "POST", "/evaluations/new", 403},
		{tcmis.RoleResourceMobiliser, "POST", "/evaluations/1/edit", 403},
		{tcmis.RoleProgrammeOfficer, "GET", "/evaluations/1/edit", 403},
		{tcmis.RoleViewer, "POST", "/evaluations/1/lessons", 403},
		{tcmis.RoleProgrammeOfficer, "POST", "/evaluations/1/lessons", 403},
		{tcmis.RoleEvaluationOfficer, "GET", "/evaluations/new?project=1", 200},
		{tcmis.RoleEvaluationOfficer, "GET", "/evaluations/1/edit", 200},
		{tcmis.RoleEvaluationOfficer, "GET", "/evaluations/new?project=999999", 404},
		{tcmis.RoleAdmin, "POST", "/evaluations/999999/lessons", 404},
	})
}

func TestEvaluationForms(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleEvaluationOfficer)
	p, err := a.DB.FindProjectByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("plan", func(t *testing.T) {
		form := c.get("/evaluations/new?project=1").must(t, 200)
		form.contains(t, `value="`+refEsc(p.Code)+`"`)
		f := refFormValues(form.Body)
		f.Set("type", "external-independent")
		f.Set("planned", "2007-03-31")
		f.Set("budget_usd", "25,000")
		f.Set("evaluator", "An external evaluator")
		id := refCreatedID(t, c.post("/evaluations/new", f), "/evaluations/")
		e, err := a.DB.FindEvaluationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.ProjectID != 1 || e.Subject != tcmis.SubjectProject || e.Type != tcmis.ExternalIndependent || e.Status != tcmis.EvaluationPlanned ||
			e.Budget != 2500000 || !e.Planned.Equal(time.Date(2007, 3, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("stored %+v", e)
		}
		refAudited(t, a, "evaluation", id, tcmis.ActionCreate, tcmis.RoleEvaluationOfficer)
	})

	t.Run("record as done", func(t *testing.T) {
		st := tcmis.EvaluationPlanned
		planned, _, err := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{Status: &st, Limit: 1})
		if err != nil || len(planned) == 0 {
			t.Fatal(err)
		}
		e := planned[0]
		path := fmt.Sprintf("/evaluations/%d/edit", e.ID)
		form := c.get(path).must(t, 200)
		f := refFormValues(form.Body)
		f.Set("status", "completed")
		f.Set("actual", "2006-05-02")
		f.Set("summary", "The project met most of its targets.")
		f.Set("ratings.relevance", "5")
		f["constituents"] = []string{"government", "workers"}

		// Completed without the date it was completed.
		bad := url.Values{}
		for k, v := range f {
			bad[k] = v
		}
		bad.Set("actual", "")
		c.post(path, bad).must(t, 422).contains(t, `id="actual-error"`, "a completed evaluation has the date it was completed",
			"The project met most of its targets.")

		c.post(path, f).must(t, 303)
		saved, _ := a.DB.FindEvaluationByID(ctx, e.ID)
		if saved.Status != tcmis.EvaluationDone || !saved.Actual.Equal(time.Date(2006, 5, 2, 0, 0, 0, 0, time.UTC)) ||
			saved.Summary != "The project met most of its targets." || saved.Ratings.Relevance != 5 ||
			saved.Constituents != tcmis.Governments|tcmis.Workers || saved.ProjectID != e.ProjectID || saved.Version != e.Version+1 {
			t.Errorf("saved %+v", saved)
		}
		refAudited(t, a, "evaluation", e.ID, tcmis.ActionUpdate, tcmis.RoleEvaluationOfficer)
		c.get(fmt.Sprintf("/evaluations/%d", e.ID)).must(t, 200).contains(t, "Evaluation saved.", "The project met most of its targets.", "2006-05-02", "Government, Workers")

		// The same form again, from the version before.
		f.Set("summary", "Another view.")
		a.as(tcmis.RoleAdmin).post(path, f).must(t, 409).contains(t, "changed by someone else", "Another view.")
	})

	for _, x := range []struct {
		name     string
		form     url.Values
		problems map[string]string
	}{
		{"unknown project", url.Values{"title": {"x"}, "subject": {"project"}, "project_id": {"NOPE/00/00/XXX"}, "type": {"self"}, "timing": {"final"},
			"status": {"planned"}, "planned": {"2007-01-01"}}, map[string]string{"project_id": "there is no project with code NOPE/00/00/XXX"}},
		{"no title, bad date", url.Values{"subject": {"project"}, "project_id": {p.Code}, "type": {"self"}, "timing": {"final"},
			"status": {"planned"}, "planned": {"31/12/2007"}}, map[string]string{"title": "the evaluation needs a title", "planned": "is not a date written as YYYY-MM-DD"}},
		{"theme without theme", url.Values{"title": {"x"}, "subject": {"theme"}, "type": {"thematic"}, "timing": {"final"},
			"status": {"planned"}, "planned": {"2007-01-01"}}, map[string]string{"theme": "say which theme is evaluated"}},
		{"rating out of range", url.Values{"title": {"x"}, "subject": {"project"}, "project_id": {p.Code}, "type": {"self"}, "timing": {"final"},
			"status": {"planned"}, "planned": {"2007-01-01"}, "ratings.impact": {"9"}}, map[string]string{"ratings.impact": "ratings go from 1"}},
	} {
		t.Run(x.name, func(t *testing.T) {
			_, before, _ := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{})
			res := c.post("/evaluations/new", x.form).must(t, 422)
			for field, msg := range x.problems {
				res.contains(t, `id="`+field+`-error"`, msg)
			}
			if _, after, _ := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{}); after != before {
				t.Error("an invalid evaluation was stored")
			}
		})
	}
}

func TestEvaluationLessons(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleEvaluationOfficer)
	id := int64(4)
	path := "/evaluations/" + strconv.FormatInt(id, 10) + "/lessons"
	before, _, err := a.DB.FindLessons(ctx, tcmis.LessonFilter{EvaluationID: &id})
	if err != nil {
		t.Fatal(err)
	}

	res := c.post(path, url.Values{"kind": {"good-practice"}, "title": {""}, "text": {"Steering committees that meet monthly keep the constituents engaged."},
		"country": {"QQ"}}).must(t, 422)
	res.contains(t, `id="title-error"`, "the lesson needs a title", `id="country-error"`, "Steering committees that meet monthly")

	res = c.post(path, url.Values{"kind": {"good-practice"}, "title": {"Monthly steering committees"},
		"text": {"Steering committees that meet monthly keep the constituents engaged."}, "theme": {"social dialogue"},
		"country": {"AL"}, "objective": {"so4"}, "assistance": {"training"}}).must(t, 303)
	if res.Location != "/evaluations/4#lessons" {
		t.Errorf("redirected to %s", res.Location)
	}
	after, _, err := a.DB.FindLessons(ctx, tcmis.LessonFilter{EvaluationID: &id})
	if err != nil || len(after) != len(before)+1 {
		t.Fatalf("%d lessons, want %d (%v)", len(after), len(before)+1, err)
	}
	var l *tcmis.Lesson
	for _, x := range after {
		if x.Title == "Monthly steering committees" {
			l = x
		}
	}
	if l == nil || l.Kind != tcmis.GoodPractice || l.Country != "AL" || l.Objective != tcmis.SocialDialogue || l.Theme != "social dialogue" {
		t.Fatalf("stored %+v", l)
	}
	refAudited(t, a, "lesson", l.ID, tcmis.ActionCreate, tcmis.RoleEvaluationOfficer)
	c.get("/evaluations/4").must(t, 200).contains(t, "Monthly steering committees", "Good practice")
}
