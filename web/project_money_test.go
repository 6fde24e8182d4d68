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

// yearWithAllocation is a year in which the project has funds allocated.
func yearWithAllocation(t *testing.T, a *app, p *tcmis.Project) tcmis.YearFinance {
	t.Helper()
	fin, err := a.DB.ProjectFinance(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range fin {
		if y.Allocated > 0 {
			return y
		}
	}
	t.Fatalf("project %s has no allocation", p.Code)
	return tcmis.YearFinance{}
}

func financeOf(t *testing.T, a *app, p *tcmis.Project, year int) tcmis.YearFinance {
	t.Helper()
	fin, err := a.DB.ProjectFinance(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range fin {
		if y.Year == year {
			return y
		}
	}
	return tcmis.YearFinance{Year: year}
}

func TestProjectExpenditureChangesDeliveryRate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	p := firstProject(t, a)
	y := yearWithAllocation(t, a, p)
	c := a.as(tcmis.RoleProgrammeOfficer)
	id := fmt.Sprintf("delivery-rate-%d", y.Year)
	before := cell(t, c.get(projectPath(p, "?year="+strconv.Itoa(y.Year))).must(t, http.StatusOK).Body, id)

	res := c.post(projectPath(p, "/expenditures"), url.Values{
		"exp_year": {strconv.Itoa(y.Year)}, "exp_month": {"12"}, "exp_type": {"training"},
		"exp_amount": {"25,000.00"}, "exp_currency": {"USD"},
	}).must(t, http.StatusSeeOther)
	if !strings.HasPrefix(res.Location, projectPath(p, "")) {
		t.Errorf("redirect to %q", res.Location)
	}
	after := financeOf(t, a, p, y.Year)
	if after.Spent != y.Spent+2500000 {
		t.Fatalf("spent %d, want %d", after.Spent, y.Spent+2500000)
	}
	page := c.get(res.Location).must(t, http.StatusOK)
	got := cell(t, page.Body, id)
	if got != rate(after.Delivery) {
		t.Errorf("delivery rate shown %q, want %q", got, rate(after.Delivery))
	}
	if got == before {
		t.Errorf("the delivery rate stayed at %s", before)
	}
	if got := cell(t, page.Body, fmt.Sprintf("delivery-rate-%d-12", y.Year)); got != rate(after.Delivery) {
		t.Errorf("December's rate to date %q, want the year's %q", got, rate(after.Delivery))
	}
	page.contains(t, "Expenditure of 25,000.00 USD recorded")

	// The new record, audited under the officer, can be deleted again.
	es, _, err := a.DB.FindExpenditures(context.Background(), tcmis.MoneyFilter{ProjectID: &p.ID, Year: &y.Year})
	if err != nil {
		t.Fatal(err)
	}
	var made *tcmis.Expenditure
	for _, e := range es {
		if e.ID > 0 && (made == nil || e.ID > made.ID) {
			made = e
		}
	}
	if made == nil || made.Amount.Amount != 2500000 || made.Type != tcmis.Training || made.Month != 12 {
		t.Fatalf("stored %+v", made)
	}
	entity := "expenditure"
	zero := int64(0)
	loads, _, err := a.DB.FindChanges(context.Background(), tcmis.ChangeFilter{Entity: &entity, RecordID: &zero, Limit: 1})
	if err != nil || len(loads) != 1 || loads[0].UserID != userID(t, a, tcmis.RoleProgrammeOfficer) {
		t.Fatalf("audit of the creation: %+v %v", loads, err)
	}
	c.post(projectPath(p, fmt.Sprintf("/expenditures/%d/delete", made.ID)), nil).must(t, http.StatusSeeOther)
	if back := financeOf(t, a, p, y.Year); back.Spent != y.Spent {
		t.Errorf("after the deletion spent %d, want %d", back.Spent, y.Spent)
	}
	rec := made.ID
	dels, _, err := a.DB.FindChanges(context.Background(), tcmis.ChangeFilter{Entity: &entity, RecordID: &rec})
	if err != nil || len(dels) != 1 || dels[0].Action != tcmis.ActionDelete || dels[0].UserID != userID(t, a, tcmis.RoleProgrammeOfficer) {
		t.Fatalf("audit of the deletion: %+v %v", dels, err)
	}
	// Both show in the record's history.
	body := c.get(projectPath(p, "/history")).must(t, http.StatusOK).Body
	hist := body[strings.Index(body, `id="history"`):]
	if !strings.Contains(hist, fmt.Sprintf("Expenditure #%d", made.ID)) || !strings.Contains(hist, ">delete<") {
		t.Errorf("the history lacks the expenditure's creation and deletion")
	}
	// A record of another project is not found through this one.
	other := outOfScope(t, a)
	oes, _, err := a.DB.FindExpenditures(context.Background(), tcmis.MoneyFilter{ProjectID: &other.ID, Limit: 1})
	if err != nil || len(oes) == 0 {
		t.Fatal(err)
	}
	a.as(tcmis.RoleAdmin).post(projectPath(p, fmt.Sprintf("/expenditures/%d/delete", oes[0].ID)), nil).must(t, http.StatusNotFound)
}

func TestProjectExpenditureInvalid(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	p := firstProject(t, a)
	valid := url.Values{"exp_year": {"2005"}, "exp_month": {"3"}, "exp_type": {"experts"}, "exp_amount": {"10"}, "exp_currency": {"USD"}}
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"amount unreadable", "exp_amount", "ten", "is not an amount"},
		{"too many decimals", "exp_amount", "1.234", "more than 2 decimals"},
		{"month", "exp_month", "13", "choose a month"},
		{"year", "exp_year", "20x5", "is not a year"},
		{"type", "exp_type", "sweets", "choose a type of assistance"},
		{"negative without reason", "exp_amount", "-5", "a negative amount needs a reason"},
		{"currency without rate", "exp_currency", "XOF", "exchange rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range valid {
				form[k] = v
			}
			form.Set(tc.field, tc.value)
			before := financeOf(t, a, p, 2005)
			res := a.as(tcmis.RoleAdmin).post(projectPath(p, "/expenditures"), form).must(t, http.StatusUnprocessableEntity)
			res.contains(t, html.EscapeString(tc.want))
			if tc.field != "exp_currency" {
				res.contains(t, `id="`+tc.field+`-error"`)
			}
			if after := financeOf(t, a, p, 2005); after.Spent != before.Spent {
				t.Errorf("invalid expenditure stored")
			}
		})
	}
}

