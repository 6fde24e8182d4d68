package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/httpx"
)

// adminHome links the administration screens.
func (s *Server) adminHome(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	s.render(w, r, http.StatusOK, "admin", s.newPage(w, r, u, "Administration", "admin", nil))
	return nil
}

// permissionTexts says in words what each permission lets a user do.
var permissionTexts = map[tcmis.Permission]string{
	tcmis.PermView:            "Read the portfolio and the reports",
	tcmis.PermViewInternal:    "Read internal records: agreements, users, the audit trail, IATI",
	tcmis.PermEditProjects:    "Create and edit projects (a programme officer: those of their units)",
	tcmis.PermEditDelivery:    "Enter allocations and expenditure",
	tcmis.PermEditResources:   "Manage donors, agreements and approvals",
	tcmis.PermEditEvaluations: "Plan and record evaluations and lessons",
	tcmis.PermEditResults:     "Keep the results framework and country programmes",
	tcmis.PermImport:          "Import IATI files and spreadsheets",
	tcmis.PermAdmin:           "Manage users, units and offices, and exchange rates",
}

type adminRolesData struct {
	Roles []tcmis.Role
	Perms []adminPerm
}

type adminPerm struct {
	Perm tcmis.Permission
	Text string
	// Granted is, for each role in order, whether it holds the
	// permission.
	Granted []bool
}

// adminRoles shows which permissions each role holds.
func (s *Server) adminRoles(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	d := &adminRolesData{Roles: tcmis.Roles()}
	// The administrator holds every permission: its list names them all.
	for _, perm := range tcmis.RoleAdmin.Permissions() {
		ap := adminPerm{Perm: perm, Text: permissionTexts[perm]}
		for _, role := range d.Roles {
			ap.Granted = append(ap.Granted, (&tcmis.User{Role: role}).Can(perm))
		}
		d.Perms = append(d.Perms, ap)
	}
	s.render(w, r, http.StatusOK, "adminroles", s.newPage(w, r, u, "Roles and permissions", "admin", d))
	return nil
}

// adminStatus is the status of a form rendered again for an error
// formProblems took: 409 for a stale edit, else 422.
func adminStatus(err error) int {
	if tcmis.ErrorCode(err) == tcmis.ECONFLICT {
		return http.StatusConflict
	}
	return httpx.Status(err)
}

// adminInt reads a record number or a count from a form; "" is 0. A value
// that is not a whole number is a problem on the field.
func adminInt(form url.Values, field string, ps *[]tcmis.Problem) int64 {
	v := strings.TrimSpace(form.Get(field))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		*ps = append(*ps, tcmis.Problem{Field: field, Message: strconv.Quote(v) + " is not a whole number"})
	}
	return n
}

// adminInvalid is the EINVALID error of a form's problems, or nil.
func adminInvalid(what string, ps []tcmis.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: what + " is not valid", Problems: ps}
}

// adminJoin puts the problems of a form's own reading before those of
// the domain's validation, in one error.
func adminJoin(what string, ps []tcmis.Problem, err error) error {
	if len(ps) == 0 {
		return err
	}
	var e *tcmis.Error
	if err == nil || errors.As(err, &e) && e.Code == tcmis.EINVALID {
		all := append([]tcmis.Problem(nil), ps...)
		if e != nil {
			all = append(all, e.Problems...)
		}
		return adminInvalid(what, all)
	}
	return err
}
