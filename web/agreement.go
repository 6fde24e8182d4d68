package web

import (
	"net/http"
	"time"

	"github.com/tcmis/tcmis"
)

type agreementListData struct {
	Agreements []*tcmis.Agreement
	Total      int
	Page       int
	Pages      int
	Donors     []*tcmis.Organisation
	DonorNames map[int64]string
}

// agreementList lists the funding agreements, filtered by donor and by
// the day they end before.
func (s *Server) agreementList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	var f tcmis.AgreementFilter
	var ps []tcmis.Problem
	if id, err := refQueryID(q, "donor"); err != nil {
		ps = append(ps, tcmis.ErrorProblems(err)...)
	} else {
		f.DonorID = id
	}
	if v := q.Get("ending_before"); v != "" {
		day, err := tcmis.ParseDate(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "ending_before", Message: err.Error()})
		} else {
			f.EndingBefore = &day
		}
	}
	if len(ps) > 0 {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "the agreement list's filters", Problems: ps}
	}
	d := &agreementListData{DonorNames: map[int64]string{}}
	d.Page, f.Offset = refListPage(q)
	f.Limit = pageSize
	var err error
	if d.Agreements, d.Total, err = s.store.FindAgreements(ctx, f); err != nil {
		return err
	}
	d.Pages = refPages(d.Total)
	if d.Donors, _, err = s.store.FindOrganisations(ctx, tcmis.OrganisationFilter{}); err != nil {
		return err
	}
	for _, o := range d.Donors {
		d.DonorNames[o.ID] = o.Name
	}
	s.render(w, r, http.StatusOK, "agreements", s.newPage(w, r, u, "Agreements", "donors", d))
	return nil
}

type agreementPageData struct {
	Agreement  *tcmis.Agreement
	Donor      *tcmis.Organisation
	Negotiator *tcmis.Unit
	// Approvals are those recorded under the agreement, with their sum.
	Approvals []*tcmis.Approval
	Approved  int64
	Active    bool
}

// agreementPage shows an agreement with its donor and the approvals
// recorded under it.
func (s *Server) agreementPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	a, err := s.findAgreement(r)
	if err != nil {
		return err
	}
	d := &agreementPageData{Agreement: a, Active: a.ActiveOn(s.cfg.Now().UTC().Truncate(24 * time.Hour))}
	if d.Donor, err = s.store.FindOrganisationByID(ctx, a.DonorID); err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		return err
	}
	if a.NegotiatedBy != 0 {
		units, _, err := s.store.FindUnits(ctx, tcmis.UnitFilter{ID: &a.NegotiatedBy})
		if err != nil {
			return err
		}
		if len(units) > 0 {
			d.Negotiator = units[0]
		}
	}
	approvals, _, err := s.store.FindApprovals(ctx, tcmis.MoneyFilter{DonorID: &a.DonorID})
	if err != nil {
		return err
	}
	for _, x := range approvals {
		if x.AgreementID == a.ID {
			d.Approvals = append(d.Approvals, x)
			d.Approved += x.Amount.USD
		}
	}
	s.render(w, r, http.StatusOK, "agreement", s.newPage(w, r, u, a.Ref, "donors", d))
	return nil
}

// findAgreement loads the agreement of the route's {id}.
func (s *Server) findAgreement(r *http.Request) (*tcmis.Agreement, error) {
	id, err := pathID(r, "agreement")
	if err != nil {
		return nil, err
	}
	a, err := s.store.FindAgreementByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return nil, notFound("agreement")
	}
	return a, err
}
