// Package sqldbtest gives tests a fresh database on either engine: a
// SQLite file in a temporary folder, or a PostgreSQL database created on
// the test server and dropped when the test ends.
package sqldbtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Engines are the engines every contract test runs on.
var Engines = []string{"sqlite", "postgres"}

// PostgresServer is the server tests create their databases on:
// $TCMIS_TEST_POSTGRES, or the local server. TCMIS_TEST_POSTGRES=off skips
// the PostgreSQL half of the tests, and says so.
func PostgresServer() string {
	if v := os.Getenv("TCMIS_TEST_POSTGRES"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// DSN returns the --db value of a new, empty database on the engine
// ("sqlite" or "postgres"), removed when the test ends.
func DSN(tb testing.TB, engine string) string {
	tb.Helper()
	if engine == "sqlite" {
		return filepath.Join(tb.TempDir(), "tcmis.db")
	}
	server := PostgresServer()
	if server == "off" {
		tb.Skip("PostgreSQL half skipped: TCMIS_TEST_POSTGRES=off")
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "tcmis_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("cannot create a PostgreSQL test database on %s (set TCMIS_TEST_POSTGRES to another server, or to off to skip): %v", server, err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
