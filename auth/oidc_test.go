package auth_test

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
)

const callbackURL = "http://tcmis.test/signin/sso/callback"

// newOIDC returns single sign-on through a test provider for the service
// of newService (whose clock is set to now, as the provider's tokens
// are), the provider signing in alice.
func newOIDC(t *testing.T) (*auth.OIDC, *authtest.Provider, *auth.Service, *clock, *tcmis.User) {
	t.Helper()
	s, c, alice := newService(t)
	c.Set(time.Now())
	p := authtest.NewProvider(t, "tcmis-client", "client secret")
	p.SignInAs(alice.Email, true)
	o, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: p.URL, ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: callbackURL,
	}, s)
	if err != nil {
		t.Fatal(err)
	}
	return o, p, s, c, alice
}

// journey is one sign-in through the provider, as a browser makes it.
type journey struct {
	start    *httptest.ResponseRecorder
	callback *http.Request
}

// begin starts a sign-in and follows the browser to the provider and
// back, stopping before the callback request is served.
func begin(t *testing.T, o *auth.OIDC, next string) *journey {
	t.Helper()
	rec := httptest.NewRecorder()
	o.Start(rec, httptest.NewRequest(http.MethodGet, "http://tcmis.test/signin/sso", nil), next)
	if rec.Code != http.StatusFound {
		t.Fatalf("start: status %d", rec.Code)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.Get(rec.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back := res.Header.Get("Location")
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(back, callbackURL+"?") {
		t.Fatalf("provider answered %d, Location %q", res.StatusCode, back)
	}
	req := httptest.NewRequest(http.MethodGet, back, nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	return &journey{start: rec, callback: req}
}

func (j *journey) finish(o *auth.OIDC) (string, *tcmis.User, string, error) {
	return o.Finish(context.Background(), j.callback)
}

func TestOIDCSignIn(t *testing.T) {
	o, _, s, _, alice := newOIDC(t)
	j := begin(t, o, "/projects?status=ongoing")

	// The provider is asked for a code, with PKCE, a state and a nonce.
	to, err := url.Parse(j.start.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := to.Query()
	for k, want := range map[string]string{"response_type": "code", "client_id": "tcmis-client",
		"redirect_uri": callbackURL, "code_challenge_method": "S256"} {
		if q.Get(k) != want {
			t.Errorf("authorisation request: %s=%q, want %q", k, q.Get(k), want)
		}
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if len(q.Get(k)) < 32 {
			t.Errorf("authorisation request: %s=%q is missing or short", k, q.Get(k))
		}
	}
	if scopes := strings.Fields(q.Get("scope")); len(scopes) < 2 || scopes[0] != "openid" || !strings.Contains(q.Get("scope"), "email") {
		t.Errorf("scopes %q", q.Get("scope"))
	}
	// The state cookie is for the callback only, out of reach of scripts.
	cookies := j.start.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("start set %d cookies", len(cookies))
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/signin/sso/callback" || c.Secure || c.MaxAge <= 0 || c.MaxAge > 900 {
		t.Errorf("state cookie %+v", c)
	}
	// Nothing secret travels in the clear in the cookie's name or the URL.
	if strings.Contains(to.String(), strings.Split(c.Value, ".")[1]) {
		t.Error("the cookie's signature appears in the authorisation URL")
	}

	token, u, next, err := j.finish(o)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != alice.ID || next != "/projects?status=ongoing" {
		t.Errorf("signed in user %d, next %q; want %d, /projects?status=ongoing", u.ID, next, alice.ID)
	}
	su, err := s.SessionUser(context.Background(), token)
	if err != nil || su.ID != alice.ID {
		t.Fatalf("the session of the token: %v, %v", su, err)
	}
	// The code serves once.
	if _, _, _, err := j.finish(o); tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Errorf("the same code again: %v", err)
	}
}

func TestOIDCSecureCookie(t *testing.T) {
	s, _, _ := newService(t)
	p := authtest.NewProvider(t, "c", "s")
	o, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: p.URL, ClientID: "c", ClientSecret: "s",
		RedirectURL: "https://tcmis.example.org/signin/sso/callback"}, s)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	o.Start(rec, httptest.NewRequest(http.MethodGet, "https://tcmis.example.org/signin/sso", nil), "/")
	if c := rec.Result().Cookies(); len(c) != 1 || !c[0].Secure {
		t.Errorf("over HTTPS the state cookie must be Secure: %+v", c)
	}
}

func TestOIDCRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		// set changes the provider or the user before the sign-in;
		// change changes the callback request or the time it comes.
		set    func(t *testing.T, p *authtest.Provider, s *auth.Service, c *clock, alice *tcmis.User)
		change func(r *http.Request, c *clock)
		code   string
		msg    string
		// failures is how many failed sign-ins count against alice.
		failures int
	}{
		{name: "no cookie", change: func(r *http.Request, _ *clock) { r.Header.Del("Cookie") },
			code: tcmis.EINVALID, msg: "did not start the sign-in"},
		{name: "altered cookie", change: func(r *http.Request, _ *clock) {
			c, _ := r.Cookie("tcmis_sso")
			payload, sig, _ := strings.Cut(c.Value, ".")
			// Another next, with the old signature.
			b := []byte(payload)
			b[len(b)/2] ^= 1
			r.Header.Set("Cookie", "tcmis_sso="+string(b)+"."+sig)
		}, code: tcmis.EINVALID, msg: "altered"},
		{name: "wrong state", change: func(r *http.Request, _ *clock) { setQuery(r, "state", "someone else's state") },
			code: tcmis.EINVALID, msg: "does not belong"},
		{name: "no state", change: func(r *http.Request, _ *clock) { setQuery(r, "state", "") },
			code: tcmis.EINVALID, msg: "does not belong"},
		{name: "too slow", change: func(_ *http.Request, c *clock) { c.Advance(11 * time.Minute) }, code: tcmis.EINVALID, msg: "took more than 10 minutes"},
		{name: "provider error", change: func(r *http.Request, _ *clock) { r.URL.RawQuery = "error=access_denied&state=x" },
			code: tcmis.EINVALID, msg: "access_denied"},
		{name: "wrong code", change: func(r *http.Request, _ *clock) { setQuery(r, "code", "guessed") },
			code: tcmis.EINVALID, msg: "invalid_grant"},
		{name: "wrong nonce", set: tamper(func(c map[string]any) { c["nonce"] = "replayed" }),
			code: tcmis.EINVALID, msg: "nonce"},
		{name: "no nonce", set: tamper(func(c map[string]any) { delete(c, "nonce") }),
			code: tcmis.EINVALID, msg: "nonce"},
		{name: "expired", set: tamper(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }),
			code: tcmis.EINVALID, msg: "expired"},
		{name: "other audience", set: tamper(func(c map[string]any) { c["aud"] = "another-app" }),
			code: tcmis.EINVALID, msg: "audience"},
		{name: "other issuer", set: tamper(func(c map[string]any) { c["iss"] = "https://evil.example" }),
			code: tcmis.EINVALID, msg: "different provider"},
		{name: "no e-mail", set: tamper(func(c map[string]any) { delete(c, "email") }),
			code: tcmis.EINVALID, msg: "e-mail address"},
		{name: "e-mail not verified", set: func(t *testing.T, p *authtest.Provider, _ *auth.Service, _ *clock, a *tcmis.User) {
			p.SignInAs(a.Email, false)
		}, code: tcmis.EFORBIDDEN, msg: "not verified", failures: 0},
		{name: "e-mail verified missing", set: tamper(func(c map[string]any) { delete(c, "email_verified") }),
			code: tcmis.EFORBIDDEN, msg: "not verified"},
		{name: "e-mail verified \"false\"", set: func(t *testing.T, p *authtest.Provider, _ *auth.Service, _ *clock, a *tcmis.User) {
			p.SignInAs(a.Email, "false")
		}, code: tcmis.EFORBIDDEN, msg: "not verified"},
		{name: "unknown e-mail", set: func(t *testing.T, p *authtest.Provider, _ *auth.Service, _ *clock, _ *tcmis.User) {
			p.SignInAs("bob@example.org", true)
		}, code: tcmis.EFORBIDDEN, msg: "no tcmis account for bob@example.org; ask an administrator"},
		{name: "disabled", set: func(t *testing.T, _ *authtest.Provider, s *auth.Service, _ *clock, a *tcmis.User) {
			a.Disabled = true
			if err := s.Store.UpdateUser(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}, code: tcmis.EFORBIDDEN, msg: "disabled", failures: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, p, s, c, alice := newOIDC(t)
			if tc.set != nil {
				tc.set(t, p, s, c, alice)
			}
			j := begin(t, o, "/")
			if tc.change != nil {
				tc.change(j.callback, c)
			}
			token, u, _, err := j.finish(o)
			if err == nil {
				t.Fatalf("signed in as %v", u.Email)
			}
			if token != "" || u != nil {
				t.Errorf("a refused sign-in returned token %q, user %v", token, u)
			}
			if tcmis.ErrorCode(err) != tc.code || !strings.Contains(tcmis.ErrorMessage(err), tc.msg) {
				t.Errorf("error %s %q, want %s containing %q", tcmis.ErrorCode(err), tcmis.ErrorMessage(err), tc.code, tc.msg)
			}
			n, err := s.Store.CountFailedSignIns(context.Background(), alice.Email, "", c.Now().Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.failures {
				t.Errorf("%d failed sign-ins recorded for alice, want %d", n, tc.failures)
			}
		})
	}
}

