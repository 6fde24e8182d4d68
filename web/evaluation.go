package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tcmis/tcmis"
)

// evaluationStatuses are the states of an evaluation, in their order.
var evaluationStatuses = []tcmis.EvaluationStatus{tcmis.EvaluationPlanned, tcmis.EvaluationUnderway, tcmis.EvaluationDone, tcmis.EvaluationCancelled}

// independentType is the type filter that keeps every independent
// evaluation (internal, external and ex-post).
const independentType = "independent"

type evaluationListData struct {
	Evaluations []*tcmis.Evaluation
	Total       int
	Page        int
	Pages       int
	Statuses    []refOption
	Types       []refOption
	Today       time.Time
	// Project is the project the register is filtered by, if any.
	Project *tcmis.Project
	// Plan is the evaluations planned or under way, soonest due first,
	// at most planLimit of PlanTotal; Overdue counts those past their
	// date.
	Plan      []*tcmis.Evaluation
	PlanTotal int
	Overdue   int
	// Compliance counts the approved projects by where they stand
	// against the evaluation policy, in the order of ComplianceStates.
	Compliance []complianceCount
}

// complianceCount is how many projects are in a compliance state.
type complianceCount struct {
	State    tcmis.ComplianceState
	Label    string
	Projects int
}

// complianceStates are the compliance states with their English labels.
var complianceStates = []complianceCount{
	{State: tcmis.ComplianceMissing, Label: "A required evaluation is not planned"},
	{State: tcmis.ComplianceOverdue, Label: "An evaluation is overdue"},
	{State: tcmis.CompliancePlanned, Label: "Every required evaluation is planned"},
	{State: tcmis.ComplianceDone, Label: "Every required evaluation is done"},
	{State: tcmis.ComplianceNoPolicy, Label: "No policy in force at approval"},
}

const planLimit = 20

// evaluationToday is the day evaluations are overdue against.
func (s *Server) evaluationToday() time.Time { return s.cfg.Now().UTC().Truncate(24 * time.Hour) }

// evaluationList shows the evaluation plan (what is planned or under way,
// overdue first, as at today or the day "at" names) and the register of
// evaluations with its filters: status, type (or every independent type),
// year and project.
func (s *Server) evaluationList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	var f tcmis.EvaluationFilter
	var ps []tcmis.Problem
	if v := q.Get("status"); v != "" {
		st, err := tcmis.ParseEvaluationStatus(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "status", Message: err.Error()})
		}
		f.Status = &st
	}
	if v := q.Get("type"); v == independentType {
		yes := true
		f.Independent = &yes
	} else if v != "" {
		t, err := tcmis.ParseEvaluationType(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "type", Message: err.Error()})
		}
		f.Type = &t
	}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1950 || y > 2100 {
			ps = append(ps, tcmis.Problem{Field: "year", Message: "the year is a year such as 2005"})
		}
		f.Year = &y
	}
	if id, err := refQueryID(q, "project"); err != nil {
		ps = append(ps, tcmis.ErrorProblems(err)...)
	} else {
		f.ProjectID = id
	}
	today := s.evaluationToday()
	if v := q.Get("at"); v != "" {
		day, err := tcmis.ParseDate(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "at", Message: err.Error()})
		}
		today = day
	}
	if len(ps) > 0 {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "the evaluation register's filters", Problems: ps}
	}
	d := &evaluationListData{Today: today}
	for _, st := range evaluationStatuses {
		d.Statuses = append(d.Statuses, refOption{Value: string(st), Label: st.Label()})
	}
	d.Types = append(d.Types, refOption{Value: independentType, Label: "Any independent evaluation"})
	for _, t := range tcmis.EvaluationTypes() {
		d.Types = append(d.Types, refOption{Value: string(t), Label: t.Label()})
	}
	if f.ProjectID != nil {
		p, err := s.store.FindProjectByID(ctx, *f.ProjectID)
		if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
			return notFound("project")
		} else if err != nil {
			return err
		}
		d.Project = p
	}
	d.Page, f.Offset = refListPage(q)
	f.Limit = pageSize
	var err error
	if d.Evaluations, d.Total, err = s.store.FindEvaluations(ctx, f); err != nil {
		return err
	}
	d.Pages = refPages(d.Total)

	// The plan: planned and under way, of the project if one is chosen;
	// the store counts them and those overdue.
	open := true
	if d.Plan, d.PlanTotal, err = s.store.FindEvaluations(ctx, tcmis.EvaluationFilter{Open: &open, ProjectID: f.ProjectID, Limit: planLimit}); err != nil {
		return err
	}
	if d.Overdue, err = s.store.CountEvaluations(ctx, tcmis.EvaluationFilter{OverdueOn: &d.Today, ProjectID: f.ProjectID}); err != nil {
		return err
	}

	// Where the approved projects stand against the evaluation policy.
	cs, err := s.store.EvaluationCompliance(ctx, tcmis.ComplianceFilter{ProjectID: f.ProjectID, Today: d.Today})
	if err != nil {
		return err
	}
	d.Compliance = append([]complianceCount(nil), complianceStates...)
	for _, c := range cs {
		for i := range d.Compliance {
			if d.Compliance[i].State == c.State {
				d.Compliance[i].Projects++
			}
		}
	}
	s.render(w, r, http.StatusOK, "evaluations", s.newPage(w, r, u, "Evaluations", "evaluations", d))
	return nil
}

