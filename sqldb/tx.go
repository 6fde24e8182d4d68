package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/tcmis/tcmis"
)

// Tx is a transaction with the helpers every store method uses: SQL
// written with "?" placeholders, dates and times in each engine's own
// form, the audit trail and bulk loading.
type Tx struct {
	*sql.Tx
	db    *DB
	conn  *sql.Conn
	ctx   context.Context
	now   time.Time
	actor tcmis.Actor
	sums  *pendingSums // what bulk creations add to the report sums
	// compliance is the projects whose compliance snapshot to refresh
	// before commit.
	compliance *pendingCompliance
}

const maxAttempts = 5

// update runs fn in a write transaction, retrying it when the engine asks
// for a retry (a serialization failure, a busy database).
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if err = db.run(ctx, db.write, false, fn); err == nil || !retryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt*attempt) * 10 * time.Millisecond)
	}
	return err
}

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(tx *Tx) error) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	opts := &sql.TxOptions{}
	if readOnly && db.engine == Postgres {
		opts.ReadOnly = true
	}
	sqlTx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqlTx, db: db, conn: conn, ctx: ctx, now: db.Now(), actor: tcmis.ActorFrom(ctx)}
	err = fn(tx)
	if err == nil {
		err = tx.sumsFlush()
	}
	if err == nil {
		err = tx.complianceFlush()
	}
	if err != nil {
		sqlTx.Rollback()
		return err
	}
	return sqlTx.Commit()
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(tx.ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(tx.ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	return tx.QueryRowContext(tx.ctx, tx.db.rebind(q), args...)
}

// insert runs an INSERT and returns the new row's id.
func (tx *Tx) insert(q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// count runs a SELECT COUNT(*) query.
func (tx *Tx) count(q string, args ...any) (int, error) {
	var n int
	err := tx.queryRow(q, args...).Scan(&n)
	return n, err
}

// date turns a day into what the engine stores: a DATE on PostgreSQL, the
// text YYYY-MM-DD on SQLite.
func (tx *Tx) date(t time.Time) any { return tx.db.date(t) }

func (db *DB) date(t time.Time) any {
	if db.engine == Postgres {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return t.Format(tcmis.DateLayout)
}

// optDate is date for an optional day: NULL when zero.
func (tx *Tx) optDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return tx.date(t)
}

// stamp turns an instant into a TIMESTAMPTZ or an RFC 3339 text.
func (tx *Tx) stamp(t time.Time) any {
	if tx.db.engine == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// nullID stores a zero reference as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// timeValue scans a date or timestamp stored by either engine.
type timeValue struct{ t *time.Time }

func (v timeValue) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*v.t = time.Time{}
	case time.Time:
		*v.t = s.UTC()
	case string:
		return v.parse(s)
	case []byte:
		return v.parse(string(s))
	default:
		return fmt.Errorf("cannot read %T as a time", src)
	}
	return nil
}

func (v timeValue) parse(s string) error {
	if s == "" {
		*v.t = time.Time{}
		return nil
	}
	if len(s) == len(tcmis.DateLayout) { // a date on SQLite: most of what is read
		if t, err := time.Parse(tcmis.DateLayout, s); err == nil {
			*v.t = t.UTC()
			return nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, tcmis.DateLayout, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			*v.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("cannot read %q as a time", s)
}

func scanTime(t *time.Time) timeValue { return timeValue{t} }

// idValue scans a nullable reference into 0 for NULL.
type idValue struct{ id *int64 }

func (v idValue) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*v.id = n.Int64
	return nil
}

func scanID(id *int64) idValue { return idValue{id} }

// audit records a change in the audit trail. old and new are stored as
// JSON; nil leaves the side empty.
func (tx *Tx) audit(entity string, id int64, action string, old, new any) error {
	enc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	o, err := enc(old)
	if err != nil {
		return err
	}
	n, err := enc(new)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO changes (changed_at, user_id, actor, entity, record_id, action, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.stamp(tx.now), nullID(tx.actor.UserID), tx.actor.Name, entity, id, action, o, n)
	return err
}

// bump takes the next version of a record, refusing with ECONFLICT when the
// stored version is no longer the one the caller read, and with ENOTFOUND
// when the record is gone.
func (tx *Tx) bump(table string, id int64, version int, what string) error {
	res, err := tx.exec(`UPDATE `+table+` SET version = version + 1 WHERE id = ? AND version = ?`, id, version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	if n, err := tx.count(`SELECT COUNT(*) FROM `+table+` WHERE id = ?`, id); err != nil {
		return err
	} else if n == 0 {
		return tcmis.Errorf(tcmis.ENOTFOUND, "%s %d not found", what, id)
	}
	return tcmis.Errorf(tcmis.ECONFLICT, "this %s was changed by someone else since you opened it: reload it and make your change again", what)
}

// remove deletes a record, recording its last values in the audit trail.
func (tx *Tx) remove(table, entity string, id int64, old any) error {
	res, err := tx.exec(`DELETE FROM `+table+` WHERE id = ?`, id)
	if err != nil {
		if e := constraintError(err, entity); tcmis.ErrorCode(e) == tcmis.EINVALID {
			// A reference from elsewhere blocks the deletion.
			return tcmis.Errorf(tcmis.ECONFLICT, "this %s cannot be deleted: other records still refer to it", entity)
		}
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tcmis.Errorf(tcmis.ENOTFOUND, "%s %d not found", entity, id)
	}
	return tx.audit(entity, id, tcmis.ActionDelete, old, nil)
}

// reserveIDs takes n new ids for table, for bulk loads that must know
// their rows' ids before writing them.
func (tx *Tx) reserveIDs(table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.db.engine == Postgres {
		// One row back, not n: the ids as a comma-separated list.
		var list string
		if err := tx.queryRow(`SELECT string_agg(nextval(pg_get_serial_sequence(?, 'id'))::text, ',') FROM generate_series(1, ?)`, table, n).Scan(&list); err != nil {
			return nil, err
		}
		for _, f := range strings.Split(list, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("reserve ids for %s: %w", table, err)
			}
			ids = append(ids, id)
		}
		return ids, nil
	}
	// SQLite has one writer: the ids after the largest ever given (the
	// tables are AUTOINCREMENT, so a deleted record's id is never reused)
	// are free until this transaction ends.
	var max int64
	if err := tx.queryRow(`SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), COALESCE((SELECT MAX(id) FROM `+table+`), 0))`, table).Scan(&max); err != nil {
		return nil, err
	}
	for i := int64(1); i <= int64(n); i++ {
		ids = append(ids, max+i)
	}
	return ids, nil
}

// copyRows writes n rows into table with each engine's fast path: COPY on
// PostgreSQL, multi-row prepared INSERTs on SQLite. row(i) returns the
// values of row i in the order of cols; copyRows is done with them before
// it asks for the next row, so row may fill and return the same slice.
func (tx *Tx) copyRows(table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	if tx.db.engine == Postgres {
		return tx.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("copy into %s: unexpected driver connection %T", table, dc)
			}
			_, err := c.Conn().CopyFrom(tx.ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
				return row(i), nil
			}))
			return err
		})
	}
	return tx.insertRows(table, cols, "", n, row)
}

