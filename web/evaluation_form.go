package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tcmis/tcmis"
)

// The evaluation form plans an evaluation or records it: its subject (a
// project, by code; a country programme; a theme), type and timing, the
// date planned and, once done, the date it was completed, the ratings,
// the constituents who took part, the evaluator and the findings.

type evaluationFormData struct {
	// Evaluation is the evaluation edited; nil for a new one.
	Evaluation *tcmis.Evaluation
	Values     url.Values
	Subjects   []refOption
	Types      []refOption
	Timings    []refOption
	Statuses   []refOption
	Programmes []refOption
	Ratings    []refOption
	// Criteria are the rated criteria: field name and English label.
	Criteria     []refOption
	Constituents []refOption
}

func (s *Server) evaluationForm(r *http.Request, e *tcmis.Evaluation, v url.Values) (*evaluationFormData, error) {
	d := &evaluationFormData{Evaluation: e, Values: v}
	for _, x := range []tcmis.Subject{tcmis.SubjectProject, tcmis.SubjectProgramme, tcmis.SubjectTheme} {
		d.Subjects = append(d.Subjects, refOption{Value: string(x), Label: x.Label()})
	}
	for _, x := range tcmis.EvaluationTypes() {
		d.Types = append(d.Types, refOption{Value: string(x), Label: x.Label()})
	}
	for _, x := range tcmis.Timings() {
		d.Timings = append(d.Timings, refOption{Value: string(x), Label: x.Label()})
	}
	for _, x := range evaluationStatuses {
		d.Statuses = append(d.Statuses, refOption{Value: string(x), Label: x.Label()})
	}
	progs, _, err := s.store.FindProgrammes(r.Context(), tcmis.ProgrammeFilter{})
	if err != nil {
		return nil, err
	}
	for _, c := range progs {
		d.Programmes = append(d.Programmes, refOption{Value: strconv.FormatInt(c.ID, 10), Label: c.Title, Raw: true})
	}
	d.Ratings = []refOption{{Value: "1", Label: "1 Highly unsatisfactory"}, {Value: "2", Label: "2 Unsatisfactory"},
		{Value: "3", Label: "3 Somewhat unsatisfactory"}, {Value: "4", Label: "4 Somewhat satisfactory"},
		{Value: "5", Label: "5 Satisfactory"}, {Value: "6", Label: "6 Highly satisfactory"}}
	d.Criteria = []refOption{{Value: "relevance", Label: "Relevance"}, {Value: "efficiency", Label: "Efficiency"},
		{Value: "effectiveness", Label: "Effectiveness"}, {Value: "impact", Label: "Impact"}, {Value: "sustainability", Label: "Sustainability"}}
	d.Constituents = []refOption{{Value: "government", Label: "Government"}, {Value: "employers", Label: "Employers"}, {Value: "workers", Label: "Workers"}}
	return d, nil
}

func (s *Server) evaluationValues(r *http.Request, e *tcmis.Evaluation) (url.Values, error) {
	v := url.Values{
		"title": {e.Title}, "subject": {string(e.Subject)}, "programme_id": {refIDInput(e.ProgrammeID)}, "theme": {e.Theme},
		"type": {string(e.Type)}, "timing": {string(e.Timing)}, "status": {string(e.Status)},
		"planned": {refDayInput(e.Planned)}, "actual": {refDayInput(e.Actual)},
		"ratings.relevance": {refIntInput(e.Ratings.Relevance)}, "ratings.efficiency": {refIntInput(e.Ratings.Efficiency)},
		"ratings.effectiveness": {refIntInput(e.Ratings.Effectiveness)}, "ratings.impact": {refIntInput(e.Ratings.Impact)},
		"ratings.sustainability": {refIntInput(e.Ratings.Sustainability)},
		"budget_usd":             {refUSDInput(e.Budget)}, "evaluator": {e.Evaluator}, "summary": {e.Summary},
		"version": {strconv.Itoa(e.Version)},
	}
	for _, c := range []struct {
		name string
		c    tcmis.Constituents
	}{{"government", tcmis.Governments}, {"employers", tcmis.Employers}, {"workers", tcmis.Workers}} {
		if e.Constituents&c.c != 0 {
			v.Add("constituents", c.name)
		}
	}
	if e.ProjectID != 0 {
		p, err := s.store.FindProjectByID(r.Context(), e.ProjectID)
		if err != nil {
			return nil, err
		}
		v.Set("project_id", p.Code)
	}
	return v, nil
}