type evaluationPageData struct {
	Evaluation *tcmis.Evaluation
	Project    *tcmis.Project
	Programme  *tcmis.CountryProgramme
	Overdue    bool
	// Constituents name those who took part, in English.
	Constituents []string
	Lessons      []*tcmis.Lesson
	// Compliance is where the evaluated project stands against the
	// evaluation policy, when it was approved.
	Compliance *tcmis.Compliance
	// LessonForm is the form to add a lesson, with its values and
	// problems when it came back invalid.
	LessonForm *lessonFormData
}

// evaluationPage shows an evaluation, what it evaluates, its ratings and
// findings, and the lessons drawn from it, with a form to add one.
func (s *Server) evaluationPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	e, err := s.findEvaluation(r)
	if err != nil {
		return err
	}
	d, err := s.evaluationPageData(r, e)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "evaluation", s.newPage(w, r, u, e.Title, "evaluations", d))
	return nil
}

func (s *Server) evaluationPageData(r *http.Request, e *tcmis.Evaluation) (*evaluationPageData, error) {
	ctx := r.Context()
	d := &evaluationPageData{Evaluation: e, Overdue: e.Overdue(s.evaluationToday()), LessonForm: newLessonForm(nil)}
	for _, c := range []struct {
		c    tcmis.Constituents
		name string
	}{{tcmis.Governments, "Government"}, {tcmis.Employers, "Employers"}, {tcmis.Workers, "Workers"}} {
		if e.Constituents&c.c != 0 {
			d.Constituents = append(d.Constituents, c.name)
		}
	}
	var err error
	if e.ProjectID != 0 {
		if d.Project, err = s.store.FindProjectByID(ctx, e.ProjectID); err != nil {
			return nil, err
		}
		cs, err := s.store.EvaluationCompliance(ctx, tcmis.ComplianceFilter{ProjectID: &e.ProjectID, Today: s.evaluationToday()})
		if err != nil {
			return nil, err
		}
		if len(cs) > 0 {
			d.Compliance = cs[0]
		}
	}
	if e.ProgrammeID != 0 {
		if d.Programme, err = s.store.FindProgrammeByID(ctx, e.ProgrammeID); err != nil {
			return nil, err
		}
	}
	if d.Lessons, _, err = s.store.FindLessons(ctx, tcmis.LessonFilter{EvaluationID: &e.ID}); err != nil {
		return nil, err
	}
	return d, nil
}

// findEvaluation loads the evaluation of the route's {id}.
func (s *Server) findEvaluation(r *http.Request) (*tcmis.Evaluation, error) {
	id, err := pathID(r, "evaluation")
	if err != nil {
		return nil, err
	}
	e, err := s.store.FindEvaluationByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return nil, notFound("evaluation")
	}
	return e, err
}
