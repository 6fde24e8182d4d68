package tcmis

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The project cycle. A project is proposed, appraised against the quality
// criteria, approved (which plans its evaluations under the evaluation
// policy in force), starts, closes operationally when its activities end
// and financially when its accounts are settled. It may be cancelled
// before it starts. Each move is a Transition, allowed to some roles only.

// Transition is one allowed move through the project cycle.
type Transition struct {
	From, To Status
	// Roles may make the move. A programme officer may only move the
	// projects of the units and offices they are assigned to.
	Roles []Role
	// NeedsReason is true when the move must say why (a cancellation, a
	// proposal sent back, a project reopened).
	NeedsReason bool
	// Rule says in words what else the move requires.
	Rule string
}

var (
	cycleRoles = []Role{RoleAdmin, RoleProgrammeOfficer}
	adminOnly  = []Role{RoleAdmin}
)

var transitions = []Transition{
	{From: Proposal, To: Appraisal, Roles: cycleRoles, Rule: "the design is ready to be appraised"},
	{From: Proposal, To: Cancelled, Roles: cycleRoles, NeedsReason: true, Rule: "the proposal is dropped"},
	{From: Appraisal, To: Proposal, Roles: cycleRoles, NeedsReason: true, Rule: "the design goes back for revision"},
	{From: Appraisal, To: Approved, Roles: cycleRoles, Rule: "the latest appraisal has no failed mandatory criterion; the evaluations are planned under the policy in force on the approval date"},
	{From: Appraisal, To: Cancelled, Roles: cycleRoles, NeedsReason: true, Rule: "the proposal is dropped"},
	{From: Approved, To: Ongoing, Roles: cycleRoles, Rule: "on or after the project's start date"},
	{From: Approved, To: Cancelled, Roles: adminOnly, NeedsReason: true, Rule: "an approved project that will not start; only an administrator reverses an approval"},
	{From: Ongoing, To: OperationallyClosed, Roles: cycleRoles, Rule: "the activities have ended (early closure is allowed)"},
	{From: OperationallyClosed, To: Ongoing, Roles: adminOnly, NeedsReason: true, Rule: "a project reopened, for example for an extension"},
	{From: OperationallyClosed, To: FinanciallyClosed, Roles: adminOnly, Rule: "the accounts are settled; only an administrator closes them"},
}

// Transitions lists every allowed move of the project cycle.
func Transitions() []Transition { return slices.Clone(transitions) }

