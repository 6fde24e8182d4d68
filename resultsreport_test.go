package tcmis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func dec(v int64) tcmis.Decimal { return tcmis.Decimal(v * 1_000_000) }

// framework0405 is a small results framework of 2004-05 with its results.
func framework0405() ([]*tcmis.Outcome, []*tcmis.Indicator, []*tcmis.Target, []*tcmis.Result) {
	b := tcmis.Biennium("2004-05")
	outcomes := []*tcmis.Outcome{
		{ID: 1, Code: "1b.2", Biennium: b, Objective: tcmis.Standards, Title: "Time-bound programmes"},
		{ID: 2, Code: "2b.1", Biennium: b, Objective: tcmis.Employment, Title: "Skills"},
		{ID: 3, Code: "1b.2", Biennium: "2002-03", Objective: tcmis.Standards, Title: "Time-bound programmes"},
	}
	indicators := []*tcmis.Indicator{
		{ID: 10, OutcomeID: 1, Code: "1b.2.1", Title: "Member States with a TBP", Unit: "member States", Baseline: dec(8), BaselineYear: 2003},
		{ID: 11, OutcomeID: 1, Code: "1b.2.2", Title: "Children withdrawn", Unit: "children"},
		{ID: 12, OutcomeID: 2, Code: "2b.1.1", Title: "Training policies revised", Unit: "member States", Baseline: dec(9), BaselineYear: 2003},
		{ID: 13, OutcomeID: 2, Code: "2b.1.2", Title: "No target", Unit: "persons"},
		{ID: 14, OutcomeID: 3, Code: "1b.2.1", Title: "Old", Unit: "member States"},
	}
	targets := []*tcmis.Target{
		{ID: 20, IndicatorID: 10, Biennium: b, Value: dec(19)},
		{ID: 21, IndicatorID: 11, Biennium: b, Value: dec(300_000)},
		{ID: 22, IndicatorID: 12, Biennium: b, Value: dec(12)},
		{ID: 23, IndicatorID: 14, Biennium: "2002-03", Value: dec(8)},
	}
	results := []*tcmis.Result{
		{ID: 30, IndicatorID: 10, Biennium: b, Value: dec(9), Reported: day("2005-03-10"), Evidence: "interim"},
		{ID: 31, IndicatorID: 10, Biennium: b, Value: dec(21), Reported: day("2006-03-10"), Evidence: "implementation report", ProjectID: 7},
		{ID: 32, IndicatorID: 11, Biennium: b, Value: dec(120_000), Reported: day("2005-03-01"), Evidence: "IPEC report", ProjectID: 8},
		{ID: 33, IndicatorID: 11, Biennium: b, Value: dec(250_000), Reported: day("2006-03-01"), Evidence: "implementation report"},
		{ID: 34, IndicatorID: 14, Biennium: "2002-03", Value: dec(5), Reported: day("2004-03-01"), Evidence: "old"},
	}
	return outcomes, indicators, targets, results
}

func progressSummary(ps []tcmis.IndicatorProgress) string {
	var parts []string
	for _, p := range ps {
		s := fmt.Sprintf("%s %s", p.Outcome.Code, p.Indicator.Code)
		if p.Target != nil {
			s += " target " + p.Target.Value.String()
		}
		if p.HasResult {
			s += " achieved " + p.Achieved.String()
		}
		if p.HasPercent {
			s += " " + p.Percent.String() + "%"
		}
		if p.Met {
			s += " met"
		}
		for _, c := range p.Contributions {
			s += fmt.Sprintf(" [project %d: %s]", c.ProjectID, c.Value)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n")
}

func TestBienniumProgress(t *testing.T) {
	os, is, ts, rs := framework0405()
	got := progressSummary(tcmis.BienniumProgress("2004-05", os, is, ts, rs))
	want := strings.Join([]string{
		"1b.2 1b.2.1 target 19 achieved 21 110.53% met [project 7: 21]",
		"1b.2 1b.2.2 target 300000 achieved 250000 83.33% [project 8: 120000]",
		"2b.1 2b.1.1 target 12",
		"2b.1 2b.1.2",
	}, "\n")
	if got != want {
		t.Errorf("progress:\n%s\nwant\n%s", got, want)
	}
	// Exactly on target is met.
	rs = append(rs, &tcmis.Result{ID: 35, IndicatorID: 12, Biennium: "2004-05", Value: dec(12), Reported: day("2006-03-01"), Evidence: "x"})
	for _, p := range tcmis.BienniumProgress("2004-05", os, is, ts, rs) {
		if p.Indicator.ID == 12 && (!p.Met || p.Percent != tcmis.Whole) {
			t.Errorf("on target: %+v", p)
		}
	}
}

func TestCarryForward(t *testing.T) {
	os, is, ts, rs := framework0405()
	progress := tcmis.BienniumProgress("2004-05", os, is, ts, rs)
	// 2006-07 keeps 1b.2 with only its first indicator, and drops 2b.1.
	next := []*tcmis.Outcome{{ID: 50, Code: "1b.2", Biennium: "2006-07", Objective: tcmis.Standards, Title: "Time-bound programmes"}}
	nextIndicators := []*tcmis.Indicator{{ID: 60, OutcomeID: 50, Code: "1b.2.1"}}
	plan := tcmis.CarryForward("2004-05", "2006-07", progress, next, nextIndicators)
	var got []string
	for _, co := range plan.Outcomes {
		for _, ci := range co.Indicators {
			got = append(got, fmt.Sprintf("%s (new %v, id %d) %s baseline %s/%d target %s %s: %s",
				co.Outcome.Code, co.IsNew, co.Outcome.ID, ci.Indicator.Code, ci.Indicator.Baseline, ci.Indicator.BaselineYear, ci.Target.Biennium, ci.Target.Value, ci.Target.Note))
		}
	}
	want := []string{
		"1b.2 (new false, id 50) 1b.2.2 baseline 250000/2006 target 2006-07 300000: Carried over from 2004-05: target 300000, reached 250000",
		"2b.1 (new true, id 0) 2b.1.1 baseline 9/2003 target 2006-07 12: Carried over from 2004-05: target 12, no result reported",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("carried:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if plan.Outcomes[0].Indicators[0].Indicator.OutcomeID != 50 || plan.Outcomes[1].Outcome.Biennium != "2006-07" {
		t.Errorf("carried outcomes: %+v", plan.Outcomes)
	}
	// A framework that keeps everything needs nothing carried.
	keep := tcmis.CarryForward("2004-05", "2006-07", progress,
		[]*tcmis.Outcome{{ID: 50, Code: "1b.2", Biennium: "2006-07"}, {ID: 51, Code: "2b.1", Biennium: "2006-07"}},
		[]*tcmis.Indicator{{OutcomeID: 50, Code: "1b.2.1"}, {OutcomeID: 50, Code: "1b.2.2"}, {OutcomeID: 51, Code: "2b.1.1"}})
	if len(keep.Outcomes) != 0 {
		t.Errorf("nothing to carry, got %+v", keep.Outcomes)
	}
}
