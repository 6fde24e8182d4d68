package tcmis

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Subject is what an evaluation looks at.
type Subject string

const (
	SubjectProject   Subject = "project"
	SubjectProgramme Subject = "country-programme"
	SubjectTheme     Subject = "theme"
)

var subjects = []kind{{"project", "Project"}, {"country-programme", "Country programme"}, {"theme", "Theme"}}

func ParseSubject(s string) (Subject, error) {
	return parseKind[Subject](subjects, s, "evaluation subject")
}
func (s Subject) Label() string { return labelOf(subjects, string(s)) }
func (s Subject) Valid() bool   { return validKind(subjects, string(s)) }

// EvaluationType is who evaluates and how.
type EvaluationType string

const (
	SelfEvaluation       EvaluationType = "self"
	InternalIndependent  EvaluationType = "internal-independent"
	ExternalIndependent  EvaluationType = "external-independent"
	ExPostEvaluation     EvaluationType = "ex-post"
	ThematicEvaluation   EvaluationType = "thematic"
	CountryProgrammeEval EvaluationType = "country-programme"
)

var evaluationTypes = []kind{
	{"self", "Self-evaluation"},
	{"internal-independent", "Independent internal evaluation"},
	{"external-independent", "External independent evaluation"},
	{"ex-post", "Ex-post evaluation"},
	{"thematic", "Thematic evaluation"},
	{"country-programme", "Country programme evaluation"},
}

func EvaluationTypes() []EvaluationType { return codesOf[EvaluationType](evaluationTypes) }
func ParseEvaluationType(s string) (EvaluationType, error) {
	return parseKind[EvaluationType](evaluationTypes, s, "type of evaluation")
}
func (t EvaluationType) Label() string { return labelOf(evaluationTypes, string(t)) }
func (t EvaluationType) Valid() bool   { return validKind(evaluationTypes, string(t)) }

// Independent reports whether the evaluation counts as independent under
// the evaluation policy.
func (t EvaluationType) Independent() bool {
	return t == InternalIndependent || t == ExternalIndependent || t == ExPostEvaluation
}

// IndependentTypes are the types of evaluation that count as independent,
// for a store to select them.
func IndependentTypes() []EvaluationType {
	var out []EvaluationType
	for _, t := range EvaluationTypes() {
		if t.Independent() {
			out = append(out, t)
		}
	}
	return out
}

// Timing is when in a project's life an evaluation takes place.
type Timing string

const (
	AnnualReview Timing = "annual-review"
	MidTerm      Timing = "mid-term"
	Final        Timing = "final"
	ExPost       Timing = "ex-post"
)

var timings = []kind{{"annual-review", "Annual review"}, {"mid-term", "Mid-term"}, {"final", "Final"}, {"ex-post", "Ex-post"}}

func Timings() []Timing                    { return codesOf[Timing](timings) }
func ParseTiming(s string) (Timing, error) { return parseKind[Timing](timings, s, "evaluation timing") }
func (t Timing) Label() string             { return labelOf(timings, string(t)) }
func (t Timing) Valid() bool               { return validKind(timings, string(t)) }

// EvaluationStatus follows an evaluation from plan to report.
type EvaluationStatus string

const (
	EvaluationPlanned   EvaluationStatus = "planned"
	EvaluationUnderway  EvaluationStatus = "underway"
	EvaluationDone      EvaluationStatus = "completed"
	EvaluationCancelled EvaluationStatus = "cancelled"
)

var evaluationStatuses = []kind{{"planned", "Planned"}, {"underway", "Under way"}, {"completed", "Completed"}, {"cancelled", "Cancelled"}}

func ParseEvaluationStatus(s string) (EvaluationStatus, error) {
	return parseKind[EvaluationStatus](evaluationStatuses, s, "evaluation status")
}
func (s EvaluationStatus) Label() string { return labelOf(evaluationStatuses, string(s)) }
func (s EvaluationStatus) Valid() bool   { return validKind(evaluationStatuses, string(s)) }

// Open reports whether an evaluation in this status is still to be done:
// planned or under way.
func (s EvaluationStatus) Open() bool { return s == EvaluationPlanned || s == EvaluationUnderway }

