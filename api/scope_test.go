package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

// otherProject returns a project that fails keep, or fails the test.
func (a *app) otherProject(keep func(p *tcmis.Project) bool) *tcmis.Project {
	a.t.Helper()
	ps, _, err := a.DB.FindProjects(a.ctx, tcmis.ProjectFilter{})
	if err != nil {
		a.t.Fatal(err)
	}
	for _, p := range ps {
		if !keep(p) {
			return p
		}
	}
	a.t.Fatal("every project is in scope")
	return nil
}

func projectPath(id int64) string { return "/api/v1/projects/" + strconv.FormatInt(id, 10) }

// TestDonorViewer: a donor viewer reads only the projects its donor
// funds, whatever it asks for.
func TestDonorViewer(t *testing.T) {
	a := newApp(t)
	u := a.user(donorViewer)
	funds := func(p *tcmis.Project) bool { return slices.Contains(p.DonorIDs, u.DonorID) }
	other := a.otherProject(func(p *tcmis.Project) bool { return funds(p) || len(p.DonorIDs) == 0 })

	for _, query := range []string{"", "&donor=" + strconv.FormatInt(other.DonorIDs[0], 10)} {
		var page struct {
			Items []*tcmis.Project `json:"items"`
			Total int              `json:"total"`
		}
		a.call(donorViewer, "GET", "/api/v1/projects?limit=1000"+query, nil).must(t, http.StatusOK).decode(t, &page)
		if page.Total == 0 {
			t.Errorf("list%s: the donor viewer sees no project", query)
		}
		for _, p := range page.Items {
			if !funds(p) {
				t.Errorf("list%s: the donor viewer sees project %s of donors %v, not of its donor %d", query, p.Code, p.DonorIDs, u.DonorID)
			}
		}
		_, want, err := a.DB.FindProjects(a.ctx, tcmis.ProjectFilter{DonorID: &u.DonorID, Limit: 1})
		if err != nil || page.Total != want {
			t.Errorf("list%s: total %d, want the %d projects of its donor", query, page.Total, want)
		}
	}
	a.call(donorViewer, "GET", projectPath(a.firstProject().ID), nil).must(t, http.StatusOK)
	a.call(donorViewer, "GET", projectPath(other.ID), nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
	a.call(donorViewer, "GET", projectPath(other.ID)+"/finance", nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
	// The same project for a viewer of the whole portfolio.
	a.call(viewer, "GET", projectPath(other.ID), nil).must(t, http.StatusOK)
	a.call(viewer, "GET", projectPath(other.ID)+"/finance", nil).must(t, http.StatusOK)
}

// TestOfficerScope: a programme officer writes the projects, money and
// cycle of the units in their scope only.
func TestOfficerScope(t *testing.T) {
	a := newApp(t)
	u := a.user(officer)
	mine := func(p *tcmis.Project) bool {
		return slices.Contains(u.UnitIDs, p.LeadUnitID) || slices.Contains(u.UnitIDs, p.OfficeID)
	}
	other := a.otherProject(mine)
	projects := entities()["projects"]

	// Another unit's project: no update, deletion, status change or money.
	a.call(officer, "PUT", projectPath(other.ID), other, ifMatch(other.Version)...).failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	a.call(officer, "DELETE", projectPath(other.ID), nil, ifMatch(other.Version)...).failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	a.call(officer, "POST", projectPath(other.ID)+"/status", map[string]any{"to": "cancelled", "reason": "test"}).
		failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	al := entities()["allocations"].new(a, 1).(*tcmis.Allocation)
	al.ProjectID = other.ID
	a.call(officer, "POST", "/api/v1/allocations", al).failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	ex := entities()["expenditures"].new(a, 1).(*tcmis.Expenditure)
	ex.ProjectID = other.ID
	a.call(officer, "POST", "/api/v1/expenditures", ex).failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	// ... nor a new project for another unit, nor moving one's own
	// project to another unit.
	p := projects.new(a, 1).(*tcmis.Project)
	p.LeadUnitID, p.OfficeID = other.LeadUnitID, other.OfficeID
	a.call(officer, "POST", "/api/v1/projects", p).failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	id, ver, v := projects.fresh(a, 2)
	moved := v.(*tcmis.Project)
	moved.LeadUnitID, moved.OfficeID = other.LeadUnitID, other.OfficeID
	a.call(officer, "PUT", projectPath(id), moved, ifMatch(ver)...).failure(t, http.StatusForbidden, tcmis.EFORBIDDEN, "")
	// The administrator may.
	a.call(admin, "PUT", projectPath(id), moved, ifMatch(ver)...).must(t, http.StatusOK)
	// Their own unit's new project, yes; and it starts as a proposal.
	p = projects.new(a, 3).(*tcmis.Project)
	p.Status = ""
	var made tcmis.Project
	a.call(officer, "POST", "/api/v1/projects", p).must(t, http.StatusCreated).decode(t, &made)
	if made.Status != tcmis.Proposal {
		t.Errorf("a new project is %q, want a proposal", made.Status)
	}
	p = projects.new(a, 4).(*tcmis.Project)
	p.Status = tcmis.Approved
	a.call(officer, "POST", "/api/v1/projects", p).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "status")
}

// TestProjectStatus: the cycle through the API, with the domain's rules.
func TestProjectStatus(t *testing.T) {
	a := newApp(t)
	id, ver, _ := entities()["projects"].fresh(a, 1)
	path := projectPath(id) + "/status"
	a.call(officer, "POST", path, map[string]any{"to": "ongoing"}).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")
	a.call(officer, "POST", path, map[string]any{"to": "appraisal"}, ifMatch(ver+1)...).failure(t, http.StatusPreconditionFailed, "precondition_failed", "")
	a.call(officer, "POST", path, map[string]any{"to": "appraisal", "when": "now"}).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "when")
	res := a.call(officer, "POST", path, map[string]any{"to": "appraisal"}, ifMatch(ver)...).must(t, http.StatusOK)
	var out tcmis.CycleResult
	res.decode(t, &out)
	if out.Project == nil || out.Project.Status != tcmis.Appraisal || out.Event == nil || out.Event.Role != tcmis.RoleProgrammeOfficer {
		t.Errorf("status change answered %s", res.Body)
	}
	if res.etag(t) != out.Project.Version || out.Project.Version <= ver {
		t.Errorf("ETag %q after the move, project version %d", res.Header.Get("ETag"), out.Project.Version)
	}
	p, err := a.DB.FindProjectByID(a.ctx, id)
	if err != nil || p.Status != tcmis.Appraisal {
		t.Errorf("the store has the project %v (%v)", p, err)
	}
	// Back to a proposal needs a reason.
	a.call(officer, "POST", path, map[string]any{"to": "proposal"}).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")
	a.call(officer, "POST", path, map[string]any{"to": "proposal", "reason": "redesign the outputs"}).must(t, http.StatusOK)
	// An update cannot change the status.
	p, _ = a.DB.FindProjectByID(a.ctx, id)
	p.Status = tcmis.Ongoing
	a.call(admin, "PUT", projectPath(id), p, ifMatch(p.Version)...).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")
	// The history has the moves.
	var hist struct {
		Items []tcmis.Change `json:"items"`
		Total int            `json:"total"`
	}
	a.call(viewer, "GET", projectPath(id)+"/history", nil).must(t, http.StatusOK).decode(t, &hist)
	if hist.Total < 3 {
		t.Errorf("history of %d changes, want the creation and two moves", hist.Total)
	}
}

