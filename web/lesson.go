package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/tcmis/tcmis"
)

type lessonRow struct {
	Lesson     *tcmis.Lesson
	Evaluation *tcmis.Evaluation
}

type lessonListData struct {
	Rows       []lessonRow
	Total      int
	Page       int
	Pages      int
	Objectives []refOption
	Countries  []refOption
	Themes     []string
}

// lessonList searches the lessons learned and good practices by words of
// their title and text, theme, country and strategic objective; each
// links the evaluation it was drawn from and the evaluated project.
func (s *Server) lessonList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := tcmis.LessonFilter{Search: strings.TrimSpace(q.Get("q"))}
	if v := strings.ToUpper(strings.TrimSpace(q.Get("country"))); v != "" {
		f.Country = &v
	}
	if v := strings.TrimSpace(q.Get("theme")); v != "" {
		f.Theme = &v
	}
	if v := q.Get("objective"); v != "" {
		o, err := tcmis.ParseObjective(v)
		if err != nil {
			return &tcmis.Error{Code: tcmis.EINVALID, Message: "the lesson search's filters", Problems: []tcmis.Problem{{Field: "objective", Message: err.Error()}}}
		}
		f.Objective = &o
	}
	d := &lessonListData{Objectives: refObjectiveOptions()}
	d.Page, f.Offset = refListPage(q)
	f.Limit = pageSize
	lessons, total, err := s.store.FindLessons(ctx, f)
	if err != nil {
		return err
	}
	d.Total, d.Pages = total, refPages(total)
	evals := map[int64]*tcmis.Evaluation{}
	for _, l := range lessons {
		e, ok := evals[l.EvaluationID]
		if !ok {
			e, err = s.store.FindEvaluationByID(ctx, l.EvaluationID)
			if err != nil && tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
				return err
			}
			evals[l.EvaluationID] = e
		}
		d.Rows = append(d.Rows, lessonRow{Lesson: l, Evaluation: e})
	}
	// The choices of the filters are the themes and countries lessons have.
	all, _, err := s.store.FindLessons(ctx, tcmis.LessonFilter{})
	if err != nil {
		return err
	}
	themes, countries := map[string]bool{}, map[string]bool{}
	for _, l := range all {
		if l.Theme != "" {
			themes[l.Theme] = true
		}
		if l.Country != "" {
			countries[l.Country] = true
		}
	}
	for t := range themes {
		d.Themes = append(d.Themes, t)
	}
	sort.Strings(d.Themes)
	for c := range countries {
		d.Countries = append(d.Countries, refOption{Value: c, Label: tcmis.CountryName(c), Raw: true})
	}
	sort.Slice(d.Countries, func(i, j int) bool { return d.Countries[i].Label < d.Countries[j].Label })
	s.render(w, r, http.StatusOK, "lessons", s.newPage(w, r, u, "Lessons", "lessons", d))
	return nil
}
