package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis/importer"
)

func (m *Main) importCommand() *cobra.Command {
	var (
		sheet           string
		allowDuplicates bool
		check           bool
	)
	kinds := make([]string, 0, len(importer.Kinds()))
	var help strings.Builder
	for _, k := range importer.Kinds() {
		kinds = append(kinds, string(k))
		var cols []string
		for _, c := range importer.Columns(k) {
			name := c.Name
			if c.Required {
				name += "*"
			}
			cols = append(cols, name)
		}
		fmt.Fprintf(&help, "  %-13s %s\n", k, wrapWords(strings.Join(cols, ", "), 62, strings.Repeat(" ", 16)))
	}
	cmd := &cobra.Command{
		Use:   "import KIND FILE",
		Short: "Import " + strings.Join(kinds, ", ") + " from a CSV or XLSX file",
		Long: `Import records from a CSV file or an XLSX workbook with a header row.

The whole file is checked first: every bad row is reported with its row
number, column and reason, and a file with any error imports nothing.
Money rows identical to stored ones are refused as duplicates, so that a
file imported twice is not counted twice. Import in this order into a new
database: rates, donors, units, projects, then approvals, allocations and
expenditures.

Columns (* required; doc/import.md describes each, with its aliases):
` + help.String(),
		Example: `  tcmis import approvals ../shared/seed/approvals-2000-2004.csv
  tcmis import expenditures march.xlsx --sheet Expenditure
  tcmis import projects new-projects.csv --check`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("import takes a kind (%s) and a file", strings.Join(kinds, ", "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, err := importer.ParseKind(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			bar := m.progress("importing " + args[1])
			summary, err := importer.ImportFile(ctx, db, kind, args[1], importer.Options{
				Sheet: sheet, AllowDuplicates: allowDuplicates, Check: check, Progress: bar.Update,
			})
			bar.Finish()
			if err != nil {
				var rowErrs *importer.Errors
				if errors.As(err, &rowErrs) {
					return &importFailed{rowErrs}
				}
				return err
			}
			fmt.Fprintln(m.Stdout, summary)
			if check {
				fmt.Fprintln(m.Stdout, "The file is ready to import (--check: nothing was stored).")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&sheet, "sheet", "", "the workbook sheet to read (default: the sheet named like the kind, else the first)")
	cmd.Flags().BoolVar(&allowDuplicates, "allow-duplicates", false, "import money rows even when identical ones are stored")
	cmd.Flags().BoolVar(&check, "check", false, "check the file against the database and store nothing")
	return cmd
}

// importFailed reports a refused file: every problem, then what to do.
type importFailed struct{ errs *importer.Errors }

func (e *importFailed) Error() string {
	return fmt.Sprintf("%s\nNothing was imported: correct the rows above and import the file again.", e.errs.Error())
}

func wrapWords(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if line+1+len(w) > width {
				b.WriteString("\n" + indent)
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}
