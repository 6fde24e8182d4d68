package web

import (
	"net/http"
	"strings"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/httpx"
)

// user is who is signed in, or nil.
func (s *Server) user(r *http.Request) *tcmis.User { return auth.UserFrom(r.Context()) }

type signInData struct {
	Email string
	Next  string
	// SSO names the single sign-on provider; "" when there is none.
	SSO string
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	if s.firstRun(r) {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return nil
	}
	next := localPath(r.URL.Query().Get("next"), "/")
	if u != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "signin", s.newPage(w, r, nil, "Sign in", "", signInData{Next: next, SSO: s.ssoLabel()}))
	return nil
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request, _ *tcmis.User) error {
	d := signInData{Email: strings.TrimSpace(r.PostFormValue("email")), Next: localPath(r.PostFormValue("next"), "/"), SSO: s.ssoLabel()}
	token, _, err := s.cfg.Auth.SignIn(r.Context(), d.Email, r.PostFormValue("password"),
		httpx.ClientAddress(r, s.cfg.TrustProxy), r.UserAgent())
	if err != nil {
		p := s.newPage(w, r, nil, "Sign in", "", d)
		if err := formProblems(p, err); err != nil && tcmis.ErrorCode(err) != tcmis.EFORBIDDEN {
			return err
		} else if err != nil {
			p.Error = tcmis.ErrorMessage(err)
		}
		status := http.StatusUnauthorized
		if tcmis.ErrorCode(err) == tcmis.EFORBIDDEN {
			status = http.StatusTooManyRequests
		}
		s.render(w, r, status, "signin", p)
		return nil
	}
	auth.SetSessionCookie(w, token, s.cfg.HTTPS, s.cfg.Auth.SessionTTL)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, _ *tcmis.User) error {
	if c, err := r.Cookie(auth.CookieName); err == nil {
		if err := s.cfg.Auth.SignOut(r.Context(), c.Value); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
			return err
		}
	}
	auth.ClearSessionCookie(w, s.cfg.HTTPS)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
