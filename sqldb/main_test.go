package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

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
	dsn := sqldbtest.DSN(tb, string(engine))
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

func ctxAs(name string) context.Context {
	return tcmis.WithActor(context.Background(), tcmis.Actor{Name: name})
}

func mustCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tcmis.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
