package main_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

func mustJSON(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
}

// passing is every criterion passed, but for those given, which fail.
func passing(fail ...string) []string {
	var args []string
	for _, c := range []string{"tripartite", "gender", "outcomes", "standards", "results", "evaluation", "risks"} {
		finding := c + "=pass"
		for _, f := range fail {
			if f == c {
				finding = c + "=fail:not good enough"
			}
		}
		args = append(args, "--criterion", finding)
	}
	return args
}

// A demo proposal through the cycle on the command line: it is offered
// lessons from its own country; a failing mandatory criterion blocks its
// approval; approved, it has its evaluations planned and shows in the
// compliance report; its country's outcomes show their funding gap.
func TestProjectCycleCommands(t *testing.T) {
	for _, engine := range sqldbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			mustRun(t, dsn, "demo")

			var list struct {
				Projects []struct {
					Code      string `json:"code"`
					Scope     string `json:"scope"`
					Countries []struct {
						Country string `json:"country"`
					} `json:"countries"`
					CountryOutcomes []string `json:"country_outcomes"`
				} `json:"projects"`
			}
			mustJSON(t, mustRun(t, dsn, "project", "list", "--status", "proposal", "--format", "json"), &list)
			type lesson struct {
				Lesson struct {
					ID      int64  `json:"id"`
					Country string `json:"country"`
				} `json:"lesson"`
				Reasons []string `json:"reasons"`
			}
			var code, country string
			var outcomes []string
			for _, p := range list.Projects {
				if p.Scope != "national" || len(p.CountryOutcomes) == 0 {
					continue
				}
				var ls []lesson
				mustJSON(t, mustRun(t, dsn, "lessons", "suggest", p.Code, "--format", "json"), &ls)
				for _, l := range ls {
					if l.Lesson.Country == p.Countries[0].Country && strings.HasPrefix(l.Reasons[0], "same country: ") {
						code, country, outcomes = p.Code, p.Countries[0].Country, p.CountryOutcomes
					}
				}
				if code != "" {
					break
				}
			}
			if code == "" {
				t.Fatal("no demo proposal serving a country programme is offered lessons from its own country")
			}

			// The form, before anything is recorded.
			out := mustRun(t, dsn, "project", "appraise", code)
			for _, want := range []string{"Appraisal form for " + code, "Not assessed", "Lessons offered", "same country: ", "Nothing recorded"} {
				if !strings.Contains(out, want) {
					t.Errorf("appraisal form does not say %q:\n%s", want, out)
				}
			}

			// A failing mandatory criterion blocks approval.
			out = mustRun(t, dsn, append([]string{"project", "appraise", code, "--date", "2006-06-10", "--evaluation-budget", "50000", "--considered", "all"}, passing("tripartite")...)...)
			for _, want := range []string{"moved from proposal to appraisal", "cannot be approved yet", "not good enough", "US$50,000"} {
				if !strings.Contains(out, want) {
					t.Errorf("appraisal does not say %q:\n%s", want, out)
				}
			}
			_, _, err := run(t, dsn, "project", "approve", code, "--date", "2006-06-30")
			if err == nil || !strings.Contains(err.Error(), "cannot be approved") {
				t.Fatalf("approved with a failed criterion: %v", err)
			}
			if !strings.Contains(err.Error(), "tripartite: Government, employers and workers took part in the design: failed (not good enough)") {
				t.Errorf("the refusal does not name the criterion: %v", err)
			}

			// Appraised again, it is approved and its evaluations planned.
			out = mustRun(t, dsn, append([]string{"project", "appraise", code, "--date", "2006-06-20", "--evaluation-budget", "50000"}, passing()...)...)
			if !strings.Contains(out, "The appraisal allows approval.") {
				t.Errorf("second appraisal:\n%s", out)
			}
			var approved struct {
				Project struct {
					Status string `json:"status"`
				} `json:"project"`
				Policy struct {
					Ref string `json:"ref"`
				} `json:"policy"`
				Planned []struct {
					ID     int64  `json:"id"`
					Timing string `json:"timing"`
					Type   string `json:"type"`
					Budget int64  `json:"budget_usd"`
				} `json:"planned"`
			}
			mustJSON(t, mustRun(t, dsn, "project", "approve", code, "--date", "2006-06-30", "--format", "json"), &approved)
			if approved.Project.Status != "approved" || approved.Policy.Ref != "GB.294/PFA/8/4" || len(approved.Planned) == 0 {
				t.Fatalf("approval: %+v", approved)
			}
			last := approved.Planned[len(approved.Planned)-1]
			if last.Timing != "final" || last.ID == 0 {
				t.Errorf("the last planned evaluation is %+v", last)
			}
			var plan struct {
				Proposed    bool `json:"proposed"`
				Evaluations []struct {
					ID int64 `json:"id"`
				} `json:"evaluations"`
				Compliance struct {
					State string `json:"state"`
				} `json:"compliance"`
			}
			mustJSON(t, mustRun(t, dsn, "evaluation", "plan", code, "--format", "json"), &plan)
			if plan.Proposed || len(plan.Evaluations) != len(approved.Planned) || plan.Compliance.State == "" {
				t.Errorf("plan after approval: %+v", plan)
			}
			out = mustRun(t, dsn, "evaluation", "plan", code)
			if !strings.Contains(out, "Approved on 2006-06-30 under the ILO evaluation policy and strategy") || !strings.Contains(out, "Required: ") {
				t.Errorf("plan:\n%s", out)
			}
			out = mustRun(t, dsn, "project", "cycle", code)
			if !strings.Contains(out, "proposal   appraisal") || !strings.Contains(out, "appraisal  approved") {
				t.Errorf("cycle history:\n%s", out)
			}

			// Compliance: the new project's evaluations are planned; the
			// overdue list holds only overdue projects.
			csv := mustRun(t, dsn, "evaluation", "compliance", "--date", "2006-06-30", "--format", "csv")
			if !strings.HasPrefix(csv, "Code,Status,Approved,Policy") || !strings.Contains(csv, "\n"+code+",approved,2006-06-30,") {
				t.Errorf("compliance does not list %s:\n%.500s", code, csv)
			}
			var overdue []struct {
				Code    string `json:"code"`
				State   string `json:"state"`
				Overdue int    `json:"overdue"`
			}
			mustJSON(t, mustRun(t, dsn, "evaluation", "compliance", "--overdue", "--date", "2006-06-30", "--format", "json"), &overdue)
			if len(overdue) == 0 {
				t.Error("the demo has no overdue evaluations on 2006-06-30")
			}
			for _, c := range overdue {
				if c.State != "overdue" || c.Overdue == 0 || c.Code == code {
					t.Errorf("in the overdue list: %+v", c)
				}
			}

			// The funding gap of the country's outcomes.
			var gap struct {
				Outcomes []struct {
					Country  string `json:"country"`
					Outcome  string `json:"outcome"`
					Planned  int64  `json:"planned_usd"`
					Approved int64  `json:"approved_usd"`
					Gap      int64  `json:"gap_usd"`
				} `json:"outcomes"`
				Countries []struct {
					Key string `json:"key"`
					Gap int64  `json:"gap_usd"`
				} `json:"countries"`
			}
			mustJSON(t, mustRun(t, dsn, "programme", "gap", "--country", country, "--format", "json"), &gap)
			if len(gap.Outcomes) == 0 || len(gap.Countries) != 1 || gap.Countries[0].Key != country {
				t.Fatalf("gap for %s: %+v", country, gap)
			}
			var sum int64
			found := map[string]bool{}
			for _, o := range gap.Outcomes {
				sum += o.Gap
				found[o.Outcome] = true
				if o.Country != country || o.Gap != max(o.Planned-o.Approved, 0) {
					t.Errorf("gap row %+v", o)
				}
			}
			if sum != gap.Countries[0].Gap {
				t.Errorf("outcome gaps add up to %d, the country's is %d", sum, gap.Countries[0].Gap)
			}
			for _, o := range outcomes {
				if !found[o] {
					t.Errorf("the gap report has no row for %s's outcome %s", code, o)
				}
			}
			out = mustRun(t, dsn, "programme", "gap")
			for _, want := range []string{"By country", "By region", "Africa"} {
				if !strings.Contains(out, want) {
					t.Errorf("gap table does not say %q", want)
				}
			}
			if out := mustRun(t, dsn, "programme", "gap", "--by", "region", "--format", "csv"); !strings.HasPrefix(out, "Region,Outcomes,Planned") {
				t.Errorf("gap by region:\n%s", out)
			}
		})
	}
}

