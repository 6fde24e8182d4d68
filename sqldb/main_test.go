package sqldb_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

// The PostgreSQL server the contract tests create their databases on.
// TCMIS_TEST_POSTGRES=off runs the SQLite half alone (and says so).
func postgresServer() string {
	if v := os.Getenv("TCMIS_TEST_POSTGRES"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// engines runs a contract test on SQLite and on PostgreSQL, each with a
// fresh migrated database.
func engines(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, engine := range []sqldb.Engine{sqldb.SQLite, sqldb.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			test(t, MustOpenDB(t, engine))
		})
	}
}

// MustOpenDB opens a new, migrated, empty database on the engine, and
// drops it when the test ends.
func MustOpenDB(tb testing.TB, engine sqldb.Engine) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	dsn := filepath.Join(tb.TempDir(), "tcmis.db")
	if engine == sqldb.Postgres {
		dsn = createPostgresDB(tb)
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2005, 6, 30, 12, 0, 0, 0, time.UTC) }
	return db
}

func createPostgresDB(tb testing.TB) string {
	tb.Helper()
	server := postgresServer()
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
	return replaceDBName(server, name)
}

func replaceDBName(server, name string) string {
	u, err := urlParse(server)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func ctxAs(name string) context.Context {
	return tcmis.WithActor(context.Background(), tcmis.Actor{Name: name})
}

func mustCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tcmis.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
