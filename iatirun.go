package tcmis

import (
	"context"
	"time"
)

// IATIRun is the record of an IATI file sent to the application to be
// imported or only checked: who sent which file and when, how it ended,
// and the whole report the application showed, kept so that it can be
// read again later, after the server has restarted too.
type IATIRun struct {
	ID     int64
	Kind   string // IATIRunImport or IATIRunValidation
	File   string // the file's name as the user sent it
	Bytes  int64
	UserID int64
	// Started is when the file was received; Finished is zero while the
	// work runs, and stays zero when the server stopped before it ended.
	Started  time.Time
	Finished time.Time
	// Outcome is how a finished run ended: IATIImported, IATIRefused,
	// IATIValid, IATIInvalid or IATIFailed.
	Outcome string
	// Report is what the application showed at the end, as JSON; the
	// store keeps it as it is given.
	Report []byte
}

// The kinds of run.
const (
	IATIRunImport     = "import"
	IATIRunValidation = "validation"
)

// How a run ended.
const (
	IATIImported = "imported" // the file's activities were stored
	IATIRefused  = "refused"  // the import stored nothing: the file has errors
	IATIValid    = "valid"    // checked only: no error
	IATIInvalid  = "invalid"  // checked only: errors found
	IATIFailed   = "failed"   // the work stopped on an error of the application
)

// Validate checks a run as it is created.
func (r *IATIRun) Validate() error {
	var ps []Problem
	if r.Kind != IATIRunImport && r.Kind != IATIRunValidation {
		ps = append(ps, Problem{Field: "kind", Message: "must be " + IATIRunImport + " or " + IATIRunValidation})
	}
	if r.File == "" {
		ps = append(ps, Problem{Field: "file", Message: "the file needs a name"})
	}
	if r.UserID == 0 {
		ps = append(ps, Problem{Field: "user", Message: "say who sent the file"})
	}
	if r.Bytes < 0 {
		ps = append(ps, Problem{Field: "bytes", Message: "cannot be negative"})
	}
	if len(ps) > 0 {
		return &Error{Code: EINVALID, Message: "IATI run is not valid", Problems: ps}
	}
	return nil
}

// IATIRunFilter selects runs, newest first.
type IATIRunFilter struct {
	// UserID keeps the runs of one user.
	UserID *int64
	Offset int
	Limit  int
}

// IATIRunService keeps the record of IATI imports and checks.
type IATIRunService interface {
	// CreateIATIRun records a run as it starts and sets its ID and, unless
	// given, its start.
	CreateIATIRun(ctx context.Context, r *IATIRun) error
	// FinishIATIRun records how a run ended: its outcome and report, at
	// Finished (now, unless given).
	FinishIATIRun(ctx context.Context, r *IATIRun) error
	// FindIATIRunByID returns a run with its report, or ENOTFOUND.
	FindIATIRunByID(ctx context.Context, id int64) (*IATIRun, error)
	// FindIATIRuns returns runs without their reports, newest first, and
	// how many match in all.
	FindIATIRuns(ctx context.Context, f IATIRunFilter) ([]*IATIRun, int, error)
}
