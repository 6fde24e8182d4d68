package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

// firstProject is the project the test users are set up around: the
// programme officer manages its lead unit, the donor viewer is its lead
// donor.
func firstProject(t *testing.T, a *app) *tcmis.Project {
	t.Helper()
	ps, _, err := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("no project: %v", err)
	}
	return ps[0]
}

// findProject returns the first project for which ok holds.
func findProject(t *testing.T, a *app, ok func(p *tcmis.Project) bool) *tcmis.Project {
	t.Helper()
	ps, _, err := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if ok(p) {
			return p
		}
	}
	t.Fatal("no project fits the test")
	return nil
}

// outOfScope is a project neither led nor managed by the first project's
// lead unit: the programme officer may not edit it.
func outOfScope(t *testing.T, a *app) *tcmis.Project {
	first := firstProject(t, a)
	return findProject(t, a, func(p *tcmis.Project) bool {
		return p.LeadUnitID != first.LeadUnitID && p.OfficeID != first.LeadUnitID
	})
}

func projectPath(p *tcmis.Project, rest string) string {
	return "/projects/" + strconv.FormatInt(p.ID, 10) + rest
}

// userID is the id of a test user.
func userID(t *testing.T, a *app, r tcmis.Role) int64 {
	t.Helper()
	e := email(r)
	us, _, err := a.DB.FindUsers(context.Background(), tcmis.UserFilter{Email: &e})
	if err != nil || len(us) != 1 {
		t.Fatalf("user %s: %v", e, err)
	}
	return us[0].ID
}

