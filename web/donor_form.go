package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tcmis/tcmis"
)

type donorFormData struct {
	// Donor is the organisation edited; nil for a new one.
	Donor      *tcmis.Organisation
	Values     url.Values
	Categories []refOption
	NonState   []refOption
	Types      []refOption
	Countries  []refOption
}

func newDonorForm(o *tcmis.Organisation, v url.Values) *donorFormData {
	d := &donorFormData{Donor: o, Values: v, Categories: refCategoryOptions(), Countries: refCountryOptions()}
	for _, k := range []tcmis.NonStateKind{"foundation", "public-institution", "social-partner", "private-sector", "other"} {
		d.NonState = append(d.NonState, refOption{Value: string(k), Label: k.Label()})
	}
	types := tcmis.LookupCodelist(tcmis.ListOrganisationType)
	for _, c := range types.Codes() {
		d.Types = append(d.Types, refOption{Value: c, Label: c + " " + types.NameOf(c), Raw: true})
	}
	return d
}

func donorValues(o *tcmis.Organisation) url.Values {
	return url.Values{
		"name": {o.Name}, "category": {string(o.Category)}, "non_state": {string(o.NonState)},
		"ref": {o.Ref}, "type": {o.Type}, "country": {o.Country}, "version": {strconv.Itoa(o.Version)},
	}
}

// readDonor reads the donor form into o.
func readDonor(r *http.Request, o *tcmis.Organisation) error {
	f, err := readRefForm(r)
	if err != nil {
		return err
	}
	o.Name = f.text("name")
	o.Category = tcmis.DonorCategory(f.text("category"))
	o.NonState = tcmis.NonStateKind(f.text("non_state"))
	o.Ref = f.text("ref")
	o.Type = f.text("type")
	o.Country = f.text("country")
	o.Version = f.version()
	return f.check("organisation "+o.Name, o.Validate)
}

func (s *Server) donorNewForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	d := newDonorForm(nil, url.Values{"category": {string(tcmis.MultiBilateral)}})
	s.render(w, r, http.StatusOK, "donor_form", s.newPage(w, r, u, "New donor", "donors", d))
	return nil
}

func (s *Server) donorCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	o := &tcmis.Organisation{}
	err := readDonor(r, o)
	if err == nil {
		err = s.store.CreateOrganisation(r.Context(), o)
	}
	if err != nil {
		p := s.newPage(w, r, u, "New donor", "donors", newDonorForm(nil, r.PostForm))
		return s.refFormAgain(w, r, p, "donor_form", err)
	}
	return s.refSaved(w, r, refT(r, "Donor %s added.", o.Name), "/donors/"+strconv.FormatInt(o.ID, 10))
}

func (s *Server) donorEditForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	o, err := s.findDonor(r)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, u, "Edit donor", "donors", newDonorForm(o, donorValues(o)))
	s.render(w, r, http.StatusOK, "donor_form", p)
	return nil
}

func (s *Server) donorUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	old, err := s.findDonor(r)
	if err != nil {
		return err
	}
	o := &tcmis.Organisation{ID: old.ID}
	err = readDonor(r, o)
	if err == nil {
		err = s.store.UpdateOrganisation(r.Context(), o)
	}
	if err != nil {
		p := s.newPage(w, r, u, "Edit donor", "donors", newDonorForm(old, r.PostForm))
		return s.refFormAgain(w, r, p, "donor_form", err)
	}
	return s.refSaved(w, r, refT(r, "Donor %s saved.", o.Name), "/donors/"+strconv.FormatInt(o.ID, 10))
}
