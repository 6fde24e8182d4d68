package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
)

func (m *Main) programmeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "programme",
		Short: "Decent Work Country Programmes: priorities, outcomes, UNDAF and PRS involvement, funding gaps",
	}
	cmd.AddCommand(m.programmeListCommand(), m.programmeShowCommand(), m.programmeGapCommand())
	return cmd
}

func plannedTotal(c *tcmis.CountryProgramme) (outcomes int, planned int64) {
	for _, p := range c.Priorities {
		for _, o := range p.Outcomes {
			outcomes++
			planned += o.Planned
		}
	}
	return outcomes, planned
}

func (m *Main) programmeListCommand() *cobra.Command {
	var formatFlag, country, status string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List country programmes with their UNDAF and poverty reduction strategy involvement",
		Example: "  tcmis programme list\n  tcmis programme list --status active --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			var filter tcmis.ProgrammeFilter
			if country != "" {
				c := strings.ToUpper(country)
				filter.Country = &c
			}
			if status != "" {
				s, err := tcmis.ParseProgrammeStatus(status)
				if err != nil {
					return usagef("--status: %v", err)
				}
				filter.Status = &s
			}
			db, err := m.store(cmd.Context())
			if err != nil {
				return err
			}
			cs, _, err := db.FindProgrammes(cmd.Context(), filter)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"ID", "Country", "Title", "Period", "Status", "UNDAF", "PRS", "Outcomes", "Planned (US$)"}, wrap: map[int]int{2: 40}}
			for _, c := range cs {
				n, planned := plannedTotal(c)
				g.add(strconv.FormatInt(c.ID, 10), c.Country+" "+tcmis.CountryName(c.Country), c.Title, fmt.Sprintf("%d-%d", c.StartYear, c.EndYear),
					c.Status.Label(), c.UNDAF.String(), c.PRS.String(), strconv.Itoa(n), usd(planned))
			}
			if cs == nil {
				cs = []*tcmis.CountryProgramme{}
			}
			return write(m.Stdout, f, g, cs)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&country, "country", "", "only this country (ISO code, e.g. GH)")
	cmd.Flags().StringVar(&status, "status", "", "only programmes in this state: draft, active or completed")
	return cmd
}

func (m *Main) programmeShowCommand() *cobra.Command {
	var formatFlag string
	cmd := &cobra.Command{
		Use:     "show COUNTRY|ID",
		Short:   "Show a country programme: priorities, outcomes, the projects serving each and the funding gap",
		Example: "  tcmis programme show GH\n  tcmis programme show 3 --format json",
		Args:    cobra.ExactArgs(1),
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
			var cs []*tcmis.CountryProgramme
			if id, err := strconv.ParseInt(args[0], 10, 64); err == nil {
				c, err := db.FindProgrammeByID(ctx, id)
				if err != nil {
					return err
				}
				cs = []*tcmis.CountryProgramme{c}
			} else {
				country := strings.ToUpper(args[0])
				if cs, _, err = db.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &country}); err != nil {
					return err
				}
				if len(cs) == 0 {
					return tcmis.Errorf(tcmis.ENOTFOUND, "no country programme for %q (tcmis programme list shows them)", args[0])
				}
			}
			type shown struct {
				*tcmis.CountryProgramme
				Funding []tcmis.OutcomeGap `json:"funding"`
			}
			var out []shown
			for _, c := range cs {
				gaps, err := db.FundingGaps(ctx, tcmis.GapFilter{ProgrammeID: &c.ID})
				if err != nil {
					return err
				}
				out = append(out, shown{c, gaps})
			}
			switch f {
			case formatJSON:
				return writeJSON(m.Stdout, out)
			case formatCSV:
				var all []tcmis.OutcomeGap
				for _, s := range out {
					all = append(all, s.Funding...)
				}
				return gapGrid(all).writeCSV(m.Stdout)
			}
			for i, s := range out {
				if i > 0 {
					fmt.Fprintln(m.Stdout)
				}
				writeProgramme(m.Stdout, s.CountryProgramme, s.Funding)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	return cmd
}

