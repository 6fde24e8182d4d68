package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// What lets users sign in (migration 0005): user_passwords, sessions,
// api_tokens and sign_in_attempts. The store keeps hashes only; the auth
// package makes and checks them.

var _ tcmis.AuthService = (*DB)(nil)

// SetPasswordHash stores the hash of a user's new password and ends the
// user's sessions, so that a changed password shuts out whoever knew the
// old one. The audit trail records the change, never the hash.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	if err := checkPasswordHash(hash); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		u, err := findUserByID(tx, userID)
		if err != nil {
			return err
		}
		return setPasswordHash(tx, u, hash)
	})
}

// CreateUserWithPassword stores a new user, as CreateUser does, and the
// hash of its password in the same transaction: a user who cannot sign in
// is never left behind, nor a password without its user. On failure u
// keeps no ID.
func (db *DB) CreateUserWithPassword(ctx context.Context, u *tcmis.User, hash string) (err error) {
	if err := checkUser(u); err != nil {
		return err
	}
	if err := checkPasswordHash(hash); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			u.ID, u.Version = 0, 0
		}
	}()
	return db.update(ctx, func(tx *Tx) error {
		if err := createUser(tx, u); err != nil {
			return err
		}
		return setPasswordHash(tx, u, hash)
	})
}

func checkPasswordHash(hash string) error {
	if strings.TrimSpace(hash) == "" {
		return tcmis.Errorf(tcmis.EINVALID, "no password hash given")
	}
	return nil
}

// setPasswordHash stores a user's password hash, ends their sessions and
// records the change, without the hash, in the audit trail.
func setPasswordHash(tx *Tx, u *tcmis.User, hash string) error {
	had, err := tx.count(`SELECT COUNT(*) FROM user_passwords WHERE user_id = ?`, u.ID)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO user_passwords (user_id, hash, changed_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, changed_at = excluded.changed_at`,
		u.ID, hash, tx.moment(tx.now)); err != nil {
		return err
	}
	res, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID)
	if err != nil {
		return err
	}
	ended, _ := res.RowsAffected()
	action := tcmis.ActionUpdate
	if had == 0 {
		action = tcmis.ActionCreate
	}
	return tx.audit("password", u.ID, action, nil, passwordChange{UserID: u.ID, Email: u.Email, SessionsEnded: ended})
}

// passwordChange is what the audit trail says about a new password.
type passwordChange struct {
	UserID        int64  `json:"user_id"`
	Email         string `json:"email"`
	SessionsEnded int64  `json:"sessions_ended"`
}

// FindPasswordHash returns the user with this e-mail address, disabled or
// not, and its password hash ("" when none is set); ENOTFOUND when there
// is no such user.
func (db *DB) FindPasswordHash(ctx context.Context, email string) (*tcmis.User, string, error) {
	var (
		u    *tcmis.User
		hash string
	)
	err := db.view(ctx, func(tx *Tx) error {
		us, _, err := findUsers(tx, tcmis.UserFilter{Email: &email})
		if err != nil {
			return err
		} else if len(us) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "no user has the e-mail address %s", strings.ToLower(strings.TrimSpace(email)))
		}
		u = us[0]
		err = tx.queryRow(`SELECT hash FROM user_passwords WHERE user_id = ?`, u.ID).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, hash, nil
}

// CreateSession stores a new session. A zero CreatedAt is now; a zero
// LastSeen is CreatedAt.
func (db *DB) CreateSession(ctx context.Context, s *tcmis.Session) error {
	if s.TokenHash == "" {
		return tcmis.Errorf(tcmis.EINVALID, "a session needs a token hash")
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := findUserByID(tx, s.UserID); err != nil {
			return err
		}
		if s.CreatedAt.IsZero() {
			s.CreatedAt = tx.now
		}
		if s.LastSeen.IsZero() {
			s.LastSeen = s.CreatedAt
		}
		s.CreatedAt, s.ExpiresAt, s.LastSeen = instant(s.CreatedAt), instant(s.ExpiresAt), instant(s.LastSeen)
		if !s.ExpiresAt.After(s.CreatedAt) {
			return tcmis.Errorf(tcmis.EINVALID, "a session must end after it starts")
		}
		_, err := tx.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen, user_agent, address) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.TokenHash, s.UserID, tx.moment(s.CreatedAt), tx.moment(s.ExpiresAt), tx.moment(s.LastSeen), s.UserAgent, s.Address)
		return constraintError(err, "a session with this token")
	})
}

// FindSession returns the session with this token hash and its user;
// ENOTFOUND when there is none, it has expired at now, or its user is
// disabled. The idle timeout is the auth package's rule: LastSeen is
// returned for it.
func (db *DB) FindSession(ctx context.Context, tokenHash string, now time.Time) (*tcmis.Session, *tcmis.User, error) {
	var (
		s tcmis.Session
		u *tcmis.User
	)
	err := db.view(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT s.token_hash, s.user_id, s.created_at, s.expires_at, s.last_seen, s.user_agent, s.address
			FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled`, tokenHash, tx.moment(now)).
			Scan(&s.TokenHash, &s.UserID, scanTime(&s.CreatedAt), scanTime(&s.ExpiresAt), scanTime(&s.LastSeen), &s.UserAgent, &s.Address)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoSession
		} else if err != nil {
			return err
		}
		u, err = findUserByID(tx, s.UserID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &s, u, nil
}