// insertRows writes n rows into table with multi-row prepared INSERTs,
// each followed by suffix (an ON CONFLICT clause, or ""): copyRows's path
// on SQLite, and the upserts of the report sums on both engines. row is
// as for copyRows.
func (tx *Tx) insertRows(table string, cols []string, suffix string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	perStmt := max(1, min(sqliteRowsPerStmt, sqliteMaxParams/len(cols)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	prefix := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	// The INSERTs run on the driver's connection, which is in this
	// transaction, with one argument buffer for all of them: through
	// database/sql every statement would copy and convert its thousands
	// of arguments again, and the garbage slowed large loads by a fifth.
	return tx.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("copy into %s: unexpected driver connection %T", table, dc)
		}
		prepare := func(rows int) (driver.StmtExecContext, error) {
			st, err := conn.PrepareContext(tx.ctx, tx.db.rebind(prefix+strings.TrimSuffix(strings.Repeat(one+",", rows), ",")+suffix))
			if err != nil {
				return nil, err
			}
			se, ok := st.(driver.StmtExecContext)
			if !ok {
				st.Close()
				return nil, fmt.Errorf("copy into %s: unexpected driver statement %T", table, st)
			}
			return se, nil
		}
		var full driver.StmtExecContext // the statement of perStmt rows
		defer func() {
			if full != nil {
				full.(driver.Stmt).Close()
			}
		}()
		args := make([]driver.NamedValue, 0, perStmt*len(cols))
		for start := 0; start < n; start += perStmt {
			end := min(start+perStmt, n)
			args = args[:0]
			for i := start; i < end; i++ {
				for _, v := range row(i) {
					dv, err := driverValue(v)
					if err != nil {
						return fmt.Errorf("copy into %s, row %d: %w", table, i, err)
					}
					args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: dv})
				}
			}
			var err error
			if end-start == perStmt {
				if full == nil {
					if full, err = prepare(perStmt); err != nil {
						return err
					}
				}
				_, err = full.ExecContext(tx.ctx, args)
			} else {
				var last driver.StmtExecContext
				if last, err = prepare(end - start); err != nil {
					return err
				}
				_, err = last.ExecContext(tx.ctx, args)
				last.(driver.Stmt).Close()
			}
			if err != nil {
				return constraintError(err, table)
			}
		}
		return nil
	})
}