// OpenEvaluationStatuses are the statuses that are Open, for a store to
// select them.
func OpenEvaluationStatuses() []EvaluationStatus {
	var out []EvaluationStatus
	for _, k := range evaluationStatuses {
		if s := EvaluationStatus(k.code); s.Open() {
			out = append(out, s)
		}
	}
	return out
}

// Ratings score an evaluation's five criteria from 1 (highly
// unsatisfactory) to 6 (highly satisfactory); 0 means not rated.
type Ratings struct {
	Relevance      int `json:"relevance"`
	Efficiency     int `json:"efficiency"`
	Effectiveness  int `json:"effectiveness"`
	Impact         int `json:"impact"`
	Sustainability int `json:"sustainability"`
}

// Evaluation is a planned or completed evaluation of a project, a country
// programme or a theme.
type Evaluation struct {
	ID          int64            `json:"id"`
	Title       string           `json:"title"`
	Subject     Subject          `json:"subject"`
	ProjectID   int64            `json:"project_id,omitempty"`
	ProgrammeID int64            `json:"programme_id,omitempty"`
	Theme       string           `json:"theme,omitempty"`
	Type        EvaluationType   `json:"type"`
	Timing      Timing           `json:"timing"`
	Planned     time.Time        `json:"planned"`
	Actual      time.Time        `json:"actual,omitempty"`
	Status      EvaluationStatus `json:"status"`
	Ratings     Ratings          `json:"ratings"`
	// Constituents are those who took part in the evaluation.
	Constituents Constituents `json:"constituents"`
	// Budget is the evaluation's budget line in US cents.
	Budget    int64  `json:"budget_usd,omitempty"`
	Evaluator string `json:"evaluator,omitempty"`
	Summary   string `json:"summary,omitempty"`
	Version   int    `json:"version"`
}

func (e *Evaluation) Validate() error {
	var ps problems
	if strings.TrimSpace(e.Title) == "" {
		ps.add("title", "the evaluation needs a title")
	}
	switch e.Subject {
	case SubjectProject:
		if e.ProjectID == 0 {
			ps.add("project_id", "say which project is evaluated")
		}
	case SubjectProgramme:
		if e.ProgrammeID == 0 {
			ps.add("programme_id", "say which country programme is evaluated")
		}
	case SubjectTheme:
		if strings.TrimSpace(e.Theme) == "" {
			ps.add("theme", "say which theme is evaluated")
		}
	default:
		ps.add("subject", "choose project, country-programme or theme")
	}
	if !e.Type.Valid() {
		ps.add("type", "%q is not a type of evaluation", e.Type)
	}
	if !e.Timing.Valid() {
		ps.add("timing", "%q is not an evaluation timing", e.Timing)
	}
	if !e.Status.Valid() {
		ps.add("status", "%q is not an evaluation status", e.Status)
	}
	if e.Planned.IsZero() {
		ps.add("planned", "the planned date is required")
	}
	if e.Status == EvaluationDone && e.Actual.IsZero() {
		ps.add("actual", "a completed evaluation has the date it was completed")
	}
	for _, r := range []struct {
		name string
		v    int
	}{{"relevance", e.Ratings.Relevance}, {"efficiency", e.Ratings.Efficiency}, {"effectiveness", e.Ratings.Effectiveness}, {"impact", e.Ratings.Impact}, {"sustainability", e.Ratings.Sustainability}} {
		if r.v < 0 || r.v > 6 {
			ps.add("ratings."+r.name, "ratings go from 1 (highly unsatisfactory) to 6 (highly satisfactory); 0 means not rated")
		}
	}
	if e.Budget < 0 {
		ps.add("budget_usd", "the budget cannot be negative")
	}
	return ps.err("evaluation " + e.Title)
}

// Year is the year the evaluation took place or, not yet done, is due:
// that of its actual date when it has one, else of its planned date.
func (e *Evaluation) Year() int {
	if !e.Actual.IsZero() {
		return e.Actual.Year()
	}
	return e.Planned.Year()
}

// Overdue reports whether a planned evaluation has passed its date
// without being done: it is open and its planned date is before today.
func (e *Evaluation) Overdue(today time.Time) bool {
	return e.Status.Open() && e.Planned.Before(today)
}