var errNoSession = tcmis.Errorf(tcmis.ENOTFOUND, "session not found or ended")

// TouchSession records that a session was used at now.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, tx.moment(now), tokenHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoSession
		}
		return nil
	})
}

// DeleteSession ends a session: signing out. ENOTFOUND when there is no
// such session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoSession
		}
		return nil
	})
}

// PurgeSessions deletes, in one transaction, the sessions that ended at
// or before now and the sign-in attempts made before attemptsBefore, and
// says how many of each went. Nothing else reads them: FindSession skips
// an ended session and CountFailedSignIns looks back over a short window.
func (db *DB) PurgeSessions(ctx context.Context, now, attemptsBefore time.Time) (sessions, attempts int, err error) {
	err = db.update(ctx, func(tx *Tx) error {
		s, err := tx.exec(`DELETE FROM sessions WHERE expires_at <= ?`, tx.moment(now))
		if err != nil {
			return err
		}
		a, err := tx.exec(`DELETE FROM sign_in_attempts WHERE at < ?`, tx.moment(attemptsBefore))
		if err != nil {
			return err
		}
		ns, err := s.RowsAffected()
		if err != nil {
			return err
		}
		na, err := a.RowsAffected()
		sessions, attempts = int(ns), int(na)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return sessions, attempts, nil
}

var apiTokenColumns = "id, user_id, name, prefix, token_hash, created_at, expires_at, last_used"

// CreateAPIToken stores a new API token and sets its ID and, unless
// given, the time it was created. A zero ExpiresAt never expires. The
// audit trail records the token without its hash.
func (db *DB) CreateAPIToken(ctx context.Context, t *tcmis.APIToken) error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "API token is not valid", Problems: []tcmis.Problem{{Field: "name", Message: "the token needs a name"}}}
	case t.TokenHash == "" || t.Prefix == "":
		return tcmis.Errorf(tcmis.EINVALID, "an API token needs a hash and a prefix")
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := findUserByID(tx, t.UserID); err != nil {
			return err
		}
		if t.CreatedAt.IsZero() {
			t.CreatedAt = tx.now
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsed = instant(t.CreatedAt), instant(t.ExpiresAt), instant(t.LastUsed)
		if !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(t.CreatedAt) {
			return tcmis.Errorf(tcmis.EINVALID, "an API token must expire after it is made")
		}
		id, err := tx.insert(`INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at, last_used) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.UserID, t.Name, t.Prefix, t.TokenHash, tx.moment(t.CreatedAt), tx.optMoment(t.ExpiresAt), tx.optMoment(t.LastUsed))
		if err != nil {
			return constraintError(err, "an API token with this secret")
		}
		t.ID = id
		return tx.audit("api-token", id, tcmis.ActionCreate, nil, t)
	})
}

// FindAPIToken returns the token with this hash and its user; ENOTFOUND
// when there is none, it has expired at now, or its user is disabled. It
// records the use in LastUsed, at most once a minute so that busy API
// clients do not write on every request.
func (db *DB) FindAPIToken(ctx context.Context, tokenHash string, now time.Time) (*tcmis.APIToken, *tcmis.User, error) {
	var (
		t *tcmis.APIToken
		u *tcmis.User
	)
	err := db.view(ctx, func(tx *Tx) error {
		ts, err := findAPITokens(tx, `t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?) AND NOT u.disabled`, tokenHash, tx.moment(now))
		if err != nil {
			return err
		} else if len(ts) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "API token not found or expired")
		}
		t = ts[0]
		u, err = findUserByID(tx, t.UserID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	now = instant(now)
	if t.LastUsed.IsZero() || now.Sub(t.LastUsed) >= time.Minute {
		err = db.update(ctx, func(tx *Tx) error {
			_, err := tx.exec(`UPDATE api_tokens SET last_used = ? WHERE id = ?`, tx.moment(now), t.ID)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		t.LastUsed = now
	}
	return t, u, nil
}

// FindAPITokens returns a user's API tokens, expired ones too, oldest
// first.
func (db *DB) FindAPITokens(ctx context.Context, userID int64) ([]*tcmis.APIToken, error) {
	var ts []*tcmis.APIToken
	err := db.view(ctx, func(tx *Tx) (err error) {
		ts, err = findAPITokens(tx, `t.user_id = ?`, userID)
		return err
	})
	return ts, err
}

// DeleteAPIToken revokes an API token; ENOTFOUND when there is none.
func (db *DB) DeleteAPIToken(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		ts, err := findAPITokens(tx, `t.id = ?`, id)
		if err != nil {
			return err
		} else if len(ts) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "API token %d not found", id)
		}
		return tx.remove("api_tokens", "api-token", id, ts[0])
	})
}

func findAPITokens(tx *Tx, cond string, args ...any) ([]*tcmis.APIToken, error) {
	rows, err := tx.query(`SELECT t.`+strings.ReplaceAll(apiTokenColumns, ", ", ", t.")+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE `+cond+` ORDER BY t.created_at, t.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tcmis.APIToken
	for rows.Next() {
		var t tcmis.APIToken
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.TokenHash, scanTime(&t.CreatedAt), scanTime(&t.ExpiresAt), scanTime(&t.LastUsed)); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RecordSignIn stores a sign-in attempt; a zero At is now. The e-mail
// address is kept as typed, in lower case, whether or not a user has it.
func (db *DB) RecordSignIn(ctx context.Context, a tcmis.SignInAttempt) error {
	return db.update(ctx, func(tx *Tx) error {
		if a.At.IsZero() {
			a.At = tx.now
		}
		_, err := tx.exec(`INSERT INTO sign_in_attempts (email, address, at, ok) VALUES (?, ?, ?, ?)`,
			normalEmail(a.Email), a.Address, tx.moment(a.At), a.OK)
		return err
	})
}

// CountFailedSignIns counts the failed attempts since a time for the
// e-mail address or from the network address. An empty argument matches
// nothing, so that each can be counted on its own.
func (db *DB) CountFailedSignIns(ctx context.Context, email, address string, since time.Time) (int, error) {
	email = normalEmail(email)
	var either []string
	var args []any
	if email != "" {
		either, args = append(either, "email = ?"), append(args, email)
	}
	if address != "" {
		either, args = append(either, "address = ?"), append(args, address)
	}
	if len(either) == 0 {
		return 0, nil
	}
	var n int
	err := db.view(ctx, func(tx *Tx) (err error) {
		n, err = tx.count(`SELECT COUNT(*) FROM sign_in_attempts WHERE NOT ok AND at >= ? AND (`+strings.Join(either, " OR ")+`)`,
			append([]any{tx.moment(since)}, args...)...)
		return err
	})
	return n, err
}

func normalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// instant is an instant as both engines keep it: UTC, to the microsecond.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// sqliteMoment is the fixed-width text SQLite keeps the auth tables' times
// in, so that comparing the texts compares the times (RFC 3339 with its
// variable fraction does not: "12:00:00Z" sorts after "12:00:00.5Z").
const sqliteMoment = "2006-01-02T15:04:05.000000Z07:00"

// moment turns an instant into what the auth tables compare in SQL.
func (tx *Tx) moment(t time.Time) any {
	t = instant(t)
	if tx.db.engine == Postgres {
		return t
	}
	return t.Format(sqliteMoment)
}

// optMoment is moment for an optional instant: NULL when zero.
func (tx *Tx) optMoment(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return tx.moment(t)
}