func TestProjectAllocationAndApproval(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	p := firstProject(t, a)
	y := yearWithAllocation(t, a, p)
	c := a.as(tcmis.RoleAdmin)
	c.post(projectPath(p, "/allocations"), url.Values{"alloc_year": {strconv.Itoa(y.Year)}, "alloc_amount": {"100000"}, "alloc_currency": {"USD"}}).must(t, http.StatusSeeOther)
	after := financeOf(t, a, p, y.Year)
	if after.Allocated != y.Allocated+10000000 {
		t.Errorf("allocated %d, want %d", after.Allocated, y.Allocated+10000000)
	}
	body := c.get(projectPath(p, "?year="+strconv.Itoa(y.Year))).must(t, http.StatusOK).Body
	if got := cell(t, body, fmt.Sprintf("delivery-rate-%d", y.Year)); got != rate(after.Delivery) {
		t.Errorf("delivery rate %q, want %q", got, rate(after.Delivery))
	}
	c.post(projectPath(p, "/allocations"), url.Values{"alloc_year": {"1800"}, "alloc_amount": {"1"}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `id="alloc_year-error"`)

	approvals := func() int {
		_, n, err := a.DB.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n := approvals()
	approval := url.Values{"appr_donor": {strconv.FormatInt(p.DonorIDs[0], 10)}, "appr_date": {"2006-03-01"},
		"appr_amount": {"50000"}, "appr_currency": {"USD"}, "appr_local": {"on"}}
	a.as(tcmis.RoleResourceMobiliser).post(projectPath(p, "/approvals"), approval).must(t, http.StatusSeeOther)
	if approvals() != n+1 {
		t.Fatalf("approvals %d, want %d", approvals(), n+1)
	}
	bad := url.Values{"appr_donor": {""}, "appr_date": {"March"}, "appr_amount": {"5"}}
	a.as(tcmis.RoleResourceMobiliser).post(projectPath(p, "/approvals"), bad).must(t, http.StatusUnprocessableEntity).
		contains(t, `id="appr_donor-error"`, `id="appr_date-error"`)
	a.as(tcmis.RoleProgrammeOfficer).post(projectPath(p, "/approvals"), approval).must(t, http.StatusForbidden)
	if approvals() != n+1 {
		t.Errorf("a refused approval was stored")
	}
}

func TestProjectMoneyPermissions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	first := firstProject(t, a)
	other := outOfScope(t, a)
	exp := url.Values{"exp_year": {"2005"}, "exp_month": {"1"}, "exp_type": {"misc"}, "exp_amount": {"1"}, "exp_currency": {"USD"}}
	for _, tc := range []struct {
		role   tcmis.Role
		p      *tcmis.Project
		status int
	}{
		{tcmis.RoleAdmin, other, http.StatusSeeOther},
		{tcmis.RoleProgrammeOfficer, first, http.StatusSeeOther},
		{tcmis.RoleProgrammeOfficer, other, http.StatusForbidden},
		{tcmis.RoleResourceMobiliser, first, http.StatusForbidden},
		{tcmis.RoleEvaluationOfficer, first, http.StatusForbidden},
		{tcmis.RoleViewer, first, http.StatusForbidden},
		{tcmis.RoleDonorViewer, first, http.StatusForbidden},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			before := financeOf(t, a, tc.p, 2005)
			c := a.as(tc.role)
			c.post(projectPath(tc.p, "/expenditures"), exp).must(t, tc.status)
			c.post(projectPath(tc.p, "/allocations"), url.Values{"alloc_year": {"2005"}, "alloc_amount": {"1"}}).must(t, tc.status)
			after := financeOf(t, a, tc.p, 2005)
			if changed := after.Spent != before.Spent && after.Allocated != before.Allocated; changed != (tc.status == http.StatusSeeOther) {
				t.Errorf("money changed: %v after status %d", changed, tc.status)
			}
		})
	}
}
