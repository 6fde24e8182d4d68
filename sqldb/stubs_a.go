package sqldb

// Temporary stubs (helper A: units, agreements, projects). Delete each as it is implemented.

import (
	"context"
	"errors"

	"github.com/tcmis/tcmis"
)

var errTODOa = errors.New("not implemented")

func (db *DB) FindUnitByID(ctx context.Context, id int64) (*tcmis.Unit, error) { return nil, errTODOa }
func (db *DB) FindUnits(ctx context.Context, f tcmis.UnitFilter) ([]*tcmis.Unit, int, error) {
	return nil, 0, errTODOa
}
func (db *DB) CreateUnit(ctx context.Context, u *tcmis.Unit) error { return errTODOa }
func (db *DB) UpdateUnit(ctx context.Context, u *tcmis.Unit) error { return errTODOa }
func (db *DB) DeleteUnit(ctx context.Context, id int64) error      { return errTODOa }
func (l *loader) CreateUnits(us []*tcmis.Unit) error               { return errTODOa }

func (db *DB) FindAgreementByID(ctx context.Context, id int64) (*tcmis.Agreement, error) {
	return nil, errTODOa
}
func (db *DB) FindAgreements(ctx context.Context, f tcmis.AgreementFilter) ([]*tcmis.Agreement, int, error) {
	return nil, 0, errTODOa
}
func (db *DB) CreateAgreement(ctx context.Context, a *tcmis.Agreement) error { return errTODOa }
func (db *DB) UpdateAgreement(ctx context.Context, a *tcmis.Agreement) error { return errTODOa }
func (db *DB) DeleteAgreement(ctx context.Context, id int64) error           { return errTODOa }
func (l *loader) CreateAgreements(as []*tcmis.Agreement) error               { return errTODOa }

func (db *DB) FindProjectByID(ctx context.Context, id int64) (*tcmis.Project, error) {
	return nil, errTODOa
}
func (db *DB) FindProjectByCode(ctx context.Context, code string) (*tcmis.Project, error) {
	return nil, errTODOa
}
func (db *DB) FindProjects(ctx context.Context, f tcmis.ProjectFilter) ([]*tcmis.Project, int, error) {
	return nil, 0, errTODOa
}
func (db *DB) CreateProject(ctx context.Context, p *tcmis.Project) error     { return errTODOa }
func (db *DB) CreateProjects(ctx context.Context, ps []*tcmis.Project) error { return errTODOa }
func (db *DB) UpdateProject(ctx context.Context, p *tcmis.Project) error     { return errTODOa }
func (db *DB) DeleteProject(ctx context.Context, id int64) error             { return errTODOa }
func (l *loader) CreateProjects(ps []*tcmis.Project) error                   { return errTODOa }
