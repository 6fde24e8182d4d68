package tcmis

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Results by biennium: each indicator's target against the results
// reported, and what each project contributed; and, where the framework
// of the next biennium changes, the unmet targets carried over to it.

// Contribution is a result a project reported towards an indicator.
type Contribution struct {
	ProjectID int64     `json:"project_id"`
	Value     Decimal   `json:"value"`
	Reported  time.Time `json:"reported"`
	Evidence  string    `json:"evidence"`
}

// IndicatorProgress is one indicator of a biennium: its target, the latest
// reported result, how far that goes towards the target, and the
// contributions of projects.
type IndicatorProgress struct {
	Biennium  Biennium   `json:"biennium"`
	Outcome   *Outcome   `json:"outcome"`
	Indicator *Indicator `json:"indicator"`
	// Target is nil when the biennium sets none for the indicator.
	Target *Target `json:"target,omitempty"`
	// Achieved is the value of the latest result reported (results are
	// cumulative over the biennium: an interim report, then the
	// implementation report); HasResult is false when none was.
	Achieved  Decimal   `json:"achieved"`
	HasResult bool      `json:"has_result"`
	Reported  time.Time `json:"reported,omitempty"`
	Evidence  string    `json:"evidence,omitempty"`
	// Percent is Achieved as a share of the target, when there is a
	// positive target and a result.
	Percent       Percent        `json:"percent"`
	HasPercent    bool           `json:"has_percent"`
	Met           bool           `json:"met"`
	Contributions []Contribution `json:"contributions,omitempty"`
}

// BienniumProgress assembles the progress of every indicator of the
// biennium's outcomes, by outcome code and indicator code. Targets and
// results of other bienniums are ignored.
func BienniumProgress(b Biennium, outcomes []*Outcome, indicators []*Indicator, targets []*Target, results []*Result) []IndicatorProgress {
	byOutcome := map[int64]*Outcome{}
	for _, o := range outcomes {
		if o.Biennium == b {
			byOutcome[o.ID] = o
		}
	}
	target := map[int64]*Target{}
	for _, t := range targets {
		if t.Biennium == b {
			target[t.IndicatorID] = t
		}
	}
	reported := map[int64][]*Result{}
	for _, r := range results {
		if r.Biennium == b {
			reported[r.IndicatorID] = append(reported[r.IndicatorID], r)
		}
	}
	var out []IndicatorProgress
	for _, ind := range indicators {
		o := byOutcome[ind.OutcomeID]
		if o == nil {
			continue
		}
		ip := IndicatorProgress{Biennium: b, Outcome: o, Indicator: ind, Target: target[ind.ID]}
		rs := reported[ind.ID]
		sort.SliceStable(rs, func(i, j int) bool {
			if !rs[i].Reported.Equal(rs[j].Reported) {
				return rs[i].Reported.Before(rs[j].Reported)
			}
			return rs[i].ID < rs[j].ID
		})
		for _, r := range rs {
			ip.Achieved, ip.HasResult, ip.Reported, ip.Evidence = r.Value, true, r.Reported, r.Evidence
			if r.ProjectID != 0 {
				ip.Contributions = append(ip.Contributions, Contribution{ProjectID: r.ProjectID, Value: r.Value, Reported: r.Reported, Evidence: r.Evidence})
			}
		}
		if ip.Target != nil && ip.HasResult {
			ip.Percent, ip.HasPercent = DeliveryRate(int64(ip.Achieved), int64(ip.Target.Value))
			ip.Met = ip.Achieved >= ip.Target.Value
		}
		out = append(out, ip)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Outcome.Code != out[j].Outcome.Code {
			return out[i].Outcome.Code < out[j].Outcome.Code
		}
		return out[i].Indicator.Code < out[j].Indicator.Code
	})
	return out
}

// CarriedIndicator is an indicator added to the next biennium with its
// target, because its target was not met and the next framework does not
// have it.
type CarriedIndicator struct {
	Indicator *Indicator `json:"indicator"`
	Target    *Target    `json:"target"`
}

