package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/api"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/auth/authtest"
	"github.com/tcmis/tcmis/httpx"
	"github.com/tcmis/tcmis/sqldb"
)

// template is a SQLite file with the demo portfolio, one user of each
// role and an API token for each, made once; each test works on a copy.
var template string

// tokens are the API token secrets of the template's users, by role.
var tokens = map[tcmis.Role]string{}

// roles are the roles of the template's users (authtest.DemoWithUsers).
var roles = authtest.Roles

// anonymous stands for a request without credentials in role tables.
const anonymous tcmis.Role = "anonymous"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tcmis-api-test")
	if err != nil {
		panic(err)
	}
	template = filepath.Join(dir, "template.db")
	err = authtest.DemoWithUsers(template, func(ctx context.Context, a *auth.Service, u *tcmis.User) error {
		secret, _, err := a.NewAPIToken(ctx, u.ID, "tests", 0)
		tokens[u.Role] = secret
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "api tests: cannot build the demo database:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func email(r tcmis.Role) string { return authtest.Email(r) }

// app is the API running on a copy of the template database.
type app struct {
	t   testing.TB
	DB  *sqldb.DB
	API *api.Handler
	URL string
	// ctx records changes made by the tests' fixtures.
	ctx context.Context
}

func newApp(t testing.TB) *app {
	t.Helper()
	return newAppWith(t, func(db *sqldb.DB) tcmis.Store { return db })
}

// newAppWith runs the API on a store wrapped by wrap.
func newAppWith(t testing.TB, wrap func(*sqldb.DB) tcmis.Store) *app {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tcmis.db")
	if err := authtest.CopyFile(template, path); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	authn := auth.New(db)
	h, err := api.New(api.Config{Store: wrap(db), Auth: authn})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", h)
	srv := httptest.NewServer(httpx.Secure(false, http.NewCrossOriginProtection().Handler(authn.Middleware(mux))))
	t.Cleanup(srv.Close)
	return &app{t: t, DB: db, API: h, URL: srv.URL, ctx: tcmis.WithActor(ctx, tcmis.Actor{Name: "fixture"})}
}

// response is what a request got.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// call makes a request as a role (anonymous: without a token). body is
// marshalled to JSON unless it is a string, sent as is; header holds
// extra headers ("If-Match": `"3"`).
func (a *app) call(role tcmis.Role, method, path string, body any, header ...string) *response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != anonymous {
		secret, ok := tokens[role]
		if !ok {
			a.t.Fatalf("no token for role %q", role)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// must fails the test unless the response has the status.
func (r *response) must(t testing.TB, status int) *response {
	t.Helper()
	if r.Status != status {
		body := string(r.Body)
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		t.Fatalf("status %d, want %d\n%s", r.Status, status, body)
	}
	return r
}

// decode reads the body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response is not the JSON expected: %v\n%s", err, r.Body)
	}
}

// apiError is the JSON of an error response.
type apiError struct {
	Error struct {
		Code     string          `json:"code"`
		Message  string          `json:"message"`
		Problems []tcmis.Problem `json:"problems"`
	} `json:"error"`
}

// failure checks an error response: its status, code and, when field is
// not "", that a problem names the field.
func (r *response) failure(t testing.TB, status int, code, field string) apiError {
	t.Helper()
	r.must(t, status)
	var e apiError
	r.decode(t, &e)
	if e.Error.Code != code {
		t.Errorf("error code %q, want %q (%s)", e.Error.Code, code, r.Body)
	}
	if e.Error.Message == "" {
		t.Errorf("error without a message: %s", r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	if field != "" {
		found := false
		for _, p := range e.Error.Problems {
			found = found || p.Field == field
		}
		if !found {
			t.Errorf("no problem names field %q: %s", field, r.Body)
		}
	}
	return e
}

// etag is the version a response's ETag carries.
func (r *response) etag(t testing.TB) int {
	t.Helper()
	v, err := strconv.Atoi(strings.Trim(r.Header.Get("ETag"), `"`))
	if err != nil {
		t.Fatalf("ETag %q is not a version", r.Header.Get("ETag"))
	}
	return v
}

func ifMatch(version int) []string { return []string{"If-Match", `"` + strconv.Itoa(version) + `"`} }

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// firstProject is the demo's first project by code: the programme
// officer manages its lead unit and the donor viewer's donor funds it.
func (a *app) firstProject() *tcmis.Project {
	a.t.Helper()
	ps, _, err := a.DB.FindProjects(a.ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil || len(ps) == 0 {
		a.t.Fatal("no first project", err)
	}
	return ps[0]
}

// user returns the template's user of a role.
func (a *app) user(r tcmis.Role) *tcmis.User {
	a.t.Helper()
	e := email(r)
	us, _, err := a.DB.FindUsers(a.ctx, tcmis.UserFilter{Email: &e})
	if err != nil || len(us) != 1 {
		a.t.Fatalf("user %s: %v", e, err)
	}
	return us[0]
}
