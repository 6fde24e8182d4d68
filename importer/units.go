package importer

import (
	"fmt"

	"github.com/tcmis/tcmis"
)

func init() {
	register(&spec{
		kind: Units,
		columns: []Column{
			{Name: "code", Aliases: []string{"unit", "unit_code"}, Required: true,
				Description: "The unit's short code, unique: ILO-Jakarta, IPEC, RO-Africa."},
			{Name: "name", Aliases: []string{"unit_name", "title"}, Required: true,
				Description: "The unit's name."},
			{Name: "kind", Aliases: []string{"type", "unit_kind", "unit_type"}, Required: true,
				Description: "department, regional-office or field-office (or Headquarters department, Regional office, Field office)."},
			{Name: "parent", Aliases: []string{"parent_code", "parent_unit", "reports_to"},
				Description: "Code of the unit it reports to: a stored unit, or one in the same file, above or below."},
			{Name: "region", Description: "africa, americas, arab-states, asia-pacific or europe (or the region's name). Offices need one; when empty it is taken from the country."},
			{Name: "country", Aliases: []string{"country_code"}, Description: "The office's country: ISO code or English name."},
		},
		start: func(j *job) kindImporter { return &unitImport{j: j, seen: map[string]int{}} },
	})
}

type unitImport struct {
	j       *job
	units   []*tcmis.Unit
	rows    []int
	parents []string // parent code of each unit
	seen    map[string]int
}

var unitColumns = map[string]string{"code": "code", "name": "name", "kind": "kind", "region": "region", "country": "country", "parent_id": "parent"}

func (d *unitImport) row(r *row) {
	u := &tcmis.Unit{}
	u.Code, _ = r.need("code", "the unit's code")
	u.Name, _ = r.need("name", "the unit's name")
	if v, ok := r.need("kind", "the kind of unit"); ok {
		k, err := tcmis.ParseUnitKind(v)
		if err != nil {
			r.fail("kind", "%s", err)
		}
		u.Kind = k
	}
	u.Country = r.country("country")
	if v := r.get("region"); v != "" {
		reg, err := tcmis.ParseRegion(v)
		if err != nil {
			r.fail("region", "%s", err)
		}
		u.Region = reg
	} else if reg, ok := tcmis.RegionOf(u.Country); ok && u.IsField() {
		u.Region = reg
	}
	r.problems(u.Validate(), func(field string, _ int) string { return unitColumns[field] })
	if u.Code != "" {
		if first, ok := d.seen[u.Code]; ok {
			r.fail("code", "row %d already has a unit with code %s", first, u.Code)
		} else {
			d.seen[u.Code] = r.num
			if old, err := d.j.cache.unit(u.Code); err != nil {
				d.j.fatal = err
			} else if old != nil {
				r.fail("code", "a unit with code %s is already stored", u.Code)
			}
		}
	}
	d.units = append(d.units, u)
	d.rows = append(d.rows, r.num)
	d.parents = append(d.parents, r.get("parent"))
}

// check resolves the parents, which may come later in the file, and finds
// loops.
func (d *unitImport) check() error {
	inFile := map[string]int{}
	for i, u := range d.units {
		inFile[u.Code] = i
	}
	for i, code := range d.parents {
		if code == "" {
			continue
		}
		if _, ok := inFile[code]; ok {
			continue
		}
		p, err := d.j.cache.unit(code)
		if err != nil {
			return err
		}
		if p == nil {
			d.fail(i, "unknown unit %s: import it first, or add it to this file", code)
			continue
		}
		d.units[i].ParentID = p.ID
	}
	// A unit reporting, through the file, back to itself.
	for i := range d.units {
		seen := map[int]bool{i: true}
		for k := i; d.parents[k] != ""; {
			next, ok := inFile[d.parents[k]]
			if !ok {
				break
			}
			if seen[next] {
				d.fail(i, "unit %s reports, through the parents given in this file, to itself: the parents make a loop", d.units[i].Code)
				break
			}
			seen[next] = true
			k = next
		}
	}
	return nil
}

// fail reports a problem with the parent of unit i.
func (d *unitImport) fail(i int, format string, args ...any) {
	d.j.errs.add(RowError{Row: d.rows[i], Column: d.j.t.label("parent"), Value: d.parents[i], Message: fmt.Sprintf(format, args...)})
}

// load stores the units level by level, parents first, since a unit can
// only refer to a unit already stored.
func (d *unitImport) load() error {
	d.j.total = int64(len(d.units))
	inFile := map[string]*tcmis.Unit{}
	for _, u := range d.units {
		inFile[u.Code] = u
	}
	done := make([]bool, len(d.units))
	for left := len(d.units); left > 0; {
		b := batch[*tcmis.Unit]{kind: Units}
		for i, u := range d.units {
			if done[i] {
				continue
			}
			if p, ok := inFile[d.parents[i]]; ok {
				if p.ID == 0 {
					continue // its parent is not stored yet
				}
				u.ParentID = p.ID
			}
			b.add(u, d.rows[i])
			done[i] = true
		}
		b.column = func(_ int, field string, _ int) string { return unitColumns[field] }
		if len(b.recs) == 0 {
			return tcmis.Errorf(tcmis.EINTERNAL, "units in a loop were not caught")
		}
		if err := create(d.j, &b, d.j.loader.CreateUnits); err != nil {
			return err
		}
		left -= len(b.recs)
	}
	return nil
}
