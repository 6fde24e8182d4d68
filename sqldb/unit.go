package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tcmis/tcmis"
)

const unitColumns = `id, code, name, kind, parent_id, region, country, version`

// FindUnitByID returns one unit, or ENOTFOUND.
func (db *DB) FindUnitByID(ctx context.Context, id int64) (*tcmis.Unit, error) {
	var u *tcmis.Unit
	err := db.view(ctx, func(tx *Tx) (err error) {
		u, err = findUnitByID(tx, id)
		return err
	})
	return u, err
}

// FindUnits returns the units that match f, by code, and how many match
// in all.
func (db *DB) FindUnits(ctx context.Context, f tcmis.UnitFilter) ([]*tcmis.Unit, int, error) {
	var (
		us []*tcmis.Unit
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		us, n, err = findUnits(tx, f)
		return err
	})
	return us, n, err
}

// CreateUnit stores a new unit and sets its ID.
func (db *DB) CreateUnit(ctx context.Context, u *tcmis.Unit) error {
	// The transaction works on a copy, which becomes u once committed, so
	// that a retried or failed attempt leaves u as it was.
	var c tcmis.Unit
	err := db.update(ctx, func(tx *Tx) error {
		c = *u
		if err := checkUnits(tx, []*tcmis.Unit{&c}, false, 0); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO units (code, name, kind, parent_id, region, country, version) VALUES (?, ?, ?, ?, ?, ?, 1)`,
			c.Code, c.Name, string(c.Kind), nullID(c.ParentID), string(c.Region), c.Country)
		if err != nil {
			return constraintError(err, "a unit with code "+c.Code)
		}
		c.ID, c.Version = id, 1
		return tx.audit("unit", id, tcmis.ActionCreate, nil, &c)
	})
	if err == nil {
		*u = c
	}
	return err
}

// UpdateUnit saves u unless someone changed it since it was read.
func (db *DB) UpdateUnit(ctx context.Context, u *tcmis.Unit) error {
	var c tcmis.Unit
	err := db.update(ctx, func(tx *Tx) error {
		c = *u
		old, err := findUnitByID(tx, c.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("units", c.ID, c.Version, "unit"); err != nil {
			return err
		}
		if err := checkUnits(tx, []*tcmis.Unit{&c}, false, c.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE units SET code = ?, name = ?, kind = ?, parent_id = ?, region = ?, country = ? WHERE id = ?`,
			c.Code, c.Name, string(c.Kind), nullID(c.ParentID), string(c.Region), c.Country, c.ID); err != nil {
			return constraintError(err, "a unit with code "+c.Code)
		}
		c.Version = old.Version + 1
		// The region of an office is the heading of its projects that
		// name no country or region.
		if err := complianceTouchOffice(tx, c.ID); err != nil {
			return err
		}
		return tx.audit("unit", c.ID, tcmis.ActionUpdate, old, &c)
	})
	if err == nil {
		*u = c
	}
	return err
}

// DeleteUnit removes a unit that no project, agreement, user or other unit
// refers to.
func (db *DB) DeleteUnit(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findUnitByID(tx, id)
		if err != nil {
			return err
		}
		var units, projects, agreements, users int
		err = tx.queryRow(`SELECT
			(SELECT COUNT(*) FROM units WHERE parent_id = ?),
			(SELECT COUNT(*) FROM projects WHERE lead_unit_id = ? OR office_id = ?),
			(SELECT COUNT(*) FROM agreements WHERE negotiated_by = ?),
			(SELECT COUNT(*) FROM user_units WHERE unit_id = ?)`, id, id, id, id, id).Scan(&units, &projects, &agreements, &users)
		if err != nil {
			return err
		}
		refs := referrers{{units, "unit", "units"}, {projects, "project", "projects"}, {agreements, "agreement", "agreements"}, {users, "user", "users"}}
		if s := refs.String(); s != "" {
			return tcmis.Errorf(tcmis.ECONFLICT, "unit %s cannot be deleted while other records refer to it (%s): move them to another unit first", old.Code, s)
		}
		return tx.remove("units", "unit", id, old)
	})
}

