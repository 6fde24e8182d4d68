package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

// newProjectForm is a valid new project led by the first project's lead
// unit and funded by its lead donor.
func newProjectForm(first *tcmis.Project) url.Values {
	return url.Values{
		"code": {"TST/26/01/WEB"}, "title": {"Decent work for web testers"}, "description": {"Made by a test."},
		"source": {"xbtc"}, "scope": {"national"}, "lead_donor": {strconv.FormatInt(first.DonorIDs[0], 10)},
		"lead_unit_id": {strconv.FormatInt(first.LeadUnitID, 10)},
		"country_0":    {"GH"}, "country_pct_0": {"100"},
		"objective_0": {"so2"}, "objective_pct_0": {"60"}, "outcome_0": {"2b.2"},
		"objective_1": {"so3"}, "objective_pct_1": {"40"},
		"start": {"2026-01-01"}, "end": {"2027-12-31"}, "currency": {"USD"},
		"budget_experts": {"1,000.50"}, "budget_training": {"250"},
		"gender_marker": {"2"}, "tri_design": {"government", "workers"}, "conventions": {"138 C182"},
	}
}

func TestProjectCreate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	first := firstProject(t, a)
	c := a.as(tcmis.RoleAdmin)
	c.get("/projects/new").must(t, http.StatusOK).contains(t, `action="/projects/new"`, `name="country_4"`, `name="budget_misc"`)
	res := c.post("/projects/new", newProjectForm(first)).must(t, http.StatusSeeOther)
	p, err := a.DB.FindProjectByCode(ctx, "TST/26/01/WEB")
	if err != nil {
		t.Fatal(err)
	}
	if res.Location != projectPath(p, "") {
		t.Errorf("redirect to %q, want the new project's page", res.Location)
	}
	if p.Status != tcmis.Proposal {
		t.Errorf("a new project is %s, want a proposal", p.Status)
	}
	if p.Title != "Decent work for web testers" || p.Scope != tcmis.National || p.Gender != tcmis.Significant {
		t.Errorf("stored %+v", p)
	}
	if len(p.Countries) != 1 || p.Countries[0].Country != "GH" || p.Countries[0].Percent != tcmis.Whole {
		t.Errorf("countries %+v", p.Countries)
	}
	if len(p.Objectives) != 2 || p.Objectives[0].Outcome != "2b.2" || p.Objectives[1].Percent != 4000 {
		t.Errorf("objectives %+v", p.Objectives)
	}
	if got := p.TotalBudget().Amount; got != 125050 {
		t.Errorf("budget %d cents, want 125050", got)
	}
	if p.Tripartite.Design != tcmis.Governments|tcmis.Workers || len(p.Conventions) != 2 || p.Conventions[1] != 182 {
		t.Errorf("tripartite %v, conventions %v", p.Tripartite.Design, p.Conventions)
	}
	// The creation is in the audit trail under the user, and on the page.
	entity := "project"
	changes, _, err := a.DB.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Action != tcmis.ActionCreate || changes[0].UserID != userID(t, a, tcmis.RoleAdmin) {
		t.Fatalf("audit trail %+v", changes)
	}
	c.get(res.Location).must(t, http.StatusOK).contains(t, "Project TST/26/01/WEB created.", "Decent work for web testers")
	c.get(res.Location+"/history").must(t, http.StatusOK).contains(t, email(tcmis.RoleAdmin))
}

func TestProjectCreateInvalid(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	first := firstProject(t, a)
	for _, tc := range []struct {
		name   string
		change url.Values
		field  string // the input whose message is shown
		want   string
	}{
		{"no title", url.Values{"title": {""}}, "title", "the project needs a title"},
		{"shares short of 100", url.Values{"objective_pct_1": {"30"}}, "objectives", "add up to"},
		{"percentage unreadable", url.Values{"country_pct_0": {"lots"}}, "country_0", "is not a percentage"},
		{"amount with too many decimals", url.Values{"budget_experts": {"10.505"}}, "budget_experts", "more than 2 decimals"},
		{"date unreadable", url.Values{"start": {"1/1/2026"}}, "start", "YYYY-MM-DD"},
		{"unknown country", url.Values{"country_0": {"XX"}}, "country_0", "not a known country"},
		{"end before start", url.Values{"end": {"2025-01-01"}}, "end", "must come after the start date"},
		{"no lead unit", url.Values{"lead_unit_id": {""}}, "lead_unit_id", "say which unit leads the project"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := newProjectForm(first)
			for k, v := range tc.change {
				form[k] = v
			}
			res := a.as(tcmis.RoleAdmin).post("/projects/new", form).must(t, http.StatusUnprocessableEntity)
			res.contains(t, html.EscapeString(tc.want), `id="`+tc.field+`-error"`)
			if tc.field != "objectives" {
				// The input itself is marked.
				res.contains(t, `aria-describedby="`+tc.field+`-error"`, `aria-invalid="true"`)
			}
			// The form keeps what was typed.
			res.contains(t, `value="`+html.EscapeString(form.Get("code"))+`"`)
			if _, err := a.DB.FindProjectByCode(context.Background(), "TST/26/01/WEB"); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
				t.Errorf("an invalid project was stored (%v)", err)
			}
		})
	}
}

