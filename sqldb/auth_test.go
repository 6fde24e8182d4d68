package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func authUser(t *testing.T, db *sqldb.DB, email string) *tcmis.User {
	t.Helper()
	u := &tcmis.User{Email: email, Name: "User " + email, Role: tcmis.RoleViewer}
	if err := db.CreateUser(ctxAs("admin"), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func mustCount(t *testing.T, db *sqldb.DB, want int, q string, args ...any) {
	t.Helper()
	n, err := sqldb.CountForTestC(db, q, args...)
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("%s: %d, want %d", q, n, want)
	}
}

func TestPasswordHash(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("admin")
		u := authUser(t, db, "alice@example.org")

		got, hash, err := db.FindPasswordHash(ctx, " ALICE@example.org ")
		if err != nil || hash != "" || got.ID != u.ID {
			t.Fatalf("before a password: %+v %q %v", got, hash, err)
		}
		_, _, err = db.FindPasswordHash(ctx, "nobody@example.org")
		mustCode(t, err, tcmis.ENOTFOUND)

		if err := db.SetPasswordHash(ctx, u.ID, "$argon2id$first"); err != nil {
			t.Fatal(err)
		}
		// A new password ends the user's sessions, and only theirs.
		bob := authUser(t, db, "bob@example.org")
		later := db.Now().Add(time.Hour)
		for _, s := range []*tcmis.Session{
			{TokenHash: "a1", UserID: u.ID, ExpiresAt: later},
			{TokenHash: "a2", UserID: u.ID, ExpiresAt: later},
			{TokenHash: "b1", UserID: bob.ID, ExpiresAt: later},
		} {
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetPasswordHash(ctx, u.ID, "$argon2id$second"); err != nil {
			t.Fatal(err)
		}
		if _, hash, _ = db.FindPasswordHash(ctx, u.Email); hash != "$argon2id$second" {
			t.Fatalf("hash after change: %q", hash)
		}
		_, _, err = db.FindSession(ctx, "a1", db.Now())
		mustCode(t, err, tcmis.ENOTFOUND)
		if _, _, err := db.FindSession(ctx, "b1", db.Now()); err != nil {
			t.Fatalf("another user's session ended: %v", err)
		}

		mustCode(t, db.SetPasswordHash(ctx, 9999, "$argon2id$x"), tcmis.ENOTFOUND)
		mustCode(t, db.SetPasswordHash(ctx, u.ID, ""), tcmis.EINVALID)

		// The audit trail says who changed the password, never the hash.
		changes := auditTrail(t, db, "password", u.ID)
		if len(changes) != 2 || changes[0].Action != tcmis.ActionUpdate || changes[1].Action != tcmis.ActionCreate || changes[0].Actor != "admin" {
			t.Fatalf("password changes: %+v", changes)
		}
		for _, c := range changes {
			if strings.Contains(string(c.New)+string(c.Old), "argon2") {
				t.Fatalf("the audit trail holds a hash: %s", c.New)
			}
		}
		if !strings.Contains(string(changes[0].New), `"sessions_ended":2`) {
			t.Fatalf("audit entry: %s", changes[0].New)
		}
	})
}

func TestCreateUserWithPassword(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("admin")
		u := &tcmis.User{Email: " Alice@Example.org", Name: "Alice", Role: tcmis.RoleViewer}
		if err := db.CreateUserWithPassword(ctx, u, "$argon2id$alice"); err != nil {
			t.Fatal(err)
		}
		got, hash, err := db.FindPasswordHash(ctx, "alice@example.org")
		if err != nil || hash != "$argon2id$alice" {
			t.Fatalf("after creation: %+v %q %v", got, hash, err)
		}
		mustEqualRecord(t, got, u)
		if changes := auditTrail(t, db, "password", u.ID); len(changes) != 1 || changes[0].Action != tcmis.ActionCreate {
			t.Fatalf("password changes: %+v", changes)
		}

		// A refusal stores neither the user nor a password, and leaves
		// the user without an ID.
		users := func() int { _, n, _ := db.FindUsers(ctx, tcmis.UserFilter{}); return n }
		for name, c := range map[string]struct {
			u    tcmis.User
			hash string
			code string
		}{
			"e-mail in use": {tcmis.User{Email: "ALICE@example.org", Name: "Alice again", Role: tcmis.RoleViewer}, "$argon2id$x", tcmis.ECONFLICT},
			"no such unit":  {tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer, UnitIDs: []int64{999}}, "$argon2id$x", tcmis.EINVALID},
			"no hash":       {tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer}, " ", tcmis.EINVALID},
		} {
			err := db.CreateUserWithPassword(ctx, &c.u, c.hash)
			if tcmis.ErrorCode(err) != c.code || c.u.ID != 0 {
				t.Errorf("%s: %v (code %q, want %q), id %d", name, err, tcmis.ErrorCode(err), c.code, c.u.ID)
			}
		}
		if n := users(); n != 1 {
			t.Fatalf("%d users after refusals", n)
		}
		mustCount(t, db, 1, `SELECT COUNT(*) FROM user_passwords`)

		// The password fails after the user was written: the user goes
		// too. (Its table is away for a moment.)
		if err := sqldb.ExecForTestC(db, `ALTER TABLE user_passwords RENAME TO user_passwords_away`); err != nil {
			t.Fatal(err)
		}
		bob := &tcmis.User{Email: "bob@example.org", Name: "Bob", Role: tcmis.RoleViewer}
		err = db.CreateUserWithPassword(ctx, bob, "$argon2id$bob")
		if rerr := sqldb.ExecForTestC(db, `ALTER TABLE user_passwords_away RENAME TO user_passwords`); rerr != nil {
			t.Fatal(rerr)
		}
		if err == nil || bob.ID != 0 {
			t.Fatalf("created %+v without its password table (%v)", bob, err)
		}
		if n := users(); n != 1 {
			t.Fatalf("%d users after a failed password", n)
		}
		mustCount(t, db, 0, `SELECT COUNT(*) FROM changes WHERE entity = 'user' AND new_value LIKE '%bob@%'`)
	})
}

