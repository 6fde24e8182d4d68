package web

import (
	"net/http"
	"strings"

	"github.com/tcmis/tcmis"
)

type adminUnitsData struct {
	Units []*tcmis.Unit
	Names map[int64]string
}

// adminUnits lists the headquarters departments and the offices.
func (s *Server) adminUnits(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	units, _, err := s.store.FindUnits(r.Context(), tcmis.UnitFilter{})
	if err != nil {
		return err
	}
	d := &adminUnitsData{Units: units, Names: map[int64]string{}}
	for _, x := range units {
		d.Names[x.ID] = x.Code
	}
	s.render(w, r, http.StatusOK, "adminunits", s.newPage(w, r, u, "Units and offices", "admin", d))
	return nil
}

// adminUnitForm is the form of a unit.
type adminUnitForm struct {
	New       bool
	U         *tcmis.Unit
	Kinds     []tcmis.UnitKind
	Regions   []tcmis.Region
	Countries []string
	// Parents are the units this one may report to.
	Parents []*tcmis.Unit
}

func (s *Server) newAdminUnitForm(r *http.Request, x *tcmis.Unit) (*adminUnitForm, error) {
	d := &adminUnitForm{New: x.ID == 0, U: x, Kinds: []tcmis.UnitKind{tcmis.Department, tcmis.RegionalOffice, tcmis.FieldOffice},
		Regions: tcmis.Regions(), Countries: tcmis.CountryCodes()}
	units, _, err := s.store.FindUnits(r.Context(), tcmis.UnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, p := range units {
		if p.ID != x.ID {
			d.Parents = append(d.Parents, p)
		}
	}
	return d, nil
}

// adminReadUnit puts a unit form's fields into x.
func adminReadUnit(r *http.Request, x *tcmis.Unit) []tcmis.Problem {
	var ps []tcmis.Problem
	f := r.PostForm
	x.Code = strings.TrimSpace(f.Get("code"))
	x.Name = strings.TrimSpace(f.Get("name"))
	x.Kind = tcmis.UnitKind(f.Get("kind"))
	x.ParentID = adminInt(f, "parent_id", &ps)
	x.Region = tcmis.Region(f.Get("region"))
	x.Country = strings.ToUpper(strings.TrimSpace(f.Get("country")))
	return ps
}

func (s *Server) adminUnitNew(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	d, err := s.newAdminUnitForm(r, &tcmis.Unit{Kind: tcmis.FieldOffice})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "adminunit", s.newPage(w, r, u, "New unit or office", "admin", d))
	return nil
}

func (s *Server) adminUnitCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	x := &tcmis.Unit{}
	ps := adminReadUnit(r, x)
	var err error
	if len(ps) > 0 {
		err = adminJoin("unit "+x.Code, ps, x.Validate())
	} else {
		err = s.store.CreateUnit(r.Context(), x)
	}
	if err != nil {
		return s.adminUnitFormAgain(w, r, u, x, "New unit or office", err)
	}
	s.flash(w, adminLangPage(r).T("Unit %s added.", x.Code))
	http.Redirect(w, r, "/admin/units", http.StatusSeeOther)
	return nil
}

func (s *Server) adminUnitFormAgain(w http.ResponseWriter, r *http.Request, u *tcmis.User, x *tcmis.Unit, title string, err error) error {
	d, derr := s.newAdminUnitForm(r, x)
	if derr != nil {
		return derr
	}
	p := s.newPage(w, r, u, title, "admin", d)
	if ferr := formProblems(p, err); ferr != nil {
		return ferr
	}
	if tcmis.ErrorCode(err) == tcmis.ECONFLICT && strings.Contains(tcmis.ErrorMessage(err), "code") {
		p.Problems["code"] = tcmis.ErrorMessage(err)
	}
	s.render(w, r, adminStatus(err), "adminunit", p)
	return nil
}

// adminUnit loads the unit of the path.
func (s *Server) adminUnit(r *http.Request) (*tcmis.Unit, error) {
	id, err := pathID(r, "unit")
	if err != nil {
		return nil, err
	}
	x, err := s.store.FindUnitByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return nil, notFound("unit")
	}
	return x, err
}

func (s *Server) adminUnitEdit(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	x, err := s.adminUnit(r)
	if err != nil {
		return err
	}
	d, err := s.newAdminUnitForm(r, x)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "adminunit", s.newPage(w, r, u, "Unit or office", "admin", d))
	return nil
}

func (s *Server) adminUnitUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	x, err := s.adminUnit(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	ps := adminReadUnit(r, x)
	x.Version = int(adminInt(r.PostForm, "version", &ps))
	if len(ps) > 0 {
		err = adminJoin("unit "+x.Code, ps, x.Validate())
	} else {
		err = s.store.UpdateUnit(r.Context(), x)
	}
	if err != nil {
		return s.adminUnitFormAgain(w, r, u, x, "Unit or office", err)
	}
	s.flash(w, adminLangPage(r).T("Unit %s saved.", x.Code))
	http.Redirect(w, r, "/admin/units", http.StatusSeeOther)
	return nil
}
