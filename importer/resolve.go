package importer

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

// resolver finds what rows refer to in the store, asking once per name or
// code. Donors and units, which are few, are read all at once.
type resolver struct {
	ctx   context.Context
	store tcmis.Store

	donorsByName map[string]*tcmis.Organisation // lower-case name
	donorsByRef  map[string]*tcmis.Organisation
	units        map[string]*tcmis.Unit
	projects     map[string]*tcmis.Project
	agreements   map[string]*tcmis.Agreement
	rates        map[string]tcmis.Rates
}

func newResolver(ctx context.Context, store tcmis.Store) *resolver {
	return &resolver{ctx: ctx, store: store,
		projects: map[string]*tcmis.Project{}, agreements: map[string]*tcmis.Agreement{}, rates: map[string]tcmis.Rates{}}
}

const pageSize = 1000

// all reads every page of a find.
func all[T any](find func(offset, limit int) ([]T, int, error)) ([]T, error) {
	var out []T
	for {
		page, total, err := find(len(out), pageSize)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < pageSize || len(out) >= total {
			return out, nil
		}
	}
}

func (c *resolver) loadDonors() error {
	if c.donorsByName != nil {
		return nil
	}
	os, err := all(func(offset, limit int) ([]*tcmis.Organisation, int, error) {
		return c.store.FindOrganisations(c.ctx, tcmis.OrganisationFilter{Offset: offset, Limit: limit})
	})
	if err != nil {
		return err
	}
	c.donorsByName = make(map[string]*tcmis.Organisation, len(os))
	c.donorsByRef = map[string]*tcmis.Organisation{}
	for _, o := range os {
		c.donorsByName[strings.ToLower(o.Name)] = o
		if o.Ref != "" {
			c.donorsByRef[o.Ref] = o
		}
	}
	return nil
}

// donorNamed finds a donor by its name, ignoring case, or returns nil.
func (c *resolver) donorNamed(name string) (*tcmis.Organisation, error) {
	if err := c.loadDonors(); err != nil {
		return nil, err
	}
	return c.donorsByName[strings.ToLower(name)], nil
}

// donor finds a donor by its name, ignoring case, or by its IATI
// organisation identifier, or returns nil.
func (c *resolver) donor(key string) (*tcmis.Organisation, error) {
	o, err := c.donorNamed(key)
	if o == nil && err == nil {
		o = c.donorsByRef[key]
	}
	return o, err
}

// unit finds a unit by its code, or returns nil.
func (c *resolver) unit(code string) (*tcmis.Unit, error) {
	if c.units == nil {
		us, err := all(func(offset, limit int) ([]*tcmis.Unit, int, error) {
			return c.store.FindUnits(c.ctx, tcmis.UnitFilter{Offset: offset, Limit: limit})
		})
		if err != nil {
			return nil, err
		}
		c.units = make(map[string]*tcmis.Unit, len(us))
		for _, u := range us {
			c.units[u.Code] = u
		}
	}
	return c.units[code], nil
}

// project finds a project by its code, or returns nil.
func (c *resolver) project(code string) (*tcmis.Project, error) {
	if p, ok := c.projects[code]; ok {
		return p, nil
	}
	p, err := c.store.FindProjectByCode(c.ctx, code)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.projects[code] = p
	return p, nil
}

// agreement finds an agreement by its reference, or returns nil.
func (c *resolver) agreement(ref string) (*tcmis.Agreement, error) {
	if a, ok := c.agreements[ref]; ok {
		return a, nil
	}
	as, _, err := c.store.FindAgreements(c.ctx, tcmis.AgreementFilter{Ref: &ref, Limit: 1})
	if err != nil {
		return nil, err
	}
	var a *tcmis.Agreement
	if len(as) > 0 {
		a = as[0]
	}
	c.agreements[ref] = a
	return a, nil
}

// ratesOf returns the stored exchange rates of a currency.
func (c *resolver) ratesOf(currency string) (tcmis.Rates, error) {
	if rs, ok := c.rates[currency]; ok {
		return rs, nil
	}
	list, err := all(func(offset, limit int) ([]*tcmis.ExchangeRate, int, error) {
		return c.store.FindRates(c.ctx, tcmis.RateFilter{Currency: &currency, Offset: offset, Limit: limit})
	})
	if err != nil {
		return nil, err
	}
	rs := make(tcmis.Rates, len(list))
	for i, r := range list {
		rs[i] = *r
	}
	c.rates[currency] = rs
	return rs, nil
}

// chunks calls fn with consecutive parts of items, at most size long.
func chunks[T any](items []T, size int, fn func(start int, part []T) error) error {
	for start := 0; start < len(items); start += size {
		if err := fn(start, items[start:min(start+size, len(items))]); err != nil {
			return err
		}
	}
	return nil
}
