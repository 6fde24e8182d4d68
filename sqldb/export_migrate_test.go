package sqldb

import "context"

// MigrateThroughForTest applies the migrations up to and including the one
// named, so that a test can store data as an older schema held it.
func (db *DB) MigrateThroughForTest(ctx context.Context, last string) error {
	return db.migrate(ctx, last)
}
