package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"

	"github.com/tcmis/tcmis"
)

//go:embed migrations
var migrations embed.FS

// Engine names the database engine behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is the programme's store. It implements tcmis.Store.
type DB struct {
	engine Engine
	dsn    string
	// write is the connection pool for transactions that write; on SQLite
	// it holds one connection, the only writer.
	write *sql.DB
	// read serves read-only transactions.
	read *sql.DB

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

var _ tcmis.Store = (*DB)(nil)

// IsPostgres reports whether a --db value names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL for
// PostgreSQL, a file path for SQLite. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{dsn: dsn, Now: func() time.Time { return time.Now().UTC() }}
	var err error
	if IsPostgres(dsn) {
		db.engine = Postgres
		if db.write, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		db.write.SetMaxOpenConns(16)
		db.write.SetMaxIdleConns(16)
		db.read = db.write
	} else {
		db.engine = SQLite
		if dsn == "" {
			return nil, tcmis.Errorf(tcmis.EINVALID, "no database given: pass --db FILE or set TCMIS_DB")
		}
		if dir := filepath.Dir(dsn); dir != "." {
			if _, err := filepathStat(dir); err != nil {
				return nil, tcmis.Errorf(tcmis.EINVALID, "cannot open database %s: folder %s does not exist", dsn, dir)
			}
		}
		u := "file:" + (&url.URL{Path: dsn}).EscapedPath()
		if err := createSQLite(ctx, dsn, u); err != nil {
			return nil, err
		}
		pragmas := "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		if db.write, err = sql.Open("sqlite", u+"?"+pragmas+fmt.Sprintf("&_pragma=cache_size(-%d)", sqliteWriteCache)+"&_txlock=immediate"); err != nil {
			return nil, err
		}
		db.write.SetMaxOpenConns(1)
		if db.read, err = sql.Open("sqlite", u+"?"+pragmas+"&_pragma=query_only(1)"); err != nil {
			return nil, err
		}
		db.read.SetMaxOpenConns(4)
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot connect to database %s: %w", redact(dsn), err)
	}
	return db, nil
}

// sqlitePageSize is the page size of the SQLite databases tcmis creates,
// twice SQLite's default, and sqliteWriteCache the page cache of the
// writer's connection (SQLite's default: 2 MiB), in KiB. Measured on an
// IATI import (doc/benchmarks.md): 16 KiB pages were fastest on 200 MB
// and slowest on 1 GB, where the indexes being filled no longer fit the
// cache; 8 KiB pages with an 8 MiB cache were within 6% of the best on
// 200 MB and the best on 1 GB (a quarter faster than 4 KiB pages and 2
// MiB). The demo load gains too. A page size is set when a database is
// created: older ones keep theirs.
const (
	sqlitePageSize   = 8192
	sqliteWriteCache = 8192
)

// createSQLite creates the database file path (URI u) if it does not
// exist or is empty, with the page size tcmis uses, in WAL mode. The
// driver runs the connection pragmas in alphabetical order, journal_mode
// before page_size, and WAL mode fixes the page size: so a connection
// of its own first.
func createSQLite(ctx context.Context, path, u string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 || err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	c, err := sql.Open("sqlite", u)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, q := range []string{fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("cannot create database %s: %w", path, err)
		}
	}
	return nil
}

// Engine returns the engine behind the store.
func (db *DB) Engine() Engine { return db.engine }

// Close closes the connection pools.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Migrate applies the migrations not yet applied, each in a transaction of
// its own, and records them in schema_migrations.
func (db *DB) Migrate(ctx context.Context) error { return db.migrate(ctx, "") }

// migrate applies the migrations up to and including the one named last
// ("": all of them).
func (db *DB) migrate(ctx context.Context, last string) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	dir := "migrations/" + string(db.engine)
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if last != "" && filepath.Base(name) > last {
			break
		}
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", filepath.Base(name), err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if fill := backfills[filepath.Base(name)]; fill != nil {
		if err := fill(&Tx{Tx: tx, db: db, conn: conn, ctx: ctx, now: db.Now()}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO schema_migrations (name) VALUES (?)`), name); err != nil {
		return err
	}
	return tx.Commit()
}

// backfills fill, in Go, what a migration adds, in its transaction.
var backfills = map[string]func(tx *Tx) error{
	"0007_compliance_snapshot.sql": refreshAllCompliance,
	"0008_iati_documents.sql":      backfillActivityDocuments,
}

// Empty reports whether the store holds no projects and no donors, the
// condition for loading the demo portfolio.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM organisations)`).Scan(&n)
	return n == 0, err
}

// rebind turns "?" placeholders into "$1", "$2", ... for PostgreSQL.
func (db *DB) rebind(q string) string {
	if db.engine != Postgres {
		return q
	}
	return rebindDollar(q)
}

func rebindDollar(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// retryable reports whether a transaction failed for a reason that a new
// attempt may not meet: a serialization failure or deadlock on
// PostgreSQL (and distributed engines), a busy database on SQLite.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		code := sqliteErr.Code() & 0xff
		return code == 5 || code == 6 // SQLITE_BUSY, SQLITE_LOCKED
	}
	return false
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
