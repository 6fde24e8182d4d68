package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
)

func (m *Main) evaluationCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evaluation",
		Short: "Evaluation plans, compliance with the evaluation policy, and the policy's versions",
	}
	cmd.AddCommand(m.evaluationPlanCommand(), m.evaluationComplianceCommand(), m.evaluationPolicyCommand())
	return cmd
}

func (m *Main) evaluationPlanCommand() *cobra.Command {
	var formatFlag, date string
	cmd := &cobra.Command{
		Use:   "plan CODE",
		Short: "Show a project's evaluation plan under its policy version",
		Long: `Show a project's evaluation plan: the policy version that applies, what it
requires, and the evaluations. For an approved project these are the stored
evaluations and its compliance; for a project not yet approved, the
evaluations approval on --date (default today) would plan.`,
		Example: "  tcmis evaluation plan GHA/06/01/NET\n  tcmis evaluation plan GHA/06/01/NET --date 2006-03-01 --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			day, err := parseDay("date", date)
			if err != nil {
				return err
			}
			f, ctx, db, p, err := m.openProject(cmd, formatFlag, args[0])
			if err != nil {
				return err
			}
			plan, err := db.EvaluationPlan(ctx, p.ID, day)
			if err != nil {
				return err
			}
			g := evaluationGrid(plan.Evaluations)
			switch f {
			case formatJSON:
				return writeJSON(m.Stdout, plan)
			case formatCSV:
				return g.writeCSV(m.Stdout)
			}
			r := plan.Requirements
			fmt.Fprintf(m.Stdout, "%s  %s\n", p.Code, p.Title)
			fmt.Fprintf(m.Stdout, "%s, %d months, budget US$%s\n", p.Status.Label(), r.Months, usd(r.BudgetUSD))
			if plan.Proposed {
				fmt.Fprintf(m.Stdout, "Not approved yet: the plan approval would make under the %s\n", plan.Policy)
			} else if plan.Policy != nil {
				fmt.Fprintf(m.Stdout, "Approved on %s under the %s\n", dayString(plan.ApprovedOn), plan.Policy)
			} else {
				fmt.Fprintf(m.Stdout, "Approved on %s, when no evaluation policy was in force\n", dayString(plan.ApprovedOn))
			}
			if plan.Issue != "" {
				fmt.Fprintf(m.Stdout, "Approval would be refused: %s\n", plan.Issue)
			}
			if r.Rule != "" {
				fmt.Fprintf(m.Stdout, "Rule: %s\nRequired: %s\n", r.Rule, strings.Join(r.List(), ", "))
			}
			if c := plan.Compliance; c != nil {
				fmt.Fprintf(m.Stdout, "Compliance: %s (planned %d, done %d, overdue %d)", c.State, c.Planned, c.Done, c.Overdue)
				if len(c.Missing) > 0 {
					fmt.Fprintf(m.Stdout, "; missing: %s", strings.Join(c.Missing, ", "))
				}
				fmt.Fprintln(m.Stdout)
			}
			fmt.Fprintln(m.Stdout)
			return g.writeTable(m.Stdout)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&date, "date", "", "for a project not yet approved: the approval date to plan for (default today)")
	return cmd
}

func (m *Main) evaluationComplianceCommand() *cobra.Command {
	var formatFlag, date, state string
	var overdue bool
	cmd := &cobra.Command{
		Use:   "compliance",
		Short: "Each approved project's evaluations against the policy: required, planned, done, overdue",
		Long: `List every approved project with what its evaluation policy version requires
and where its evaluations stand. A project approved outside the cycle
(imported, or the demo) counts as approved on its first funding approval,
or its start date, and follows the version in force then.

States: missing (a required evaluation is not planned), overdue (a planned
evaluation is past its date), planned, done, no-policy (approved before
any policy was in force).`,
		Example: "  tcmis evaluation compliance\n  tcmis evaluation compliance --overdue --date 2006-06-30\n  tcmis evaluation compliance --state missing --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			filter := tcmis.ComplianceFilter{}
			if filter.Today, err = parseDay("date", date); err != nil {
				return err
			}
			if overdue {
				state = string(tcmis.ComplianceOverdue)
			}
			if state != "" {
				s := tcmis.ComplianceState(strings.ToLower(state))
				switch s {
				case tcmis.ComplianceMissing, tcmis.ComplianceOverdue, tcmis.CompliancePlanned, tcmis.ComplianceDone, tcmis.ComplianceNoPolicy:
				default:
					return usagef("--state %q: choose missing, overdue, planned, done or no-policy", state)
				}
				filter.State = &s
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			cs, err := db.EvaluationCompliance(ctx, filter)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Code", "Status", "Approved", "Policy", "Months", "Budget (US$)", "Required", "Planned", "Done", "Overdue", "Missing", "State"},
				wrap: map[int]int{3: 30, 6: 40, 10: 40}}
			counts := map[tcmis.ComplianceState]int{}
			for _, c := range cs {
				g.add(c.Code, string(c.Status), dayString(c.ApprovedOn), c.Policy, strconv.Itoa(c.Requirements.Months), usd(c.Requirements.BudgetUSD),
					strings.Join(c.Requirements.List(), ", "), strconv.Itoa(c.Planned), strconv.Itoa(c.Done), strconv.Itoa(c.Overdue),
					strings.Join(c.Missing, ", "), string(c.State))
				counts[c.State]++
			}
			if cs == nil {
				cs = []*tcmis.Compliance{}
			}
			if err := write(m.Stdout, f, g, cs); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "%d projects: %d done, %d planned, %d overdue, %d missing, %d before any policy\n", len(cs),
					counts[tcmis.ComplianceDone], counts[tcmis.CompliancePlanned], counts[tcmis.ComplianceOverdue], counts[tcmis.ComplianceMissing], counts[tcmis.ComplianceNoPolicy])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().BoolVar(&overdue, "overdue", false, "only projects with an evaluation past its date")
	cmd.Flags().StringVar(&state, "state", "", "only projects in this state: missing, overdue, planned, done or no-policy")
	cmd.Flags().StringVar(&date, "date", "", "the day evaluations are overdue against, YYYY-MM-DD (default today)")
	return cmd
}

