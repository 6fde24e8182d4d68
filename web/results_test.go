package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func TestResultsPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	b := tcmis.Biennium("2004-05")
	outcomes, _, err := a.DB.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b})
	if err != nil || len(outcomes) == 0 {
		t.Fatalf("no outcome in %s: %v", b, err)
	}
	o := outcomes[0]
	inds, _, err := a.DB.FindIndicators(ctx, tcmis.ResultFilter{OutcomeID: &o.ID})
	if err != nil || len(inds) == 0 {
		t.Fatalf("no indicator of %s: %v", o.Code, err)
	}
	ind := inds[0]
	targets, _, err := a.DB.FindTargets(ctx, tcmis.ResultFilter{IndicatorID: &ind.ID, Biennium: &b})
	if err != nil || len(targets) != 1 {
		t.Fatalf("targets of %s: %v %v", ind.Code, targets, err)
	}
	results, _, err := a.DB.FindResults(ctx, tcmis.ResultFilter{IndicatorID: &ind.ID, Biennium: &b})
	if err != nil || len(results) == 0 {
		t.Fatalf("results of %s: %v", ind.Code, err)
	}
	latest := results[0]
	for _, r := range results {
		if r.Reported.After(latest.Reported) {
			latest = r
		}
	}
	// Count the biennium's indicators and their targets met.
	var all, met int
	for _, oc := range outcomes {
		is, _, err := a.DB.FindIndicators(ctx, tcmis.ResultFilter{OutcomeID: &oc.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range is {
			all++
			ts, _, _ := a.DB.FindTargets(ctx, tcmis.ResultFilter{IndicatorID: &i.ID, Biennium: &b})
			rs, _, _ := a.DB.FindResults(ctx, tcmis.ResultFilter{IndicatorID: &i.ID, Biennium: &b})
			if len(ts) == 0 || len(rs) == 0 {
				continue
			}
			last := rs[0]
			for _, r := range rs {
				if r.Reported.After(last.Reported) || (r.Reported.Equal(last.Reported) && r.ID > last.ID) {
					last = r
				}
			}
			if last.Value >= ts[0].Value {
				met++
			}
		}
	}

	c := a.as(tcmis.RoleViewer)
	res := c.get("/results?biennium=2004-05").must(t, 200)
	res.contains(t, "Results framework 2004-05", refEsc(o.Code+" "+o.Title), refEsc(ind.Code+" "+ind.Title),
		fmt.Sprintf("%d indicators, ", all), fmt.Sprintf("%d targets met.", met))
	row := refRow(res.Body, fmt.Sprintf(`id="indicator-%d"`, ind.ID))
	for _, s := range []string{`<td class="num">` + targets[0].Value.String() + `</td>`, `<td class="num">` + latest.Value.String() + `</td>`,
		latest.Reported.Format(tcmis.DateLayout)} {
		if !strings.Contains(row, s) {
			t.Errorf("the row of indicator %s lacks %q:\n%s", ind.Code, s, row)
		}
	}
	if strings.Contains(res.Body, "/results/outcomes/new") {
		t.Error("a viewer is offered to add an outcome")
	}
	// Another biennium's outcomes are not shown.
	b2 := tcmis.Biennium("2000-01")
	old, _, _ := a.DB.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b2})
	if len(old) > 0 && strings.Contains(res.Body, fmt.Sprintf(`id="outcome-%d"`, old[0].ID)) {
		t.Error("an outcome of 2000-01 is shown in 2004-05")
	}
	// The objective filter.
	res = c.get("/results?biennium=2004-05&objective=so2").must(t, 200)
	if o.Objective != tcmis.Employment && strings.Contains(res.Body, fmt.Sprintf(`id="outcome-%d"`, o.ID)) {
		t.Errorf("the employment filter shows outcome %s of %s", o.Code, o.Objective)
	}
	c.get("/results?biennium=2004").must(t, 422)
	a.as(tcmis.RoleProgrammeOfficer).get("/results?biennium=2004-05").must(t, 200).
		contains(t, fmt.Sprintf("/results/indicators/new?biennium=2004-05&amp;outcome=%d", o.ID))
}

func TestResultsAccess(t *testing.T) {
	a := newApp(t)
	refCheckAccess(t, a, []refAccess{
		{tcmis.RoleViewer, "GET", "/results", 200},
		{tcmis.RoleDonorViewer, "GET", "/results", 403},
		{tcmis.RoleViewer, "GET", "/results/outcomes/new", 403},
		{tcmis.RoleEvaluationOfficer, "POST", "/results/outcomes/new", 403},
		{tcmis.RoleResourceMobiliser, "POST", "/results/indicators/new", 403},
		{tcmis.RoleViewer, "POST", "/results/targets/new", 403},
		{tcmis.RoleEvaluationOfficer, "POST", "/results/reported/new", 403},
		{tcmis.RoleProgrammeOfficer, "GET", "/results/outcomes/new", 200},
		{tcmis.RoleProgrammeOfficer, "GET", "/results/indicators/new?outcome=3", 200},
		{tcmis.RoleAdmin, "GET", "/results/targets/new?indicator=3", 200},
		{tcmis.RoleAdmin, "GET", "/results/reported/new?indicator=3", 200},
	})
}

