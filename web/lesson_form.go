package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tcmis/tcmis"
)

// lessonFormData is the form, on an evaluation's page, that adds a lesson
// learned or a good practice drawn from it.
type lessonFormData struct {
	Values      url.Values
	Kinds       []refOption
	Objectives  []refOption
	Countries   []refOption
	Assistances []refOption
}

func newLessonForm(v url.Values) *lessonFormData {
	if v == nil {
		v = url.Values{"kind": {string(tcmis.LessonLearned)}}
	}
	d := &lessonFormData{Values: v, Objectives: refObjectiveOptions(), Countries: refCountryOptions()}
	for _, k := range []tcmis.LessonKind{tcmis.LessonLearned, tcmis.GoodPractice} {
		d.Kinds = append(d.Kinds, refOption{Value: string(k), Label: k.Label()})
	}
	for _, a := range tcmis.AssistanceTypes() {
		d.Assistances = append(d.Assistances, refOption{Value: string(a), Label: a.Label()})
	}
	return d
}

// lessonCreate adds a lesson to the evaluation of the route's {id}; an
// invalid lesson shows the evaluation's page again with the form's
// problems.
func (s *Server) lessonCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	e, err := s.findEvaluation(r)
	if err != nil {
		return err
	}
	f, err := readRefForm(r)
	if err != nil {
		return err
	}
	l := &tcmis.Lesson{EvaluationID: e.ID, Kind: tcmis.LessonKind(f.text("kind")), Title: f.text("title"), Text: f.text("text"),
		Objective: tcmis.Objective(f.text("objective")), Country: f.text("country"), Theme: f.text("theme"),
		Assistance: tcmis.Assistance(f.text("assistance"))}
	err = f.check("lesson", l.Validate)
	if err == nil {
		err = s.store.CreateLesson(r.Context(), l)
	}
	if err != nil {
		d, derr := s.evaluationPageData(r, e)
		if derr != nil {
			return derr
		}
		d.LessonForm = newLessonForm(r.PostForm)
		return s.refFormAgain(w, r, s.newPage(w, r, u, e.Title, "evaluations", d), "evaluation", err)
	}
	return s.refSaved(w, r, refT(r, "Lesson %q added.", l.Title), "/evaluations/"+strconv.FormatInt(e.ID, 10)+"#lessons")
}