// usd writes US cents as the page's whole dollars with thousands commas,
// rounded half away from zero.
func usd(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	d := (cents + 50) / 100
	s := strconv.FormatInt(d, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// rate writes a delivery rate the way an English page shows it.
func rate(p tcmis.Percent) string { return fmt.Sprintf("%.1f%%", float64(p)/100) }

// cell returns the text of the element with an id, or fails.
func cell(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page has no element #%s", id)
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}

// formValues reads the inputs of the form posting to action, as a
// browser would send them: text inputs, checked boxes, textareas and the
// selected options.
func formValues(t *testing.T, body, action string) url.Values {
	t.Helper()
	start := strings.Index(body, `action="`+action+`"`)
	if start < 0 {
		t.Fatalf("no form posts to %s", action)
	}
	end := strings.Index(body[start:], "</form>")
	form := body[start : start+end]
	v := url.Values{}
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(form, -1) {
		name, ok := attr(tag, "name")
		if !ok {
			continue
		}
		typ, _ := attr(tag, "type")
		if (typ == "checkbox" || typ == "radio") && !strings.Contains(tag, " checked") {
			continue
		}
		val, _ := attr(tag, "value")
		v.Add(name, val)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		for _, o := range regexp.MustCompile(`<option value="([^"]*)" selected>`).FindAllStringSubmatch(m[2], -1) {
			v.Add(m[1], html.UnescapeString(o[1]))
		}
	}
	return v
}

func TestProjectPageShowsTheProject(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	p := firstProject(t, a)
	body := a.as(tcmis.RoleAdmin).get(projectPath(p, "")).must(t, http.StatusOK).Body
	res := &response{Body: body}
	res.contains(t, html.EscapeString(p.Code), html.EscapeString(p.Title),
		`id="summary"`, `id="funding"`, `id="budget"`, `id="delivery"`, `id="results"`, `id="evaluations"`,
		`id="cycle"`, `id="iati"`, `href="/projects/`+strconv.FormatInt(p.ID, 10)+`/history"`, `href="#delivery"`)

	// Donors and units by name.
	for _, id := range p.DonorIDs {
		o, err := a.DB.FindOrganisationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		res.contains(t, html.EscapeString(o.Name))
	}
	unit, err := a.DB.FindUnitByID(ctx, p.LeadUnitID)
	if err != nil {
		t.Fatal(err)
	}
	res.contains(t, html.EscapeString(unit.Name))
	for _, c := range p.Countries {
		res.contains(t, html.EscapeString(tcmis.CountryName(c.Country)))
	}

	// Budget total in the project's currency.
	var total int64
	for _, b := range p.Budget {
		total += b.Amount
	}
	if got, want := strings.ReplaceAll(cell(t, body, "budget-total"), ",", ""), tcmis.FormatAmount(total, p.Currency)+" "+p.Currency; got != want {
		t.Errorf("budget total %q, want %q", got, want)
	}

	// Approvals: their total in US dollars.
	approvals, _, err := a.DB.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	var approved int64
	for _, ap := range approvals {
		approved += ap.Amount.USD
	}
	if len(approvals) > 0 {
		if got := cell(t, body, "approved-total"); got != usd(approved) {
			t.Errorf("approved total %q, want %s", got, usd(approved))
		}
	}

	// Money by year, as the store sums it.
	fin, err := a.DB.ProjectFinance(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(fin) == 0 {
		t.Fatal("the first demo project has no money: choose another project for this test")
	}
	for _, y := range fin {
		if got := cell(t, body, fmt.Sprintf("spent-%d", y.Year)); got != usd(y.Spent) {
			t.Errorf("%d: spent %q, want %s", y.Year, got, usd(y.Spent))
		}
		want := "–"
		if y.HasDelivery {
			want = rate(y.Delivery)
		}
		if got := cell(t, body, fmt.Sprintf("delivery-rate-%d", y.Year)); got != want {
			t.Errorf("%d: delivery rate %q, want %q", y.Year, got, want)
		}
	}

	// Evaluations by title; the IATI activity with its identifier.
	evals, _, err := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evals {
		res.contains(t, html.EscapeString(e.Title))
	}
	res.contains(t, `href="`+projectPath(p, "/iati")+`"`)
	a.as(tcmis.RoleViewer).get(projectPath(p, "/iati")).must(t, http.StatusOK).
		contains(t, "&lt;iati-identifier&gt;", "&lt;iati-activities version=&#34;2.03&#34;", "&lt;transaction")
}

func TestProjectMonthlyExpenditure(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	p := firstProject(t, a)
	fin, err := a.DB.ProjectFinance(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range fin {
		body := a.as(tcmis.RoleViewer).get(projectPath(p, fmt.Sprintf("?year=%d", y.Year))).must(t, http.StatusOK).Body
		(&response{Body: body}).contains(t, fmt.Sprintf("Monthly expenditure in %d", y.Year))
		es, _, err := a.DB.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &p.ID, Year: &y.Year})
		if err != nil {
			t.Fatal(err)
		}
		// The delivery rate to the end of each month: the year's
		// spending so far over its allocation.
		var toDate int64
		for m := 1; m <= 12; m++ {
			for _, e := range es {
				if e.Month == m {
					toDate += e.Amount.USD
				}
			}
			want := "–"
			if r, ok := tcmis.DeliveryRate(toDate, y.Allocated); ok {
				want = rate(r)
			}
			if got := cell(t, body, fmt.Sprintf("delivery-rate-%d-%d", y.Year, m)); got != want {
				t.Errorf("%d-%02d: delivery rate to date %q, want %q", y.Year, m, got, want)
			}
		}
		if toDate != y.Spent {
			t.Errorf("%d: the months add up to %d, the year to %d", y.Year, toDate, y.Spent)
		}
	}
}

func TestProjectPageAccess(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	first := firstProject(t, a)
	other := findProject(t, a, func(p *tcmis.Project) bool { return !slices.Contains(p.DonorIDs, first.DonorIDs[0]) })
	for _, tc := range []struct {
		role   tcmis.Role
		path   string
		status int
	}{
		{tcmis.RoleViewer, projectPath(first, ""), http.StatusOK},
		{tcmis.RoleEvaluationOfficer, projectPath(other, ""), http.StatusOK},
		{tcmis.RoleDonorViewer, projectPath(first, ""), http.StatusOK},
		{tcmis.RoleDonorViewer, projectPath(other, ""), http.StatusNotFound},
		{tcmis.RoleDonorViewer, projectPath(other, "/iati.xml"), http.StatusNotFound},
		{tcmis.RoleDonorViewer, projectPath(first, "/iati.xml"), http.StatusOK},
		{tcmis.RoleAdmin, "/projects/999999", http.StatusNotFound},
		{tcmis.RoleAdmin, "/projects/abc", http.StatusNotFound},
	} {
		t.Run(string(tc.role)+tc.path, func(t *testing.T) {
			a.as(tc.role).get(tc.path).must(t, tc.status)
		})
	}
	// A visitor is sent to sign in.
	if res := a.client().get(projectPath(first, "")); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/signin") {
		t.Errorf("visitor: status %d to %q, want a redirect to sign in", res.Status, res.Location)
	}
	// A donor viewer sees no audit trail and no form.
	body := a.as(tcmis.RoleDonorViewer).get(projectPath(first, "")).must(t, http.StatusOK).Body
	for _, s := range []string{`/history"`, `action="` + projectPath(first, "/expenditures") + `"`, `/edit"`, `name="to"`} {
		if strings.Contains(body, s) {
			t.Errorf("the donor viewer's page has %s", s)
		}
	}
}

func TestProjectIATIDownload(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	p := firstProject(t, a)
	res := a.as(tcmis.RoleViewer).get(projectPath(p, "/iati.xml")).must(t, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Errorf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || strings.Contains(cd, "/") {
		t.Errorf("content disposition %q", cd)
	}
	id := p.IATIID
	if id == "" {
		id = "XM-DAC-41302-" + p.Code
	}
	res.contains(t, `<iati-activities version="2.03"`, "<iati-identifier>"+id+"</iati-identifier>", "</iati-activities>")
	if n := strings.Count(res.Body, "<iati-activity "); n != 1 {
		t.Errorf("%d activities in the file, want 1", n)
	}
}

// TestProjectRoutePermissions tries every project route as every role
// that lacks its permission: each is refused before the handler runs.
func TestProjectRoutePermissions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	p := firstProject(t, a)
	n := 0
	for _, role := range roles {
		u := &tcmis.User{Role: role}
		c := a.as(role)
		for _, rt := range a.Web.Routes() {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if !strings.HasPrefix(path, "/projects/") || u.Can(rt.Perm) {
				continue
			}
			n++
			path = strings.NewReplacer("{id}", strconv.FormatInt(p.ID, 10), "{eid}", "1").Replace(path)
			var res *response
			if method == http.MethodPost {
				res = c.post(path, url.Values{"to": {"cancelled"}, "reason": {"x"}})
			} else {
				res = c.get(path)
			}
			if res.Status != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", method, path, role, res.Status)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d refusals tried", n)
	}
}
