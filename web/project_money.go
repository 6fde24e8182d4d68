package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// The money forms of the project page: expenditure and allocations for
// those who keep the project's delivery, approvals for resource
// mobilisation. Each form's fields carry a prefix (exp_, alloc_, appr_)
// so that the page can show one form's problems next to its inputs.

// formErrors collects the problems of a form as it is read.
type formErrors []tcmis.Problem

func (fe *formErrors) add(field, format string, args ...any) {
	*fe = append(*fe, tcmis.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (fe formErrors) err(what string) error {
	if len(fe) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: what + " is not valid", Problems: fe}
}

// prefixed renames the fields of a store's validation error to the
// inputs of a form: "expenditures[0].amount" becomes "exp_amount".
func prefixed(err error, prefix string) error {
	var e *tcmis.Error
	if !errors.As(err, &e) || len(e.Problems) == 0 {
		return err
	}
	c := *e
	c.Problems = make([]tcmis.Problem, len(e.Problems))
	for i, p := range e.Problems {
		f := p.Field
		if j := strings.Index(f, "]."); j >= 0 && strings.Contains(f[:j], "[") {
			f = f[j+2:]
		}
		if f != "" && !strings.HasPrefix(f, prefix) {
			f = prefix + f
		}
		c.Problems[i] = tcmis.Problem{Field: f, Message: p.Message}
	}
	return &c
}

// deliveryProject loads the project of a money form and checks that the user
// may keep its delivery figures.
func (s *Server) deliveryProject(r *http.Request, u *tcmis.User) (*tcmis.Project, error) {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return nil, err
	}
	if !u.CanEditProject(p) {
		return nil, u.Forbid("enter the delivery of project " + p.Code)
	}
	return p, nil
}

// formFailed shows the project page again with the form that was sent and
// its problems: 422 for invalid input, 409 for a stale form. Callers pass
// it only those two kinds of error; any other is rendered as a page.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, u *tcmis.User, p *tcmis.Project, form string, err error) error {
	status := http.StatusUnprocessableEntity
	if tcmis.ErrorCode(err) == tcmis.ECONFLICT {
		status = http.StatusConflict
	}
	d, err2 := s.loadProjectPage(r, u, p, r.PostForm, form)
	if err2 != nil {
		return err2
	}
	s.renderProjectPage(w, r, u, status, d, func(pg *page) { _ = formProblems(pg, err) })
	return nil
}

// saveFailed answers a project form whose save the store refused: the
// input (EINVALID) or a stale form (ECONFLICT) shows the form again with
// the problems, err's fields already named as the form's inputs; any
// other error is returned, to be shown as an error page.
func (s *Server) saveFailed(w http.ResponseWriter, r *http.Request, u *tcmis.User, p *tcmis.Project, form string, err error) error {
	if c := tcmis.ErrorCode(err); c != tcmis.EINVALID && c != tcmis.ECONFLICT {
		return err
	}
	return s.formFailed(w, r, u, p, form, err)
}

// moneyDone redirects to the project page after a money form.
func (s *Server) moneyDone(w http.ResponseWriter, r *http.Request, p *tcmis.Project, msg string, year int, anchor string) {
	s.flash(w, msg)
	target := "/projects/" + strconv.FormatInt(p.ID, 10)
	if year != 0 {
		target += "?year=" + strconv.Itoa(year)
	}
	http.Redirect(w, r, target+"#"+anchor, http.StatusSeeOther)
}

// readYear reads a year input.
func readYear(fe *formErrors, field, v string) int {
	y, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || y < 1950 || y > 2100 {
		fe.add(field, "%q is not a year such as 2006", v)
		return 0
	}
	return y
}

// readAmount reads an amount in a currency.
func readAmount(fe *formErrors, field, v, currency string) int64 {
	if strings.TrimSpace(v) == "" {
		fe.add(field, "the amount is required")
		return 0
	}
	n, err := tcmis.ParseAmount(v, currency)
	if err != nil {
		fe.add(field, "%v", err)
	}
	return n
}

// readCurrency reads a currency code, the project's when empty.
func readCurrency(fe *formErrors, field, v, fallback string) string {
	c := strings.ToUpper(strings.TrimSpace(v))
	if c == "" {
		c = fallback
	}
	if !tcmis.LookupCodelist(tcmis.ListCurrency).Has(c) {
		fe.add(field, "%q is not a currency code such as USD or EUR", v)
		return tcmis.USD
	}
	return c
}

