package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sort"
	"strings"
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

// ComplianceSnapshotDiffForTestC compares the stored compliance snapshot
// with one computed from scratch by the lean read and checkApproved, and
// describes each difference.
func ComplianceSnapshotDiffForTestC(ctx context.Context, db *DB) ([]string, error) {
	var diffs []string
	err := db.view(ctx, func(tx *Tx) error {
		rule, err := newComplianceRule(tx)
		if err != nil {
			return err
		}
		want, err := snapshotRows(tx, &where{}, rule)
		if err != nil {
			return err
		}
		got, err := storedSnapshot(tx)
		if err != nil {
			return err
		}
		byID := map[int64]snapshotRow{}
		for _, r := range got {
			byID[r.c.ProjectID] = r
		}
		for _, w := range want {
			// Not stored: the policy's name, the donor's category.
			w.c.Policy, w.h.Category = "", ""
			g, ok := byID[w.c.ProjectID]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("project %s is missing from the snapshot", w.c.Code))
				continue
			}
			delete(byID, w.c.ProjectID)
			if !reflect.DeepEqual(g, w) {
				diffs = append(diffs, fmt.Sprintf("project %s:\n stored     %+v\n recomputed %+v", w.c.Code, g, w))
			}
		}
		for _, g := range byID {
			diffs = append(diffs, fmt.Sprintf("project %s (%d) is in the snapshot but not approved", g.c.Code, g.c.ProjectID))
		}
		return nil
	})
	return diffs, err
}

// storedSnapshot reads the snapshot's rows back.
func storedSnapshot(tx *Tx) ([]snapshotRow, error) {
	dues := map[int64][]time.Time{}
	rows, err := tx.query(`SELECT project_id, due, n FROM compliance_due ORDER BY project_id, due`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, n int64
		var d time.Time
		if err := rows.Scan(&id, scanTime(&d), &n); err != nil {
			rows.Close()
			return nil, err
		}
		for range n {
			dues[id] = append(dues[id], d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(`SELECT ` + strings.Join(snapshotColumns, ", ") + ` FROM compliance ORDER BY project_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []snapshotRow
	for rows.Next() {
		var r snapshotRow
		c, q := &r.c, &r.c.Requirements
		var status, missing, state, source string
		var final, midTerm, independent, budgetLine, required, openCount int64
		var first, last time.Time
		var problem sql.NullString
		if err := rows.Scan(&c.ProjectID, &c.Code, &c.Title, &status, scanTime(&c.ApprovedOn), &c.PolicyID,
			&q.Months, &q.BudgetUSD, &q.Rule, &final, &midTerm, &q.AnnualReviews, &independent, &budgetLine,
			&required, &c.Planned, &c.Done, &missing, &state, scanTime(&first), scanTime(&last), &openCount,
			&source, &r.h.Region, &r.h.OfficeID, &r.h.UnitID, &r.h.DonorID, &problem); err != nil {
			return nil, err
		}
		c.Status, c.State, r.h.Source, r.h.ProjectID = tcmis.Status(status), tcmis.ComplianceState(state), tcmis.Source(source), c.ProjectID
		q.Final, q.MidTerm, q.Independent, q.BudgetLine = final != 0, midTerm != 0, independent != 0, budgetLine != 0
		if missing != "" {
			c.Missing = strings.Split(missing, missingSep)
		}
		r.problem = problem.String
		switch {
		case openCount == 1:
			r.open = []time.Time{first}
		case openCount > 1:
			r.open = dues[c.ProjectID]
			if int64(len(r.open)) != openCount || !r.open[0].Equal(first) || !r.open[len(r.open)-1].Equal(last) {
				return nil, fmt.Errorf("project %s: %d open dates from %s to %s, but %v in compliance_due", c.Code, openCount, first, last, r.open)
			}
		}
		if r.problem == "" && c.State != tcmis.ComplianceNoPolicy && required != requiredOf(*q) {
			return nil, fmt.Errorf("project %s: %d evaluations required, but the requirements name %d", c.Code, required, requiredOf(*q))
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
