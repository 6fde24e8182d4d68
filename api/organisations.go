package api

import (
	"context"

	"github.com/tcmis/tcmis"
)

// Donors and partners, units and offices, funding agreements.

func (h *Handler) organisations() *resource[tcmis.Organisation] {
	return &resource[tcmis.Organisation]{
		name: "organisation",
		ids:  func(o *tcmis.Organisation) (*int64, *int) { return &o.ID, &o.Version },
		filters: []Param{
			{"name", "string", "exact name"},
			{"ref", "string", "IATI organisation identifier"},
			{"category", "string", "donor category (multi-bilateral, un, eu, ifi, non-state, ...)"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Organisation, int, error) {
			f := tcmis.OrganisationFilter{Name: q.text("name"), Ref: q.text("ref"),
				Category: parsed(q, "category", tcmis.ParseDonorCategory), Offset: pg.Offset, Limit: pg.Limit}
			return func(ctx context.Context) ([]*tcmis.Organisation, int, error) {
				return h.store.FindOrganisations(ctx, f)
			}
		},
		get:    h.store.FindOrganisationByID,
		create: h.store.CreateOrganisation,
		update: h.store.UpdateOrganisation,
		remove: h.store.DeleteOrganisation,
	}
}

func (h *Handler) units() *resource[tcmis.Unit] {
	return &resource[tcmis.Unit]{
		name: "unit",
		ids:  func(v *tcmis.Unit) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"code", "string", "exact code, such as ILO-Dakar"},
			{"kind", "string", "department, regional-office or field-office"},
			{"region", "string", "region of an office"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Unit, int, error) {
			f := tcmis.UnitFilter{Code: q.text("code"), Kind: parsed(q, "kind", tcmis.ParseUnitKind),
				Region: parsed(q, "region", tcmis.ParseRegion), Offset: pg.Offset, Limit: pg.Limit}
			return func(ctx context.Context) ([]*tcmis.Unit, int, error) { return h.store.FindUnits(ctx, f) }
		},
		get:    h.store.FindUnitByID,
		create: h.store.CreateUnit,
		update: h.store.UpdateUnit,
		remove: h.store.DeleteUnit,
	}
}

func (h *Handler) agreements() *resource[tcmis.Agreement] {
	return &resource[tcmis.Agreement]{
		name: "agreement",
		ids:  func(v *tcmis.Agreement) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"ref", "string", "exact reference"},
			{"donor", "integer", "id of the donor"},
			{"ending_before", "string", "agreements ending on or before this day, YYYY-MM-DD"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Agreement, int, error) {
			f := tcmis.AgreementFilter{Ref: q.text("ref"), DonorID: q.id("donor"),
				EndingBefore: parsed(q, "ending_before", tcmis.ParseDate), Offset: pg.Offset, Limit: pg.Limit}
			return func(ctx context.Context) ([]*tcmis.Agreement, int, error) { return h.store.FindAgreements(ctx, f) }
		},
		get:    h.store.FindAgreementByID,
		create: h.store.CreateAgreement,
		update: h.store.UpdateAgreement,
		remove: h.store.DeleteAgreement,
	}
}
