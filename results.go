package tcmis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Objective is a strategic objective of the organisation, or one of the
// reporting headings for work outside them.
type Objective string

const (
	Standards        Objective = "so1"
	Employment       Objective = "so2"
	SocialProtection Objective = "so3"
	SocialDialogue   Objective = "so4"
	Integration      Objective = "integration"
	OtherObjective   Objective = "other"
)

var objectives = []kind{
	{"so1", "Standards and fundamental principles and rights at work"},
	{"so2", "Employment"},
	{"so3", "Social protection"},
	{"so4", "Social dialogue"},
	{"integration", "Integration"},
	{"other", "Others"},
}

// Objectives lists the four strategic objectives and the two other
// reporting headings, in report order.
func Objectives() []Objective { return codesOf[Objective](objectives) }

// ParseObjective accepts "so1", "SO1", "1", "Standards", ...
func ParseObjective(s string) (Objective, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "1", "2", "3", "4":
		return Objective("so" + t), nil
	case "standards":
		return Standards, nil
	}
	return parseKind[Objective](objectives, s, "strategic objective")
}

// Label is the short heading used in reports ("Standards", "Employment").
func (o Objective) Label() string {
	if o == Standards {
		return "Standards"
	}
	return labelOf(objectives, string(o))
}
func (o Objective) Valid() bool { return validKind(objectives, string(o)) }

// Strategic reports whether o is one of the four strategic objectives.
func (o Objective) Strategic() bool { return strings.HasPrefix(string(o), "so") }

// Biennium is a two-year programme and budget period, written "2006-07".
type Biennium string

// ParseBiennium reads "2006-07" or "2006-2007".
func ParseBiennium(s string) (Biennium, error) {
	s = strings.TrimSpace(s)
	first, second, ok := strings.Cut(s, "-")
	y, err := strconv.Atoi(first)
	if !ok || err != nil || len(first) != 4 {
		return "", fmt.Errorf("%q is not a biennium such as 2006-07", s)
	}
	want := fmt.Sprintf("%02d", (y+1)%100)
	if second != want && second != strconv.Itoa(y+1) {
		return "", fmt.Errorf("%q is not a biennium: the second year must follow the first (%d-%s)", s, y, want)
	}
	return BienniumOf(y), nil
}

// BienniumOf returns the biennium that starts with year.
func BienniumOf(year int) Biennium { return Biennium(fmt.Sprintf("%d-%02d", year, (year+1)%100)) }

// Start is the biennium's first year.
func (b Biennium) Start() int { y, _ := strconv.Atoi(string(b)[:min(4, len(b))]); return y }

// Contains reports whether a year falls in the biennium.
func (b Biennium) Contains(year int) bool { return year == b.Start() || year == b.Start()+1 }

// Outcome is an expected result of a strategic objective in a biennium,
// such as "Member States apply core labour standards".
type Outcome struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Biennium  Biennium  `json:"biennium"`
	Objective Objective `json:"objective"`
	Title     string    `json:"title"`
	Version   int       `json:"version"`
}

func (o *Outcome) Validate() error {
	var ps problems
	if strings.TrimSpace(o.Code) == "" {
		ps.add("code", "the outcome needs a code, such as 1a.1")
	}
	if _, err := ParseBiennium(string(o.Biennium)); err != nil {
		ps.add("biennium", "%v", err)
	}
	if !o.Objective.Valid() {
		ps.add("objective", "choose a strategic objective")
	}
	if strings.TrimSpace(o.Title) == "" {
		ps.add("title", "the outcome needs a title")
	}
	return ps.err("outcome " + o.Code)
}

// Indicator measures progress towards an outcome.
type Indicator struct {
	ID        int64   `json:"id"`
	OutcomeID int64   `json:"outcome_id"`
	Code      string  `json:"code"`
	Title     string  `json:"title"`
	Unit      string  `json:"unit"`
	Baseline  Decimal `json:"baseline"`
	// BaselineYear is the year the baseline was measured.
	BaselineYear int `json:"baseline_year,omitempty"`
	Version      int `json:"version"`
}

