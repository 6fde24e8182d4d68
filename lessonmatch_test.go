package tcmis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func TestMatchLessons(t *testing.T) {
	p := validProject() // Ghana, SO2 70% and SO4 30%, experts and training
	p.Title = "Youth employment in the informal economy"
	p.Description = "Local economic development for young women and men in northern districts."
	p.CountryOutcomes = []string{"GHA101"}
	p.Objectives[0].Outcome = "2b.2"
	lesson := func(id int64, country string, obj tcmis.Objective, theme, title, text string, a tcmis.Assistance) *tcmis.Lesson {
		return &tcmis.Lesson{ID: id, EvaluationID: 1, Kind: tcmis.LessonLearned, Country: country, Objective: obj, Theme: theme, Title: title, Text: text, Assistance: a}
	}
	cands := []tcmis.LessonCandidate{
		{Lesson: lesson(1, "GH", "", "", "Involve the social partners", "Ministries alone lose interest.", "")},
		{Lesson: lesson(2, "KE", tcmis.Employment, "youth employment", "Tracer surveys", "Trace young people a year after training.", "")},
		{Lesson: lesson(3, "NP", tcmis.SocialProtection, "HIV/AIDS", "Workplace policies", "Peer educators in enterprises.", "")},
		{Lesson: lesson(4, "NP", tcmis.SocialProtection, "", "Districts and the informal economy", "District assemblies reached informal operators.", "")},
		{Lesson: lesson(5, "BD", "", "", "Exit strategy", "Plan the exit.", ""), Outcomes: []string{"2b.2"}},
		{Lesson: lesson(6, "NP", tcmis.SocialProtection, "", "Recruit locally", "Local staff start faster.", tcmis.Training)},
		{Lesson: lesson(7, "GH", tcmis.Employment, "informal economy", "Informal operators organize", "Associations of informal operators in districts.", tcmis.Training)},
		// The outcome match makes the objective's redundant.
		{Lesson: lesson(8, "BD", tcmis.Employment, "", "Exit strategy", "Plan the exit.", ""), Outcomes: []string{"2b.2", "BGD101"}},
	}
	got := tcmis.MatchLessons(p, cands, 0)
	var ids []int64
	for _, m := range got {
		ids = append(ids, m.Lesson.ID)
	}
	// 7: country 10 + theme 5 + objective 3 + assistance 1 + words (district, informal) 2 = 21
	// 1: country 10; 2: theme 5 + objective 3 + word (young) 1 = 9; 8 and 5:
	// outcome 6, the newer first; 4: words district, economy, informal = 3.
	// 3 shares nothing (its theme's words are too short to count); 6 only a
	// type of assistance and one word.
	want := []int64{7, 1, 2, 8, 5, 4}
	if len(ids) != len(want) {
		t.Fatalf("offered %v, want %v\n%v", ids, want, got)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("offered %v, want %v\n%v", ids, want, got)
		}
	}
	top := got[0]
	if top.Score != 21 || strings.Join(top.Reasons, "; ") != "same country: Ghana; same theme: informal economy; same strategic objective: Employment; same type of assistance: Training and fellowships; shared words: district, informal" {
		t.Errorf("top match: %v", top)
	}
	if strings.Join(got[3].Reasons, "; ") != "same outcome: 2b.2" || got[3].Score != 6 {
		t.Errorf("outcome match: %v", got[3])
	}
	if n := len(tcmis.MatchLessons(p, cands, 2)); n != 2 {
		t.Errorf("limit 2 gave %d", n)
	}
	if got := tcmis.MatchLessons(p, nil, 5); len(got) != 0 {
		t.Errorf("no candidates: %v", got)
	}
}

// The best lessons from the project's own country are offered even when
// lessons from elsewhere score higher.
func TestMatchLessonsKeepsCountryLessons(t *testing.T) {
	p := validProject() // Ghana
	p.CountryOutcomes = []string{"GHA101"}
	var cands []tcmis.LessonCandidate
	for id := int64(1); id <= 6; id++ { // from elsewhere, same outcome and objective: 6 each
		cands = append(cands, tcmis.LessonCandidate{Lesson: &tcmis.Lesson{ID: id, Country: "KE", Objective: tcmis.Employment, Title: "t", Text: "x"}, Outcomes: []string{"GHA101"}})
	}
	for id := int64(11); id <= 14; id++ { // from Ghana, nothing else: 10 ... but weaker than 16 below
		cands = append(cands, tcmis.LessonCandidate{Lesson: &tcmis.Lesson{ID: id, Country: "GH", Title: "t", Text: "x"}})
	}
	for id := int64(21); id <= 22; id++ { // from elsewhere with outcome, theme and words: top
		cands = append(cands, tcmis.LessonCandidate{Lesson: &tcmis.Lesson{ID: id, Country: "KE", Theme: "decent work", Title: "Decent work pilot", Text: "pilot"}, Outcomes: []string{"GHA101"}})
	}
	ids := func(ms []tcmis.LessonMatch) string {
		var parts []string
		for _, m := range ms {
			parts = append(parts, fmt.Sprint(m.Lesson.ID))
		}
		return strings.Join(parts, " ")
	}
	for _, tc := range []struct {
		limit int
		want  string
	}{
		{0, "22 21 14 13 12 11 6 5 4 3 2 1"},
		{4, "22 14 13 12"},
		{5, "22 21 14 13 12"},
		{2, "14 13"},
	} {
		if got := ids(tcmis.MatchLessons(p, cands, tc.limit)); got != tc.want {
			t.Errorf("limit %d: %s, want %s", tc.limit, got, tc.want)
		}
	}
}