// projectExpenditure records one month's expenditure on one type of
// assistance.
func (s *Server) projectExpenditure(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.deliveryProject(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	var fe formErrors
	e := &tcmis.Expenditure{ProjectID: p.ID, Reason: strings.TrimSpace(f.Get("exp_reason"))}
	e.Year = readYear(&fe, "exp_year", f.Get("exp_year"))
	if m, err := strconv.Atoi(f.Get("exp_month")); err != nil || m < 1 || m > 12 {
		fe.add("exp_month", "choose a month")
	} else {
		e.Month = m
	}
	if t, err := tcmis.ParseAssistance(f.Get("exp_type")); err != nil {
		fe.add("exp_type", "choose a type of assistance")
	} else {
		e.Type = t
	}
	e.Amount.Currency = readCurrency(&fe, "exp_currency", f.Get("exp_currency"), p.Currency)
	e.Amount.Amount = readAmount(&fe, "exp_amount", f.Get("exp_amount"), e.Amount.Currency)
	if err := fe.err("the expenditure"); err != nil {
		return s.formFailed(w, r, u, p, "expenditure", err)
	}
	if err := s.store.CreateExpenditures(r.Context(), []*tcmis.Expenditure{e}); err != nil {
		return s.saveFailed(w, r, u, p, "expenditure", prefixed(err, "exp_"))
	}
	pg := &page{Lang: language(r)}
	s.moneyDone(w, r, p, pg.T("Expenditure of %s recorded for %s %d.", pg.Amount(e.Amount.Money), pg.Month(e.Month), e.Year), e.Year, "delivery")
	return nil
}

func (s *Server) projectAllocation(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.deliveryProject(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	var fe formErrors
	a := &tcmis.Allocation{ProjectID: p.ID, Reason: strings.TrimSpace(f.Get("alloc_reason"))}
	a.Year = readYear(&fe, "alloc_year", f.Get("alloc_year"))
	a.Amount.Currency = readCurrency(&fe, "alloc_currency", f.Get("alloc_currency"), tcmis.USD)
	a.Amount.Amount = readAmount(&fe, "alloc_amount", f.Get("alloc_amount"), a.Amount.Currency)
	if err := fe.err("the allocation"); err != nil {
		return s.formFailed(w, r, u, p, "allocation", err)
	}
	if err := s.store.CreateAllocations(r.Context(), []*tcmis.Allocation{a}); err != nil {
		return s.saveFailed(w, r, u, p, "allocation", prefixed(err, "alloc_"))
	}
	pg := &page{Lang: language(r)}
	s.moneyDone(w, r, p, pg.T("Allocation of %s recorded for %d.", pg.Amount(a.Amount.Money), a.Year), a.Year, "delivery")
	return nil
}

func (s *Server) projectApproval(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	var fe formErrors
	a := &tcmis.Approval{ProjectID: p.ID, AgreementID: p.AgreementID, Local: f.Get("appr_local") != "",
		Reason: strings.TrimSpace(f.Get("appr_reason"))}
	if id, err := strconv.ParseInt(f.Get("appr_donor"), 10, 64); err != nil || id < 1 {
		fe.add("appr_donor", "choose the donor")
	} else {
		a.DonorID = id
	}
	if v := strings.TrimSpace(f.Get("appr_date")); v == "" {
		fe.add("appr_date", "the approval date is required")
	} else if d, err := tcmis.ParseDate(v); err != nil {
		fe.add("appr_date", "%v", err)
	} else {
		a.Date = d
	}
	a.Amount.Currency = readCurrency(&fe, "appr_currency", f.Get("appr_currency"), p.Currency)
	a.Amount.Amount = readAmount(&fe, "appr_amount", f.Get("appr_amount"), a.Amount.Currency)
	if err := fe.err("the approval"); err != nil {
		return s.formFailed(w, r, u, p, "approval", err)
	}
	if err := s.store.CreateApprovals(r.Context(), []*tcmis.Approval{a}); err != nil {
		return s.saveFailed(w, r, u, p, "approval", prefixed(err, "appr_"))
	}
	pg := &page{Lang: language(r)}
	s.moneyDone(w, r, p, pg.T("Approval of %s recorded.", pg.Amount(a.Amount.Money)), 0, "funding")
	return nil
}

// moneyRecordID reads the {eid} of a money record's route.
func moneyRecordID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	if err != nil || id < 1 {
		return 0, notFound("record")
	}
	return id, nil
}

func (s *Server) projectExpenditureDelete(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.deliveryProject(r, u)
	if err != nil {
		return err
	}
	e, err := deleteMoney(r, p, "expenditure", s.store.FindExpenditureByID,
		func(e *tcmis.Expenditure) int64 { return e.ProjectID }, s.store.DeleteExpenditure)
	if err != nil {
		return err
	}
	pg := &page{Lang: language(r)}
	s.moneyDone(w, r, p, pg.T("Expenditure of %s for %s %d deleted.", pg.Amount(e.Amount.Money), pg.Month(e.Month), e.Year), e.Year, "delivery")
	return nil
}

func (s *Server) projectAllocationDelete(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.deliveryProject(r, u)
	if err != nil {
		return err
	}
	a, err := deleteMoney(r, p, "allocation", s.store.FindAllocationByID,
		func(a *tcmis.Allocation) int64 { return a.ProjectID }, s.store.DeleteAllocation)
	if err != nil {
		return err
	}
	pg := &page{Lang: language(r)}
	s.moneyDone(w, r, p, pg.T("Allocation of %s for %d deleted.", pg.Amount(a.Amount.Money), a.Year), a.Year, "delivery")
	return nil
}

func (s *Server) projectApprovalDelete(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	a, err := deleteMoney(r, p, "approval", s.store.FindApprovalByID,
		func(a *tcmis.Approval) int64 { return a.ProjectID }, s.store.DeleteApproval)
	if err != nil {
		return err
	}
	pg := &page{Lang: language(r)}
	s.moneyDone(w, r, p, pg.T("Approval of %s deleted.", pg.Amount(a.Amount.Money)), 0, "funding")
	return nil
}

// projectStatus moves the project through the cycle.
func (s *Server) projectStatus(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	if !u.CanEditProject(p) {
		return u.Forbid("move project " + p.Code + " through the cycle")
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	c := tcmis.StatusChange{ProjectID: p.ID, Reason: strings.TrimSpace(f.Get("reason")), By: *u}
	// The move's form has no field to show a problem beside: each is
	// the form's message.
	var bad error
	if to, err := tcmis.ParseStatus(f.Get("to")); err != nil {
		bad = tcmis.Errorf(tcmis.EINVALID, "%v", err)
	} else {
		c.To = to
	}
	if v := strings.TrimSpace(f.Get("version")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return tcmis.Errorf(tcmis.EINVALID, "the form's version %q is not a number", v)
		}
		c.Version = n
	}
	if v := strings.TrimSpace(f.Get("date")); v != "" {
		d, err := tcmis.ParseDate(v)
		if err != nil {
			bad = tcmis.Errorf(tcmis.EINVALID, "%v", err)
		}
		c.Date = d
	}
	if bad != nil {
		return s.formFailed(w, r, u, p, "status-"+f.Get("to"), bad)
	}
	res, err := s.store.ChangeProjectStatus(r.Context(), c)
	if err != nil {
		return s.saveFailed(w, r, u, p, "status-"+string(c.To), err)
	}
	pg := &page{Lang: language(r)}
	msg := pg.T("Project %s is now %s.", p.Code, pg.T(res.Project.Status.Label()))
	if n := len(res.Planned); n > 0 {
		msg += " " + pg.T("%d evaluations planned.", n)
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"#cycle", http.StatusSeeOther)
	return nil
}

// deleteMoney deletes the money record of project p that the route's
// {eid} names: one of another project is not found through this one.
func deleteMoney[T any](r *http.Request, p *tcmis.Project, what string,
	find func(context.Context, int64) (T, error), projectOf func(T) int64, del func(context.Context, int64) error) (T, error) {
	var zero T
	id, err := moneyRecordID(r)
	if err != nil {
		return zero, err
	}
	rec, err := find(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND || (err == nil && projectOf(rec) != p.ID) {
		return zero, notFound(what)
	} else if err != nil {
		return zero, err
	}
	if err := del(r.Context(), id); err != nil {
		return zero, err
	}
	return rec, nil
}
