package sqldb

import (
	"context"
	"sort"
	"time"

	"github.com/tcmis/tcmis"
)

// ComplianceByProjectForTestC is the per-project path the lean read
// (EachCompliance) replaced for whole portfolios: every approved project
// loaded whole and checked by projectCompliance, with its headings from
// ProjectHeadings, in order of project id. Tests compare the two.
func ComplianceByProjectForTestC(ctx context.Context, db *DB, today time.Time) ([]*tcmis.Compliance, map[int64]tcmis.ProjectHeading, error) {
	var out []*tcmis.Compliance
	err := db.view(ctx, func(tx *Tx) error {
		var ps []*tcmis.Project
		for _, s := range []tcmis.Status{tcmis.Approved, tcmis.Ongoing, tcmis.OperationallyClosed, tcmis.FinanciallyClosed} {
			more, _, err := findProjects(tx, tcmis.ProjectFilter{Status: &s})
			if err != nil {
				return err
			}
			ps = append(ps, more...)
		}
		rates, err := loadAllRates(tx)
		if err != nil {
			return err
		}
		policies, err := findPolicies(tx, 0)
		if err != nil {
			return err
		}
		out, err = projectCompliance(tx, ps, policies, rates, today)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ProjectID < out[j].ProjectID })
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ProjectID
	}
	heads, err := db.ProjectHeadings(ctx, ids)
	return out, heads, err
}
