package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func statusOf(t *testing.T, a *app, id int64) *tcmis.Project {
	t.Helper()
	p, err := a.DB.FindProjectByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProjectStatusFollowsTheCycle(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleAdmin)
	c.post("/projects/new", newProjectForm(firstProject(t, a))).must(t, http.StatusSeeOther)
	p, err := a.DB.FindProjectByCode(ctx, "TST/26/01/WEB")
	if err != nil {
		t.Fatal(err)
	}
	// A proposal offers appraisal and cancellation.
	c.get(projectPath(p, "")).must(t, http.StatusOK).contains(t, `id="move-appraisal"`, `id="move-cancelled"`)
	move := func(to, reason string, version int) *response {
		return c.post(projectPath(p, "/status"), url.Values{"to": {to}, "reason": {reason}, "version": {strconv.Itoa(version)}})
	}
	move("appraisal", "", p.Version).must(t, http.StatusSeeOther)
	p = statusOf(t, a, p.ID)
	if p.Status != tcmis.Appraisal {
		t.Fatalf("status %s, want appraisal", p.Status)
	}
	events, err := a.DB.FindStatusEvents(ctx, p.ID)
	if err != nil || len(events) != 1 || events[0].To != tcmis.Appraisal || events[0].UserID != userID(t, a, tcmis.RoleAdmin) {
		t.Fatalf("events %+v %v", events, err)
	}
	for _, tc := range []struct {
		to, reason string
		version    int
		status     int
		want       string
	}{
		{"approved", "", p.Version, http.StatusUnprocessableEntity, "has no appraisal"},
		{"cancelled", "", p.Version, http.StatusUnprocessableEntity, "needs a reason"},
		{"ongoing", "", p.Version, http.StatusUnprocessableEntity, "it can go to"},
		{"nowhere", "", p.Version, http.StatusUnprocessableEntity, "is not a project status"},
		{"proposal", "back to the drawing board", p.Version - 1, http.StatusConflict, "changed by someone else"},
	} {
		t.Run(tc.to, func(t *testing.T) {
			move(tc.to, tc.reason, tc.version).must(t, tc.status).contains(t, tc.want)
			if got := statusOf(t, a, p.ID).Status; got != tcmis.Appraisal {
				t.Errorf("the project moved to %s", got)
			}
		})
	}
	move("proposal", "back to the drawing board", p.Version).must(t, http.StatusSeeOther)
	c.get(projectPath(p, "")).must(t, http.StatusOK).contains(t, "back to the drawing board")
}

func TestProjectStatusRoles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	first := firstProject(t, a)
	if first.Status != tcmis.Ongoing {
		t.Skipf("the first demo project is %s, not ongoing", first.Status)
	}
	other := outOfScope(t, a)
	officer := a.as(tcmis.RoleProgrammeOfficer)
	for _, r := range []tcmis.Role{tcmis.RoleViewer, tcmis.RoleResourceMobiliser, tcmis.RoleDonorViewer} {
		a.as(r).post(projectPath(first, "/status"), url.Values{"to": {"operationally-closed"}}).must(t, http.StatusForbidden)
	}
	officer.post(projectPath(other, "/status"), url.Values{"to": {string(tcmis.NextStatuses(other.Status)[0])}, "reason": {"x"}}).must(t, http.StatusForbidden)

	page := officer.get(projectPath(first, "")).must(t, http.StatusOK)
	page.contains(t, `id="move-operationally-closed"`)
	officer.post(projectPath(first, "/status"), url.Values{"to": {"operationally-closed"}, "version": {strconv.Itoa(first.Version)}}).must(t, http.StatusSeeOther)
	if got := statusOf(t, a, first.ID).Status; got != tcmis.OperationallyClosed {
		t.Fatalf("status %s", got)
	}
	// Reopening is for an administrator only: no button for the officer,
	// and the move is refused.
	if body := officer.get(projectPath(first, "")).must(t, http.StatusOK).Body; strings.Contains(body, `id="move-ongoing"`) {
		t.Error("the officer is offered to reopen the project")
	}
	officer.post(projectPath(first, "/status"), url.Values{"to": {"ongoing"}, "reason": {"extension"}}).must(t, http.StatusForbidden)
	admin := a.as(tcmis.RoleAdmin)
	admin.get(projectPath(first, "")).must(t, http.StatusOK).contains(t, `id="move-ongoing"`, `id="move-financially-closed"`)
	admin.post(projectPath(first, "/status"), url.Values{"to": {"ongoing"}, "reason": {"extension"}}).must(t, http.StatusSeeOther)
	if got := statusOf(t, a, first.ID).Status; got != tcmis.Ongoing {
		t.Fatalf("status %s after reopening", got)
	}
}

func TestProjectAppraisalThenApproval(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleProgrammeOfficer)
	c.post("/projects/new", newProjectForm(firstProject(t, a))).must(t, http.StatusSeeOther)
	p, err := a.DB.FindProjectByCode(ctx, "TST/26/01/WEB")
	if err != nil {
		t.Fatal(err)
	}
	if body := c.get(projectPath(p, "")).Body; strings.Contains(body, `id="appraisal-form"`) {
		t.Error("a proposal offers the appraisal form")
	}
	c.post(projectPath(p, "/status"), url.Values{"to": {"appraisal"}}).must(t, http.StatusSeeOther)
	c.get(projectPath(p, "")).must(t, http.StatusOK).contains(t, `id="appraisal-form"`, `name="crit_tripartite"`)

	form := url.Values{"appraisal_appraiser": {"Quality team"}, "appraisal_date": {"2026-02-01"}, "appraisal_budget": {"25000"}}
	for _, cr := range tcmis.Criteria() {
		form.Set("crit_"+string(cr), "pass")
	}
	// A failed criterion needs a comment.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("crit_gender", "fail")
	c.post(projectPath(p, "/appraisals"), bad).must(t, http.StatusUnprocessableEntity).contains(t, `id="crit_gender-error"`, "say what must change")
	if _, err := a.DB.FindLatestAppraisal(ctx, p.ID); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		t.Fatalf("an invalid appraisal was stored (%v)", err)
	}
	// With every criterion passed, the project can be approved.
	c.post(projectPath(p, "/appraisals"), form).must(t, http.StatusSeeOther)
	ap, err := a.DB.FindLatestAppraisal(ctx, p.ID)
	if err != nil || ap.Appraiser != "Quality team" || ap.EvaluationBudget != 2500000 || ap.CanApprove() != nil {
		t.Fatalf("appraisal %+v %v", ap, err)
	}
	c.get(projectPath(p, "")).must(t, http.StatusOK).contains(t, "Appraised by Quality team on 2026-02-01")
	c.post(projectPath(p, "/status"), url.Values{"to": {"approved"}, "date": {"2026-02-15"}}).must(t, http.StatusSeeOther)
	if got := statusOf(t, a, p.ID).Status; got != tcmis.Approved {
		t.Fatalf("status %s after approval", got)
	}
	// Someone outside the project's scope may not appraise it.
	other := outOfScope(t, a)
	c.post(projectPath(other, "/appraisals"), form).must(t, http.StatusForbidden)
}
