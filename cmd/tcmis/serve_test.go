package main_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	main "github.com/tcmis/tcmis/cmd/tcmis"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// seedSignIns adds a user with, around the real time, a session that
// ended a day ago and one open now, a failed sign-in two days old and one
// a minute old; it returns the open session's token. The margins are
// days and hours, so the test does not depend on how fast it runs.
func seedSignIns(t *testing.T, dsn string) (token string) {
	t.Helper()
	if _, errOut, err := runInput(t, dsn, "correct horse battery staple\n", "user", "add",
		"--email", "vera@example.org", "--name", "Vera Viewer", "--role", "viewer", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, errOut)
	}
	ctx := context.Background()
	db := openStore(t, dsn)
	defer db.Close()
	u, _, err := db.FindPasswordHash(ctx, "vera@example.org")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	token = "open-session-token"
	for _, s := range []*tcmis.Session{
		{TokenHash: auth.HashToken("ended-session-token"), UserID: u.ID, CreatedAt: now.Add(-36 * time.Hour), ExpiresAt: now.Add(-24 * time.Hour)},
		{TokenHash: auth.HashToken(token), UserID: u.ID, CreatedAt: now.Add(-time.Minute), ExpiresAt: now.Add(12 * time.Hour)},
	} {
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for _, at := range []time.Time{now.Add(-48 * time.Hour), now.Add(-time.Minute)} {
		if err := db.RecordSignIn(ctx, tcmis.SignInAttempt{Email: "vera@example.org", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	return token
}

func TestUserPurgeSessions(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	token := seedSignIns(t, dsn)
	if out := mustRun(t, dsn, "user", "purge-sessions"); !strings.Contains(out, "ended sessions: 1; sign-in attempts over a day old: 1.") {
		t.Errorf("purge said %q", out)
	}
	if out := mustRun(t, dsn, "user", "purge-sessions"); !strings.Contains(out, "ended sessions: 0; sign-in attempts over a day old: 0.") {
		t.Errorf("purge again said %q", out)
	}
	db := openStore(t, dsn)
	defer db.Close()
	if u, err := auth.New(db).SessionUser(context.Background(), token); err != nil || u.Email != "vera@example.org" {
		t.Fatalf("the open session after the purge: %v %v", u, err)
	}
}

// TestServePurgesSessions: tcmis serve purges before it serves, logs the
// counts, and the open session still signs in.
func TestServePurgesSessions(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	token := seedSignIns(t, dsn)
	var log lockedBuffer
	s := startServeWith(t, dsn, func(m *main.Main) {
		m.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	if got := log.String(); !strings.Contains(got, `msg="deleted ended sessions and old sign-in attempts" sessions=1 sign_in_attempts=1`) {
		t.Errorf("log:\n%s", got)
	}
	req, err := http.NewRequest("GET", s.URL+"/projects", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /projects with the open session: %s", res.Status)
	}
}

// lockedBuffer is a log that the server writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
