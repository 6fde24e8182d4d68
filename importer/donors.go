package importer

import (
	"strings"

	"github.com/tcmis/tcmis"
)

func init() {
	register(&spec{
		kind: Donors,
		columns: []Column{
			{Name: "name", Aliases: []string{"donor", "donor_name", "organisation", "organization", "organisation_name", "organization_name"}, Required: true,
				Description: "The donor's name, unique ignoring case: United States, European Commission."},
			{Name: "category", Aliases: []string{"donor_category"}, Required: true,
				Description: "Donor category, by code or as reports print it: multi-bilateral (Multi-bilateral donors), direct-trust-fund, non-state, ifi, un, eu, other-igo, regular-budget."},
			{Name: "non_state", Aliases: []string{"non_state_kind", "non_state_actor"},
				Description: "For non-state actors only: foundation, public-institution, social-partner, private-sector or other."},
			{Name: "ref", Aliases: []string{"iati_ref", "iati_identifier", "iati_id", "organisation_identifier", "organization_identifier", "org_ref"},
				Description: "IATI organisation identifier, such as XM-DAC-41302."},
			{Name: "type", Aliases: []string{"organisation_type", "organization_type", "org_type", "iati_type"},
				Description: "IATI organisation type code: 10 (Government), 40 (Multilateral), 60 (Foundation), 80 (Academic, training and research), ..."},
			{Name: "country", Aliases: []string{"country_code"},
				Description: "The donor's country: ISO code (US) or English name."},
		},
		start: func(j *job) kindImporter { return &donorImport{j: j, seen: map[string]int{}} },
	})
}

type donorImport struct {
	j    *job
	b    batch[*tcmis.Organisation]
	seen map[string]int // lower-case name -> row
}

var donorColumns = map[string]string{"name": "name", "category": "category", "non_state": "non_state", "ref": "ref", "type": "type", "country": "country"}

func (d *donorImport) row(r *row) {
	o := &tcmis.Organisation{Ref: r.get("ref")}
	o.Name, _ = r.need("name", "the donor's name")
	if v, ok := r.need("category", "the donor category"); ok {
		c, err := tcmis.ParseDonorCategory(v)
		if err != nil {
			r.fail("category", "%s", err)
		}
		o.Category = c
	}
	if v := r.get("non_state"); v != "" {
		k, err := tcmis.ParseNonStateKind(v)
		if err != nil {
			r.fail("non_state", "%s", err)
		}
		o.NonState = k
	}
	if v := r.get("type"); v != "" {
		code, ok := codeOrName(tcmis.ListOrganisationType, v)
		if !ok {
			r.fail("type", "%q is not an IATI organisation type (such as 10 Government, 40 Multilateral, 60 Foundation)", v)
		}
		o.Type = code
	}
	o.Country = r.country("country")
	r.problems(o.Validate(), func(field string, _ int) string { return donorColumns[field] })
	if o.Name != "" {
		key := strings.ToLower(o.Name)
		if first, ok := d.seen[key]; ok {
			r.fail("name", "row %d already has a donor named %s", first, o.Name)
		} else {
			d.seen[key] = r.num
			if old, err := d.j.cache.donorNamed(o.Name); err != nil {
				d.j.fatal = err
			} else if old != nil {
				r.fail("name", "a donor named %s is already stored", old.Name)
			}
		}
	}
	if r.ok() {
		d.b.add(o, r.num)
	}
}

func (d *donorImport) check() error { return nil }

func (d *donorImport) load() error {
	d.j.total = int64(len(d.b.recs))
	d.b.kind = Donors
	d.b.column = func(_ int, field string, _ int) string { return donorColumns[field] }
	return create(d.j, &d.b, d.j.loader.CreateOrganisations)
}