func TestResultsForms(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleProgrammeOfficer)
	b := tcmis.Biennium("2008-09")

	// An outcome, then an indicator of it, its target and a result.
	res := c.post("/results/outcomes/new", url.Values{"biennium": {"2008-2009"}, "objective": {"so2"}, "code": {"2z.9"}, "title": {"Test outcome"}}).must(t, 303)
	if res.Location != "/results?biennium=2008-09" {
		t.Errorf("redirected to %s", res.Location)
	}
	outcomes, _, err := a.DB.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b})
	if err != nil || len(outcomes) != 1 || outcomes[0].Code != "2z.9" || outcomes[0].Objective != tcmis.Employment {
		t.Fatalf("outcomes of 2008-09: %v %v", outcomes, err)
	}
	o := outcomes[0]
	refAudited(t, a, "outcome", o.ID, tcmis.ActionCreate, tcmis.RoleProgrammeOfficer)

	c.get("/results/indicators/new?biennium=2008-09&outcome="+strconv.FormatInt(o.ID, 10)).must(t, 200).
		contains(t, fmt.Sprintf(`<option value="%d" selected>`, o.ID))
	c.post("/results/indicators/new", url.Values{"biennium": {"2008-09"}, "outcome_id": {strconv.FormatInt(o.ID, 10)}, "code": {"2z.9.1"},
		"title": {"Young people placed"}, "unit": {"people"}, "baseline": {"1,200.5"}, "baseline_year": {"2007"}}).must(t, 303)
	inds, _, err := a.DB.FindIndicators(ctx, tcmis.ResultFilter{OutcomeID: &o.ID})
	if err != nil || len(inds) != 1 || inds[0].Baseline != 1200500000 || inds[0].BaselineYear != 2007 {
		t.Fatalf("indicators: %v %v", inds, err)
	}
	ind := inds[0]
	refAudited(t, a, "indicator", ind.ID, tcmis.ActionCreate, tcmis.RoleProgrammeOfficer)

	id := strconv.FormatInt(ind.ID, 10)
	c.post("/results/targets/new", url.Values{"biennium": {"2008-09"}, "indicator_id": {id}, "value": {"2000"}, "note": {"P&B 2008-09"}}).must(t, 303)
	targets, _, err := a.DB.FindTargets(ctx, tcmis.ResultFilter{IndicatorID: &ind.ID})
	if err != nil || len(targets) != 1 || targets[0].Value != 2000_000000 {
		t.Fatalf("targets: %v %v", targets, err)
	}
	refAudited(t, a, "target", targets[0].ID, tcmis.ActionCreate, tcmis.RoleProgrammeOfficer)

	projects, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	c.post("/results/reported/new", url.Values{"biennium": {"2008-09"}, "indicator_id": {id}, "value": {"2500"}, "reported": {"2009-12-15"},
		"project_id": {projects[0].Code}, "evidence": {"Placement records"}}).must(t, 303)
	results, _, err := a.DB.FindResults(ctx, tcmis.ResultFilter{IndicatorID: &ind.ID})
	if err != nil || len(results) != 1 || results[0].ProjectID != projects[0].ID || results[0].Value != 2500_000000 ||
		!results[0].Reported.Equal(time.Date(2009, 12, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("results: %v %v", results, err)
	}
	refAudited(t, a, "result", results[0].ID, tcmis.ActionCreate, tcmis.RoleProgrammeOfficer)

	// The biennium's page shows them, with the target met.
	page := c.get("/results?biennium=2008-09").must(t, 200)
	row := refRow(page.Body, fmt.Sprintf(`id="indicator-%d"`, ind.ID))
	for _, s := range []string{"1200.5 (2007)", ">2000<", ">2500<", "125.0%", "Met", fmt.Sprintf(`href="/projects/%d"`, projects[0].ID)} {
		if !strings.Contains(row, s) {
			t.Errorf("the indicator's row lacks %q:\n%s", s, row)
		}
	}

	for _, x := range []struct {
		name, path string
		form       url.Values
		problems   map[string]string
	}{
		{"outcome without biennium", "/results/outcomes/new", url.Values{"biennium": {"2008"}, "objective": {"so1"}, "code": {"x"}, "title": {"x"}},
			map[string]string{"biennium": "is not a biennium"}},
		{"outcome without title and objective", "/results/outcomes/new", url.Values{"biennium": {"2008-09"}, "code": {"x"}},
			map[string]string{"title": "the outcome needs a title", "objective": "choose a strategic objective"}},
		{"indicator without unit, bad baseline", "/results/indicators/new", url.Values{"biennium": {"2008-09"}, "outcome_id": {strconv.FormatInt(o.ID, 10)},
			"code": {"x"}, "title": {"x"}, "baseline": {"many"}}, map[string]string{"unit": "say what the indicator counts", "baseline": "is not a number"}},
		{"target without indicator or value", "/results/targets/new", url.Values{"biennium": {"2008-09"}},
			map[string]string{"indicator_id": "say which indicator", "value": "the target needs a value"}},
		{"result of an unknown project", "/results/reported/new", url.Values{"biennium": {"2008-09"}, "indicator_id": {id}, "value": {"1"},
			"reported": {"2009-01-01"}, "evidence": {"x"}, "project_id": {"NOPE/99/99/XXX"}}, map[string]string{"project_id": "there is no project with code NOPE/99/99/XXX"}},
		{"result reported before its biennium", "/results/reported/new", url.Values{"biennium": {"2008-09"}, "indicator_id": {id}, "value": {"1"},
			"reported": {"2007-01-01"}}, map[string]string{"reported": "cannot be reported before 2008", "evidence": "say what shows the result"}},
	} {
		t.Run(x.name, func(t *testing.T) {
			res := c.post(x.path, x.form).must(t, 422)
			for field, msg := range x.problems {
				res.contains(t, `id="`+field+`-error"`, msg)
			}
		})
	}
	if rs, _, _ := a.DB.FindResults(ctx, tcmis.ResultFilter{IndicatorID: &ind.ID}); len(rs) != 1 {
		t.Errorf("%d results after the invalid forms, want 1", len(rs))
	}
}
