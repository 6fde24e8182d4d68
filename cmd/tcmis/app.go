package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// DefaultDB is the SQLite file used when neither --db nor TCMIS_DB names a
// database.
const DefaultDB = "tcmis.db"

// Main is the program: its configuration, its input and output, and the
// store it opens. Tests run it with buffers and a temporary database.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Logger         *slog.Logger

	// DSN is the database chosen by --db, TCMIS_DB or the default.
	DSN string
	// Interactive is true when Stderr is a terminal: progress bars are
	// drawn only then.
	Interactive bool

	// Serving, when set, is told the address tcmis serve listens on
	// (tests start it on port 0).
	Serving func(addr string)

	db *sqldb.DB
}

// NewMain returns a program wired to the process's standard streams.
func NewMain() *Main {
	return &Main{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv:      os.Getenv,
		Logger:      slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Interactive: isTerminal(os.Stderr),
	}
}

// Run parses args and runs the command they name.
func (m *Main) Run(ctx context.Context, args []string) error {
	root := m.rootCommand()
	root.SetArgs(args)
	root.SetIn(m.Stdin)
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	return root.ExecuteContext(ctx)
}

// Close closes the store if a command opened it.
func (m *Main) Close() error {
	if m.db != nil {
		return m.db.Close()
	}
	return nil
}

// store opens and migrates the database the first time a command needs it.
func (m *Main) store(ctx context.Context) (*sqldb.DB, error) {
	if m.db != nil {
		return m.db, nil
	}
	db, err := sqldb.Open(ctx, m.DSN)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot prepare database %s: %w", m.DSN, err)
	}
	m.db = db
	return db, nil
}

// actor names the person at the terminal in the audit trail.
func (m *Main) actor(ctx context.Context) context.Context {
	name := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = "cli:" + u.Username
	}
	return tcmis.WithActor(ctx, tcmis.Actor{Name: name})
}

func (m *Main) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "tcmis",
		Short: "Run a technical cooperation programme: donors, projects, money, results and evaluations",
		Long: `tcmis runs a technical cooperation programme: donors and funding agreements,
projects through their cycle, approvals, allocations and monthly expenditure
with the delivery rate, results, country programmes, evaluations and training.

The database is a SQLite file (tcmis.db in the working directory unless
--db or TCMIS_DB says otherwise) or a PostgreSQL database given as a
postgres:// URL. Start with "tcmis demo" to load a demo portfolio.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if m.DSN == "" {
				m.DSN = m.Getenv("TCMIS_DB")
			}
			if m.DSN == "" {
				m.DSN = DefaultDB
			}
			return nil
		},
	}
	root.PersistentFlags().StringVar(&m.DSN, "db", "", "database: a SQLite file path or a postgres:// URL (default $TCMIS_DB or tcmis.db)")
	root.AddCommand(
		m.migrateCommand(),
		m.demoCommand(),
		m.withProjectCycle(m.projectCommand()),
		m.donorCommand(),
		m.importCommand(),
		m.evaluationCommand(),
		m.lessonsCommand(),
		m.programmeCommand(),
		m.resultsCommand(),
		m.deliveryCommand(),
		m.reportCommand(),
		m.iatiCommand(),
		m.userCommand(),
		m.serveCommand(),
	)
	return root
}

func (m *Main) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or update the database schema",
		Long:  "Create the database's tables, or bring an existing database up to date. Other commands do this themselves when needed.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := m.store(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Database %s is up to date.\n", displayDSN(m.DSN))
			return nil
		},
	}
}

func displayDSN(dsn string) string {
	if sqldb.IsPostgres(dsn) {
		if i := strings.Index(dsn, "@"); i >= 0 {
			return "postgres://…" + dsn[i:]
		}
	}
	return dsn
}

// usageError is a mistake in the command line itself; err, when set,
// is the application error that lists its problems.
type usageError struct {
	msg string
	err error
}

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// describeError writes an error for the terminal: the message, then one
// line per problem.
func describeError(err error) string {
	var b strings.Builder
	var imp *importFailed
	var e *tcmis.Error
	switch {
	case errors.As(err, &imp):
		b.WriteString(imp.Error() + "\n")
	case errors.As(err, &e):
		b.WriteString("tcmis: " + e.Message + "\n")
		for _, p := range e.Problems {
			b.WriteString("  - " + p.String() + "\n")
		}
	default:
		b.WriteString("tcmis: " + err.Error() + "\n")
	}
	if isCobraUsage(err) {
		b.WriteString("Run 'tcmis --help' for usage.\n")
	}
	return b.String()
}

func isCobraUsage(err error) bool {
	var u *usageError
	if errors.As(err, &u) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") || strings.Contains(msg, "arg(s)") ||
		strings.HasPrefix(msg, "invalid argument") || strings.HasPrefix(msg, "flag needs an argument")
}

// exitCode is 2 for a usage mistake, 1 for anything else.
func exitCode(err error) int {
	if isCobraUsage(err) {
		return 2
	}
	return 1
}
