package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// A user is stored in users, with the units they may edit in user_units.
// UnitIDs are kept sorted: they are a set.

var userFields = []string{"email", "name", "role", "donor_id", "disabled"}

var userColumns = "id, " + columnList(userFields) + ", created_at, version"

// FindUserByID returns one user, or ENOTFOUND.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*tcmis.User, error) {
	var u *tcmis.User
	err := db.view(ctx, func(tx *Tx) (err error) {
		u, err = findUserByID(tx, id)
		return err
	})
	return u, err
}

// FindUsers returns the users that match f, by e-mail address, and how
// many match in all.
func (db *DB) FindUsers(ctx context.Context, f tcmis.UserFilter) ([]*tcmis.User, int, error) {
	var (
		us []*tcmis.User
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		us, n, err = findUsers(tx, f)
		return err
	})
	return us, n, err
}

// CreateUser stores a new user and sets its ID and, unless given, the
// time it was created. An e-mail address already in use is ECONFLICT.
func (db *DB) CreateUser(ctx context.Context, u *tcmis.User) error {
	if err := checkUser(u); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return createUser(tx, u) })
}

// createUser stores a user checked by checkUser.
func createUser(tx *Tx, u *tcmis.User) error {
	if err := userRefs(u).check(tx, "user "+u.Email); err != nil {
		return err
	}
	if err := checkEmailFree(tx, u); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = tx.now
	}
	// Both engines keep microseconds.
	u.CreatedAt = u.CreatedAt.UTC().Truncate(time.Microsecond)
	id, err := tx.insert(`INSERT INTO users (`+columnList(userFields)+`, created_at, version) VALUES (`+columnParams(len(userFields))+`, ?, 1)`,
		append(userValues(u), tx.stamp(u.CreatedAt))...)
	if err != nil {
		return constraintError(err, "a user with e-mail address "+u.Email)
	}
	u.ID, u.Version = id, 1
	if err := copyUserUnits(tx, u); err != nil {
		return err
	}
	return tx.audit("user", id, tcmis.ActionCreate, nil, u)
}

// UpdateUser saves u, replacing its units, unless someone changed it
// since it was read. The creation time stays as stored.
func (db *DB) UpdateUser(ctx context.Context, u *tcmis.User) error {
	if err := checkUser(u); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findUserByID(tx, u.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("users", u.ID, u.Version, "user"); err != nil {
			return err
		}
		if err := userRefs(u).check(tx, "user "+u.Email); err != nil {
			return err
		}
		if err := checkEmailFree(tx, u); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE users SET `+columnSets(userFields)+` WHERE id = ?`, append(userValues(u), u.ID)...); err != nil {
			return constraintError(err, "a user with e-mail address "+u.Email)
		}
		if _, err := tx.exec(`DELETE FROM user_units WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		if err := copyUserUnits(tx, u); err != nil {
			return err
		}
		u.CreatedAt, u.Version = old.CreatedAt, old.Version+1
		return tx.audit("user", u.ID, tcmis.ActionUpdate, old, u)
	})
}

// DeleteUser removes a user. The audit trail keeps their name on the
// changes they made.
func (db *DB) DeleteUser(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findUserByID(tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM user_units WHERE user_id = ?`, id); err != nil {
			return err
		}
		return tx.remove("users", "user", id, old)
	})
}

// checkUser validates u and sorts its units, each listed once.
func checkUser(u *tcmis.User) error {
	var ps []tcmis.Problem
	if err := u.Validate(); err != nil {
		if ps = tcmis.ErrorProblems(err); len(ps) == 0 {
			return err
		}
	}
	if len(u.UnitIDs) == 0 {
		u.UnitIDs = nil
	} else {
		u.UnitIDs = slices.Clone(u.UnitIDs)
		slices.Sort(u.UnitIDs)
	}
	for i, id := range u.UnitIDs {
		if id <= 0 {
			ps = append(ps, tcmis.Problem{Field: "unit_ids", Message: fmt.Sprintf("%d is not a unit id", id)})
		} else if i > 0 && u.UnitIDs[i-1] == id {
			ps = append(ps, tcmis.Problem{Field: "unit_ids", Message: fmt.Sprintf("unit %d is listed twice", id)})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: "user " + u.Email + " is not valid", Problems: ps}
}

func userRefs(u *tcmis.User) *refSet {
	var refs refSet
	refs.add("organisations", "donor", "donor_id", u.DonorID)
	for _, id := range u.UnitIDs {
		refs.add("units", "unit", "unit_ids", id)
	}
	return &refs
}

// checkEmailFree refuses an e-mail address another user has, with a
// message that names it (the unique index would only say "email").
func checkEmailFree(tx *Tx, u *tcmis.User) error {
	n, err := tx.count(`SELECT COUNT(*) FROM users WHERE email = ? AND id <> ?`, u.Email, u.ID)
	if err != nil {
		return err
	} else if n > 0 {
		return tcmis.Errorf(tcmis.ECONFLICT, "another user already has the e-mail address %s", u.Email)
	}
	return nil
}

// userValues returns the values of userFields.
func userValues(u *tcmis.User) []any {
	return []any{u.Email, u.Name, string(u.Role), nullID(u.DonorID), u.Disabled}
}

func copyUserUnits(tx *Tx, u *tcmis.User) error {
	err := tx.copyRows("user_units", []string{"user_id", "unit_id"}, len(u.UnitIDs), func(i int) []any {
		return []any{u.ID, u.UnitIDs[i]}
	})
	return constraintError(err, "a unit of this user")
}

func findUserByID(tx *Tx, id int64) (*tcmis.User, error) {
	us, _, err := findUsers(tx, tcmis.UserFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(us) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "user %d not found", id)
	}
	return us[0], nil
}

func findUsers(tx *Tx, f tcmis.UserFilter) ([]*tcmis.User, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Email != nil {
		w.add("email = ?", strings.ToLower(strings.TrimSpace(*f.Email)))
	}
	total, err := tx.count(`SELECT COUNT(*) FROM users`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+userColumns+` FROM users`+w.String()+` ORDER BY email, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.User
	byID := map[int64]*tcmis.User{}
	var ids []int64
	for rows.Next() {
		var u tcmis.User
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Role, scanID(&u.DonorID), &u.Disabled, scanTime(&u.CreatedAt), &u.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &u)
		byID[u.ID] = &u
		ids = append(ids, u.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	err = eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT user_id, unit_id FROM user_units WHERE user_id IN (`+in+`) ORDER BY user_id, unit_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var user, unit int64
			if err := rows.Scan(&user, &unit); err != nil {
				return err
			}
			byID[user].UnitIDs = append(byID[user].UnitIDs, unit)
		}
		return rows.Err()
	})
	return out, total, err
}
