package web

import (
	"net/http"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

type dashboardData struct {
	// AsAt is the last month with expenditure: delivery and alerts are
	// reported at it.
	AsAt       time.Time
	Approvals  *shownReport
	Regions    *shownReport
	Delivery   *shownReport
	LowDeliver *shownReport
	Overdue    *shownReport
	Ending     []*tcmis.Agreement
	Donors     map[int64]string
}

// dashboard shows the trends of approvals, expenditure and delivery, and
// what needs attention: projects delivering too little, evaluations
// overdue and agreements about to end.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	d := &dashboardData{Donors: map[int64]string{}}
	var err error
	p := report.Params{}
	if u.Role == tcmis.RoleDonorViewer {
		// A donor sees the programme's published statistics, not the
		// internal lists of other donors' projects.
		if d.Approvals, err = s.cachedReport(ctx, "approvals-by-source", p); err != nil {
			return err
		}
		if d.Regions, err = s.cachedReport(ctx, "expenditure-by-region", p); err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "dashboard", s.newPage(w, r, u, "Dashboard", "dashboard", d))
		return nil
	}
	for _, x := range []struct {
		name string
		dst  **shownReport
		p    report.Params
	}{
		{"approvals-by-source", &d.Approvals, p},
		{"expenditure-by-region", &d.Regions, p},
		{"delivery-monthly", &d.Delivery, p},
		{"delivery-projects", &d.LowDeliver, report.Params{Limit: 10}},
	} {
		if *x.dst, err = s.cachedReport(ctx, x.name, x.p); err != nil {
			return err
		}
	}
	year, month := lastMonth(d.LowDeliver.Table)
	if year > 0 {
		d.AsAt = time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
	} else {
		d.AsAt = s.cfg.Now().UTC().Truncate(24 * time.Hour)
	}
	if d.Overdue, err = s.cachedReport(ctx, "evaluations-overdue", report.Params{Limit: 10, Today: d.AsAt}); err != nil {
		return err
	}
	until := d.AsAt.AddDate(0, 6, 0)
	ending, _, err := s.store.FindAgreements(ctx, tcmis.AgreementFilter{EndingBefore: &until, Limit: 500})
	if err != nil {
		return err
	}
	for _, a := range ending {
		if !a.End.Before(d.AsAt) {
			d.Ending = append(d.Ending, a)
		}
	}
	if len(d.Ending) > 10 {
		d.Ending = d.Ending[:10]
	}
	if err := s.donorNames(r, d.Donors); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard", s.newPage(w, r, u, "Dashboard", "dashboard", d))
	return nil
}

// lastMonth reads the year and month a delivery table is reported at
// from its filter.
func lastMonth(t *report.Table) (int, int) {
	if t == nil {
		return 0, 0
	}
	return atoi(t.Filter["year"]), atoi(t.Filter["to_month"])
}