// readEvaluation reads the form into e; the project is given by its code.
func (s *Server) readEvaluation(r *http.Request, e *tcmis.Evaluation) error {
	f, err := readRefForm(r)
	if err != nil {
		return err
	}
	e.Title = f.text("title")
	e.Subject = tcmis.Subject(f.text("subject"))
	e.ProjectID, e.ProgrammeID, e.Theme = 0, 0, ""
	switch e.Subject {
	case tcmis.SubjectProject:
		if code := f.text("project_id"); code != "" {
			p, err := s.store.FindProjectByCode(r.Context(), code)
			switch {
			case err == nil:
				e.ProjectID = p.ID
			case tcmis.ErrorCode(err) == tcmis.ENOTFOUND:
				f.bad("project_id", "there is no project with code %s", code)
			default:
				return err
			}
		}
	case tcmis.SubjectProgramme:
		e.ProgrammeID = f.id("programme_id")
	case tcmis.SubjectTheme:
		e.Theme = f.text("theme")
	}
	e.Type = tcmis.EvaluationType(f.text("type"))
	e.Timing = tcmis.Timing(f.text("timing"))
	e.Status = tcmis.EvaluationStatus(f.text("status"))
	e.Planned = f.date("planned")
	e.Actual = f.date("actual")
	e.Ratings = tcmis.Ratings{
		Relevance: f.integer("ratings.relevance"), Efficiency: f.integer("ratings.efficiency"),
		Effectiveness: f.integer("ratings.effectiveness"), Impact: f.integer("ratings.impact"),
		Sustainability: f.integer("ratings.sustainability"),
	}
	e.Constituents = 0
	for _, c := range r.PostForm["constituents"] {
		x, err := tcmis.ParseConstituents(c)
		if err != nil {
			f.bad("constituents", "%v", err)
		}
		e.Constituents |= x
	}
	e.Budget = f.usd("budget_usd")
	e.Evaluator = f.text("evaluator")
	e.Summary = f.text("summary")
	e.Version = f.version()
	return f.check("evaluation "+e.Title, e.Validate)
}

func (s *Server) evaluationNewForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	v := url.Values{"subject": {string(tcmis.SubjectProject)}, "status": {string(tcmis.EvaluationPlanned)},
		"type": {string(tcmis.SelfEvaluation)}, "timing": {string(tcmis.Final)}}
	if id, err := refQueryID(r.URL.Query(), "project"); err != nil {
		return err
	} else if id != nil {
		p, err := s.store.FindProjectByID(r.Context(), *id)
		if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
			return notFound("project")
		} else if err != nil {
			return err
		}
		v.Set("project_id", p.Code)
		v.Set("title", "Final evaluation: "+p.Title+" ("+p.Code+")")
		v.Set("planned", refDayInput(p.End))
	}
	d, err := s.evaluationForm(r, nil, v)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "evaluation_form", s.newPage(w, r, u, "Plan an evaluation", "evaluations", d))
	return nil
}

func (s *Server) evaluationCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	e := &tcmis.Evaluation{}
	err := s.readEvaluation(r, e)
	if err == nil {
		err = s.store.CreateEvaluation(r.Context(), e)
	}
	if err != nil {
		d, ferr := s.evaluationForm(r, nil, r.PostForm)
		if ferr != nil {
			return ferr
		}
		return s.refFormAgain(w, r, s.newPage(w, r, u, "Plan an evaluation", "evaluations", d), "evaluation_form", err)
	}
	return s.refSaved(w, r, refT(r, "Evaluation saved."), "/evaluations/"+strconv.FormatInt(e.ID, 10))
}

func (s *Server) evaluationEditForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	e, err := s.findEvaluation(r)
	if err != nil {
		return err
	}
	v, err := s.evaluationValues(r, e)
	if err != nil {
		return err
	}
	d, err := s.evaluationForm(r, e, v)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "evaluation_form", s.newPage(w, r, u, "Edit evaluation", "evaluations", d))
	return nil
}

func (s *Server) evaluationUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	old, err := s.findEvaluation(r)
	if err != nil {
		return err
	}
	e := &tcmis.Evaluation{ID: old.ID}
	err = s.readEvaluation(r, e)
	if err == nil {
		err = s.store.UpdateEvaluation(r.Context(), e)
	}
	if err != nil {
		d, ferr := s.evaluationForm(r, old, r.PostForm)
		if ferr != nil {
			return ferr
		}
		return s.refFormAgain(w, r, s.newPage(w, r, u, "Edit evaluation", "evaluations", d), "evaluation_form", err)
	}
	return s.refSaved(w, r, refT(r, "Evaluation saved."), "/evaluations/"+strconv.FormatInt(e.ID, 10))
}
