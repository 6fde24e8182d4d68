package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
)

func (m *Main) resultsCommand() *cobra.Command {
	var formatFlag, objective string
	cmd := &cobra.Command{
		Use:   "results BIENNIUM",
		Short: "Targets against results for a biennium, with the contribution of each project",
		Long: `For each indicator of a biennium's outcomes: the baseline, the target, the
latest result reported (results are cumulative over the biennium), how far
it goes towards the target, and the results projects reported towards it.

tcmis results carry FROM TO carries the unmet targets of a biennium to the
next where its results framework no longer has them.`,
		Example: "  tcmis results 2004-05\n  tcmis results 2006-07 --objective so2 --format csv\n  tcmis results carry 2004-05 2006-07",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("results takes a biennium, such as 2004-05")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			b, err := tcmis.ParseBiennium(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			var obj *tcmis.Objective
			if objective != "" {
				o, err := tcmis.ParseObjective(objective)
				if err != nil {
					return usagef("--objective: %v", err)
				}
				obj = &o
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			progress, err := db.BienniumResults(ctx, b, obj)
			if err != nil {
				return err
			}
			codes := projectCodes(ctx, db)
			g := &grid{header: []string{"Outcome", "Indicator", "Title", "Unit", "Baseline", "Target", "Achieved", "% of target", "Met", "Reported", "Project contributions"},
				wrap: map[int]int{2: 40, 10: 50}}
			met := 0
			for _, ip := range progress {
				target, achieved, pct, reported := "", "", "", ""
				if ip.Target != nil {
					target = ip.Target.Value.String()
				}
				if ip.HasResult {
					achieved, reported = ip.Achieved.String(), dayString(ip.Reported)
				}
				if ip.HasPercent {
					pct = ip.Percent.String()
				}
				if ip.Met {
					met++
				}
				var contribs []string
				for _, c := range ip.Contributions {
					contribs = append(contribs, codes(c.ProjectID)+" "+c.Value.String())
				}
				g.add(ip.Outcome.Code, ip.Indicator.Code, ip.Indicator.Title, ip.Indicator.Unit, ip.Indicator.Baseline.String(), target, achieved, pct,
					yesNo(ip.Met), reported, strings.Join(contribs, "; "))
			}
			if progress == nil {
				progress = []tcmis.IndicatorProgress{}
			}
			if err := write(m.Stdout, f, g, progress); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "%s: %d indicators, %d targets met\n", b, len(progress), met)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&objective, "objective", "", "only one strategic objective (so1..so4)")
	cmd.AddCommand(m.resultsCarryCommand())
	return cmd
}

// projectCodes returns a function that names projects by code, reading
// each once.
func projectCodes(ctx context.Context, s tcmis.Store) func(id int64) string {
	cache := map[int64]string{}
	return func(id int64) string {
		if c, ok := cache[id]; ok {
			return c
		}
		c := fmt.Sprintf("project %d", id)
		if p, err := s.FindProjectByID(ctx, id); err == nil {
			c = p.Code
		}
		cache[id] = c
		return c
	}
}

func (m *Main) resultsCarryCommand() *cobra.Command {
	var formatFlag string
	cmd := &cobra.Command{
		Use:   "carry FROM TO",
		Short: "Carry a biennium's unmet targets to the next where its framework dropped them",
		Long: `Where the results framework of biennium TO no longer has an outcome or an
indicator of FROM whose target was not met, add it to TO: the outcome (if
TO dropped it), the indicator with the value reached as its baseline, and
the unmet target, noted as carried over. Indicators TO keeps continue there
and are left alone. Running it again adds nothing.`,
		Example: "  tcmis results carry 2004-05 2006-07",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			from, err := tcmis.ParseBiennium(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			to, err := tcmis.ParseBiennium(args[1])
			if err != nil {
				return usagef("%v", err)
			}
			ctx, db, err := m.openFor(cmd)
			if err != nil {
				return err
			}
			plan, err := db.CarryResults(ctx, from, to)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Outcome", "New outcome", "Indicator", "Baseline", "Target", "Note"}, wrap: map[int]int{5: 60}}
			n := 0
			for _, co := range plan.Outcomes {
				for _, ci := range co.Indicators {
					g.add(co.Outcome.Code, yesNo(co.IsNew), ci.Indicator.Code, ci.Indicator.Baseline.String(), ci.Target.Value.String(), ci.Target.Note)
					n++
				}
			}
			if err := write(m.Stdout, f, g, plan); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "%d indicator(s) carried from %s to %s\n", n, from, to)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	return cmd
}