func (m *Main) evaluationPolicyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "The versions of the evaluation policy",
		Long: `The evaluation policy's thresholds are data: each version takes effect on a
date, and a project follows the version in force on the day it was
approved. The database starts with the evaluation framework of November
2002 (GB.285/PFA/10) and the evaluation policy of November 2005
(GB.294/PFA/8/4).`,
	}
	var formatFlag string
	list := &cobra.Command{
		Use:     "list",
		Short:   "List the versions of the evaluation policy",
		Example: "  tcmis evaluation policy list\n  tcmis evaluation policy list --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			db, err := m.store(cmd.Context())
			if err != nil {
				return err
			}
			ps, err := db.FindEvaluationPolicies(cmd.Context())
			if err != nil {
				return err
			}
			g := &grid{header: []string{"ID", "Effective", "Name", "Reference", "Final only under (months)", "Mid-term up to (months)", "Review every (months)", "Independent over (US$)", "Budget line"}}
			for _, p := range ps {
				g.add(strconv.FormatInt(p.ID, 10), dayString(p.Effective), p.Name, p.Ref, strconv.Itoa(p.FinalOnlyUnder), strconv.Itoa(p.MidTermUpTo),
					strconv.Itoa(p.ReviewEvery), usd(p.IndependentOver), yesNo(p.BudgetLine))
			}
			if ps == nil {
				ps = []*tcmis.EvaluationPolicy{}
			}
			return write(m.Stdout, f, g, ps)
		},
	}
	list.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")

	var (
		name, ref, effective, independentOver string
		finalUnder, midTermUpTo, reviewEvery  int
		budgetLine                            bool
	)
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a version of the evaluation policy, taking effect on a date",
		Long: `Add a version of the evaluation policy. Projects approved from --effective on
follow it; projects approved before keep the version they were approved
under. A version projects were approved under cannot be changed.`,
		Example: `  tcmis evaluation policy add --name "Evaluation policy 2008" --ref GB.301/PFA/x \
      --effective 2008-01-01 --final-only-under 18 --mid-term-up-to 30 --independent-over 500000 --budget-line`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			day, err := parseDay("effective", effective)
			if err != nil {
				return err
			}
			if day.IsZero() {
				return usagef("--effective: say from which day the version applies (YYYY-MM-DD)")
			}
			over, err := tcmis.ParseAmount(independentOver, tcmis.USD)
			if err != nil {
				return usagef("--independent-over: %v", err)
			}
			ctx, db, err := m.openFor(cmd)
			if err != nil {
				return err
			}
			p := &tcmis.EvaluationPolicy{Name: name, Ref: ref, Effective: day, FinalOnlyUnder: finalUnder, MidTermUpTo: midTermUpTo,
				ReviewEvery: reviewEvery, IndependentOver: over, BudgetLine: budgetLine}
			if err := db.CreateEvaluationPolicy(ctx, p); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Added evaluation policy %d: %s.\n", p.ID, p)
			return nil
		},
	}
	fl := add.Flags()
	fl.StringVar(&name, "name", "", "name of the policy")
	fl.StringVar(&ref, "ref", "", "the governing body document that adopted it")
	fl.StringVar(&effective, "effective", "", "the day it takes effect, YYYY-MM-DD")
	fl.IntVar(&finalUnder, "final-only-under", 18, "projects shorter than this many months have a final evaluation only")
	fl.IntVar(&midTermUpTo, "mid-term-up-to", 30, "projects up to this many months have a mid-term and a final evaluation; longer ones annual reviews")
	fl.IntVar(&reviewEvery, "review-every", 12, "months between annual reviews")
	fl.StringVar(&independentOver, "independent-over", "350000", "US dollars over which a project needs an independent evaluation")
	fl.BoolVar(&budgetLine, "budget-line", false, "independent evaluations must be budgeted in the project")
	cmd.AddCommand(list, add)
	return cmd
}
