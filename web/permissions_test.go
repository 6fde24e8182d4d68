package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

// access is the permission table of the screens: for every route, the
// roles that may use it, one letter each — a administrator, p programme
// officer, r resource mobilisation, e evaluation officer, v viewer,
// d donor viewer — or "*" for a public route. It is written out here, not
// derived from routes.go or access.go, so that a wrong permission in
// either is caught. A route missing from the table fails the test.
var access = map[string]string{
	"GET /static/{file}":       "*",
	"GET /signin":              "*",
	"POST /signin":             "*",
	"POST /signout":            "*",
	"GET /signin/sso":          "*",
	"GET /signin/sso/callback": "*",
	"GET /setup":               "*",
	"POST /setup":              "*",
	"POST /language":           "*",

	"GET /{$}":                                      "aprevd",
	"GET /projects":                                 "aprevd",
	"GET /projects/new":                             "ap",
	"POST /projects/new":                            "ap",
	"GET /projects/{id}":                            "aprevd",
	"GET /projects/{id}/iati":                       "aprevd",
	"GET /projects/{id}/iati.xml":                   "aprevd",
	"GET /projects/{id}/history":                    "aprev",
	"GET /projects/{id}/edit":                       "ap",
	"POST /projects/{id}/edit":                      "ap",
	"POST /projects/{id}/status":                    "ap",
	"POST /projects/{id}/appraisals":                "ap",
	"POST /projects/{id}/expenditures":              "ap",
	"POST /projects/{id}/expenditures/{eid}/delete": "ap",
	"POST /projects/{id}/allocations":               "ap",
	"POST /projects/{id}/allocations/{eid}/delete":  "ap",
	"POST /projects/{id}/approvals":                 "ar",
	"POST /projects/{id}/approvals/{eid}/delete":    "ar",

	"GET /donors":                "aprev",
	"GET /donors/new":            "ar",
	"POST /donors/new":           "ar",
	"GET /donors/{id}":           "aprev",
	"GET /donors/{id}/edit":      "ar",
	"POST /donors/{id}/edit":     "ar",
	"GET /agreements":            "aprev",
	"GET /agreements/new":        "ar",
	"POST /agreements/new":       "ar",
	"GET /agreements/{id}":       "aprev",
	"GET /agreements/{id}/edit":  "ar",
	"POST /agreements/{id}/edit": "ar",

	"GET /countries":               "aprev",
	"GET /countries/{code}":        "aprev",
	"GET /programmes/new":          "ap",
	"POST /programmes/new":         "ap",
	"GET /programmes/{id}/edit":    "ap",
	"POST /programmes/{id}/edit":   "ap",
	"GET /results":                 "aprev",
	"GET /results/outcomes/new":    "ap",
	"POST /results/outcomes/new":   "ap",
	"GET /results/indicators/new":  "ap",
	"POST /results/indicators/new": "ap",
	"GET /results/targets/new":     "ap",
	"POST /results/targets/new":    "ap",
	"GET /results/reported/new":    "ap",
	"POST /results/reported/new":   "ap",

	"GET /evaluations":               "aprev",
	"GET /evaluations/new":           "ae",
	"POST /evaluations/new":          "ae",
	"GET /evaluations/{id}":          "aprev",
	"GET /evaluations/{id}/edit":     "ae",
	"POST /evaluations/{id}/edit":    "ae",
	"POST /evaluations/{id}/lessons": "ae",
	"GET /lessons":                   "aprev",

	"GET /reports":               "aprevd",
	"GET /reports/workbook.xlsx": "aprevd",
	"GET /reports/{name}":        "aprevd",
	"GET /reports/{name}/trace":  "aprevd",

	"GET /iati":                        "aprev",
	"POST /iati/imports":               "ar",
	"GET /iati/imports/{job}":          "aprev",
	"GET /iati/imports/{job}/progress": "aprev",
	"GET /iati/validate":               "aprev",
	"POST /iati/validate":              "aprev",
	"GET /iati/export.xml":             "aprev",

	"GET /admin":                      "a",
	"GET /admin/roles":                "a",
	"GET /admin/users":                "a",
	"GET /admin/users/new":            "a",
	"POST /admin/users/new":           "a",
	"GET /admin/users/{id}/edit":      "a",
	"POST /admin/users/{id}/edit":     "a",
	"POST /admin/users/{id}/password": "a",
	"POST /admin/users/{id}/tokens":   "a",
	"POST /admin/tokens/{id}/delete":  "a",
	"GET /admin/units":                "a",
	"GET /admin/units/new":            "a",
	"POST /admin/units/new":           "a",
	"GET /admin/units/{id}/edit":      "a",
	"POST /admin/units/{id}/edit":     "a",
	"GET /admin/rates":                "a",
	"POST /admin/rates":               "a",
}

