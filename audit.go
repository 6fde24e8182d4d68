package tcmis

import (
	"context"
	"encoding/json"
	"time"
)

// Change is one entry of the audit trail: who changed which record when,
// and its values before and after (JSON; empty for a creation or a
// deletion). A bulk load records one change for the batch, with a summary
// in New.
type Change struct {
	ID       int64           `json:"id"`
	Time     time.Time       `json:"time"`
	UserID   int64           `json:"user_id,omitempty"`
	Actor    string          `json:"actor"`
	Entity   string          `json:"entity"`
	RecordID int64           `json:"record_id"`
	Action   string          `json:"action"`
	Old      json.RawMessage `json:"old,omitempty"`
	New      json.RawMessage `json:"new,omitempty"`
}

// The actions of the audit trail.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionImport = "import"
)

// ChangeFilter selects audit entries, newest first.
type ChangeFilter struct {
	Entity   *string
	RecordID *int64
	UserID   *int64
	Offset   int
	Limit    int
}

// AuditService reads the audit trail. Stores write it themselves, in the
// same transaction as the change.
type AuditService interface {
	FindChanges(ctx context.Context, f ChangeFilter) ([]*Change, int, error)
	// LatestChange returns the id of the newest entry of the audit trail
	// (0 when it is empty). Every write adds one, so a reader can tell
	// from it whether anything changed since it last looked.
	LatestChange(ctx context.Context) (int64, error)
}
