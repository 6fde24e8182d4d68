package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

// adminFind returns the user with an e-mail address, or nil.
func adminFind(t *testing.T, a *app, address string) *tcmis.User {
	t.Helper()
	us, _, err := a.DB.FindUsers(context.Background(), tcmis.UserFilter{Email: &address})
	if err != nil {
		t.Fatal(err)
	}
	if len(us) == 0 {
		return nil
	}
	return us[0]
}

// adminAudited fails unless the audit trail has a change of the record by
// the user.
func adminAudited(t *testing.T, a *app, entity string, id int64, by *tcmis.User, action string) {
	t.Helper()
	cs, _, err := a.DB.FindChanges(context.Background(), tcmis.ChangeFilter{Entity: &entity, RecordID: &id})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.UserID == by.ID && c.Action == action {
			return
		}
	}
	t.Errorf("the audit trail has no %s of %s %d by %s: %+v", action, entity, id, by.Email, cs)
}

// TestAdminForbidden tries every administration route as every other
// role: each is refused.
func TestAdminForbidden(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	n := 0
	for _, role := range roles {
		if role == tcmis.RoleAdmin {
			continue
		}
		c := a.as(role)
		for _, rt := range a.Web.Routes() {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if !strings.HasPrefix(path, "/admin") {
				continue
			}
			n++
			path = strings.ReplaceAll(path, "{id}", "1")
			var res *response
			if method == http.MethodPost {
				res = c.post(path, url.Values{"name": {"x"}})
			} else {
				res = c.get(path)
			}
			if res.Status != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", method, path, role, res.Status)
			}
		}
	}
	if n < 5*15 {
		t.Errorf("only %d administration routes tried", n/5)
	}
	a.as(tcmis.RoleAdmin).get("/admin").must(t, http.StatusOK).contains(t, `href="/admin/users"`, `href="/admin/units"`, `href="/admin/rates"`, `href="/admin/roles"`)
}

func TestAdminRoles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.as(tcmis.RoleAdmin).get("/admin/roles").must(t, http.StatusOK)
	grants := 0
	for _, r := range tcmis.Roles() {
		res.contains(t, ">"+repEsc(r.Label())+"<")
		grants += len(r.Permissions())
	}
	for _, p := range tcmis.RoleAdmin.Permissions() {
		res.contains(t, "("+string(p)+")")
	}
	if got := strings.Count(res.Body, "✓"); got != grants {
		t.Errorf("%d permissions ticked, the roles hold %d", got, grants)
	}
}

func TestAdminUserList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.as(tcmis.RoleAdmin).get("/admin/users").must(t, http.StatusOK)
	for _, r := range roles {
		u := adminFind(t, a, email(r))
		res.contains(t, email(r), `href="/admin/users/`+strconv.FormatInt(u.ID, 10)+`/edit"`)
	}
	// The scopes are named: the programme officer's unit, the donor
	// viewer's donor.
	po := adminFind(t, a, email(tcmis.RoleProgrammeOfficer))
	unit, err := a.DB.FindUnitByID(context.Background(), po.UnitIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	dv := adminFind(t, a, email(tcmis.RoleDonorViewer))
	donor, err := a.DB.FindOrganisationByID(context.Background(), dv.DonorID)
	if err != nil {
		t.Fatal(err)
	}
	res.contains(t, repEsc(unit.Name), repEsc(donor.Name))
}

func TestAdminUserCreate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	admin := adminFind(t, a, email(tcmis.RoleAdmin))
	c.get("/admin/users/new").must(t, http.StatusOK).contains(t, `name="email"`, `name="password2"`, `name="unit_ids"`, `name="donor_id"`)
	units, _, err := a.DB.FindUnits(context.Background(), tcmis.UnitFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	const pw = "a long and new password"
	form := url.Values{"name": {"Ada Officer"}, "email": {"Ada@Example.org"}, "role": {"programme-officer"},
		"unit_ids": {strconv.FormatInt(units[0].ID, 10), strconv.FormatInt(units[1].ID, 10)}, "donor_id": {""},
		"password": {pw}, "password2": {pw}}
	res := c.post("/admin/users/new", form).must(t, http.StatusSeeOther)
	u := adminFind(t, a, "ada@example.org")
	if u == nil {
		t.Fatal("the user was not stored")
	}
	if res.Location != "/admin/users/"+strconv.FormatInt(u.ID, 10)+"/edit" {
		t.Errorf("redirected to %q", res.Location)
	}
	if u.Name != "Ada Officer" || u.Role != tcmis.RoleProgrammeOfficer || len(u.UnitIDs) != 2 || u.DonorID != 0 || u.Disabled {
		t.Errorf("stored %+v", u)
	}
	adminAudited(t, a, "user", u.ID, admin, tcmis.ActionCreate)
	c.get(res.Location).must(t, http.StatusOK).contains(t, "User ada@example.org added.")

	// The new user signs in with the password.
	nc := a.client()
	nc.post("/signin", url.Values{"email": {"ada@example.org"}, "password": {pw}}).must(t, http.StatusSeeOther)
	nc.get("/projects").must(t, http.StatusOK).contains(t, "Ada Officer")

	// The same address again.
	form.Set("email", "ada@example.org")
	res = c.post("/admin/users/new", form)
	if res.Status != http.StatusConflict && res.Status != http.StatusUnprocessableEntity {
		t.Errorf("a second user with the address: %d", res.Status)
	}
	res.contains(t, `id="email-error"`)
}

