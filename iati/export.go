package iati

import (
	"context"
	"io"
	"time"

	"github.com/tcmis/tcmis"
)

// ILO is the reporting organisation of an export unless another is named:
// the organisation's own IATI identifier.
var ILO = tcmis.Org{Ref: "XM-DAC-41302", Type: "40", Name: tcmis.Narratives{{Lang: "en", Text: "International Labour Organization"}}}

// ExportOptions control an export.
type ExportOptions struct {
	// Reporting is the reporting organisation of the projects that were
	// never imported (default ILO).
	Reporting *tcmis.Org
	// Now is the time of the export (default the current time).
	Now time.Time
	// Progress, if set, is told how many projects are written.
	Progress func(done, total int64)
}

// pageSize is how many activities or projects an export reads at a time.
const pageSize = 500

// Export writes the portfolio as an IATI 2.03 activity file: the stored
// activities as they were imported, then an activity for each project
// that was never imported, built from the project, its approvals (as
// incoming commitments) and its expenditure. It returns how many
// activities it wrote.
func Export(ctx context.Context, store tcmis.Store, w io.Writer, opts ExportOptions) (int, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	reporting := ILO
	if opts.Reporting != nil {
		reporting = *opts.Reporting
	}
	_, total, err := store.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		return 0, err
	}
	x := NewWriter(w, now)
	published := map[int64]bool{}
	done := int64(0)
	for offset := 0; ; offset += pageSize {
		as, _, err := store.FindActivities(ctx, tcmis.ActivityFilter{Offset: offset, Limit: pageSize})
		if err != nil {
			return x.Count(), err
		}
		for _, a := range as {
			if err := x.Write(a); err != nil {
				return x.Count(), err
			}
			published[a.ProjectID] = true
			done++
		}
		if opts.Progress != nil {
			opts.Progress(done, int64(total))
		}
		if len(as) < pageSize {
			break
		}
	}
	donors := map[int64]*tcmis.Organisation{}
	orgs, _, err := store.FindOrganisations(ctx, tcmis.OrganisationFilter{})
	if err != nil {
		return x.Count(), err
	}
	for _, o := range orgs {
		donors[o.ID] = o
	}
	for offset := 0; ; offset += pageSize {
		ps, _, err := store.FindProjects(ctx, tcmis.ProjectFilter{Offset: offset, Limit: pageSize})
		if err != nil {
			return x.Count(), err
		}
		for _, p := range ps {
			if err := ctx.Err(); err != nil {
				return x.Count(), err
			}
			if published[p.ID] {
				continue
			}
			id := p.ID
			approvals, _, err := store.FindApprovals(ctx, tcmis.MoneyFilter{ProjectID: &id})
			if err != nil {
				return x.Count(), err
			}
			expenditures, _, err := store.FindExpenditures(ctx, tcmis.MoneyFilter{ProjectID: &id})
			if err != nil {
				return x.Count(), err
			}
			a := tcmis.NewActivity(p, reporting, tcmis.ProjectMoney{Approvals: approvals, Expenditures: expenditures, Donors: donors}, now)
			if err := x.Write(a); err != nil {
				return x.Count(), err
			}
			done++
		}
		if opts.Progress != nil {
			opts.Progress(done, int64(total))
		}
		if len(ps) < pageSize {
			break
		}
	}
	return x.Count(), x.Close()
}
