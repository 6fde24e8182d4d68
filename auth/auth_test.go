package auth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/sqldb"
)

// clock is a settable time for the service and the store.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }
func (c *clock) Set(t time.Time)         { c.t = t }

// MustOpenStore opens a migrated SQLite store in a temporary folder.
func MustOpenStore(tb testing.TB) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(tb.TempDir(), "tcmis.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// newService returns a service on a fresh store whose clock the test
// moves, with one user, alice@example.org, password "correct horse battery".
func newService(t *testing.T) (*auth.Service, *clock, *tcmis.User) {
	t.Helper()
	db := MustOpenStore(t)
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = c.Now
	s := auth.New(db)
	s.Now = c.Now
	u := &tcmis.User{Email: "Alice@Example.org", Name: "Alice", Role: tcmis.RoleProgrammeOfficer}
	if err := s.AddUser(context.Background(), u, alicePassword); err != nil {
		t.Fatal(err)
	}
	return s, c, u
}

const alicePassword = "correct horse battery"

func mustCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tcmis.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestHashPassword(t *testing.T) {
	h1, err := auth.HashPassword("open sesame 1234")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := auth.HashPassword("open sesame 1234")
	// A hash made elsewhere, with other parameters, still checks.
	salt := []byte("somesaltsomesalt")
	small := "$argon2id$v=19$m=64,t=1,p=1$" + base64.RawStdEncoding.EncodeToString(salt) + "$" +
		base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte("password"), salt, 1, 64, 1, 24))
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || len(strings.Split(h1, "$")) != 6 {
		t.Fatalf("hash %q is not a PHC string with the OWASP parameters", h1)
	}
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, c := range []struct {
		hash, pw string
		want     bool
	}{
		{h1, "open sesame 1234", true},
		{h2, "open sesame 1234", true},
		{h1, "open sesame 1235", false},
		{h1, "", false},
		{small, "password", true},
		{small, "Password", false},
	} {
		got, err := auth.CheckPassword(c.hash, c.pw)
		if err != nil || got != c.want {
			t.Errorf("CheckPassword(%q, %q) = %v, %v; want %v", c.hash, c.pw, got, err, c.want)
		}
	}
	for _, bad := range []string{
		"",
		"plain text",
		"$2a$10$abcdefghijklmnopqrstuu", // bcrypt
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,x=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=big,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", // 95 GiB
		"$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1$not base64!$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$c2hvcnQ", // a 5-byte hash
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
		h1 + "$",
	} {
		ok, err := auth.CheckPassword(bad, "anything at all")
		if ok || !errors.Is(err, auth.ErrMalformedHash) {
			t.Errorf("CheckPassword(%q) = %v, %v; want ErrMalformedHash", bad, ok, err)
		}
	}
}