func TestAdminUserCreateInvalid(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	_, before, _ := a.DB.FindUsers(context.Background(), tcmis.UserFilter{})
	for _, tc := range []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"no name, bad address", url.Values{"email": {"not-an-address"}, "role": {"viewer"}, "password": {"a long and new password"}, "password2": {"a long and new password"}},
			[]string{"name", "email"}},
		{"weak password", url.Values{"name": {"X"}, "email": {"x@example.org"}, "role": {"viewer"}, "password": {"short"}, "password2": {"short"}},
			[]string{"password"}},
		{"passwords differ", url.Values{"name": {"X"}, "email": {"x@example.org"}, "role": {"viewer"}, "password": {"a long and new password"}, "password2": {"another long password"}},
			[]string{"password2"}},
		{"donor viewer without donor", url.Values{"name": {"X"}, "email": {"x@example.org"}, "role": {"donor-viewer"}, "password": {"a long and new password"}, "password2": {"a long and new password"}},
			[]string{"donor_id"}},
		{"no role", url.Values{"name": {"X"}, "email": {"x@example.org"}, "role": {"boss"}, "password": {"a long and new password"}, "password2": {"a long and new password"}},
			[]string{"role"}},
	} {
		res := c.post("/admin/users/new", tc.form).must(t, http.StatusUnprocessableEntity)
		for _, f := range tc.fields {
			res.contains(t, `id="`+f+`-error"`)
		}
		// What was typed is kept, but never the password.
		if v := tc.form.Get("email"); v != "" {
			res.contains(t, `value="`+repEsc(v)+`"`)
		}
		if strings.Contains(res.Body, tc.form.Get("password")) {
			t.Errorf("%s: the password is written back into the page", tc.name)
		}
	}
	_, after, _ := a.DB.FindUsers(context.Background(), tcmis.UserFilter{})
	if after != before {
		t.Errorf("invalid forms stored users: %d before, %d after", before, after)
	}
}

func TestAdminUserEdit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	admin := adminFind(t, a, email(tcmis.RoleAdmin))
	u := adminFind(t, a, email(tcmis.RoleViewer))
	path := "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/edit"
	c.get(path).must(t, http.StatusOK).contains(t, `value="`+repEsc(u.Email)+`"`, `name="version" value="`+strconv.Itoa(u.Version)+`"`)
	donor := adminFind(t, a, email(tcmis.RoleDonorViewer)).DonorID

	// Made a donor viewer, and disabled.
	form := url.Values{"name": {u.Name}, "email": {u.Email}, "role": {"donor-viewer"}, "donor_id": {strconv.FormatInt(donor, 10)},
		"disabled": {"on"}, "version": {strconv.Itoa(u.Version)}}
	c.post(path, form).must(t, http.StatusSeeOther)
	got := adminFind(t, a, u.Email)
	if got.Role != tcmis.RoleDonorViewer || got.DonorID != donor || !got.Disabled || got.Version == u.Version {
		t.Errorf("after the edit %+v", got)
	}
	adminAudited(t, a, "user", u.ID, admin, tcmis.ActionUpdate)
	// A disabled user cannot sign in.
	if res := a.client().post("/signin", url.Values{"email": {u.Email}, "password": {Password}}); res.Status == http.StatusSeeOther {
		t.Error("a disabled user signed in")
	}

	// The same version again is stale: the form comes back with the
	// conflict and the store keeps the first edit.
	form.Set("role", "viewer")
	form.Del("disabled")
	res := c.post(path, form).must(t, http.StatusConflict)
	res.contains(t, "changed by someone else", `action="`+path+`"`)
	if again := adminFind(t, a, u.Email); again.Role != tcmis.RoleDonorViewer {
		t.Errorf("a stale edit was stored: %+v", again)
	}

	// Invalid: a donor viewer without donor.
	form.Set("version", strconv.Itoa(got.Version))
	form.Set("role", "donor-viewer")
	form.Set("donor_id", "")
	c.post(path, form).must(t, http.StatusUnprocessableEntity).contains(t, `id="donor_id-error"`)

	// An administrator cannot demote or disable themself.
	self := "/admin/users/" + strconv.FormatInt(admin.ID, 10) + "/edit"
	c.post(self, url.Values{"name": {admin.Name}, "email": {admin.Email}, "role": {"viewer"}, "disabled": {"on"}, "version": {strconv.Itoa(admin.Version)}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `id="role-error"`, `id="disabled-error"`)
	if again := adminFind(t, a, admin.Email); again.Role != tcmis.RoleAdmin || again.Disabled {
		t.Errorf("the administrator demoted themself: %+v", again)
	}
	c.get("/admin/users/999999/edit").must(t, http.StatusNotFound)
}

func TestAdminUserPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	u := adminFind(t, a, email(tcmis.RoleEvaluationOfficer))
	path := "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/password"
	c.post(path, url.Values{"password": {"short"}, "password2": {"short"}}).must(t, http.StatusUnprocessableEntity).contains(t, `id="password-error"`)
	c.post(path, url.Values{"password": {"a long and new password"}, "password2": {"something else entirely"}}).must(t, http.StatusUnprocessableEntity).contains(t, `id="password2-error"`)
	const pw = "the evaluation officer's new password"
	c.post(path, url.Values{"password": {pw}, "password2": {pw}}).must(t, http.StatusSeeOther)
	if res := a.client().post("/signin", url.Values{"email": {u.Email}, "password": {Password}}); res.Status == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	a.client().post("/signin", url.Values{"email": {u.Email}, "password": {pw}}).must(t, http.StatusSeeOther)
}

var adminSecretInput = regexp.MustCompile(`id="secret" class="secret" readonly value="([^"]+)"`)

func TestAdminTokens(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	u := adminFind(t, a, email(tcmis.RoleViewer))
	id := strconv.FormatInt(u.ID, 10)
	c.post("/admin/users/"+id+"/tokens", url.Values{"token_name": {""}}).must(t, http.StatusUnprocessableEntity).contains(t, `id="token_name-error"`)
	c.post("/admin/users/"+id+"/tokens", url.Values{"token_name": {"x"}, "token_days": {"-2"}}).must(t, http.StatusUnprocessableEntity).contains(t, `id="token_days-error"`)

	res := c.post("/admin/users/"+id+"/tokens", url.Values{"token_name": {"Reporting robot"}, "token_days": {"30"}}).must(t, http.StatusOK)
	m := adminSecretInput.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("the token's secret is not shown")
	}
	secret := m[1]
	res.contains(t, "Reporting robot")
	// Shown once only.
	if strings.Contains(c.get("/admin/users/"+id+"/edit").Body, secret) {
		t.Error("the secret is shown again")
	}

	bearer := func() *response {
		req, _ := http.NewRequest(http.MethodGet, a.URL+"/reports", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return a.client().do(req)
	}
	bearer().must(t, http.StatusOK).contains(t, u.Name)

	tokens, err := a.DB.FindAPITokens(context.Background(), u.ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v, %v", tokens, err)
	}
	if tokens[0].ExpiresAt.IsZero() {
		t.Error("the token does not expire")
	}
	c.get("/admin/users/"+id+"/edit").must(t, http.StatusOK).contains(t, "Reporting robot", repEsc(tokens[0].Prefix))
	c.post("/admin/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/delete", url.Values{"user": {id}}).must(t, http.StatusSeeOther)
	if res := bearer(); res.Status != http.StatusSeeOther {
		t.Errorf("a revoked token still opens a page: %d", res.Status)
	}
	c.post("/admin/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/delete", url.Values{"user": {id}}).must(t, http.StatusNotFound)
}

