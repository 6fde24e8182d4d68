package tcmis

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Criterion is one of the quality criteria a project design is appraised
// against before approval.
type Criterion string

const (
	CriterionTripartite Criterion = "tripartite"
	CriterionGender     Criterion = "gender"
	CriterionOutcomes   Criterion = "outcomes"
	CriterionStandards  Criterion = "standards"
	CriterionResults    Criterion = "results"
	CriterionEvaluation Criterion = "evaluation"
	CriterionRisks      Criterion = "risks"
)

// criterionDef is a criterion with its label and whether it is mandatory.
type criterionDef struct {
	kind
	mandatory bool
}

// The appraisal criteria, in the order of the appraisal form. Mandatory
// criteria block approval when they fail; the others are advice to the
// designers. Relevant standards are not mandatory because not every
// project applies a Convention; risks are not, because the analysis is a
// matter of judgement the appraisal comments on.
var criteria = []criterionDef{
	{kind{"tripartite", "Government, employers and workers took part in the design"}, true},
	{kind{"gender", "Gender equality is addressed"}, true},
	{kind{"outcomes", "Linked to a country programme outcome and a global outcome"}, true},
	{kind{"standards", "Relevant international labour standards"}, false},
	{kind{"results", "Results framework: at least one outcome indicator with baseline and target"}, true},
	{kind{"evaluation", "Evaluation plan with its budget"}, true},
	{kind{"risks", "Risks and assumptions analysed"}, false},
}

func criterionKinds() []kind {
	out := make([]kind, len(criteria))
	for i, c := range criteria {
		out[i] = c.kind
	}
	return out
}

// Criteria lists the appraisal criteria in the order of the form.
func Criteria() []Criterion { return codesOf[Criterion](criterionKinds()) }

// ParseCriterion accepts a criterion's code or label.
func ParseCriterion(s string) (Criterion, error) {
	return parseKind[Criterion](criterionKinds(), s, "appraisal criterion")
}
func (c Criterion) Label() string { return labelOf(criterionKinds(), string(c)) }
func (c Criterion) Valid() bool   { return validKind(criterionKinds(), string(c)) }

// Mandatory reports whether the criterion must not fail for the project
// to be approved.
func (c Criterion) Mandatory() bool {
	for _, d := range criteria {
		if d.code == string(c) {
			return d.mandatory
		}
	}
	return false
}

// Assessment is the appraiser's finding on one criterion.
type Assessment string

const (
	NotAssessed   Assessment = ""
	Pass          Assessment = "pass"
	Fail          Assessment = "fail"
	NotApplicable Assessment = "na"
)

var assessments = []kind{{"pass", "Pass"}, {"fail", "Fail"}, {"na", "Not applicable"}}

// ParseAssessment reads pass, fail, na ("n/a", "not applicable").
func ParseAssessment(s string) (Assessment, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "n/a", "n.a.", "not-applicable":
		return NotApplicable, nil
	}
	return parseKind[Assessment](assessments, s, "appraisal finding")
}
func (a Assessment) Label() string {
	if a == NotAssessed {
		return "Not assessed"
	}
	return labelOf(assessments, string(a))
}
func (a Assessment) Valid() bool { return a == NotAssessed || validKind(assessments, string(a)) }

// CriterionResult is the finding on one criterion of an appraisal.
type CriterionResult struct {
	Criterion Criterion  `json:"criterion"`
	Mandatory bool       `json:"mandatory"`
	Result    Assessment `json:"result"`
	Comment   string     `json:"comment,omitempty"`
}

// ProjectAppraisal is the quality appraisal of a project design: the
// finding on each criterion, who appraised it and when, the lessons of
// past evaluations the appraisal considered, and the parts of the
// evaluation plan agreed at appraisal. (Appraisal is the name of the
// project status.)
type ProjectAppraisal struct {
	ID        int64             `json:"id"`
	ProjectID int64             `json:"project_id"`
	Appraiser string            `json:"appraiser"`
	Date      time.Time         `json:"date"`
	Criteria  []CriterionResult `json:"criteria"`
	// LessonsConsidered are the ids of the lessons the appraisal took
	// into account.
	LessonsConsidered []int64 `json:"lessons_considered,omitempty"`
	// MidTermAgreed records that the evaluation plan of a project over
	// the policy's annual-review threshold includes a mid-term
	// evaluation ("a mid-term review if agreed").
	MidTermAgreed bool `json:"mid_term_agreed"`
	// EvaluationBudget is what the project budgets for its independent
	// evaluations, in US cents.
	EvaluationBudget int64  `json:"evaluation_budget_usd"`
	Summary          string `json:"summary,omitempty"`
	Version          int    `json:"version"`
}

// NewAppraisal returns an appraisal of a project with every criterion
// listed, mandatory as the rules say, and none assessed.
func NewAppraisal(projectID int64) *ProjectAppraisal {
	a := &ProjectAppraisal{ProjectID: projectID}
	for _, d := range criteria {
		a.Criteria = append(a.Criteria, CriterionResult{Criterion: Criterion(d.code), Mandatory: d.mandatory})
	}
	return a
}

// Set records the finding on a criterion, adding the criterion if the
// appraisal does not list it yet.
func (a *ProjectAppraisal) Set(c Criterion, result Assessment, comment string) {
	for i := range a.Criteria {
		if a.Criteria[i].Criterion == c {
			a.Criteria[i].Result, a.Criteria[i].Comment = result, comment
			return
		}
	}
	a.Criteria = append(a.Criteria, CriterionResult{Criterion: c, Mandatory: c.Mandatory(), Result: result, Comment: comment})
}

