package tcmis

import (
	"context"
	"time"
)

// Session is a signed-in browser. The browser holds a random token; the
// store keeps only its SHA-256 hash (TokenHash), so a copy of the
// database does not let anyone sign in.
type Session struct {
	TokenHash string    `json:"-"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// LastSeen is when the session was last used, updated at most once a
	// minute; an idle session ends IdleTimeout after it.
	LastSeen  time.Time `json:"last_seen"`
	UserAgent string    `json:"user_agent,omitempty"`
	Address   string    `json:"address,omitempty"`
}

// APIToken lets another system use the JSON API as a user. Like a
// session, only the hash of its secret is stored; Prefix (the first
// characters of the secret) tells the user which token is which.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Prefix    string    `json:"prefix"`
	TokenHash string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	LastUsed  time.Time `json:"last_used,omitzero"`
}

// SignInAttempt is one try at signing in, kept so that repeated failures
// for an account or from an address are slowed down.
type SignInAttempt struct {
	Email   string
	Address string
	At      time.Time
	OK      bool
}

// AuthService keeps what lets users sign in: password hashes (computed by
// the auth package, argon2id), sessions, API tokens and sign-in attempts.
type AuthService interface {
	// SetPasswordHash stores the hash of a user's new password and ends
	// the user's sessions.
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	// CreateUserWithPassword creates a user, as UserService.CreateUser
	// does, with the hash of its password, in one transaction: both are
	// stored or neither.
	CreateUserWithPassword(ctx context.Context, u *User, hash string) error
	// FindPasswordHash returns the user with this e-mail and its password
	// hash ("" when none is set); ENOTFOUND when there is no such user.
	FindPasswordHash(ctx context.Context, email string) (*User, string, error)

	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns a session that has not expired and its user.
	FindSession(ctx context.Context, tokenHash string, now time.Time) (*Session, *User, error)
	TouchSession(ctx context.Context, tokenHash string, now time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// PurgeSessions deletes the sessions that ended at or before now and
	// the sign-in attempts made before attemptsBefore, and says how many
	// of each went.
	PurgeSessions(ctx context.Context, now, attemptsBefore time.Time) (sessions, attempts int, err error)

	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPIToken(ctx context.Context, tokenHash string, now time.Time) (*APIToken, *User, error)
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	DeleteAPIToken(ctx context.Context, id int64) error

	// RecordSignIn stores an attempt; CountFailedSignIns counts the
	// failures for the e-mail or from the address since a time.
	RecordSignIn(ctx context.Context, a SignInAttempt) error
	CountFailedSignIns(ctx context.Context, email, address string, since time.Time) (int, error)
}
