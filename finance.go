package tcmis

import (
	"context"
	"strings"
	"time"
)

// Approval is money a donor approved for the programme: the figure the
// governing body sees as resources mobilised. An approval may be for a
// project or, as in the organisation's published tables, for the donor as
// a whole.
type Approval struct {
	ID          int64     `json:"id"`
	DonorID     int64     `json:"donor_id"`
	ProjectID   int64     `json:"project_id,omitempty"`
	AgreementID int64     `json:"agreement_id,omitempty"`
	Date        time.Time `json:"date"`
	Amount      Converted `json:"amount"`
	// Local is true when a field office mobilised the funds.
	Local bool `json:"local"`
	// Reason explains a negative approval (a cancelled or reduced grant).
	Reason  string `json:"reason,omitempty"`
	Version int    `json:"version"`
}

func (a *Approval) Validate() error {
	var ps problems
	if a.DonorID == 0 {
		ps.add("donor_id", "say which donor approved the funds")
	}
	if a.Date.IsZero() {
		ps.add("date", "the approval date is required")
	}
	checkAmount(&ps, a.Amount.Money, a.Reason)
	return ps.err("approval")
}

// Allocation is money made available to a project for a year: the funds
// against which its delivery is measured.
type Allocation struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Year      int       `json:"year"`
	Amount    Converted `json:"amount"`
	Reason    string    `json:"reason,omitempty"`
	Version   int       `json:"version"`
}

func (a *Allocation) Validate() error {
	var ps problems
	if a.ProjectID == 0 {
		ps.add("project_id", "say which project the funds are for")
	}
	checkYear(&ps, "year", a.Year)
	checkAmount(&ps, a.Amount.Money, a.Reason)
	return ps.err("allocation")
}

// Expenditure is what a project spent in a month on one type of
// assistance.
type Expenditure struct {
	ID        int64      `json:"id"`
	ProjectID int64      `json:"project_id"`
	Year      int        `json:"year"`
	Month     int        `json:"month"`
	Type      Assistance `json:"type"`
	Amount    Converted  `json:"amount"`
	// Reason explains a negative expenditure (a refund or correction).
	Reason  string `json:"reason,omitempty"`
	Version int    `json:"version"`
}

func (e *Expenditure) Validate() error {
	var ps problems
	if e.ProjectID == 0 {
		ps.add("project_id", "say which project spent the money")
	}
	checkYear(&ps, "year", e.Year)
	if e.Month < 1 || e.Month > 12 {
		ps.add("month", "%d is not a month (1 to 12)", e.Month)
	}
	if !e.Type.Valid() {
		ps.add("type", "choose a type of assistance: experts, personnel, subcontracts, training, equipment or misc")
	}
	checkAmount(&ps, e.Amount.Money, e.Reason)
	return ps.err("expenditure")
}

// Day is the date used to convert the expenditure: the last day of its
// month.
func (e *Expenditure) Day() time.Time {
	return time.Date(e.Year, time.Month(e.Month)+1, 0, 0, 0, 0, 0, time.UTC)
}

func checkAmount(ps *problems, m Money, reason string) {
	checkCurrency(ps, "currency", m.Currency)
	if m.Amount < 0 && strings.TrimSpace(reason) == "" {
		ps.add("amount", "a negative amount needs a reason (a refund, a cancellation, a correction)")
	}
}

func checkYear(ps *problems, field string, y int) {
	if y < 1950 || y > 2100 {
		ps.add(field, "%d is not a plausible year", y)
	}
}

// DeliveryRate is expenditure as a share of the funds available. It is
// false when nothing was available.
func DeliveryRate(spent, available int64) (Percent, bool) {
	if available <= 0 {
		return 0, false
	}
	n := spent * int64(Whole)
	q := n / available
	if 2*(n%available) >= available {
		q++
	}
	return Percent(q), true
}

// MoneyFilter selects approvals, allocations and expenditures.
type MoneyFilter struct {
	ProjectID *int64
	DonorID   *int64
	Year      *int
	Offset    int
	Limit     int
}

// RateFilter selects exchange rates.
type RateFilter struct {
	Currency *string
	Offset   int
	Limit    int
}

// YearFinance sums a project's money for one year, in US cents.
type YearFinance struct {
	Year        int     `json:"year"`
	Approved    int64   `json:"approved"`
	Allocated   int64   `json:"allocated"`
	Spent       int64   `json:"spent"`
	Delivery    Percent `json:"delivery_rate"`
	HasDelivery bool    `json:"has_delivery"`
}

// FinanceService stores money: rates, approvals, allocations and
// expenditures. The Create methods take a batch, store it in one
// transaction (all or none), convert each amount to US dollars with the
// rate in force and set its ID.
type FinanceService interface {
	CreateRates(ctx context.Context, rs []*ExchangeRate) error
	FindRates(ctx context.Context, f RateFilter) ([]*ExchangeRate, int, error)
	FindRateByID(ctx context.Context, id int64) (*ExchangeRate, error)

	CreateApprovals(ctx context.Context, as []*Approval) error
	// FindApprovalByID returns one approval, or ENOTFOUND.
	FindApprovalByID(ctx context.Context, id int64) (*Approval, error)
	FindApprovals(ctx context.Context, f MoneyFilter) ([]*Approval, int, error)
	UpdateApproval(ctx context.Context, a *Approval) error
	DeleteApproval(ctx context.Context, id int64) error

	CreateAllocations(ctx context.Context, as []*Allocation) error
	// FindAllocationByID returns one allocation, or ENOTFOUND.
	FindAllocationByID(ctx context.Context, id int64) (*Allocation, error)
	FindAllocations(ctx context.Context, f MoneyFilter) ([]*Allocation, int, error)
	UpdateAllocation(ctx context.Context, a *Allocation) error
	DeleteAllocation(ctx context.Context, id int64) error

	CreateExpenditures(ctx context.Context, es []*Expenditure) error
	// FindExpenditureByID returns one expenditure, or ENOTFOUND.
	FindExpenditureByID(ctx context.Context, id int64) (*Expenditure, error)
	FindExpenditures(ctx context.Context, f MoneyFilter) ([]*Expenditure, int, error)
	UpdateExpenditure(ctx context.Context, e *Expenditure) error
	DeleteExpenditure(ctx context.Context, id int64) error

	// ProjectFinance sums a project's approvals, allocations and
	// expenditure by year, with the delivery rate of each year.
	ProjectFinance(ctx context.Context, projectID int64) ([]YearFinance, error)
}
