package authtest

import (
	"context"
	"fmt"
	"os"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/sqldb"
)

// Password is the password of every user DemoWithUsers adds.
const Password = "correct horse battery staple"

// Roles are the roles DemoWithUsers gives a user each, administrator first.
var Roles = []tcmis.Role{tcmis.RoleAdmin, tcmis.RoleProgrammeOfficer, tcmis.RoleResourceMobiliser,
	tcmis.RoleEvaluationOfficer, tcmis.RoleViewer, tcmis.RoleDonorViewer}

// Email is the address of the user of a role: "viewer@example.org".
func Email(r tcmis.Role) string { return string(r) + "@example.org" }

// DemoWithUsers makes a SQLite database at path with the demo portfolio
// and one user of each role, and calls each, if not nil, with every user
// and the store (to add an API token, say). The programme officer
// manages the lead unit of the first project by code, and the donor
// viewer is linked to that project's lead donor, so that the first
// project is in every user's scope. Web and API tests build it once and
// copy the file for each test.
func DemoWithUsers(path string, each func(ctx context.Context, a *auth.Service, u *tcmis.User) error) error {
	ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		return err
	}
	first, _, err := db.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		return err
	}
	a := auth.New(db)
	for _, r := range Roles {
		u := &tcmis.User{Email: Email(r), Name: "Test " + r.Label(), Role: r}
		switch r {
		case tcmis.RoleProgrammeOfficer:
			u.UnitIDs = []int64{first[0].LeadUnitID}
		case tcmis.RoleDonorViewer:
			u.DonorID = first[0].DonorIDs[0]
		}
		if err := a.AddUser(ctx, u, Password); err != nil {
			return fmt.Errorf("user %s: %w", u.Email, err)
		}
		if each != nil {
			if err := each(ctx, a, u); err != nil {
				return err
			}
		}
	}
	return nil
}

// CopyFile copies the database DemoWithUsers made, for one test.
func CopyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}
