package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/sqldb"
)

func (m *Main) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the people who sign in: accounts, passwords, API tokens and sessions",
	}
	cmd.AddCommand(m.userAddCommand(), m.userListCommand(), m.userPasswdCommand(), m.userDisableCommand(), m.userTokenCommand(), m.userPurgeSessionsCommand())
	return cmd
}

// authService opens the store and the sign-in rules on it.
func (m *Main) authService(ctx context.Context) (*sqldb.DB, *auth.Service, error) {
	db, err := m.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	s := auth.New(db)
	s.Logger = m.Logger
	return db, s, nil
}

func (m *Main) userAddCommand() *cobra.Command {
	var (
		u             tcmis.User
		role, donor   string
		units         []string
		passwordStdin bool
	)
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Create a user account with a password",
		Long: `Create a user account. The password is asked twice, without echo, when the
input is a terminal; otherwise (or with --password-stdin) it is the first line
of the standard input. It needs at least 12 characters.

Roles: admin, programme-officer, resource-mobilisation, evaluation-officer,
viewer and donor-viewer. A programme officer edits the projects of the units
and offices given with --unit; a donor viewer sees the projects of the donor
given with --donor.`,
		Example: `  tcmis user add --email ana@example.org --name "Ana Lima" --role admin
  tcmis user add --email raj@example.org --name "Raj Patel" --role programme-officer --unit EMP --unit RO-BANGKOK
  echo "$PASSWORD" | tcmis user add --email eva@norad.no --name "Eva Berg" --role donor-viewer --donor Norway --password-stdin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := m.actor(cmd.Context())
			r, err := tcmis.ParseRole(role)
			if err != nil {
				return usagef("--role: %v", err)
			}
			u.Role = r
			db, s, err := m.authService(ctx)
			if err != nil {
				return err
			}
			if len(units) > 0 || donor != "" {
				n, err := loadNames(ctx, db)
				if err != nil {
					return err
				}
				if u.UnitIDs, err = unitIDs(n, units); err != nil {
					return err
				}
				if u.DonorID, err = donorID(n, donor); err != nil {
					return err
				}
			}
			// Check the account before asking for a password.
			check := u
			if err := check.Validate(); err != nil {
				return err
			}
			pw, err := m.readPassword(passwordStdin, true)
			if err != nil {
				return err
			}
			if err := s.AddUser(ctx, &u, pw); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Added user %s (%s), who can now sign in.\n", u.Email, u.Role.Label())
			return nil
		},
	}
	cmd.Flags().StringVar(&u.Email, "email", "", "e-mail address, used to sign in (required)")
	cmd.Flags().StringVar(&u.Name, "name", "", "full name (required)")
	cmd.Flags().StringVar(&role, "role", "", "role: admin, programme-officer, resource-mobilisation, evaluation-officer, viewer or donor-viewer (required)")
	cmd.Flags().StringSliceVar(&units, "unit", nil, "code of a unit or office a programme officer edits (repeat, or separate with commas)")
	cmd.Flags().StringVar(&donor, "donor", "", "the donor a donor viewer sees: name, IATI identifier or id")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of the standard input")
	for _, f := range []string{"email", "name", "role"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}

func unitIDs(n *names, codes []string) ([]int64, error) {
	var ids []int64
	var ps []tcmis.Problem
	for _, code := range codes {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		if u := n.unitByCode(code); u != nil {
			ids = append(ids, u.ID)
		} else if u := n.unitByCode(strings.ToUpper(code)); u != nil {
			ids = append(ids, u.ID)
		} else {
			ps = append(ps, tcmis.Problem{Field: "unit", Message: fmt.Sprintf("no unit or office has the code %q", code)})
		}
	}
	if len(ps) > 0 {
		return nil, &tcmis.Error{Code: tcmis.EINVALID, Message: "unknown units", Problems: ps}
	}
	return ids, nil
}

func donorID(n *names, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if d := n.donorByName(s); d != nil {
		return d.ID, nil
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && n.donors[id] != nil {
		return id, nil
	}
	return 0, tcmis.Errorf(tcmis.EINVALID, "no donor is named %q or has that IATI identifier or id", s)
}

// readPassword reads a password: from the terminal, without echo, unless
// fromStdin or the input is not a terminal, in which case it is the first
// line of the input. twice asks again to catch a typing mistake.
func (m *Main) readPassword(fromStdin, twice bool) (string, error) {
	if f, ok := m.Stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		ask := func(prompt string) (string, error) {
			fmt.Fprint(m.Stderr, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(m.Stderr)
			return string(b), err
		}
		pw, err := ask("Password: ")
		if err != nil || !twice {
			return pw, err
		}
		again, err := ask("Password again: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			return "", tcmis.Errorf(tcmis.EINVALID, "the two passwords differ")
		}
		return pw, nil
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("cannot read the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", tcmis.Errorf(tcmis.EINVALID, "no password given: type it when asked, or give it on the first line of the standard input")
	}
	return line, nil
}

func (m *Main) userListCommand() *cobra.Command {
	var formatFlag string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the user accounts with their roles, units and donors",
		Example: "  tcmis user list\n  tcmis user list --format json",
		Args:    cobra.NoArgs,
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
			users, _, err := db.FindUsers(ctx, tcmis.UserFilter{})
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"E-mail", "Name", "Role", "Units", "Donor", "Status", "Created"}}
			for _, u := range users {
				codes := make([]string, len(u.UnitIDs))
				for i, id := range u.UnitIDs {
					codes[i] = n.unit(id)
				}
				slices.Sort(codes)
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				g.add(u.Email, u.Name, u.Role.Label(), strings.Join(codes, ", "), n.donor(u.DonorID), status, u.CreatedAt.Format(tcmis.DateLayout))
			}
			if users == nil {
				users = []*tcmis.User{}
			}
			return write(m.Stdout, f, g, users)
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	return cmd
}

// userByEmail finds the user with an e-mail address, or ENOTFOUND.
func userByEmail(ctx context.Context, db *sqldb.DB, email string) (*tcmis.User, error) {
	us, _, err := db.FindUsers(ctx, tcmis.UserFilter{Email: &email})
	if err != nil {
		return nil, err
	} else if len(us) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "no user has the e-mail address %s", strings.ToLower(strings.TrimSpace(email)))
	}
	return us[0], nil
}

func (m *Main) userPasswdCommand() *cobra.Command {
	var (
		email         string
		passwordStdin bool
	)
	cmd := &cobra.Command{
		Use:   "passwd",
		Short: "Set a user's password, ending their sessions",
		Long: `Set a user's password. The user is signed out everywhere. The password is
asked twice, without echo, when the input is a terminal; otherwise (or with
--password-stdin) it is the first line of the standard input.`,
		Example: "  tcmis user passwd --email ana@example.org",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := m.actor(cmd.Context())
			db, s, err := m.authService(ctx)
			if err != nil {
				return err
			}
			u, err := userByEmail(ctx, db, email)
			if err != nil {
				return err
			}
			pw, err := m.readPassword(passwordStdin, true)
			if err != nil {
				return err
			}
			if err := s.SetPassword(ctx, u.ID, pw); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Password of %s changed; they are signed out everywhere.\n", u.Email)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "e-mail address of the user (required)")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of the standard input")
	cmd.MarkFlagRequired("email")
	return cmd
}

func (m *Main) userDisableCommand() *cobra.Command {
	var email string
	cmd := &cobra.Command{
		Use:   "disable",
		Short: "Disable a user account: no more sign-ins, sessions or API tokens",
		Long: `Disable a user account. The user can no longer sign in, and their open
sessions and API tokens stop working at once. The account and its history stay.`,
		Example: "  tcmis user disable --email ana@example.org",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := m.actor(cmd.Context())
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			u, err := userByEmail(ctx, db, email)
			if err != nil {
				return err
			}
			if u.Disabled {
				fmt.Fprintf(m.Stdout, "User %s was already disabled.\n", u.Email)
				return nil
			}
			u.Disabled = true
			if err := db.UpdateUser(ctx, u); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "User %s is disabled.\n", u.Email)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "e-mail address of the user (required)")
	cmd.MarkFlagRequired("email")
	return cmd
}

func (m *Main) userTokenCommand() *cobra.Command {
	var (
		email, name string
		days        int
	)
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Issue an API token for a user (the secret is shown once)",
		Long: `Issue an API token with which another system uses the JSON API as this user,
sending "Authorization: Bearer <secret>". The secret is written to the
standard output once and never stored: keep it now.`,
		Example: "  tcmis user token --email ana@example.org --name reporting --days 30",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if days < 0 {
				return usagef("--days %d: give a number of days, or 0 for a token that does not expire", days)
			}
			ctx := m.actor(cmd.Context())
			db, s, err := m.authService(ctx)
			if err != nil {
				return err
			}
			u, err := userByEmail(ctx, db, email)
			if err != nil {
				return err
			}
			secret, t, err := s.NewAPIToken(ctx, u.ID, name, time.Duration(days)*24*time.Hour)
			if err != nil {
				return err
			}
			until := "does not expire"
			if !t.ExpiresAt.IsZero() {
				until = "expires on " + t.ExpiresAt.Format(tcmis.DateLayout)
			}
			fmt.Fprintf(m.Stderr, "API token %q for %s (%s). Keep the secret now: it is not shown again.\n", t.Name, u.Email, until)
			fmt.Fprintln(m.Stdout, secret)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "e-mail address of the user (required)")
	cmd.Flags().StringVar(&name, "name", "", "name telling this token from the user's others, e.g. the system using it (required)")
	cmd.Flags().IntVar(&days, "days", 90, "days until the token expires (0: never)")
	cmd.MarkFlagRequired("email")
	cmd.MarkFlagRequired("name")
	return cmd
}

func (m *Main) userPurgeSessionsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "purge-sessions",
		Short: "Delete ended sessions and sign-in attempts over a day old",
		Long: `Delete the sessions that have expired and the sign-in attempts over a day old
(the limits on failed sign-ins look back 15 minutes). tcmis serve does this
when it starts and every hour; this command does it once, for a database no
server is running on. Open sessions are not touched.`,
		Example: "  tcmis user purge-sessions",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := m.actor(cmd.Context())
			_, s, err := m.authService(ctx)
			if err != nil {
				return err
			}
			sessions, attempts, err := s.PurgeSessions(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Deleted ended sessions: %d; sign-in attempts over a day old: %d.\n", sessions, attempts)
			return nil
		},
	}
}
