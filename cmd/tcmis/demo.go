package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/demo"
)

func (m *Main) demoCommand() *cobra.Command {
	var (
		scale int
		seed  uint64
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load the demo portfolio into an empty database",
		Long: `Load a realistic demo programme into an empty database: donors of every
category, offices in every region, about 500 projects with their approvals,
allocations and monthly expenditure for 2000-2005 (delivery rates mostly
between 60 and 70 per cent), country programmes, the results framework,
evaluations, lessons and training. The approvals of 2000-2004 are the
organisation's published approvals by donor and year, so reports on the demo
reproduce the published figures.

--scale N loads N times as many projects, deterministically, for benchmarks;
the command reports how many rows it wrote per second.`,
		Example: "  tcmis demo\n  tcmis --db bench.db demo --scale 100",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if scale < 1 {
				return usagef("--scale must be 1 or more")
			}
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			if empty, err := db.Empty(ctx); err != nil {
				return err
			} else if !empty {
				return tcmis.Errorf(tcmis.ECONFLICT, "database %s already holds donors or projects: the demo loads only into an empty database (use --db with a new file)", displayDSN(m.DSN))
			}
			bar := m.progress("loading the demo")
			start := time.Now()
			stats, err := demo.Load(ctx, db, demo.Options{Scale: scale, Seed: seed, Progress: bar.Update})
			bar.Finish()
			if err != nil {
				return err
			}
			elapsed := time.Since(start)
			g := &grid{header: []string{"Records", "Rows"}}
			for _, r := range []struct {
				name string
				n    int64
			}{
				{"Donors and partners", stats.Organisations}, {"Units and offices", stats.Units}, {"Funding agreements", stats.Agreements},
				{"Projects", stats.Projects}, {"Exchange rates", stats.Rates}, {"Approvals", stats.Approvals},
				{"Allocations", stats.Allocations}, {"Monthly expenditures", stats.Expenditures},
				{"Outcomes", stats.Outcomes}, {"Indicators", stats.Indicators}, {"Targets", stats.Targets}, {"Results", stats.Results},
				{"Country programmes", stats.Programmes}, {"Evaluations", stats.Evaluations}, {"Lessons", stats.Lessons},
				{"Training activities", stats.Training},
			} {
				g.add(r.name, groupThousands(fmt.Sprint(r.n)))
			}
			fmt.Fprintf(m.Stdout, "Loaded the demo portfolio (scale %d) into %s:\n\n", scale, displayDSN(m.DSN))
			g.writeTable(m.Stdout)
			fmt.Fprintf(m.Stdout, "\n%s rows in %.1f s: %s rows per second (%s).\n", groupThousands(fmt.Sprint(stats.Total())),
				elapsed.Seconds(), groupThousands(fmt.Sprint(int64(float64(stats.Total())/elapsed.Seconds()))), db.Engine())
			fmt.Fprintln(m.Stdout, "\nNext: tcmis project list, tcmis project show CODE, tcmis donor list.")
			return nil
		},
	}
	cmd.Flags().IntVar(&scale, "scale", 1, "load N times as many projects (deterministic)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "seed of the generator (0: the default portfolio)")
	return cmd
}