// How many rows one INSERT of copyRows carries on SQLite, and SQLite's
// limit on the parameters of a statement (SQLITE_MAX_VARIABLE_NUMBER).
const (
	sqliteRowsPerStmt = 200
	sqliteMaxParams   = 32766
)

// driverValue converts an argument as database/sql does before handing it
// to a driver that has no converter of its own.
func driverValue(v any) (driver.Value, error) {
	switch x := v.(type) {
	case nil, int64, float64, bool, []byte, string, time.Time:
		return v, nil
	case int:
		return int64(x), nil
	}
	return driver.DefaultParameterConverter.ConvertValue(v)
}

// constraintError turns a broken uniqueness or reference into an
// application error a user can act on.
func constraintError(err error, what string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"), strings.Contains(msg, "duplicate key value"), strings.Contains(msg, "(SQLSTATE 23505)"):
		return tcmis.Errorf(tcmis.ECONFLICT, "%s already exists (%s)", what, uniqueDetail(msg))
	case strings.Contains(msg, "FOREIGN KEY constraint failed"), strings.Contains(msg, "violates foreign key constraint"):
		return tcmis.Errorf(tcmis.EINVALID, "%s refers to a record that does not exist, or other records still refer to it", what)
	}
	return err
}

func uniqueDetail(msg string) string {
	if i := strings.Index(msg, "UNIQUE constraint failed: "); i >= 0 {
		return "same " + strings.TrimSpace(msg[i+len("UNIQUE constraint failed: "):])
	}
	if i := strings.Index(msg, "Key ("); i >= 0 {
		return strings.TrimSpace(msg[i:])
	}
	return "a record with the same key"
}

// page applies an offset and a limit to a query.
func (tx *Tx) page(q string, offset, limit int) string {
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	} else if offset > 0 && tx.db.engine == SQLite {
		q += " LIMIT -1"
	}
	if offset > 0 {
		q += fmt.Sprintf(" OFFSET %d", offset)
	}
	return q
}

// where builds a WHERE clause from conditions added one by one.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
