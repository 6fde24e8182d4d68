package main_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis/auth/authtest"
	main "github.com/tcmis/tcmis/cmd/tcmis"
)

func TestServeOIDCFlagsNeedEachOther(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tcmis.db")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--oidc-client-id", "x"}, "need --oidc-issuer"},
		{[]string{"--oidc-issuer", "https://id.example.org"}, "needs --oidc-client-id and --oidc-redirect-url"},
	} {
		_, _, err := run(t, dsn, append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("serve %v: error %v, want %q", tc.args, err, tc.msg)
		}
	}
}

// TestServeOIDC runs tcmis serve with single sign-on through a test
// provider, the client secret in the environment, and signs in.
func TestServeOIDC(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tcmis.db")
	if _, errOut, err := runInput(t, dsn, "correct horse battery staple\n", "user", "add",
		"--email", "vera@example.org", "--name", "Vera Viewer", "--role", "viewer", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, errOut)
	}
	p := authtest.NewProvider(t, "tcmis", "from the environment")
	p.SignInAs("vera@example.org", true)
	// The callback address is registered before tcmis has a port; the
	// test takes the browser there itself.
	const redirect = "http://127.0.0.1:1/signin/sso/callback"

	ctx, cancel := context.WithCancel(context.Background())
	addr, done := make(chan string, 1), make(chan error, 1)
	m := main.NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Getenv = func(k string) string {
		if k == "TCMIS_OIDC_CLIENT_SECRET" {
			return p.ClientSecret
		}
		return ""
	}
	m.Serving = func(a string) { addr <- a }
	go func() {
		done <- m.Run(ctx, []string{"--db", dsn, "serve", "--addr", "127.0.0.1:0", "--oidc-issuer", p.URL,
			"--oidc-client-id", p.ClientID, "--oidc-redirect-url", redirect, "--oidc-label", "Corporate ID"})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("tcmis serve: %v", err)
		}
		m.Close()
	})
	var base string
	select {
	case base = <-addr:
	case err := <-done:
		t.Fatalf("tcmis serve stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("tcmis serve did not start in 30 s")
	}

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string, status int) *http.Response {
		t.Helper()
		res, err := browser.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != status {
			t.Fatalf("GET %s: %d, want %d\n%s", u, res.StatusCode, status, b)
		}
		res.Body = io.NopCloser(strings.NewReader(string(b)))
		return res
	}
	if b, _ := io.ReadAll(get(base+"/signin", http.StatusOK).Body); !strings.Contains(string(b), "Sign in with Corporate ID") {
		t.Error("the sign-in page does not offer single sign-on")
	}
	res := get(base+"/signin/sso", http.StatusFound)
	res = get(res.Header.Get("Location"), http.StatusFound)
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	// The code is exchanged with the secret from the environment: the
	// provider refuses any other.
	res = get(base+back.Path+"?"+back.RawQuery, http.StatusSeeOther)
	if res.Header.Get("Location") != "/" {
		t.Errorf("signed in, sent to %q", res.Header.Get("Location"))
	}
	get(base+"/projects", http.StatusOK)
}
