package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/chart"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/xlsx"
)

// reportCommand is "tcmis report": one subcommand per report of package
// report, with the flags it uses, and list, workbook and costindex.
func (m *Main) reportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "The programme's statistics as tables, CSV, JSON, Excel workbooks and SVG charts",
		Long: `Reports on approvals, donors, local resource mobilisation, expenditure,
interregional projects, real terms, delivery, evaluation compliance, training
and results, from the records, in thousands of US dollars and percentages
rounded half up as the organisation's tables print them.

  tcmis report list                      the reports and what they show
  tcmis report NAME [flags]              one report (--format table, csv, json, xlsx or svg)
  tcmis report workbook --out FILE.xlsx  every report on a sheet of its own, with charts
  tcmis report costindex set YEAR VALUE  the cost index real terms are computed with

Every figure can be traced to its records: --trace ROW,COLUMN names the
records behind a cell, and the JSON format carries the keys of every row and
column.`,
		Example: "  tcmis report approvals-by-donor --from 2000 --to 2004\n" +
			"  tcmis report expenditure-by-region --source xbtc --format csv\n" +
			"  tcmis report delivery --month 2005-06 --by office\n" +
			"  tcmis report expenditure-by-objective --format svg --out objectives.svg\n" +
			"  tcmis report workbook --out reports.xlsx",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("there is no report %q: tcmis report list names them", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(m.reportListCommand(), m.reportWorkbookCommand(), m.reportCostIndexCommand())
	for _, d := range report.All() {
		cmd.AddCommand(m.reportRunCommand(d))
	}
	return cmd
}

func (m *Main) reportListCommand() *cobra.Command {
	var formatFlag string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the reports",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			type item struct {
				Number  int      `json:"number"`
				Name    string   `json:"name"`
				Title   string   `json:"title"`
				Summary string   `json:"summary"`
				Options []string `json:"options"`
			}
			var items []item
			g := &grid{header: []string{"No.", "Report", "Shows"}, wrap: map[int]int{2: 100}}
			for _, d := range report.All() {
				var opts []string
				for _, o := range d.Options {
					opts = append(opts, string(o))
				}
				items = append(items, item{d.Number, d.Name, d.Title, d.Summary, opts})
				g.add(strconv.Itoa(d.Number), d.Name, d.Title+": "+d.Summary)
			}
			return write(m.Stdout, f, g, items)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	return cmd
}

// reportFlags are the flags of the reports; each report's command
// defines those it uses. The report's options are kept as typed, under
// the names report.ParseParams reads, so that the command line, the web
// screens and the API read them by the same rules.
type reportFlags struct {
	format, out, trace string
	q                  url.Values
}

// paramFlag is one report option on the command line. It keeps what was
// typed for report.ParseParams and reads nothing itself; typ is the type
// the help names (int, string, stringSlice or bool).
type paramFlag struct {
	q        url.Values
	key, typ string
}

func (f *paramFlag) String() string { return strings.Join(f.q[f.key], ",") }
func (f *paramFlag) Type() string   { return f.typ }

func (f *paramFlag) Set(s string) error {
	if f.typ == "stringSlice" {
		f.q.Add(f.key, s)
	} else {
		f.q.Set(f.key, s)
	}
	return nil
}

