package main

import (
	"context"
	"strings"

	"github.com/tcmis/tcmis"
)

// names resolves the ids a listing shows to codes and names, reading each
// list once.
type names struct {
	units  map[int64]*tcmis.Unit
	donors map[int64]*tcmis.Organisation
}

func loadNames(ctx context.Context, s tcmis.Store) (*names, error) {
	n := &names{units: map[int64]*tcmis.Unit{}, donors: map[int64]*tcmis.Organisation{}}
	units, _, err := s.FindUnits(ctx, tcmis.UnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		n.units[u.ID] = u
	}
	donors, _, err := s.FindOrganisations(ctx, tcmis.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	for _, d := range donors {
		n.donors[d.ID] = d
	}
	return n, nil
}

func (n *names) unit(id int64) string {
	if u := n.units[id]; u != nil {
		return u.Code
	}
	return ""
}

func (n *names) donor(id int64) string {
	if d := n.donors[id]; d != nil {
		return d.Name
	}
	return ""
}

func (n *names) donorList(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = n.donor(id)
	}
	return out
}

// unitByCode finds a unit by its code.
func (n *names) unitByCode(code string) *tcmis.Unit {
	for _, u := range n.units {
		if u.Code == code {
			return u
		}
	}
	return nil
}

// donorByName finds a donor by name (ignoring case) or IATI identifier.
func (n *names) donorByName(s string) *tcmis.Organisation {
	for _, d := range n.donors {
		if strings.EqualFold(d.Name, s) || (d.Ref != "" && d.Ref == s) {
			return d
		}
	}
	return nil
}