// LessonKind separates lessons learned from good practices.
type LessonKind string

const (
	LessonLearned LessonKind = "lesson"
	GoodPractice  LessonKind = "good-practice"
)

var lessonKinds = []kind{{"lesson", "Lesson learned"}, {"good-practice", "Good practice"}}

func ParseLessonKind(s string) (LessonKind, error) {
	return parseKind[LessonKind](lessonKinds, s, "kind of lesson")
}
func (k LessonKind) Label() string { return labelOf(lessonKinds, string(k)) }
func (k LessonKind) Valid() bool   { return validKind(lessonKinds, string(k)) }

// Lesson is a lesson learned or a good practice drawn from an evaluation,
// tagged so that new projects can find it.
type Lesson struct {
	ID           int64      `json:"id"`
	EvaluationID int64      `json:"evaluation_id"`
	Kind         LessonKind `json:"kind"`
	Title        string     `json:"title"`
	Text         string     `json:"text"`
	Objective    Objective  `json:"objective,omitempty"`
	Country      string     `json:"country,omitempty"`
	Theme        string     `json:"theme,omitempty"`
	Assistance   Assistance `json:"assistance,omitempty"`
	Version      int        `json:"version"`
}

func (l *Lesson) Validate() error {
	var ps problems
	if l.EvaluationID == 0 {
		ps.add("evaluation_id", "say which evaluation the lesson comes from")
	}
	if !l.Kind.Valid() {
		ps.add("kind", "choose lesson or good-practice")
	}
	if strings.TrimSpace(l.Title) == "" {
		ps.add("title", "the lesson needs a title")
	}
	if strings.TrimSpace(l.Text) == "" {
		ps.add("text", "write the lesson")
	}
	if l.Objective != "" && !l.Objective.Valid() {
		ps.add("objective", "%q is not a strategic objective", l.Objective)
	}
	if l.Country != "" {
		checkCountry(&ps, "country", l.Country)
	}
	if l.Assistance != "" && !l.Assistance.Valid() {
		ps.add("assistance", "%q is not a type of assistance", l.Assistance)
	}
	return ps.err(fmt.Sprintf("lesson %q", l.Title))
}

// EvaluationFilter selects evaluations.
type EvaluationFilter struct {
	ID          *int64
	ProjectID   *int64
	ProgrammeID *int64
	Status      *EvaluationStatus
	Type        *EvaluationType
	// Year keeps the evaluations of that year (Evaluation.Year).
	Year *int
	// Independent keeps the evaluations of an independent type when
	// true (EvaluationType.Independent), of another type when false.
	Independent *bool
	// Open keeps the evaluations still to be done when true
	// (EvaluationStatus.Open), the others when false.
	Open *bool
	// OverdueOn keeps the evaluations overdue on that day
	// (Evaluation.Overdue).
	OverdueOn *time.Time
	Offset    int
	Limit     int
}

// LessonFilter selects lessons.
type LessonFilter struct {
	EvaluationID *int64
	Country      *string
	Objective    *Objective
	Theme        *string
	Search       string
	Offset       int
	Limit        int
}

// EvaluationService stores evaluations and their lessons.
type EvaluationService interface {
	FindEvaluationByID(ctx context.Context, id int64) (*Evaluation, error)
	FindEvaluations(ctx context.Context, f EvaluationFilter) ([]*Evaluation, int, error)
	// CountEvaluations returns how many evaluations match f, whatever
	// its Offset and Limit.
	CountEvaluations(ctx context.Context, f EvaluationFilter) (int, error)
	CreateEvaluation(ctx context.Context, e *Evaluation) error
	UpdateEvaluation(ctx context.Context, e *Evaluation) error
	DeleteEvaluation(ctx context.Context, id int64) error
	// FindLessonByID returns one lesson, or ENOTFOUND.
	FindLessonByID(ctx context.Context, id int64) (*Lesson, error)
	FindLessons(ctx context.Context, f LessonFilter) ([]*Lesson, int, error)
	CreateLesson(ctx context.Context, l *Lesson) error
	UpdateLesson(ctx context.Context, l *Lesson) error
	DeleteLesson(ctx context.Context, id int64) error
}