func (rf *reportFlags) define(cmd *cobra.Command, uses func(report.Option) bool, single bool) {
	fl := cmd.Flags()
	rf.q = url.Values{}
	// param defines the flag of a report option; def is the default the
	// help shows, which the report applies when the flag is not given.
	param := func(key, typ, def, usage string) {
		fl.VarPF(&paramFlag{q: rf.q, key: key, typ: typ}, key, "", usage).DefValue = def
	}
	if single {
		fl.StringVar(&rf.format, "format", "table", "output format: table, csv, json, xlsx or svg")
		fl.StringVar(&rf.out, "out", "", "write to this file instead of the terminal (needed for xlsx)")
		fl.StringVar(&rf.trace, "trace", "", "name the records behind one cell: ROW,COLUMN (row number from 1, column number from 1 or key)")
	}
	if uses(report.OptPeriod) {
		param(report.KeyFrom, "int", "0", "first year of the period (default: five years to the last with records)")
		param(report.KeyTo, "int", "0", "last year of the period")
	}
	if uses(report.OptBase) {
		param(report.KeyBaseFrom, "int", "0", "first year of the period compared with (default: as many years before --from)")
		param(report.KeyBaseTo, "int", "0", "last year of the period compared with")
	}
	if uses(report.OptFilters) {
		param(report.KeySource, "stringSlice", "", "only these sources of funds: xbtc, rbtc, rb, other (comma-separated)")
		param(report.KeyRegion, "stringSlice", "", "only these regions: africa, americas, arab-states, asia-pacific, europe, interregional")
		param(report.KeyOffice, "stringSlice", "", "only the projects of these offices, by unit code (e.g. ILO-Dakar)")
		param(report.KeyCategory, "stringSlice", "", "only these donor categories: multi-bilateral, un, eu, ifi, non-state, direct-trust-fund, ...")
	}
	if uses(report.OptMonth) {
		param(report.KeyMonth, "string", "", "report delivery at the end of this month, YYYY-MM (default: the last with expenditure)")
	}
	if uses(report.OptBy) {
		param(report.KeyBy, "string", "region", "group by region, office, unit or source")
	}
	if uses(report.OptThreshold) {
		param(report.KeyThreshold, "string", "", "list projects whose forecast rate is below this per cent (default: the thresholds set, else 60)")
	}
	if uses(report.OptLimit) {
		param(report.KeyLimit, "int", "100", "list at most this many projects (0: all)")
	}
	if uses(report.OptBiennium) {
		param(report.KeyBiennium, "string", "", "the biennium, such as 2004-05 (default: the last with expenditure)")
	}
	if uses(report.OptMeasure) {
		param(report.KeyMeasure, "string", "expenditure", "what to express in real terms: expenditure or approvals")
	}
	if uses(report.OptAttribute) {
		param(report.KeyAttribute, "bool", "false", "put interregional projects under the regions of their countries, in proportion")
		fl.Lookup(report.KeyAttribute).NoOptDefVal = "true" // --attribute alone is true
	}
	if uses(report.OptToday) {
		param(report.KeyDate, "string", "", "the day evaluations are overdue against, YYYY-MM-DD (default: today)")
	}
}

// params reads the options given with report.ParseParams, by the rules
// of the web screens and the API. Its problems are named by flag
// (--month), as mistakes in the command line.
func (rf *reportFlags) params(ctx context.Context, s report.Store) (report.Params, error) {
	p, err := report.ParseParams(ctx, s, rf.q)
	return p, flagProblems(err)
}

// flagProblems names the problems of an invalid-input error by flag
// (month becomes --month), as mistakes in the command line; any other
// error is returned as it is.
func flagProblems(err error) error {
	var e *tcmis.Error
	if !errors.As(err, &e) || e.Code != tcmis.EINVALID {
		return err
	}
	flagged := &tcmis.Error{Code: e.Code, Message: e.Message, Problems: slices.Clone(e.Problems)}
	for i := range flagged.Problems {
		flagged.Problems[i].Field = "--" + flagged.Problems[i].Field
	}
	return &usageError{msg: flagged.Error(), err: flagged}
}

// invalidOptions is the error of a command's options that cannot be read,
// each problem named by its flag; nil when there are none.
func invalidOptions(ps []tcmis.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return flagProblems(&tcmis.Error{Code: tcmis.EINVALID, Message: "the options are not valid", Problems: ps})
}

func (m *Main) reportRunCommand(d report.Definition) *cobra.Command {
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   d.Name,
		Short: fmt.Sprintf("(%d) %s", d.Number, d.Title),
		Long:  d.Title + ": " + d.Summary + ".",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch rf.format {
			case "table", "csv", "json", "xlsx", "svg":
			default:
				return usagef("--format %q: choose table, csv, json, xlsx or svg", rf.format)
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			p, err := rf.params(ctx, db)
			if err != nil {
				return err
			}
			t, err := report.Run(ctx, db, d.Name, p)
			if err != nil {
				return err
			}
			if rf.trace != "" {
				return m.traceCell(t, rf.trace)
			}
			return m.writeReport(t, rf.format, rf.out)
		},
	}
	rf.define(cmd, d.Uses, true)
	return cmd
}

