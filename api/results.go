package api

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

// The results framework (outcomes, indicators, targets, results) and the
// Decent Work Country Programmes.

var resultFilters = []Param{
	{"biennium", "string", "biennium, such as 2004-05"},
	{"objective", "string", "strategic objective"},
	{"outcome", "integer", "id of the outcome"},
	{"indicator", "integer", "id of the indicator"},
	{"project", "integer", "id of the project (results)"},
}

func resultFilter(q *query, pg paging) tcmis.ResultFilter {
	return tcmis.ResultFilter{
		Biennium: parsed(q, "biennium", tcmis.ParseBiennium), Objective: parsed(q, "objective", tcmis.ParseObjective),
		OutcomeID: q.id("outcome"), IndicatorID: q.id("indicator"), ProjectID: q.id("project"),
		Offset: pg.Offset, Limit: pg.Limit,
	}
}

// framework makes the resource of one level of the results framework.
func framework[T any](name string, ids func(*T) (*int64, *int),
	find func(context.Context, tcmis.ResultFilter) ([]*T, int, error), get func(context.Context, int64) (*T, error),
	create, update func(context.Context, *T) error, remove func(context.Context, int64) error) *resource[T] {
	return &resource[T]{
		name: name, ids: ids, filters: resultFilters,
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*T, int, error) {
			f := resultFilter(q, pg)
			return func(ctx context.Context) ([]*T, int, error) { return find(ctx, f) }
		},
		get: get, create: create, update: update, remove: remove,
	}
}

func (h *Handler) outcomes() *resource[tcmis.Outcome] {
	return framework("outcome", func(v *tcmis.Outcome) (*int64, *int) { return &v.ID, &v.Version },
		h.store.FindOutcomes, h.store.FindOutcomeByID, h.store.CreateOutcome, h.store.UpdateOutcome, h.store.DeleteOutcome)
}

func (h *Handler) indicators() *resource[tcmis.Indicator] {
	return framework("indicator", func(v *tcmis.Indicator) (*int64, *int) { return &v.ID, &v.Version },
		h.store.FindIndicators, h.store.FindIndicatorByID, h.store.CreateIndicator, h.store.UpdateIndicator, h.store.DeleteIndicator)
}

func (h *Handler) targets() *resource[tcmis.Target] {
	return framework("target", func(v *tcmis.Target) (*int64, *int) { return &v.ID, &v.Version },
		h.store.FindTargets, h.store.FindTargetByID, h.store.CreateTarget, h.store.UpdateTarget, h.store.DeleteTarget)
}

func (h *Handler) results() *resource[tcmis.Result] {
	return framework("result", func(v *tcmis.Result) (*int64, *int) { return &v.ID, &v.Version },
		h.store.FindResults, h.store.FindResultByID, h.store.CreateResult, h.store.UpdateResult, h.store.DeleteResult)
}

func (h *Handler) programmes() *resource[tcmis.CountryProgramme] {
	return &resource[tcmis.CountryProgramme]{
		name: "country programme",
		ids:  func(v *tcmis.CountryProgramme) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"country", "string", "ISO 3166 country code"},
			{"status", "string", "draft, active or completed"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.CountryProgramme, int, error) {
			f := tcmis.ProgrammeFilter{Status: parsed(q, "status", tcmis.ParseProgrammeStatus), Offset: pg.Offset, Limit: pg.Limit}
			if c := q.text("country"); c != nil {
				up := strings.ToUpper(*c)
				f.Country = &up
			}
			return func(ctx context.Context) ([]*tcmis.CountryProgramme, int, error) {
				return h.store.FindProgrammes(ctx, f)
			}
		},
		get:    h.store.FindProgrammeByID,
		create: h.store.CreateProgramme,
		update: h.store.UpdateProgramme,
		remove: h.store.DeleteProgramme,
	}
}