func TestCheckPasswordStrength(t *testing.T) {
	for _, c := range []struct {
		pw, email string
		ok        bool
	}{
		{"correct horse battery", "", true},
		{"twelve chars", "", true},
		{"eleven char", "", false},
		{"ünïcödé-wörd", "", true}, // 12 characters, more bytes
		{"aaaaaaaaaaaaaaaa", "", false},
		{"éééééééééééééé", "", false},
		{"", "", false},
		{strings.Repeat("ab", 600), "", false},
		{"alice.brown@example.org", "Alice.Brown@example.org", false},
		{"ALICE.BROWN@EXAMPLE.ORG", "alice.brown@example.org", false},
		{"alice.brown1", "alice.brown1@example.org", false}, // the part before @
		{"alice.brown@example.org", "bob@example.org", true},
	} {
		var err error
		if c.email == "" {
			err = auth.CheckPasswordStrength(c.pw)
		} else {
			err = auth.CheckPasswordStrength(c.pw, c.email)
		}
		if c.ok != (err == nil) {
			t.Errorf("CheckPasswordStrength(%q, %q) = %v", c.pw, c.email, err)
			continue
		}
		if err != nil {
			ps := tcmis.ErrorProblems(err)
			if tcmis.ErrorCode(err) != tcmis.EINVALID || len(ps) != 1 || ps[0].Field != "password" || ps[0].Message == "" {
				t.Errorf("CheckPasswordStrength(%q): %#v", c.pw, err)
			}
		}
	}
	err := auth.CheckPasswordStrength("short")
	if !strings.Contains(tcmis.ErrorMessage(err), "at least 12 characters") {
		t.Errorf("message: %v", err)
	}
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	s, c, alice := newService(t)

	token, u, err := s.SignIn(ctx, " ALICE@example.org", alicePassword, "192.0.2.1", "Firefox")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != alice.ID || len(token) != 43 || strings.ContainsAny(token, "+/=") {
		t.Fatalf("signed in as %+v with token %q", u, token)
	}
	got, err := s.SessionUser(ctx, token)
	if err != nil || got.ID != alice.ID {
		t.Fatalf("session user: %+v %v", got, err)
	}
	// The store keeps the hash of the token, not the token.
	if _, _, err := s.Store.FindSession(ctx, token, c.Now()); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		t.Fatalf("the token itself finds a session: %v", err)
	}
	if _, _, err := s.Store.FindSession(ctx, auth.HashToken(token), c.Now()); err != nil {
		t.Fatal(err)
	}

	// Unknown address, wrong password: the same answer.
	_, _, errWrong := s.SignIn(ctx, "alice@example.org", "wrong password!", "192.0.2.1", "")
	_, _, errNobody := s.SignIn(ctx, "nobody@example.org", alicePassword, "192.0.2.1", "")
	mustCode(t, errWrong, tcmis.EINVALID)
	if errWrong.Error() != errNobody.Error() || errWrong.Error() != "wrong e-mail or password" {
		t.Fatalf("wrong password %q, unknown user %q", errWrong, errNobody)
	}

	// Signing out ends the session.
	if err := s.SignOut(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionUser(ctx, token)
	mustCode(t, err, tcmis.ENOTFOUND)
	mustCode(t, s.SignOut(ctx, token), tcmis.ENOTFOUND)
	_, err = s.SessionUser(ctx, "")
	mustCode(t, err, tcmis.ENOTFOUND)

	// A disabled user is refused like a wrong password; their sessions end.
	token, _, err = s.SignIn(ctx, "alice@example.org", alicePassword, "192.0.2.1", "")
	if err != nil {
		t.Fatal(err)
	}
	alice, _ = s.Store.FindUserByID(ctx, alice.ID)
	alice.Disabled = true
	if err := s.Store.UpdateUser(ctx, alice); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SignIn(ctx, "alice@example.org", alicePassword, "192.0.2.1", "")
	if err == nil || err.Error() != "wrong e-mail or password" {
		t.Fatalf("disabled user: %v", err)
	}
	_, err = s.SessionUser(ctx, token)
	mustCode(t, err, tcmis.ENOTFOUND)

	// A user without a password cannot sign in.
	bob := &tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer}
	if err := s.Store.CreateUser(ctx, bob); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SignIn(ctx, "bob@example.org", "", "192.0.2.9", "")
	mustCode(t, err, tcmis.EINVALID)
}

