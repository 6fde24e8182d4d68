package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// The two compliance reports as they were computed before the store kept
// a compliance snapshot: from the lean read (EachCompliance), every
// approved project checked and tallied in Go as it streams. Tests hold
// the reports on the snapshot to these.

// LeanStore is the lean read of the compliance.
type LeanStore interface {
	EachCompliance(ctx context.Context, f tcmis.ComplianceFilter, fn func(c *tcmis.Compliance, h tcmis.ProjectHeading) error) error
}

// RunLeanForTest runs evaluation-compliance or evaluations-overdue the
// old way, as Run does but from lean.
func RunLeanForTest(ctx context.Context, s Store, lean LeanStore, name string, p Params) (*Table, error) {
	d, _ := Lookup(name)
	r := &run{s: s, p: p, def: d}
	var t *Table
	var err error
	switch name {
	case "evaluation-compliance":
		t, err = evaluationComplianceLean(ctx, r, lean)
	case "evaluations-overdue":
		t, err = evaluationsOverdueLean(ctx, r, lean)
	default:
		return nil, fmt.Errorf("%s is not a compliance report", name)
	}
	if err != nil {
		return nil, err
	}
	return r.finish(t), nil
}

// complianceLean calls fn with the compliance of each approved project the
// filters select and its headings, as the store streams them.
func complianceLean(ctx context.Context, r *run, lean LeanStore, fn func(c *tcmis.Compliance, h tcmis.ProjectHeading)) error {
	return lean.EachCompliance(ctx, tcmis.ComplianceFilter{Today: r.p.Today}, func(c *tcmis.Compliance, h tcmis.ProjectHeading) error {
		if len(r.p.Sources) > 0 && !slices.Contains(r.p.Sources, h.Source) ||
			len(r.p.Regions) > 0 && !slices.Contains(r.p.Regions, h.Region) ||
			len(r.p.OfficeIDs) > 0 && !slices.Contains(r.p.OfficeIDs, h.OfficeID) ||
			len(r.p.Categories) > 0 && !slices.Contains(r.p.Categories, h.Category) {
			return nil
		}
		fn(c, h)
		return nil
	})
}

// required counts the evaluations a project must have.
func required(q tcmis.Requirements) int64 {
	n := int64(q.AnnualReviews)
	if q.MidTerm {
		n++
	}
	if q.Final {
		n++
	}
	return n
}

func evaluationComplianceLean(ctx context.Context, r *run, lean LeanStore) (*Table, error) {
	g, err := r.group()
	if err != nil {
		return nil, err
	}
	type tally struct {
		projects, required, planned, done, overdue int64
		missing, late, ok, noPolicy                int64
	}
	byKey := map[string]*tally{}
	var total tally
	add := func(t *tally, c *tcmis.Compliance) {
		t.projects++
		t.planned += int64(c.Planned)
		t.done += int64(c.Done)
		t.overdue += int64(c.Overdue)
		switch c.State {
		case tcmis.ComplianceNoPolicy:
			t.noPolicy++
			return
		case tcmis.ComplianceMissing:
			t.missing++
		case tcmis.ComplianceOverdue:
			t.late++
		default:
			t.ok++
		}
		t.required += required(c.Requirements)
	}
	err = complianceLean(ctx, r, lean, func(c *tcmis.Compliance, h tcmis.ProjectHeading) {
		var k string
		switch g.dim {
		case tcmis.ByRegion:
			k = h.Region
		case tcmis.ByOffice:
			k = strconv.FormatInt(h.OfficeID, 10)
		case tcmis.ByUnit:
			k = strconv.FormatInt(h.UnitID, 10)
		case tcmis.BySource:
			k = string(h.Source)
		}
		if byKey[k] == nil {
			byKey[k] = &tally{}
		}
		add(byKey[k], c)
		add(&total, c)
	})
	if err != nil {
		return nil, err
	}
	var keys []string
	for k := range byKey {
		keys = append(keys, k)
	}
	r.sortGroup(ctx, g, keys)
	t := &Table{
		Title:   "Evaluation compliance of approved projects by " + lower(g.title) + ", at " + r.today(),
		Records: "evaluations",
		Columns: []Column{
			{Key: g.key, Title: g.title, Kind: Text},
			{Key: "projects", Title: "Approved projects", Kind: Integer},
			{Key: "required", Title: "Evaluations required", Kind: Integer},
			{Key: "planned", Title: "Planned", Kind: Integer},
			{Key: "done", Title: "Done", Kind: Integer},
			{Key: "overdue", Title: "Overdue", Kind: Integer},
			{Key: "missing_projects", Title: "Projects missing a required evaluation", Kind: Integer, Keys: map[string]string{"state": string(tcmis.ComplianceMissing)}},
			{Key: "overdue_projects", Title: "Projects with an overdue evaluation", Kind: Integer, Keys: map[string]string{"state": string(tcmis.ComplianceOverdue)}},
			{Key: "compliant", Title: "Compliant", Kind: Percent, Unit: PerCent},
		},
		Notes: []string{
			"Each approved project is held to the evaluation policy in force when it was approved (¶143: a final evaluation; a mid-term one from 18 months; annual reviews over 30 months; an independent one over US$350,000). Required counts the final, mid-term and annual reviews; planned and done count the project's evaluations other than cancelled ones.",
			"Compliant is the share of projects with every required evaluation planned and none overdue, of those approved under a policy.",
		},
	}
	line := func(kind RowKind, label string, keys map[string]string, x tally) Row {
		return Row{Kind: kind, Keys: keys, Cells: []Value{
			TextValue(label), Num(x.projects), Num(x.required), Num(x.planned), Num(x.done), Num(x.overdue), Num(x.missing), Num(x.late),
			Share(x.ok, x.projects-x.noPolicy, 1),
		}}
	}
	for _, k := range keys {
		t.Rows = append(t.Rows, line(Detail, r.groupLabel(ctx, g, k), map[string]string{g.key: k}, *byKey[k]))
	}
	t.Rows = append(t.Rows, line(Total, "Total", nil, total))
	if total.noPolicy > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d projects were approved before any evaluation policy was in force.", total.noPolicy))
	}
	t.Chart = Chart{Kind: Stacked, Label: 0, Series: []int{4, 5}, Unit: "evaluations"}
	return t, nil
}

