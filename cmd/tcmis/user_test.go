package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	main "github.com/tcmis/tcmis/cmd/tcmis"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// runInput runs the program with stdin as its standard input.
func runInput(t *testing.T, dsn, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := main.NewMain()
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(stdin), &out, &errOut
	m.Getenv = func(string) string { return "" }
	m.Interactive = false
	err = m.Run(context.Background(), append([]string{"--db", dsn}, args...))
	if cerr := m.Close(); cerr != nil {
		t.Error(cerr)
	}
	return out.String(), errOut.String(), err
}

// openStore opens the database the program uses, for what the CLI does
// not show; the caller closes it before running the program again.
func openStore(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestUserCommands(t *testing.T) {
	ctx := context.Background()
	dsn := sqldbtest.DSN(t, "sqlite")
	db := openStore(t, dsn)
	if err := db.CreateUnit(ctx, &tcmis.Unit{Code: "EMP", Name: "Employment", Kind: tcmis.Department}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUnit(ctx, &tcmis.Unit{Code: "DECL", Name: "Declaration", Kind: tcmis.Department}); err != nil {
		t.Fatal(err)
	}
	norway := &tcmis.Organisation{Name: "Norway", Category: tcmis.MultiBilateral}
	if err := db.CreateOrganisation(ctx, norway); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out, errOut, err := runInput(t, dsn, "a long enough password\n",
		"user", "add", "--email", "Raj@Example.org", "--name", "Raj Patel", "--role", "programme-officer", "--unit", "EMP", "--unit", "decl")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Added user raj@example.org (Programme officer)") {
		t.Errorf("add said %q", out)
	}
	if _, errOut, err := runInput(t, dsn, "another good password\n", "user", "add", "--email", "eva@norad.no", "--name", "Eva Berg",
		"--role", "donor-viewer", "--donor", "norway", "--password-stdin"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}

	// Refusals: nothing is stored.
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"short\n", []string{"--email", "x@example.org", "--name", "X", "--role", "viewer"}, "at least 12 characters"},
		{"", []string{"--email", "x@example.org", "--name", "X", "--role", "viewer"}, "no password given"},
		{"a long enough password\n", []string{"--email", "x@example.org", "--name", "X", "--role", "boss"}, "--role"},
		{"a long enough password\n", []string{"--email", "x@example.org", "--name", "X", "--role", "programme-officer", "--unit", "NOPE"}, "NOPE"},
		{"a long enough password\n", []string{"--email", "x@example.org", "--name", "X", "--role", "donor-viewer", "--donor", "Atlantis"}, "Atlantis"},
		{"a long enough password\n", []string{"--email", "RAJ@example.org", "--name", "X", "--role", "viewer"}, "already has the e-mail address"},
		{"a long enough password\n", []string{"--email", "x@example.org", "--role", "viewer"}, "name"},
	} {
		_, errOut, err := runInput(t, dsn, c.stdin, append([]string{"user", "add"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("user add %s: %v (want %q)\n%s", strings.Join(c.args, " "), err, c.want, errOut)
		}
	}

	var users []tcmis.User
	if err := json.Unmarshal([]byte(mustRun(t, dsn, "user", "list", "--format", "json")), &users); err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Email != "eva@norad.no" || users[0].DonorID != norway.ID || len(users[1].UnitIDs) != 2 {
		t.Fatalf("users: %+v", users)
	}
	table := mustRun(t, dsn, "user", "list")
	for _, want := range []string{"E-mail", "raj@example.org", "Programme officer", "DECL, EMP", "Norway", "Donor viewer", "active"} {
		if !strings.Contains(table, want) {
			t.Errorf("list lacks %q:\n%s", want, table)
		}
	}

	// The password works for signing in; passwd changes it.
	signIn := func(pw string) error {
		db := openStore(t, dsn)
		defer db.Close()
		_, _, err := auth.New(db).SignIn(ctx, "raj@example.org", pw, "", "")
		return err
	}
	if err := signIn("a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runInput(t, dsn, "raj@example.org\n", "user", "passwd", "--email", "raj@example.org"); err == nil {
		t.Error("passwd took the e-mail address as password")
	}
	out, errOut, err = runInput(t, dsn, "a brand new password\r\n", "user", "passwd", "--email", "RAJ@example.org", "--password-stdin")
	if err != nil || !strings.Contains(out, "signed out everywhere") {
		t.Fatalf("passwd: %q %v\n%s", out, err, errOut)
	}
	if err := signIn("a long enough password"); tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Errorf("old password: %v", err)
	}
	if err := signIn("a brand new password"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if _, _, err := runInput(t, dsn, "a brand new password\n", "user", "passwd", "--email", "nobody@example.org"); err == nil || !strings.Contains(err.Error(), "nobody@example.org") {
		t.Errorf("passwd for nobody: %v", err)
	}

	// A token: the secret on stdout, once; it signs in through the API.
	out, errOut, err = runInput(t, dsn, "", "user", "token", "--email", "raj@example.org", "--name", "reporting", "--days", "30")
	if err != nil {
		t.Fatal(err, errOut)
	}
	secret := strings.TrimSpace(out)
	if !strings.HasPrefix(secret, "tcmis_") || strings.Contains(secret, "\n") || !strings.Contains(errOut, "not shown again") || !strings.Contains(errOut, "expires on") {
		t.Fatalf("token output %q, %q", out, errOut)
	}
	db = openStore(t, dsn)
	u, err := auth.New(db).TokenUser(ctx, secret)
	db.Close()
	if err != nil || u.Email != "raj@example.org" {
		t.Fatalf("token user: %v %v", u, err)
	}
	if _, _, err := runInput(t, dsn, "", "user", "token", "--email", "raj@example.org", "--name", "x", "--days", "-1"); err == nil {
		t.Error("a token with negative days")
	}
	if _, _, err := runInput(t, dsn, "", "user", "token", "--email", "raj@example.org"); err == nil {
		t.Error("a token without a name")
	}

	// Disabling ends the token and sign-ins.
	if out := mustRun(t, dsn, "user", "disable", "--email", "raj@example.org"); !strings.Contains(out, "is disabled") {
		t.Errorf("disable said %q", out)
	}
	if out := mustRun(t, dsn, "user", "disable", "--email", "raj@example.org"); !strings.Contains(out, "already disabled") {
		t.Errorf("disable again said %q", out)
	}
	if err := signIn("a brand new password"); tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Errorf("disabled user signed in: %v", err)
	}
	db = openStore(t, dsn)
	_, err = auth.New(db).TokenUser(ctx, secret)
	db.Close()
	if tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		t.Errorf("disabled user's token: %v", err)
	}
	if out := mustRun(t, dsn, "user", "list", "--format", "csv"); !strings.Contains(out, "disabled") {
		t.Errorf("list:\n%s", out)
	}

	// The audit trail names the person at the terminal, and holds no hash.
	db = openStore(t, dsn)
	defer db.Close()
	changes, _, err := db.FindChanges(ctx, tcmis.ChangeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	entities := map[string]int{}
	for _, c := range changes {
		entities[c.Entity]++
		if strings.Contains(string(c.New)+string(c.Old), "argon2") || !strings.HasPrefix(c.Actor, "cli") && c.Entity != "unit" && c.Entity != "organisation" {
			t.Errorf("change %+v %s", c, c.New)
		}
	}
	if entities["user"] != 3 || entities["password"] != 3 || entities["api-token"] != 1 {
		t.Errorf("audit entries by entity: %v", entities)
	}
}

func TestUserHelp(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	for _, sub := range []string{"add", "list", "passwd", "disable", "token", "purge-sessions"} {
		if out := mustRun(t, dsn, "user", sub, "--help"); !strings.Contains(out, "Usage:") {
			t.Errorf("tcmis user %s --help:\n%s", sub, out)
		}
	}
}