func (i *Indicator) Validate() error {
	var ps problems
	if i.OutcomeID == 0 {
		ps.add("outcome_id", "say which outcome the indicator measures")
	}
	if strings.TrimSpace(i.Code) == "" {
		ps.add("code", "the indicator needs a code")
	}
	if strings.TrimSpace(i.Title) == "" {
		ps.add("title", "the indicator needs a title")
	}
	if strings.TrimSpace(i.Unit) == "" {
		ps.add("unit", "say what the indicator counts (member States, per cent, ...)")
	}
	return ps.err("indicator " + i.Code)
}

// Target is what an indicator should reach by the end of a biennium.
type Target struct {
	ID          int64    `json:"id"`
	IndicatorID int64    `json:"indicator_id"`
	Biennium    Biennium `json:"biennium"`
	Value       Decimal  `json:"value"`
	Note        string   `json:"note,omitempty"`
	Version     int      `json:"version"`
}

func (t *Target) Validate() error {
	var ps problems
	if t.IndicatorID == 0 {
		ps.add("indicator_id", "say which indicator the target is for")
	}
	if _, err := ParseBiennium(string(t.Biennium)); err != nil {
		ps.add("biennium", "%v", err)
	}
	return ps.err("target")
}

// Result is a reported value of an indicator, with its evidence and, when
// a project achieved it, the project.
type Result struct {
	ID          int64     `json:"id"`
	IndicatorID int64     `json:"indicator_id"`
	Biennium    Biennium  `json:"biennium"`
	ProjectID   int64     `json:"project_id,omitempty"`
	Value       Decimal   `json:"value"`
	Reported    time.Time `json:"reported"`
	Evidence    string    `json:"evidence"`
	Version     int       `json:"version"`
}

func (r *Result) Validate() error {
	var ps problems
	if r.IndicatorID == 0 {
		ps.add("indicator_id", "say which indicator the result is for")
	}
	b, err := ParseBiennium(string(r.Biennium))
	if err != nil {
		ps.add("biennium", "%v", err)
	}
	if r.Reported.IsZero() {
		ps.add("reported", "the date of the report is required")
	} else if err == nil && r.Reported.Year() < b.Start() {
		ps.add("reported", "a result for %s cannot be reported before %d", b, b.Start())
	}
	if strings.TrimSpace(r.Evidence) == "" {
		ps.add("evidence", "say what shows the result (a document, a survey, a law adopted)")
	}
	return ps.err("result")
}

// ResultFilter selects outcomes, indicators, targets and results.
type ResultFilter struct {
	Biennium    *Biennium
	Objective   *Objective
	OutcomeID   *int64
	IndicatorID *int64
	ProjectID   *int64
	Offset      int
	Limit       int
}

// ResultService stores the results framework.
type ResultService interface {
	// FindOutcomeByID returns one outcome, or ENOTFOUND.
	FindOutcomeByID(ctx context.Context, id int64) (*Outcome, error)
	FindOutcomes(ctx context.Context, f ResultFilter) ([]*Outcome, int, error)
	CreateOutcome(ctx context.Context, o *Outcome) error
	UpdateOutcome(ctx context.Context, o *Outcome) error
	DeleteOutcome(ctx context.Context, id int64) error
	// FindIndicatorByID returns one indicator, or ENOTFOUND.
	FindIndicatorByID(ctx context.Context, id int64) (*Indicator, error)
	FindIndicators(ctx context.Context, f ResultFilter) ([]*Indicator, int, error)
	CreateIndicator(ctx context.Context, i *Indicator) error
	UpdateIndicator(ctx context.Context, i *Indicator) error
	DeleteIndicator(ctx context.Context, id int64) error
	// FindTargetByID returns one target, or ENOTFOUND.
	FindTargetByID(ctx context.Context, id int64) (*Target, error)
	FindTargets(ctx context.Context, f ResultFilter) ([]*Target, int, error)
	CreateTarget(ctx context.Context, t *Target) error
	UpdateTarget(ctx context.Context, t *Target) error
	DeleteTarget(ctx context.Context, id int64) error
	// FindResultByID returns one result, or ENOTFOUND.
	FindResultByID(ctx context.Context, id int64) (*Result, error)
	FindResults(ctx context.Context, f ResultFilter) ([]*Result, int, error)
	CreateResult(ctx context.Context, r *Result) error
	UpdateResult(ctx context.Context, r *Result) error
	DeleteResult(ctx context.Context, id int64) error
}
