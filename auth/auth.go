package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/tcmis/tcmis"
)

// Service signs users in against a store. Its fields are the rules; New
// sets the usual ones and tests change them.
type Service struct {
	Store tcmis.Store
	// Now returns the current time; nil is time.Now.
	Now func() time.Time
	// SessionTTL is how long a session lasts at most; IdleTimeout ends it
	// sooner when it is not used (0: no idle limit).
	SessionTTL, IdleTimeout time.Duration
	// MaxFailures failed sign-ins for one e-mail address, or
	// MaxAddressFailures from one network address, within FailureWindow
	// refuse further attempts until the window has passed (0: no limit).
	MaxFailures        int
	MaxAddressFailures int
	FailureWindow      time.Duration
	// Logger receives the store errors that the middleware cannot return
	// (nil: slog.Default()).
	Logger *slog.Logger
}

// New returns a service with the usual rules: sessions of 12 hours that
// end after 2 idle hours; 5 failed sign-ins per e-mail address and 20 per
// network address in 15 minutes.
func New(store tcmis.Store) *Service {
	return &Service{
		Store:              store,
		SessionTTL:         12 * time.Hour,
		IdleTimeout:        2 * time.Hour,
		MaxFailures:        5,
		MaxAddressFailures: 20,
		FailureWindow:      15 * time.Minute,
	}
}

// TokenPrefix starts every API token secret, so that a secret pasted
// where it should not be is recognisable (and secret scanners find it).
const TokenPrefix = "tcmis_"

// touchEvery is how often a session's LastSeen is written at most.
const touchEvery = time.Minute

var errWrongPassword = tcmis.Errorf(tcmis.EINVALID, "wrong e-mail or password")

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// SignIn checks an e-mail address and password and opens a session,
// returning its token (for the cookie) and the user. Every failure is the
// same EINVALID "wrong e-mail or password", whether the address is
// unknown, the password wrong or the account disabled, and takes as long,
// so that nobody learns which addresses have accounts. After too many
// failures it refuses with EFORBIDDEN before looking at the password.
// address and userAgent describe the client, for the limits and for the
// user's list of sessions.
func (s *Service) SignIn(ctx context.Context, email, password, address, userAgent string) (token string, u *tcmis.User, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.now()
	if err := s.checkFailures(ctx, email, address, now); err != nil {
		return "", nil, err
	}
	u, hash, err := s.Store.FindPasswordHash(ctx, email)
	if err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		return "", nil, err
	}
	ok := false
	if len(password) > 4*MaxPasswordLength {
		// Too long to be any stored password: not worth hashing.
	} else if u == nil || hash == "" {
		CheckPassword(dummyHash(), password) // spend the same time
	} else if ok, err = CheckPassword(hash, password); err != nil {
		return "", nil, fmt.Errorf("password of user %d: %w", u.ID, err)
	}
	ok = ok && !u.Disabled
	if err := s.Store.RecordSignIn(ctx, tcmis.SignInAttempt{Email: email, Address: address, At: now, OK: ok}); err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, errWrongPassword
	}
	token, err = s.openSession(ctx, u.ID, now, address, userAgent)
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// openSession opens a session for a user who has proved who they are
// (by password or through single sign-on) and returns its token; the
// store keeps only the token's hash.
func (s *Service) openSession(ctx context.Context, userID int64, now time.Time, address, userAgent string) (string, error) {
	token, err := randomToken()
	if err != nil {
		return "", err
	}
	sess := &tcmis.Session{
		TokenHash: HashToken(token), UserID: userID,
		CreatedAt: now, ExpiresAt: now.Add(s.SessionTTL), LastSeen: now,
		UserAgent: clip(userAgent, 256), Address: clip(address, 64),
	}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", err
	}
	return token, nil
}

// checkFailures refuses a sign-in when the e-mail address or the network
// address has failed too often lately. Refused attempts are not recorded:
// the limit lifts when the window has passed since the failures.
func (s *Service) checkFailures(ctx context.Context, email, address string, now time.Time) error {
	since := now.Add(-s.FailureWindow)
	for _, c := range []struct {
		email, address string
		max            int
	}{{email, "", s.MaxFailures}, {"", address, s.MaxAddressFailures}} {
		if c.max <= 0 || c.email+c.address == "" {
			continue
		}
		n, err := s.Store.CountFailedSignIns(ctx, c.email, c.address, since)
		if err != nil {
			return err
		}
		if n >= c.max {
			minutes := int(math.Ceil(s.FailureWindow.Minutes()))
			return tcmis.Errorf(tcmis.EFORBIDDEN, "too many failed sign-ins; try again in %d minutes", minutes)
		}
	}
	return nil
}

var dummy struct {
	once sync.Once
	hash string
}

