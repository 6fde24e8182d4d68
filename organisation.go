package tcmis

import (
	"context"
	"strings"
)

// Organisation is a donor or partner: a government, a foundation, a bank,
// a United Nations agency. Its category decides under which heading its
// approvals are reported.
type Organisation struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	Category DonorCategory `json:"category"`
	// NonState refines the category for non-state actors.
	NonState NonStateKind `json:"non_state,omitempty"`
	// Ref is the IATI organisation identifier, such as "XM-DAC-41302".
	Ref string `json:"ref,omitempty"`
	// Type is the IATI organisation type code (10 government, 40
	// multilateral, ...).
	Type    string `json:"type,omitempty"`
	Country string `json:"country,omitempty"`
	Version int    `json:"version"`
}

// Validate checks an organisation before it is stored.
func (o *Organisation) Validate() error {
	var ps problems
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		ps.add("name", "the organisation needs a name")
	}
	if !o.Category.Valid() {
		ps.add("category", "choose a donor category")
	}
	if o.Category == NonState {
		if o.NonState != "" && !o.NonState.Valid() {
			ps.add("non_state", "%q is not a kind of non-state actor", o.NonState)
		}
	} else if o.NonState != "" {
		ps.add("non_state", "only non-state actors have a non-state kind")
	}
	if o.Type != "" && !LookupCodelist(ListOrganisationType).Has(o.Type) {
		ps.add("type", "%q is not an IATI organisation type code", o.Type)
	}
	if o.Country != "" {
		checkCountry(&ps, "country", o.Country)
	}
	if strings.ContainsAny(o.Ref, " \t\n") {
		ps.add("ref", "an IATI organisation identifier has no spaces")
	}
	return ps.err("organisation " + o.Name)
}

// OrganisationFilter selects organisations; nil fields do not filter.
type OrganisationFilter struct {
	ID       *int64
	Name     *string
	Ref      *string
	Category *DonorCategory
	Offset   int
	Limit    int
}

// OrganisationService stores donors and partners.
type OrganisationService interface {
	FindOrganisationByID(ctx context.Context, id int64) (*Organisation, error)
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]*Organisation, int, error)
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// UpdateOrganisation saves o if o.Version is still the stored version,
	// and fails with ECONFLICT otherwise.
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	DeleteOrganisation(ctx context.Context, id int64) error
}
