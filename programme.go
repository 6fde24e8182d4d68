package tcmis

import (
	"context"
	"fmt"
	"strings"
)

// ProgrammeStatus is where a Decent Work Country Programme stands.
type ProgrammeStatus string

const (
	ProgrammeDraft     ProgrammeStatus = "draft"
	ProgrammeActive    ProgrammeStatus = "active"
	ProgrammeCompleted ProgrammeStatus = "completed"
)

var programmeStatuses = []kind{{"draft", "In preparation"}, {"active", "Active"}, {"completed", "Completed"}}

func ParseProgrammeStatus(s string) (ProgrammeStatus, error) {
	return parseKind[ProgrammeStatus](programmeStatuses, s, "programme status")
}
func (s ProgrammeStatus) Label() string { return labelOf(programmeStatuses, string(s)) }
func (s ProgrammeStatus) Valid() bool   { return validKind(programmeStatuses, string(s)) }

// InvolvementStatus is the state of the organisation's involvement in a
// country's UN development framework or poverty reduction strategy.
type InvolvementStatus string

const (
	NotInvolved InvolvementStatus = "none"
	Involved    InvolvementStatus = "ongoing"
	Completed   InvolvementStatus = "completed"
)

var involvementStatuses = []kind{{"none", "Not involved"}, {"ongoing", "Ongoing"}, {"completed", "Completed"}}

func ParseInvolvementStatus(s string) (InvolvementStatus, error) {
	return parseKind[InvolvementStatus](involvementStatuses, s, "involvement status")
}
func (s InvolvementStatus) Label() string { return labelOf(involvementStatuses, string(s)) }
func (s InvolvementStatus) Valid() bool   { return validKind(involvementStatuses, string(s)) }

// SecondRound records whether a second round of a strategy is expected or
// under way.
type SecondRound string

const (
	NoSecondRound       SecondRound = ""
	SecondRoundExpected SecondRound = "expected"
	SecondRoundOngoing  SecondRound = "ongoing"
)

// Involvement links a country programme to a national or UN framework (its
// UNDAF, its poverty reduction strategy) and says how far the organisation
// took part: "Ongoing", "Completed 2004", "Second round ongoing",
// "Completed 2005, second round expected".
type Involvement struct {
	Framework     string            `json:"framework,omitempty"`
	StartYear     int               `json:"start_year,omitempty"`
	EndYear       int               `json:"end_year,omitempty"`
	Status        InvolvementStatus `json:"status"`
	CompletedYear int               `json:"completed_year,omitempty"`
	SecondRound   SecondRound       `json:"second_round,omitempty"`
}

// String reads as the organisation's reports print it.
func (v Involvement) String() string {
	var s string
	switch v.Status {
	case Completed:
		s = "Completed"
		if v.CompletedYear != 0 {
			s += fmt.Sprintf(" %d", v.CompletedYear)
		}
	case Involved:
		s = "Ongoing"
	default:
		s = "Not involved"
	}
	switch v.SecondRound {
	case SecondRoundOngoing:
		if v.Status == Involved {
			return "Second round ongoing"
		}
		return s + ", second round ongoing"
	case SecondRoundExpected:
		return s + ", second round expected"
	}
	return s
}

func (v *Involvement) check(ps *problems, field string) {
	if v.Status == "" {
		v.Status = NotInvolved
	}
	if !v.Status.Valid() {
		ps.add(field+".status", "%q is not an involvement status (none, ongoing, completed)", v.Status)
	}
	if v.CompletedYear != 0 && v.Status != Completed {
		ps.add(field+".completed_year", "only a completed involvement has a year of completion")
	}
	if v.SecondRound != NoSecondRound && v.SecondRound != SecondRoundExpected && v.SecondRound != SecondRoundOngoing {
		ps.add(field+".second_round", "%q is not a second-round state (expected, ongoing)", v.SecondRound)
	}
	if v.StartYear != 0 && v.EndYear != 0 && v.EndYear < v.StartYear {
		ps.add(field+".end_year", "the framework ends before it starts")
	}
}

// CountryProgramme is a Decent Work Country Programme: the priorities and
// outcomes agreed with a country's constituents, and its links to the UN
// framework and the poverty reduction strategy.
type CountryProgramme struct {
	ID         int64           `json:"id"`
	Country    string          `json:"country"`
	Title      string          `json:"title"`
	StartYear  int             `json:"start_year"`
	EndYear    int             `json:"end_year"`
	Status     ProgrammeStatus `json:"status"`
	UNDAF      Involvement     `json:"undaf"`
	PRS        Involvement     `json:"prs"`
	Priorities []Priority      `json:"priorities"`
	Version    int             `json:"version"`
}

// Priority is one of a country programme's priorities.
type Priority struct {
	Number   int              `json:"number"`
	Title    string           `json:"title"`
	Outcomes []CountryOutcome `json:"outcomes"`
}

// CountryOutcome is a result a country programme expects within the
// biennium or the medium term, linked to the global outcomes it serves.
type CountryOutcome struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	// GlobalOutcomes are codes of outcomes of the results framework.
	GlobalOutcomes []string `json:"global_outcomes,omitempty"`
	// Planned is the resources the outcome needs, in US cents.
	Planned int64 `json:"planned_usd"`
}

func (c *CountryProgramme) Validate() error {
	var ps problems
	checkCountry(&ps, "country", c.Country)
	if strings.TrimSpace(c.Title) == "" {
		ps.add("title", "the programme needs a title")
	}
	checkYear(&ps, "start_year", c.StartYear)
	checkYear(&ps, "end_year", c.EndYear)
	if c.EndYear < c.StartYear {
		ps.add("end_year", "the programme ends (%d) before it starts (%d)", c.EndYear, c.StartYear)
	}
	if !c.Status.Valid() {
		ps.add("status", "choose draft, active or completed")
	}
	c.UNDAF.check(&ps, "undaf")
	c.PRS.check(&ps, "prs")
	codes := map[string]bool{}
	for i, p := range c.Priorities {
		field := fmt.Sprintf("priorities[%d]", i)
		if strings.TrimSpace(p.Title) == "" {
			ps.add(field+".title", "each priority needs a title")
		}
		for j, o := range p.Outcomes {
			of := fmt.Sprintf("%s.outcomes[%d]", field, j)
			if strings.TrimSpace(o.Code) == "" {
				ps.add(of+".code", "each country outcome needs a code, such as IDN101")
			} else if codes[o.Code] {
				ps.add(of+".code", "outcome code %s is used twice", o.Code)
			}
			codes[o.Code] = true
			if strings.TrimSpace(o.Title) == "" {
				ps.add(of+".title", "each country outcome needs a title")
			}
			if o.Planned < 0 {
				ps.add(of+".planned_usd", "planned resources cannot be negative")
			}
		}
	}
	return ps.err("country programme " + c.Country)
}

// ProgrammeFilter selects country programmes.
type ProgrammeFilter struct {
	ID      *int64
	Country *string
	Status  *ProgrammeStatus
	Offset  int
	Limit   int
}

// ProgrammeService stores Decent Work Country Programmes.
type ProgrammeService interface {
	FindProgrammeByID(ctx context.Context, id int64) (*CountryProgramme, error)
	FindProgrammes(ctx context.Context, f ProgrammeFilter) ([]*CountryProgramme, int, error)
	CreateProgramme(ctx context.Context, c *CountryProgramme) error
	UpdateProgramme(ctx context.Context, c *CountryProgramme) error
	DeleteProgramme(ctx context.Context, id int64) error
}
