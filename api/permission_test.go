package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/report"
)

// Who may do what, written from the rules of the programme (issue #4 and
// the roles' descriptions), not from the code's tables, so that a route
// given the wrong permission fails this test.
var (
	admin        = tcmis.RoleAdmin
	officer      = tcmis.RoleProgrammeOfficer
	mobiliser    = tcmis.RoleResourceMobiliser
	evaluator    = tcmis.RoleEvaluationOfficer
	viewer       = tcmis.RoleViewer
	donorViewer  = tcmis.RoleDonorViewer
	everyone     = []tcmis.Role{admin, officer, mobiliser, evaluator, viewer, donorViewer}
	staff        = []tcmis.Role{admin, officer, mobiliser, evaluator, viewer} // all but donor viewers
	adminOnly    = []tcmis.Role{admin}
	projectStaff = []tcmis.Role{admin, officer}   // projects, the cycle, delivery, results
	fundraisers  = []tcmis.Role{admin, mobiliser} // donors, agreements, approvals
	evaluators   = []tcmis.Role{admin, evaluator} // evaluations, lessons
	public       = []tcmis.Role{anonymous, admin, officer, mobiliser, evaluator, viewer, donorViewer}
)

// crud is the expectation of the five routes of a record: who reads,
// who writes.
func crud(expect map[string][]tcmis.Role, name string, read, write []tcmis.Role) {
	p := "/api/v1/" + name
	expect["GET "+p] = read
	expect["GET "+p+"/{id}"] = read
	expect["POST "+p] = write
	expect["PUT "+p+"/{id}"] = write
	expect["DELETE "+p+"/{id}"] = write
}

func expectations() map[string][]tcmis.Role {
	e := map[string][]tcmis.Role{
		"GET /api/v1/openapi.json":          public,
		"GET /api/v1/me":                    everyone,
		"GET /api/v1/tokens":                everyone,
		"POST /api/v1/tokens":               everyone,
		"DELETE /api/v1/tokens/{id}":        everyone,
		"POST /api/v1/projects/{id}/status": projectStaff,
		"GET /api/v1/projects/{id}/finance": everyone,
		"GET /api/v1/projects/{id}/history": staff,
		"GET /api/v1/rates":                 staff,
		"GET /api/v1/rates/{id}":            staff,
		"POST /api/v1/rates":                adminOnly,
		"GET /api/v1/changes":               staff,
		"GET /api/v1/reports":               everyone,
		"GET /api/v1/reports/{name}":        everyone,
	}
	crud(e, "organisations", staff, fundraisers)
	crud(e, "units", staff, adminOnly)
	crud(e, "agreements", staff, fundraisers)
	crud(e, "projects", everyone, projectStaff)
	crud(e, "approvals", staff, fundraisers)
	crud(e, "allocations", staff, projectStaff)
	crud(e, "expenditures", staff, projectStaff)
	crud(e, "outcomes", staff, projectStaff)
	crud(e, "indicators", staff, projectStaff)
	crud(e, "targets", staff, projectStaff)
	crud(e, "results", staff, projectStaff)
	crud(e, "programmes", staff, projectStaff)
	crud(e, "evaluations", staff, evaluators)
	crud(e, "lessons", staff, evaluators)
	crud(e, "training", staff, projectStaff)
	crud(e, "users", adminOnly, adminOnly)
	return e
}

// request is a request that is valid for whoever may make it.
type request struct {
	method, path string
	body         any
	header       []string
}

