package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// asMap is a record as a JSON object, to break it in ways Go values
// cannot (unknown fields, fractions).
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// setPath sets a value at a path of nested objects.
func setPath(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// TestCRUD runs the life of a record of every kind through the API as an
// administrator: create, read, list, update, the preconditions of
// optimistic locking, invalid bodies, deletion, and the audit trail.
func TestCRUD(t *testing.T) {
	a := newApp(t)
	adminUser := a.user(admin)
	n := 5000
	for name, e := range entities() {
		t.Run(name, func(t *testing.T) {
			a.t = t
			n += 10

			// Create.
			res := a.call(admin, "POST", e.path, e.new(a, n)).must(t, http.StatusCreated)
			var made struct {
				ID      int64 `json:"id"`
				Version int   `json:"version"`
			}
			res.decode(t, &made)
			if made.ID == 0 || made.Version != 1 {
				t.Fatalf("created record has id %d version %d", made.ID, made.Version)
			}
			if res.etag(t) != 1 {
				t.Errorf("ETag of a new record %q", res.Header.Get("ETag"))
			}
			loc := res.Header.Get("Location")
			if want := e.path + "/" + strconv.FormatInt(made.ID, 10); loc != want {
				t.Errorf("Location %q, want %q", loc, want)
			}

			// Read it back, and find it in the list.
			res = a.call(admin, "GET", loc, nil).must(t, http.StatusOK)
			if res.etag(t) != 1 {
				t.Errorf("GET ETag %q, want \"1\"", res.Header.Get("ETag"))
			}
			stored := e.zero()
			res.decode(t, stored)
			var page struct {
				Items []struct {
					ID int64 `json:"id"`
				} `json:"items"`
				Total, Offset, Limit int
			}
			a.call(admin, "GET", e.path+"?limit=1000", nil).must(t, http.StatusOK).decode(t, &page)
			if page.Total < 1 || page.Limit != 1000 || !slices.ContainsFunc(page.Items, func(i struct {
				ID int64 `json:"id"`
			}) bool {
				return i.ID == made.ID
			}) && page.Total <= 1000 {
				t.Errorf("the list (total %d) lacks the new record %d", page.Total, made.ID)
			}

			// Update with the right version.
			e.mutate(stored)
			res = a.call(admin, "PUT", loc, stored, ifMatch(1)...).must(t, http.StatusOK)
			if res.etag(t) != 2 {
				t.Errorf("ETag after an update %q, want \"2\"", res.Header.Get("ETag"))
			}
			if got := a.call(admin, "GET", loc, nil).must(t, http.StatusOK); got.etag(t) != 2 {
				t.Errorf("the update was not stored: ETag %q", got.Header.Get("ETag"))
			}

			// Stale and missing If-Match.
			a.call(admin, "PUT", loc, stored, ifMatch(1)...).failure(t, http.StatusPreconditionFailed, "precondition_failed", "")
			a.call(admin, "PUT", loc, stored).failure(t, http.StatusPreconditionRequired, "precondition_required", "")
			a.call(admin, "PUT", loc, stored, "If-Match", "yesterday").failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")

			// Invalid bodies: a rule broken, an unknown field, a fraction
			// of a minor unit, not JSON at all.
			bad := e.new(a, n+1)
			field := e.invalid(bad)
			a.call(admin, "POST", e.path, bad).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, field)
			a.call(admin, "PUT", loc, bad, ifMatch(2)...).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, field)
			m := asMap(t, e.new(a, n+2))
			m["colour"] = "blue"
			a.call(admin, "POST", e.path, m).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "colour")
			if e.money != nil {
				m := asMap(t, e.new(a, n+3))
				setPath(m, e.money, 1234.5)
				a.call(admin, "POST", e.path, m).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, strings.Join(e.money, "."))
			}
			a.call(admin, "POST", e.path, `{"id": 1,`).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")

			// Delete: If-Match required and current.
			a.call(admin, "DELETE", loc, nil).failure(t, http.StatusPreconditionRequired, "precondition_required", "")
			a.call(admin, "DELETE", loc, nil, ifMatch(1)...).failure(t, http.StatusPreconditionFailed, "precondition_failed", "")
			a.call(admin, "DELETE", loc, nil, ifMatch(2)...).must(t, http.StatusNoContent)
			a.call(admin, "GET", loc, nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
			a.call(admin, "DELETE", loc, nil, ifMatch(2)...).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
			a.call(admin, "PUT", loc, stored, ifMatch(2)...).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
			a.call(admin, "GET", e.path+"/999999999", nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
			a.call(admin, "GET", e.path+"/nine", nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")

			// The audit trail has the three changes, by the API's user.
			cs, _, err := a.DB.FindChanges(a.ctx, tcmis.ChangeFilter{Entity: &e.audit, RecordID: &made.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, c := range cs {
				if c.UserID != adminUser.ID {
					t.Errorf("change %s by user %d (%s), want the administrator %d", c.Action, c.UserID, c.Actor, adminUser.ID)
				}
				actions = append(actions, c.Action)
			}
			if !slices.Contains(actions, tcmis.ActionCreate) {
				// A record the store creates in batches (money, training)
				// is recorded as an import of the batch.
				var zero int64
				batch, _, err := a.DB.FindChanges(a.ctx, tcmis.ChangeFilter{Entity: &e.audit, RecordID: &zero, UserID: &adminUser.ID})
				if err != nil {
					t.Fatal(err)
				}
				if len(batch) > 0 && batch[0].Action == tcmis.ActionImport {
					actions = append(actions, tcmis.ActionCreate)
				}
			}
			slices.Sort(actions)
			if want := []string{tcmis.ActionCreate, tcmis.ActionDelete, tcmis.ActionUpdate}; !slices.Equal(actions, want) {
				t.Errorf("audit trail %v, want %v", actions, want)
			}
		})
	}
}

// TestRates: exchange rates are created and read, never changed.
func TestRates(t *testing.T) {
	a := newApp(t)
	res := a.call(admin, "POST", "/api/v1/rates", newRate(1)).must(t, http.StatusCreated)
	var r tcmis.ExchangeRate
	res.decode(t, &r)
	a.call(viewer, "GET", res.Header.Get("Location"), nil).must(t, http.StatusOK)
	a.call(admin, "PUT", res.Header.Get("Location"), r, ifMatch(1)...).failure(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
	var page struct{ Total int }
	a.call(viewer, "GET", "/api/v1/rates?currency=EUR", nil).must(t, http.StatusOK).decode(t, &page)
	if page.Total < 1 {
		t.Errorf("no EUR rate listed after creating one")
	}
	bad := newRate(2)
	bad.Currency = "EURO"
	a.call(admin, "POST", "/api/v1/rates", bad).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "currency")
}

// TestBodies: what is not a JSON body of the right size is refused.
func TestBodies(t *testing.T) {
	a := newApp(t)
	e := entities()["organisations"]
	res := a.call(admin, "POST", e.path, "name=x", "Content-Type", "application/x-www-form-urlencoded")
	res.failure(t, http.StatusUnsupportedMediaType, "unsupported_media_type", "")
	a.call(admin, "POST", e.path, "").failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")
	a.call(admin, "POST", e.path, `{"name": "A"} {"name": "B"}`).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "")
	huge := `{"name": "` + strings.Repeat("x", 11<<20) + `"}`
	a.call(admin, "POST", e.path, huge).failure(t, http.StatusRequestEntityTooLarge, "too_large", "")
	a.call(admin, "POST", e.path, map[string]any{"name": 12}).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, "name")
}

