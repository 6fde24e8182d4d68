package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

func TestDashboard(t *testing.T) {
	a := newApp(t)
	res := a.as(tcmis.RoleViewer).get("/").must(t, http.StatusOK)
	res.contains(t, "Dashboard", "<svg", "Projects with low delivery", "Overdue evaluations", "Agreements ending in the six months after 2005-12-31")
	// The demo's last month with expenditure is December 2005.
	res.contains(t, "2005-12-31")
	// A donor viewer sees the published statistics, not other donors' alerts.
	res = a.as(tcmis.RoleDonorViewer).get("/").must(t, http.StatusOK)
	res.contains(t, "<svg")
	if strings.Contains(res.Body, "Projects with low delivery") {
		t.Error("a donor viewer sees the internal delivery alerts")
	}
}

func TestProjectList(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	c := a.as(tcmis.RoleViewer)
	all, total, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/projects").must(t, http.StatusOK)
	res.contains(t, all[0].Code, all[49].Code, "Page 1 of")
	if strings.Contains(res.Body, `href="/projects/new"`) {
		t.Error("a viewer is offered to create a project")
	}
	// Filters: what the store selects is what the page lists.
	ongoing := tcmis.Ongoing
	want, n, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Status: &ongoing, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n == total {
		t.Fatalf("the status filter does not discriminate on the demo (%d of %d)", n, total)
	}
	res = c.get("/projects?status=ongoing").must(t, http.StatusOK)
	res.contains(t, want[0].Code, a.itoa(n)+" projects")
	// Search by a word of a title.
	word := strings.Fields(all[3].Title)[0]
	found, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Search: word, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	c.get("/projects?q="+word).must(t, http.StatusOK).contains(t, found[0].Code)
	// Sorting descending by start puts the latest first.
	latest, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Sort: "-start", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	res = c.get("/projects?sort=-start").must(t, http.StatusOK)
	list := res.Body[strings.Index(res.Body, `id="project-list"`):]
	first := list[strings.Index(list, `<a href="/projects/`):]
	if !strings.HasPrefix(first, `<a href="/projects/`+strconv.FormatInt(latest[0].ID, 10)+`"`) {
		t.Errorf("sorted by start descending, %s is not first: %.80s", latest[0].Code, first)
	}
	// Page 2 starts after page 1.
	second, _, _ := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Offset: 50, Limit: 1})
	c.get("/projects?page=2").must(t, http.StatusOK).contains(t, second[0].Code, "Page 2 of")
	// Bad filters are named.
	c.get("/projects?status=nonsense").must(t, http.StatusUnprocessableEntity).contains(t, "status")
	c.get("/projects?sort=budget").must(t, http.StatusUnprocessableEntity).contains(t, "sort")
}

