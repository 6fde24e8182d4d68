package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

// Tests of the donor screens, and the helpers the tests of the other
// portfolio reference screens (agreements, countries, results,
// evaluations, lessons) share.

// esc is a text as html/template writes it in a page.
func refEsc(s string) string { return html.EscapeString(s) }

// dollars formats US cents as the pages do in English: whole dollars,
// rounded half away from zero, with commas.
func refDollars(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := strconv.FormatInt((cents+50)/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// createdID reads the id of a record from the address a form redirected
// to, such as /donors/61.
func refCreatedID(t *testing.T, res *response, prefix string) int64 {
	t.Helper()
	res.must(t, http.StatusSeeOther)
	rest, ok := strings.CutPrefix(res.Location, prefix)
	if !ok {
		t.Fatalf("redirected to %q, want %s...", res.Location, prefix)
	}
	id, err := strconv.ParseInt(strings.TrimRight(strings.SplitN(rest, "#", 2)[0], "/"), 10, 64)
	if err != nil {
		t.Fatalf("redirected to %q: %v", res.Location, err)
	}
	return id
}

// audited fails the test unless the audit trail has the action on the
// record, made by the test user of the role.
func refAudited(t *testing.T, a *app, entity string, id int64, action string, role tcmis.Role) {
	t.Helper()
	ctx := context.Background()
	mail := email(role)
	users, _, err := a.DB.FindUsers(ctx, tcmis.UserFilter{Email: &mail})
	if err != nil || len(users) != 1 {
		t.Fatalf("user %s: %v", mail, err)
	}
	changes, _, err := a.DB.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &id})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Action == action && c.UserID == users[0].ID {
			return
		}
	}
	t.Errorf("no %s of %s %d by %s in the audit trail (%d changes)", action, entity, id, mail, len(changes))
}

// access is one request of a permission table and the status expected.
type refAccess struct {
	role   tcmis.Role
	method string
	path   string
	want   int
}

// checkAccess runs a permission table. A POST sends an empty form: a
// user without the permission is refused before the form is read.
func refCheckAccess(t *testing.T, a *app, table []refAccess) {
	t.Helper()
	clients := map[tcmis.Role]*client{}
	for _, x := range table {
		c := clients[x.role]
		if c == nil {
			c = a.as(x.role)
			clients[x.role] = c
		}
		var res *response
		if x.method == http.MethodPost {
			res = c.post(x.path, url.Values{})
		} else {
			res = c.get(x.path)
		}
		if res.Status != x.want {
			t.Errorf("%s %s %s: status %d, want %d", x.role, x.method, x.path, res.Status, x.want)
		}
	}
}

func TestDonorList(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	eu := tcmis.EuropeanUnion
	euDonors, _, err := a.DB.FindOrganisations(ctx, tcmis.OrganisationFilter{Category: &eu})
	if err != nil || len(euDonors) == 0 {
		t.Fatalf("no EU donor in the demo: %v", err)
	}
	multi := tcmis.MultiBilateral
	bilateral, _, err := a.DB.FindOrganisations(ctx, tcmis.OrganisationFilter{Category: &multi})
	if err != nil || len(bilateral) < 2 {
		t.Fatalf("too few bilateral donors in the demo: %v", err)
	}
	c := a.as(tcmis.RoleViewer)

	res := c.get("/donors?category=eu").must(t, 200)
	res.contains(t, refEsc(euDonors[0].Name), fmt.Sprintf("%d donors", len(euDonors)))
	if strings.Contains(res.Body, ">"+refEsc(bilateral[0].Name)+"<") {
		t.Errorf("the EU filter shows %s", bilateral[0].Name)
	}

	// Searching by a word of the name.
	target, other := bilateral[0], bilateral[1]
	word := strings.ToLower(strings.Fields(target.Name)[0])
	if strings.Contains(strings.ToLower(other.Name), word) {
		other = bilateral[len(bilateral)-1]
	}
	res = c.get("/donors?q="+url.QueryEscape(word)).must(t, 200)
	res.contains(t, ">"+refEsc(target.Name)+"<")
	if strings.Contains(res.Body, ">"+refEsc(other.Name)+"<") {
		t.Errorf("searching %q shows %s", word, other.Name)
	}

	// The approvals of each donor, summed from its approvals.
	approvals, _, err := a.DB.FindApprovals(ctx, tcmis.MoneyFilter{DonorID: &target.ID})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, x := range approvals {
		sum += x.Amount.USD
	}
	if sum == 0 {
		t.Fatalf("%s has no approvals in the demo", target.Name)
	}
	res.contains(t, refDollars(sum))

	c.get("/donors?category=nonsense").must(t, 422)
}

func TestDonorPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	donors, _, err := a.DB.FindOrganisations(ctx, tcmis.OrganisationFilter{Name: refPtr("Netherlands")})
	if err != nil || len(donors) != 1 {
		t.Fatalf("no Netherlands in the demo: %v", err)
	}
	o := donors[0]
	agreements, _, err := a.DB.FindAgreements(ctx, tcmis.AgreementFilter{DonorID: &o.ID})
	if err != nil || len(agreements) == 0 {
		t.Fatalf("no agreement of %s: %v", o.Name, err)
	}
	projects, total, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{DonorID: &o.ID, Limit: 1})
	if err != nil || total == 0 {
		t.Fatalf("no project of %s: %v", o.Name, err)
	}
	approvals, _, err := a.DB.FindApprovals(ctx, tcmis.MoneyFilter{DonorID: &o.ID})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	byYear := map[int]int64{}
	for _, x := range approvals {
		sum += x.Amount.USD
		byYear[x.Date.Year()] += x.Amount.USD
	}
	year := approvals[0].Date.Year()

	res := a.as(tcmis.RoleResourceMobiliser).get(fmt.Sprintf("/donors/%d", o.ID)).must(t, 200)
	res.contains(t, "<h1>"+refEsc(o.Name)+"</h1>", refEsc(o.Ref),
		fmt.Sprintf(`href="/agreements/%d"`, agreements[0].ID), refEsc(agreements[0].Ref),
		fmt.Sprintf("%d projects", total), refEsc(projects[0].Code),
		`id="donor-approved">`+refDollars(sum)+"<",
		fmt.Sprintf(`<th scope="row">%d</th><td class="num">%s</td>`, year, refDollars(byYear[year])),
		fmt.Sprintf(`href="/donors/%d/edit"`, o.ID))

	// A viewer sees the page without the buttons that edit.
	res = a.as(tcmis.RoleViewer).get(fmt.Sprintf("/donors/%d", o.ID)).must(t, 200)
	if strings.Contains(res.Body, fmt.Sprintf(`href="/donors/%d/edit"`, o.ID)) {
		t.Error("a viewer is offered to edit the donor")
	}
	a.as(tcmis.RoleViewer).get("/donors/999999").must(t, 404)
	a.as(tcmis.RoleViewer).get("/donors/x").must(t, 404)
}

func refPtr[T any](v T) *T { return &v }

func TestDonorAccess(t *testing.T) {
	a := newApp(t)
	refCheckAccess(t, a, []refAccess{
		{tcmis.RoleViewer, "GET", "/donors", 200},
		{tcmis.RoleViewer, "GET", "/donors/1", 200},
		{tcmis.RoleEvaluationOfficer, "GET", "/donors", 200},
		{tcmis.RoleDonorViewer, "GET", "/donors", 403},
		{tcmis.RoleDonorViewer, "GET", "/donors/1", 403},
		{tcmis.RoleViewer, "GET", "/donors/new", 403},
		{tcmis.RoleViewer, "POST", "/donors/new", 403},
		{tcmis.RoleProgrammeOfficer, "POST", "/donors/new", 403},
		{tcmis.RoleEvaluationOfficer, "GET", "/donors/1/edit", 403},
		{tcmis.RoleEvaluationOfficer, "POST", "/donors/1/edit", 403},
		{tcmis.RoleDonorViewer, "POST", "/donors/1/edit", 403},
		{tcmis.RoleResourceMobiliser, "GET", "/donors/new", 200},
		{tcmis.RoleResourceMobiliser, "GET", "/donors/1/edit", 200},
		{tcmis.RoleAdmin, "GET", "/donors/1/edit", 200},
	})
	// Nothing was written by the refused requests.
	if _, n, err := a.DB.FindChanges(context.Background(), tcmis.ChangeFilter{Entity: refPtr("organisation"), RecordID: refPtr(int64(1))}); err != nil || n > 1 {
		t.Errorf("donor 1 has %d changes (%v), want at most its creation", n, err)
	}
}

