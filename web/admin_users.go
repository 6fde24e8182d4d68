package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// adminUserLine is a user in the list, with the names of its scope.
type adminUserLine struct {
	U     *tcmis.User
	Scope string
}

// adminUsers lists the users with their role, scope and state.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	users, _, err := s.store.FindUsers(r.Context(), tcmis.UserFilter{})
	if err != nil {
		return err
	}
	units, donors := map[int64]string{}, map[int64]string{}
	if err := s.unitNames(r, units); err != nil {
		return err
	}
	if err := s.donorNames(r, donors); err != nil {
		return err
	}
	var lines []adminUserLine
	for _, x := range users {
		l := adminUserLine{U: x}
		switch x.Role {
		case tcmis.RoleProgrammeOfficer:
			var ns []string
			for _, id := range x.UnitIDs {
				ns = append(ns, units[id])
			}
			l.Scope = strings.Join(ns, "; ")
		case tcmis.RoleDonorViewer:
			l.Scope = donors[x.DonorID]
		}
		lines = append(lines, l)
	}
	s.render(w, r, http.StatusOK, "adminusers", s.newPage(w, r, u, "Users", "admin", lines))
	return nil
}

// adminUserForm is the form of a new user or of a user's details, and on
// a user's page its password and API tokens.
type adminUserForm struct {
	New    bool
	U      *tcmis.User
	Roles  []tcmis.Role
	Units  []*tcmis.Unit
	Donors []*tcmis.Organisation
	// Scope are the units chosen for a programme officer.
	Scope  map[int64]bool
	Tokens []*tcmis.APIToken
	// Secret is a token just made, shown this once; TokenName its name.
	Secret, TokenName string
	// Now is when the page is made, to tell expired tokens.
	Now time.Time
}

func (s *Server) newAdminUserForm(r *http.Request, x *tcmis.User) (*adminUserForm, error) {
	d := &adminUserForm{New: x.ID == 0, U: x, Roles: tcmis.Roles(), Scope: map[int64]bool{}, Now: s.cfg.Now()}
	var err error
	if d.Units, _, err = s.store.FindUnits(r.Context(), tcmis.UnitFilter{}); err != nil {
		return nil, err
	}
	if d.Donors, _, err = s.store.FindOrganisations(r.Context(), tcmis.OrganisationFilter{}); err != nil {
		return nil, err
	}
	for _, id := range x.UnitIDs {
		d.Scope[id] = true
	}
	if !d.New {
		if d.Tokens, err = s.store.FindAPITokens(r.Context(), x.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// adminReadUser puts a user form's fields into x. The scope applies to
// the role that has it: units to a programme officer, a donor to a donor
// viewer; the other is dropped. Values that cannot be read are problems.
func adminReadUser(r *http.Request, x *tcmis.User) []tcmis.Problem {
	var ps []tcmis.Problem
	f := r.PostForm
	x.Name = strings.TrimSpace(f.Get("name"))
	x.Email = strings.TrimSpace(f.Get("email"))
	x.Role = tcmis.Role(f.Get("role"))
	x.UnitIDs, x.DonorID = nil, 0
	switch x.Role {
	case tcmis.RoleProgrammeOfficer:
		for _, v := range f["unit_ids"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				ps = append(ps, tcmis.Problem{Field: "unit_ids", Message: strconv.Quote(v) + " is not a unit"})
				continue
			}
			x.UnitIDs = append(x.UnitIDs, id)
		}
	case tcmis.RoleDonorViewer:
		x.DonorID = adminInt(f, "donor_id", &ps)
	}
	x.Disabled = f.Get("disabled") != ""
	return ps
}

// adminUserNew shows the form of a new user.
func (s *Server) adminUserNew(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	d, err := s.newAdminUserForm(r, &tcmis.User{Role: tcmis.RoleViewer})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "adminuser", s.newPage(w, r, u, "New user", "admin", d))
	return nil
}

// adminUserCreate adds a user who signs in with the password given.
func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	x := &tcmis.User{}
	ps := adminReadUser(r, x)
	x.Disabled = false
	password := r.PostForm.Get("password")
	if password != r.PostForm.Get("password2") {
		ps = append(ps, tcmis.Problem{Field: "password2", Message: "the two passwords differ"})
	}
	var err error
	if len(ps) > 0 {
		// Show the domain's messages too, without storing anything.
		err = x.Validate()
	} else {
		err = s.cfg.Auth.AddUser(r.Context(), x, password)
	}
	if err != nil || len(ps) > 0 {
		return s.adminUserFormAgain(w, r, u, x, "New user", ps, err)
	}
	s.flash(w, adminLangPage(r).T("User %s added.", x.Email))
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(x.ID, 10)+"/edit", http.StatusSeeOther)
	return nil
}

// adminUserFormAgain renders a user's form again with what was wrong; an
// e-mail address in use is shown on its field.
func (s *Server) adminUserFormAgain(w http.ResponseWriter, r *http.Request, u *tcmis.User, x *tcmis.User, title string, ps []tcmis.Problem, err error) error {
	err = adminJoin("user "+x.Email, ps, err)
	d, derr := s.newAdminUserForm(r, x)
	if derr != nil {
		return derr
	}
	p := s.newPage(w, r, u, title, "admin", d)
	if ferr := formProblems(p, err); ferr != nil {
		return ferr
	}
	if tcmis.ErrorCode(err) == tcmis.ECONFLICT && strings.Contains(tcmis.ErrorMessage(err), "mail") {
		p.Problems["email"] = tcmis.ErrorMessage(err)
	}
	s.render(w, r, adminStatus(err), "adminuser", p)
	return nil
}

