package sqldb

import (
	"context"
	"time"

	"github.com/tcmis/tcmis"
)

// A project moves through the cycle only here: the move is checked against
// the cycle's rules and the role of the person asking, the project's
// status is saved with a new version, and the move is kept in
// project_status_changes. An approval also plans the project's
// evaluations, all in the same transaction.

var statusEventFields = []string{"project_id", "from_status", "to_status", "changed_on", "recorded_at", "actor", "user_id", "role", "reason", "appraisal_id", "policy_id"}

var statusEventColumns = "id, " + columnList(statusEventFields)

// ChangeProjectStatus moves a project through the cycle.
func (db *DB) ChangeProjectStatus(ctx context.Context, c tcmis.StatusChange) (*tcmis.CycleResult, error) {
	var res *tcmis.CycleResult
	err := db.update(ctx, func(tx *Tx) (err error) {
		res, err = changeStatus(tx, c)
		return err
	})
	return res, err
}

// StartDueProjects moves to ongoing every approved project whose start
// date has come by day (zero: today), in one transaction.
func (db *DB) StartDueProjects(ctx context.Context, by tcmis.User, day time.Time) ([]*tcmis.CycleResult, error) {
	var out []*tcmis.CycleResult
	err := db.update(ctx, func(tx *Tx) error {
		out = nil
		if day.IsZero() {
			day = calendarDay(tx.now)
		}
		status := tcmis.Approved
		ps, _, err := findProjects(tx, tcmis.ProjectFilter{Status: &status})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !tcmis.DueToStart(p, day) {
				continue
			}
			res, err := changeStatus(tx, tcmis.StatusChange{ProjectID: p.ID, Version: p.Version, To: tcmis.Ongoing, Date: day, By: by})
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return nil
	})
	return out, err
}

// FindStatusEvents returns a project's moves through the cycle, oldest
// first.
func (db *DB) FindStatusEvents(ctx context.Context, projectID int64) ([]*tcmis.StatusEvent, error) {
	var out []*tcmis.StatusEvent
	err := db.view(ctx, func(tx *Tx) (err error) {
		var w where
		w.add("project_id = ?", projectID)
		out, err = queryStatusEvents(tx, &w)
		return err
	})
	return out, err
}

func changeStatus(tx *Tx, c tcmis.StatusChange) (*tcmis.CycleResult, error) {
	p, err := findProjectByID(tx, c.ProjectID)
	if err != nil {
		return nil, err
	}
	if c.Version != 0 && c.Version != p.Version {
		return nil, tcmis.Errorf(tcmis.ECONFLICT, "project %s was changed by someone else since you opened it: reload it and make your change again", p.Code)
	}
	day := calendarDay(c.Date)
	if c.Date.IsZero() {
		day = calendarDay(tx.now)
	}
	if _, err := tcmis.CheckTransition(&c.By, p, c.To, day, c.Reason); err != nil {
		return nil, err
	}
	res := &tcmis.CycleResult{}
	ev := &tcmis.StatusEvent{
		ProjectID: p.ID, From: p.Status, To: c.To, Date: day, Actor: tx.actor.Name, UserID: tx.actor.UserID,
		Role: c.By.Role, Reason: c.Reason, RecordedAt: stampNow(tx),
	}
	if c.To == tcmis.Approved {
		if err := approve(tx, p, c, day, ev, res); err != nil {
			return nil, err
		}
	}
	old := *p
	if err := tx.bump("projects", p.ID, p.Version, "project"); err != nil {
		return nil, err
	}
	p.Status, p.Version, p.UpdatedAt = c.To, p.Version+1, stampNow(tx)
	tx.complianceTouch(p.ID)
	if _, err := tx.exec(`UPDATE projects SET status = ?, updated_at = ? WHERE id = ?`, string(p.Status), tx.stamp(p.UpdatedAt), p.ID); err != nil {
		return nil, err
	}
	if err := tx.audit("project", p.ID, tcmis.ActionUpdate, &old, p); err != nil {
		return nil, err
	}
	id, err := tx.insert(`INSERT INTO project_status_changes (`+columnList(statusEventFields)+`) VALUES (`+columnParams(len(statusEventFields))+`)`,
		ev.ProjectID, string(ev.From), string(ev.To), tx.date(ev.Date), tx.stamp(ev.RecordedAt), ev.Actor, nullID(ev.UserID),
		string(ev.Role), ev.Reason, nullID(ev.AppraisalID), nullID(ev.PolicyID))
	if err != nil {
		return nil, err
	}
	ev.ID = id
	if err := tx.audit("project-status", id, tcmis.ActionCreate, nil, ev); err != nil {
		return nil, err
	}
	res.Project, res.Event = p, ev
	return res, nil
}