// writeReport writes a table in a format, to a file or the terminal.
func (m *Main) writeReport(t *report.Table, format, out string) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case "xlsx":
		if out == "" {
			return usagef("--format xlsx writes a workbook: give the file with --out FILE.xlsx")
		}
		err = xlsx.Write(&buf, []*report.Table{t}, xlsx.Options{})
	case "svg":
		err = chart.SVG(&buf, t)
		switch err {
		case chart.ErrNoChart:
			return tcmis.Errorf(tcmis.EINVALID, "report %s has no chart: choose another format", t.Name)
		case chart.ErrEmpty:
			return tcmis.Errorf(tcmis.EINVALID, "report %s has no figures to draw for this selection", t.Name)
		}
	default:
		err = render.Write(&buf, render.Format(format), t)
	}
	if err != nil {
		return err
	}
	return m.output(out, buf.Bytes())
}

// output writes to the file named, or to standard output.
func (m *Main) output(path string, b []byte) error {
	if path == "" {
		_, err := m.Stdout.Write(b)
		return err
	}
	if dir := filepath.Dir(path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return tcmis.Errorf(tcmis.EINVALID, "cannot write %s: folder %s does not exist", path, dir)
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "Wrote %s.\n", path)
	return nil
}

// traceCell prints the keys that select the records behind one cell.
func (m *Main) traceCell(t *report.Table, spec string) error {
	rs, cs, ok := strings.Cut(spec, ",")
	row, err := strconv.Atoi(strings.TrimSpace(rs))
	if !ok || err != nil || row < 1 || row > len(t.Rows) {
		return usagef("--trace %q: give ROW,COLUMN with ROW from 1 to %d", spec, len(t.Rows))
	}
	cs = strings.TrimSpace(cs)
	col := slices.IndexFunc(t.Columns, func(c report.Column) bool { return c.Key == cs })
	if n, err := strconv.Atoi(cs); err == nil {
		col = n - 1
	}
	if col < 0 || col >= len(t.Columns) {
		var keys []string
		for _, c := range t.Columns {
			keys = append(keys, c.Key)
		}
		return usagef("--trace %q: the column is a number from 1 to %d or one of %s", spec, len(t.Columns), strings.Join(keys, ", "))
	}
	r, c := t.Rows[row-1], t.Columns[col]
	figure := ""
	if col < len(r.Cells) {
		figure = c.Format(r.Cells[col])
	}
	keys := t.Trace(row-1, col)
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintf(m.Stdout, "%s\nRow %d (%s), column %q: %s %s\n\nThe figure is made of the %s that match:\n", t.Title, row, r.Cells[0].Text, c.Title, figure, c.Unit.Name, t.Records)
	for _, k := range names {
		fmt.Fprintf(m.Stdout, "  %-10s %s\n", k, keys[k])
	}
	fmt.Fprintln(m.Stdout, "\nA project split between objectives or places counts at its share. Donors, units and offices are by id (tcmis donor list, tcmis project list --format json).")
	return nil
}