// CreateUnits stores many units at once. A unit's parent must already be
// stored, by an earlier call in the same load or before it.
func (l *loader) CreateUnits(us []*tcmis.Unit) error {
	if err := checkUnits(l.tx, us, true, 0); err != nil {
		return err
	}
	ids, err := l.tx.reserveIDs("units", len(us))
	if err != nil {
		return err
	}
	for i, u := range us {
		u.ID, u.Version = ids[i], 1
	}
	err = l.tx.copyRows("units", []string{"id", "code", "name", "kind", "parent_id", "region", "country", "version"}, len(us), func(i int) []any {
		u := us[i]
		return []any{u.ID, u.Code, u.Name, string(u.Kind), nullID(u.ParentID), string(u.Region), u.Country, int64(1)}
	})
	if err != nil {
		return constraintError(err, "a unit with one of these codes")
	}
	l.stored("unit", ids...)
	return nil
}

// checkUnits validates units about to be written: their fields, that their
// parents exist and form no loop, and that their codes are free. In a batch
// problems are named by position (units[3].code). self is the id of the one
// unit being updated, which may keep its own code, and 0 otherwise.
func checkUnits(tx *Tx, us []*tcmis.Unit, batch bool, self int64) error {
	if len(us) == 0 {
		return nil
	}
	field := fieldNamer("units", batch)
	var verr error
	if batch {
		verr = validateAll("units", us)
	} else {
		verr = us[0].Validate()
	}
	var ps []tcmis.Problem
	parents := make([]int64, 0, len(us))
	codes := make([]string, 0, len(us))
	firstUse := map[string]int{}
	for i, u := range us {
		if u.ParentID != 0 {
			parents = append(parents, u.ParentID)
		}
		if u.Code == "" {
			continue
		}
		if j, ok := firstUse[u.Code]; ok {
			ps = append(ps, tcmis.Problem{Field: field(i, "code"), Message: fmt.Sprintf("the code %s is also used by units[%d]", u.Code, j)})
		} else {
			firstUse[u.Code] = i
			codes = append(codes, u.Code)
		}
	}
	known, err := existing(tx, "units", "id", parents)
	if err != nil {
		return err
	}
	for i, u := range us {
		if u.ParentID == 0 {
			continue
		}
		if !known[u.ParentID] {
			ps = append(ps, tcmis.Problem{Field: field(i, "parent_id"), Message: fmt.Sprintf("there is no unit %d to report to", u.ParentID)})
		} else if self != 0 && u.ParentID != self {
			loop, err := reportsTo(tx, u.ParentID, self)
			if err != nil {
				return err
			} else if loop {
				ps = append(ps, tcmis.Problem{Field: field(i, "parent_id"), Message: "a unit cannot report to one of the units that report to it"})
			}
		}
	}
	if err := invalid(verr, invalidMessage("units", "unit "+us[0].Code, batch), ps); err != nil {
		return err
	}
	taken, err := takenCodes(tx, "units", "code", codes, self)
	if err != nil {
		return err
	}
	var conflicts []tcmis.Problem
	for i, u := range us {
		if taken[u.Code] {
			conflicts = append(conflicts, tcmis.Problem{Field: field(i, "code"), Message: "a unit with code " + u.Code + " already exists"})
		}
	}
	return conflict("units", batch, conflicts)
}

// reportsTo reports whether unit id is below unit ancestor in the
// hierarchy, or is it.
func reportsTo(tx *Tx, id, ancestor int64) (bool, error) {
	seen := map[int64]bool{}
	for id != 0 && !seen[id] {
		if id == ancestor {
			return true, nil
		}
		seen[id] = true
		var parent int64
		if err := tx.queryRow(`SELECT parent_id FROM units WHERE id = ?`, id).Scan(scanID(&parent)); err != nil {
			return false, err
		}
		id = parent
	}
	return false, nil
}

func findUnitByID(tx *Tx, id int64) (*tcmis.Unit, error) {
	us, _, err := findUnits(tx, tcmis.UnitFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(us) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "unit %d not found", id)
	}
	return us[0], nil
}

