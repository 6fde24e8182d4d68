package tcmis

import (
	"context"
	"strings"
)

// TrainingKind is the form a training activity takes.
type TrainingKind string

var trainingKinds = []kind{
	{"course", "Course"},
	{"workshop", "Workshop"},
	{"seminar", "Seminar"},
	{"fellowship", "Fellowship"},
	{"study-tour", "Study tour"},
	{"distance", "Distance learning"},
}

func TrainingKinds() []TrainingKind { return codesOf[TrainingKind](trainingKinds) }
func ParseTrainingKind(s string) (TrainingKind, error) {
	return parseKind[TrainingKind](trainingKinds, s, "kind of training")
}
func (k TrainingKind) Label() string { return labelOf(trainingKinds, string(k)) }
func (k TrainingKind) Valid() bool   { return validKind(trainingKinds, string(k)) }

// Participants counts the people trained by the group they came from.
type Participants struct {
	Employers   int `json:"employers"`
	Workers     int `json:"workers"`
	Governments int `json:"governments"`
	Others      int `json:"others"`
	// Women is how many of all participants were women.
	Women int `json:"women"`
}

// Total is the number of participants.
func (p Participants) Total() int { return p.Employers + p.Workers + p.Governments + p.Others }

// TrainingActivity is a course, workshop or fellowship programme run in a
// year, by a project or by the organisation's training centre.
type TrainingActivity struct {
	ID           int64        `json:"id"`
	Year         int          `json:"year"`
	Kind         TrainingKind `json:"kind"`
	Title        string       `json:"title"`
	ProjectID    int64        `json:"project_id,omitempty"`
	Country      string       `json:"country,omitempty"`
	Participants Participants `json:"participants"`
	Version      int          `json:"version"`
}

func (t *TrainingActivity) Validate() error {
	var ps problems
	checkYear(&ps, "year", t.Year)
	if !t.Kind.Valid() {
		ps.add("kind", "%q is not a kind of training", t.Kind)
	}
	if strings.TrimSpace(t.Title) == "" {
		ps.add("title", "the activity needs a title")
	}
	if t.Country != "" {
		checkCountry(&ps, "country", t.Country)
	}
	p := t.Participants
	if p.Employers < 0 || p.Workers < 0 || p.Governments < 0 || p.Others < 0 || p.Women < 0 {
		ps.add("participants", "participant counts cannot be negative")
	}
	if p.Women > p.Total() {
		ps.add("participants.women", "more women (%d) than participants (%d)", p.Women, p.Total())
	}
	return ps.err("training activity " + t.Title)
}

// TrainingFilter selects training activities.
type TrainingFilter struct {
	Year      *int
	ProjectID *int64
	Country   *string
	Offset    int
	Limit     int
}

// TrainingService stores training activities.
type TrainingService interface {
	// FindTrainingByID returns one training activity, or ENOTFOUND.
	FindTrainingByID(ctx context.Context, id int64) (*TrainingActivity, error)
	FindTraining(ctx context.Context, f TrainingFilter) ([]*TrainingActivity, int, error)
	CreateTraining(ctx context.Context, ts []*TrainingActivity) error
	UpdateTraining(ctx context.Context, t *TrainingActivity) error
	DeleteTraining(ctx context.Context, id int64) error
}