// TestLists: paging and filters, with every problem of the query named.
func TestLists(t *testing.T) {
	a := newApp(t)
	var page struct {
		Items []tcmis.Project `json:"items"`
		Total int             `json:"total"`
	}
	a.call(viewer, "GET", "/api/v1/projects?limit=3&offset=2", nil).must(t, http.StatusOK).decode(t, &page)
	if len(page.Items) != 3 || page.Total < 5 {
		t.Errorf("limit=3: %d items of %d", len(page.Items), page.Total)
	}
	all, total, err := a.DB.FindProjects(a.ctx, tcmis.ProjectFilter{Limit: 3, Offset: 2})
	if err != nil || total != page.Total || all[0].ID != page.Items[0].ID {
		t.Errorf("page 2..4 is not the store's: total %d vs %d", page.Total, total)
	}
	a.call(viewer, "GET", "/api/v1/projects?status=ongoing&limit=1000", nil).must(t, http.StatusOK).decode(t, &page)
	for _, p := range page.Items {
		if p.Status != tcmis.Ongoing {
			t.Errorf("status=ongoing lists project %s, %s", p.Code, p.Status)
		}
	}
	for _, c := range []struct{ query, field string }{
		{"limit=0", "limit"},
		{"limit=100000", "limit"},
		{"offset=-1", "offset"},
		{"status=dreaming", "status"},
		{"donor=abc", "donor"},
		{"sort=colour", "sort"},
		{"colour=blue", "colour"},
	} {
		a.call(viewer, "GET", "/api/v1/projects?"+c.query, nil).failure(t, http.StatusUnprocessableEntity, tcmis.EINVALID, c.field)
	}
}

// TestRouting: unknown paths and wrong methods answer in JSON.
func TestRouting(t *testing.T) {
	a := newApp(t)
	a.call(viewer, "GET", "/api/v1/nothing-here", nil).failure(t, http.StatusNotFound, tcmis.ENOTFOUND, "")
	res := a.call(viewer, "PATCH", "/api/v1/projects/1", map[string]any{})
	res.failure(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
	if allow := res.Header.Get("Allow"); !strings.Contains(allow, "PUT") || !strings.Contains(allow, "GET") {
		t.Errorf("Allow %q", allow)
	}
}

// racingStore saves someone else's change to an organisation just before
// each update, as if two writes had read the same version at once.
type racingStore struct{ *sqldb.DB }

func (s racingStore) UpdateOrganisation(ctx context.Context, o *tcmis.Organisation) error {
	theirs, err := s.DB.FindOrganisationByID(ctx, o.ID)
	if err != nil {
		return err
	}
	theirs.Name += " (theirs)"
	if err := s.DB.UpdateOrganisation(ctx, theirs); err != nil {
		return err
	}
	return s.DB.UpdateOrganisation(ctx, o)
}

// TestRace: a write that passed the If-Match check but lost the race to
// another is refused by the store's own check, with 409.
func TestRace(t *testing.T) {
	a := newAppWith(t, func(db *sqldb.DB) tcmis.Store { return racingStore{db} })
	e := entities()["organisations"]
	id, ver, v := e.fresh(a, 1)
	e.mutate(v)
	path := e.path + "/" + strconv.FormatInt(id, 10)
	a.call(admin, "PUT", path, v, ifMatch(ver)...).failure(t, http.StatusConflict, tcmis.ECONFLICT, "")
	o, err := a.DB.FindOrganisationByID(a.ctx, id)
	if err != nil || !strings.HasSuffix(o.Name, "(theirs)") {
		t.Errorf("the stored organisation is %+v (%v), want theirs", o, err)
	}
}
