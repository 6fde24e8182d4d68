package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis/sqldb"
)

// TestSQLiteNewDatabase checks what a new SQLite database is made with:
// 8 KiB pages (the driver would fix 4 KiB ones by turning WAL on first)
// and WAL mode.
func TestSQLiteNewDatabase(t *testing.T) {
	_, raw := rawDB(t, sqldb.SQLite)
	var size int
	var mode string
	if err := raw.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if size != 8192 || mode != "wal" {
		t.Errorf("page size %d, journal mode %s; want 8192, wal", size, mode)
	}
}
