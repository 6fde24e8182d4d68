package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/auth/authtest"
	"github.com/tcmis/tcmis/httpx"
	"github.com/tcmis/tcmis/web"
)

// newSSOApp runs the application on a copy of the template database with
// single sign-on through a test OpenID provider, which signs in the
// viewer unless told otherwise.
func newSSOApp(t *testing.T) (*app, *authtest.Provider) {
	t.Helper()
	ctx := context.Background()
	// The database of an ordinary test application, served by a second
	// application that has single sign-on.
	db := newApp(t).DB
	// The callback address must be known before the application is
	// made, so the server starts first and gets its handler after.
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)

	p := authtest.NewProvider(t, "tcmis-web", "web secret")
	p.SignInAs(email(tcmis.RoleViewer), true)
	authn := auth.New(db)
	o, err := auth.NewOIDC(ctx, auth.OIDCConfig{
		Issuer: p.URL, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		RedirectURL: srv.URL + "/signin/sso/callback", ButtonLabel: "Test IdP",
	}, authn)
	if err != nil {
		t.Fatal(err)
	}
	site, err := web.New(web.Config{Store: db, Auth: authn, OIDC: o})
	if err != nil {
		t.Fatal(err)
	}
	h = httpx.Secure(false, http.NewCrossOriginProtection().Handler(authn.Middleware(site)))
	return &app{t: t, DB: db, Web: site, URL: srv.URL}, p
}

// visit gets an absolute URL (the provider's, or the callback it sends
// the browser to) with the client's cookies.
func (c *client) visit(u string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// toCallback starts single sign-on and follows the browser through the
// provider, returning the callback URL the provider sent it to.
func toCallback(t *testing.T, a *app, c *client, next string) string {
	t.Helper()
	res := c.get("/signin/sso?next="+url.QueryEscape(next)).must(t, http.StatusFound)
	res = c.visit(res.Location).must(t, http.StatusFound)
	if !strings.HasPrefix(res.Location, a.URL+"/signin/sso/callback?") {
		t.Fatalf("the provider sent the browser to %q", res.Location)
	}
	return res.Location
}

func TestSSOSignIn(t *testing.T) {
	a, _ := newSSOApp(t)
	c := a.client()
	c.get("/signin").must(t, http.StatusOK).
		contains(t, "Sign in with Test IdP", `href="/signin/sso?next=%2f"`, `type="password"`)
	// The sign-in page of a protected page keeps where the user was going.
	c.get("/signin?next="+url.QueryEscape("/projects?status=ongoing")).must(t, http.StatusOK).
		contains(t, `href="/signin/sso?next=%2fprojects%3fstatus%3dongoing"`)

	res := c.visit(toCallback(t, a, c, "/projects?status=ongoing")).must(t, http.StatusSeeOther)
	if res.Location != "/projects?status=ongoing" {
		t.Errorf("after single sign-on, went to %q", res.Location)
	}
	var session, state string
	for _, h := range res.Header.Values("Set-Cookie") {
		switch {
		case strings.HasPrefix(h, auth.CookieName+"="):
			session = h
		case strings.HasPrefix(h, "tcmis_sso="):
			state = h
		}
	}
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(session, flag) {
			t.Errorf("session cookie %q lacks %s", session, flag)
		}
	}
	if !strings.Contains(state, "Max-Age=0") {
		t.Errorf("the state cookie is not cleared after use: %q", state)
	}
	// The session works: the dashboard shows the viewer.
	c.get("/").must(t, http.StatusOK).contains(t, "Test "+tcmis.RoleViewer.Label())
	c.get("/projects").must(t, http.StatusOK)
	// Signed in, the single sign-on link goes straight on.
	if res := c.get("/signin/sso?next=/projects").must(t, http.StatusSeeOther); res.Location != "/projects" {
		t.Errorf("signed-in user sent to %q", res.Location)
	}
	c.post("/signout", nil).must(t, http.StatusSeeOther)
	c.get("/").must(t, http.StatusSeeOther)
}

