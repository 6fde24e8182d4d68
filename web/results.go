package web

import (
	"net/http"
	"sort"

	"github.com/tcmis/tcmis"
)

// resultsOutcome is an outcome of the biennium with the progress of its
// indicators.
type resultsOutcome struct {
	Outcome    *tcmis.Outcome
	Indicators []tcmis.IndicatorProgress
}

// resultsObjective groups a biennium's outcomes under their strategic
// objective.
type resultsObjective struct {
	Objective tcmis.Objective
	Outcomes  []*resultsOutcome
}

type resultsData struct {
	Biennium   tcmis.Biennium
	Bienniums  []tcmis.Biennium
	Objectives []refOption
	Groups     []*resultsObjective
	// Indicators, Targets, Met and Reported count the biennium's
	// indicators, those with a target, those whose target is met and
	// those with a reported result.
	Indicators, Targets, Met, Reported int
}

// resultsPage shows the results framework of a biennium: its outcomes by
// strategic objective, each indicator with its target, the latest result
// reported and what projects contributed.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	all, _, err := s.store.FindOutcomes(ctx, tcmis.ResultFilter{})
	if err != nil {
		return err
	}
	d := &resultsData{Objectives: refObjectiveOptions()}
	seen := map[tcmis.Biennium]bool{}
	for _, o := range all {
		if !seen[o.Biennium] {
			seen[o.Biennium] = true
			d.Bienniums = append(d.Bienniums, o.Biennium)
		}
	}
	sort.Slice(d.Bienniums, func(i, j int) bool { return d.Bienniums[i] > d.Bienniums[j] })
	var ps []tcmis.Problem
	if v := q.Get("biennium"); v != "" {
		b, err := tcmis.ParseBiennium(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "biennium", Message: err.Error()})
		}
		d.Biennium = b
	} else if len(d.Bienniums) > 0 {
		d.Biennium = d.Bienniums[0]
	}
	var objective *tcmis.Objective
	if v := q.Get("objective"); v != "" {
		o, err := tcmis.ParseObjective(v)
		if err != nil {
			ps = append(ps, tcmis.Problem{Field: "objective", Message: err.Error()})
		}
		objective = &o
	}
	if len(ps) > 0 {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "the results framework's filters", Problems: ps}
	}
	if d.Biennium != "" {
		outcomes, _, err := s.store.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &d.Biennium, Objective: objective})
		if err != nil {
			return err
		}
		progress, err := s.store.BienniumResults(ctx, d.Biennium, objective)
		if err != nil {
			return err
		}
		byOutcome := map[int64]*resultsOutcome{}
		groups := map[tcmis.Objective]*resultsObjective{}
		for _, o := range outcomes {
			g := groups[o.Objective]
			if g == nil {
				g = &resultsObjective{Objective: o.Objective}
				groups[o.Objective] = g
			}
			ro := &resultsOutcome{Outcome: o}
			byOutcome[o.ID] = ro
			g.Outcomes = append(g.Outcomes, ro)
		}
		for _, ip := range progress {
			ro := byOutcome[ip.Outcome.ID]
			if ro == nil {
				continue
			}
			ro.Indicators = append(ro.Indicators, ip)
			d.Indicators++
			if ip.Target != nil {
				d.Targets++
			}
			if ip.Met {
				d.Met++
			}
			if ip.HasResult {
				d.Reported++
			}
		}
		for _, o := range tcmis.Objectives() {
			if g := groups[o]; g != nil {
				sort.SliceStable(g.Outcomes, func(i, j int) bool { return g.Outcomes[i].Outcome.Code < g.Outcomes[j].Outcome.Code })
				d.Groups = append(d.Groups, g)
			}
		}
	}
	s.render(w, r, http.StatusOK, "results", s.newPage(w, r, u, "Results framework", "results", d))
	return nil
}