func (m *Main) reportWorkbookCommand() *cobra.Command {
	var rf reportFlags
	var out string
	cmd := &cobra.Command{
		Use:   "workbook",
		Short: "Write every report into one Excel workbook, a sheet each, with charts",
		Long: `Write every report into one Excel workbook: a contents sheet, then a sheet per
report with its figures stored as numbers in the unit the report prints
(thousands of US dollars, per cents), number formats that show them as
printed, frozen headers, and a native chart where the report has one.
The flags apply to every report that uses them.`,
		Example: "  tcmis report workbook --out reports.xlsx\n  tcmis report workbook --from 2000 --to 2004 --source xbtc --out xb.xlsx",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("give the workbook's file with --out FILE.xlsx")
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			p, err := rf.params(ctx, db)
			if err != nil {
				return err
			}
			var tables []*report.Table
			for _, d := range report.All() {
				t, err := report.Run(ctx, db, d.Name, p)
				if err != nil {
					return fmt.Errorf("report %s: %w", d.Name, err)
				}
				tables = append(tables, t)
			}
			var buf bytes.Buffer
			if err := xlsx.Write(&buf, tables, xlsx.Options{Contents: true, Title: "Technical cooperation programme: statistics"}); err != nil {
				return err
			}
			return m.output(out, buf.Bytes())
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the workbook to write, FILE.xlsx")
	rf.define(cmd, func(o report.Option) bool { return o != report.OptAttribute && o != report.OptMeasure }, false)
	return cmd
}

func (m *Main) reportCostIndexCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "costindex",
		Short: "The cost index of each year, by which real terms are computed",
		Long: `The level of costs of each year, relative to any base year (1.0 there), by
which the real-terms report deflates amounts: the organisation uses the cost
increases of its regular budget. 1.035 means costs 3.5 per cent above the base
year.`,
	}
	var formatFlag, note string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the cost index of every year",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			db, err := m.store(cmd.Context())
			if err != nil {
				return err
			}
			cs, err := db.FindCostIndex(cmd.Context())
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Year", "Index", "Note"}}
			for _, c := range cs {
				g.add(strconv.Itoa(c.Year), c.Value.String(), c.Note)
			}
			if cs == nil {
				cs = []*tcmis.CostIndex{}
			}
			return write(m.Stdout, f, g, cs)
		},
	}
	list.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	set := &cobra.Command{
		Use:     "set YEAR VALUE",
		Short:   "Set the cost index of a year",
		Example: "  tcmis report costindex set 2000 1\n  tcmis report costindex set 2004 1.108 --note \"RB cost increases 2000-04\"",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("costindex set takes a year and a value, such as 2004 1.108")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := costIndexOf(args[0], args[1])
			if err != nil {
				return err
			}
			c.Note = note
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			if err := db.SetCostIndex(ctx, c); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Cost index of %d set to %s.\n", c.Year, c.Value)
			return nil
		},
	}
	set.Flags().StringVar(&note, "note", "", "where the figure comes from")
	del := &cobra.Command{
		Use:   "delete YEAR",
		Short: "Remove the cost index of a year",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("costindex delete takes a year")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			y, err := strconv.Atoi(args[0])
			if err != nil {
				return usagef("%q is not a year", args[0])
			}
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			if err := db.DeleteCostIndex(ctx, y); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Cost index of %d removed.\n", y)
			return nil
		},
	}
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Set the cost index of several years from a CSV file of year,value[,note] lines",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("costindex import takes a CSV file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			cs, err := readCostIndex(filepath.Base(args[0]), bytes.NewReader(b))
			if err != nil {
				return err
			}
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if err := db.SetCostIndex(ctx, c); err != nil {
					return err
				}
			}
			fmt.Fprintf(m.Stdout, "Cost index set for %d years.\n", len(cs))
			return nil
		},
	}
	cmd.AddCommand(list, set, del, imp)
	return cmd
}

func costIndexOf(year, value string) (*tcmis.CostIndex, error) {
	y, err := strconv.Atoi(strings.TrimSpace(year))
	if err != nil {
		return nil, usagef("%q is not a year", year)
	}
	v, err := tcmis.ParseDecimal(value)
	if err != nil {
		return nil, usagef("%v", err)
	}
	c := &tcmis.CostIndex{Year: y, Value: v}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// readCostIndex reads year,value[,note] lines, a header line allowed, and
// reports every bad line.
func readCostIndex(name string, r io.Reader) ([]*tcmis.CostIndex, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	lines, err := cr.ReadAll()
	if err != nil {
		return nil, tcmis.Errorf(tcmis.EINVALID, "%s: %v", name, err)
	}
	var out []*tcmis.CostIndex
	var ps []tcmis.Problem
	for i, l := range lines {
		if len(l) == 0 || i == 0 && strings.EqualFold(strings.TrimSpace(l[0]), "year") {
			continue
		}
		if len(l) < 2 {
			ps = append(ps, tcmis.Problem{Field: fmt.Sprintf("%s: line %d", name, i+1), Message: "give a year and a value"})
			continue
		}
		c, err := costIndexOf(l[0], l[1])
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: fmt.Sprintf("%s: line %d", name, i+1), Message: err.Error()})
			continue
		}
		if len(l) > 2 {
			c.Note = strings.TrimSpace(l[2])
		}
		out = append(out, c)
	}
	if len(ps) > 0 {
		return nil, &tcmis.Error{Code: tcmis.EINVALID, Message: "the cost index file is not valid; nothing was set", Problems: ps}
	}
	return out, nil
}
