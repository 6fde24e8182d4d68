package sqldb

import (
	"context"
	"time"

	"github.com/tcmis/tcmis"
)

const approvalColumns = `id, donor_id, project_id, agreement_id, approved_on, amount, currency, usd, rate_id, local, reason, version`

// CreateApprovals stores approvals in one transaction, all or none, each
// converted to US dollars at the rate in force on its date.
func (db *DB) CreateApprovals(ctx context.Context, as []*tcmis.Approval) error {
	return db.load(ctx, func(l *loader) error { return l.CreateApprovals(as) })
}

// FindApprovals returns the approvals that match f, by date, and how many
// match in all.
func (db *DB) FindApprovals(ctx context.Context, f tcmis.MoneyFilter) ([]*tcmis.Approval, int, error) {
	var (
		as []*tcmis.Approval
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		as, n, err = findApprovals(tx, moneyWhere(f, true), f.Offset, f.Limit)
		return err
	})
	return as, n, err
}

// UpdateApproval saves a unless someone changed it since it was read, and
// converts its amount again at the rate in force on its date.
func (db *DB) UpdateApproval(ctx context.Context, a *tcmis.Approval) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findApprovalByID(tx, a.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("approvals", a.ID, a.Version, "approval"); err != nil {
			return err
		}
		if err := tx.sumsRecord("approvals", a.ID, -1); err != nil {
			return err
		}
		amount, err := convertRecord(tx, "approval", a.Amount.Money, a.Date, approvalRefs(a)...)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE approvals SET donor_id = ?, project_id = ?, agreement_id = ?, approved_on = ?, year = ?, amount = ?, currency = ?, usd = ?, rate_id = ?, local = ?, reason = ? WHERE id = ?`,
			a.DonorID, nullID(a.ProjectID), nullID(a.AgreementID), tx.date(a.Date), a.Date.Year(), amount.Amount, amount.Currency, amount.USD, nullID(amount.RateID), a.Local, a.Reason, a.ID); err != nil {
			return constraintError(err, "the approval")
		}
		a.Amount, a.Version = amount, old.Version+1
		tx.complianceTouch(old.ProjectID, a.ProjectID)
		if err := tx.sumsRecord("approvals", a.ID, 1); err != nil {
			return err
		}
		return tx.audit("approval", a.ID, tcmis.ActionUpdate, old, a)
	})
}

// DeleteApproval removes an approval.
func (db *DB) DeleteApproval(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findApprovalByID(tx, id)
		if err != nil {
			return err
		}
		if err := tx.sumsRecord("approvals", id, -1); err != nil {
			return err
		}
		tx.complianceTouch(old.ProjectID)
		return tx.remove("approvals", "approval", id, old)
	})
}

func approvalRefs(as ...*tcmis.Approval) []*moneyRefs {
	donors := newMoneyRefs("organisations", "donor_id", "donor")
	projects := newMoneyRefs("projects", "project_id", "project")
	agreements := newMoneyRefs("agreements", "agreement_id", "agreement")
	for i, a := range as {
		donors.add(i, a.DonorID)
		projects.add(i, a.ProjectID)
		agreements.add(i, a.AgreementID)
	}
	return []*moneyRefs{donors, projects, agreements}
}

func findApprovalByID(tx *Tx, id int64) (*tcmis.Approval, error) {
	var w where
	w.add("id = ?", id)
	as, _, err := findApprovals(tx, w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(as) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "approval %d not found", id)
	}
	return as[0], nil
}

func findApprovals(tx *Tx, w where, offset, limit int) ([]*tcmis.Approval, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM approvals`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+approvalColumns+` FROM approvals`+w.String()+` ORDER BY approved_on, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Approval
	for rows.Next() {
		var a tcmis.Approval
		m := &a.Amount
		if err := rows.Scan(&a.ID, &a.DonorID, scanID(&a.ProjectID), scanID(&a.AgreementID), scanTime(&a.Date),
			&m.Amount, &m.Currency, &m.USD, scanID(&m.RateID), &a.Local, &a.Reason, &a.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &a)
	}
	return out, total, rows.Err()
}

// CreateApprovals stores many approvals at once.
func (l *loader) CreateApprovals(as []*tcmis.Approval) error {
	err := prepareMoney(l.tx, "approvals", as, approvalRefs, func(a *tcmis.Approval) (*tcmis.Converted, time.Time) { return &a.Amount, a.Date })
	if err != nil {
		return err
	}
	ids, err := l.copyNew("approvals", "approval", "an approval", []string{"donor_id", "project_id", "agreement_id", "approved_on", "year", "amount", "currency", "usd", "rate_id", "local", "reason"}, len(as), func(i int) []any {
		a := as[i]
		m := &a.Amount
		return []any{a.DonorID, nullID(a.ProjectID), nullID(a.AgreementID), l.tx.date(a.Date), a.Date.Year(), m.Amount, m.Currency, m.USD, nullID(m.RateID), a.Local, a.Reason}
	})
	if err != nil {
		return err
	}
	for i, a := range as {
		a.ID, a.Version = ids[i], 1
		l.tx.complianceTouch(a.ProjectID)
	}
	return l.tx.sumsApprovals(as)
}

// FindApprovalByID returns an approval, or ENOTFOUND.
func (db *DB) FindApprovalByID(ctx context.Context, id int64) (*tcmis.Approval, error) {
	var a *tcmis.Approval
	err := db.view(ctx, func(tx *Tx) (err error) {
		a, err = findApprovalByID(tx, id)
		return err
	})
	return a, err
}