func evaluationsOverdueLean(ctx context.Context, r *run, lean LeanStore) (*Table, error) {
	type lateProject struct {
		*tcmis.Compliance
		office int64
	}
	var late []lateProject
	err := complianceLean(ctx, r, lean, func(c *tcmis.Compliance, h tcmis.ProjectHeading) {
		if c.State == tcmis.ComplianceMissing || c.State == tcmis.ComplianceOverdue {
			late = append(late, lateProject{c, h.OfficeID})
		}
	})
	if err != nil {
		return nil, err
	}
	// Codes are unique: the order is total, as stable as it needs to be.
	slices.SortFunc(late, func(a, b lateProject) int {
		if a.State != b.State {
			return strings.Compare(string(b.State), string(a.State)) // overdue before missing
		}
		if a.Overdue != b.Overdue {
			return b.Overdue - a.Overdue
		}
		return strings.Compare(a.Code, b.Code)
	})
	limit := r.p.Limit
	if limit == 0 {
		limit = 100
	}
	shown := late
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	t := &Table{
		Title:   "Approved projects with overdue or missing evaluations, at " + r.today(),
		Records: "evaluations",
		Columns: []Column{
			{Key: "code", Title: "Project", Kind: Text},
			{Key: "title", Title: "Title", Kind: Text},
			{Key: "office", Title: "Office", Kind: Text},
			{Key: "approved", Title: "Approved", Kind: Text},
			{Key: "required", Title: "Required", Kind: Text},
			{Key: "planned", Title: "Planned", Kind: Integer},
			{Key: "done", Title: "Done", Kind: Integer},
			{Key: "overdue", Title: "Overdue", Kind: Integer},
			{Key: "missing", Title: "Missing", Kind: Text},
			{Key: "state", Title: "State", Kind: Text},
		},
		Notes: []string{fmt.Sprintf("%d projects have overdue or missing evaluations; %d are listed, overdue first, most overdue evaluations first.", len(late), len(shown))},
	}
	for _, c := range shown {
		t.Rows = append(t.Rows, Row{Kind: Detail, Keys: map[string]string{"project": strconv.FormatInt(c.ProjectID, 10)}, Cells: []Value{
			TextValue(c.Code), TextValue(c.Title), TextValue(officeName(ctx, r, c.office)), TextValue(c.ApprovedOn.Format(tcmis.DateLayout)),
			TextValue(strings.Join(c.Requirements.List(), ", ")), Num(int64(c.Planned)), Num(int64(c.Done)), Num(int64(c.Overdue)),
			TextValue(strings.Join(c.Missing, ", ")), TextValue(string(c.State)),
		}})
	}
	return t, nil
}
