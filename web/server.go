package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
)

// Config is what the application needs from its program.
type Config struct {
	Store tcmis.Store
	Auth  *auth.Service
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// HTTPS marks cookies Secure; set it when users reach the
	// application over HTTPS.
	HTTPS bool
	// TrustProxy takes the client's address from X-Forwarded-For.
	TrustProxy bool
	// Now is the clock (for tests); nil is time.Now.
	Now func() time.Time
	// OIDC, when set, offers single sign-on through an OpenID Connect
	// provider on the sign-in page.
	OIDC *auth.OIDC
	// LoadDemo loads the demo portfolio into an empty database. When it
	// is set, the first-run page offers it.
	LoadDemo func(ctx context.Context) error
}

// Server serves the pages.
type Server struct {
	cfg    Config
	store  tcmis.Store
	views  *views
	mux    *http.ServeMux
	routes []Route
	// hasUsers becomes true once the database has a user: the
	// first-run page is then closed for good.
	hasUsers atomic.Bool
	reports  reportCache
	// jobs are the IATI imports and validations running in the
	// background (jobs.go).
	jobs *jobs
}

// New prepares the templates and routes.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v, err := loadViews()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: cfg.Store, views: v, mux: http.NewServeMux(), jobs: newJobs(cfg.Now)}
	s.register()
	return s, nil
}

// ServeHTTP serves a page. The request must have passed through the auth
// middleware, which tells who is signed in.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Routes lists every route with the permission it needs, for the
// permission tests and the documentation.
func (s *Server) Routes() []Route { return s.routes }