// Finding returns the finding on a criterion, and false if the appraisal
// does not list it.
func (a *ProjectAppraisal) Finding(c Criterion) (CriterionResult, bool) {
	for _, r := range a.Criteria {
		if r.Criterion == c {
			return r, true
		}
	}
	return CriterionResult{}, false
}

// Validate checks an appraisal before it is stored. An appraisal may be
// stored before every criterion is assessed; CanApprove decides whether
// it is enough for approval.
func (a *ProjectAppraisal) Validate() error {
	var ps problems
	if a.ProjectID == 0 {
		ps.add("project_id", "say which project is appraised")
	}
	if strings.TrimSpace(a.Appraiser) == "" {
		ps.add("appraiser", "say who appraised the project")
	}
	if a.Date.IsZero() {
		ps.add("date", "the date of the appraisal is required")
	}
	seen := map[Criterion]bool{}
	for i, r := range a.Criteria {
		field := fmt.Sprintf("criteria[%d]", i)
		if !r.Criterion.Valid() {
			ps.add(field+".criterion", "%q is not an appraisal criterion (use one of %s)", r.Criterion, strings.Join(criterionCodes(), ", "))
			continue
		}
		if seen[r.Criterion] {
			ps.add(field+".criterion", "%s is assessed twice", r.Criterion)
		}
		seen[r.Criterion] = true
		if !r.Result.Valid() {
			ps.add(field+".result", "%q is not a finding: use pass, fail or na", r.Result)
		}
		if r.Criterion.Mandatory() && !r.Mandatory {
			ps.add(field+".mandatory", "%s is a mandatory criterion", r.Criterion)
		}
		if r.Result == Fail && strings.TrimSpace(r.Comment) == "" {
			ps.add(field+".comment", "say what must change for %s to pass", r.Criterion)
		}
		if r.Result == NotApplicable && r.Mandatory && strings.TrimSpace(r.Comment) == "" {
			ps.add(field+".comment", "say why the mandatory criterion %s does not apply", r.Criterion)
		}
	}
	lessons := map[int64]bool{}
	for i, id := range a.LessonsConsidered {
		if id <= 0 || lessons[id] {
			ps.add(fmt.Sprintf("lessons_considered[%d]", i), "each lesson is listed once, by its id")
		}
		lessons[id] = true
	}
	if a.EvaluationBudget < 0 {
		ps.add("evaluation_budget_usd", "the evaluation budget cannot be negative")
	}
	return ps.err("appraisal")
}

func criterionCodes() []string {
	out := make([]string, len(criteria))
	for i, c := range criteria {
		out[i] = c.code
	}
	return out
}

// CanApprove returns nil when the appraisal allows approval: every
// mandatory criterion (by the rules, or made so by the appraisal)
// assessed, and none failed. Otherwise it returns
// EINVALID naming each criterion that blocks it.
func (a *ProjectAppraisal) CanApprove() error {
	var ps problems
	for _, d := range criteria {
		c := Criterion(d.code)
		r, ok := a.Finding(c)
		if !ok {
			r = CriterionResult{Criterion: c, Mandatory: d.mandatory}
		}
		if !r.Mandatory {
			continue
		}
		switch r.Result {
		case NotAssessed:
			ps.add(string(c), "%s: not assessed yet", c.Label())
		case Fail:
			ps.add(string(c), "%s: failed (%s)", c.Label(), r.Comment)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the project cannot be approved while a mandatory criterion fails or is not assessed", Problems: ps}
}

// Evidence returns what a project's record says about a criterion, to
// help the appraiser; "" when the record says nothing.
func Evidence(p *Project, c Criterion) string {
	switch c {
	case CriterionTripartite:
		return "constituents in the design: " + p.Tripartite.Design.String()
	case CriterionGender:
		return "gender marker: " + p.Gender.String()
	case CriterionOutcomes:
		var global []string
		for _, o := range p.Objectives {
			if o.Outcome != "" {
				global = append(global, o.Outcome)
			}
		}
		return fmt.Sprintf("country outcomes: %s; global outcomes: %s", orNone(p.CountryOutcomes), orNone(global))
	case CriterionStandards:
		conv := make([]string, len(p.Conventions))
		for i, n := range p.Conventions {
			conv[i] = fmt.Sprintf("C%d", n)
		}
		return "Conventions: " + orNone(conv)
	}
	return ""
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}

// AppraisalFilter selects appraisals.
type AppraisalFilter struct {
	ID        *int64
	ProjectID *int64
	Offset    int
	Limit     int
}

// AppraisalService stores appraisals. A project has one appraisal per
// round of appraisal; the latest, by date and then id, decides approval.
type AppraisalService interface {
	FindAppraisals(ctx context.Context, f AppraisalFilter) ([]*ProjectAppraisal, int, error)
	// FindLatestAppraisal returns a project's latest appraisal, or
	// ENOTFOUND.
	FindLatestAppraisal(ctx context.Context, projectID int64) (*ProjectAppraisal, error)
	// CreateAppraisal stores a new appraisal of a project in appraisal.
	CreateAppraisal(ctx context.Context, a *ProjectAppraisal) error
	UpdateAppraisal(ctx context.Context, a *ProjectAppraisal) error
	DeleteAppraisal(ctx context.Context, id int64) error
}
