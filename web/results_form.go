package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tcmis/tcmis"
)

// The forms that add to the results framework: an outcome of a biennium,
// an indicator of an outcome, a target of an indicator for a biennium,
// and a reported result. One template shows them all; Kind says which.

type resultsFormData struct {
	Kind       string // "outcome", "indicator", "target", "result"
	Action     string
	Biennium   tcmis.Biennium
	Values     url.Values
	Objectives []refOption
	Outcomes   []refOption
	Indicators []refOption
}

var resultsFormTitles = map[string]string{
	"outcome": "New outcome", "indicator": "New indicator", "target": "New target", "result": "Report a result",
}

// resultsBiennium is the biennium a form works in: the query's, else the
// latest with outcomes.
func (s *Server) resultsBiennium(r *http.Request, v string) (tcmis.Biennium, error) {
	if v != "" {
		b, err := tcmis.ParseBiennium(v)
		if err != nil {
			return "", &tcmis.Error{Code: tcmis.EINVALID, Message: "the biennium", Problems: []tcmis.Problem{{Field: "biennium", Message: err.Error()}}}
		}
		return b, nil
	}
	all, _, err := s.store.FindOutcomes(r.Context(), tcmis.ResultFilter{})
	if err != nil {
		return "", err
	}
	var b tcmis.Biennium
	for _, o := range all {
		b = max(b, o.Biennium)
	}
	return b, nil
}

// resultsForm prepares a form of a kind with its choices for the
// biennium.
func (s *Server) resultsForm(r *http.Request, kind string, b tcmis.Biennium, v url.Values) (*resultsFormData, error) {
	ctx := r.Context()
	d := &resultsFormData{Kind: kind, Biennium: b, Values: v, Objectives: refObjectiveOptions()}
	d.Action = map[string]string{"outcome": "/results/outcomes/new", "indicator": "/results/indicators/new",
		"target": "/results/targets/new", "result": "/results/reported/new"}[kind]
	switch kind {
	case "indicator":
		outcomes, _, err := s.store.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b})
		if err != nil {
			return nil, err
		}
		for _, o := range outcomes {
			d.Outcomes = append(d.Outcomes, refOption{Value: strconv.FormatInt(o.ID, 10), Label: o.Code + " " + o.Title, Raw: true})
		}
	case "target", "result":
		outcomes, _, err := s.store.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b})
		if err != nil {
			return nil, err
		}
		code := map[int64]string{}
		for _, o := range outcomes {
			code[o.ID] = o.Code
		}
		inds, _, err := s.store.FindIndicators(ctx, tcmis.ResultFilter{Biennium: &b})
		if err != nil {
			return nil, err
		}
		for _, i := range inds {
			d.Indicators = append(d.Indicators, refOption{Value: strconv.FormatInt(i.ID, 10), Label: code[i.OutcomeID] + " · " + i.Code + " " + i.Title, Raw: true})
		}
	}
	return d, nil
}

// resultsNewForm shows an empty form of a kind; the query may name the
// biennium, the outcome or the indicator it is for.
func (s *Server) resultsNewForm(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		q := r.URL.Query()
		b, err := s.resultsBiennium(r, q.Get("biennium"))
		if err != nil {
			return err
		}
		v := url.Values{"biennium": {string(b)}, "objective": {q.Get("objective")},
			"outcome_id": {q.Get("outcome")}, "indicator_id": {q.Get("indicator")}}
		if kind == "result" {
			v.Set("reported", refDayInput(s.cfg.Now().UTC()))
		}
		d, err := s.resultsForm(r, kind, b, v)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "results_form", s.newPage(w, r, u, resultsFormTitles[kind], "results", d))
		return nil
	}
}

// resultsCreate stores what a form of a kind describes.
func (s *Server) resultsCreate(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		ctx := r.Context()
		f, err := readRefForm(r)
		if err != nil {
			return err
		}
		b := tcmis.Biennium(f.text("biennium"))
		if pb, err := tcmis.ParseBiennium(string(b)); err == nil {
			b = pb
		}
		var msg string
		switch kind {
		case "outcome":
			o := &tcmis.Outcome{Code: f.text("code"), Biennium: b, Objective: tcmis.Objective(f.text("objective")), Title: f.text("title")}
			if err = f.check("outcome "+o.Code, o.Validate); err == nil {
				err = s.store.CreateOutcome(ctx, o)
			}
			msg = refT(r, "Outcome %s added.", o.Code)
		case "indicator":
			i := &tcmis.Indicator{OutcomeID: f.id("outcome_id"), Code: f.text("code"), Title: f.text("title"), Unit: f.text("unit"),
				Baseline: f.decimal("baseline"), BaselineYear: f.integer("baseline_year")}
			if err = f.check("indicator "+i.Code, i.Validate); err == nil {
				err = s.store.CreateIndicator(ctx, i)
			}
			msg = refT(r, "Indicator %s added.", i.Code)
		case "target":
			t := &tcmis.Target{IndicatorID: f.id("indicator_id"), Biennium: b, Value: f.decimal("value"), Note: f.text("note")}
			if f.text("value") == "" {
				f.bad("value", "the target needs a value")
			}
			if err = f.check("target", t.Validate); err == nil {
				err = s.store.CreateTarget(ctx, t)
			}
			msg = refT(r, "Target added.")
		case "result":
			res := &tcmis.Result{IndicatorID: f.id("indicator_id"), Biennium: b, Value: f.decimal("value"),
				Reported: f.date("reported"), Evidence: f.text("evidence")}
			if f.text("value") == "" {
				f.bad("value", "the result needs a value")
			}
			if code := f.text("project_id"); code != "" {
				p, perr := s.store.FindProjectByCode(ctx, code)
				switch {
				case perr == nil:
					res.ProjectID = p.ID
				case tcmis.ErrorCode(perr) == tcmis.ENOTFOUND:
					f.bad("project_id", "there is no project with code %s", code)
				default:
					return perr
				}
			}
			if err = f.check("result", res.Validate); err == nil {
				err = s.store.CreateResult(ctx, res)
			}
			msg = refT(r, "Result reported.")
		}
		if err != nil {
			d, ferr := s.resultsForm(r, kind, b, r.PostForm)
			if ferr != nil {
				return ferr
			}
			return s.refFormAgain(w, r, s.newPage(w, r, u, resultsFormTitles[kind], "results", d), "results_form", err)
		}
		return s.refSaved(w, r, msg, "/results?biennium="+url.QueryEscape(string(b)))
	}
}