func TestProgrammeResultsAndDeliveryCommands(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	mustRun(t, dsn, "demo")

	// A mistake in the findings leaves the proposal where it was.
	var list struct {
		Projects []struct {
			Code string `json:"code"`
		} `json:"projects"`
	}
	mustJSON(t, mustRun(t, dsn, "project", "list", "--status", "proposal", "--format", "json"), &list)
	code := list.Projects[0].Code
	_, _, err := run(t, dsn, "project", "appraise", code, "--criterion", "gender=fail")
	if err == nil || !strings.Contains(err.Error(), "say what must change for gender to pass") {
		t.Fatalf("a failed criterion without a comment: %v", err)
	}
	if out := mustRun(t, dsn, "project", "cycle", code); !strings.Contains(out, "is Proposal") {
		t.Errorf("after a refused appraisal:\n%s", out)
	}

	out := mustRun(t, dsn, "programme", "list")
	if !strings.Contains(out, "UNDAF") || !strings.Contains(out, "Second round ongoing") {
		t.Errorf("programme list:\n%s", out)
	}
	if out := mustRun(t, dsn, "programme", "show", "GH"); !strings.Contains(out, "Poverty reduction strategy:") || !strings.Contains(out, "Priority 1:") {
		t.Errorf("programme show GH:\n%s", out)
	}

	out = mustRun(t, dsn, "results", "2004-05")
	if !strings.Contains(out, "Project contributions") || !strings.Contains(out, "targets met") {
		t.Errorf("results 2004-05:\n%s", out)
	}
	var progress []struct {
		Met           bool `json:"met"`
		Contributions []struct {
			ProjectID int64 `json:"project_id"`
		} `json:"contributions"`
	}
	mustJSON(t, mustRun(t, dsn, "results", "2004-05", "--format", "json"), &progress)
	contributed := 0
	for _, p := range progress {
		contributed += len(p.Contributions)
	}
	if len(progress) == 0 || contributed == 0 {
		t.Errorf("results 2004-05: %d indicators, %d contributions", len(progress), contributed)
	}
	if out := mustRun(t, dsn, "results", "carry", "2004-05", "2006-07"); !strings.Contains(out, "carried from 2004-05 to 2006-07") {
		t.Errorf("carry:\n%s", out)
	}

	// Delivery: two snapshots, a threshold, alerts with their trend.
	if _, _, err := run(t, dsn, "delivery", "alerts"); err == nil || !strings.Contains(err.Error(), "no delivery snapshot") {
		t.Errorf("alerts before any snapshot: %v", err)
	}
	mustRun(t, dsn, "delivery", "snapshot", "--month", "2005-05")
	out = mustRun(t, dsn, "delivery", "snapshot", "--month", "2005-06")
	if !strings.Contains(out, "Delivery snapshot of 2005-06") {
		t.Errorf("snapshot:\n%.400s", out)
	}
	if _, _, err := run(t, dsn, "delivery", "alerts"); err == nil || !strings.Contains(err.Error(), "no delivery thresholds") {
		t.Errorf("alerts without thresholds: %v", err)
	}
	mustRun(t, dsn, "delivery", "threshold", "set", "--scope", "office", "--rate", "75")
	mustRun(t, dsn, "delivery", "threshold", "set", "--scope", "project", "--rate", "60")
	if out := mustRun(t, dsn, "delivery", "threshold", "list", "--format", "csv"); strings.Count(out, "\n") != 3 {
		t.Errorf("thresholds:\n%s", out)
	}
	var alerts []struct {
		Month     int    `json:"month"`
		Scope     string `json:"scope"`
		Forecast  string `json:"forecast_rate"`
		Threshold string `json:"threshold"`
		HasTrend  bool   `json:"has_trend"`
	}
	mustJSON(t, mustRun(t, dsn, "delivery", "alerts", "--format", "json"), &alerts)
	scopes := map[string]int{}
	trends := 0
	for _, a := range alerts {
		scopes[a.Scope]++
		if a.HasTrend {
			trends++
		}
		if a.Month != 6 {
			t.Errorf("alert of the wrong month: %+v", a)
		}
	}
	if scopes["office"] == 0 || scopes["project"] == 0 || trends == 0 {
		t.Errorf("alerts by scope %v, %d with a trend", scopes, trends)
	}
	out = mustRun(t, dsn, "delivery", "alerts", "--month", "2005-06", "--scope", "office", "--threshold", "100")
	if !strings.Contains(out, "below threshold") || strings.Contains(out, " project ") {
		t.Errorf("office alerts at 100%%:\n%s", out)
	}
}

