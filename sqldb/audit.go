package sqldb

import (
	"context"

	"github.com/tcmis/tcmis"
)

// FindChanges returns audit entries, newest first.
func (db *DB) FindChanges(ctx context.Context, f tcmis.ChangeFilter) ([]*tcmis.Change, int, error) {
	var (
		out   []*tcmis.Change
		total int
	)
	err := db.view(ctx, func(tx *Tx) error {
		var w where
		if f.Entity != nil {
			w.add("entity = ?", *f.Entity)
		}
		if f.RecordID != nil {
			w.add("record_id = ?", *f.RecordID)
		}
		if f.UserID != nil {
			w.add("user_id = ?", *f.UserID)
		}
		var err error
		if total, err = tx.count(`SELECT COUNT(*) FROM changes`+w.String(), w.args...); err != nil {
			return err
		}
		rows, err := tx.query(tx.page(`SELECT id, changed_at, user_id, actor, entity, record_id, action, old_value, new_value FROM changes`+w.String()+` ORDER BY id DESC`, f.Offset, f.Limit), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c tcmis.Change
			var old, new string
			if err := rows.Scan(&c.ID, scanTime(&c.Time), scanID(&c.UserID), &c.Actor, &c.Entity, &c.RecordID, &c.Action, &old, &new); err != nil {
				return err
			}
			if old != "" {
				c.Old = []byte(old)
			}
			if new != "" {
				c.New = []byte(new)
			}
			out = append(out, &c)
		}
		return rows.Err()
	})
	return out, total, err
}

// LatestChange returns the newest audit entry's id, from the primary key's
// index: it costs the same on ten rows and ten million.
func (db *DB) LatestChange(ctx context.Context) (int64, error) {
	var id int64
	err := db.view(ctx, func(tx *Tx) error {
		return tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM changes`).Scan(&id)
	})
	return id, err
}