func TestSignInLimits(t *testing.T) {
	ctx := context.Background()
	s, c, _ := newService(t)

	// Five failures for one e-mail address, from anywhere, lock it for
	// the window, even with the right password.
	for i := range 5 {
		_, _, err := s.SignIn(ctx, "alice@example.org", "not the password", fmt.Sprintf("192.0.2.%d", i), "")
		mustCode(t, err, tcmis.EINVALID)
		c.Advance(time.Minute)
	}
	_, _, err := s.SignIn(ctx, "alice@example.org", alicePassword, "198.51.100.1", "")
	mustCode(t, err, tcmis.EFORBIDDEN)
	if !strings.Contains(err.Error(), "too many failed sign-ins; try again in 15 minutes") {
		t.Fatalf("message: %v", err)
	}
	// The refused attempt did not count: once the first failure is out of
	// the window, one more try is allowed.
	c.Advance(11 * time.Minute) // 16 minutes after the first failure
	if _, _, err := s.SignIn(ctx, "alice@example.org", alicePassword, "198.51.100.1", ""); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	// Twenty failures from one network address lock it for every account.
	c.Advance(time.Hour)
	s.MaxFailures = 100
	for i := range 20 {
		_, _, err := s.SignIn(ctx, fmt.Sprintf("guess%d@example.org", i), "not the password", "203.0.113.5", "")
		mustCode(t, err, tcmis.EINVALID)
	}
	_, _, err = s.SignIn(ctx, "alice@example.org", alicePassword, "203.0.113.5", "")
	mustCode(t, err, tcmis.EFORBIDDEN)
	if _, _, err := s.SignIn(ctx, "alice@example.org", alicePassword, "203.0.113.6", ""); err != nil {
		t.Fatalf("from another address: %v", err)
	}
}

func TestSessionTimeouts(t *testing.T) {
	ctx := context.Background()
	s, c, alice := newService(t)
	start := c.Now()
	token, _, err := s.SignIn(ctx, "alice@example.org", alicePassword, "192.0.2.1", "Firefox")
	if err != nil {
		t.Fatal(err)
	}
	lastSeen := func() time.Time {
		sess, _, err := s.Store.FindSession(ctx, auth.HashToken(token), start)
		if err != nil {
			t.Fatal(err)
		}
		return sess.LastSeen
	}

	// Used within a minute: LastSeen stays; later: it moves.
	c.Advance(30 * time.Second)
	if _, err := s.SessionUser(ctx, token); err != nil {
		t.Fatal(err)
	}
	if !lastSeen().Equal(start) {
		t.Fatalf("last seen written within a minute: %v", lastSeen())
	}
	// Used every 1 h 50: never idle for 2 hours, so it lives until its
	// 12 hours are up.
	for c.Now().Before(start.Add(11 * time.Hour)) {
		c.Advance(110 * time.Minute)
		u, err := s.SessionUser(ctx, token)
		if err != nil || u.ID != alice.ID {
			t.Fatalf("at %v: %v", c.Now().Sub(start), err)
		}
		if !lastSeen().Equal(c.Now()) {
			t.Fatalf("last seen %v, want %v", lastSeen(), c.Now())
		}
	}
	c.Set(start.Add(12 * time.Hour))
	_, err = s.SessionUser(ctx, token)
	mustCode(t, err, tcmis.ENOTFOUND)

	// Idle for 2 hours: ended, and gone for good.
	c.Advance(time.Hour)
	token, _, err = s.SignIn(ctx, "alice@example.org", alicePassword, "192.0.2.1", "Firefox")
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Hour)
	_, err = s.SessionUser(ctx, token)
	mustCode(t, err, tcmis.ENOTFOUND)
	c.Advance(-time.Hour)
	_, err = s.SessionUser(ctx, token)
	mustCode(t, err, tcmis.ENOTFOUND)
}

