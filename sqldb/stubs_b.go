package sqldb

// Temporary stubs (helper B: finance). Delete each as it is implemented.

import (
	"context"
	"errors"

	"github.com/tcmis/tcmis"
)

var errTODOb = errors.New("not implemented")

func (db *DB) CreateRates(ctx context.Context, rs []*tcmis.ExchangeRate) error { return errTODOb }
func (db *DB) FindRates(ctx context.Context, f tcmis.RateFilter) ([]*tcmis.ExchangeRate, int, error) {
	return nil, 0, errTODOb
}
func (db *DB) FindRateByID(ctx context.Context, id int64) (*tcmis.ExchangeRate, error) {
	return nil, errTODOb
}
func (l *loader) CreateRates(rs []*tcmis.ExchangeRate) error { return errTODOb }

func (db *DB) CreateApprovals(ctx context.Context, as []*tcmis.Approval) error { return errTODOb }
func (db *DB) FindApprovals(ctx context.Context, f tcmis.MoneyFilter) ([]*tcmis.Approval, int, error) {
	return nil, 0, errTODOb
}
func (db *DB) UpdateApproval(ctx context.Context, a *tcmis.Approval) error { return errTODOb }
func (db *DB) DeleteApproval(ctx context.Context, id int64) error          { return errTODOb }
func (l *loader) CreateApprovals(as []*tcmis.Approval) error               { return errTODOb }

func (db *DB) CreateAllocations(ctx context.Context, as []*tcmis.Allocation) error { return errTODOb }
func (db *DB) FindAllocations(ctx context.Context, f tcmis.MoneyFilter) ([]*tcmis.Allocation, int, error) {
	return nil, 0, errTODOb
}
func (db *DB) UpdateAllocation(ctx context.Context, a *tcmis.Allocation) error { return errTODOb }
func (db *DB) DeleteAllocation(ctx context.Context, id int64) error            { return errTODOb }
func (l *loader) CreateAllocations(as []*tcmis.Allocation) error               { return errTODOb }

func (db *DB) CreateExpenditures(ctx context.Context, es []*tcmis.Expenditure) error { return errTODOb }
func (db *DB) FindExpenditures(ctx context.Context, f tcmis.MoneyFilter) ([]*tcmis.Expenditure, int, error) {
	return nil, 0, errTODOb
}
func (db *DB) UpdateExpenditure(ctx context.Context, e *tcmis.Expenditure) error { return errTODOb }
func (db *DB) DeleteExpenditure(ctx context.Context, id int64) error             { return errTODOb }
func (l *loader) CreateExpenditures(es []*tcmis.Expenditure) error               { return errTODOb }

func (db *DB) ProjectFinance(ctx context.Context, projectID int64) ([]tcmis.YearFinance, error) {
	return nil, errTODOb
}
