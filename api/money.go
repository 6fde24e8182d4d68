package api

import (
	"context"

	"github.com/tcmis/tcmis"
)

// Money: approvals, allocations, expenditures and exchange rates.
// Amounts are integer minor units of their currency; the store converts
// each to US cents at the rate in force.

var moneyFilters = []Param{
	{"project", "integer", "id of the project"},
	{"donor", "integer", "id of the donor"},
	{"year", "integer", "year"},
}

func moneyFilter(q *query, pg paging) tcmis.MoneyFilter {
	return tcmis.MoneyFilter{ProjectID: q.id("project"), DonorID: q.id("donor"), Year: q.int("year"), Offset: pg.Offset, Limit: pg.Limit}
}

// projectEditor checks that u may enter money for the project of a
// record: the project exists and is in u's scope.
func (h *Handler) projectEditor(ctx context.Context, u *tcmis.User, projectID int64) error {
	if projectID == 0 {
		return nil // the record's validation says the project is missing
	}
	p, err := h.store.FindProjectByID(ctx, projectID)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "the record is not valid",
			Problems: []tcmis.Problem{{Field: "project_id", Message: "there is no such project"}}}
	} else if err != nil {
		return err
	}
	if !u.CanEditProject(p) {
		return u.Forbid("enter the money of project " + p.Code + " (its lead unit or office is not in their scope)")
	}
	return nil
}

func (h *Handler) approvals() *resource[tcmis.Approval] {
	return &resource[tcmis.Approval]{
		name:    "approval",
		ids:     func(v *tcmis.Approval) (*int64, *int) { return &v.ID, &v.Version },
		filters: moneyFilters,
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Approval, int, error) {
			f := moneyFilter(q, pg)
			return func(ctx context.Context) ([]*tcmis.Approval, int, error) { return h.store.FindApprovals(ctx, f) }
		},
		get: h.store.FindApprovalByID,
		create: func(ctx context.Context, v *tcmis.Approval) error {
			return oneOfBatch("approval", h.store.CreateApprovals(ctx, []*tcmis.Approval{v}))
		},
		update: h.store.UpdateApproval,
		remove: h.store.DeleteApproval,
	}
}

func (h *Handler) allocations() *resource[tcmis.Allocation] {
	return &resource[tcmis.Allocation]{
		name:    "allocation",
		ids:     func(v *tcmis.Allocation) (*int64, *int) { return &v.ID, &v.Version },
		filters: moneyFilters,
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Allocation, int, error) {
			f := moneyFilter(q, pg)
			return func(ctx context.Context) ([]*tcmis.Allocation, int, error) { return h.store.FindAllocations(ctx, f) }
		},
		get: h.store.FindAllocationByID,
		create: func(ctx context.Context, v *tcmis.Allocation) error {
			return oneOfBatch("allocation", h.store.CreateAllocations(ctx, []*tcmis.Allocation{v}))
		},
		update: h.store.UpdateAllocation,
		remove: h.store.DeleteAllocation,
		editable: func(ctx context.Context, u *tcmis.User, v *tcmis.Allocation) error {
			return h.projectEditor(ctx, u, v.ProjectID)
		},
	}
}

func (h *Handler) expenditures() *resource[tcmis.Expenditure] {
	return &resource[tcmis.Expenditure]{
		name:    "expenditure",
		ids:     func(v *tcmis.Expenditure) (*int64, *int) { return &v.ID, &v.Version },
		filters: moneyFilters,
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Expenditure, int, error) {
			f := moneyFilter(q, pg)
			return func(ctx context.Context) ([]*tcmis.Expenditure, int, error) { return h.store.FindExpenditures(ctx, f) }
		},
		get: h.store.FindExpenditureByID,
		create: func(ctx context.Context, v *tcmis.Expenditure) error {
			return oneOfBatch("expenditure", h.store.CreateExpenditures(ctx, []*tcmis.Expenditure{v}))
		},
		update: h.store.UpdateExpenditure,
		remove: h.store.DeleteExpenditure,
		editable: func(ctx context.Context, u *tcmis.User, v *tcmis.Expenditure) error {
			return h.projectEditor(ctx, u, v.ProjectID)
		},
	}
}

// rates are kept, never changed: a wrong rate is corrected by a newer
// one.
func (h *Handler) rates() *resource[tcmis.ExchangeRate] {
	return &resource[tcmis.ExchangeRate]{
		name:    "exchange rate",
		ids:     func(v *tcmis.ExchangeRate) (*int64, *int) { return &v.ID, nil },
		filters: []Param{{"currency", "string", "ISO 4217 currency code"}},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.ExchangeRate, int, error) {
			f := tcmis.RateFilter{Currency: q.text("currency"), Offset: pg.Offset, Limit: pg.Limit}
			return func(ctx context.Context) ([]*tcmis.ExchangeRate, int, error) { return h.store.FindRates(ctx, f) }
		},
		get: h.store.FindRateByID,
		create: func(ctx context.Context, v *tcmis.ExchangeRate) error {
			return oneOfBatch("exchange rate", h.store.CreateRates(ctx, []*tcmis.ExchangeRate{v}))
		},
	}
}
