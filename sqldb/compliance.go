package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/tcmis/tcmis"
)

// The evaluation compliance of a whole portfolio, read lean. One query
// gives, for each approved project, only what the evaluation policy's
// rule and tcmis.CheckCompliance look at: the project's dates, status,
// currency and budget total; the day and policy version of its latest
// approval through the cycle, or else the day of its first funding
// approval; the mid-term agreement and evaluation budget of its latest
// appraisal; the timing, type, status, date and budget of each of its
// evaluations; and the headings it counts under in reports. The rule is
// decided in Go by checkApproved and tcmis.CheckCompliance, as on the
// per-project path (projectCompliance), which loads whole projects and
// serves a single project's plan. The compliance snapshot the reports
// read (snapshot.go) is computed by the same read.

// EachCompliance calls fn with the compliance of each approved project,
// in order of project id, and its report headings.
func (db *DB) EachCompliance(ctx context.Context, f tcmis.ComplianceFilter, fn func(c *tcmis.Compliance, h tcmis.ProjectHeading) error) error {
	return db.view(ctx, func(tx *Tx) error {
		return eachCompliance(tx, f, fn)
	})
}

// complianceRow is a project of the lean read, with its evaluations so
// far.
type complianceRow struct {
	p      tcmis.Project
	budget int64
	a      approval
	opt    tcmis.PlanOptions
	h      tcmis.ProjectHeading
	evals  []tcmis.Evaluation
}

func eachCompliance(tx *Tx, f tcmis.ComplianceFilter, fn func(*tcmis.Compliance, tcmis.ProjectHeading) error) error {
	today := f.Today
	if today.IsZero() {
		today = calendarDay(tx.now)
	}
	var w where
	if f.ProjectID != nil {
		if _, err := findProjectByID(tx, *f.ProjectID); err != nil {
			return err
		}
		w.add("p.id = ?", *f.ProjectID)
	}
	rule, err := newComplianceRule(tx)
	if err != nil {
		return err
	}
	return readCompliance(tx, &w, rule, func(cur *complianceRow, evals []*tcmis.Evaluation) error {
		c, err := checkApproved(&cur.p, cur.a, cur.opt, rule.pols, rule.rates, evals, today)
		if err != nil || f.State != nil && c.State != *f.State {
			return err
		}
		return fn(c, cur.h)
	})
}

// complianceRule is what the rule needs besides a project's own rows:
// the exchange rates, the policy versions and the donors' categories.
type complianceRule struct {
	rates      tcmis.Rates
	pols       policySet
	categories map[int64]tcmis.DonorCategory
}

func newComplianceRule(tx *Tx) (*complianceRule, error) {
	rates, err := loadAllRates(tx)
	if err != nil {
		return nil, err
	}
	policies, err := findPolicies(tx, 0)
	if err != nil {
		return nil, err
	}
	categories, err := donorCategories(tx)
	if err != nil {
		return nil, err
	}
	return &complianceRule{rates: rates, pols: newPolicySet(policies), categories: categories}, nil
}

