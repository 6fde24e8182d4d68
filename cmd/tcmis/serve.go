package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis/api"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/httpx"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/web"
)

// serveOptions are the flags of tcmis serve.
type serveOptions struct {
	addr       string
	https      bool
	trustProxy bool
	// oidc is the single sign-on provider (--oidc-*); its client secret
	// comes from TCMIS_OIDC_CLIENT_SECRET only, never from a flag that
	// other users of the machine could read.
	oidc auth.OIDCConfig
}

func (m *Main) serveCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web application and the JSON API",
		Long: `Run the web application (screens for the whole portfolio) and the JSON API
under /api/v1 (OpenAPI document at /api/v1/openapi.json).

On a database with no user, the first page asks for the first administrator
account and offers to load the demo portfolio; "tcmis user add" creates
accounts from the command line.

Put tcmis behind a reverse proxy that terminates HTTPS, and pass --https so
that cookies are marked Secure, and --trust-proxy so that sign-in limits see
the client's address from X-Forwarded-For.

With --oidc-issuer, users may also sign in through an OpenID Connect provider
(Keycloak, Microsoft Entra ID, Google...); the client secret is read from the
environment variable TCMIS_OIDC_CLIENT_SECRET. Accounts must exist in tcmis
with the e-mail address the provider verified (see doc/sso.md).

Ended sessions and sign-in attempts over a day old are deleted when the
server starts and every hour ("tcmis user purge-sessions" does it once).`,
		Example: "  tcmis serve\n  tcmis --db postgres://tcmis@db/tcmis serve --addr :8080 --https --trust-proxy",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.serve(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.addr, "addr", "localhost:8080", "address to listen on (host:port; :8080 for every interface)")
	cmd.Flags().BoolVar(&o.https, "https", false, "users reach tcmis over HTTPS: mark cookies Secure and send HSTS")
	cmd.Flags().BoolVar(&o.trustProxy, "trust-proxy", false, "take the client's address from X-Forwarded-For (behind a reverse proxy)")
	cmd.Flags().StringVar(&o.oidc.Issuer, "oidc-issuer", "", "single sign-on: issuer URL of the OpenID Connect provider (secret in TCMIS_OIDC_CLIENT_SECRET)")
	cmd.Flags().StringVar(&o.oidc.ClientID, "oidc-client-id", "", "single sign-on: tcmis's client ID at the provider")
	cmd.Flags().StringVar(&o.oidc.RedirectURL, "oidc-redirect-url", "", "single sign-on: callback URL registered at the provider (https://HOST/signin/sso/callback)")
	cmd.Flags().StringVar(&o.oidc.ButtonLabel, "oidc-label", "", `single sign-on: provider name on the sign-in page ("Sign in with LABEL")`)
	return cmd
}

// handler assembles the application: the web screens and the JSON API
// behind the sign-in middleware, cross-origin protection for forms,
// security headers and the request log.
func (m *Main) handler(ctx context.Context, db *sqldb.DB, authn *auth.Service, o serveOptions) (http.Handler, error) {
	sso, err := m.singleSignOn(ctx, o, authn)
	if err != nil {
		return nil, err
	}
	site, err := web.New(web.Config{
		Store: db, Auth: authn, Logger: m.Logger, HTTPS: o.https, TrustProxy: o.trustProxy, OIDC: sso,
		LoadDemo: func(ctx context.Context) error {
			_, err := demo.Load(ctx, db, demo.Options{})
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	apiHandler, err := api.New(api.Config{Store: db, Auth: authn, Logger: m.Logger})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", site)
	mux.Handle("/api/v1/", apiHandler)
	cop := http.NewCrossOriginProtection()
	return httpx.Log(m.Logger, httpx.Secure(o.https, cop.Handler(authn.Middleware(mux)))), nil
}

func (m *Main) serve(ctx context.Context, o serveOptions) error {
	db, err := m.store(ctx)
	if err != nil {
		return err
	}
	authn := auth.New(db)
	h, err := m.handler(ctx, db, authn, o)
	if err != nil {
		return err
	}
	// Ended sessions and old sign-in attempts are deleted at start, then
	// every purgeEvery until the server stops.
	m.purgeSessions(ctx, authn)
	purging, stopPurging := context.WithCancel(ctx)
	purged := make(chan struct{})
	go func() {
		defer close(purged)
		m.purgeSessionsEvery(purging, authn)
	}()
	defer func() {
		stopPurging()
		<-purged // the store is closed after serve returns
	}()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // IATI uploads can be large
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	addr := "http://" + ln.Addr().String()
	fmt.Fprintf(m.Stdout, "tcmis is serving %s (database %s). Stop it with Ctrl-C.\n", addr, displayDSN(m.DSN))
	if m.Serving != nil {
		m.Serving(addr)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(shutdown)
		if e := <-done; !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
		return err
	}
}

// purgeEvery is how often tcmis serve deletes ended sessions and old
// sign-in attempts: an hour's worth is a few rows, where nothing would
// ever delete them otherwise.
const purgeEvery = time.Hour

// purgeSessions deletes the ended sessions and old sign-in attempts and
// logs how many went, or why it could not: the server goes on either way.
func (m *Main) purgeSessions(ctx context.Context, authn *auth.Service) {
	sessions, attempts, err := authn.PurgeSessions(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.Logger.ErrorContext(ctx, "cannot delete ended sessions and old sign-in attempts", "err", err)
		}
		return
	}
	m.Logger.InfoContext(ctx, "deleted ended sessions and old sign-in attempts", "sessions", sessions, "sign_in_attempts", attempts)
}

// purgeSessionsEvery runs purgeSessions every purgeEvery until ctx ends.
func (m *Main) purgeSessionsEvery(ctx context.Context, authn *auth.Service) {
	tick := time.NewTicker(purgeEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			m.purgeSessions(ctx, authn)
		}
	}
}

// singleSignOn connects to the OpenID Connect provider of --oidc-issuer;
// nil when there is none.
func (m *Main) singleSignOn(ctx context.Context, o serveOptions, authn *auth.Service) (*auth.OIDC, error) {
	cfg := o.oidc
	if cfg.Issuer == "" {
		if cfg.ClientID != "" || cfg.RedirectURL != "" {
			return nil, errors.New("--oidc-client-id and --oidc-redirect-url need --oidc-issuer")
		}
		return nil, nil
	}
	if cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("--oidc-issuer needs --oidc-client-id and --oidc-redirect-url")
	}
	cfg.ClientSecret = m.Getenv("TCMIS_OIDC_CLIENT_SECRET")
	cfg.TrustProxy = o.trustProxy
	return auth.NewOIDC(ctx, cfg, authn)
}
