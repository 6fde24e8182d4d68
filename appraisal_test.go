package tcmis_test

import (
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

// passingAppraisal has every criterion passed.
func passingAppraisal() *tcmis.ProjectAppraisal {
	a := tcmis.NewAppraisal(7)
	a.Appraiser, a.Date = "PARDEV", day("2006-03-01")
	for _, c := range tcmis.Criteria() {
		a.Set(c, tcmis.Pass, "")
	}
	return a
}

func TestCriteria(t *testing.T) {
	var mandatory []string
	for _, c := range tcmis.Criteria() {
		if c.Mandatory() {
			mandatory = append(mandatory, string(c))
		}
	}
	if got := strings.Join(mandatory, " "); got != "tripartite gender outcomes results evaluation" {
		t.Errorf("mandatory criteria: %s", got)
	}
	if len(tcmis.Criteria()) != 7 {
		t.Errorf("%d criteria, want 7", len(tcmis.Criteria()))
	}
	for in, want := range map[string]tcmis.Assessment{"pass": tcmis.Pass, "FAIL": tcmis.Fail, "na": tcmis.NotApplicable, "n/a": tcmis.NotApplicable, "Not applicable": tcmis.NotApplicable} {
		if got, err := tcmis.ParseAssessment(in); err != nil || got != want {
			t.Errorf("ParseAssessment(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := tcmis.ParseAssessment("maybe"); err == nil {
		t.Error("maybe is a finding")
	}
	if c, err := tcmis.ParseCriterion("Gender equality is addressed"); err != nil || c != tcmis.CriterionGender {
		t.Errorf("criterion by label: %q %v", c, err)
	}
}

func TestCanApprove(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(a *tcmis.ProjectAppraisal)
		blocked []string // the criteria named in the error
	}{
		{"all pass", func(a *tcmis.ProjectAppraisal) {}, nil},
		{"a mandatory criterion fails", func(a *tcmis.ProjectAppraisal) {
			a.Set(tcmis.CriterionTripartite, tcmis.Fail, "workers were not consulted")
		}, []string{"tripartite"}},
		{"two mandatory criteria fail", func(a *tcmis.ProjectAppraisal) {
			a.Set(tcmis.CriterionResults, tcmis.Fail, "no baseline")
			a.Set(tcmis.CriterionEvaluation, tcmis.Fail, "no evaluation budget")
		}, []string{"results", "evaluation"}},
		{"an advisory criterion fails", func(a *tcmis.ProjectAppraisal) {
			a.Set(tcmis.CriterionRisks, tcmis.Fail, "risks not analysed")
			a.Set(tcmis.CriterionStandards, tcmis.Fail, "no standard named")
		}, nil},
		{"a mandatory criterion does not apply", func(a *tcmis.ProjectAppraisal) {
			a.Set(tcmis.CriterionOutcomes, tcmis.NotApplicable, "global project: no country programme")
		}, nil},
		{"a mandatory criterion not assessed", func(a *tcmis.ProjectAppraisal) {
			a.Set(tcmis.CriterionGender, tcmis.NotAssessed, "")
		}, []string{"gender"}},
		{"a mandatory criterion missing", func(a *tcmis.ProjectAppraisal) {
			a.Criteria = a.Criteria[1:]
		}, []string{"tripartite"}},
		{"made mandatory by the appraisal, and failed", func(a *tcmis.ProjectAppraisal) {
			a.Criteria[6].Mandatory = true
			a.Set(tcmis.CriterionRisks, tcmis.Fail, "donor requires a risk log")
		}, []string{"risks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := passingAppraisal()
			tc.change(a)
			if err := a.Validate(); err != nil {
				t.Fatalf("appraisal not valid: %v", err)
			}
			err := a.CanApprove()
			var got []string
			for _, p := range tcmis.ErrorProblems(err) {
				got = append(got, p.Field)
			}
			if strings.Join(got, " ") != strings.Join(tc.blocked, " ") {
				t.Errorf("blocked by %v (%v), want %v", got, err, tc.blocked)
			}
			if err != nil && tcmis.ErrorCode(err) != tcmis.EINVALID {
				t.Errorf("code %s", tcmis.ErrorCode(err))
			}
		})
	}
}

func TestAppraisalValidate(t *testing.T) {
	a := &tcmis.ProjectAppraisal{
		Criteria: []tcmis.CriterionResult{
			{Criterion: "beauty", Result: tcmis.Pass},
			{Criterion: tcmis.CriterionGender, Mandatory: true, Result: "perhaps"},
			{Criterion: tcmis.CriterionGender, Mandatory: true, Result: tcmis.Pass},
			{Criterion: tcmis.CriterionTripartite, Mandatory: false, Result: tcmis.Fail},
			{Criterion: tcmis.CriterionOutcomes, Mandatory: true, Result: tcmis.NotApplicable},
			{Criterion: tcmis.CriterionRisks, Result: tcmis.NotApplicable},
		},
		LessonsConsidered: []int64{4, 4, 0},
		EvaluationBudget:  -1,
	}
	err := a.Validate()
	want := []string{"project_id", "appraiser", "date", "criteria[0].criterion", "criteria[1].result", "criteria[2].criterion",
		"criteria[3].mandatory", "criteria[3].comment", "criteria[4].comment", "lessons_considered[1]", "lessons_considered[2]", "evaluation_budget_usd"}
	var got []string
	for _, p := range tcmis.ErrorProblems(err) {
		got = append(got, p.Field)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems:\n got %v\nwant %v\n%v", got, want, err)
	}
}

func TestEvidence(t *testing.T) {
	p := validProject()
	p.Tripartite.Design = tcmis.AllConstituents
	p.CountryOutcomes = []string{"GHA101"}
	p.Objectives[0].Outcome = "2b.2"
	for c, want := range map[tcmis.Criterion]string{
		tcmis.CriterionTripartite: "government+employers+workers",
		tcmis.CriterionOutcomes:   "country outcomes: GHA101; global outcomes: 2b.2",
		tcmis.CriterionStandards:  "C122",
		tcmis.CriterionGender:     "not screened",
		tcmis.CriterionRisks:      "",
	} {
		if got := tcmis.Evidence(p, c); !strings.Contains(got, want) || (want == "" && got != "") {
			t.Errorf("evidence for %s: %q, want %q", c, got, want)
		}
	}
}
