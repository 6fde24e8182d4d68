package sqldb

import (
	"context"
	"sort"
	"time"

	"github.com/tcmis/tcmis"
)

// The versions of the evaluation policy live in evaluation_policies, one
// row each; the migration stores the versions of 2002 and 2005. A version
// that a project was approved under (project_status_changes.policy_id) is
// history and is not changed or deleted.

var policyFields = []string{"name", "ref", "effective", "final_only_under", "mid_term_up_to", "review_every", "independent_over", "budget_line"}

var policyColumns = "id, " + columnList(policyFields) + ", version"

func policyValues(tx *Tx, p *tcmis.EvaluationPolicy) []any {
	return []any{p.Name, p.Ref, tx.date(p.Effective), int64(p.FinalOnlyUnder), int64(p.MidTermUpTo), int64(p.ReviewEvery), p.IndependentOver, p.BudgetLine}
}

// FindEvaluationPolicies returns every version of the evaluation policy,
// oldest first.
func (db *DB) FindEvaluationPolicies(ctx context.Context) ([]*tcmis.EvaluationPolicy, error) {
	var out []*tcmis.EvaluationPolicy
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, err = findPolicies(tx, 0)
		return err
	})
	return out, err
}

// CreateEvaluationPolicy stores a new version of the policy. Two versions
// cannot take effect on the same day.
func (db *DB) CreateEvaluationPolicy(ctx context.Context, p *tcmis.EvaluationPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	c := *p
	c.Effective = calendarDay(c.Effective)
	err := db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO evaluation_policies (`+columnList(policyFields)+`, version) VALUES (`+columnParams(len(policyFields))+`, 1)`, policyValues(tx, &c)...)
		if err != nil {
			return constraintError(err, "an evaluation policy taking effect on "+c.Effective.Format(tcmis.DateLayout))
		}
		c.ID, c.Version = id, 1
		tx.complianceTouchAll()
		return tx.audit("evaluation-policy", id, tcmis.ActionCreate, nil, &c)
	})
	if err == nil {
		*p = c
	}
	return err
}

// UpdateEvaluationPolicy saves a version no project was approved under.
func (db *DB) UpdateEvaluationPolicy(ctx context.Context, p *tcmis.EvaluationPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	c := *p
	c.Effective = calendarDay(c.Effective)
	err := db.update(ctx, func(tx *Tx) error {
		old, err := findPolicy(tx, c.ID)
		if err != nil {
			return err
		}
		if err := policyInUse(tx, old); err != nil {
			return err
		}
		if err := tx.bump("evaluation_policies", c.ID, c.Version, "evaluation policy"); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE evaluation_policies SET `+columnSets(policyFields)+` WHERE id = ?`, append(policyValues(tx, &c), c.ID)...); err != nil {
			return constraintError(err, "an evaluation policy taking effect on "+c.Effective.Format(tcmis.DateLayout))
		}
		c.Version = old.Version + 1
		tx.complianceTouchAll()
		return tx.audit("evaluation-policy", c.ID, tcmis.ActionUpdate, old, &c)
	})
	if err == nil {
		*p = c
	}
	return err
}

// DeleteEvaluationPolicy removes a version no project was approved under.
func (db *DB) DeleteEvaluationPolicy(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findPolicy(tx, id)
		if err != nil {
			return err
		}
		if err := policyInUse(tx, old); err != nil {
			return err
		}
		tx.complianceTouchAll()
		return tx.remove("evaluation_policies", "evaluation-policy", id, old)
	})
}

// policyInUse refuses to change a version that projects were approved
// under: their plans were made by it.
func policyInUse(tx *Tx, p *tcmis.EvaluationPolicy) error {
	n, err := tx.count(`SELECT COUNT(*) FROM project_status_changes WHERE policy_id = ?`, p.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return tcmis.Errorf(tcmis.ECONFLICT, "%d project(s) were approved under %s: add a new version instead of changing this one", n, p)
	}
	return nil
}

func findPolicy(tx *Tx, id int64) (*tcmis.EvaluationPolicy, error) {
	ps, err := findPolicies(tx, id)
	if err != nil {
		return nil, err
	} else if len(ps) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "evaluation policy %d not found", id)
	}
	return ps[0], nil
}

