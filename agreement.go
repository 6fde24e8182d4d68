package tcmis

import (
	"context"
	"strings"
	"time"
)

// AgreementKind distinguishes multi-annual partnerships, which fund many
// projects, from agreements for a single project.
type AgreementKind string

const (
	Partnership   AgreementKind = "partnership"
	SingleProject AgreementKind = "single-project"
)

var agreementKinds = []kind{
	{"partnership", "Multi-annual partnership or framework agreement"},
	{"single-project", "Single-project agreement"},
}

func ParseAgreementKind(s string) (AgreementKind, error) {
	return parseKind[AgreementKind](agreementKinds, s, "kind of agreement")
}
func (k AgreementKind) Label() string { return labelOf(agreementKinds, string(k)) }
func (k AgreementKind) Valid() bool   { return validKind(agreementKinds, string(k)) }

// Agreement is a funding agreement with a donor. The unit that negotiated
// it tells whether the funds were mobilised locally by a field office or at
// headquarters.
type Agreement struct {
	ID      int64         `json:"id"`
	Ref     string        `json:"ref"`
	Title   string        `json:"title"`
	DonorID int64         `json:"donor_id"`
	Kind    AgreementKind `json:"kind"`
	Start   time.Time     `json:"start"`
	End     time.Time     `json:"end"`
	Amount  Money         `json:"amount"`
	// NegotiatedBy is the unit that negotiated the agreement.
	NegotiatedBy int64 `json:"negotiated_by,omitempty"`
	// Local is true when a field office mobilised the funds.
	Local   bool `json:"local"`
	Version int  `json:"version"`
}

// Validate checks an agreement before it is stored.
func (a *Agreement) Validate() error {
	var ps problems
	if strings.TrimSpace(a.Ref) == "" {
		ps.add("ref", "the agreement needs a reference")
	}
	if a.DonorID == 0 {
		ps.add("donor_id", "say which donor signed the agreement")
	}
	if !a.Kind.Valid() {
		ps.add("kind", "choose partnership or single-project")
	}
	checkPeriod(&ps, a.Start, a.End)
	checkCurrency(&ps, "amount.currency", a.Amount.Currency)
	if a.Amount.Amount < 0 {
		ps.add("amount", "an agreement cannot be for a negative amount")
	}
	return ps.err("agreement " + a.Ref)
}

// ActiveOn reports whether the agreement covers a day.
func (a *Agreement) ActiveOn(day time.Time) bool {
	return !day.Before(a.Start) && !day.After(a.End)
}

func checkPeriod(ps *problems, start, end time.Time) {
	if start.IsZero() {
		ps.add("start", "the start date is required")
	}
	if end.IsZero() {
		ps.add("end", "the end date is required")
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		ps.add("end", "the end date (%s) must come after the start date (%s)", end.Format(DateLayout), start.Format(DateLayout))
	}
}

// AgreementFilter selects agreements; nil fields do not filter.
type AgreementFilter struct {
	ID      *int64
	Ref     *string
	DonorID *int64
	// EndingBefore selects agreements that end on or before this day.
	EndingBefore *time.Time
	Offset       int
	Limit        int
}

// AgreementService stores funding agreements.
type AgreementService interface {
	FindAgreementByID(ctx context.Context, id int64) (*Agreement, error)
	FindAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, int, error)
	CreateAgreement(ctx context.Context, a *Agreement) error
	UpdateAgreement(ctx context.Context, a *Agreement) error
	DeleteAgreement(ctx context.Context, id int64) error
}
