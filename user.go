package tcmis

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Role decides what a user may do.
type Role string

const (
	RoleAdmin             Role = "admin"
	RoleProgrammeOfficer  Role = "programme-officer"
	RoleResourceMobiliser Role = "resource-mobilisation"
	RoleEvaluationOfficer Role = "evaluation-officer"
	RoleViewer            Role = "viewer"
	RoleDonorViewer       Role = "donor-viewer"
)

var roles = []kind{
	{"admin", "Administrator"},
	{"programme-officer", "Programme officer"},
	{"resource-mobilisation", "Resource mobilisation"},
	{"evaluation-officer", "Evaluation officer"},
	{"viewer", "Viewer"},
	{"donor-viewer", "Donor viewer"},
}

func Roles() []Role                    { return codesOf[Role](roles) }
func ParseRole(s string) (Role, error) { return parseKind[Role](roles, s, "role") }
func (r Role) Label() string           { return labelOf(roles, string(r)) }
func (r Role) Valid() bool             { return validKind(roles, string(r)) }

// User is a person who signs in. A programme officer's UnitIDs are the
// units and offices whose projects they may edit; a donor viewer's DonorID
// is the donor whose projects they may see.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	UnitIDs   []int64   `json:"unit_ids,omitempty"`
	DonorID   int64     `json:"donor_id,omitempty"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	Version   int       `json:"version"`
}

func (u *User) Validate() error {
	var ps problems
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		ps.add("email", "%q is not an e-mail address", u.Email)
	}
	if strings.TrimSpace(u.Name) == "" {
		ps.add("name", "the user needs a name")
	}
	if !u.Role.Valid() {
		ps.add("role", "choose a role: admin, programme-officer, resource-mobilisation, evaluation-officer, viewer or donor-viewer")
	}
	if u.Role == RoleDonorViewer && u.DonorID == 0 {
		ps.add("donor_id", "a donor viewer must be linked to a donor")
	}
	if u.Role != RoleDonorViewer && u.DonorID != 0 {
		ps.add("donor_id", "only a donor viewer is linked to a donor")
	}
	return ps.err("user " + u.Email)
}

// UserFilter selects users.
type UserFilter struct {
	ID     *int64
	Email  *string
	Offset int
	Limit  int
}

// UserService stores users. Passwords and sessions belong to the auth
// adapter, which keeps them beside the user.
type UserService interface {
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	DeleteUser(ctx context.Context, id int64) error
}

type actorKey struct{}

// Actor is who makes a change: a signed-in user, or a named process such
// as "cli:alice" for the command line.
type Actor struct {
	UserID int64
	Name   string
}

// WithActor returns a context whose changes are recorded under actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor recorded in ctx, or "system".
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "system"}
}
