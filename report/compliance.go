package report

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// Report 8: evaluation compliance. The evaluations the evaluation policy
// in force when each project was approved requires of it, against those
// planned and done, and the overdue ones: the programme cycle's
// tcmis.CheckCompliance, as the store keeps it for every approved
// project in a snapshot current on every write, summed by the store by
// report headings (ComplianceTallies) and here by region, office, unit
// or source, or listed (LateProjects).

func init() {
	register(Definition{
		Name: "evaluation-compliance", Number: 8,
		Title:   "Evaluation compliance",
		Summary: "evaluations the policy requires of approved projects against those planned, done and overdue, by region, office, unit or source",
		Options: []Option{OptBy, OptFilters, OptToday},
		run:     evaluationCompliance,
	})
	register(Definition{
		Name: "evaluations-overdue", Number: 8,
		Title:   "Projects with overdue or missing evaluations",
		Summary: "approved projects whose required evaluations are not planned or are past their date",
		Options: []Option{OptFilters, OptToday, OptLimit},
		run:     evaluationsOverdue,
	})
}

// selected reports whether the filters select projects under heading h.
func (r *run) selected(h tcmis.ProjectHeading) bool {
	return (len(r.p.Sources) == 0 || slices.Contains(r.p.Sources, h.Source)) &&
		(len(r.p.Regions) == 0 || slices.Contains(r.p.Regions, h.Region)) &&
		(len(r.p.OfficeIDs) == 0 || slices.Contains(r.p.OfficeIDs, h.OfficeID)) &&
		(len(r.p.Categories) == 0 || slices.Contains(r.p.Categories, h.Category))
}

func (r *run) today() string {
	if r.p.Today.IsZero() {
		return "today"
	}
	return r.p.Today.Format(tcmis.DateLayout)
}

// atDay is a title ending with the day of the report: ", at today"
// when no day is given, a phrase of its own since languages say it
// differently from ", at 2005-06-30".
func (r *run) atDay(title string) Phrase {
	if r.p.Today.IsZero() {
		return Phrasef(title + ", at today")
	}
	return Phrasef(title+", at %s", r.p.Today.Format(tcmis.DateLayout))
}

func evaluationCompliance(ctx context.Context, r *run) (*Table, error) {
	g, err := r.group()
	if err != nil {
		return nil, err
	}
	byKey := map[string]*tcmis.ComplianceTally{}
	var total tcmis.ComplianceTally
	add := func(t *tcmis.ComplianceTally, x *tcmis.ComplianceTally) {
		t.Projects += x.Projects
		t.Required += x.Required
		t.Planned += x.Planned
		t.Done += x.Done
		t.Overdue += x.Overdue
		t.Missing += x.Missing
		t.Late += x.Late
		t.NoPolicy += x.NoPolicy
	}
	tallies, err := r.s.ComplianceTallies(ctx, r.p.Today)
	if err != nil {
		return nil, err
	}
	for i := range tallies {
		x := &tallies[i]
		h := x.Heading
		if !r.selected(h) {
			continue
		}
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
			byKey[k] = &tcmis.ComplianceTally{}
		}
		add(byKey[k], x)
		add(&total, x)
	}
	var keys []string
	for k := range byKey {
		keys = append(keys, k)
	}
	r.sortGroup(ctx, g, keys)
	t := &Table{
		TitlePhrase: r.atDay("Evaluation compliance of approved projects by " + lower(g.title)),
		Records:     "evaluations",
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
		NotePhrases: phrases(
			"Each approved project is held to the evaluation policy in force when it was approved (¶143: a final evaluation; a mid-term one from 18 months; annual reviews over 30 months; an independent one over US$350,000). Required counts the final, mid-term and annual reviews; planned and done count the project's evaluations other than cancelled ones.",
			"Compliant is the share of projects with every required evaluation planned and none overdue, of those approved under a policy.",
		),
	}
	line := func(kind RowKind, label string, keys map[string]string, x tcmis.ComplianceTally) Row {
		ok := x.Projects - x.NoPolicy - x.Missing - x.Late
		return Row{Kind: kind, Keys: keys, Cells: []Value{
			TextValue(label), Num(x.Projects), Num(x.Required), Num(x.Planned), Num(x.Done), Num(x.Overdue), Num(x.Missing), Num(x.Late),
			Share(ok, x.Projects-x.NoPolicy, 1),
		}}
	}
	for _, k := range keys {
		t.Rows = append(t.Rows, line(Detail, r.groupLabel(ctx, g, k), map[string]string{g.key: k}, *byKey[k]))
	}
	t.Rows = append(t.Rows, line(Total, "Total", nil, total))
	if total.NoPolicy > 0 {
		t.NotePhrases = append(t.NotePhrases, Phrasef("%d projects were approved before any evaluation policy was in force.", total.NoPolicy))
	}
	t.Chart = Chart{Kind: Stacked, Label: 0, Series: []int{4, 5}, Unit: "evaluations"}
	return t, nil
}

func evaluationsOverdue(ctx context.Context, r *run) (*Table, error) {
	limit := r.p.Limit
	if limit == 0 {
		limit = 100
	}
	// Overdue before missing, most overdue evaluations first, by code.
	shown, total, err := r.s.LateProjects(ctx, tcmis.LateFilter{Today: r.p.Today, Sources: r.p.Sources, Regions: r.p.Regions,
		OfficeIDs: r.p.OfficeIDs, Categories: r.p.Categories, Limit: max(limit, 0)})
	if err != nil {
		return nil, err
	}
	t := &Table{
		TitlePhrase: r.atDay("Approved projects with overdue or missing evaluations"),
		Records:     "evaluations",
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
		NotePhrases: []Phrase{Phrasef("%d projects have overdue or missing evaluations; %d are listed, overdue first, most overdue evaluations first.", total, len(shown))},
	}
	for _, c := range shown {
		t.Rows = append(t.Rows, Row{Kind: Detail, Keys: map[string]string{"project": strconv.FormatInt(c.ProjectID, 10)}, Cells: []Value{
			TextValue(c.Code), TextValue(c.Title), TextValue(officeName(ctx, r, c.OfficeID)), TextValue(c.ApprovedOn.Format(tcmis.DateLayout)),
			TextValue(strings.Join(c.Requirements.List(), ", ")), Num(int64(c.Planned)), Num(int64(c.Done)), Num(int64(c.Overdue)),
			TextValue(strings.Join(c.Missing, ", ")), TextValue(string(c.State)),
		}})
	}
	return t, nil
}
