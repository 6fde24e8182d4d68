package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

type agreementFormData struct {
	// Agreement is the agreement edited; nil for a new one.
	Agreement *tcmis.Agreement
	Values    url.Values
	Donors    []refOption
	Kinds     []refOption
	Units     []refOption
}

func (s *Server) agreementForm(r *http.Request, a *tcmis.Agreement, v url.Values) (*agreementFormData, error) {
	d := &agreementFormData{Agreement: a, Values: v}
	orgs, _, err := s.store.FindOrganisations(r.Context(), tcmis.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		d.Donors = append(d.Donors, refOption{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Raw: true})
	}
	units, _, err := s.store.FindUnits(r.Context(), tcmis.UnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, x := range units {
		d.Units = append(d.Units, refOption{Value: strconv.FormatInt(x.ID, 10), Label: x.Name, Raw: true})
	}
	for _, k := range []tcmis.AgreementKind{tcmis.Partnership, tcmis.SingleProject} {
		d.Kinds = append(d.Kinds, refOption{Value: string(k), Label: k.Label()})
	}
	return d, nil
}

func agreementValues(a *tcmis.Agreement) url.Values {
	v := url.Values{
		"ref": {a.Ref}, "title": {a.Title}, "donor_id": {refIDInput(a.DonorID)}, "kind": {string(a.Kind)},
		"start": {refDayInput(a.Start)}, "end": {refDayInput(a.End)},
		"amount": {tcmis.FormatAmount(a.Amount.Amount, a.Amount.Currency)}, "amount.currency": {a.Amount.Currency},
		"negotiated_by": {refIDInput(a.NegotiatedBy)}, "version": {strconv.Itoa(a.Version)},
	}
	if a.Local {
		v.Set("local", "true")
	}
	return v
}

// readAgreement reads the agreement form into a. The amount is read in
// the currency given with it.
func readAgreement(r *http.Request, a *tcmis.Agreement) error {
	f, err := readRefForm(r)
	if err != nil {
		return err
	}
	a.Ref = f.text("ref")
	a.Title = f.text("title")
	a.DonorID = f.id("donor_id")
	a.Kind = tcmis.AgreementKind(f.text("kind"))
	a.Start = f.date("start")
	a.End = f.date("end")
	a.Amount.Currency = strings.ToUpper(f.text("amount.currency"))
	if f.text("amount") == "" {
		f.bad("amount", "the agreement's amount is required")
	} else if a.Amount.Currency != "" {
		a.Amount.Amount = f.amount("amount", a.Amount.Currency)
	}
	a.NegotiatedBy = f.id("negotiated_by")
	a.Local = f.text("local") == "true"
	a.Version = f.version()
	return f.check("agreement "+a.Ref, a.Validate)
}

func (s *Server) agreementNewForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	v := url.Values{"kind": {string(tcmis.Partnership)}, "amount.currency": {tcmis.USD}}
	if id, err := refQueryID(r.URL.Query(), "donor"); err == nil && id != nil {
		v.Set("donor_id", strconv.FormatInt(*id, 10))
	}
	d, err := s.agreementForm(r, nil, v)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "agreement_form", s.newPage(w, r, u, "New agreement", "donors", d))
	return nil
}

func (s *Server) agreementCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	a := &tcmis.Agreement{}
	err := readAgreement(r, a)
	if err == nil {
		err = s.store.CreateAgreement(r.Context(), a)
	}
	if err != nil {
		d, ferr := s.agreementForm(r, nil, r.PostForm)
		if ferr != nil {
			return ferr
		}
		return s.refFormAgain(w, r, s.newPage(w, r, u, "New agreement", "donors", d), "agreement_form", err)
	}
	return s.refSaved(w, r, refT(r, "Agreement %s added.", a.Ref), "/agreements/"+strconv.FormatInt(a.ID, 10))
}

func (s *Server) agreementEditForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	a, err := s.findAgreement(r)
	if err != nil {
		return err
	}
	d, err := s.agreementForm(r, a, agreementValues(a))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "agreement_form", s.newPage(w, r, u, "Edit agreement", "donors", d))
	return nil
}

func (s *Server) agreementUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	old, err := s.findAgreement(r)
	if err != nil {
		return err
	}
	a := &tcmis.Agreement{ID: old.ID}
	err = readAgreement(r, a)
	if err == nil {
		err = s.store.UpdateAgreement(r.Context(), a)
	}
	if err != nil {
		d, ferr := s.agreementForm(r, old, r.PostForm)
		if ferr != nil {
			return ferr
		}
		return s.refFormAgain(w, r, s.newPage(w, r, u, "Edit agreement", "donors", d), "agreement_form", err)
	}
	return s.refSaved(w, r, refT(r, "Agreement %s saved.", a.Ref), "/agreements/"+strconv.FormatInt(a.ID, 10))
}