func TestAddUserAndSetPassword(t *testing.T) {
	ctx := context.Background()
	s, _, alice := newService(t)
	if alice.ID == 0 || alice.Email != "alice@example.org" {
		t.Fatalf("added %+v", alice)
	}

	// Bad input stores nothing, and names every problem.
	for _, c := range []struct {
		u      tcmis.User
		pw     string
		fields []string
	}{
		{tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer}, "short", []string{"password"}},
		{tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer}, "bob@example.org", []string{"password"}},
		{tcmis.User{Email: "bob", Role: "boss"}, "aaaaaaaaaaaaaaaa", []string{"email", "name", "role", "password"}},
		{tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer, UnitIDs: []int64{999}}, "a fine password", []string{"unit_ids"}},
		{tcmis.User{Email: "ALICE@example.org", Name: "Alice again", Role: tcmis.RoleViewer}, "a fine password", nil},
	} {
		err := s.AddUser(ctx, &c.u, c.pw)
		if err == nil || c.u.ID != 0 {
			t.Fatalf("added %+v (%v)", c.u, err)
		}
		var fields []string
		for _, p := range tcmis.ErrorProblems(err) {
			fields = append(fields, p.Field)
		}
		if fmt.Sprint(fields) != fmt.Sprint(c.fields) {
			t.Errorf("%+v: problems %v, want %v (%v)", c.u, fields, c.fields, err)
		}
	}
	if _, n, _ := s.Store.FindUsers(ctx, tcmis.UserFilter{}); n != 1 {
		t.Fatalf("%d users after refused additions", n)
	}

	// A new password must be strong, and ends the sessions.
	token, _, err := s.SignIn(ctx, "alice@example.org", alicePassword, "", "")
	if err != nil {
		t.Fatal(err)
	}
	mustCode(t, s.SetPassword(ctx, alice.ID, "tiny"), tcmis.EINVALID)
	mustCode(t, s.SetPassword(ctx, alice.ID, "alice@example.org"), tcmis.EINVALID)
	mustCode(t, s.SetPassword(ctx, 999, "a fine password"), tcmis.ENOTFOUND)
	if _, err := s.SessionUser(ctx, token); err != nil {
		t.Fatalf("a refused password ended the session: %v", err)
	}
	if err := s.SetPassword(ctx, alice.ID, "a new fine password"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionUser(ctx, token)
	mustCode(t, err, tcmis.ENOTFOUND)
	_, _, err = s.SignIn(ctx, "alice@example.org", alicePassword, "", "")
	mustCode(t, err, tcmis.EINVALID)
	if _, _, err := s.SignIn(ctx, "alice@example.org", "a new fine password", "", ""); err != nil {
		t.Fatal(err)
	}
}

func TestPurgeSessions(t *testing.T) {
	ctx := context.Background()
	s, c, alice := newService(t)
	s.IdleTimeout = 0
	signIn := func(password string) string {
		t.Helper()
		token, _, err := s.SignIn(ctx, alice.Email, password, "192.0.2.1", "")
		if password == alicePassword && err != nil {
			t.Fatal(err)
		}
		return token
	}
	signIn("wrong")
	old := signIn(alicePassword)
	c.Advance(13 * time.Hour) // old has expired
	signIn("wrong again")
	current := signIn(alicePassword)
	c.Advance(11*time.Hour + time.Minute) // the first attempts are a day old

	sessions, attempts, err := s.PurgeSessions(ctx)
	if err != nil || sessions != 1 || attempts != 2 {
		t.Fatalf("purged %d sessions and %d attempts (%v), want 1 and 2", sessions, attempts, err)
	}
	if u, err := s.SessionUser(ctx, current); err != nil || u.ID != alice.ID {
		t.Fatalf("the current session after the purge: %v", err)
	}
	// The old session is gone, not merely expired: not even found at a
	// time when it was valid.
	_, _, err = s.Store.FindSession(ctx, auth.HashToken(old), c.Now().Add(-24*time.Hour))
	mustCode(t, err, tcmis.ENOTFOUND)
	if n, err := s.Store.CountFailedSignIns(ctx, alice.Email, "", time.Time{}); err != nil || n != 1 {
		t.Fatalf("%d failures kept (%v), want the recent one", n, err)
	}

	// A failure window longer than a day keeps the attempts it counts.
	s.FailureWindow = 48 * time.Hour
	c.Advance(24 * time.Hour)
	if _, attempts, err := s.PurgeSessions(ctx); err != nil || attempts != 0 {
		t.Fatalf("with a 48-hour window, purged %d attempts (%v)", attempts, err)
	}
}

// whoami answers with the user and the actor of the request's context.
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	name := "anonymous"
	if u := auth.UserFrom(r.Context()); u != nil {
		name = u.Email
	}
	a := tcmis.ActorFrom(r.Context())
	fmt.Fprintf(w, "%s as %s (%d)", name, a.Name, a.UserID)
})