// CarriedOutcome is an outcome of the next biennium that receives carried
// indicators: a new one when the next framework dropped the outcome
// (IsNew), or an existing one that dropped an indicator.
type CarriedOutcome struct {
	Outcome    *Outcome           `json:"outcome"`
	IsNew      bool               `json:"new"`
	Indicators []CarriedIndicator `json:"indicators"`
}

// CarryPlan is what carrying a biennium's unmet targets adds to the next.
type CarryPlan struct {
	From     Biennium         `json:"from"`
	To       Biennium         `json:"to"`
	Outcomes []CarriedOutcome `json:"outcomes"`
}

// CarryForward returns what must be added to biennium to so that the
// unmet targets of from are not lost where the results framework changes.
// An indicator whose outcome and code the next framework keeps continues
// there and needs nothing. One the next framework lacks is carried over if
// it had a target that was not met: it is added, under the same outcome
// code (the outcome too if the next framework dropped it), with the value
// reached as its baseline and the unmet target as its target.
func CarryForward(from, to Biennium, progress []IndicatorProgress, next []*Outcome, nextIndicators []*Indicator) CarryPlan {
	plan := CarryPlan{From: from, To: to}
	nextOutcome := map[string]*Outcome{}
	for _, o := range next {
		if o.Biennium == to {
			nextOutcome[o.Code] = o
		}
	}
	kept := map[string]bool{} // outcome code + "/" + indicator code
	codeOf := map[int64]string{}
	for _, o := range next {
		codeOf[o.ID] = o.Code
	}
	for _, ind := range nextIndicators {
		if code, ok := codeOf[ind.OutcomeID]; ok {
			kept[code+"/"+ind.Code] = true
		}
	}
	index := map[string]int{} // outcome code -> position in plan.Outcomes
	for _, ip := range progress {
		if ip.Biennium != from || ip.Target == nil || ip.Met || kept[ip.Outcome.Code+"/"+ip.Indicator.Code] {
			continue
		}
		i, ok := index[ip.Outcome.Code]
		if !ok {
			co := CarriedOutcome{Outcome: nextOutcome[ip.Outcome.Code]}
			if co.Outcome == nil {
				co.Outcome = &Outcome{Code: ip.Outcome.Code, Biennium: to, Objective: ip.Outcome.Objective, Title: ip.Outcome.Title}
				co.IsNew = true
			}
			plan.Outcomes = append(plan.Outcomes, co)
			i = len(plan.Outcomes) - 1
			index[ip.Outcome.Code] = i
		}
		baseline, year := ip.Indicator.Baseline, ip.Indicator.BaselineYear
		reached := "no result reported"
		if ip.HasResult {
			baseline, year = ip.Achieved, ip.Reported.Year()
			reached = "reached " + ip.Achieved.String()
		}
		ind := &Indicator{OutcomeID: plan.Outcomes[i].Outcome.ID, Code: ip.Indicator.Code, Title: ip.Indicator.Title, Unit: ip.Indicator.Unit, Baseline: baseline, BaselineYear: year}
		t := &Target{Biennium: to, Value: ip.Target.Value, Note: fmt.Sprintf("Carried over from %s: target %s, %s", from, ip.Target.Value, reached)}
		plan.Outcomes[i].Indicators = append(plan.Outcomes[i].Indicators, CarriedIndicator{Indicator: ind, Target: t})
	}
	return plan
}

// ResultsReporter reports results by biennium.
type ResultsReporter interface {
	// BienniumResults returns the progress of every indicator of a
	// biennium, optionally of one strategic objective.
	BienniumResults(ctx context.Context, b Biennium, objective *Objective) ([]IndicatorProgress, error)
	// CarryResults adds to biennium to what CarryForward finds, in one
	// transaction, and returns it.
	CarryResults(ctx context.Context, from, to Biennium) (*CarryPlan, error)
}