func TestProjectCreatePermissions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	first := firstProject(t, a)
	other := outOfScope(t, a)
	outside := newProjectForm(first)
	outside.Set("lead_unit_id", strconv.FormatInt(other.LeadUnitID, 10))
	for _, tc := range []struct {
		role   tcmis.Role
		form   url.Values
		status int
	}{
		{tcmis.RoleProgrammeOfficer, newProjectForm(first), http.StatusSeeOther},
		{tcmis.RoleProgrammeOfficer, outside, http.StatusForbidden},
		{tcmis.RoleViewer, newProjectForm(first), http.StatusForbidden},
		{tcmis.RoleResourceMobiliser, newProjectForm(first), http.StatusForbidden},
		{tcmis.RoleDonorViewer, newProjectForm(first), http.StatusForbidden},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			a := newApp(t)
			a.as(tc.role).post("/projects/new", tc.form).must(t, tc.status)
			_, err := a.DB.FindProjectByCode(context.Background(), "TST/26/01/WEB")
			if stored := err == nil; stored != (tc.status == http.StatusSeeOther) {
				t.Errorf("stored %v after status %d", stored, tc.status)
			}
		})
	}
	a.as(tcmis.RoleViewer).get("/projects/new").must(t, http.StatusForbidden)
	a.as(tcmis.RoleProgrammeOfficer).get("/projects/new").must(t, http.StatusOK)
}

func TestProjectEdit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	p := firstProject(t, a)
	c := a.as(tcmis.RoleProgrammeOfficer)
	body := c.get(projectPath(p, "/edit")).must(t, http.StatusOK).Body
	form := formValues(t, body, projectPath(p, "/edit"))

	// Sent back unchanged, the form changes nothing but the version.
	c.post(projectPath(p, "/edit"), form).must(t, http.StatusSeeOther)
	same, err := a.DB.FindProjectByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	before, after := *p, *same
	before.Version, before.UpdatedAt, after.Version, after.UpdatedAt = 0, time.Time{}, 0, time.Time{}
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if string(b1) != string(b2) {
		t.Errorf("an unchanged form changed the project:\n%s\n%s", b1, b2)
	}

	// A new title is stored, audited under the user and shown in the
	// history.
	body = c.get(projectPath(p, "/edit")).must(t, http.StatusOK).Body
	form = formValues(t, body, projectPath(p, "/edit"))
	form.Set("title", "A renamed project")
	c.post(projectPath(p, "/edit"), form).must(t, http.StatusSeeOther)
	renamed, err := a.DB.FindProjectByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if renamed.Title != "A renamed project" {
		t.Errorf("title %q", renamed.Title)
	}
	entity := "project"
	changes, _, err := a.DB.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &p.ID, Limit: 1})
	if err != nil || len(changes) != 1 {
		t.Fatal(err)
	}
	if ch := changes[0]; ch.Action != tcmis.ActionUpdate || ch.UserID != userID(t, a, tcmis.RoleProgrammeOfficer) || !strings.Contains(string(ch.Old), p.Title) {
		t.Errorf("audit %+v", ch)
	}
	page := a.as(tcmis.RoleAdmin).get(projectPath(p, "/history")).must(t, http.StatusOK)
	page.contains(t, "<del>"+html.EscapeString(p.Title)+"</del> → <ins>A renamed project</ins>", email(tcmis.RoleProgrammeOfficer))
}

func TestProjectEditInvalidAndStale(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	p := firstProject(t, a)
	c := a.as(tcmis.RoleAdmin)
	form := formValues(t, c.get(projectPath(p, "/edit")).must(t, http.StatusOK).Body, projectPath(p, "/edit"))

	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("code", "HAS SPACES")
	c.post(projectPath(p, "/edit"), bad).must(t, http.StatusUnprocessableEntity).contains(t, "a project code has no spaces", `id="code-error"`)

	// Someone else saves the project in between: the form is stale.
	other, err := a.DB.FindProjectByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	other.Title = "Changed meanwhile"
	if err := a.DB.UpdateProject(tcmis.WithActor(ctx, tcmis.Actor{Name: "someone"}), other); err != nil {
		t.Fatal(err)
	}
	form.Set("title", "My change")
	c.post(projectPath(p, "/edit"), form).must(t, http.StatusConflict).contains(t, "changed by someone else", `value="My change"`)
	stored, err := a.DB.FindProjectByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Title != "Changed meanwhile" {
		t.Errorf("the stale edit overwrote the title: %q", stored.Title)
	}
}

func TestProjectEditPermissions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	first := firstProject(t, a)
	other := outOfScope(t, a)
	for _, tc := range []struct {
		role   tcmis.Role
		p      *tcmis.Project
		status int
	}{
		{tcmis.RoleAdmin, other, http.StatusOK},
		{tcmis.RoleProgrammeOfficer, first, http.StatusOK},
		{tcmis.RoleProgrammeOfficer, other, http.StatusForbidden},
		{tcmis.RoleViewer, first, http.StatusForbidden},
		{tcmis.RoleResourceMobiliser, first, http.StatusForbidden},
		{tcmis.RoleDonorViewer, first, http.StatusForbidden},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			c := a.as(tc.role)
			c.get(projectPath(tc.p, "/edit")).must(t, tc.status)
			c.post(projectPath(tc.p, "/edit"), url.Values{"version": {strconv.Itoa(tc.p.Version)}, "title": {"x"}}).must(t, map[int]int{
				http.StatusOK: http.StatusUnprocessableEntity, http.StatusForbidden: http.StatusForbidden}[tc.status])
		})
	}
	// A programme officer may not hand their project to a unit outside
	// their scope.
	c := a.as(tcmis.RoleProgrammeOfficer)
	form := formValues(t, c.get(projectPath(first, "/edit")).Body, projectPath(first, "/edit"))
	form.Set("lead_unit_id", strconv.FormatInt(other.LeadUnitID, 10))
	form.Del("office_id")
	c.post(projectPath(first, "/edit"), form).must(t, http.StatusForbidden)
}
