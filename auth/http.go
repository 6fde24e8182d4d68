package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// CookieName is the cookie that holds a browser's session token.
const CookieName = "tcmis_session"

type userKey struct{}

// WithUser returns a context in which u is the signed-in user.
func WithUser(ctx context.Context, u *tcmis.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the signed-in user of a request's context, or nil when
// the request is anonymous.
func UserFrom(ctx context.Context) *tcmis.User {
	u, _ := ctx.Value(userKey{}).(*tcmis.User)
	return u
}

// Middleware finds who makes each request, from the session cookie or an
// "Authorization: Bearer <secret>" API token, and puts the user in the
// request's context (UserFrom) and as the actor of the changes the
// request makes. It never refuses a request: a request without a valid
// session or token goes on anonymous, and each handler decides what an
// anonymous user may do.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := s.requestUser(r); u != nil {
			ctx := WithUser(r.Context(), u)
			ctx = tcmis.WithActor(ctx, tcmis.Actor{UserID: u.ID, Name: u.Email})
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Service) requestUser(r *http.Request) *tcmis.User {
	ctx := r.Context()
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		u, err := s.SessionUser(ctx, c.Value)
		if err == nil {
			return u
		}
		s.logError(r, "session", err)
	}
	if secret, ok := bearer(r); ok {
		u, err := s.TokenUser(ctx, secret)
		if err == nil {
			return u
		}
		s.logError(r, "API token", err)
	}
	return nil
}

// logError logs what is neither a missing nor an ended session or token:
// the store failing.
func (s *Service) logError(r *http.Request, what string, err error) {
	if tcmis.ErrorCode(err) == tcmis.EINTERNAL {
		s.logger().ErrorContext(r.Context(), "cannot check "+what, "path", r.URL.Path, "err", err)
	}
}

// bearer returns the secret of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, bool) {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	secret = strings.TrimSpace(secret)
	return secret, secret != ""
}

// SetSessionCookie gives the browser its session token, for ttl (0: until
// the browser closes). The cookie is out of reach of scripts (HttpOnly),
// not sent with cross-site posts (SameSite=Lax), and, when secure, sent
// over HTTPS only.
func SetSessionCookie(w http.ResponseWriter, token string, secure bool, ttl time.Duration) {
	c := &http.Cookie{
		Name: CookieName, Value: token, Path: "/",
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	if ttl > 0 {
		c.MaxAge = int(ttl / time.Second)
	}
	http.SetCookie(w, c)
}

// ClearSessionCookie tells the browser to forget its session token.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}
