package tcmis

import (
	"context"
	"strings"
)

// UnitKind tells a headquarters department from a field office.
type UnitKind string

const (
	Department     UnitKind = "department"
	RegionalOffice UnitKind = "regional-office"
	FieldOffice    UnitKind = "field-office"
)

var unitKinds = []kind{
	{"department", "Headquarters department"},
	{"regional-office", "Regional office"},
	{"field-office", "Field office"},
}

func ParseUnitKind(s string) (UnitKind, error) {
	return parseKind[UnitKind](unitKinds, s, "kind of unit")
}
func (k UnitKind) Label() string { return labelOf(unitKinds, string(k)) }
func (k UnitKind) Valid() bool   { return validKind(unitKinds, string(k)) }

// Unit is a headquarters department or an office in the field, in a
// hierarchy: a field office reports to a regional office, a programme to
// its department. Offices belong to a region; headquarters units do not.
type Unit struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Kind     UnitKind `json:"kind"`
	ParentID int64    `json:"parent_id,omitempty"`
	Region   Region   `json:"region,omitempty"`
	Country  string   `json:"country,omitempty"`
	Version  int      `json:"version"`
}

// IsField reports whether the unit is an office away from headquarters,
// whose mobilised funds count as locally mobilised.
func (u *Unit) IsField() bool { return u.Kind == FieldOffice || u.Kind == RegionalOffice }

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	var ps problems
	u.Code = strings.TrimSpace(u.Code)
	if u.Code == "" {
		ps.add("code", "the unit needs a short code, such as ILO-Jakarta or IPEC")
	}
	if strings.TrimSpace(u.Name) == "" {
		ps.add("name", "the unit needs a name")
	}
	if !u.Kind.Valid() {
		ps.add("kind", "choose department, regional-office or field-office")
	}
	if u.IsField() && !u.Region.Valid() {
		ps.add("region", "an office must belong to a region")
	}
	if u.Region != "" && !u.Region.Valid() {
		ps.add("region", "%q is not a region", u.Region)
	}
	if u.Country != "" {
		checkCountry(&ps, "country", u.Country)
		if r, ok := RegionOf(u.Country); ok && u.Region != "" && r != u.Region {
			ps.add("region", "%s is in %s, not %s", CountryName(u.Country), r.Label(), u.Region.Label())
		}
	}
	if u.ParentID != 0 && u.ParentID == u.ID {
		ps.add("parent_id", "a unit cannot report to itself")
	}
	return ps.err("unit " + u.Code)
}

// UnitFilter selects units; nil fields do not filter.
type UnitFilter struct {
	ID     *int64
	Code   *string
	Kind   *UnitKind
	Region *Region
	Offset int
	Limit  int
}

// UnitService stores departments and offices.
type UnitService interface {
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	FindUnits(ctx context.Context, f UnitFilter) ([]*Unit, int, error)
	CreateUnit(ctx context.Context, u *Unit) error
	UpdateUnit(ctx context.Context, u *Unit) error
	DeleteUnit(ctx context.Context, id int64) error
}
