package sqldb

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

// FundingGaps returns the funding of each outcome of the selected country
// programmes: what it needs, what donors approved for the projects that
// serve it, and the gap. The split of a project's approvals between its
// outcomes is made over every programme, whatever f selects, so that a
// report for one country shows the same figures as the full one.
func (db *DB) FundingGaps(ctx context.Context, f tcmis.GapFilter) ([]tcmis.OutcomeGap, error) {
	var out []tcmis.OutcomeGap
	err := db.view(ctx, func(tx *Tx) error {
		progs, _, err := findProgrammes(tx, tcmis.ProgrammeFilter{})
		if err != nil {
			return err
		}
		serving, err := servingProjects(tx)
		if err != nil {
			return err
		}
		var country string
		if f.Country != nil {
			country = strings.ToUpper(strings.TrimSpace(*f.Country))
		}
		for _, g := range tcmis.FundingGaps(progs, serving) {
			if (f.ProgrammeID != nil && g.ProgrammeID != *f.ProgrammeID) || (f.Country != nil && g.Country != country) ||
				(f.Region != nil && g.Region != *f.Region) {
				continue
			}
			out = append(out, g)
		}
		return nil
	})
	return out, err
}

// servingProjects returns the projects that serve a country programme
// outcome, with their net approvals in US cents.
func servingProjects(tx *Tx) ([]tcmis.ServingProject, error) {
	rows, err := tx.query(`SELECT p.id, p.code, p.status, pco.outcome_code FROM project_country_outcomes pco
		JOIN country_outcomes co ON co.code = pco.outcome_code
		JOIN projects p ON p.id = pco.project_id
		ORDER BY p.id, pco.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tcmis.ServingProject
	index := map[int64]int{}
	var ids []int64
	for rows.Next() {
		var s tcmis.ServingProject
		var code string
		if err := rows.Scan(&s.ProjectID, &s.Code, &s.Status, &code); err != nil {
			return nil, err
		}
		i, ok := index[s.ProjectID]
		if !ok {
			out = append(out, s)
			i = len(out) - 1
			index[s.ProjectID] = i
			ids = append(ids, s.ProjectID)
		}
		out[i].Outcomes = append(out[i].Outcomes, code)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	err = eachChunk(ids, func(in string, args []any) error {
		// The cast keeps PostgreSQL from widening the sum to NUMERIC.
		rows, err := tx.query(`SELECT project_id, CAST(SUM(usd) AS BIGINT) FROM approvals WHERE project_id IN (`+in+`) GROUP BY project_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, usd int64
			if err := rows.Scan(&id, &usd); err != nil {
				return err
			}
			out[index[id]].Approved = usd
		}
		return rows.Err()
	})
	return out, err
}