var roleLetters = map[tcmis.Role]byte{
	tcmis.RoleAdmin: 'a', tcmis.RoleProgrammeOfficer: 'p', tcmis.RoleResourceMobiliser: 'r',
	tcmis.RoleEvaluationOfficer: 'e', tcmis.RoleViewer: 'v', tcmis.RoleDonorViewer: 'd',
}

// TestPermissions asks every route as every role and as a visitor, with
// the first project of the demo (in the programme officer's scope and
// funded by the donor viewer's donor), so that only the role decides. A
// role without the route's permission gets 403; a role with it gets
// anything else (the page, a redirect, 404 for a record that is not
// there, 422 for the empty form the test sends); a visitor is sent to
// sign in.
func TestPermissions(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	first, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := first[0]
	ids := map[string]string{
		"/projects/": strconv.FormatInt(p.ID, 10), "/donors/": strconv.FormatInt(p.DonorIDs[0], 10),
		"/admin/units/": strconv.FormatInt(p.LeadUnitID, 10),
	}
	if p.AgreementID != 0 {
		ids["/agreements/"] = strconv.FormatInt(p.AgreementID, 10)
	}
	if evs, _, err := a.DB.FindEvaluations(ctx, tcmis.EvaluationFilter{Limit: 1}); err == nil && len(evs) > 0 {
		ids["/evaluations/"] = strconv.FormatInt(evs[0].ID, 10)
	}
	if us, _, err := a.DB.FindUsers(ctx, tcmis.UserFilter{Limit: 1}); err == nil && len(us) > 0 {
		ids["/admin/users/"] = strconv.FormatInt(us[0].ID, 10)
	}
	country := "XX"
	if len(p.Countries) > 0 {
		country = p.Countries[0].Country
	}
	path := func(pattern string) string {
		for prefix, id := range ids {
			if strings.HasPrefix(pattern, prefix+"{id}") {
				pattern = strings.Replace(pattern, "{id}", id, 1)
			}
		}
		return strings.NewReplacer("{id}", "999999", "{eid}", "999999", "{job}", "nojob", "{code}", country,
			"{name}", "approvals-by-source", "{file}", "nothing.css", "{$}", "").Replace(pattern)
	}

	routes := map[string]bool{}
	for _, r := range a.Web.Routes() {
		routes[r.Pattern] = true
		if _, ok := access[r.Pattern]; !ok {
			t.Errorf("route %q is not in the permission table of this test", r.Pattern)
		}
	}
	for pattern := range access {
		if !routes[pattern] && !strings.HasPrefix(pattern, "GET /signin/sso") {
			t.Errorf("the permission table names %q, which is not a route", pattern)
		}
	}
	patterns := make([]string, 0, len(routes))
	for r := range routes {
		patterns = append(patterns, r)
	}
	sort.Strings(patterns)

	clients := map[tcmis.Role]*client{}
	for _, r := range roles {
		clients[r] = a.as(r)
	}
	visitor := a.client()
	for _, pattern := range patterns {
		allowed := access[pattern]
		method, p, _ := strings.Cut(pattern, " ")
		target := path(p)
		call := func(c *client) *response {
			if method == http.MethodPost {
				if target == "/signout" {
					return &response{Status: http.StatusSeeOther}
				}
				return c.post(target, url.Values{})
			}
			return c.get(target)
		}
		if allowed == "*" {
			continue
		}
		res := call(visitor)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/signin") {
			t.Errorf("%s as a visitor: %d %s, want a redirect to sign in", pattern, res.Status, res.Location)
		}
		for _, r := range roles {
			res := call(clients[r])
			may := strings.IndexByte(allowed, roleLetters[r]) >= 0
			switch {
			case may && (res.Status == http.StatusForbidden || res.Status == http.StatusUnauthorized || strings.HasPrefix(res.Location, "/signin")):
				t.Errorf("%s as %s: %d, want it allowed", pattern, r, res.Status)
			case !may && res.Status != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", pattern, r, res.Status)
			}
		}
	}
	// The table itself must discriminate: each role is refused somewhere.
	for _, r := range roles[1:] {
		refused := 0
		for _, allowed := range access {
			if allowed != "*" && strings.IndexByte(allowed, roleLetters[r]) < 0 {
				refused++
			}
		}
		if refused == 0 {
			t.Errorf("%s is refused nothing", r)
		}
	}
}
