package tcmis

import "slices"

// Permission is something a user may be allowed to do. Which roles hold
// which permission is a rule of the programme, written once here; the
// web screens and the JSON API both ask Can before they call a service.
type Permission string

const (
	// PermView reads the portfolio. A donor viewer reads only the
	// projects its donor funds (see CanSeeProject).
	PermView Permission = "view"
	// PermViewInternal reads what is internal to the organisation: all
	// donors' agreements, users, the audit trail, IATI imports.
	PermViewInternal Permission = "view-internal"
	// PermEditProjects creates and edits projects and moves them through
	// the cycle; a programme officer only those of the units and offices
	// in their scope (see CanEditProject).
	PermEditProjects Permission = "edit-projects"
	// PermEditDelivery enters allocations and monthly expenditure.
	PermEditDelivery Permission = "edit-delivery"
	// PermEditResources manages donors, agreements and approvals.
	PermEditResources Permission = "edit-resources"
	// PermEditEvaluations plans and records evaluations and lessons.
	PermEditEvaluations Permission = "edit-evaluations"
	// PermEditResults keeps the results framework and country programmes.
	PermEditResults Permission = "edit-results"
	// PermImport imports IATI files and spreadsheets.
	PermImport Permission = "import"
	// PermAdmin manages users, units and offices, and exchange rates.
	PermAdmin Permission = "admin"
)

// grants lists the permissions of each role.
var grants = map[Role][]Permission{
	RoleAdmin: {PermView, PermViewInternal, PermEditProjects, PermEditDelivery, PermEditResources,
		PermEditEvaluations, PermEditResults, PermImport, PermAdmin},
	RoleProgrammeOfficer:  {PermView, PermViewInternal, PermEditProjects, PermEditDelivery, PermEditResults},
	RoleResourceMobiliser: {PermView, PermViewInternal, PermEditResources, PermImport},
	RoleEvaluationOfficer: {PermView, PermViewInternal, PermEditEvaluations},
	RoleViewer:            {PermView, PermViewInternal},
	RoleDonorViewer:       {PermView},
}

// Permissions returns the permissions of a role, for the administration
// screens and the documentation.
func (r Role) Permissions() []Permission { return slices.Clone(grants[r]) }

// Can reports whether u, signed in and not disabled, holds p.
func (u *User) Can(p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	return slices.Contains(grants[u.Role], p)
}

// Manages reports whether a unit or office is in the user's scope. An
// administrator manages every unit; a programme officer those listed in
// UnitIDs.
func (u *User) Manages(unitID int64) bool {
	if u == nil || u.Disabled {
		return false
	}
	if u.Role == RoleAdmin {
		return true
	}
	return unitID != 0 && slices.Contains(u.UnitIDs, unitID)
}

// CanSeeProject reports whether u may read project p: everyone who may
// view the portfolio, except that a donor viewer sees only the projects
// its donor funds.
func (u *User) CanSeeProject(p *Project) bool {
	if !u.Can(PermView) {
		return false
	}
	if u.Role == RoleDonorViewer {
		return slices.Contains(p.DonorIDs, u.DonorID)
	}
	return true
}

// CanEditProject reports whether u may edit project p, its delivery
// figures and its place in the cycle: an administrator always, a
// programme officer when p's lead unit or office is in their scope.
func (u *User) CanEditProject(p *Project) bool {
	if !u.Can(PermEditProjects) {
		return false
	}
	return u.Role == RoleAdmin || u.Manages(p.LeadUnitID) || u.Manages(p.OfficeID)
}

// Forbid returns the EFORBIDDEN error for u lacking p, in words a user
// understands.
func (u *User) Forbid(what string) error {
	if u == nil {
		return Errorf(EFORBIDDEN, "sign in to %s", what)
	}
	return Errorf(EFORBIDDEN, "%s (%s) may not %s", userName(u), u.Role.Label(), what)
}
