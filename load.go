package tcmis

import "context"

// Loader creates many records inside one transaction, through each
// engine's fast path. Each method validates every record first, refuses
// the whole batch if any is invalid, and sets the IDs of what it stores,
// so that later calls in the same load can refer to them.
type Loader interface {
	CreateOrganisations(os []*Organisation) error
	CreateUnits(us []*Unit) error
	CreateAgreements(as []*Agreement) error
	CreateProjects(ps []*Project) error
	CreateRates(rs []*ExchangeRate) error
	CreateApprovals(as []*Approval) error
	CreateAllocations(as []*Allocation) error
	CreateExpenditures(es []*Expenditure) error
	CreateOutcomes(os []*Outcome) error
	CreateIndicators(is []*Indicator) error
	CreateTargets(ts []*Target) error
	CreateResults(rs []*Result) error
	CreateProgrammes(cs []*CountryProgramme) error
	CreateEvaluations(es []*Evaluation) error
	CreateLessons(ls []*Lesson) error
	CreateTraining(ts []*TrainingActivity) error
}

// BulkService loads many records at once: a spreadsheet, an IATI file,
// the demo portfolio.
type BulkService interface {
	// Load runs fn in one transaction: everything fn creates is stored,
	// or, if fn or any creation fails, nothing. The audit trail records
	// one entry per kind of record loaded, naming source.
	Load(ctx context.Context, source string, fn func(l Loader) error) error
}