func writeProgramme(w io.Writer, c *tcmis.CountryProgramme, gaps []tcmis.OutcomeGap) {
	title := fmt.Sprintf("%s  %s (%s), %d-%d", c.Country, c.Title, tcmis.CountryName(c.Country), c.StartYear, c.EndYear)
	fmt.Fprintf(w, "%s\n%s\n", title, strings.Repeat("=", min(80, len([]rune(title)))))
	fmt.Fprintf(w, "Status: %s\n", c.Status.Label())
	for _, v := range []struct {
		name string
		inv  tcmis.Involvement
	}{{"UNDAF", c.UNDAF}, {"Poverty reduction strategy", c.PRS}} {
		s := v.inv.String()
		if v.inv.Framework != "" {
			s += " — " + v.inv.Framework
			if v.inv.StartYear != 0 && !strings.Contains(v.inv.Framework, strconv.Itoa(v.inv.StartYear)) {
				s += fmt.Sprintf(" (%d-%d)", v.inv.StartYear, v.inv.EndYear)
			}
		}
		fmt.Fprintf(w, "%s: %s\n", v.name, s)
	}
	byCode := map[string]tcmis.OutcomeGap{}
	for _, gp := range gaps {
		byCode[gp.Outcome] = gp
	}
	for _, p := range c.Priorities {
		fmt.Fprintf(w, "\nPriority %d: %s\n", p.Number, p.Title)
		t := &grid{header: []string{"Outcome", "Title", "Global outcomes", "Planned (US$)", "Approved (US$)", "Gap (US$)", "Projects"}, wrap: map[int]int{1: 50}}
		for _, o := range p.Outcomes {
			gp := byCode[o.Code]
			t.add(o.Code, o.Title, strings.Join(o.GlobalOutcomes, " "), usd(gp.Planned), usd(gp.Approved), usd(gp.Gap), strings.Join(gp.Projects, " "))
		}
		t.writeTable(w)
	}
}

func gapGrid(rows []tcmis.OutcomeGap) *grid {
	g := &grid{header: []string{"Region", "Country", "Programme", "Outcome", "Title", "Planned (US$)", "Approved (US$)", "Gap (US$)", "Projects"}, wrap: map[int]int{2: 30, 4: 40}}
	for _, r := range rows {
		g.add(r.Region.Label(), r.Country, r.Programme, r.Outcome, r.Title, usd(r.Planned), usd(r.Approved), usd(r.Gap), strings.Join(r.Projects, " "))
	}
	return g
}

func totalsGrid(what string, ts []tcmis.GapTotal) *grid {
	g := &grid{header: []string{what, "Outcomes", "Planned (US$)", "Approved (US$)", "Gap (US$)"}}
	for _, t := range ts {
		name := t.Name
		if name == "" {
			name = "(no region)"
		}
		g.add(name, strconv.Itoa(t.Outcomes), usd(t.Planned), usd(t.Approved), usd(t.Gap))
	}
	return g
}

func (m *Main) programmeGapCommand() *cobra.Command {
	var formatFlag, country, region, by string
	cmd := &cobra.Command{
		Use:   "gap",
		Short: "The funding gap per country outcome, country and region: the basis for resource mobilisation",
		Long: `For each outcome of the country programmes: the resources planned, the
approvals of the projects that serve it, and the gap still to mobilise
(planned less approved, never below zero). A project serving several
outcomes has its approvals split equally between them. The table shows the
outcomes, then the totals by country and by region; CSV shows the grid
--by chooses (outcome, country or region); JSON has all three.`,
		Example: "  tcmis programme gap\n  tcmis programme gap --region africa\n  tcmis programme gap --by country --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			var filter tcmis.GapFilter
			if country != "" {
				c := strings.ToUpper(country)
				if !tcmis.LookupCodelist(tcmis.ListCountry).Has(c) {
					return usagef("--country %q is not an ISO country code such as GH", country)
				}
				filter.Country = &c
			}
			if region != "" {
				r, err := tcmis.ParseRegion(region)
				if err != nil {
					return usagef("--region: %v", err)
				}
				filter.Region = &r
			}
			if by != "outcome" && by != "country" && by != "region" {
				return usagef("--by %q: choose outcome, country or region", by)
			}
			db, err := m.store(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := db.FundingGaps(cmd.Context(), filter)
			if err != nil {
				return err
			}
			if rows == nil {
				rows = []tcmis.OutcomeGap{}
			}
			countries, regions := tcmis.GapsByCountry(rows), tcmis.GapsByRegion(rows)
			switch f {
			case formatJSON:
				return writeJSON(m.Stdout, struct {
					Outcomes  []tcmis.OutcomeGap `json:"outcomes"`
					Countries []tcmis.GapTotal   `json:"countries"`
					Regions   []tcmis.GapTotal   `json:"regions"`
				}{rows, countries, regions})
			case formatCSV:
				switch by {
				case "country":
					return totalsGrid("Country", countries).writeCSV(m.Stdout)
				case "region":
					return totalsGrid("Region", regions).writeCSV(m.Stdout)
				}
				return gapGrid(rows).writeCSV(m.Stdout)
			}
			if by == "outcome" {
				if err := gapGrid(rows).writeTable(m.Stdout); err != nil {
					return err
				}
				fmt.Fprintln(m.Stdout)
			}
			if by != "region" {
				fmt.Fprintln(m.Stdout, "By country")
				totalsGrid("Country", countries).writeTable(m.Stdout)
				fmt.Fprintln(m.Stdout)
			}
			fmt.Fprintln(m.Stdout, "By region")
			return totalsGrid("Region", regions).writeTable(m.Stdout)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&country, "country", "", "only this country (ISO code, e.g. GH)")
	cmd.Flags().StringVar(&region, "region", "", "only this region (africa, americas, arab-states, asia-pacific, europe)")
	cmd.Flags().StringVar(&by, "by", "outcome", "the level of detail: outcome, country or region")
	return cmd
}