func TestSessions(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u := authUser(t, db, "alice@example.org")
		now := db.Now()
		s := &tcmis.Session{TokenHash: "h1", UserID: u.ID, ExpiresAt: now.Add(12 * time.Hour), UserAgent: "Firefox", Address: "192.0.2.1"}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if !s.CreatedAt.Equal(now) || !s.LastSeen.Equal(now) {
			t.Fatalf("defaults: %+v", s)
		}
		got, gu, err := db.FindSession(ctx, "h1", now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		mustEqualRecord(t, got, s)
		mustEqualRecord(t, gu, u)

		mustCode(t, db.CreateSession(ctx, &tcmis.Session{TokenHash: "h1", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}), tcmis.ECONFLICT)
		mustCode(t, db.CreateSession(ctx, &tcmis.Session{TokenHash: "h2", UserID: 9999, ExpiresAt: now.Add(time.Hour)}), tcmis.ENOTFOUND)
		mustCode(t, db.CreateSession(ctx, &tcmis.Session{TokenHash: "h2", UserID: u.ID, ExpiresAt: now}), tcmis.EINVALID)
		mustCode(t, db.CreateSession(ctx, &tcmis.Session{UserID: u.ID, ExpiresAt: now.Add(time.Hour)}), tcmis.EINVALID)

		// Touching moves LastSeen, to the microsecond.
		seen := now.Add(90*time.Second + 1234567*time.Nanosecond)
		if err := db.TouchSession(ctx, "h1", seen); err != nil {
			t.Fatal(err)
		}
		got, _, _ = db.FindSession(ctx, "h1", seen)
		if !got.LastSeen.Equal(seen.Truncate(time.Microsecond)) {
			t.Fatalf("last seen %v, want %v", got.LastSeen, seen)
		}
		mustCode(t, db.TouchSession(ctx, "nope", seen), tcmis.ENOTFOUND)

		// Expired exactly at ExpiresAt, even against a time with a
		// fraction of a second (stored texts must still compare right).
		if _, _, err := db.FindSession(ctx, "h1", s.ExpiresAt.Add(-time.Millisecond)); err != nil {
			t.Fatalf("just before expiry: %v", err)
		}
		_, _, err = db.FindSession(ctx, "h1", s.ExpiresAt)
		mustCode(t, err, tcmis.ENOTFOUND)

		// A disabled user has no session.
		u.Disabled = true
		if err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.FindSession(ctx, "h1", now)
		mustCode(t, err, tcmis.ENOTFOUND)
		u.Disabled = false
		if err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}

		// Deleting by token (signing out); TestPurgeSessions deletes the
		// ended ones.
		if err := db.CreateSession(ctx, &tcmis.Session{TokenHash: "gone", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSession(ctx, "gone"); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteSession(ctx, "gone"), tcmis.ENOTFOUND)
		if _, _, err := db.FindSession(ctx, "h1", now); err != nil {
			t.Fatalf("another session was deleted: %v", err)
		}
		mustCount(t, db, 1, `SELECT COUNT(*) FROM sessions`)
	})
}