func TestOIDCVerifiedAsString(t *testing.T) {
	o, p, _, _, alice := newOIDC(t)
	p.SignInAs(strings.ToUpper(alice.Email), "true")
	_, u, _, err := begin(t, o, "/").finish(o)
	if err != nil || u.ID != alice.ID {
		t.Fatalf("email_verified \"true\" and an e-mail in capitals: %v, %v", u, err)
	}
}

func TestOIDCUnknownFailuresCountForTheAddress(t *testing.T) {
	o, p, s, c, _ := newOIDC(t)
	p.SignInAs("bob@example.org", true)
	j := begin(t, o, "/")
	j.callback.RemoteAddr = "192.0.2.7:4000"
	if _, _, _, err := j.finish(o); tcmis.ErrorCode(err) != tcmis.EFORBIDDEN {
		t.Fatal(err)
	}
	n, err := s.Store.CountFailedSignIns(context.Background(), "", "192.0.2.7", c.Now().Add(-time.Hour))
	if err != nil || n != 1 {
		t.Errorf("failures from the address: %d, %v; want 1", n, err)
	}
}

func TestNewOIDCErrors(t *testing.T) {
	s, _, _ := newService(t)
	p := authtest.NewProvider(t, "c", "s")
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	for _, tc := range []struct {
		name string
		cfg  auth.OIDCConfig
		msg  string
	}{
		{"no issuer", auth.OIDCConfig{ClientID: "c", RedirectURL: callbackURL}, "needs the issuer"},
		{"no client", auth.OIDCConfig{Issuer: p.URL, RedirectURL: callbackURL}, "needs the issuer"},
		{"relative redirect", auth.OIDCConfig{Issuer: p.URL, ClientID: "c", RedirectURL: "/signin/sso/callback"}, "not an absolute"},
		{"unreachable", auth.OIDCConfig{Issuer: gone.URL, ClientID: "c", RedirectURL: callbackURL}, "cannot discover"},
		{"issuer differs", auth.OIDCConfig{Issuer: p.URL + "/", ClientID: "c", RedirectURL: callbackURL}, "cannot discover"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auth.NewOIDC(context.Background(), tc.cfg, s)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want one containing %q", err, tc.msg)
			}
		})
	}
}

func tamper(f func(map[string]any)) func(*testing.T, *authtest.Provider, *auth.Service, *clock, *tcmis.User) {
	return func(_ *testing.T, p *authtest.Provider, _ *auth.Service, _ *clock, _ *tcmis.User) { p.SetTamper(f) }
}

func setQuery(r *http.Request, k, v string) {
	q := r.URL.Query()
	q.Set(k, v)
	r.URL.RawQuery = q.Encode()
}
