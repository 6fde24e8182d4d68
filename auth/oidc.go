package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/httpx"
)

// OIDCConfig describes the OpenID Connect provider through which users
// may sign in instead of typing a password.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, from which its configuration
	// is discovered (/.well-known/openid-configuration); the ID tokens
	// must name exactly this issuer.
	Issuer string
	// ClientID and ClientSecret are tcmis's registration with the
	// provider; the ID tokens must be meant for ClientID. The secret may
	// be empty for a provider that accepts public clients (PKCE alone).
	ClientID, ClientSecret string
	// RedirectURL is the address of the callback page as the browser
	// reaches it, such as https://tcmis.example.org/signin/sso/callback;
	// it must be registered with the provider as it is.
	RedirectURL string
	// Scopes asked for; nil is "openid email profile" ("openid" is
	// always asked for).
	Scopes []string
	// ButtonLabel names the provider on the sign-in page ("Sign in with
	// ButtonLabel"); empty is "single sign-on".
	ButtonLabel string
	// TrustProxy takes the client's address from X-Forwarded-For, for the
	// record of sign-in attempts.
	TrustProxy bool
}

// OIDC signs users in through an OpenID Connect provider with the
// authorisation code flow, PKCE and a nonce. It only signs in users who
// already have a tcmis account with the e-mail address that the provider
// vouches for: accounts are never created here.
type OIDC struct {
	cfg      OIDCConfig
	svc      *Service
	client   *http.Client
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	// key signs the cookie that carries the state, nonce and PKCE
	// verifier from Start to Finish. It is made anew at each start of the
	// program: a sign-in under way when tcmis restarts has to begin again.
	key []byte
	// cookiePath limits the cookie to the callback page.
	cookiePath string
	secure     bool
}

// stateCookie holds what must come back unchanged from the provider.
const stateCookie = "tcmis_sso"

// ssoTimeout is how long a user has to sign in at the provider.
const ssoTimeout = 10 * time.Minute

// NewOIDC discovers the provider's configuration and keys and returns the
// sign-in through it.
func NewOIDC(ctx context.Context, cfg OIDCConfig, s *Service) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("single sign-on needs the issuer, the client ID and the redirect URL")
	}
	ru, err := url.Parse(cfg.RedirectURL)
	if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" {
		return nil, fmt.Errorf("single sign-on: the redirect URL %q is not an absolute http(s) URL", cfg.RedirectURL)
	}
	o := &OIDC{
		cfg: cfg, svc: s,
		client:     &http.Client{Timeout: 20 * time.Second},
		key:        make([]byte, 32),
		cookiePath: ru.EscapedPath(),
		secure:     ru.Scheme == "https",
	}
	if o.cookiePath == "" {
		o.cookiePath = "/"
	}
	if _, err := rand.Read(o.key); err != nil {
		return nil, err
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: cannot discover the provider %s: %w", cfg.Issuer, err)
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{"email", "profile"}
	}
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	o.oauth = oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: cfg.RedirectURL, Scopes: scopes,
	}
	o.verifier = p.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: s.now})
	return o, nil
}

// Label is the provider's name for the sign-in button.
func (o *OIDC) Label() string {
	if o.cfg.ButtonLabel != "" {
		return o.cfg.ButtonLabel
	}
	return "single sign-on"
}

// flow is what Start keeps in the signed cookie for Finish.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"`
}

// Start sends the browser to the provider to sign in, remembering in a
// short-lived cookie the state, the nonce and the PKCE verifier, and next,
// where to go once signed in (the caller makes sure it is a local path).
func (o *OIDC) Start(w http.ResponseWriter, r *http.Request, next string) {
	f := flow{Next: next, Verifier: oauth2.GenerateVerifier(), Expires: o.svc.now().Add(ssoTimeout).Unix()}
	var err error
	if f.State, err = randomToken(); err == nil {
		f.Nonce, err = randomToken()
	}
	if err != nil {
		// crypto/rand does not fail on the systems Go supports.
		http.Error(w, "cannot make a random value", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: o.seal(f), Path: o.cookiePath, MaxAge: int(ssoTimeout / time.Second),
		HttpOnly: true, Secure: o.secure, SameSite: http.SameSiteLaxMode,
	})
	target := o.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	http.Redirect(w, r, target, http.StatusFound)
}

// ClearCookie removes the cookie of a sign-in under way; the callback
// calls it whatever the outcome, so that a state serves once.
func (o *OIDC) ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: "", Path: o.cookiePath, MaxAge: -1,
		HttpOnly: true, Secure: o.secure, SameSite: http.SameSiteLaxMode,
	})
}

