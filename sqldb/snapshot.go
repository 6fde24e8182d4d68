package sqldb

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// The compliance snapshot (migration 0007): one row in compliance for
// each approved project, with what tcmis.CheckCompliance decides that
// does not depend on the day, its report headings and the dates of its
// evaluations that can still become overdue (tcmis.OpenDates); the dates
// of a project with more than one are also in compliance_due. The
// compliance reports sum and list these rows (ComplianceTallies,
// LateProjects) and decide what is overdue on the day asked about from
// the dates.
//
// The rows are computed by the lean read and checkApproved, the same
// rule as EachCompliance, for the projects a write transaction touched:
// every write that changes what the rule or the headings read notes its
// projects (complianceTouch), or all of them (complianceTouchAll: exchange
// rates and policy versions), and run refreshes them before commit
// (complianceFlush).

// pendingCompliance is the projects whose rows a transaction must
// recompute before it commits.
type pendingCompliance struct {
	all bool
	ids map[int64]bool
}

// complianceTouch notes that the compliance of the projects may have
// changed.
func (tx *Tx) complianceTouch(ids ...int64) {
	if tx.compliance == nil {
		tx.compliance = &pendingCompliance{ids: map[int64]bool{}}
	}
	for _, id := range ids {
		if id != 0 {
			tx.compliance.ids[id] = true
		}
	}
}

// complianceTouchAll notes that the compliance of every project may have
// changed: a new exchange rate changes the budgets converted on the days
// it covers, a policy version the requirements of projects approved
// under it.
func (tx *Tx) complianceTouchAll() {
	tx.complianceTouch()
	tx.compliance.all = true
}

// complianceTouchOffice notes the projects of an office.
func complianceTouchOffice(tx *Tx, office int64) error {
	rows, err := tx.query(`SELECT id FROM projects WHERE office_id = ?`, office)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	tx.complianceTouch(ids...)
	return rows.Err()
}

// complianceFlush recomputes the rows of the projects touched.
func (tx *Tx) complianceFlush() error {
	p := tx.compliance
	tx.compliance = nil
	if p == nil {
		return nil
	}
	if p.all {
		return refreshAllCompliance(tx)
	}
	ids := make([]int64, 0, len(p.ids))
	for id := range p.ids {
		ids = append(ids, id)
	}
	return refreshCompliance(tx, ids)
}

// lockCompliance serialises the refreshes of concurrent transactions on
// PostgreSQL, where they run read committed: a refresh of some projects
// shares compliance_lock and locks their rows in projects (FOR NO KEY
// UPDATE, which the key locks of foreign keys, such as an evaluation's
// on its project, do not block), a refresh of
// all takes compliance_lock alone. Each statement after the lock reads
// what was committed before it, so of two transactions that change the
// same project, the one that commits last computes its row from both
// changes (a refresh is the last thing a transaction does), and one row
// is never written twice. SQLite has one writer at a time.
func lockCompliance(tx *Tx, mode string) error {
	if tx.db.engine != Postgres {
		return nil
	}
	_, err := tx.exec(`SELECT id FROM compliance_lock ` + mode)
	return err
}

// snapshotRow is a project's row in compliance, and its open dates.
type snapshotRow struct {
	c       tcmis.Compliance // as on a day before any of its evaluations
	h       tcmis.ProjectHeading
	open    []time.Time // sorted
	problem string
}