func findUnits(tx *Tx, f tcmis.UnitFilter) ([]*tcmis.Unit, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Code != nil {
		w.add("code = ?", *f.Code)
	}
	if f.Kind != nil {
		w.add("kind = ?", string(*f.Kind))
	}
	if f.Region != nil {
		w.add("region = ?", string(*f.Region))
	}
	total, err := tx.count(`SELECT COUNT(*) FROM units`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+unitColumns+` FROM units`+w.String()+` ORDER BY code, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Unit
	for rows.Next() {
		var u tcmis.Unit
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, scanID(&u.ParentID), &u.Region, &u.Country, &u.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &u)
	}
	return out, total, rows.Err()
}

// The helpers below are shared by the unit, agreement and project stores.

// refChunk is how many values go into one IN (...) list, well under the
// placeholder limits of both engines.
const refChunk = 500

// inList returns "(?, ?, ...)" with n placeholders.
func inList(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// existing returns which of vals occur in column col of table, querying in
// chunks.
func existing[T comparable](tx *Tx, table, col string, vals []T) (map[T]bool, error) {
	found := make(map[T]bool, len(vals))
	for start := 0; start < len(vals); start += refChunk {
		chunk := vals[start:min(start+refChunk, len(vals))]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		rows, err := tx.query(`SELECT `+col+` FROM `+table+` WHERE `+col+` IN `+inList(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v T
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			found[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// takenCodes returns which of codes are already used in column col of
// table by a record other than self.
func takenCodes(tx *Tx, table, col string, codes []string, self int64) (map[string]bool, error) {
	if self == 0 {
		return existing(tx, table, col, codes)
	}
	taken := map[string]bool{}
	for _, c := range codes {
		n, err := tx.count(`SELECT COUNT(*) FROM `+table+` WHERE `+col+` = ? AND id <> ?`, c, self)
		if err != nil {
			return nil, err
		}
		taken[c] = n > 0
	}
	return taken, nil
}

// fieldNamer names the field of the i-th record: "units[3].code" in a
// batch, "code" for a single record.
func fieldNamer(what string, batch bool) func(i int, field string) string {
	if !batch {
		return func(_ int, field string) string { return field }
	}
	return func(i int, field string) string { return what + "[" + itoa(i) + "]." + field }
}

// invalid merges a validation error with further problems found in the
// database into one EINVALID error listing them all; message names the
// record when the validation error does not.
func invalid(err error, message string, more []tcmis.Problem) error {
	if err == nil && len(more) == 0 {
		return nil
	}
	var ps []tcmis.Problem
	if err != nil {
		var e *tcmis.Error
		if !errors.As(err, &e) || e.Code != tcmis.EINVALID {
			return err
		}
		message = e.Message
		ps = append(ps, e.Problems...)
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: message, Problems: append(ps, more...)}
}

// invalidMessage is the message of an EINVALID error about one record
// ("unit X is not valid") or a batch ("some units records are not valid",
// as validateAll words it).
func invalidMessage(what, record string, batch bool) string {
	if batch {
		return "some " + what + " records are not valid"
	}
	return record + " is not valid"
}

// conflict reports records whose key is taken: for one record as the
// error's message, for a batch as one problem per record, by position, so
// that an import can point at each row.
func conflict(what string, batch bool, taken []tcmis.Problem) error {
	switch {
	case len(taken) == 0:
		return nil
	case !batch:
		return &tcmis.Error{Code: tcmis.ECONFLICT, Message: taken[0].Message}
	}
	return &tcmis.Error{Code: tcmis.ECONFLICT, Message: "some " + what + " already exist", Problems: taken}
}

// referrer counts one kind of record that still refers to a record that
// is to be deleted, with its name in the singular and the plural.
type referrer struct {
	n         int
	one, many string
}

type referrers []referrer

// String lists the non-zero counts: "2 projects and 1 agreement".
func (rs referrers) String() string {
	var parts []string
	for _, r := range rs {
		switch {
		case r.n == 1:
			parts = append(parts, "1 "+r.one)
		case r.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", r.n, r.many))
		}
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