// TestTokens: a user issues, uses, lists and deletes their own tokens.
func TestTokens(t *testing.T) {
	a := newApp(t)
	a.call(viewer, "POST", "/api/v1/tokens", map[string]any{"name": ""}).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "name")
	a.call(viewer, "POST", "/api/v1/tokens", map[string]any{"name": "x", "expires_in_days": -1}).
		failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "expires_in_days")
	res := a.call(viewer, "POST", "/api/v1/tokens", map[string]any{"name": "reporting server", "expires_in_days": 90}).must(t, http.StatusCreated)
	var nt struct {
		Token  tcmis.APIToken `json:"token"`
		Secret string         `json:"secret"`
	}
	res.decode(t, &nt)
	if !strings.HasPrefix(nt.Secret, "tcmis_") || nt.Token.ExpiresAt.IsZero() || strings.Contains(string(res.Body), "token_hash") {
		t.Errorf("new token %s", res.Body)
	}
	// The secret signs the new token's user in.
	tokens["test:new"] = nt.Secret
	defer delete(tokens, "test:new")
	var me struct {
		User        tcmis.User         `json:"user"`
		Permissions []tcmis.Permission `json:"permissions"`
	}
	a.call("test:new", "GET", "/api/v1/me", nil).must(t, http.StatusOK).decode(t, &me)
	if me.User.Email != email(viewer) || !slices.Contains(me.Permissions, tcmis.PermView) || slices.Contains(me.Permissions, tcmis.PermAdmin) {
		t.Errorf("me with the new token: %+v", me)
	}
	var list []tcmis.APIToken
	a.call(viewer, "GET", "/api/v1/tokens", nil).must(t, http.StatusOK).decode(t, &list)
	if !slices.ContainsFunc(list, func(x tcmis.APIToken) bool { return x.ID == nt.Token.ID && x.Name == "reporting server" }) {
		t.Errorf("the list lacks the new token: %+v", list)
	}
	// Another user cannot see or delete it.
	a.call(admin, "GET", "/api/v1/tokens", nil).must(t, http.StatusOK).decode(t, &list)
	if slices.ContainsFunc(list, func(x tcmis.APIToken) bool { return x.ID == nt.Token.ID }) {
		t.Errorf("the administrator's list has the viewer's token")
	}
	del := "/api/v1/tokens/" + strconv.FormatInt(nt.Token.ID, 10)
	a.call(admin, "DELETE", del, nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
	a.call(viewer, "DELETE", del, nil).must(t, http.StatusNoContent)
	a.call("test:new", "GET", "/api/v1/me", nil).failure(t, http.StatusUnauthorized, "unauthorized", "")
	tokens["test:bogus"] = "tcmis_not-a-token"
	defer delete(tokens, "test:bogus")
	a.call("test:bogus", "GET", "/api/v1/me", nil).failure(t, http.StatusUnauthorized, "unauthorized", "")
}