// dummyHash is a hash with the parameters of real ones, to check a
// password against when the user has none.
func dummyHash() string {
	dummy.once.Do(func() {
		dummy.hash, _ = HashPassword("no user has this password")
	})
	return dummy.hash
}

// SignOut ends the session of a token; ENOTFOUND when there is none.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return tcmis.Errorf(tcmis.ENOTFOUND, "session not found or ended")
	}
	return s.Store.DeleteSession(ctx, HashToken(token))
}

// SessionUser returns the user signed in with a session token: ENOTFOUND
// when the session does not exist, has expired or has been idle too long
// (it is then ended), or the user is disabled. It records the use at most
// once a minute.
func (s *Service) SessionUser(ctx context.Context, token string) (*tcmis.User, error) {
	if token == "" {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "session not found or ended")
	}
	now := s.now()
	hash := HashToken(token)
	sess, u, err := s.Store.FindSession(ctx, hash, now)
	if err != nil {
		return nil, err
	}
	idle := now.Sub(sess.LastSeen)
	if s.IdleTimeout > 0 && idle >= s.IdleTimeout {
		if err := s.Store.DeleteSession(ctx, hash); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
			return nil, err
		}
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "session ended after %s without use", s.IdleTimeout)
	}
	if idle >= touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// NewAPIToken issues an API token for a user, named so the user can tell
// their tokens apart, valid for ttl (0: until deleted). The secret is
// returned once and never stored: only its hash and its first characters
// (the token's Prefix) are.
func (s *Service) NewAPIToken(ctx context.Context, userID int64, name string, ttl time.Duration) (secret string, t *tcmis.APIToken, err error) {
	if ttl < 0 {
		return "", nil, tcmis.Errorf(tcmis.EINVALID, "an API token cannot expire before it is made")
	}
	r, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	secret = TokenPrefix + r
	now := s.now()
	t = &tcmis.APIToken{
		UserID: userID, Name: name, Prefix: secret[:len(TokenPrefix)+6],
		TokenHash: HashToken(secret), CreatedAt: now,
	}
	if ttl > 0 {
		t.ExpiresAt = now.Add(ttl)
	}
	if err := s.Store.CreateAPIToken(ctx, t); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// TokenUser returns the user of an API token secret: ENOTFOUND when the
// token does not exist, has expired, or its user is disabled.
func (s *Service) TokenUser(ctx context.Context, secret string) (*tcmis.User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "API token not found or expired")
	}
	_, u, err := s.Store.FindAPIToken(ctx, HashToken(secret), s.now())
	return u, err
}

// SetPassword gives a user a new password, once it is strong enough, and
// ends the user's sessions.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	u, err := s.Store.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if err := CheckPasswordStrength(password, u.Email); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.SetPasswordHash(ctx, userID, hash)
}

// KeepSignInAttempts is how long sign-in attempts are kept: the limits
// read only the last FailureWindow (15 minutes), but a day leaves a wide
// margin and lets an administrator look at yesterday's failures. A longer
// FailureWindow keeps them as long as it.
const KeepSignInAttempts = 24 * time.Hour

// PurgeSessions deletes the sessions that have expired and the sign-in
// attempts older than KeepSignInAttempts, and says how many of each went.
// A session ended by IdleTimeout but never presented again goes when it
// expires.
func (s *Service) PurgeSessions(ctx context.Context) (sessions, attempts int, err error) {
	now := s.now()
	return s.Store.PurgeSessions(ctx, now, now.Add(-max(KeepSignInAttempts, s.FailureWindow)))
}

// AddUser creates a user who signs in with password. Both are checked
// before the password is hashed, so bad input costs no hashing and shows
// every problem at once; the store then keeps the user and the hash
// together or neither.
func (s *Service) AddUser(ctx context.Context, u *tcmis.User, password string) error {
	userErr := u.Validate() // also puts the e-mail address in lower case
	pwErr := CheckPasswordStrength(password, u.Email)
	if userErr != nil || pwErr != nil {
		return joinInvalid("user "+u.Email+" is not valid", userErr, pwErr)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.CreateUserWithPassword(ctx, u, hash)
}

// joinInvalid merges the problems of EINVALID errors into one, so that a
// form shows everything wrong at once; any other error is returned as is.
func joinInvalid(msg string, errs ...error) error {
	var ps []tcmis.Problem
	for _, err := range errs {
		if err == nil {
			continue
		}
		p := tcmis.ErrorProblems(err)
		if tcmis.ErrorCode(err) != tcmis.EINVALID || len(p) == 0 {
			return err
		}
		ps = append(ps, p...)
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: msg, Problems: ps}
}

// HashToken is what the store keeps of a session token or API secret:
// its SHA-256, in hexadecimal. The tokens are random and long, so a fast
// hash is enough.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// randomToken returns 32 random bytes in URL-safe base64.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