func TestDonorForms(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleResourceMobiliser)
	form := url.Values{"name": {"Fondation Test"}, "category": {"non-state"}, "non_state": {"foundation"},
		"ref": {"XM-TEST-1"}, "type": {"60"}, "country": {"CH"}}

	t.Run("create", func(t *testing.T) {
		id := refCreatedID(t, c.post("/donors/new", form), "/donors/")
		o, err := a.DB.FindOrganisationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "Fondation Test" || o.Category != tcmis.NonState || o.NonState != "foundation" || o.Country != "CH" || o.Ref != "XM-TEST-1" {
			t.Errorf("stored %+v", o)
		}
		refAudited(t, a, "organisation", id, tcmis.ActionCreate, tcmis.RoleResourceMobiliser)
		c.get(fmt.Sprintf("/donors/%d", id)).must(t, 200).contains(t, "Donor Fondation Test added.")
	})

	for _, x := range []struct {
		name    string
		change  url.Values
		field   string
		message string
	}{
		{"no name", url.Values{"name": {" "}}, "name", "the organisation needs a name"},
		{"no category", url.Values{"category": {""}}, "category", "choose a donor category"},
		{"kind of another category", url.Values{"category": {"un"}}, "non_state", "only non-state actors have a non-state kind"},
		{"bad country", url.Values{"country": {"QQ"}}, "country", "QQ"},
	} {
		t.Run(x.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			for k, v := range x.change {
				f[k] = v
			}
			before, _, _ := a.DB.FindOrganisations(ctx, tcmis.OrganisationFilter{})
			res := c.post("/donors/new", f).must(t, 422)
			res.contains(t, `id="`+x.field+`-error"`, x.message, `aria-invalid="true"`)
			after, _, _ := a.DB.FindOrganisations(ctx, tcmis.OrganisationFilter{})
			if len(after) != len(before) {
				t.Error("an invalid donor was stored")
			}
		})
	}

	t.Run("edit and stale edit", func(t *testing.T) {
		o, err := a.DB.FindOrganisationByID(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		c.get("/donors/2/edit").must(t, 200).contains(t, `value="`+refEsc(o.Name)+`"`, `name="version" value="`+strconv.Itoa(o.Version)+`"`)
		f := url.Values{"name": {o.Name + " (renamed)"}, "category": {string(o.Category)}, "ref": {o.Ref}, "type": {o.Type},
			"country": {o.Country}, "version": {strconv.Itoa(o.Version)}}
		if got := refCreatedID(t, c.post("/donors/2/edit", f), "/donors/"); got != 2 {
			t.Errorf("redirected to donor %d", got)
		}
		saved, _ := a.DB.FindOrganisationByID(ctx, 2)
		if saved.Name != o.Name+" (renamed)" || saved.Version != o.Version+1 {
			t.Errorf("saved %+v", saved)
		}
		refAudited(t, a, "organisation", 2, tcmis.ActionUpdate, tcmis.RoleResourceMobiliser)
		// The same form again, from the version before the save.
		f.Set("name", o.Name+" (again)")
		res := a.as(tcmis.RoleAdmin).post("/donors/2/edit", f).must(t, 409)
		res.contains(t, "changed by someone else", refEsc(o.Name+" (again)"))
		if now, _ := a.DB.FindOrganisationByID(ctx, 2); now.Name != saved.Name {
			t.Errorf("the stale edit was saved: %q", now.Name)
		}
	})
}
