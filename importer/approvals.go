package importer

import (
	"fmt"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

func init() {
	register(&spec{
		kind: Approvals,
		columns: []Column{
			{Name: "date", Aliases: []string{"approval_date", "approved_on", "date_approved"},
				Description: "The day the funds were approved, YYYY-MM-DD (or a date cell). A file needs date or year."},
			{Name: "year", Aliases: []string{"approval_year"},
				Description: "The year of the approval, when the day is not known: the approval is dated 1 January of that year. With a date, it must be the date's year."},
			{Name: "donor", Aliases: []string{"donor_name", "organisation", "organization", "donor_ref"}, Required: true,
				Description: "The donor: a stored donor's name (ignoring case) or IATI organisation identifier. An unknown donor is created when the row gives its donor_category."},
			{Name: "donor_category", Aliases: []string{"category"},
				Description: "Category of a donor to create (see donors); for a stored donor, it must be the stored category."},
			{Name: "project", Aliases: []string{"project_code", "code"}, Description: "Code of the stored project the funds are for; empty for funds approved for the donor's programme as a whole."},
			{Name: "agreement", Aliases: []string{"agreement_ref"}, Description: "Reference of a stored funding agreement."},
			{Name: "amount", Aliases: []string{"value", "amount_approved", "approved"}, Required: true,
				Description: "The amount, in the currency's units with at most its decimals: 1234567, 1,234,567.89. Negative for a cancellation, with a reason."},
			{Name: "currency", Required: true, Description: "ISO 4217 code: USD, EUR, ... Other currencies than USD need an exchange rate dated on or before the approval."},
			{Name: "local", Aliases: []string{"locally_mobilised", "locally_mobilized", "mobilised_locally", "mobilized_locally"},
				Description: "yes when a field office mobilised the funds; empty or no otherwise."},
			{Name: "reason", Aliases: []string{"explanation"}, Description: "Why an amount is negative (a cancelled or reduced grant)."},
		},
		needs: func(has func(string) bool) ([]string, string) {
			if !has("date") && !has("year") {
				return []string{"date", "year"}, "the file has neither a date nor a year column: an approvals file needs one of them"
			}
			return nil, ""
		},
		start: func(j *job) kindImporter {
			return &approvalImport{j: j, newDonors: map[string]*newDonor{}}
		},
	})
}

// newDonor is a donor an approvals file creates: unknown to the store,
// with its category given.
type newDonor struct {
	org *tcmis.Organisation
	row int
}

type approvalImport struct {
	j         *job
	b         batch[*tcmis.Approval]
	donors    []*newDonor // of each approval, nil for a stored donor
	newDonors map[string]*newDonor
	created   []*newDonor
	dateCol   []string // the column that gave each approval its date
}

func (d *approvalImport) row(r *row) {
	j := d.j
	a := &tcmis.Approval{Reason: r.get("reason")}
	dateCol := d.date(r, a)
	var nd *newDonor
	if name, ok := r.need("donor", "the donor"); ok {
		nd = d.donor(r, a, name)
		if j.fatal != nil {
			return
		}
	}
	if v := r.get("project"); v != "" {
		p, err := j.cache.project(v)
		if err != nil {
			j.fatal = err
			return
		}
		if p == nil {
			r.fail("project", "unknown project %s: import projects first (tcmis import projects), or leave the cell empty", v)
		} else {
			a.ProjectID = p.ID
		}
	}
	if v := r.get("agreement"); v != "" {
		ag, err := j.cache.agreement(v)
		if err != nil {
			j.fatal = err
			return
		}
		if ag == nil {
			r.fail("agreement", "unknown agreement %s", v)
		} else {
			a.AgreementID = ag.ID
		}
	}
	a.Amount.Currency, _ = r.currency("currency")
	if _, ok := r.need("amount", "the amount"); ok {
		a.Amount.Amount, _ = r.amount("amount", a.Amount.Currency)
	}
	a.Local = r.yesNo("local")
	if nd != nil {
		a.DonorID = -1 // stands for the donor to create, for Validate
	}
	r.problems(a.Validate(), func(field string, _ int) string { return approvalColumn(field, dateCol) })
	if nd != nil {
		a.DonorID = 0
	}
	if r.ok() {
		d.b.add(a, r.num)
		d.donors = append(d.donors, nd)
		d.dateCol = append(d.dateCol, dateCol)
	}
}

func approvalColumn(field, dateCol string) string {
	switch field {
	case "donor_id":
		return "donor"
	case "project_id":
		return "project"
	case "agreement_id":
		return "agreement"
	case "date":
		return dateCol
	case "currency", "amount":
		return field
	}
	return ""
}

// date reads the date or the year of an approval, and returns the column
// its date comes from.
func (d *approvalImport) date(r *row, a *tcmis.Approval) string {
	hasDate, hasYear := r.get("date") != "", r.get("year") != ""
	if !hasDate && !hasYear {
		col := "date"
		if !r.has("date") {
			col = "year"
		}
		if r.has(col) {
			r.fail(col, "the approval's date (or its year) is missing")
		}
		return col
	}
	dayOK := false
	if hasDate {
		a.Date, dayOK = r.date("date")
	}
	if hasYear {
		y, ok := r.year("year")
		if !hasDate {
			if ok {
				a.Date = time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
			}
			return "year"
		}
		if ok && dayOK && a.Date.Year() != y {
			r.fail("date", "the date %s is not in %d, the row's year", a.Date.Format(tcmis.DateLayout), y)
		}
	}
	return "date"
}

// donor finds the donor of a row, or the donor the row creates.
func (d *approvalImport) donor(r *row, a *tcmis.Approval, name string) *newDonor {
	j := d.j
	catText := r.get("donor_category")
	var cat tcmis.DonorCategory
	if catText != "" {
		c, err := tcmis.ParseDonorCategory(catText)
		if err != nil {
			r.fail("donor_category", "%s", err)
		}
		cat = c
	}
	o, err := j.cache.donor(name)
	if err != nil {
		j.fatal = err
		return nil
	}
	if o != nil {
		a.DonorID = o.ID
		if cat != "" && o.Category != cat {
			r.fail("donor_category", "%s is stored as a donor of category %q, not %q", o.Name, o.Category.Label(), cat.Label())
		}
		return nil
	}
	key := strings.ToLower(name)
	if nd := d.newDonors[key]; nd != nil {
		if cat != "" && nd.org.Category != cat {
			r.fail("donor_category", "row %d gives %s the category %q", nd.row, nd.org.Name, nd.org.Category.Label())
		}
		return nd
	}
	if catText == "" {
		how := "add a donor_category column"
		if r.has("donor_category") {
			how = "give its donor_category"
		}
		r.fail("donor", "unknown donor %s: import donors first (tcmis import donors), or %s", name, how)
		return nil
	}
	if cat == "" {
		return nil
	}
	nd := &newDonor{org: &tcmis.Organisation{Name: name, Category: cat}, row: r.num}
	if err := nd.org.Validate(); err != nil {
		r.problems(err, func(field string, _ int) string {
			if field == "category" || field == "non_state" {
				return "donor_category"
			}
			return "donor"
		})
		return nil
	}
	d.newDonors[key] = nd
	d.created = append(d.created, nd)
	return nd
}

// approvalKey is what makes two approvals the same.
type approvalKey struct {
	donor    string // a stored donor's id, or the name of one to create
	day      string
	amount   int64
	currency string
	project  int64
}

func (d *approvalImport) key(i int) approvalKey {
	a := d.b.recs[i]
	k := approvalKey{day: a.Date.Format(tcmis.DateLayout), amount: a.Amount.Amount, currency: a.Amount.Currency, project: a.ProjectID}
	if nd := d.donors[i]; nd != nil {
		k.donor = "new:" + strings.ToLower(nd.org.Name)
	} else {
		k.donor = fmt.Sprint(a.DonorID)
	}
	return k
}

func (d *approvalImport) check() error {
	j := d.j
	if err := checkRates(j, d.b.recs, d.b.rows, func(a *tcmis.Approval) (tcmis.Money, time.Time) { return a.Amount.Money, a.Date }); err != nil {
		return err
	}
	return duplicates(j, d.b.rows, d.key, func() (map[approvalKey]bool, error) {
		stored := map[approvalKey]bool{}
		donors := map[int64]bool{}
		for i, a := range d.b.recs {
			if d.donors[i] != nil || donors[a.DonorID] {
				continue
			}
			donors[a.DonorID] = true
			id := a.DonorID
			old, err := all(func(offset, limit int) ([]*tcmis.Approval, int, error) {
				return j.store.FindApprovals(j.ctx, tcmis.MoneyFilter{DonorID: &id, Offset: offset, Limit: limit})
			})
			if err != nil {
				return nil, err
			}
			for _, o := range old {
				stored[approvalKey{donor: fmt.Sprint(o.DonorID), day: o.Date.Format(tcmis.DateLayout), amount: o.Amount.Amount, currency: o.Amount.Currency, project: o.ProjectID}] = true
			}
		}
		return stored, nil
	}, "approval", "the same donor, date, amount, currency and project", true)
}

func (d *approvalImport) load() error {
	j := d.j
	j.total = int64(len(d.created) + len(d.b.recs))
	if len(d.created) > 0 {
		donors := batch[*tcmis.Organisation]{kind: Donors, column: func(_ int, field string, _ int) string {
			if field == "category" {
				return "donor_category"
			}
			return "donor"
		}}
		for _, nd := range d.created {
			donors.add(nd.org, nd.row)
		}
		if err := create(j, &donors, j.loader.CreateOrganisations); err != nil {
			return err
		}
	}
	for i, nd := range d.donors {
		if nd != nil {
			d.b.recs[i].DonorID = nd.org.ID
		}
	}
	d.b.kind = Approvals
	d.b.column = func(i int, field string, _ int) string { return approvalColumn(field, d.dateCol[i]) }
	return create(j, &d.b, j.loader.CreateApprovals)
}