// adminUser loads the user of the path.
func (s *Server) adminUser(r *http.Request) (*tcmis.User, error) {
	id, err := pathID(r, "user")
	if err != nil {
		return nil, err
	}
	x, err := s.store.FindUserByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return nil, notFound("user")
	}
	return x, err
}

// adminUserEdit shows a user's details, password and API tokens.
func (s *Server) adminUserEdit(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	x, err := s.adminUser(r)
	if err != nil {
		return err
	}
	d, err := s.newAdminUserForm(r, x)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "adminuser", s.newPage(w, r, u, "User", "admin", d))
	return nil
}

// adminUserUpdate changes a user's details, role, scope and state. An
// administrator may not take away their own rights, so that the
// application always keeps one.
func (s *Server) adminUserUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	x, err := s.adminUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	ps := adminReadUser(r, x)
	x.Version = int(adminInt(r.PostForm, "version", &ps))
	if x.ID == u.ID {
		if x.Role != tcmis.RoleAdmin {
			ps = append(ps, tcmis.Problem{Field: "role", Message: "you may not take away your own administrator role"})
		}
		if x.Disabled {
			ps = append(ps, tcmis.Problem{Field: "disabled", Message: "you may not disable your own account"})
		}
	}
	err = adminInvalid("user "+x.Email, ps)
	if err == nil {
		err = s.store.UpdateUser(r.Context(), x)
	}
	if err != nil {
		return s.adminUserFormAgain(w, r, u, x, "User", nil, adminJoin("user "+x.Email, ps, err))
	}
	s.flash(w, adminLangPage(r).T("User %s saved.", x.Email))
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(x.ID, 10)+"/edit", http.StatusSeeOther)
	return nil
}

// adminUserPassword sets a user's new password, which ends the user's
// sessions.
func (s *Server) adminUserPassword(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	x, err := s.adminUser(r)
	if err != nil {
		return err
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		err = adminInvalid("the password", []tcmis.Problem{{Field: "password2", Message: "the two passwords differ"}})
	} else {
		err = s.cfg.Auth.SetPassword(r.Context(), x.ID, password)
	}
	if err != nil {
		return s.adminUserFormAgain(w, r, u, x, "User", nil, err)
	}
	s.flash(w, adminLangPage(r).T("The password of %s is changed.", x.Email))
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(x.ID, 10)+"/edit", http.StatusSeeOther)
	return nil
}

// adminTokenCreate issues an API token for a user and shows its secret,
// this once: only its hash is kept.
func (s *Server) adminTokenCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	x, err := s.adminUser(r)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("token_name"))
	var ps []tcmis.Problem
	days := adminInt(r.PostForm, "token_days", &ps)
	if days < 0 || days > 3650 {
		ps = append(ps, tcmis.Problem{Field: "token_days", Message: "give a number of days from 1 to 3650, or nothing for a token that does not expire"})
	}
	if name == "" {
		ps = append(ps, tcmis.Problem{Field: "token_name", Message: "the token needs a name"})
	}
	var secret string
	if err = adminInvalid("API token", ps); err == nil {
		secret, _, err = s.cfg.Auth.NewAPIToken(r.Context(), x.ID, name, time.Duration(days)*24*time.Hour)
	}
	if e, ok := err.(*tcmis.Error); ok {
		// The token's name has its own field on the user's page.
		c := *e
		c.Problems = append([]tcmis.Problem(nil), e.Problems...)
		for i := range c.Problems {
			if c.Problems[i].Field == "name" {
				c.Problems[i].Field = "token_name"
			}
		}
		err = &c
	}
	if err != nil {
		return s.adminUserFormAgain(w, r, u, x, "User", nil, err)
	}
	d, err := s.newAdminUserForm(r, x)
	if err != nil {
		return err
	}
	d.Secret, d.TokenName = secret, name
	p := s.newPage(w, r, u, "User", "admin", d)
	p.Flash = p.T("API token %s made. Copy its secret now: it is not shown again.", name)
	s.render(w, r, http.StatusOK, "adminuser", p)
	return nil
}

// adminTokenDelete revokes an API token.
func (s *Server) adminTokenDelete(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	id, err := pathID(r, "API token")
	if err != nil {
		return err
	}
	if err := s.store.DeleteAPIToken(r.Context(), id); err != nil {
		if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
			return notFound("API token")
		}
		return err
	}
	s.flash(w, adminLangPage(r).T("The API token is revoked."))
	back := "/admin/users"
	if uid, err := strconv.ParseInt(r.PostFormValue("user"), 10, 64); err == nil && uid > 0 {
		back = "/admin/users/" + strconv.FormatInt(uid, 10) + "/edit"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// adminLangPage is a page that only translates, for the messages flashed
// before a redirect.
func adminLangPage(r *http.Request) *page { return &page{Lang: language(r)} }
