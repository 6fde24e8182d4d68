package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
	"github.com/tcmis/tcmis/iati/validate"
)

func (m *Main) iatiCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "iati",
		Short: "Import, validate and export IATI activity files",
		Long: `Read the projects other organisations publish in the IATI standard, check
IATI files as the official IATI validator does, and publish the portfolio
as IATI 2.03 activity XML. doc/iati.md describes the mapping.`,
	}
	cmd.AddCommand(m.iatiImportCommand(), m.iatiValidateCommand(), m.iatiExportCommand())
	return cmd
}

func (m *Main) iatiImportCommand() *cobra.Command {
	var (
		formatFlag string
		unit       string
		noValidate bool
		listMax    int
	)
	cmd := &cobra.Command{
		Use:   "import FILE|DIR...",
		Short: "Import IATI activity files (versions 1.01 to 2.03)",
		Long: `Import IATI activity files, and the .xml files in directories. Each
activity updates the project it belongs to (by IATI identifier, then by
code) or becomes a new project, led by the unit given with --unit (IATI by
default, created if missing). Importing a file again updates its projects
and never duplicates them.

Each file is imported whole or not at all. Problems that do not stop an
import (an attribute the schema does not allow, a missing code, an element
out of order, every finding of the IATI validator) are warnings; values
tcmis cannot take (an impossible date, amount or code, a missing
identifier) are errors, and a file with errors imports nothing. The
summary counts activities, transactions, warnings and errors.`,
		Example: `  tcmis iati import ../shared/iati/samples/iom-2.03.xml
  tcmis iati import downloads/ --format json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("iati import takes one or more files or directories")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseTextFormat(formatFlag)
			if err != nil {
				return err
			}
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			opts := iati.Options{}
			if unit != "" {
				us, _, err := db.FindUnits(ctx, tcmis.UnitFilter{Code: &unit})
				if err != nil {
					return err
				}
				if len(us) == 0 {
					return usagef("--unit %s: there is no unit with that code", unit)
				}
				opts.Unit = us[0]
			}
			if !noValidate {
				if opts.Validator, err = validate.New(validate.Options{MaxProblems: 10000}); err != nil {
					return err
				}
			}
			tuneGC(m.Getenv)
			var bar *progressBar
			summaries, err := iati.ImportPaths(ctx, db, args, opts, func(path string) iati.Options {
				o := opts
				if bar != nil {
					bar.Finish()
				}
				bar = m.progress("importing " + filepath.Base(path))
				o.Progress = bar.Update
				return o
			})
			if bar != nil {
				bar.Finish()
			}
			if summaries == nil && err != nil {
				return err
			}
			if werr := writeImportSummaries(m.Stdout, f, summaries, listMax); werr != nil {
				return werr
			}
			return err
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&unit, "unit", "", "code of the unit that leads the projects the import creates (default IATI)")
	cmd.Flags().BoolVar(&noValidate, "no-validate", false, "do not run the IATI validator's schema, codelist and ruleset checks")
	cmd.Flags().IntVar(&listMax, "list", 20, "warnings listed per file in the text output (json lists all kept)")
	return cmd
}

// tuneGC trades memory the import does not need for less garbage
// collection: collections at four times the live heap rather than twice,
// but never letting the heap pass 120 MB, so that a file of any size
// imports in well under 200 MB. GOGC and GOMEMLIMIT still win.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(120 << 20)
	}
}

// parseTextFormat accepts text or json.
func parseTextFormat(s string) (string, error) {
	switch f := strings.ToLower(s); f {
	case "text", "json":
		return f, nil
	}
	return "", usagef("--format %q: choose text or json", s)
}

func writeImportSummaries(w io.Writer, f string, ss []*iati.Summary, listMax int) error {
	var total struct {
		Files        int             `json:"files"`
		Imported     int             `json:"imported"`
		Activities   int             `json:"activities"`
		Transactions int             `json:"transactions"`
		Warnings     int             `json:"warnings"`
		Errors       int             `json:"errors"`
		Summaries    []*iati.Summary `json:"summaries"`
	}
	total.Files, total.Summaries = len(ss), ss
	for _, s := range ss {
		if s.Imported {
			total.Imported++
		}
		total.Activities += s.Activities
		total.Transactions += s.Transactions
		total.Warnings += s.WarningCount
		total.Errors += s.ErrorCount
		if s.Warnings == nil {
			s.Warnings = []iati.Warning{}
		}
		if s.Errors == nil {
			s.Errors = []iati.Warning{}
		}
	}
	if f == "json" {
		return writeJSON(w, total)
	}
	for _, s := range ss {
		if s.Imported {
			fmt.Fprintf(w, "%s: imported (IATI %s): %s activities (%s new projects, %s updated), %s transactions, %s warnings\n",
				s.File, s.Version, count(s.Activities), count(s.Created), count(s.Updated), count(s.Transactions), count(s.WarningCount))
		} else {
			fmt.Fprintf(w, "%s: NOT imported: %s errors, %s warnings; nothing from this file was stored\n", s.File, count(s.ErrorCount), count(s.WarningCount))
			for _, e := range s.Errors {
				fmt.Fprintf(w, "  error: %s\n", e)
			}
			if more := s.ErrorCount - len(s.Errors); more > 0 {
				fmt.Fprintf(w, "  and %s more errors\n", count(more))
			}
		}
		for i, warn := range s.Warnings {
			if i >= listMax {
				fmt.Fprintf(w, "  and %s more warnings (--list N shows more; --format json lists them all)\n", count(s.WarningCount-listMax))
				break
			}
			fmt.Fprintf(w, "  warning: %s\n", warn)
		}
	}
	fmt.Fprintf(w, "Total: %s of %s files imported, %s activities, %s transactions, %s warnings, %s errors\n",
		count(total.Imported), count(total.Files), count(total.Activities), count(total.Transactions), count(total.Warnings), count(total.Errors))
	return nil
}

func count(n int) string { return groupThousands(fmt.Sprint(n)) }

func (m *Main) iatiValidateCommand() *cobra.Command {
	var (
		formatFlag string
		ruleset    string
	)
	cmd := &cobra.Command{
		Use:   "validate [--ruleset FILE.json] [--format text|json] FILE...",
		Short: "Check IATI files against the schema, the codelists and the IATI ruleset",
		Long: `Check IATI activity and organisation files as the official IATI validator
does: the XML schema of the version each declares, the codelists, and the
IATI Standard Ruleset (or the ruleset given with --ruleset). Every problem
is listed with its rule, severity, message, activity, line and column.

The exit status is 0 when no file has an error (warnings allowed), and 1
otherwise. The JSON output is an array with one report per file.`,
		Example: `  tcmis iati validate ../shared/iati/samples/*.xml
  tcmis iati validate --format json export.xml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("iati validate takes one or more files")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseTextFormat(formatFlag)
			if err != nil {
				return err
			}
			v, err := validate.New(validate.Options{RulesetPath: ruleset})
			if err != nil {
				return fmt.Errorf("cannot load the ruleset: %w", err)
			}
			var jsonReports [][]byte
			errs, failed := 0, 0
			for _, path := range args {
				r, err := v.ValidateFile(path)
				if err != nil {
					failed++
					if f == "text" {
						fmt.Fprintf(m.Stdout, "%s: cannot be validated: %v\n", path, err)
						continue
					}
					r = &validate.Report{File: path, Problems: []validate.Problem{unreadable(err)}}
				}
				errs += r.Errors()
				if f == "json" {
					var buf bytes.Buffer
					if err := validate.WriteJSON(&buf, r); err != nil {
						return err
					}
					jsonReports = append(jsonReports, bytes.TrimSpace(buf.Bytes()))
				} else if err := validate.WriteText(m.Stdout, r); err != nil {
					return err
				}
			}
			if f == "json" {
				fmt.Fprintf(m.Stdout, "[\n%s\n]\n", bytes.Join(jsonReports, []byte(",\n")))
			}
			switch {
			case failed > 0:
				return fmt.Errorf("%d of %d files could not be validated", failed, len(args))
			case errs > 0:
				return fmt.Errorf("%d errors in %d files", errs, len(args))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&ruleset, "ruleset", "", "a ruleset in the IATI validator's JSON format (default: the IATI Standard Ruleset)")
	return cmd
}

// unreadable is the problem of a file that cannot be validated at all.
func unreadable(err error) validate.Problem {
	p := validate.Problem{RuleID: validate.RuleXML, Severity: validate.SeverityError, Category: "XML", Message: err.Error()}
	var se *validate.SyntaxError
	if errors.As(err, &se) {
		p.Line, p.Column, p.Message = se.Line, se.Column, se.Error()
	}
	return p
}

func (m *Main) iatiExportCommand() *cobra.Command {
	var (
		org string
		out string
	)
	cmd := &cobra.Command{
		Use:   "export [--org REF] [--out FILE]",
		Short: "Publish the portfolio as IATI 2.03 activity XML",
		Long: `Write every project as an IATI 2.03 activity: the activities imported from
IATI files as they were imported, and for each other project an activity
built from the project, its approvals (incoming commitments) and its
monthly expenditure. The file validates against the IATI 2.03 schema.

--org names the reporting organisation by its IATI identifier (default
XM-DAC-41302, the International Labour Organization); its name and type
come from the donor list when it is there.`,
		Example: `  tcmis iati export --out portfolio.xml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			reporting := iati.ILO
			if org != "" && org != iati.ILO.Ref {
				reporting = tcmis.Org{Ref: org, Type: "40"}
				found, _, err := db.FindOrganisations(ctx, tcmis.OrganisationFilter{Ref: &org})
				if err != nil {
					return err
				}
				if len(found) > 0 {
					reporting.Name = tcmis.Narratives{{Lang: "en", Text: found[0].Name}}
					if found[0].Type != "" {
						reporting.Type = found[0].Type
					}
				} else {
					return usagef("--org %s: no organisation has that IATI identifier (add it as a donor with that ref first)", org)
				}
			}
			w := m.Stdout
			var tmp *os.File
			if out != "" && out != "-" {
				if tmp, err = os.CreateTemp(filepath.Dir(out), ".tcmis-export-*.xml"); err != nil {
					return fmt.Errorf("cannot write %s: %w", out, err)
				}
				defer os.Remove(tmp.Name())
				w = tmp
			}
			bar := m.progress("exporting")
			n, err := iati.Export(ctx, db, w, iati.ExportOptions{Reporting: &reporting, Progress: bar.Update})
			bar.Finish()
			if tmp != nil {
				if cerr := tmp.Close(); err == nil {
					err = cerr
				}
				if err == nil {
					err = os.Rename(tmp.Name(), out)
				}
			}
			if err != nil {
				return err
			}
			if tmp != nil {
				fmt.Fprintf(m.Stdout, "Exported %s activities to %s.\n", count(n), out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", iati.ILO.Ref, "IATI identifier of the reporting organisation")
	cmd.Flags().StringVar(&out, "out", "", "file to write (default: standard output)")
	return cmd
}
