package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/auth/authtest"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/httpx"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/web"
)

// Password is every test user's password.
const Password = authtest.Password

// template is a SQLite file with the demo portfolio and one user of each
// role (authtest.DemoWithUsers), made once; each test works on a copy.
var template string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tcmis-web-test")
	if err != nil {
		panic(err)
	}
	template = filepath.Join(dir, "template.db")
	if err := authtest.DemoWithUsers(template, nil); err != nil {
		fmt.Fprintln(os.Stderr, "web tests: cannot build the demo database:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// roles are the roles of the template's users.
var roles = authtest.Roles

func email(r tcmis.Role) string { return authtest.Email(r) }

// app is a running application on a copy of the template database.
type app struct {
	t   testing.TB
	DB  *sqldb.DB
	Web *web.Server
	URL string
	// Path is the SQLite database's file.
	Path string
}

func newApp(t testing.TB) *app {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tcmis.db")
	if err := authtest.CopyFile(template, path); err != nil {
		t.Fatal(err)
	}
	return startApp(t, path)
}

// newEmptyApp runs the application on a new database without users.
func newEmptyApp(t testing.TB) *app {
	t.Helper()
	return startApp(t, filepath.Join(t.TempDir(), "tcmis.db"))
}

func startApp(t testing.TB, path string) *app {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	authn := auth.New(db)
	site, err := web.New(web.Config{Store: db, Auth: authn, LoadDemo: func(ctx context.Context) error {
		_, err := demo.Load(ctx, db, demo.Options{})
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := httpx.Secure(false, http.NewCrossOriginProtection().Handler(authn.Middleware(site)))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &app{t: t, DB: db, Web: site, URL: srv.URL, Path: path}
}

// client is a browser-like HTTP client with its own cookies; it does not
// follow redirects, so tests see them.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, base: a.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// as returns a client signed in as the test user of a role.
func (a *app) as(r tcmis.Role) *client {
	a.t.Helper()
	c := a.client()
	res := c.post("/signin", url.Values{"email": {email(r)}, "password": {Password}})
	if res.Status != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: status %d\n%s", r, res.Status, res.Body)
	}
	return c
}

// response is what a request got.
type response struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: string(b), Location: res.Header.Get("Location")}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// must fails the test unless the response has the status, and returns it.
func (r *response) must(t testing.TB, status int) *response {
	t.Helper()
	if r.Status != status {
		body := r.Body
		if len(body) > 3000 {
			body = body[:3000] + "…"
		}
		t.Fatalf("status %d, want %d (Location %q)\n%s", r.Status, status, r.Location, body)
	}
	return r
}

// contains fails the test unless the body contains every text.
func (r *response) contains(t testing.TB, texts ...string) *response {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	return r
}
