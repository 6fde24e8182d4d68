package web

import (
	"net/http"
	"strings"

	"github.com/tcmis/tcmis"
)

// firstRun reports whether the database has no user yet.
func (s *Server) firstRun(r *http.Request) bool {
	if s.hasUsers.Load() {
		return false
	}
	_, n, err := s.store.FindUsers(r.Context(), tcmis.UserFilter{Limit: 1})
	if err != nil || n > 0 {
		s.hasUsers.Store(err == nil)
		return false
	}
	return true
}

type setupData struct {
	Email, Name string
	Demo        bool
	CanDemo     bool
	Empty       bool
}

// setupForm asks for the first administrator account and offers the
// demo portfolio, on a database with no user.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	if !s.firstRun(r) {
		return notFound("first-run page: this database already has users")
	}
	d, err := s.setupData(r)
	if err != nil {
		return err
	}
	d.Demo = d.CanDemo
	s.render(w, r, http.StatusOK, "setup", s.newPage(w, r, nil, "Welcome to tcmis", "", d))
	return nil
}

func (s *Server) setupData(r *http.Request) (setupData, error) {
	_, n, err := s.store.FindProjects(r.Context(), tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		return setupData{}, err
	}
	return setupData{Empty: n == 0, CanDemo: n == 0 && s.cfg.LoadDemo != nil}, nil
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request, _ *tcmis.User) error {
	if !s.firstRun(r) {
		return notFound("first-run page: this database already has users")
	}
	d, err := s.setupData(r)
	if err != nil {
		return err
	}
	d.Email, d.Name = strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("name"))
	d.Demo = d.CanDemo && r.PostFormValue("demo") == "on"
	p := s.newPage(w, r, nil, "Welcome to tcmis", "", d)
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		p.Problems = map[string]string{"password2": p.T("The two passwords differ.")}
		p.Error = p.T("Some fields need your attention.")
		s.render(w, r, http.StatusUnprocessableEntity, "setup", p)
		return nil
	}
	admin := &tcmis.User{Email: d.Email, Name: d.Name, Role: tcmis.RoleAdmin}
	ctx := tcmis.WithActor(r.Context(), tcmis.Actor{Name: "setup"})
	if err := s.cfg.Auth.AddUser(ctx, admin, password); err != nil {
		if err := formProblems(p, err); err != nil {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity, "setup", p)
		return nil
	}
	s.hasUsers.Store(true)
	if d.Demo {
		if err := s.cfg.LoadDemo(ctx); err != nil {
			return err
		}
	}
	s.flash(w, p.T("Your administrator account is ready: sign in with it."))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}