// TestReports: the list of reports, and a report's table with its
// options read like the command line's.
func TestReports(t *testing.T) {
	a := newApp(t)
	var list []struct {
		Name       string   `json:"name"`
		Parameters []string `json:"parameters"`
	}
	a.call(donorViewer, "GET", "/api/v1/reports", nil).must(t, http.StatusOK).decode(t, &list)
	if len(list) != len(report.All()) {
		t.Errorf("%d reports listed, want %d", len(list), len(report.All()))
	}
	var withPeriod string
	for _, d := range report.All() {
		if d.Uses(report.OptPeriod) {
			withPeriod = d.Name
			break
		}
	}
	res := a.call(viewer, "GET", "/api/v1/reports/"+withPeriod+"?from=2000&to=2004", nil).must(t, http.StatusOK)
	var table struct {
		Name    string            `json:"name"`
		Filter  map[string]string `json:"filter"`
		Columns []json.RawMessage `json:"columns"`
		Rows    []json.RawMessage `json:"rows"`
	}
	res.decode(t, &table)
	if table.Name != withPeriod || len(table.Columns) == 0 || table.Filter["from"] != "2000" || table.Filter["to"] != "2004" {
		t.Errorf("report %s: name %q, %d columns, filter %v", withPeriod, table.Name, len(table.Columns), table.Filter)
	}
	a.call(viewer, "GET", "/api/v1/reports/"+withPeriod+"?from=last+year", nil).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "from")
	a.call(viewer, "GET", "/api/v1/reports/"+withPeriod+"?colour=blue", nil).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "colour")
	a.call(viewer, "GET", "/api/v1/reports/no-such-report", nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
}

// TestDisabledUser: a disabled user's token no longer works.
func TestDisabledUser(t *testing.T) {
	a := newApp(t)
	u := a.user(mobiliser)
	u.Disabled = true
	if err := a.DB.UpdateUser(a.ctx, u); err != nil {
		t.Fatal(err)
	}
	a.call(mobiliser, "GET", "/api/v1/me", nil).failure(t, http.StatusUnauthorized, "unauthorized", "")
}