// readCompliance calls fn with each approved project w selects (on
// projects p), in order of project id, and its evaluations; both are
// reused for the next project.
func readCompliance(tx *Tx, w *where, rule *complianceRule, fn func(cur *complianceRow, evals []*tcmis.Evaluation) error) error {
	// Not "p.status IN": SQLite would search the index on status and
	// then sort every row by id; read in id order, it sorts nothing.
	w.add("p.status || '' IN (?, ?, ?, ?)", string(tcmis.Approved), string(tcmis.Ongoing), string(tcmis.OperationallyClosed), string(tcmis.FinanciallyClosed))
	rows, err := tx.query(complianceQuery(w), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()

	var cur complianceRow
	var evals []*tcmis.Evaluation
	check := func() error {
		cur.p.Budget = []tcmis.BudgetLine{{Amount: cur.budget}}
		evals = evals[:0]
		for i := range cur.evals {
			evals = append(evals, &cur.evals[i])
		}
		return fn(&cur, evals)
	}
	var (
		id, unitID, officeID, donorID int64
		code, title, status, currency string
		source, region                string
		start, end, firstFunding      time.Time
		eventOn                       time.Time
		event                         sql.NullInt64
		policyID, budget              int64
		appraised                     sql.NullBool
		evaluationBudget              sql.NullInt64
		evalID, evalBudget            sql.NullInt64
		subject, typ, timing, state   sql.NullString
		planned                       time.Time
	)
	for rows.Next() {
		if err := rows.Scan(&id, &code, &title, &status, scanTime(&start), scanTime(&end), &currency, &budget,
			scanTime(&firstFunding), &event, scanTime(&eventOn), scanID(&policyID), &appraised, &evaluationBudget,
			&source, &unitID, &officeID, &donorID, &region,
			&evalID, &subject, &typ, &timing, scanTime(&planned), &state, &evalBudget); err != nil {
			return err
		}
		if id != cur.p.ID {
			if cur.p.ID != 0 {
				if err := check(); err != nil {
					return err
				}
			}
			cur = complianceRow{
				p:      tcmis.Project{ID: id, Code: code, Title: title, Status: tcmis.Status(status), Start: start, End: end, Currency: currency},
				budget: budget,
				a:      approval{event: event.Valid, eventOn: eventOn, policyID: policyID, firstFunding: firstFunding},
				opt:    tcmis.PlanOptions{MidTermAgreed: appraised.Bool, EvaluationBudget: evaluationBudget.Int64},
				h:      tcmis.ProjectHeading{ProjectID: id, Source: tcmis.Source(source), Region: region, OfficeID: officeID, UnitID: unitID, DonorID: donorID, Category: rule.categories[donorID]},
				evals:  cur.evals[:0],
			}
		}
		if evalID.Valid {
			cur.evals = append(cur.evals, tcmis.Evaluation{
				ID: evalID.Int64, ProjectID: id, Subject: tcmis.Subject(subject.String), Type: tcmis.EvaluationType(typ.String),
				Timing: tcmis.Timing(timing.String), Planned: planned, Status: tcmis.EvaluationStatus(state.String), Budget: evalBudget.Int64,
			})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cur.p.ID != 0 {
		return check()
	}
	return nil
}

// complianceQuery selects the approved projects w selects (on projects
// p), one row for each of their evaluations, or one with NULLs for a
// project without any, in order of project id. The headings are those of
// the report sums (projectHeadings); the donor's category is looked up
// in Go.
func complianceQuery(w *where) string {
	return `SELECT h.project_id, q.code, q.title, q.status, q.start_date, q.end_date, q.currency,
		CAST(COALESCE((SELECT SUM(b.amount) FROM project_budget b WHERE b.project_id = q.id), 0) AS BIGINT),
		(SELECT MIN(a.approved_on) FROM approvals a WHERE a.project_id = q.id),
		s.id, s.changed_on, s.policy_id, ap.mid_term_agreed, ap.evaluation_budget,
		h.source, h.unit_id, h.office_id, h.donor_id, h.region,
		e.id, e.subject, e.type, e.timing, e.planned, e.status, e.budget_usd
		FROM (` + projectHeadings + w.String() + `) h
		JOIN projects q ON q.id = h.project_id
		LEFT JOIN project_status_changes s ON s.id = (SELECT MAX(s2.id) FROM project_status_changes s2 WHERE s2.project_id = q.id AND s2.to_status = 'approved')
		LEFT JOIN appraisals ap ON ap.id = (SELECT ap2.id FROM appraisals ap2 WHERE ap2.project_id = q.id ORDER BY ap2.appraised_on DESC, ap2.id DESC LIMIT 1)
		LEFT JOIN evaluations e ON e.project_id = h.project_id
		ORDER BY h.project_id`
}

// donorCategories returns the category of each organisation, by id.
func donorCategories(tx *Tx) (map[int64]tcmis.DonorCategory, error) {
	rows, err := tx.query(`SELECT id, category FROM organisations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]tcmis.DonorCategory{}
	for rows.Next() {
		var id int64
		var c tcmis.DonorCategory
		if err := rows.Scan(&id, &c); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}