// TestPurgeSessions: ended sessions and old sign-in attempts go, to the
// instant; live sessions and the attempts the limits count stay.
func TestPurgeSessions(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u := authUser(t, db, "alice@example.org")
		now := db.Now()
		for _, s := range []struct {
			hash       string
			start, end time.Time
		}{
			{"ended-yesterday", now.Add(-36 * time.Hour), now.Add(-24 * time.Hour)},
			{"ends-now", now.Add(-12 * time.Hour), now}, // FindSession refuses it already
			{"ends-soon", now.Add(-12 * time.Hour), now.Add(time.Millisecond)},
			{"live", now.Add(-time.Hour), now.Add(11 * time.Hour)},
		} {
			if err := db.CreateSession(ctx, &tcmis.Session{TokenHash: s.hash, UserID: u.ID, CreatedAt: s.start, ExpiresAt: s.end}); err != nil {
				t.Fatal(err)
			}
		}
		before := now.Add(-24 * time.Hour)
		for _, at := range []time.Time{
			now.Add(-30 * 24 * time.Hour),
			before.Add(-time.Microsecond), // the last to go
			before,                        // the first to stay
			now.Add(-10 * time.Minute),
			now.Add(-time.Minute),
		} {
			if err := db.RecordSignIn(ctx, tcmis.SignInAttempt{Email: "alice@example.org", Address: "192.0.2.1", At: at}); err != nil {
				t.Fatal(err)
			}
		}

		sessions, attempts, err := db.PurgeSessions(ctx, now, before)
		if err != nil || sessions != 2 || attempts != 2 {
			t.Fatalf("purged %d sessions and %d attempts (%v), want 2 and 2", sessions, attempts, err)
		}
		for _, h := range []string{"ends-soon", "live"} {
			if _, gu, err := db.FindSession(ctx, h, now); err != nil || gu.ID != u.ID {
				t.Fatalf("session %s after the purge: %v", h, err)
			}
		}
		mustCount(t, db, 2, `SELECT COUNT(*) FROM sessions`)
		mustCount(t, db, 3, `SELECT COUNT(*) FROM sign_in_attempts`)
		if n, err := db.CountFailedSignIns(ctx, "alice@example.org", "", now.Add(-15*time.Minute)); err != nil || n != 2 {
			t.Fatalf("failures in the window after the purge: %d, %v", n, err)
		}

		// Again at once: nothing more to do.
		if sessions, attempts, err := db.PurgeSessions(ctx, now, before); err != nil || sessions+attempts != 0 {
			t.Fatalf("second purge: %d sessions, %d attempts, %v", sessions, attempts, err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("admin")
		u := authUser(t, db, "alice@example.org")
		now := db.Now()
		forever := &tcmis.APIToken{UserID: u.ID, Name: " reporting ", Prefix: "tcmis_abcdef", TokenHash: "t1"}
		if err := db.CreateAPIToken(ctx, forever); err != nil {
			t.Fatal(err)
		}
		if forever.ID == 0 || forever.Name != "reporting" || !forever.CreatedAt.Equal(now) {
			t.Fatalf("created: %+v", forever)
		}
		week := &tcmis.APIToken{UserID: u.ID, Name: "sync", Prefix: "tcmis_ghijkl", TokenHash: "t2", ExpiresAt: now.Add(7 * 24 * time.Hour)}
		if err := db.CreateAPIToken(ctx, week); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.CreateAPIToken(ctx, &tcmis.APIToken{UserID: u.ID, Name: "again", Prefix: "p", TokenHash: "t1"}), tcmis.ECONFLICT)
		mustCode(t, db.CreateAPIToken(ctx, &tcmis.APIToken{UserID: u.ID, Name: " ", Prefix: "p", TokenHash: "t3"}), tcmis.EINVALID)
		mustCode(t, db.CreateAPIToken(ctx, &tcmis.APIToken{UserID: 9999, Name: "x", Prefix: "p", TokenHash: "t3"}), tcmis.ENOTFOUND)
		mustCode(t, db.CreateAPIToken(ctx, &tcmis.APIToken{UserID: u.ID, Name: "x", Prefix: "p", TokenHash: "t3", ExpiresAt: now.Add(-time.Hour)}), tcmis.EINVALID)

		list, err := db.FindAPITokens(ctx, u.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("tokens: %v %v", list, err)
		}
		mustEqualRecord(t, list[0], forever)
		mustEqualRecord(t, list[1], week)

		// Finding a token records its use, at most once a minute.
		at := now.Add(time.Hour)
		got, gu, err := db.FindAPIToken(ctx, "t1", at)
		if err != nil || gu.ID != u.ID || !got.LastUsed.Equal(at) {
			t.Fatalf("find: %+v %v %v", got, gu, err)
		}
		got, _, _ = db.FindAPIToken(ctx, "t1", at.Add(30*time.Second))
		if !got.LastUsed.Equal(at) {
			t.Fatalf("last used moved within a minute: %v", got.LastUsed)
		}
		got, _, _ = db.FindAPIToken(ctx, "t1", at.Add(2*time.Minute))
		if !got.LastUsed.Equal(at.Add(2 * time.Minute)) {
			t.Fatalf("last used: %v", got.LastUsed)
		}
		list, _ = db.FindAPITokens(ctx, u.ID)
		if !list[0].LastUsed.Equal(at.Add(2 * time.Minute)) {
			t.Fatalf("last used not stored: %+v", list[0])
		}

		// Expiry and disabled users.
		if _, _, err := db.FindAPIToken(ctx, "t2", week.ExpiresAt.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.FindAPIToken(ctx, "t2", week.ExpiresAt)
		mustCode(t, err, tcmis.ENOTFOUND)
		_, _, err = db.FindAPIToken(ctx, "nope", now)
		mustCode(t, err, tcmis.ENOTFOUND)
		u.Disabled = true
		if err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.FindAPIToken(ctx, "t1", now)
		mustCode(t, err, tcmis.ENOTFOUND)

		// Deleting; the audit trail has creation and deletion, no hash.
		if err := db.DeleteAPIToken(ctx, week.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteAPIToken(ctx, week.ID), tcmis.ENOTFOUND)
		changes := auditTrail(t, db, "api-token", week.ID)
		if len(changes) != 2 || changes[0].Action != tcmis.ActionDelete || changes[1].Action != tcmis.ActionCreate {
			t.Fatalf("audit: %+v", changes)
		}
		for _, c := range changes {
			if s := string(c.Old) + string(c.New); strings.Contains(s, `"t2"`) || !strings.Contains(s, "tcmis_ghijkl") {
				t.Fatalf("audit entry: old %s new %s", c.Old, c.New)
			}
		}
	})
}

