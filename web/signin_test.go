package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func TestSignIn(t *testing.T) {
	a := newApp(t)
	c := a.client()
	// A visitor is sent to sign in, and back afterwards.
	res := c.get("/projects?status=ongoing").must(t, http.StatusSeeOther)
	if res.Location != "/signin?next="+url.QueryEscape("/projects?status=ongoing") {
		t.Fatalf("redirect to %q", res.Location)
	}
	c.get("/signin").must(t, http.StatusOK).contains(t, `name="email"`, `type="password"`)
	// A wrong password says so without telling which part was wrong.
	c.post("/signin", url.Values{"email": {email(tcmis.RoleViewer)}, "password": {"wrong password!"}}).
		must(t, http.StatusUnauthorized).contains(t, "wrong e-mail or password")
	c.post("/signin", url.Values{"email": {"nobody@example.org"}, "password": {Password}}).
		must(t, http.StatusUnauthorized).contains(t, "wrong e-mail or password")
	res = c.post("/signin", url.Values{"email": {email(tcmis.RoleViewer)}, "password": {Password}, "next": {"/projects?status=ongoing"}}).
		must(t, http.StatusSeeOther)
	if res.Location != "/projects?status=ongoing" {
		t.Fatalf("after sign-in, went to %q", res.Location)
	}
	cookie := res.Header.Get("Set-Cookie")
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, flag) {
			t.Errorf("session cookie %q lacks %s", cookie, flag)
		}
	}
	c.get("/projects").must(t, http.StatusOK)
	// Signing out ends the session on the server, not only in the browser.
	c.post("/signout", nil).must(t, http.StatusSeeOther)
	c.get("/projects").must(t, http.StatusSeeOther)
}

func TestSignInRedirectStaysOnSite(t *testing.T) {
	a := newApp(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", `/\evil.example`} {
		res := a.client().post("/signin", url.Values{"email": {email(tcmis.RoleViewer)}, "password": {Password}, "next": {next}}).
			must(t, http.StatusSeeOther)
		if res.Location != "/" {
			t.Errorf("next=%q sent the user to %q", next, res.Location)
		}
	}
}

func TestSignInRateLimited(t *testing.T) {
	a := newApp(t)
	c := a.client()
	var last *response
	for range 8 {
		last = c.post("/signin", url.Values{"email": {email(tcmis.RoleAdmin)}, "password": {"not the password"}})
	}
	last.must(t, http.StatusTooManyRequests).contains(t, "too many")
	// Even the right password is refused while the account is throttled.
	c.post("/signin", url.Values{"email": {email(tcmis.RoleAdmin)}, "password": {Password}}).must(t, http.StatusTooManyRequests)
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	res := a.as(tcmis.RoleViewer).get("/").must(t, http.StatusOK)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(res.Body, "<script>") || strings.Contains(res.Body, " style=") || strings.Contains(res.Body, "<style") {
		t.Error("the page has inline script or style, which the CSP forbids")
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff header")
	}
}

func TestCrossSiteFormRefused(t *testing.T) {
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/signout", strings.NewReader(""))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	c.do(req).must(t, http.StatusForbidden)
	c.get("/").must(t, http.StatusOK) // still signed in
}

func TestFirstRun(t *testing.T) {
	a := newEmptyApp(t)
	c := a.client()
	if res := c.get("/").must(t, http.StatusSeeOther); res.Location != "/setup" {
		t.Fatalf("a new database sends to %q, want /setup", res.Location)
	}
	c.get("/setup").must(t, http.StatusOK).contains(t, "first administrator", `name="demo"`)
	// Bad input: the form comes back with the problems, nothing stored.
	c.post("/setup", url.Values{"name": {"Ada"}, "email": {"not-an-address"}, "password": {"short"}, "password2": {"short"}}).
		must(t, http.StatusUnprocessableEntity).contains(t, `aria-invalid="true"`)
	if _, n, _ := a.DB.FindUsers(t.Context(), tcmis.UserFilter{}); n != 0 {
		t.Fatalf("%d users stored from an invalid form", n)
	}
	c.post("/setup", url.Values{"name": {"Ada"}, "email": {"ada@example.org"}, "password": {"a long enough pass"}, "password2": {"a different pass!"}}).
		must(t, http.StatusUnprocessableEntity).contains(t, "The two passwords differ.")
	c.post("/setup", url.Values{"name": {"Ada"}, "email": {"ada@example.org"}, "password": {"a long enough pass"}, "password2": {"a long enough pass"}, "demo": {"on"}}).
		must(t, http.StatusSeeOther)
	// The page is closed once there is a user; the demo is loaded.
	c.get("/setup").must(t, http.StatusNotFound)
	if _, n, _ := a.DB.FindProjects(t.Context(), tcmis.ProjectFilter{Limit: 1}); n < 100 {
		t.Fatalf("the demo was not loaded: %d projects", n)
	}
	c.post("/signin", url.Values{"email": {"ada@example.org"}, "password": {"a long enough pass"}}).must(t, http.StatusSeeOther)
	c.get("/").must(t, http.StatusOK).contains(t, "Ada")
}

func TestLanguage(t *testing.T) {
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	res := c.post("/language", url.Values{"lang": {"fr"}, "back": {"/projects"}}).must(t, http.StatusSeeOther)
	if res.Location != "/projects" {
		t.Fatalf("back to %q", res.Location)
	}
	c.get("/projects").must(t, http.StatusOK).contains(t, `<html lang="fr">`)
	c.post("/language", url.Values{"lang": {"xx"}}).must(t, http.StatusUnprocessableEntity)
	// Without a choice, the browser's language decides.
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/signin", nil)
	req.Header.Set("Accept-Language", "es-AR,es;q=0.9,en;q=0.5")
	a.client().do(req).must(t, http.StatusOK).contains(t, `<html lang="es">`)
}