// findPolicies reads one version, or all (id 0), oldest first.
func findPolicies(tx *Tx, id int64) ([]*tcmis.EvaluationPolicy, error) {
	var w where
	if id != 0 {
		w.add("id = ?", id)
	}
	rows, err := tx.query(`SELECT `+policyColumns+` FROM evaluation_policies`+w.String()+` ORDER BY effective, id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tcmis.EvaluationPolicy
	for rows.Next() {
		var p tcmis.EvaluationPolicy
		if err := rows.Scan(&p.ID, &p.Name, &p.Ref, scanTime(&p.Effective), &p.FinalOnlyUnder, &p.MidTermUpTo, &p.ReviewEvery,
			&p.IndependentOver, &p.BudgetLine, &p.Version); err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// EvaluationPlan returns a project's plan. An approved project has its
// stored evaluations, the policy version it was approved under and its
// compliance; a project not yet approved has the evaluations approval on
// day would plan (zero day: today), from its latest appraisal if any.
func (db *DB) EvaluationPlan(ctx context.Context, projectID int64, day time.Time) (*tcmis.EvaluationPlan, error) {
	var plan *tcmis.EvaluationPlan
	err := db.view(ctx, func(tx *Tx) error {
		p, err := findProjectByID(tx, projectID)
		if err != nil {
			return err
		}
		if day.IsZero() {
			day = calendarDay(tx.now)
		}
		rates, err := loadAllRates(tx)
		if err != nil {
			return err
		}
		policies, err := findPolicies(tx, 0)
		if err != nil {
			return err
		}
		plan = &tcmis.EvaluationPlan{Project: p}
		if approvedStatus(p.Status) {
			cs, err := projectCompliance(tx, []*tcmis.Project{p}, policies, rates, day)
			if err != nil {
				return err
			}
			c := cs[0]
			plan.Compliance, plan.ApprovedOn, plan.Requirements = c, c.ApprovedOn, c.Requirements
			for _, pol := range policies {
				if pol.ID == c.PolicyID {
					plan.Policy = pol
				}
			}
			plan.Evaluations, _, err = findEvaluations(tx, tcmis.EvaluationFilter{ProjectID: &p.ID})
			return err
		}
		plan.Proposed = true
		pol, err := tcmis.PolicyInForce(policies, day)
		if err != nil {
			return err
		}
		opt, err := planOptions(tx, p, rates, day)
		if err != nil {
			return err
		}
		plan.Policy, plan.Requirements = pol, pol.Require(p, opt)
		es, err := tcmis.Plan(p, pol, opt)
		if tcmis.ErrorCode(err) == tcmis.EINVALID && plan.Requirements.BudgetLine {
			plan.Issue = tcmis.ErrorMessage(err)
			relaxed := *pol
			relaxed.BudgetLine = false
			es, err = tcmis.Plan(p, &relaxed, opt)
		}
		if err != nil {
			return err
		}
		for i := range es {
			plan.Evaluations = append(plan.Evaluations, &es[i])
		}
		return nil
	})
	return plan, err
}

// EvaluationCompliance reports each approved project's evaluations against
// its policy version, by project code, from the lean read (compliance.go).
func (db *DB) EvaluationCompliance(ctx context.Context, f tcmis.ComplianceFilter) ([]*tcmis.Compliance, error) {
	var out []*tcmis.Compliance
	err := db.view(ctx, func(tx *Tx) error {
		out = nil
		return eachCompliance(tx, f, func(c *tcmis.Compliance, _ tcmis.ProjectHeading) error {
			out = append(out, c)
			return nil
		})
	})
	sortCompliance(out)
	return out, err
}

func approvedStatus(s tcmis.Status) bool {
	return s == tcmis.Approved || s == tcmis.Ongoing || s == tcmis.OperationallyClosed || s == tcmis.FinanciallyClosed
}

// projectCompliance checks approved projects, loaded whole, against
// their policy versions (checkApproved).
func projectCompliance(tx *Tx, ps []*tcmis.Project, policies []*tcmis.EvaluationPolicy, rates tcmis.Rates, today time.Time) ([]*tcmis.Compliance, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	approvals, err := approvalEvents(tx, ids)
	if err != nil {
		return nil, err
	}
	firstFunding, err := firstApprovals(tx, ids)
	if err != nil {
		return nil, err
	}
	appraisals, err := latestAppraisals(tx, ids)
	if err != nil {
		return nil, err
	}
	// One project reads its own evaluations; many read them all at once.
	var ef tcmis.EvaluationFilter
	if len(ps) == 1 {
		ef.ProjectID = &ps[0].ID
	}
	all, _, err := findEvaluations(tx, ef)
	if err != nil {
		return nil, err
	}
	evals := map[int64][]*tcmis.Evaluation{}
	for _, e := range all {
		if e.ProjectID != 0 {
			evals[e.ProjectID] = append(evals[e.ProjectID], e)
		}
	}
	pols := newPolicySet(policies)
	out := make([]*tcmis.Compliance, 0, len(ps))
	for _, p := range ps {
		var a approval
		if ev, ok := approvals[p.ID]; ok {
			a.event, a.eventOn, a.policyID = true, ev.Date, ev.PolicyID
		}
		a.firstFunding = firstFunding[p.ID]
		var opt tcmis.PlanOptions
		if ap := appraisals[p.ID]; ap != nil {
			opt.MidTermAgreed, opt.EvaluationBudget = ap.MidTermAgreed, ap.EvaluationBudget
		}
		c, err := checkApproved(p, a, opt, pols, rates, evals[p.ID], today)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// approval is how an approved project came to be approved: its latest
// approval through the cycle (event), with the day and the policy
// version it recorded, and the day of its first funding approval (zero
// if none).
type approval struct {
	event        bool
	eventOn      time.Time
	policyID     int64
	firstFunding time.Time
}

// policySet is the versions of the policy, and by id.
type policySet struct {
	all  []*tcmis.EvaluationPolicy
	byID map[int64]*tcmis.EvaluationPolicy
}

func newPolicySet(policies []*tcmis.EvaluationPolicy) policySet {
	s := policySet{all: policies, byID: map[int64]*tcmis.EvaluationPolicy{}}
	for _, pol := range policies {
		s.byID[pol.ID] = pol
	}
	return s
}

// checkApproved checks an approved project against its policy version.
// A project approved through the cycle follows the version its approval
// recorded; one recorded otherwise (imported, or loaded as the demo)
// counts as approved on its first funding approval, or else on its start
// date, and follows the version in force then. Its budget is converted
// at the rate of its approval day; opt brings the latest appraisal's
// mid-term agreement and evaluation budget.
func checkApproved(p *tcmis.Project, a approval, opt tcmis.PlanOptions, pols policySet, rates tcmis.Rates, evals []*tcmis.Evaluation, today time.Time) (*tcmis.Compliance, error) {
	var pol *tcmis.EvaluationPolicy
	approvedOn := p.Start
	if a.event {
		approvedOn, pol = a.eventOn, pols.byID[a.policyID]
	} else {
		if !a.firstFunding.IsZero() {
			approvedOn = a.firstFunding
		}
		pol, _ = tcmis.PolicyInForce(pols.all, approvedOn)
	}
	var err error
	if opt.BudgetUSD, err = budgetUSD(rates, p, approvedOn); err != nil {
		return nil, err
	}
	c := tcmis.CheckCompliance(p, pol, opt, evals, today)
	c.ApprovedOn = approvedOn
	return &c, nil
}

func sortCompliance(cs []*tcmis.Compliance) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Code < cs[j].Code })
}

// approvalEvents returns the latest approval of each of the projects.
func approvalEvents(tx *Tx, ids []int64) (map[int64]*tcmis.StatusEvent, error) {
	out := map[int64]*tcmis.StatusEvent{}
	err := eachChunk(ids, func(in string, args []any) error {
		var w where
		w.add("project_id IN ("+in+")", args...)
		w.add("to_status = ?", string(tcmis.Approved))
		evs, err := queryStatusEvents(tx, &w)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			out[ev.ProjectID] = ev // oldest first: the latest stays
		}
		return nil
	})
	return out, err
}

// firstApprovals returns the day of each project's first funding
// approval.
func firstApprovals(tx *Tx, ids []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT project_id, MIN(approved_on) FROM approvals WHERE project_id IN (`+in+`) GROUP BY project_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var d time.Time
			if err := rows.Scan(&id, scanTime(&d)); err != nil {
				return err
			}
			out[id] = d
		}
		return rows.Err()
	})
	return out, err
}

// planOptions are what approving p on day would plan with: its budget in
// US dollars on that day and, from its latest appraisal, the mid-term
// agreement and the evaluation budget.
func planOptions(tx *Tx, p *tcmis.Project, rates tcmis.Rates, day time.Time) (tcmis.PlanOptions, error) {
	var opt tcmis.PlanOptions
	var err error
	if opt.BudgetUSD, err = budgetUSD(rates, p, day); err != nil {
		return opt, err
	}
	as, err := latestAppraisals(tx, []int64{p.ID})
	if err != nil {
		return opt, err
	}
	if a := as[p.ID]; a != nil {
		opt.MidTermAgreed, opt.EvaluationBudget = a.MidTermAgreed, a.EvaluationBudget
	}
	return opt, nil
}

// budgetUSD is a project's total budget in US cents, converted at the
// rate in force on day.
func budgetUSD(rates tcmis.Rates, p *tcmis.Project, day time.Time) (int64, error) {
	c, err := tcmis.Convert(rates, p.TotalBudget(), day)
	if err != nil {
		return 0, tcmis.Errorf(tcmis.EINVALID, "the budget of project %s cannot be converted to US dollars: %v", p.Code, tcmis.ErrorMessage(err))
	}
	return c.USD, nil
}

// loadAllRates reads every exchange rate, for the conversions of project
// budgets (a few hundred rates at most). Of two rates of the same day,
// tcmis.Rates takes the first it meets: the one entered last, as the
// finance records do.
func loadAllRates(tx *Tx) (tcmis.Rates, error) {
	rows, err := tx.query(`SELECT id, currency, rate_date, per_usd, source FROM exchange_rates ORDER BY currency, rate_date, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out tcmis.Rates
	for rows.Next() {
		var r tcmis.ExchangeRate
		if err := rows.Scan(&r.ID, &r.Currency, scanTime(&r.Date), &r.PerUSD, &r.Source); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
