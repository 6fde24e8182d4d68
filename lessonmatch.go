package tcmis

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Lessons fed back: at appraisal the system offers the lessons and good
// practices of past evaluations most relevant to a new project, and says
// why it offered each.

// LessonCandidate is a stored lesson with what is known of where it came
// from.
type LessonCandidate struct {
	Lesson *Lesson
	// Evaluation is the title of the evaluation that drew the lesson.
	Evaluation string
	// Outcomes are the country programme outcome and global outcome
	// codes of the evaluated project.
	Outcomes []string
}

// LessonMatch is a lesson offered to a project, with its relevance.
type LessonMatch struct {
	Lesson     *Lesson `json:"lesson"`
	Evaluation string  `json:"evaluation,omitempty"`
	Score      int     `json:"score"`
	// Reasons say why the lesson was offered, strongest first.
	Reasons []string `json:"reasons"`
}

// The weight of each kind of match. A lesson from the same country
// counts most: the context of the constituents and institutions is the
// same. The strategic objective counts only without an outcome match,
// since an outcome belongs to an objective.
const (
	matchCountry    = 10
	matchOutcome    = 6
	matchTheme      = 5
	matchObjective  = 3
	matchAssistance = 1
	matchWord       = 1
	maxWordMatches  = 4
)

// MatchLessons ranks the candidates by relevance to project p and returns
// at most limit of them (all if limit is 0): same country, same country
// or global outcome, same theme (every word of the lesson's theme in the
// project's title or description), same strategic objective (when no
// outcome matched), same type of assistance as a budget line, and words
// the lesson and the project share. A lesson is offered only for a country, outcome, theme or
// objective match, or two shared words; ties go to the newer lesson. The
// best lessons from the project's own countries (up to countryReserve) are
// always among those offered.
func MatchLessons(p *Project, cands []LessonCandidate, limit int) []LessonMatch {
	countries := map[string]bool{}
	for _, c := range p.Countries {
		countries[c.Country] = true
	}
	outcomes := map[string]bool{}
	for _, c := range p.CountryOutcomes {
		outcomes[c] = true
	}
	objectives := map[Objective]bool{}
	for _, o := range p.Objectives {
		objectives[o.Objective] = true
		if o.Outcome != "" {
			outcomes[o.Outcome] = true
		}
	}
	budget := map[Assistance]bool{}
	for _, b := range p.Budget {
		budget[b.Type] = true
	}
	projectWords := wordSet(p.Title + " " + p.Description)

	var out []LessonMatch
	for _, c := range cands {
		l := c.Lesson
		m := LessonMatch{Lesson: l, Evaluation: c.Evaluation}
		strong := false
		if l.Country != "" && countries[l.Country] {
			m.Score += matchCountry
			m.Reasons = append(m.Reasons, "same country: "+CountryName(l.Country))
			strong = true
		}
		var shared []string
		for _, o := range c.Outcomes {
			if outcomes[o] && !slices.Contains(shared, o) {
				shared = append(shared, o)
			}
		}
		if len(shared) > 0 {
			sort.Strings(shared)
			m.Score += matchOutcome
			m.Reasons = append(m.Reasons, "same outcome: "+strings.Join(shared, ", "))
			strong = true
		}
		if theme := words(l.Theme); len(theme) > 0 && containsAll(projectWords, theme) {
			m.Score += matchTheme
			m.Reasons = append(m.Reasons, "same theme: "+l.Theme)
			strong = true
		}
		if l.Objective != "" && objectives[l.Objective] && len(shared) == 0 {
			m.Score += matchObjective
			m.Reasons = append(m.Reasons, "same strategic objective: "+l.Objective.Label())
			strong = true
		}
		if l.Assistance != "" && budget[l.Assistance] {
			m.Score += matchAssistance
			m.Reasons = append(m.Reasons, "same type of assistance: "+l.Assistance.Label())
		}
		var common []string
		for _, w := range words(l.Title + " " + l.Text) {
			if projectWords[w] && !slices.Contains(common, w) {
				common = append(common, w)
			}
		}
		if len(common) > 0 {
			sort.Strings(common)
			n := min(len(common), maxWordMatches)
			m.Score += n * matchWord
			m.Reasons = append(m.Reasons, "shared words: "+strings.Join(common[:n], ", "))
		}
		if strong || len(common) >= 2 {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Lesson.ID > out[j].Lesson.ID
	})
	if limit > 0 && len(out) > limit {
		out = keepCountryLessons(out, limit, countries)
	}
	return out
}

// countryReserve is how many of the best lessons from the project's own
// countries are always offered, even when lessons from elsewhere score
// higher.
const countryReserve = 3

// keepCountryLessons cuts the ranked matches to limit, keeping up to
// countryReserve lessons from the project's countries: they replace the
// lowest-ranked lessons from elsewhere. The result stays in rank order.
func keepCountryLessons(ranked []LessonMatch, limit int, countries map[string]bool) []LessonMatch {
	own := func(m LessonMatch) bool { return m.Lesson.Country != "" && countries[m.Lesson.Country] }
	reserve := 0
	for _, m := range ranked {
		if own(m) && reserve < min(countryReserve, limit) {
			reserve++
		}
	}
	keep := make([]bool, len(ranked))
	kept, ownKept := 0, 0
	for i, m := range ranked {
		if own(m) && ownKept < reserve {
			keep[i], ownKept, kept = true, ownKept+1, kept+1
		}
	}
	for i := range ranked {
		if kept == limit {
			break
		}
		if !keep[i] {
			keep[i], kept = true, kept+1
		}
	}
	out := make([]LessonMatch, 0, limit)
	for i, m := range ranked {
		if keep[i] {
			out = append(out, m)
		}
	}
	return out
}

// words splits text into its significant words: lower case, at least four
// letters, not among the commonest words, plurals folded ("districts" is
// "district", "policies" is "policy").
func words(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(f)) < 4 || stopWords[f] {
			continue
		}
		switch {
		case strings.HasSuffix(f, "ies") && len(f) > 4:
			f = strings.TrimSuffix(f, "ies") + "y"
		case strings.HasSuffix(f, "s") && !strings.HasSuffix(f, "ss") && len(f) > 4:
			f = strings.TrimSuffix(f, "s")
		}
		if !stopWords[f] {
			out = append(out, f)
		}
	}
	return out
}

func wordSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, w := range words(text) {
		set[w] = true
	}
	return set
}

func containsAll(set map[string]bool, ws []string) bool {
	for _, w := range ws {
		if !set[w] {
			return false
		}
	}
	return true
}

// stopWords are words too common in project documents to say anything
// about relevance.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after also among and before been being between both
		could does during each from have having into more most must national only other over project
		same should some such than that their them then there these they this those through under
		until very were what when where which while will with within without would year your
		activity support programme technical cooperation phase`) {
		m[w] = true
	}
	return m
}()

// LessonSuggester offers lessons to a project being designed or appraised.
type LessonSuggester interface {
	// SuggestLessons returns the lessons most relevant to a project, at
	// most limit (0: ten).
	SuggestLessons(ctx context.Context, projectID int64, limit int) ([]LessonMatch, error)
}

// String writes a match as one line, for logs and tests.
func (m LessonMatch) String() string {
	return fmt.Sprintf("%d %q (%d): %s", m.Lesson.ID, m.Lesson.Title, m.Score, strings.Join(m.Reasons, "; "))
}