func TestAdminUnits(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	admin := adminFind(t, a, email(tcmis.RoleAdmin))
	ctx := context.Background()
	units, _, err := a.DB.FindUnits(ctx, tcmis.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	list := c.get("/admin/units").must(t, http.StatusOK)
	for _, u := range units {
		list.contains(t, repEsc(u.Code), repEsc(u.Name))
	}
	c.get("/admin/units/new").must(t, http.StatusOK).contains(t, `name="code"`, `name="region"`)

	c.post("/admin/units/new", url.Values{"code": {""}, "name": {""}, "kind": {"field-office"}, "region": {""}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `id="code-error"`, `id="name-error"`, `id="region-error"`)
	c.post("/admin/units/new", url.Values{"code": {units[0].Code}, "name": {"Again"}, "kind": {"department"}}).
		contains(t, `id="code-error"`)

	form := url.Values{"code": {"ILO-Accra"}, "name": {"ILO Office in Ghana (Accra)"}, "kind": {"field-office"}, "region": {"africa"}, "country": {"GH"}}
	c.post("/admin/units/new", form).must(t, http.StatusSeeOther)
	code := "ILO-Accra"
	got, _, err := a.DB.FindUnits(ctx, tcmis.UnitFilter{Code: &code})
	if err != nil || len(got) != 1 {
		t.Fatalf("the unit was not stored: %v %v", got, err)
	}
	u := got[0]
	if u.Kind != tcmis.FieldOffice || u.Region != "africa" || u.Country != "GH" {
		t.Errorf("stored %+v", u)
	}
	adminAudited(t, a, "unit", u.ID, admin, tcmis.ActionCreate)

	path := "/admin/units/" + strconv.FormatInt(u.ID, 10) + "/edit"
	c.get(path).must(t, http.StatusOK).contains(t, `value="ILO-Accra"`)
	form.Set("name", "ILO Country Office for Ghana")
	form.Set("parent_id", strconv.FormatInt(units[0].ID, 10))
	form.Set("version", strconv.Itoa(u.Version))
	c.post(path, form).must(t, http.StatusSeeOther)
	after, err := a.DB.FindUnitByID(ctx, u.ID)
	if err != nil || after.Name != "ILO Country Office for Ghana" || after.ParentID != units[0].ID {
		t.Errorf("after the edit %+v %v", after, err)
	}
	adminAudited(t, a, "unit", u.ID, admin, tcmis.ActionUpdate)
	form.Set("name", "Stale")
	c.post(path, form).must(t, http.StatusConflict).contains(t, "changed by someone else")
	// A country outside the region.
	form.Set("version", strconv.Itoa(after.Version))
	form.Set("country", "FR")
	c.post(path, form).must(t, http.StatusUnprocessableEntity).contains(t, `id="region-error"`)
	c.get("/admin/units/999999/edit").must(t, http.StatusNotFound)
}

func TestAdminRates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	ctx := context.Background()
	all, total, err := a.DB.FindRates(ctx, tcmis.RateFilter{Limit: 1})
	if err != nil || len(all) == 0 {
		t.Fatalf("the demo has no rate: %v", err)
	}
	c.get("/admin/rates").must(t, http.StatusOK).contains(t, ">"+strconv.Itoa(total)+" rates<", repEsc(all[0].Source))
	cur := all[0].Currency
	_, n, _ := a.DB.FindRates(ctx, tcmis.RateFilter{Currency: &cur, Limit: 1})
	res := c.get("/admin/rates?currency="+strings.ToLower(cur)).must(t, http.StatusOK).contains(t, ">"+strconv.Itoa(n)+" rates<")
	if n == total {
		t.Fatal("the demo has one currency: the filter proves nothing")
	}

	c.post("/admin/rates", url.Values{"currency": {"USD"}, "date": {"2030-01-01"}, "per_usd": {"abc"}, "source": {""}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `id="currency-error"`, `id="per_usd-error"`, `id="source-error"`)
	c.post("/admin/rates", url.Values{"currency": {"USD"}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `id="currency-error"`, `id="date-error"`, `id="per_usd-error"`, `id="source-error"`)
	c.post("/admin/rates", url.Values{"currency": {"EUR"}, "date": {"01/01/2030"}, "per_usd": {"0.9"}, "source": {"test"}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `id="date-error"`, `value="01/01/2030"`)

	res = c.post("/admin/rates", url.Values{"currency": {"eur"}, "date": {"2030-01-01"}, "per_usd": {"0.912345"}, "source": {"Test rate"}}).must(t, http.StatusSeeOther)
	if res.Location != "/admin/rates?currency=EUR" {
		t.Errorf("redirected to %q", res.Location)
	}
	eur := "EUR"
	rates, _, err := a.DB.FindRates(ctx, tcmis.RateFilter{Currency: &eur})
	if err != nil {
		t.Fatal(err)
	}
	last := rates[len(rates)-1]
	if last.Source != "Test rate" || last.PerUSD.String() != "0.912345" || last.Date.Format(tcmis.DateLayout) != "2030-01-01" {
		t.Errorf("stored %+v", last)
	}
	c.get("/admin/rates?currency=EUR&page="+strconv.Itoa((len(rates)+49)/50)).must(t, http.StatusOK).contains(t, "Test rate", "0.912345")
}
