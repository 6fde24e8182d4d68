package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

func (m *Main) projectCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "project",
		Short: "List and show projects",
	}
	cmd.AddCommand(m.projectListCommand(), m.projectShowCommand())
	return cmd
}

func (m *Main) projectListCommand() *cobra.Command {
	var (
		formatFlag                                                               string
		status, source, donor, category, objective, country, region, unit, scope string
		search, sort                                                             string
		limit, offset                                                            int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List projects, with filters",
		Long: `List projects. Filters combine; each takes a code or a label:
  --status ongoing          --source xbtc          --scope interregional
  --donor "United States"   --category un          --objective so1
  --country GH              --region africa        --unit IPEC (lead unit or office)
  --search "child labour"   (every word in the code, title or description)`,
		Example: `  tcmis project list --region africa --status ongoing
  tcmis project list --donor Netherlands --format csv > netherlands.csv
  tcmis project list --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			filter := tcmis.ProjectFilter{Search: search, Sort: sort, Limit: limit, Offset: offset}
			if err := parseProjectFilter(&filter, n, projectFilterFlags{status, source, donor, category, objective, country, region, unit, scope}); err != nil {
				return err
			}
			projects, total, err := db.FindProjects(ctx, filter)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Code", "Title", "Status", "Source", "Scope", "Countries", "Lead unit", "Office", "Start", "End", "Budget", "Currency"},
				wrap: map[int]int{1: 48, 5: 20}}
			for _, p := range projects {
				g.add(p.Code, p.Title, string(p.Status), string(p.Source), string(p.Scope), countryList(p), n.unit(p.LeadUnitID), n.unit(p.OfficeID),
					p.Start.Format(tcmis.DateLayout), p.End.Format(tcmis.DateLayout), budgetCell(f, p), p.Currency)
			}
			if f == formatJSON {
				return writeJSON(m.Stdout, projectListJSON(projects, total, n))
			}
			if err := write(m.Stdout, f, g, nil); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "%d of %d projects\n", len(projects), total)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	fl.StringVar(&status, "status", "", "project status (proposal, appraisal, approved, ongoing, operationally-closed, financially-closed, cancelled)")
	fl.StringVar(&source, report.KeySource, "", "source of funds (xbtc, rbtc, rb, other)")
	fl.StringVar(&donor, "donor", "", "donor name or IATI identifier")
	fl.StringVar(&category, report.KeyCategory, "", "donor category (multi-bilateral, un, eu, ...)")
	fl.StringVar(&objective, "objective", "", "strategic objective (so1..so4, integration, other)")
	fl.StringVar(&country, "country", "", "recipient country (ISO code, e.g. GH)")
	fl.StringVar(&region, report.KeyRegion, "", "region (africa, americas, arab-states, asia-pacific, europe)")
	fl.StringVar(&unit, "unit", "", "lead unit or office code")
	fl.StringVar(&scope, "scope", "", "scope (national, regional, interregional, global)")
	fl.StringVar(&search, "search", "", "words to find in the code, title or description")
	fl.StringVar(&sort, "sort", "code", "sort by code, title, start or end; prefix - for descending")
	fl.IntVar(&limit, "limit", 0, "show at most this many projects (0: all)")
	fl.IntVar(&offset, "offset", 0, "skip this many projects first")
	return cmd
}

type projectFilterFlags struct {
	status, source, donor, category, objective, country, region, unit, scope string
}

// parseProjectFilter turns the list flags into a filter, resolving names
// to ids and refusing values that match nothing, each named by its flag.
// The kinds the reports filter on too (source, region, category) are read
// by the same domain functions as report.ParseParams.
func parseProjectFilter(f *tcmis.ProjectFilter, n *names, fl projectFilterFlags) error {
	var ps []tcmis.Problem
	bad := func(flag, format string, args ...any) {
		ps = append(ps, tcmis.Problem{Field: flag, Message: fmt.Sprintf(format, args...)})
	}
	if fl.status != "" {
		if s, err := tcmis.ParseStatus(fl.status); err != nil {
			bad("status", "%v", err)
		} else {
			f.Status = &s
		}
	}
	if fl.source != "" {
		if s, err := tcmis.ParseSource(fl.source); err != nil {
			bad(report.KeySource, "%v", err)
		} else {
			f.Source = &s
		}
	}
	if fl.category != "" {
		if c, err := tcmis.ParseDonorCategory(fl.category); err != nil {
			bad(report.KeyCategory, "%v", err)
		} else {
			f.Category = &c
		}
	}
	if fl.objective != "" {
		if o, err := tcmis.ParseObjective(fl.objective); err != nil {
			bad("objective", "%v", err)
		} else {
			f.Objective = &o
		}
	}
	if fl.region != "" {
		if r, err := tcmis.ParseRegion(fl.region); err != nil {
			bad(report.KeyRegion, "%v", err)
		} else {
			f.Region = &r
		}
	}
	if fl.scope != "" {
		if s, err := tcmis.ParseScope(fl.scope); err != nil {
			bad("scope", "%v", err)
		} else {
			f.Scope = &s
		}
	}
	if fl.country != "" {
		c := strings.ToUpper(fl.country)
		if !tcmis.LookupCodelist(tcmis.ListCountry).Has(c) {
			bad("country", "%q is not an ISO country code such as GH", fl.country)
		}
		f.Country = &c
	}
	if fl.donor != "" {
		if d := n.donorByName(fl.donor); d == nil {
			bad("donor", "%q: no donor has that name or IATI identifier (see tcmis donor list)", fl.donor)
		} else {
			f.DonorID = &d.ID
		}
	}
	if fl.unit != "" {
		if u := n.unitByCode(fl.unit); u == nil {
			bad("unit", "%q: no unit or office has that code", fl.unit)
		} else {
			f.UnitID = &u.ID
		}
	}
	return invalidOptions(ps)
}

func countryList(p *tcmis.Project) string {
	parts := make([]string, 0, len(p.Countries)+len(p.Regions))
	for _, c := range p.Countries {
		parts = append(parts, c.Country)
	}
	for _, r := range p.Regions {
		parts = append(parts, "region "+r.Code)
	}
	return strings.Join(parts, " ")
}

// budgetCell is the total budget, grouped by thousands for reading and
// plain for CSV.
func budgetCell(f format, p *tcmis.Project) string {
	s := tcmis.FormatAmount(p.TotalBudget().Amount, p.Currency)
	if f == formatTable {
		return groupAmount(s)
	}
	return s
}