// Finish completes a sign-in on the callback request: it checks the state
// against the cookie, exchanges the code (with the PKCE verifier) for an
// ID token, verifies the token (signature, issuer, audience, expiry,
// nonce), and opens a session for the tcmis user with the token's e-mail
// address, which the provider must say it has verified. It returns the
// session token, the user and where to go next.
//
// A sign-in that cannot be trusted fails with EINVALID; a person the
// provider knows but who may not use tcmis (no account, or a disabled
// one) with EFORBIDDEN. Each attempt that gets as far as an e-mail
// address is recorded like a password sign-in.
func (o *OIDC) Finish(ctx context.Context, r *http.Request) (token string, u *tcmis.User, next string, err error) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "the identity provider did not sign you in (%s)", clip(e, 64))
	}
	f, err := o.flowFrom(r)
	if err != nil {
		return "", nil, "", err
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the answer does not belong to the sign-in this browser started; please try again")
	}
	code := q.Get("code")
	if code == "" {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the identity provider sent no authorisation code")
	}
	ctx = oidc.ClientContext(ctx, o.client)
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the identity provider did not accept the authorisation code (%s)", clip(re.ErrorCode, 64))
		}
		return "", nil, "", fmt.Errorf("single sign-on: exchanging the code at %s: %w", o.cfg.Issuer, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the identity provider sent no ID token")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the ID token is not valid (%v)", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the ID token was not issued for this sign-in (nonce)")
	}
	var claims struct {
		Email    string          `json:"email"`
		Verified json.RawMessage `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: cannot read the ID token's claims (%v)", err)
	}
	email := strings.ToLower(strings.TrimSpace(claims.Email))
	if email == "" {
		return "", nil, "", tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the identity provider did not give your e-mail address (ask for the \"email\" scope)")
	}
	now := o.svc.now()
	attempt := tcmis.SignInAttempt{Email: email, Address: httpx.ClientAddress(r, o.cfg.TrustProxy), At: now}
	if !verified(claims.Verified) {
		// An address nobody has proved to own says nothing about who
		// signs in, and must not count against the real owner's account.
		attempt.Email = ""
		if err := o.svc.Store.RecordSignIn(ctx, attempt); err != nil {
			return "", nil, "", err
		}
		return "", nil, "", tcmis.Errorf(tcmis.EFORBIDDEN, "single sign-on refused: the identity provider has not verified the e-mail address %s", email)
	}
	u, err = o.user(ctx, email)
	if err != nil {
		if tcmis.ErrorCode(err) == tcmis.EFORBIDDEN {
			if rerr := o.svc.Store.RecordSignIn(ctx, attempt); rerr != nil {
				return "", nil, "", rerr
			}
		}
		return "", nil, "", err
	}
	attempt.OK = true
	if err := o.svc.Store.RecordSignIn(ctx, attempt); err != nil {
		return "", nil, "", err
	}
	token, err = o.svc.openSession(ctx, u.ID, now, attempt.Address, r.UserAgent())
	if err != nil {
		return "", nil, "", err
	}
	return token, u, f.Next, nil
}

// user finds the enabled tcmis account of an e-mail address.
func (o *OIDC) user(ctx context.Context, email string) (*tcmis.User, error) {
	users, _, err := o.svc.Store.FindUsers(ctx, tcmis.UserFilter{Email: &email, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, tcmis.Errorf(tcmis.EFORBIDDEN, "no tcmis account for %s; ask an administrator", email)
	}
	if users[0].Disabled {
		return nil, tcmis.Errorf(tcmis.EFORBIDDEN, "the tcmis account of %s is disabled; ask an administrator", email)
	}
	return users[0], nil
}

// verified reads email_verified, which some providers send as the string
// "true" rather than a boolean.
func verified(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && strings.EqualFold(s, "true")
}

// seal encodes a flow with its HMAC.
func (o *OIDC) seal(f flow) string {
	b, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(o.mac(payload))
}

func (o *OIDC) mac(payload string) []byte {
	m := hmac.New(sha256.New, o.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// flowFrom returns the flow of the request's cookie once its HMAC and
// its age are checked.
func (o *OIDC) flowFrom(r *http.Request) (flow, error) {
	var f flow
	c, err := r.Cookie(stateCookie)
	if err != nil || c.Value == "" {
		return f, tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: this browser did not start the sign-in, or took too long; please try again")
	}
	payload, sig, ok := strings.Cut(c.Value, ".")
	got, derr := base64.RawURLEncoding.DecodeString(sig)
	if !ok || derr != nil || !hmac.Equal(got, o.mac(payload)) {
		return f, tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the sign-in cookie has been altered, or tcmis restarted since the sign-in began; please try again")
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(b, &f) != nil {
		return f, tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the sign-in cookie cannot be read; please try again")
	}
	if o.svc.now().Unix() > f.Expires {
		return f, tcmis.Errorf(tcmis.EINVALID, "single sign-on refused: the sign-in took more than %d minutes; please try again", int(ssoTimeout/time.Minute))
	}
	return f, nil
}
