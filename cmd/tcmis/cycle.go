package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// The project cycle on the command line: appraise, approve, move a project
// to another state, start the projects whose start date has come, and
// show a project's way through the cycle. The command line acts as an
// administrator: whoever can run it against the database has the
// database, so it holds no roles back; the audit trail names the user at
// the terminal.

// withProjectCycle adds the cycle's commands to `tcmis project`.
func (m *Main) withProjectCycle(cmd *cobra.Command) *cobra.Command {
	cmd.Short = "List, show, appraise and approve projects, and move them through the cycle"
	cmd.AddCommand(m.projectAppraiseCommand(), m.projectApproveCommand(), m.projectStatusCommand(),
		m.projectStartDueCommand(), m.projectCycleCommand())
	return cmd
}

// cliUser is who the command line acts as: an administrator named after
// the user at the terminal.
func (m *Main) cliUser(ctx context.Context) tcmis.User {
	return tcmis.User{Name: tcmis.ActorFrom(ctx).Name, Role: tcmis.RoleAdmin}
}

// openFor opens the store for a command that writes, with the actor set.
func (m *Main) openFor(cmd *cobra.Command) (context.Context, *sqldb.DB, error) {
	ctx := m.actor(cmd.Context())
	db, err := m.store(ctx)
	return ctx, db, err
}

// openProject parses --format, opens the store, and finds the project a
// command names by its code.
func (m *Main) openProject(cmd *cobra.Command, formatFlag, code string) (format, context.Context, *sqldb.DB, *tcmis.Project, error) {
	f, err := parseFormat(formatFlag)
	if err != nil {
		return "", nil, nil, nil, err
	}
	ctx, db, err := m.openFor(cmd)
	if err != nil {
		return "", nil, nil, nil, err
	}
	p, err := db.FindProjectByCode(ctx, code)
	return f, ctx, db, p, err
}

// parseDay reads an optional --date flag; "" is the zero time (today).
func parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := tcmis.ParseDate(s)
	if err != nil {
		return time.Time{}, usagef("--%s: %v", flag, err)
	}
	return d, nil
}

func dayString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(tcmis.DateLayout)
}

