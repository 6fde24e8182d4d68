package sqldb

// InsertRowForTestC runs an INSERT on the write pool and returns the new
// row's id. Tests of results, evaluations, training and users set up the
// projects and units they refer to with it, whichever store writes those.
func InsertRowForTestC(db *DB, q string, args ...any) (int64, error) {
	var id int64
	err := db.write.QueryRow(db.rebind(q+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// CountForTestC runs a SELECT COUNT(*) query on the write pool, for what
// the store's own methods do not show (a NULL, a row left behind).
func CountForTestC(db *DB, q string, args ...any) (int, error) {
	var n int
	err := db.write.QueryRow(db.rebind(q), args...).Scan(&n)
	return n, err
}

// ExecForTestC runs a statement on the write pool, for a test that must
// break the schema to make a store method fail half-way.
func ExecForTestC(db *DB, q string, args ...any) error {
	_, err := db.write.Exec(db.rebind(q), args...)
	return err
}
