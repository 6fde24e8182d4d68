// Package sqldb stores the programme in SQL through database/sql: SQLite by
// default (a pure-Go driver, so CGO_ENABLED=0 builds work) and PostgreSQL
// through pgx. Both engines share the SQL of this package, written with "?"
// placeholders and rebound for PostgreSQL; their schemas are embedded
// migrations, one folder per engine.
//
// Every exported method is one transaction, composed from unexported
// helpers that take a *Tx. Writes go through one connection on SQLite and
// retry on serialization failures on PostgreSQL; each records its changes
// in the audit trail in the same transaction. Bulk creations take each
// engine's fast path: prepared statements in one transaction on SQLite,
// COPY on PostgreSQL.
//
// The SQL is kept to what PostgreSQL-compatible distributed engines
// (Citus, YugabyteDB) also run: no triggers, no LISTEN/NOTIFY, no
// engine-specific functions in the core path.
package sqldb
