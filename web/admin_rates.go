package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tcmis/tcmis"
)

type adminRatesData struct {
	Rates    []*tcmis.ExchangeRate
	Total    int
	Page     int
	Pages    int
	Currency string
	// Form is the rate being added, as typed.
	Form url.Values
}

// adminRates lists the exchange rates, of one currency if asked, with the
// form to add one.
func (s *Server) adminRates(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	d, err := s.adminRatesData(r, url.Values{"source": {"UN operational rates of exchange"}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "adminrates", s.newPage(w, r, u, "Exchange rates", "admin", d))
	return nil
}

func (s *Server) adminRatesData(r *http.Request, form url.Values) (*adminRatesData, error) {
	q := r.URL.Query()
	d := &adminRatesData{Currency: strings.ToUpper(strings.TrimSpace(q.Get("currency"))), Page: max(1, atoi(q.Get("page"))), Form: form}
	f := tcmis.RateFilter{Offset: (d.Page - 1) * pageSize, Limit: pageSize}
	if d.Currency != "" {
		f.Currency = &d.Currency
	}
	var err error
	if d.Rates, d.Total, err = s.store.FindRates(r.Context(), f); err != nil {
		return nil, err
	}
	d.Pages = max(1, (d.Total+pageSize-1)/pageSize)
	return d, nil
}

// adminRateCreate adds an exchange rate: how many units of a currency one
// US dollar buys from a date on.
func (s *Server) adminRateCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	rate := &tcmis.ExchangeRate{Currency: strings.ToUpper(strings.TrimSpace(f.Get("currency"))), Source: strings.TrimSpace(f.Get("source"))}
	var ps []tcmis.Problem
	if v := strings.TrimSpace(f.Get("date")); v != "" {
		d, err := tcmis.ParseDate(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "date", Message: err.Error()})
		}
		rate.Date = d
	}
	if v := strings.TrimSpace(f.Get("per_usd")); v != "" {
		n, err := tcmis.ParseDecimal(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "per_usd", Message: err.Error()})
		}
		rate.PerUSD = n
	}
	// The rate is checked here, so that the problems are named by the
	// form's fields (the store names them by the batch's records).
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Field] = true
	}
	for _, p := range tcmis.ErrorProblems(rate.Validate()) {
		if !seen[p.Field] {
			ps = append(ps, p)
		}
	}
	err := adminInvalid("exchange rate", ps)
	if err == nil {
		err = s.store.CreateRates(r.Context(), []*tcmis.ExchangeRate{rate})
	}
	if err != nil {
		d, derr := s.adminRatesData(r, f)
		if derr != nil {
			return derr
		}
		p := s.newPage(w, r, u, "Exchange rates", "admin", d)
		if ferr := formProblems(p, err); ferr != nil {
			return ferr
		}
		s.render(w, r, adminStatus(err), "adminrates", p)
		return nil
	}
	s.flash(w, adminLangPage(r).T("Rate of %s from %s added.", rate.Currency, rate.Date.Format(tcmis.DateLayout)))
	http.Redirect(w, r, fmt.Sprintf("/admin/rates?currency=%s", url.QueryEscape(rate.Currency)), http.StatusSeeOther)
	return nil
}