func TestAuthGoesWithUser(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("admin")
		u := authUser(t, db, "alice@example.org")
		other := authUser(t, db, "bob@example.org")
		for _, id := range []int64{u.ID, other.ID} {
			if err := db.SetPasswordHash(ctx, id, "$argon2id$x"); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateSession(ctx, &tcmis.Session{TokenHash: "s" + string(rune('0'+id)), UserID: id, ExpiresAt: db.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateAPIToken(ctx, &tcmis.APIToken{UserID: id, Name: "n", Prefix: "p", TokenHash: "t" + string(rune('0'+id))}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"user_passwords", "sessions", "api_tokens"} {
			mustCount(t, db, 0, `SELECT COUNT(*) FROM `+table+` WHERE user_id = ?`, u.ID)
			mustCount(t, db, 1, `SELECT COUNT(*) FROM `+table+` WHERE user_id = ?`, other.ID)
		}
	})
}

func TestSignInAttempts(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		t0 := db.Now()
		for _, a := range []tcmis.SignInAttempt{
			{Email: "Alice@example.org", Address: "192.0.2.1", At: t0.Add(-20 * time.Minute)}, // before the window
			{Email: "alice@example.org", Address: "192.0.2.1", At: t0.Add(-10 * time.Minute)},
			{Email: "alice@example.org", Address: "192.0.2.2", At: t0.Add(-5*time.Minute + 500*time.Millisecond)},
			{Email: "alice@example.org", Address: "192.0.2.1", At: t0.Add(-time.Minute), OK: true},
			{Email: "bob@example.org", Address: "192.0.2.1", At: t0.Add(-time.Minute)},
			{Email: "carol@example.org", Address: "198.51.100.7"}, // At zero: now
		} {
			if err := db.RecordSignIn(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		since := t0.Add(-15 * time.Minute)
		for _, c := range []struct {
			email, address string
			since          time.Time
			want           int
		}{
			{"alice@example.org", "", since, 2},
			{" ALICE@example.org", "", since, 2},
			{"alice@example.org", "", t0.Add(-30 * time.Minute), 3},
			// The exact instant of a failure counts; a fraction later does not.
			{"alice@example.org", "", t0.Add(-5*time.Minute + 500*time.Millisecond), 1},
			{"alice@example.org", "", t0.Add(-5*time.Minute + 501*time.Millisecond), 0},
			{"", "192.0.2.1", since, 2},
			{"", "192.0.2.2", since, 1},
			{"alice@example.org", "192.0.2.1", since, 3},
			{"carol@example.org", "", since, 1},
			{"nobody@example.org", "", since, 0},
			{"", "", since, 0},
		} {
			n, err := db.CountFailedSignIns(ctx, c.email, c.address, c.since)
			if err != nil {
				t.Fatal(err)
			}
			if n != c.want {
				t.Errorf("failures for %q/%q since %v: %d, want %d", c.email, c.address, c.since, n, c.want)
			}
		}
	})
}
