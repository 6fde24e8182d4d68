package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// criterionRow is a criterion of the appraisal form with what the
// project's record says about it.
type criterionRow struct {
	Code      tcmis.Criterion
	Mandatory bool
	Evidence  string
}

func appraisalCriteria(p *tcmis.Project) []criterionRow {
	var out []criterionRow
	for _, c := range tcmis.Criteria() {
		out = append(out, criterionRow{Code: c, Mandatory: c.Mandatory(), Evidence: tcmis.Evidence(p, c)})
	}
	return out
}

// projectAppraisal records an appraisal of a project in appraisal: a
// finding on each criterion, the evaluation budget and whether a
// mid-term evaluation is agreed. Approval then checks the latest one.
func (s *Server) projectAppraisal(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	if !u.CanEditProject(p) {
		return u.Forbid("appraise project " + p.Code)
	}
	if err := r.ParseForm(); err != nil {
		return tcmis.Errorf(tcmis.EINVALID, "the form could not be read")
	}
	f := r.PostForm
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	var fe formErrors
	a := tcmis.NewAppraisal(p.ID)
	a.Appraiser, a.Summary = get("appraisal_appraiser"), get("appraisal_summary")
	a.MidTermAgreed = get("appraisal_midterm") != ""
	if v := get("appraisal_date"); v == "" {
		a.Date = s.cfg.Now().UTC()
	} else if d, err := tcmis.ParseDate(v); err != nil {
		fe.add("appraisal_date", "%v", err)
	} else {
		a.Date = d
	}
	if v := get("appraisal_budget"); v != "" {
		n, err := tcmis.ParseAmount(v, tcmis.USD)
		if err != nil {
			fe.add("appraisal_budget", "%v", err)
		}
		a.EvaluationBudget = n
	}
	for _, c := range tcmis.Criteria() {
		res, err := tcmis.ParseAssessment(get("crit_" + string(c)))
		if get("crit_"+string(c)) == "" {
			res, err = tcmis.NotAssessed, nil
		}
		if err != nil {
			fe.add("crit_"+string(c), "%v", err)
		}
		a.Set(c, res, get("crit_"+string(c)+"_comment"))
	}
	if err := fe.err("the appraisal"); err != nil {
		return s.formFailed(w, r, u, p, "appraisal", err)
	}
	if err := s.store.CreateAppraisal(r.Context(), a); err != nil {
		return s.saveFailed(w, r, u, p, "appraisal", appraisalFields(err, a))
	}
	pg := &page{Lang: language(r)}
	msg := pg.T("Appraisal of %s recorded.", p.Code)
	if err := a.CanApprove(); err != nil {
		msg += " " + pg.T("It does not allow approval yet.")
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"#cycle", http.StatusSeeOther)
	return nil
}

// appraisalFields renames the appraisal's problems to the form's inputs.
func appraisalFields(err error, a *tcmis.ProjectAppraisal) error {
	var e *tcmis.Error
	if !errors.As(err, &e) || len(e.Problems) == 0 {
		return err
	}
	c := *e
	c.Problems = make([]tcmis.Problem, len(e.Problems))
	for i, pr := range e.Problems {
		f := pr.Field
		switch {
		case f == "appraiser" || f == "date" || f == "summary":
			f = "appraisal_" + f
		case f == "evaluation_budget_usd":
			f = "appraisal_budget"
		case strings.HasPrefix(f, "criteria["):
			var n int
			if _, err := fmt.Sscanf(f, "criteria[%d]", &n); err == nil && n >= 0 && n < len(a.Criteria) {
				f = "crit_" + string(a.Criteria[n].Criterion)
			}
		}
		c.Problems[i] = tcmis.Problem{Field: f, Message: pr.Message}
	}
	return &c
}
