package tcmis

// Store is everything the programme keeps. The sqldb package implements it
// on SQLite and PostgreSQL; every method runs in one transaction of its
// own, records its changes in the audit trail under the context's Actor,
// and refuses a stale update with ECONFLICT.
type Store interface {
	OrganisationService
	UnitService
	AgreementService
	ProjectService
	FinanceService
	ResultService
	ProgrammeService
	EvaluationService
	TrainingService
	UserService
	AuditService
	BulkService
	CycleService
	ActivityService
	IATIRunService
	AuthService
	StatisticsService
}