func TestProjectListDownloads(t *testing.T) {
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	_, n, err := a.DB.FindProjects(t.Context(), tcmis.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/projects?format=csv").must(t, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	lines := strings.Count(strings.TrimSpace(res.Body), "\n")
	if lines < n {
		t.Errorf("the CSV has %d lines for %d projects", lines, n)
	}
	res = c.get("/projects?format=xlsx").must(t, http.StatusOK)
	if !strings.HasPrefix(res.Body, "PK") {
		t.Error("the Excel download is not a zip file")
	}
}

func TestDonorViewerSeesOnlyItsProjects(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	u, _, err := a.DB.FindUsers(ctx, tcmis.UserFilter{Email: ptr(email(tcmis.RoleDonorViewer))})
	if err != nil {
		t.Fatal(err)
	}
	donor := u[0].DonorID
	theirs, n, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{DonorID: &donor, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	all, total, _ := a.DB.FindProjects(ctx, tcmis.ProjectFilter{})
	var other *tcmis.Project
	for _, p := range all {
		if !contains(p.DonorIDs, donor) {
			other = p
			break
		}
	}
	c := a.as(tcmis.RoleDonorViewer)
	res := c.get("/projects").must(t, http.StatusOK).contains(t, theirs[0].Code, a.itoa(n)+" projects")
	if n == total || strings.Contains(res.Body, ">"+other.Code+"<") {
		t.Errorf("a donor viewer sees another donor's project %s", other.Code)
	}
	// Asking for another donor's projects changes nothing.
	c.get("/projects?donor="+a.itoa(int(other.DonorIDs[0]))).must(t, http.StatusOK).contains(t, a.itoa(n)+" projects")
	csv := c.get("/projects?format=csv").must(t, http.StatusOK)
	if strings.Contains(csv.Body, other.Code+",") {
		t.Error("the CSV download holds another donor's project")
	}
}

func ptr[T any](v T) *T { return &v }

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// itoa formats a count as the English pages print it: 1,234.
func (a *app) itoa(n int) string {
	digits := []byte(strconv.Itoa(n))
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = append(digits[:i], append([]byte(","), digits[i:]...)...)
	}
	return string(digits)
}

// The dashboard's reports are kept between requests; a write must show at
// once.
func TestDashboardFollowsWrites(t *testing.T) {
	a := newApp(t)
	ctx := tcmis.WithActor(t.Context(), tcmis.Actor{Name: "test"})
	c := a.as(tcmis.RoleViewer)
	low, err := report.Run(ctx, a.DB, "delivery-projects", report.Params{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	id, err := strconv.ParseInt(low.Rows[0].Keys["project"], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	link := `href="/projects/` + low.Rows[0].Keys["project"] + `"`
	c.get("/").must(t, http.StatusOK).contains(t, link)
	c.get("/").must(t, http.StatusOK).contains(t, link) // from the cache
	// Spend the project's whole year in December: it is no longer low.
	e := &tcmis.Expenditure{ProjectID: id, Year: 2005, Month: 12, Type: tcmis.AssistanceTypes()[0],
		Amount: tcmis.Converted{Money: tcmis.Money{Amount: 1_000_000_000_00, Currency: "USD"}}}
	if err := a.DB.CreateExpenditures(ctx, []*tcmis.Expenditure{e}); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/").must(t, http.StatusOK); strings.Contains(res.Body, link) {
		t.Errorf("project %d is still listed with low delivery after a large expenditure", id)
	}
}

// A donor viewer reads its own donor's approvals of a project it funds
// with others, not the other donors'.
func TestDonorViewerSeesOnlyItsApprovals(t *testing.T) {
	a := newApp(t)
	ctx := tcmis.WithActor(t.Context(), tcmis.Actor{Name: "test"})
	first, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := first[0]
	orgs, _, err := a.DB.FindOrganisations(ctx, tcmis.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var other int64
	for _, o := range orgs {
		if o.ID != p.DonorIDs[0] {
			other = o.ID
			break
		}
	}
	day := p.Start
	mine := &tcmis.Approval{DonorID: p.DonorIDs[0], ProjectID: p.ID, Date: day, Amount: tcmis.Converted{Money: tcmis.Money{Amount: 1234567, Currency: "USD"}}}
	theirs := &tcmis.Approval{DonorID: other, ProjectID: p.ID, Date: day, Amount: tcmis.Converted{Money: tcmis.Money{Amount: 9876543, Currency: "USD"}}}
	if err := a.DB.CreateApprovals(ctx, []*tcmis.Approval{mine, theirs}); err != nil {
		t.Fatal(err)
	}
	path := "/projects/" + strconv.FormatInt(p.ID, 10)
	a.as(tcmis.RoleViewer).get(path).must(t, http.StatusOK).contains(t, "12,345.67 USD", "98,765.43 USD")
	res := a.as(tcmis.RoleDonorViewer).get(path).must(t, http.StatusOK).contains(t, "12,345.67 USD")
	if strings.Contains(res.Body, "98,765.43 USD") {
		t.Error("a donor viewer reads another donor's approval")
	}
}
