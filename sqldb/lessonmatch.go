package sqldb

import (
	"context"

	"github.com/tcmis/tcmis"
)

// SuggestLessons offers a project the lessons most relevant to it (at most
// limit; 0 means ten), ranked by tcmis.MatchLessons. Each lesson carries
// the title of its evaluation and the country and global outcomes of the
// project that evaluation looked at.
func (db *DB) SuggestLessons(ctx context.Context, projectID int64, limit int) ([]tcmis.LessonMatch, error) {
	if limit <= 0 {
		limit = 10
	}
	var out []tcmis.LessonMatch
	err := db.view(ctx, func(tx *Tx) error {
		p, err := findProjectByID(tx, projectID)
		if err != nil {
			return err
		}
		lessons, _, err := queryLessons(tx, &where{}, 0, 0)
		if err != nil {
			return err
		}
		var evalIDs []int64
		for _, l := range lessons {
			evalIDs = append(evalIDs, l.EvaluationID)
		}
		type source struct {
			title     string
			projectID int64
		}
		sources := map[int64]source{}
		var projectIDs []int64
		err = eachChunk(evalIDs, func(in string, args []any) error {
			rows, err := tx.query(`SELECT id, title, project_id FROM evaluations WHERE id IN (`+in+`)`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var s source
				if err := rows.Scan(&id, &s.title, scanID(&s.projectID)); err != nil {
					return err
				}
				sources[id] = s
				if s.projectID != 0 {
					projectIDs = append(projectIDs, s.projectID)
				}
			}
			return rows.Err()
		})
		if err != nil {
			return err
		}
		outcomes, err := projectOutcomeCodes(tx, projectIDs)
		if err != nil {
			return err
		}
		cands := make([]tcmis.LessonCandidate, len(lessons))
		for i, l := range lessons {
			s := sources[l.EvaluationID]
			cands[i] = tcmis.LessonCandidate{Lesson: l, Evaluation: s.title, Outcomes: outcomes[s.projectID]}
		}
		out = tcmis.MatchLessons(p, cands, limit)
		return nil
	})
	return out, err
}

// projectOutcomeCodes returns, for each project, the codes of the country
// outcomes and the global outcomes it serves.
func projectOutcomeCodes(tx *Tx, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT project_id, outcome_code FROM project_country_outcomes WHERE project_id IN (`+in+`)
			UNION ALL SELECT project_id, outcome FROM project_objectives WHERE outcome <> '' AND project_id IN (`+in+`)`, append(args, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				return err
			}
			out[id] = append(out[id], code)
		}
		return rows.Err()
	})
	return out, err
}
