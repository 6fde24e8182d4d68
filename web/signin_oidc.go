package web

import (
	"net/http"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
)

// Single sign-on through an OpenID Connect provider (Config.OIDC): the
// sign-in page links to ssoStart, which sends the browser to the
// provider; the provider sends it back to ssoCallback. Only users who
// already have an account sign in this way.

// ssoLabel names the provider on the sign-in page; "" when single
// sign-on is not configured.
func (s *Server) ssoLabel() string {
	if s.cfg.OIDC == nil {
		return ""
	}
	return s.cfg.OIDC.Label()
}

func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	next := localPath(r.URL.Query().Get("next"), "/")
	if u != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	s.cfg.OIDC.Start(w, r, next)
	return nil
}

func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request, _ *tcmis.User) error {
	o := s.cfg.OIDC
	token, _, next, err := o.Finish(r.Context(), r)
	o.ClearCookie(w) // each sign-in's state serves once, whatever came of it
	if err != nil {
		status := http.StatusUnauthorized
		switch tcmis.ErrorCode(err) {
		case tcmis.EFORBIDDEN:
			status = http.StatusForbidden
		case tcmis.EINVALID:
		default:
			return err
		}
		p := s.newPage(w, r, nil, "Sign in", "", signInData{Next: localPath(next, "/"), SSO: s.ssoLabel()})
		p.Error = tcmis.ErrorMessage(err)
		s.render(w, r, status, "signin", p)
		return nil
	}
	auth.SetSessionCookie(w, token, s.cfg.HTTPS, s.cfg.Auth.SessionTTL)
	http.Redirect(w, r, localPath(next, "/"), http.StatusSeeOther)
	return nil
}