func TestSSORedirectStaysOnSite(t *testing.T) {
	a, _ := newSSOApp(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", `/\evil.example`} {
		c := a.client()
		res := c.visit(toCallback(t, a, c, next)).must(t, http.StatusSeeOther)
		if res.Location != "/" {
			t.Errorf("next=%q sent the user to %q", next, res.Location)
		}
	}
}

func TestSSORefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    func(t *testing.T, a *app, p *authtest.Provider)
		change func(callback string) string
		status int
		msg    string
	}{
		{name: "wrong state", change: func(cb string) string {
			u, _ := url.Parse(cb)
			q := u.Query()
			q.Set("state", "forged")
			u.RawQuery = q.Encode()
			return u.String()
		}, status: http.StatusUnauthorized, msg: "does not belong to the sign-in this browser started"},
		{name: "wrong nonce", set: func(t *testing.T, _ *app, p *authtest.Provider) {
			p.SetTamper(func(c map[string]any) { c["nonce"] = "from another sign-in" })
		}, status: http.StatusUnauthorized, msg: "not issued for this sign-in"},
		{name: "expired token", set: func(t *testing.T, _ *app, p *authtest.Provider) {
			p.SetTamper(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() })
		}, status: http.StatusUnauthorized, msg: "token is expired"},
		{name: "wrong audience", set: func(t *testing.T, _ *app, p *authtest.Provider) {
			p.SetTamper(func(c map[string]any) { c["aud"] = "another-application" })
		}, status: http.StatusUnauthorized, msg: "audience"},
		{name: "e-mail not verified", set: func(t *testing.T, _ *app, p *authtest.Provider) {
			p.SignInAs(email(tcmis.RoleViewer), false)
		}, status: http.StatusForbidden, msg: "has not verified the e-mail address " + email(tcmis.RoleViewer)},
		{name: "unknown e-mail", set: func(t *testing.T, _ *app, p *authtest.Provider) {
			p.SignInAs("stranger@example.org", true)
		}, status: http.StatusForbidden, msg: "no tcmis account for stranger@example.org; ask an administrator"},
		{name: "disabled user", set: func(t *testing.T, a *app, _ *authtest.Provider) {
			ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})
			us, _, err := a.DB.FindUsers(ctx, tcmis.UserFilter{Email: new(email(tcmis.RoleViewer))})
			if err != nil || len(us) != 1 {
				t.Fatal(us, err)
			}
			us[0].Disabled = true
			if err := a.DB.UpdateUser(ctx, us[0]); err != nil {
				t.Fatal(err)
			}
		}, status: http.StatusForbidden, msg: "is disabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, p := newSSOApp(t)
			if tc.set != nil {
				tc.set(t, a, p)
			}
			c := a.client()
			cb := toCallback(t, a, c, "/projects")
			if tc.change != nil {
				cb = tc.change(cb)
			}
			c.visit(cb).must(t, tc.status).contains(t, tc.msg, "Sign in with Test IdP", `name="password"`)
			if h := c.get("/projects"); h.Status != http.StatusSeeOther || !strings.HasPrefix(h.Location, "/signin") {
				t.Errorf("after a refused sign-in, /projects gave %d %q", h.Status, h.Location)
			}
		})
	}
}

func TestSSOStateFromAnotherBrowser(t *testing.T) {
	a, _ := newSSOApp(t)
	// The callback URL alone, without the browser's state cookie, is
	// refused: someone cannot make a victim sign in as them.
	cb := toCallback(t, a, a.client(), "/")
	a.client().visit(cb).must(t, http.StatusUnauthorized).contains(t, "did not start the sign-in")
}

func TestSSONotConfigured(t *testing.T) {
	a := newApp(t)
	c := a.client()
	if strings.Contains(c.get("/signin").must(t, http.StatusOK).Body, "/signin/sso") {
		t.Error("the sign-in page offers single sign-on that is not configured")
	}
	c.get("/signin/sso").must(t, http.StatusNotFound)
	c.get("/signin/sso/callback?code=x&state=y").must(t, http.StatusNotFound)
}