func (m *Main) projectAppraiseCommand() *cobra.Command {
	var (
		formatFlag, answers, appraiser, date, budget, summary, considered string
		criteria                                                          []string
		midTerm                                                           bool
		limit                                                             int
	)
	cmd := &cobra.Command{
		Use:   "appraise CODE",
		Short: "Appraise a project against the quality criteria; shows the lessons offered",
		Long: `Appraise a project's design against the quality criteria, each pass, fail
or na (not applicable) with a comment:

` + criteriaHelp() + `
Mandatory criteria (*) block approval while they fail or are not assessed;
a failed criterion needs a comment, and so does a mandatory one that does
not apply. Findings come from --criterion flags, or from an answers file
(CSV: criterion,result,comment, a header line allowed), or both (the flags
win). A proposal is moved to appraisal first.

The lessons of past evaluations most relevant to the project (same
country, outcome, theme or objective, shared words) are offered with the
reason for each; --considered records which the appraisal took into
account (their ids, or all). Without findings, the command shows the
criteria with what the project's record says and the lessons offered, and
records nothing.

The evaluation plan is agreed here too: --evaluation-budget is what the
project budgets for its independent evaluation (US dollars; the November
2005 policy requires one for budgets over US$350,000), --mid-term-agreed
adds a mid-term evaluation to a project of more than 30 months.`,
		Example: `  tcmis project appraise GHA/06/01/NET
  tcmis project appraise GHA/06/01/NET --criterion tripartite=pass --criterion "risks=fail:no risk log" \
      --evaluation-budget 25000 --considered all
  tcmis project appraise GHA/06/01/NET --answers appraisal.csv --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			day, err := parseDay("date", date)
			if err != nil {
				return err
			}
			findings, err := parseFindings(answers, criteria)
			if err != nil {
				return err
			}
			var evalBudget int64
			if budget != "" {
				if evalBudget, err = tcmis.ParseAmount(budget, tcmis.USD); err != nil {
					return usagef("--evaluation-budget: %v", err)
				}
			}
			f, ctx, db, p, err := m.openProject(cmd, formatFlag, args[0])
			if err != nil {
				return err
			}
			offered, err := db.SuggestLessons(ctx, p.ID, limit)
			if err != nil {
				return err
			}
			v := appraisalView{Project: p.Code, Offered: offered}
			if len(findings) == 0 {
				v.Appraisal = tcmis.NewAppraisal(p.ID)
				if latest, err := db.FindLatestAppraisal(ctx, p.ID); err == nil {
					v.Appraisal, v.Stored = latest, true
				}
				return v.write(m.Stdout, f, p, "Nothing recorded: give findings with --criterion or --answers.")
			}
			// The appraisal is checked before a proposal moves, so that a
			// mistake in the findings leaves the project as it was.
			a := tcmis.NewAppraisal(p.ID)
			a.Appraiser, a.Date, a.MidTermAgreed, a.EvaluationBudget, a.Summary = appraiser, day, midTerm, evalBudget, summary
			if a.Appraiser == "" {
				a.Appraiser = tcmis.ActorFrom(ctx).Name
			}
			if a.Date.IsZero() {
				a.Date = db.Now()
			}
			for _, fd := range findings {
				a.Set(fd.Criterion, fd.Result, fd.Comment)
			}
			if a.LessonsConsidered, err = consideredLessons(considered, offered); err != nil {
				return err
			}
			if err := a.Validate(); err != nil {
				return err
			}
			if p.Status == tcmis.Proposal {
				res, err := db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, Version: p.Version, To: tcmis.Appraisal, Date: day, By: m.cliUser(ctx)})
				if err != nil {
					return err
				}
				p = res.Project
				v.MovedToAppraisal = true
			}
			if err := db.CreateAppraisal(ctx, a); err != nil {
				return err
			}
			v.Appraisal, v.Stored = a, true
			return v.write(m.Stdout, f, p, "")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	fl.StringArrayVar(&criteria, "criterion", nil, "a finding: CRITERION=pass|fail|na[:comment] (repeatable)")
	fl.StringVar(&answers, "answers", "", "a CSV file of findings: criterion,result,comment")
	fl.StringVar(&appraiser, "appraiser", "", "who appraised the project (default: you)")
	fl.StringVar(&date, "date", "", "date of the appraisal, YYYY-MM-DD (default today)")
	fl.StringVar(&budget, "evaluation-budget", "", "US dollars budgeted for the independent evaluation")
	fl.BoolVar(&midTerm, "mid-term-agreed", false, "a mid-term evaluation is agreed for a project of more than 30 months")
	fl.StringVar(&summary, "summary", "", "the appraisal's overall comment")
	fl.StringVar(&considered, "considered", "", "lessons the appraisal took into account: ids separated by commas, or all (the offered ones)")
	fl.IntVar(&limit, "lessons", 10, "how many lessons to offer")
	return cmd
}

func criteriaHelp() string {
	var b strings.Builder
	for _, c := range tcmis.Criteria() {
		mark := " "
		if c.Mandatory() {
			mark = "*"
		}
		fmt.Fprintf(&b, "  %s %-11s %s\n", mark, c, c.Label())
	}
	return b.String()
}

// parseFindings reads the answers file, then the --criterion flags, which
// override it.
func parseFindings(file string, flags []string) ([]tcmis.CriterionResult, error) {
	var out []tcmis.CriterionResult
	var problems []string
	add := func(where, crit, result, comment string) {
		c, err := tcmis.ParseCriterion(crit)
		if err != nil {
			problems = append(problems, where+": "+err.Error())
			return
		}
		r, err := tcmis.ParseAssessment(result)
		if err != nil {
			problems = append(problems, where+": "+err.Error())
			return
		}
		out = append(out, tcmis.CriterionResult{Criterion: c, Result: r, Comment: strings.TrimSpace(comment)})
	}
	if file != "" {
		fh, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r := csv.NewReader(fh)
		r.FieldsPerRecord = -1
		r.TrimLeadingSpace = true
		for line := 1; ; line++ {
			rec, err := r.Read()
			if err == io.EOF {
				break
			} else if err != nil {
				return nil, fmt.Errorf("%s: %v", file, err)
			}
			if len(rec) == 0 || (line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "criterion")) {
				continue
			}
			if len(rec) < 2 {
				problems = append(problems, fmt.Sprintf("%s: line %d: give a criterion and a result (pass, fail or na)", file, line))
				continue
			}
			comment := ""
			if len(rec) > 2 {
				comment = strings.Join(rec[2:], ",")
			}
			add(fmt.Sprintf("%s: line %d", file, line), rec[0], rec[1], comment)
		}
	}
	for _, fl := range flags {
		crit, rest, ok := strings.Cut(fl, "=")
		if !ok {
			problems = append(problems, fmt.Sprintf("--criterion %q: write CRITERION=RESULT[:comment], such as risks=fail:no risk log", fl))
			continue
		}
		result, comment, _ := strings.Cut(rest, ":")
		add("--criterion "+crit, crit, result, comment)
	}
	if len(problems) > 0 {
		return nil, usagef("%s", strings.Join(problems, "\n  "))
	}
	return out, nil
}

// consideredLessons turns --considered into lesson ids.
func consideredLessons(s string, offered []tcmis.LessonMatch) ([]int64, error) {
	s = strings.TrimSpace(s)
	var out []int64
	if strings.EqualFold(s, "all") {
		for _, m := range offered {
			out = append(out, m.Lesson.ID)
		}
		return out, nil
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, usagef("--considered: %q is not a lesson id (see the lessons offered, or tcmis lessons suggest)", part)
		}
		out = append(out, id)
	}
	return out, nil
}

// appraisalView is what `project appraise` shows.
type appraisalView struct {
	Project          string                  `json:"project"`
	Appraisal        *tcmis.ProjectAppraisal `json:"appraisal"`
	Stored           bool                    `json:"stored"`
	MovedToAppraisal bool                    `json:"moved_to_appraisal,omitempty"`
	CanApprove       bool                    `json:"can_approve"`
	Blocking         []tcmis.Problem         `json:"blocking,omitempty"`
	Offered          []tcmis.LessonMatch     `json:"lessons_offered"`
}

func (v *appraisalView) write(w io.Writer, f format, p *tcmis.Project, note string) error {
	err := v.Appraisal.CanApprove()
	v.CanApprove, v.Blocking = err == nil, tcmis.ErrorProblems(err)
	if v.Offered == nil {
		v.Offered = []tcmis.LessonMatch{}
	}
	g := &grid{header: []string{"Criterion", "Mandatory", "Result", "Comment", "The project's record"}, wrap: map[int]int{3: 40, 4: 48}}
	for _, r := range v.Appraisal.Criteria {
		g.add(string(r.Criterion), yesNo(r.Mandatory), r.Result.Label(), r.Comment, tcmis.Evidence(p, r.Criterion))
	}
	switch f {
	case formatJSON:
		return writeJSON(w, v)
	case formatCSV:
		return g.writeCSV(w)
	}
	if v.MovedToAppraisal {
		fmt.Fprintf(w, "Project %s moved from proposal to appraisal.\n", p.Code)
	}
	a := v.Appraisal
	if v.Stored {
		fmt.Fprintf(w, "Appraisal %d of %s by %s on %s\n\n", a.ID, p.Code, a.Appraiser, dayString(a.Date))
	} else {
		fmt.Fprintf(w, "Appraisal form for %s (%s)\n\n", p.Code, p.Status.Label())
	}
	g.writeTable(w)
	if v.Stored {
		fmt.Fprintf(w, "\nEvaluation budget: US$%s; mid-term agreed: %s\n", usd(a.EvaluationBudget), yesNo(a.MidTermAgreed))
	}
	fmt.Fprintln(w)
	if v.CanApprove {
		fmt.Fprintln(w, "The appraisal allows approval.")
	} else {
		fmt.Fprintln(w, "The project cannot be approved yet:")
		for _, b := range v.Blocking {
			fmt.Fprintf(w, "  - %s\n", b.Message)
		}
	}
	fmt.Fprintln(w, "\nLessons offered")
	if len(v.Offered) == 0 {
		fmt.Fprintln(w, "  none found")
	} else {
		considered := map[int64]bool{}
		for _, id := range a.LessonsConsidered {
			considered[id] = true
		}
		lessonGrid(v.Offered, considered).writeTable(w)
	}
	if note != "" {
		fmt.Fprintln(w, "\n"+note)
	}
	return nil
}

func lessonGrid(ms []tcmis.LessonMatch, considered map[int64]bool) *grid {
	g := &grid{header: []string{"ID", "Kind", "Title", "Country", "Score", "Why", "Considered"}, wrap: map[int]int{2: 40, 5: 70}}
	for _, m := range ms {
		g.add(strconv.FormatInt(m.Lesson.ID, 10), m.Lesson.Kind.Label(), m.Lesson.Title, m.Lesson.Country, strconv.Itoa(m.Score),
			strings.Join(m.Reasons, "; "), yesNo(considered[m.Lesson.ID]))
	}
	return g
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (m *Main) projectApproveCommand() *cobra.Command {
	var formatFlag, date, independent string
	cmd := &cobra.Command{
		Use:   "approve CODE",
		Short: "Approve an appraised project and plan its evaluations under the policy in force",
		Long: `Approve a project in appraisal. Its latest appraisal must have no failed
or unassessed mandatory criterion. The evaluations the evaluation policy in
force on the approval date requires are planned and stored with the
approval: under 18 months a final evaluation; 18 to 30 months a mid-term
and a final evaluation; over 30 months annual reviews, a mid-term
evaluation where agreed at appraisal, and a final evaluation; over
US$350,000 the final evaluation is independent (see doc/programme-cycle.md).`,
		Example: "  tcmis project approve GHA/06/01/NET --date 2006-03-01\n  tcmis project approve GHA/06/01/NET --independent internal --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var typ tcmis.EvaluationType
			switch strings.ToLower(independent) {
			case "", "external":
			case "internal":
				typ = tcmis.InternalIndependent
			default:
				return usagef("--independent %q: choose internal or external", independent)
			}
			return m.changeStatus(cmd, args[0], tcmis.Approved, formatFlag, date, "", typ)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&date, "date", "", "approval date, YYYY-MM-DD (default today); decides the policy version")
	cmd.Flags().StringVar(&independent, "independent", "external", "who carries out the independent evaluation: internal or external")
	return cmd
}

func (m *Main) projectStatusCommand() *cobra.Command {
	var formatFlag, date, reason string
	var states []string
	for _, s := range tcmis.Statuses() {
		states = append(states, string(s))
	}
	cmd := &cobra.Command{
		Use:   "status CODE STATE",
		Short: "Move a project to another state of the cycle",
		Long: `Move a project to another state of the project cycle: ` + strings.Join(states, ", ") + `.

` + transitionsHelp() + `
Cancelling, sending a proposal back and reopening need --reason. Moving to
approved does what tcmis project approve does.`,
		Example: "  tcmis project status GHA/06/01/NET appraisal\n  tcmis project status GHA/06/01/NET cancelled --reason \"donor withdrew\"\n  tcmis project status GHA/06/01/NET ongoing --date 2006-07-01",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			to, err := tcmis.ParseStatus(args[1])
			if err != nil {
				return usagef("%v", err)
			}
			return m.changeStatus(cmd, args[0], to, formatFlag, date, reason, "")
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&date, "date", "", "the day the change takes effect, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (required to cancel, send back or reopen)")
	return cmd
}

func transitionsHelp() string {
	var b strings.Builder
	b.WriteString("Moves allowed (the roles that may make them; the command line acts as an administrator):\n")
	for _, t := range tcmis.Transitions() {
		roles := make([]string, len(t.Roles))
		for i, r := range t.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(&b, "  %-21s -> %-20s %s\n", t.From, t.To, strings.Join(roles, ", "))
	}
	return b.String()
}

func (m *Main) changeStatus(cmd *cobra.Command, code string, to tcmis.Status, formatFlag, date, reason string, independent tcmis.EvaluationType) error {
	day, err := parseDay("date", date)
	if err != nil {
		return err
	}
	f, ctx, db, p, err := m.openProject(cmd, formatFlag, code)
	if err != nil {
		return err
	}
	res, err := db.ChangeProjectStatus(ctx, tcmis.StatusChange{ProjectID: p.ID, Version: p.Version, To: to, Date: day, Reason: reason, By: m.cliUser(ctx), Independent: independent})
	if err != nil {
		return err
	}
	return writeCycleResult(m.Stdout, f, res)
}

func writeCycleResult(w io.Writer, f format, res *tcmis.CycleResult) error {
	g := evaluationGrid(res.Planned)
	switch f {
	case formatJSON:
		return writeJSON(w, res)
	case formatCSV:
		return g.writeCSV(w)
	}
	ev := res.Event
	fmt.Fprintf(w, "Project %s: %s -> %s on %s.\n", res.Project.Code, ev.From.Label(), ev.To.Label(), dayString(ev.Date))
	if res.Policy != nil {
		fmt.Fprintf(w, "Evaluations planned under the %s:\n\n", res.Policy)
		g.writeTable(w)
	}
	return nil
}

func evaluationGrid(es []*tcmis.Evaluation) *grid {
	g := &grid{header: []string{"ID", "Timing", "Type", "Planned", "Status", "Budget (US$)", "Title"}, wrap: map[int]int{6: 60}}
	for _, e := range es {
		id := ""
		if e.ID != 0 {
			id = strconv.FormatInt(e.ID, 10)
		}
		g.add(id, string(e.Timing), string(e.Type), dayString(e.Planned), string(e.Status), usd(e.Budget), e.Title)
	}
	return g
}

func (m *Main) projectStartDueCommand() *cobra.Command {
	var formatFlag, date string
	cmd := &cobra.Command{
		Use:     "start-due",
		Short:   "Move to ongoing every approved project whose start date has come",
		Example: "  tcmis project start-due\n  tcmis project start-due --date 2006-07-01",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			day, err := parseDay("date", date)
			if err != nil {
				return err
			}
			ctx, db, err := m.openFor(cmd)
			if err != nil {
				return err
			}
			started, err := db.StartDueProjects(ctx, m.cliUser(ctx), day)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Code", "Start", "Status"}}
			for _, r := range started {
				g.add(r.Project.Code, dayString(r.Project.Start), string(r.Project.Status))
			}
			if started == nil {
				started = []*tcmis.CycleResult{}
			}
			if err := write(m.Stdout, f, g, started); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "%d project(s) started\n", len(started))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&date, "date", "", "the day to start projects on, YYYY-MM-DD (default today)")
	return cmd
}

func (m *Main) projectCycleCommand() *cobra.Command {
	var formatFlag string
	cmd := &cobra.Command{
		Use:     "cycle CODE",
		Short:   "Show where a project stands in the cycle, where it can go, and its history",
		Example: "  tcmis project cycle GHA/06/01/NET",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, ctx, db, p, err := m.openProject(cmd, formatFlag, args[0])
			if err != nil {
				return err
			}
			events, err := db.FindStatusEvents(ctx, p.ID)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Date", "From", "To", "By", "Role", "Reason"}}
			for _, ev := range events {
				g.add(dayString(ev.Date), string(ev.From), string(ev.To), ev.Actor, string(ev.Role), ev.Reason)
			}
			next := tcmis.NextStatuses(p.Status)
			if events == nil {
				events = []*tcmis.StatusEvent{}
			}
			switch f {
			case formatJSON:
				return writeJSON(m.Stdout, struct {
					Code    string               `json:"code"`
					Status  tcmis.Status         `json:"status"`
					Next    []tcmis.Status       `json:"next"`
					History []*tcmis.StatusEvent `json:"history"`
				}{p.Code, p.Status, next, events})
			case formatCSV:
				return g.writeCSV(m.Stdout)
			}
			parts := make([]string, len(next))
			for i, s := range next {
				parts[i] = string(s)
			}
			fmt.Fprintf(m.Stdout, "%s is %s; it can go to: %s\n\n", p.Code, p.Status.Label(), strings.Join(parts, ", "))
			return g.writeTable(m.Stdout)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	return cmd
}