// snapshotRows computes the rows of the approved projects w selects, in
// order of project id.
func snapshotRows(tx *Tx, w *where, rule *complianceRule) ([]snapshotRow, error) {
	var out []snapshotRow
	err := readCompliance(tx, w, rule, func(cur *complianceRow, evals []*tcmis.Evaluation) error {
		r := snapshotRow{h: cur.h}
		c, err := checkApproved(&cur.p, cur.a, cur.opt, rule.pols, rule.rates, evals, time.Time{})
		if err != nil {
			// The rule cannot be applied: the reports fail with its
			// error, as EachCompliance does.
			r.c = tcmis.Compliance{ProjectID: cur.p.ID, Code: cur.p.Code, Title: cur.p.Title, Status: cur.p.Status}
			r.problem = tcmis.ErrorMessage(err)
		} else {
			r.c = *c
			r.open = tcmis.OpenDates(&cur.p, evals)
			slices.SortFunc(r.open, func(a, b time.Time) int { return a.Compare(b) })
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// refreshCompliance recomputes the rows of the projects (approved or not,
// stored or deleted).
func refreshCompliance(tx *Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := lockCompliance(tx, "FOR SHARE"); err != nil {
		return err
	}
	rule, err := newComplianceRule(tx)
	if err != nil {
		return err
	}
	return eachChunk(ids, func(in string, args []any) error {
		if tx.db.engine == Postgres {
			if _, err := tx.exec(`SELECT id FROM projects WHERE id IN (`+in+`) ORDER BY id FOR NO KEY UPDATE`, args...); err != nil {
				return err
			}
		}
		for _, table := range []string{"compliance", "compliance_due"} {
			if _, err := tx.exec(`DELETE FROM `+table+` WHERE project_id IN (`+in+`)`, args...); err != nil {
				return err
			}
		}
		var w where
		w.add("p.id IN ("+in+")", args...)
		rows, err := snapshotRows(tx, &w, rule)
		if err != nil {
			return err
		}
		return writeSnapshot(tx, rows)
	})
}

// refreshAllCompliance recomputes every row, a range of project ids at a
// time. It is the migration's backfill and follows a change of exchange
// rates or policy versions: it reads what the lean read reads for every
// approved project (about a minute for a million projects).
func refreshAllCompliance(tx *Tx) error {
	if err := lockCompliance(tx, "FOR UPDATE"); err != nil {
		return err
	}
	for _, table := range []string{"compliance", "compliance_due"} {
		if _, err := tx.exec(`DELETE FROM ` + table); err != nil {
			return err
		}
	}
	rule, err := newComplianceRule(tx)
	if err != nil {
		return err
	}
	var high int64
	if err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM projects`).Scan(&high); err != nil {
		return err
	}
	const step = 20000
	for low := int64(0); low <= high; low += step {
		var w where
		w.add("p.id >= ? AND p.id < ?", low, low+step)
		rows, err := snapshotRows(tx, &w, rule)
		if err != nil {
			return err
		}
		if err := writeSnapshot(tx, rows); err != nil {
			return err
		}
	}
	return nil
}

var snapshotColumns = []string{"project_id", "code", "title", "status", "approved_on", "policy_id",
	"months", "budget_usd", "rule", "final", "mid_term", "annual_reviews", "independent", "budget_line",
	"required", "planned", "done", "missing", "state", "open_first", "open_last", "open_count",
	"source", "region", "office_id", "unit_id", "donor_id", "problem"}

// missingSep joins the items of Compliance.Missing, which hold no
// newline.
const missingSep = "\n"

func writeSnapshot(tx *Tx, rows []snapshotRow) error {
	vals := make([]any, len(snapshotColumns))
	err := tx.copyRows("compliance", snapshotColumns, len(rows), func(i int) []any {
		r := &rows[i]
		c, q := &r.c, &r.c.Requirements
		var required int64
		if c.State != tcmis.ComplianceNoPolicy && r.problem == "" {
			required = requiredOf(*q)
		}
		var first, last time.Time
		if len(r.open) > 0 {
			first, last = r.open[0], r.open[len(r.open)-1]
		}
		var problem any
		if r.problem != "" {
			problem = r.problem
		}
		copy(vals, []any{c.ProjectID, c.Code, c.Title, string(c.Status), tx.optDate(c.ApprovedOn), c.PolicyID,
			int64(q.Months), q.BudgetUSD, q.Rule, boolInt(q.Final), boolInt(q.MidTerm), int64(q.AnnualReviews), boolInt(q.Independent), boolInt(q.BudgetLine),
			required, int64(c.Planned), int64(c.Done), strings.Join(c.Missing, missingSep), string(c.State),
			tx.optDate(first), tx.optDate(last), int64(len(r.open)),
			string(r.h.Source), r.h.Region, r.h.OfficeID, r.h.UnitID, r.h.DonorID, problem})
		return vals
	})
	if err != nil {
		return err
	}
	type due struct {
		project int64
		day     time.Time
		n       int64
	}
	var dues []due
	for _, r := range rows {
		if len(r.open) < 2 {
			continue
		}
		for i, d := range r.open {
			if i > 0 && d.Equal(r.open[i-1]) {
				dues[len(dues)-1].n++
				continue
			}
			dues = append(dues, due{r.c.ProjectID, d, 1})
		}
	}
	return tx.copyRows("compliance_due", []string{"project_id", "due", "n"}, len(dues), func(i int) []any {
		return []any{dues[i].project, tx.date(dues[i].day), dues[i].n}
	})
}

// requiredOf counts the evaluations the requirements name, as the
// compliance report adds them up.
func requiredOf(q tcmis.Requirements) int64 {
	n := int64(q.AnnualReviews)
	if q.MidTerm {
		n++
	}
	if q.Final {
		n++
	}
	return n
}

// overdueOn is the SQL of the number of a snapshot row c's open dates
// before the day given by the three placeholders it holds.
const overdueOn = `CASE WHEN c.open_last < ? THEN c.open_count WHEN c.open_first < ? THEN
	COALESCE((SELECT SUM(d.n) FROM compliance_due d WHERE d.project_id = c.project_id AND d.due < ?), 0) ELSE 0 END`

// complianceProblem returns the error of the first project, in order of
// id, whose compliance the rule could not decide: the error the lean
// read stops with.
func complianceProblem(tx *Tx) error {
	rows, err := tx.query(`SELECT problem FROM compliance WHERE problem IS NOT NULL ORDER BY project_id LIMIT 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		return tcmis.Errorf(tcmis.EINVALID, "%s", msg)
	}
	return rows.Err()
}

// ComplianceTallies sums the snapshot by report headings on a day.
func (db *DB) ComplianceTallies(ctx context.Context, today time.Time) ([]tcmis.ComplianceTally, error) {
	var out []tcmis.ComplianceTally
	err := db.view(ctx, func(tx *Tx) error {
		out = nil
		if today.IsZero() {
			today = calendarDay(tx.now)
		}
		if err := complianceProblem(tx); err != nil {
			return err
		}
		categories, err := donorCategories(tx)
		if err != nil {
			return err
		}
		d := tx.date(today)
		rows, err := tx.query(`SELECT c.source, c.region, c.office_id, c.unit_id, c.donor_id, COUNT(*),
			CAST(SUM(c.required) AS BIGINT), CAST(SUM(c.planned) AS BIGINT), CAST(SUM(c.done) AS BIGINT), CAST(SUM(`+overdueOn+`) AS BIGINT),
			CAST(SUM(CASE WHEN c.state = 'missing' THEN 1 ELSE 0 END) AS BIGINT),
			CAST(SUM(CASE WHEN c.state = 'planned' AND c.open_first < ? THEN 1 ELSE 0 END) AS BIGINT),
			CAST(SUM(CASE WHEN c.state = 'no-policy' THEN 1 ELSE 0 END) AS BIGINT)
			FROM compliance c
			GROUP BY c.source, c.region, c.office_id, c.unit_id, c.donor_id
			ORDER BY c.source, c.region, c.office_id, c.unit_id, c.donor_id`, d, d, d, d)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t tcmis.ComplianceTally
			h := &t.Heading
			if err := rows.Scan(&h.Source, &h.Region, &h.OfficeID, &h.UnitID, &h.DonorID, &t.Projects,
				&t.Required, &t.Planned, &t.Done, &t.Overdue, &t.Missing, &t.Late, &t.NoPolicy); err != nil {
				return err
			}
			h.Category = categories[h.DonorID]
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// LateProjects lists the late projects of the snapshot on a day.
func (db *DB) LateProjects(ctx context.Context, f tcmis.LateFilter) ([]*tcmis.LateProject, int, error) {
	var out []*tcmis.LateProject
	var total int
	err := db.view(ctx, func(tx *Tx) error {
		out, total = nil, 0
		today := f.Today
		if today.IsZero() {
			today = calendarDay(tx.now)
		}
		if err := complianceProblem(tx); err != nil {
			return err
		}
		d := tx.date(today)
		var w where
		if len(f.Sources) > 0 {
			w.add("c.source IN ("+columnParams(len(f.Sources))+")", anys(f.Sources)...)
		}
		if len(f.Regions) > 0 {
			w.add("c.region IN ("+columnParams(len(f.Regions))+")", anys(f.Regions)...)
		}
		if len(f.OfficeIDs) > 0 {
			w.add("c.office_id IN ("+columnParams(len(f.OfficeIDs))+")", anys(f.OfficeIDs)...)
		}
		if len(f.Categories) > 0 {
			w.add("COALESCE((SELECT o.category FROM organisations o WHERE o.id = c.donor_id), '') IN ("+columnParams(len(f.Categories))+")", anys(f.Categories)...)
		}
		// Overdue projects first, then those missing an evaluation.
		states := []struct {
			cond string
			args []any
		}{
			{"c.state = 'planned' AND c.open_first < ?", []any{d}},
			{"c.state = 'missing'", nil},
		}
		collate := " COLLATE BINARY"
		if tx.db.engine == Postgres {
			collate = ` COLLATE "C"`
		}
		for _, s := range states {
			cond := " WHERE " + s.cond
			args := slices.Clone(s.args)
			if len(w.conds) > 0 {
				cond += " AND " + strings.Join(w.conds, " AND ")
				args = append(args, w.args...)
			}
			n, err := tx.count(`SELECT COUNT(*) FROM compliance c`+cond, args...)
			if err != nil {
				return err
			}
			total += n
			limit := ""
			if f.Limit > 0 {
				if len(out) >= f.Limit {
					continue
				}
				limit = " LIMIT " + itoa(f.Limit-len(out))
			}
			rows, err := tx.query(`SELECT c.project_id, c.code, c.title, c.status, c.approved_on, c.policy_id,
				c.months, c.budget_usd, c.rule, c.final, c.mid_term, c.annual_reviews, c.independent, c.budget_line,
				c.planned, c.done, c.missing, c.state, c.office_id, CAST(`+overdueOn+` AS BIGINT) AS overdue
				FROM compliance c`+cond+`
				ORDER BY overdue DESC, c.code`+collate+limit, append([]any{d, d, d}, args...)...)
			if err != nil {
				return err
			}
			err = func() error {
				defer rows.Close()
				for rows.Next() {
					var l tcmis.LateProject
					c, q := &l.Compliance, &l.Compliance.Requirements
					var status, missing, state string
					var final, midTerm, independent, budgetLine int64
					if err := rows.Scan(&c.ProjectID, &c.Code, &c.Title, &status, scanTime(&c.ApprovedOn), &c.PolicyID,
						&q.Months, &q.BudgetUSD, &q.Rule, &final, &midTerm, &q.AnnualReviews, &independent, &budgetLine,
						&c.Planned, &c.Done, &missing, &state, &l.OfficeID, &c.Overdue); err != nil {
						return err
					}
					c.Status, c.State = tcmis.Status(status), tcmis.ComplianceState(state)
					q.Final, q.MidTerm, q.Independent, q.BudgetLine = final != 0, midTerm != 0, independent != 0, budgetLine != 0
					if missing != "" {
						c.Missing = strings.Split(missing, missingSep)
					}
					if c.State == tcmis.CompliancePlanned {
						c.State = tcmis.ComplianceOverdue
					}
					out = append(out, &l)
				}
				return rows.Err()
			}()
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, total, err
}
