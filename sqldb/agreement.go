package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/tcmis/tcmis"
)

const agreementColumns = `id, ref, title, donor_id, kind, start_date, end_date, amount, currency, negotiated_by, local, version`

// FindAgreementByID returns one agreement, or ENOTFOUND.
func (db *DB) FindAgreementByID(ctx context.Context, id int64) (*tcmis.Agreement, error) {
	var a *tcmis.Agreement
	err := db.view(ctx, func(tx *Tx) (err error) {
		a, err = findAgreementByID(tx, id)
		return err
	})
	return a, err
}

// FindAgreements returns the agreements that match f, by reference, and
// how many match in all.
func (db *DB) FindAgreements(ctx context.Context, f tcmis.AgreementFilter) ([]*tcmis.Agreement, int, error) {
	var (
		as []*tcmis.Agreement
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		as, n, err = findAgreements(tx, f)
		return err
	})
	return as, n, err
}

// CreateAgreement stores a new agreement and sets its ID.
func (db *DB) CreateAgreement(ctx context.Context, a *tcmis.Agreement) error {
	// The transaction works on a copy, which becomes a once committed, so
	// that a retried or failed attempt leaves a as it was.
	var c tcmis.Agreement
	err := db.update(ctx, func(tx *Tx) error {
		c = *a
		if err := checkAgreements(tx, []*tcmis.Agreement{&c}, false, 0); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO agreements (ref, title, donor_id, kind, start_date, end_date, amount, currency, negotiated_by, local, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			agreementValues(tx, &c)...)
		if err != nil {
			return constraintError(err, "an agreement with reference "+c.Ref)
		}
		c.ID, c.Version = id, 1
		return tx.audit("agreement", id, tcmis.ActionCreate, nil, &c)
	})
	if err == nil {
		*a = c
	}
	return err
}

