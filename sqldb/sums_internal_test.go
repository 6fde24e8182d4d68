package sqldb

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateBackfill = flag.Bool("update-backfill", false, "rewrite the backfill of migration 0003 from the report sums' folds")

// backfillMarker starts the part of migration 0003 that computes the
// report sums of money stored before it.
const backfillMarker = "-- Backfill: the sums of the money already stored (generated: go test ./sqldb -run TestSumsBackfill -update-backfill).\n"

// TestSumsBackfill checks that migration 0003 computes the sums of a
// database's existing money with the same SQL the store folds new money
// in with.
func TestSumsBackfill(t *testing.T) {
	want := backfillSQL()
	for _, engine := range []string{"sqlite", "postgres"} {
		path := "migrations/" + engine + "/0003_reports.sql"
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		head, got, found := strings.Cut(s, backfillMarker)
		if *updateBackfill {
			if err := os.WriteFile(path, []byte(strings.TrimRight(head, "\n")+"\n\n"+backfillMarker+want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !found {
			t.Errorf("%s has no backfill section", path)
		} else if got != want {
			t.Errorf("%s: the backfill differs from the folds of sums.go; run go test ./sqldb -run TestSumsBackfill -update-backfill", path)
		}
	}
}
