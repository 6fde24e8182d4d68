package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
)

func (m *Main) lessonsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "lessons", Short: "Lessons learned and good practices fed back into new projects"}
	var formatFlag string
	var limit int
	suggest := &cobra.Command{
		Use:   "suggest CODE",
		Short: "Offer a project the lessons of past evaluations most relevant to it",
		Long: `Offer a project the lessons learned and good practices most relevant to it,
with the reason for each: same country, same country or global outcome,
same theme, same strategic objective, same type of assistance, words in
common. tcmis project appraise records which ones the appraisal considered.`,
		Example: "  tcmis lessons suggest GHA/06/01/NET\n  tcmis lessons suggest GHA/06/01/NET --limit 3 --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, ctx, db, p, err := m.openProject(cmd, formatFlag, args[0])
			if err != nil {
				return err
			}
			ms, err := db.SuggestLessons(ctx, p.ID, limit)
			if err != nil {
				return err
			}
			if ms == nil {
				ms = []tcmis.LessonMatch{}
			}
			g := lessonGrid(ms, nil)
			g.header, g.rows = g.header[:len(g.header)-1], trimLast(g.rows)
			if err := write(m.Stdout, f, g, ms); err != nil {
				return err
			}
			if f == formatTable && len(ms) == 0 {
				fmt.Fprintln(m.Stdout, "No lesson shares a country, an outcome, a theme or an objective with this project.")
			}
			return nil
		},
	}
	suggest.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	suggest.Flags().IntVar(&limit, "limit", 10, "how many lessons to offer at most")
	cmd.AddCommand(suggest)
	return cmd
}

// trimLast drops the last cell of each row.
func trimLast(rows [][]string) [][]string {
	for i, r := range rows {
		rows[i] = r[:len(r)-1]
	}
	return rows
}