// UpdateAgreement saves a unless someone changed it since it was read.
func (db *DB) UpdateAgreement(ctx context.Context, a *tcmis.Agreement) error {
	var c tcmis.Agreement
	err := db.update(ctx, func(tx *Tx) error {
		c = *a
		old, err := findAgreementByID(tx, c.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("agreements", c.ID, c.Version, "agreement"); err != nil {
			return err
		}
		if err := checkAgreements(tx, []*tcmis.Agreement{&c}, false, c.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE agreements SET ref = ?, title = ?, donor_id = ?, kind = ?, start_date = ?, end_date = ?, amount = ?, currency = ?, negotiated_by = ?, local = ? WHERE id = ?`,
			append(agreementValues(tx, &c), c.ID)...); err != nil {
			return constraintError(err, "an agreement with reference "+c.Ref)
		}
		c.Version = old.Version + 1
		return tx.audit("agreement", c.ID, tcmis.ActionUpdate, old, &c)
	})
	if err == nil {
		*a = c
	}
	return err
}

// DeleteAgreement removes an agreement that no project or approval refers
// to.
func (db *DB) DeleteAgreement(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findAgreementByID(tx, id)
		if err != nil {
			return err
		}
		var projects, approvals int
		err = tx.queryRow(`SELECT
			(SELECT COUNT(*) FROM projects WHERE agreement_id = ?),
			(SELECT COUNT(*) FROM approvals WHERE agreement_id = ?)`, id, id).Scan(&projects, &approvals)
		if err != nil {
			return err
		}
		refs := referrers{{projects, "project", "projects"}, {approvals, "approval", "approvals"}}
		if s := refs.String(); s != "" {
			return tcmis.Errorf(tcmis.ECONFLICT, "agreement %s cannot be deleted while other records refer to it (%s)", old.Ref, s)
		}
		return tx.remove("agreements", "agreement", id, old)
	})
}

// CreateAgreements stores many agreements at once; their donors and units
// must already be stored.
func (l *loader) CreateAgreements(as []*tcmis.Agreement) error {
	if err := checkAgreements(l.tx, as, true, 0); err != nil {
		return err
	}
	ids, err := l.tx.reserveIDs("agreements", len(as))
	if err != nil {
		return err
	}
	for i, a := range as {
		a.ID, a.Version = ids[i], 1
	}
	err = l.tx.copyRows("agreements", []string{"id", "ref", "title", "donor_id", "kind", "start_date", "end_date", "amount", "currency", "negotiated_by", "local", "version"}, len(as), func(i int) []any {
		a := as[i]
		return append(append([]any{a.ID}, agreementValues(l.tx, a)...), int64(1))
	})
	if err != nil {
		return constraintError(err, "an agreement with one of these references")
	}
	l.stored("agreement", ids...)
	return nil
}

// agreementValues are the stored columns from ref to local, as plain Go
// values (PostgreSQL's binary COPY takes no named types).
func agreementValues(tx *Tx, a *tcmis.Agreement) []any {
	return []any{a.Ref, a.Title, a.DonorID, string(a.Kind), tx.date(a.Start), tx.date(a.End),
		a.Amount.Amount, a.Amount.Currency, nullID(a.NegotiatedBy), a.Local}
}

// checkAgreements validates agreements about to be written: their fields,
// that their donor and negotiating unit exist, and that their references
// are free (self, the agreement being updated, may keep its own). It sets
// their dates to the calendar days that will be stored.
func checkAgreements(tx *Tx, as []*tcmis.Agreement, batch bool, self int64) error {
	if len(as) == 0 {
		return nil
	}
	field := fieldNamer("agreements", batch)
	var verr error
	if batch {
		verr = validateAll("agreements", as)
	} else {
		verr = as[0].Validate()
	}
	var ps []tcmis.Problem
	donors := make([]int64, 0, len(as))
	units := make([]int64, 0, len(as))
	refs := make([]string, 0, len(as))
	firstUse := map[string]int{}
	for i, a := range as {
		a.Start, a.End = calendarDay(a.Start), calendarDay(a.End)
		if a.DonorID != 0 {
			donors = append(donors, a.DonorID)
		}
		if a.NegotiatedBy != 0 {
			units = append(units, a.NegotiatedBy)
		}
		if a.Ref == "" {
			continue
		}
		if j, ok := firstUse[a.Ref]; ok {
			ps = append(ps, tcmis.Problem{Field: field(i, "ref"), Message: fmt.Sprintf("the reference %s is also used by agreements[%d]", a.Ref, j)})
		} else {
			firstUse[a.Ref] = i
			refs = append(refs, a.Ref)
		}
	}
	knownDonors, err := existing(tx, "organisations", "id", donors)
	if err != nil {
		return err
	}
	knownUnits, err := existing(tx, "units", "id", units)
	if err != nil {
		return err
	}
	for i, a := range as {
		if a.DonorID != 0 && !knownDonors[a.DonorID] {
			ps = append(ps, tcmis.Problem{Field: field(i, "donor_id"), Message: fmt.Sprintf("there is no donor %d", a.DonorID)})
		}
		if a.NegotiatedBy != 0 && !knownUnits[a.NegotiatedBy] {
			ps = append(ps, tcmis.Problem{Field: field(i, "negotiated_by"), Message: fmt.Sprintf("there is no unit %d", a.NegotiatedBy)})
		}
	}
	if err := invalid(verr, invalidMessage("agreements", "agreement "+as[0].Ref, batch), ps); err != nil {
		return err
	}
	taken, err := takenCodes(tx, "agreements", "ref", refs, self)
	if err != nil {
		return err
	}
	var conflicts []tcmis.Problem
	for i, a := range as {
		if taken[a.Ref] {
			conflicts = append(conflicts, tcmis.Problem{Field: field(i, "ref"), Message: "an agreement with reference " + a.Ref + " already exists"})
		}
	}
	return conflict("agreements", batch, conflicts)
}

// calendarDay is the calendar day of t, as the stores read it back: midnight UTC.
func calendarDay(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func findAgreementByID(tx *Tx, id int64) (*tcmis.Agreement, error) {
	as, _, err := findAgreements(tx, tcmis.AgreementFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(as) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "agreement %d not found", id)
	}
	return as[0], nil
}

func findAgreements(tx *Tx, f tcmis.AgreementFilter) ([]*tcmis.Agreement, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Ref != nil {
		w.add("ref = ?", *f.Ref)
	}
	if f.DonorID != nil {
		w.add("donor_id = ?", *f.DonorID)
	}
	if f.EndingBefore != nil {
		w.add("end_date <= ?", tx.date(*f.EndingBefore))
	}
	total, err := tx.count(`SELECT COUNT(*) FROM agreements`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+agreementColumns+` FROM agreements`+w.String()+` ORDER BY ref, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Agreement
	for rows.Next() {
		var a tcmis.Agreement
		if err := rows.Scan(&a.ID, &a.Ref, &a.Title, &a.DonorID, &a.Kind, scanTime(&a.Start), scanTime(&a.End),
			&a.Amount.Amount, &a.Amount.Currency, scanID(&a.NegotiatedBy), &a.Local, &a.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &a)
	}
	return out, total, rows.Err()
}