// validRequest makes, with fresh records, a request to a route that
// succeeds for a role allowed to make it. The records are in the scope
// of the programme officer and the donor viewer.
func validRequest(t *testing.T, a *app, rt string, role tcmis.Role, n int) request {
	t.Helper()
	method, path, _ := strings.Cut(rt, " ")
	req := request{method: method, path: path}
	withID := func(id int64) string { return strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1) }
	switch rt {
	case "GET /api/v1/openapi.json", "GET /api/v1/me", "GET /api/v1/tokens", "GET /api/v1/rates",
		"GET /api/v1/changes", "GET /api/v1/reports":
		return req
	case "POST /api/v1/tokens":
		req.body = map[string]any{"name": "test token", "expires_in_days": 30}
		return req
	case "DELETE /api/v1/tokens/{id}":
		if role == anonymous {
			req.path = withID(1)
			return req
		}
		_, tok, err := auth.New(a.DB).NewAPIToken(a.ctx, a.user(role).ID, "to delete", 0)
		if err != nil {
			t.Fatal(err)
		}
		req.path = withID(tok.ID)
		return req
	case "POST /api/v1/rates":
		req.body = newRate(n)
		return req
	case "GET /api/v1/rates/{id}":
		r := newRate(n)
		if err := a.DB.CreateRates(a.ctx, []*tcmis.ExchangeRate{r}); err != nil {
			t.Fatal(err)
		}
		req.path = withID(r.ID)
		return req
	case "GET /api/v1/projects/{id}/finance", "GET /api/v1/projects/{id}/history":
		req.path = withID(a.firstProject().ID)
		return req
	case "POST /api/v1/projects/{id}/status":
		id, ver, _ := entities()["projects"].fresh(a, n)
		req.path, req.body, req.header = withID(id), map[string]any{"to": "appraisal"}, ifMatch(ver)
		return req
	case "GET /api/v1/reports/{name}":
		req.path = strings.Replace(path, "{name}", report.All()[0].Name, 1)
		return req
	case "POST /api/v1/users":
		req.body = map[string]any{"email": fmt.Sprintf("made%d@example.org", n), "name": "Made by the API", "role": "viewer"}
		return req
	}
	rest := strings.TrimPrefix(path, "/api/v1/")
	name, _, _ := strings.Cut(rest, "/")
	e, ok := entities()[name]
	if !ok {
		t.Fatalf("no valid request for %s: add one to validRequest", rt)
	}
	switch {
	case method == "GET" && !strings.Contains(path, "{"):
	case method == "POST":
		req.body = e.new(a, n)
	default:
		id, ver, v := e.fresh(a, n)
		req.path = withID(id)
		if method == "PUT" {
			req.body, req.header = v, ifMatch(ver)
		} else if method == "DELETE" {
			req.header = ifMatch(ver)
		}
	}
	return req
}

// TestPermissions makes every route's request as every role and as
// nobody, and checks the answer: the route's success for the roles
// allowed, 403 for the others, 401 for a request without credentials.
func TestPermissions(t *testing.T) {
	a := newApp(t)
	expect := expectations()
	routes := a.API.Routes()
	seen := map[string]bool{}
	n := 0
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		seen[key] = true
		allowed, ok := expect[key]
		if !ok {
			t.Errorf("%s: the test has no expectation for this route: add it to expectations()", key)
			continue
		}
		t.Run(strings.ReplaceAll(key, "/", "_"), func(t *testing.T) {
			a.t = t
			for _, role := range append([]tcmis.Role{anonymous}, roles...) {
				n++
				req := validRequest(t, a, key, role, n)
				res := a.call(role, req.method, req.path, req.body, req.header...)
				want := http.StatusForbidden
				switch {
				case slices.Contains(allowed, role):
					want = rt.Status
				case role == anonymous:
					want = http.StatusUnauthorized
				}
				if res.Status != want {
					body := string(res.Body)
					if len(body) > 500 {
						body = body[:500]
					}
					t.Errorf("%s as %s: status %d, want %d\n%s", key, role, res.Status, want, body)
					continue
				}
				switch want {
				case http.StatusUnauthorized:
					if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("%s as anonymous: 401 without WWW-Authenticate: Bearer", key)
					}
					res.failure(t, want, "unauthorized", "")
				case http.StatusForbidden:
					res.failure(t, want, tcmis.EFORBIDDEN, "")
				}
			}
		})
	}
	for key := range expect {
		if !seen[key] {
			t.Errorf("%s: expected by the test but the API has no such route", key)
		}
	}
}
