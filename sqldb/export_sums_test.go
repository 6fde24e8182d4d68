package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tcmis/tcmis"
)

// sumTableNames are the report sums, for RebuildSumsForTestC.
var sumTableNames = []string{"report_approvals", "report_allocations", "report_spending", "report_spending_objective", "report_spending_place", "report_project_years"}

// RebuildSumsForTestC recomputes every report sum from the money tables,
// with migration 0003's backfill, and returns the rows (other than empty
// groups) that the sums kept on write had and the rebuilt ones have not,
// or the other way round: none when the sums were current.
func RebuildSumsForTestC(db *DB) ([]string, error) {
	before, err := dumpSums(db)
	if err != nil {
		return nil, err
	}
	tx, err := db.write.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, t := range sumTableNames {
		if _, err := tx.Exec("DELETE FROM " + t); err != nil {
			return nil, err
		}
	}
	for _, stmt := range strings.Split(strings.TrimSpace(backfillSQL()), ";\n") {
		if _, err := tx.Exec(strings.TrimSuffix(stmt, ";")); err != nil {
			return nil, fmt.Errorf("%v: %s", err, stmt)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	after, err := dumpSums(db)
	if err != nil {
		return nil, err
	}
	var diff []string
	for _, r := range before {
		if !slices.Contains(after, r) {
			diff = append(diff, "kept on write, not rebuilt: "+r)
		}
	}
	for _, r := range after {
		if !slices.Contains(before, r) {
			diff = append(diff, "rebuilt, not kept on write: "+r)
		}
	}
	return diff, nil
}

// dumpSums lists the rows of the sums with records, as text.
func dumpSums(db *DB) ([]string, error) {
	var out []string
	for _, t := range sumTableNames {
		rows, err := db.write.Query("SELECT * FROM " + t + " WHERE records <> 0")
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			parts := []string{t}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				parts = append(parts, fmt.Sprintf("%s=%v", cols[i], v))
			}
			out = append(out, strings.Join(parts, " "))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}

// GeographyForTestC reads report_geography, code by region.
func GeographyForTestC(db *DB) (map[string]string, error) {
	rows, err := db.read.Query(`SELECT code, region FROM report_geography`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, region string
		if err := rows.Scan(&code, &region); err != nil {
			return nil, err
		}
		out[code] = region
	}
	return out, rows.Err()
}

// SetMaxPendingForTestC makes bulk creations write their report sums
// whenever n groups are pending, and returns what restores the limit.
func SetMaxPendingForTestC(n int) func() {
	old := maxPending
	maxPending = n
	return func() { maxPending = old }
}

// LoadAndMoveForTestC stores expenditures through the bulk path, saves p
// (its row and lists) between taking all its money out of the sums and
// putting it back, as an IATI import that updates a project does, and
// stores more expenditures, all in one transaction.
func LoadAndMoveForTestC(ctx context.Context, db *DB, before []*tcmis.Expenditure, p *tcmis.Project, after []*tcmis.Expenditure) error {
	return db.update(ctx, func(tx *Tx) error {
		l := newLoader(tx)
		if err := l.CreateExpenditures(before); err != nil {
			return err
		}
		if err := tx.sumsProject(p.ID, -1); err != nil {
			return err
		}
		row := projectRow(tx, p)
		if _, err := tx.exec(projectUpdate, append(row[1:len(row)-1], p.ID)...); err != nil {
			return err
		}
		if err := deleteProjectLists(tx, p.ID); err != nil {
			return err
		}
		if err := writeProjectLists(tx, []*tcmis.Project{p}); err != nil {
			return err
		}
		if err := tx.sumsProject(p.ID, 1); err != nil {
			return err
		}
		return l.CreateExpenditures(after)
	})
}