// TransitionFor returns the move from one state to another, or false if
// the cycle has no such move.
func TransitionFor(from, to Status) (Transition, bool) {
	for _, t := range transitions {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// NextStatuses lists the states a project in state s may move to.
func NextStatuses(s Status) []Status {
	var out []Status
	for _, t := range transitions {
		if t.From == s {
			out = append(out, t.To)
		}
	}
	return out
}

// StatusChange asks for a project to move to another state of the cycle.
type StatusChange struct {
	ProjectID int64
	// Version is the version of the project the request was made on; 0
	// skips the check.
	Version int
	To      Status
	// Date is the day the change takes effect: the approval date, the
	// day the project started or closed. Zero means today.
	Date   time.Time
	Reason string
	// By is who asks. Their role decides which moves they may make.
	By User
	// Independent is the type of the independent evaluation the plan
	// makes when the policy asks for one: internal-independent or
	// external-independent (the default). Only approval uses it.
	Independent EvaluationType
}

// CheckTransition checks that a user may move project p to state to on
// day, and returns the move. It does not check the appraisal: approval
// does that with CanApprove.
func CheckTransition(u *User, p *Project, to Status, day time.Time, reason string) (Transition, error) {
	if !to.Valid() {
		return Transition{}, Errorf(EINVALID, "%q is not a project status (use one of %s)", to, statusList(Statuses()))
	}
	if p.Status == to {
		return Transition{}, Errorf(EINVALID, "project %s is already %s", p.Code, to.Label())
	}
	t, ok := TransitionFor(p.Status, to)
	if !ok {
		next := NextStatuses(p.Status)
		if len(next) == 0 {
			return Transition{}, Errorf(EINVALID, "project %s is %s: that is the end of the cycle, it cannot become %s", p.Code, p.Status.Label(), to)
		}
		return Transition{}, Errorf(EINVALID, "project %s is %s: it can go to %s, not %s", p.Code, p.Status.Label(), statusList(next), to)
	}
	if err := mayMove(u, p, t); err != nil {
		return Transition{}, err
	}
	if t.NeedsReason && strings.TrimSpace(reason) == "" {
		return Transition{}, Errorf(EINVALID, "moving project %s from %s to %s needs a reason", p.Code, p.Status, to)
	}
	if (to == Ongoing || to == OperationallyClosed) && day.Before(p.Start) {
		return Transition{}, Errorf(EINVALID, "project %s starts on %s: it cannot be %s on %s", p.Code, p.Start.Format(DateLayout), to.Label(), day.Format(DateLayout))
	}
	return t, nil
}

// mayMove checks the role of u against the move, and that a programme
// officer manages the project's lead unit or office.
func mayMove(u *User, p *Project, t Transition) error {
	if u == nil || u.Disabled {
		return Errorf(EFORBIDDEN, "only an active user may move a project through the cycle")
	}
	if !slices.Contains(t.Roles, u.Role) {
		names := make([]string, len(t.Roles))
		for i, r := range t.Roles {
			names[i] = r.Label()
		}
		return Errorf(EFORBIDDEN, "moving a project from %s to %s is for: %s (%s is %s)", t.From, t.To, strings.Join(names, ", "), userName(u), u.Role.Label())
	}
	if u.Role == RoleProgrammeOfficer && !slices.Contains(u.UnitIDs, p.LeadUnitID) && (p.OfficeID == 0 || !slices.Contains(u.UnitIDs, p.OfficeID)) {
		return Errorf(EFORBIDDEN, "%s does not manage the lead unit or the office of project %s", userName(u), p.Code)
	}
	return nil
}

func userName(u *User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

func statusList(ss []Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
	}
	return strings.Join(parts, "")
}

// DueToStart reports whether an approved project's start date has come.
func DueToStart(p *Project, day time.Time) bool {
	return p.Status == Approved && !day.Before(p.Start)
}

// StatusEvent is one move of a project through the cycle, kept as its
// history: who moved it, in which role, when and why, and for an approval
// the appraisal and the evaluation policy version applied.
type StatusEvent struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	From        Status    `json:"from"`
	To          Status    `json:"to"`
	Date        time.Time `json:"date"`
	Actor       string    `json:"actor"`
	UserID      int64     `json:"user_id,omitempty"`
	Role        Role      `json:"role"`
	Reason      string    `json:"reason,omitempty"`
	AppraisalID int64     `json:"appraisal_id,omitempty"`
	PolicyID    int64     `json:"policy_id,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// CycleResult is what a status change did.
type CycleResult struct {
	Project *Project     `json:"project"`
	Event   *StatusEvent `json:"event"`
	// Policy and Planned are set by an approval: the policy version
	// applied and the evaluations it planned.
	Policy  *EvaluationPolicy `json:"policy,omitempty"`
	Planned []*Evaluation     `json:"planned,omitempty"`
}

// CycleService runs the programme cycle: project states, appraisals, the
// evaluation policy and plans, lessons fed back, country programme funding
// gaps, results by biennium and delivery alerts.
type CycleService interface {
	// ChangeProjectStatus moves a project through the cycle after
	// checking the move and the role of c.By. An approval also checks
	// the latest appraisal and stores the evaluations planned under the
	// policy in force on the approval date, in the same transaction.
	ChangeProjectStatus(ctx context.Context, c StatusChange) (*CycleResult, error)
	// StartDueProjects moves to ongoing every approved project whose
	// start date has come by day.
	StartDueProjects(ctx context.Context, by User, day time.Time) ([]*CycleResult, error)
	// FindStatusEvents returns a project's moves through the cycle,
	// oldest first.
	FindStatusEvents(ctx context.Context, projectID int64) ([]*StatusEvent, error)

	AppraisalService
	PolicyService
	LessonSuggester
	GapService
	ResultsReporter
	DeliveryService
}
