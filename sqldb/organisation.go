package sqldb

import (
	"context"

	"github.com/tcmis/tcmis"
)

const organisationColumns = `id, name, category, non_state, ref, type, country, version`

// FindOrganisationByID returns one organisation, or ENOTFOUND.
func (db *DB) FindOrganisationByID(ctx context.Context, id int64) (*tcmis.Organisation, error) {
	var o *tcmis.Organisation
	err := db.view(ctx, func(tx *Tx) (err error) {
		o, err = findOrganisationByID(tx, id)
		return err
	})
	return o, err
}

// FindOrganisations returns the organisations that match f, by name, and
// how many match in all.
func (db *DB) FindOrganisations(ctx context.Context, f tcmis.OrganisationFilter) ([]*tcmis.Organisation, int, error) {
	var (
		os []*tcmis.Organisation
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		os, n, err = findOrganisations(tx, f)
		return err
	})
	return os, n, err
}

// CreateOrganisation stores a new organisation and sets its ID.
func (db *DB) CreateOrganisation(ctx context.Context, o *tcmis.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	var created tcmis.Organisation
	err := db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO organisations (name, category, non_state, ref, type, country, version) VALUES (?, ?, ?, ?, ?, ?, 1)`,
			o.Name, o.Category, o.NonState, o.Ref, o.Type, o.Country)
		if err != nil {
			return constraintError(err, "an organisation named "+o.Name)
		}
		saved := *o
		saved.ID, saved.Version = id, 1
		if err := tx.audit("organisation", id, tcmis.ActionCreate, nil, &saved); err != nil {
			return err
		}
		created = saved
		return nil
	})
	if err == nil {
		*o = created
	}
	return err
}

// UpdateOrganisation saves o unless someone changed it since it was read.
func (db *DB) UpdateOrganisation(ctx context.Context, o *tcmis.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	var version int
	err := db.update(ctx, func(tx *Tx) error {
		old, err := findOrganisationByID(tx, o.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("organisations", o.ID, o.Version, "organisation"); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE organisations SET name = ?, category = ?, non_state = ?, ref = ?, type = ?, country = ? WHERE id = ?`,
			o.Name, o.Category, o.NonState, o.Ref, o.Type, o.Country, o.ID); err != nil {
			return constraintError(err, "an organisation named "+o.Name)
		}
		saved := *o
		saved.Version = old.Version + 1
		if err := tx.audit("organisation", o.ID, tcmis.ActionUpdate, old, &saved); err != nil {
			return err
		}
		version = saved.Version
		return nil
	})
	if err == nil {
		o.Version = version
	}
	return err
}

// DeleteOrganisation removes an organisation that nothing refers to.
func (db *DB) DeleteOrganisation(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findOrganisationByID(tx, id)
		if err != nil {
			return err
		}
		return tx.remove("organisations", "organisation", id, old)
	})
}

func findOrganisationByID(tx *Tx, id int64) (*tcmis.Organisation, error) {
	os, _, err := findOrganisations(tx, tcmis.OrganisationFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(os) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "organisation %d not found", id)
	}
	return os[0], nil
}

func findOrganisations(tx *Tx, f tcmis.OrganisationFilter) ([]*tcmis.Organisation, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Name != nil {
		w.add("LOWER(name) = LOWER(?)", *f.Name)
	}
	if f.Ref != nil {
		w.add("ref = ?", *f.Ref)
	}
	if f.Category != nil {
		w.add("category = ?", *f.Category)
	}
	total, err := tx.count(`SELECT COUNT(*) FROM organisations`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+organisationColumns+` FROM organisations`+w.String()+` ORDER BY name, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Organisation
	for rows.Next() {
		var o tcmis.Organisation
		if err := rows.Scan(&o.ID, &o.Name, &o.Category, &o.NonState, &o.Ref, &o.Type, &o.Country, &o.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &o)
	}
	return out, total, rows.Err()
}
