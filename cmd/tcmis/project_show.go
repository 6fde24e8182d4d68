package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
)

// projectView is a project as the command line shows it: the record with
// its references resolved to names.
type projectView struct {
	*tcmis.Project
	LeadUnit string   `json:"lead_unit"`
	Office   string   `json:"office,omitempty"`
	Donors   []string `json:"donors,omitempty"`
}

func viewProject(p *tcmis.Project, n *names) projectView {
	return projectView{Project: p, LeadUnit: n.unit(p.LeadUnitID), Office: n.unit(p.OfficeID), Donors: n.donorList(p.DonorIDs)}
}

func projectListJSON(ps []*tcmis.Project, total int, n *names) any {
	views := make([]projectView, len(ps))
	for i, p := range ps {
		views[i] = viewProject(p, n)
	}
	return struct {
		Total    int           `json:"total"`
		Projects []projectView `json:"projects"`
	}{total, views}
}

// projectDetail is everything `project show` prints.
type projectDetail struct {
	projectView
	Finance     []tcmis.YearFinance `json:"finance"`
	Evaluations []*tcmis.Evaluation `json:"evaluations"`
	History     []*tcmis.Change     `json:"history"`
}

func (m *Main) projectShowCommand() *cobra.Command {
	var formatFlag string
	cmd := &cobra.Command{
		Use:     "show CODE",
		Short:   "Show one project: summary, funding, budget, delivery by year, evaluations and history",
		Example: "  tcmis project show INT/03/51/USA\n  tcmis project show INT/03/51/USA --format json",
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
			p, err := db.FindProjectByCode(ctx, args[0])
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			d := projectDetail{projectView: viewProject(p, n)}
			if d.Finance, err = db.ProjectFinance(ctx, p.ID); err != nil {
				return err
			}
			if d.Evaluations, _, err = db.FindEvaluations(ctx, tcmis.EvaluationFilter{ProjectID: &p.ID}); err != nil {
				return err
			}
			entity := "project"
			if d.History, _, err = db.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &p.ID, Limit: 20}); err != nil {
				return err
			}
			switch f {
			case formatJSON:
				return writeJSON(m.Stdout, d)
			case formatCSV:
				return d.fields().writeCSV(m.Stdout)
			}
			return d.writeText(m.Stdout)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	return cmd
}

// fields lists the project's summary as field/value pairs.
func (d *projectDetail) fields() *grid {
	p := d.Project
	g := &grid{header: []string{"Field", "Value"}}
	g.add("Code", p.Code)
	g.add("Title", p.Title)
	g.add("Status", p.Status.Label())
	g.add("Source of funds", p.Source.Label())
	g.add("Donors", strings.Join(d.Donors, "; "))
	g.add("Lead unit", d.LeadUnit)
	g.add("Office", d.Office)
	g.add("Scope", p.Scope.Label())
	g.add("Countries and regions", shares(p))
	g.add("Strategic objectives", objectiveShares(p))
	g.add("Period", p.Start.Format(tcmis.DateLayout)+" to "+p.End.Format(tcmis.DateLayout)+fmt.Sprintf(" (%d months)", p.DurationMonths()))
	g.add("Budget", groupAmount(tcmis.FormatAmount(p.TotalBudget().Amount, p.Currency))+" "+p.Currency)
	g.add("Gender marker", p.Gender.String())
	g.add("Tripartite: design", p.Tripartite.Design.String())
	g.add("Tripartite: implementation", p.Tripartite.Implementation.String())
	g.add("Tripartite: monitoring", p.Tripartite.Monitoring.String())
	g.add("Tripartite: evaluation", p.Tripartite.Evaluation.String())
	g.add("Crisis response", map[bool]string{true: "yes", false: "no"}[p.Crisis])
	conv := make([]string, len(p.Conventions))
	for i, c := range p.Conventions {
		conv[i] = fmt.Sprintf("C%d", c)
	}
	g.add("Conventions", strings.Join(conv, " "))
	g.add("Country programme outcomes", strings.Join(p.CountryOutcomes, " "))
	g.add("IATI identifier", p.IATIID)
	return g
}

func shares(p *tcmis.Project) string {
	var parts []string
	for _, c := range p.Countries {
		parts = append(parts, fmt.Sprintf("%s %s%%", tcmis.CountryName(c.Country), c.Percent))
	}
	for _, r := range p.Regions {
		parts = append(parts, fmt.Sprintf("%s %s%%", tcmis.LookupCodelist(tcmis.ListRegion).NameOf(r.Code), r.Percent))
	}
	return strings.Join(parts, "; ")
}

func objectiveShares(p *tcmis.Project) string {
	var parts []string
	for _, o := range p.Objectives {
		s := o.Objective.Label()
		if o.Outcome != "" {
			s += " (outcome " + o.Outcome + ")"
		}
		parts = append(parts, fmt.Sprintf("%s %s%%", s, o.Percent))
	}
	return strings.Join(parts, "; ")
}

func (d *projectDetail) writeText(w io.Writer) error {
	fmt.Fprintf(w, "%s  %s\n%s\n\n", d.Code, d.Title, strings.Repeat("=", min(80, len(d.Code)+2+len(d.Title))))
	if d.Description != "" {
		fmt.Fprintf(w, "%s\n\n", d.Description)
	}
	g := d.fields()
	g.rows = g.rows[2:]
	if err := g.writeRows(w); err != nil {
		return err
	}
	if len(d.Budget) > 0 {
		fmt.Fprintf(w, "\nBudget by type of assistance (%s)\n", d.Currency)
		b := &grid{header: []string{"Type of assistance", "Amount"}}
		for _, l := range d.Budget {
			b.add(l.Type.Label(), groupAmount(tcmis.FormatAmount(l.Amount, d.Currency)))
		}
		b.add("Total", groupAmount(tcmis.FormatAmount(d.TotalBudget().Amount, d.Currency)))
		b.writeTable(w)
	}
	if len(d.Finance) > 0 {
		fmt.Fprintln(w, "\nFunding and delivery by year (US$)")
		b := &grid{header: []string{"Year", "Approved", "Allocated", "Spent", "Delivery rate"}}
		for _, y := range d.Finance {
			rate := "-"
			if y.HasDelivery {
				rate = y.Delivery.String() + "%"
			}
			b.add(fmt.Sprint(y.Year), usd(y.Approved), usd(y.Allocated), usd(y.Spent), rate)
		}
		b.writeTable(w)
	}
	if len(d.Evaluations) > 0 {
		fmt.Fprintln(w, "\nEvaluations")
		b := &grid{header: []string{"Timing", "Type", "Planned", "Done", "Status"}}
		for _, e := range d.Evaluations {
			done := ""
			if !e.Actual.IsZero() {
				done = e.Actual.Format(tcmis.DateLayout)
			}
			b.add(e.Timing.Label(), e.Type.Label(), e.Planned.Format(tcmis.DateLayout), done, e.Status.Label())
		}
		b.writeTable(w)
	}
	if len(d.History) > 0 {
		fmt.Fprintln(w, "\nHistory")
		b := &grid{header: []string{"When", "Who", "What"}}
		for _, c := range d.History {
			b.add(c.Time.Format("2006-01-02 15:04"), c.Actor, c.Action)
		}
		b.writeTable(w)
	}
	return nil
}