func TestMiddleware(t *testing.T) {
	ctx := context.Background()
	s, c, alice := newService(t)
	h := s.Middleware(whoami)
	token, _, err := s.SignIn(ctx, "alice@example.org", alicePassword, "", "")
	if err != nil {
		t.Fatal(err)
	}
	secret, apiToken, err := s.NewAPIToken(ctx, alice.ID, "reporting", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "tcmis_") || !strings.HasPrefix(secret, apiToken.Prefix) || len(apiToken.Prefix) <= len("tcmis_") ||
		apiToken.TokenHash != auth.HashToken(secret) || !apiToken.ExpiresAt.Equal(c.Now().Add(24*time.Hour)) {
		t.Fatalf("token %q: %+v", secret, apiToken)
	}
	forever, _, err := s.NewAPIToken(ctx, alice.ID, "sync", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.NewAPIToken(ctx, alice.ID, "", 0); tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Fatalf("token without a name: %v", err)
	}

	signedIn := fmt.Sprintf("alice@example.org as alice@example.org (%d)", alice.ID)
	request := func(cookie, authorization string) string {
		t.Helper()
		r := httptest.NewRequest("GET", "/api/v1/projects", nil)
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: auth.CookieName, Value: cookie})
		}
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("the middleware answered %d itself", w.Code)
		}
		return w.Body.String()
	}
	for _, c := range []struct {
		cookie, authorization, want string
	}{
		{"", "", "anonymous as system (0)"},
		{token, "", signedIn},
		{"not-a-session", "", "anonymous as system (0)"},
		{"", "Bearer " + secret, signedIn},
		{"", "bearer " + forever, signedIn},
		{"", "Bearer tcmis_forged", "anonymous as system (0)"},
		{"", "Basic " + secret, "anonymous as system (0)"},
		{"", "Bearer " + token, "anonymous as system (0)"}, // a session token is no API token
		{"not-a-session", "Bearer " + secret, signedIn},
	} {
		if got := request(c.cookie, c.authorization); got != c.want {
			t.Errorf("cookie %q, authorization %q: %q, want %q", c.cookie, c.authorization, got, c.want)
		}
	}

	// The day-long token expires; the other does not.
	c.Advance(25 * time.Hour)
	if got := request("", "Bearer "+secret); got != "anonymous as system (0)" {
		t.Errorf("expired token: %q", got)
	}
	if got := request("", "Bearer "+forever); got != signedIn {
		t.Errorf("token without expiry: %q", got)
	}
	if got := request(token, ""); got != "anonymous as system (0)" {
		t.Errorf("expired session: %q", got)
	}
	u, err := s.TokenUser(ctx, forever)
	if err != nil || u.ID != alice.ID {
		t.Fatalf("token user: %v %v", u, err)
	}
}

func TestCookies(t *testing.T) {
	for _, secure := range []bool{false, true} {
		w := httptest.NewRecorder()
		auth.SetSessionCookie(w, "tok", secure, 12*time.Hour)
		auth.ClearSessionCookie(w, secure)
		cs := w.Result().Cookies()
		if len(cs) != 2 {
			t.Fatalf("%d cookies", len(cs))
		}
		set, clear := cs[0], cs[1]
		for _, c := range cs {
			if c.Name != auth.CookieName || c.Path != "/" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure {
				t.Errorf("secure %v: cookie %+v", secure, c)
			}
		}
		if set.Value != "tok" || set.MaxAge != 12*3600 {
			t.Errorf("set: %+v", set)
		}
		if clear.Value != "" || clear.MaxAge >= 0 {
			t.Errorf("clear: %+v", clear)
		}
		if h := w.Header().Values("Set-Cookie")[0]; !strings.Contains(h, "HttpOnly") || !strings.Contains(h, "SameSite=Lax") || strings.Contains(h, "Secure") != secure {
			t.Errorf("header %q", h)
		}
	}
}