func TestCycleUsageAndHelp(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	for _, args := range [][]string{
		{"project", "status", "X", "done"},
		{"project", "approve", "X", "--independent", "maybe"},
		{"project", "appraise", "X", "--criterion", "beauty=pass"},
		{"project", "appraise", "X", "--criterion", "gender"},
		{"evaluation", "compliance", "--state", "late"},
		{"evaluation", "policy", "add", "--name", "x"},
		{"programme", "gap", "--region", "atlantis"},
		{"programme", "gap", "--by", "planet"},
		{"results", "2004"},
		{"delivery", "snapshot"},
		{"delivery", "snapshot", "--month", "2005-13"},
		{"delivery", "alerts", "--threshold", "120"},
		{"delivery", "threshold", "set", "--scope", "galaxy", "--rate", "50"},
	} {
		if _, _, err := run(t, dsn, args...); err == nil {
			t.Errorf("tcmis %s succeeded", strings.Join(args, " "))
		}
	}
	for _, args := range [][]string{
		{"project", "appraise", "--help"}, {"project", "approve", "--help"}, {"project", "status", "--help"},
		{"project", "start-due", "--help"}, {"project", "cycle", "--help"},
		{"evaluation", "plan", "--help"}, {"evaluation", "compliance", "--help"}, {"evaluation", "policy", "list", "--help"},
		{"evaluation", "policy", "add", "--help"}, {"lessons", "suggest", "--help"},
		{"programme", "list", "--help"}, {"programme", "show", "--help"}, {"programme", "gap", "--help"},
		{"results", "--help"}, {"results", "carry", "--help"},
		{"delivery", "snapshot", "--help"}, {"delivery", "alerts", "--help"}, {"delivery", "threshold", "set", "--help"},
	} {
		out := mustRun(t, dsn, args...)
		if !strings.Contains(out, "Usage:") || !strings.Contains(out, "Examples:") {
			t.Errorf("tcmis %s has no usage or examples:\n%s", strings.Join(args, " "), out)
		}
	}
	if out := mustRun(t, dsn, "project", "status", "--help"); !strings.Contains(out, "operationally-closed  -> financially-closed") {
		t.Errorf("status help does not list the moves:\n%s", out)
	}

	// The policy versions, and a new one.
	out := mustRun(t, dsn, "evaluation", "policy", "list", "--format", "csv")
	if !strings.Contains(out, "GB.285/PFA/10") || !strings.Contains(out, "GB.294/PFA/8/4") || !strings.Contains(out, "350,000") {
		t.Errorf("policies:\n%s", out)
	}
	out = mustRun(t, dsn, "evaluation", "policy", "add", "--name", "Evaluation policy 2008", "--effective", "2008-01-01", "--independent-over", "500000", "--budget-line")
	if !strings.Contains(out, "in force from 2008-01-01") {
		t.Errorf("policy add: %s", out)
	}
	if _, _, err := run(t, dsn, "evaluation", "policy", "add", "--name", "Again", "--effective", "2008-01-01"); err == nil {
		t.Error("two policy versions on the same day")
	}
}