// approve checks the latest appraisal and plans the evaluations under the
// policy version in force on the approval day. Evaluations the project
// already has (a final, a mid-term, an annual review in the same year)
// are not planned twice.
func approve(tx *Tx, p *tcmis.Project, c tcmis.StatusChange, day time.Time, ev *tcmis.StatusEvent, res *tcmis.CycleResult) error {
	a, err := findLatestAppraisal(tx, p.ID)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return tcmis.Errorf(tcmis.EINVALID, "project %s has no appraisal: appraise it before approving it (tcmis project appraise %s)", p.Code, p.Code)
	} else if err != nil {
		return err
	}
	if err := a.CanApprove(); err != nil {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "project " + p.Code + " cannot be approved while a mandatory criterion of its appraisal of " + a.Date.Format(tcmis.DateLayout) + " fails or is not assessed", Problems: tcmis.ErrorProblems(err)}
	}
	policies, err := findPolicies(tx, 0)
	if err != nil {
		return err
	}
	pol, err := tcmis.PolicyInForce(policies, day)
	if err != nil {
		return err
	}
	rates, err := loadAllRates(tx)
	if err != nil {
		return err
	}
	budget, err := budgetUSD(rates, p, day)
	if err != nil {
		return err
	}
	plan, err := tcmis.Plan(p, pol, tcmis.PlanOptions{BudgetUSD: budget, MidTermAgreed: a.MidTermAgreed, EvaluationBudget: a.EvaluationBudget, Independent: c.Independent})
	if err != nil {
		return err
	}
	existing, _, err := findEvaluations(tx, tcmis.EvaluationFilter{ProjectID: &p.ID})
	if err != nil {
		return err
	}
	for i := range plan {
		e := &plan[i]
		if alreadyPlanned(e, existing) {
			continue
		}
		id, err := tx.insert(`INSERT INTO evaluations (`+columnList(evaluationFields)+`, version) VALUES (`+columnParams(len(evaluationFields))+`, 1)`,
			evaluationValues(tx, e)...)
		if err != nil {
			return constraintError(err, "evaluation "+e.Title)
		}
		e.ID, e.Version = id, 1
		if err := tx.audit("evaluation", id, tcmis.ActionCreate, nil, e); err != nil {
			return err
		}
		res.Planned = append(res.Planned, e)
	}
	res.Policy = pol
	ev.AppraisalID, ev.PolicyID = a.ID, pol.ID
	return nil
}

func alreadyPlanned(e *tcmis.Evaluation, existing []*tcmis.Evaluation) bool {
	for _, x := range existing {
		if x.Status == tcmis.EvaluationCancelled || x.Timing != e.Timing {
			continue
		}
		if e.Timing != tcmis.AnnualReview || x.Planned.Year() == e.Planned.Year() {
			return true
		}
	}
	return false
}

func queryStatusEvents(tx *Tx, w *where) ([]*tcmis.StatusEvent, error) {
	rows, err := tx.query(`SELECT `+statusEventColumns+` FROM project_status_changes`+w.String()+` ORDER BY id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tcmis.StatusEvent
	for rows.Next() {
		var ev tcmis.StatusEvent
		if err := rows.Scan(&ev.ID, &ev.ProjectID, &ev.From, &ev.To, scanTime(&ev.Date), scanTime(&ev.RecordedAt), &ev.Actor,
			scanID(&ev.UserID), &ev.Role, &ev.Reason, scanID(&ev.AppraisalID), scanID(&ev.PolicyID)); err != nil {
			return nil, err
		}
		out = append(out, &ev)
	}
	return out, rows.Err()
}
