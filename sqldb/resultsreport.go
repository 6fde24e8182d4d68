package sqldb

import (
	"context"

	"github.com/tcmis/tcmis"
)

// BienniumResults returns the progress of every indicator of a biennium's
// outcomes (of one strategic objective, if given): target, latest result
// and the contributions of projects.
func (db *DB) BienniumResults(ctx context.Context, b tcmis.Biennium, objective *tcmis.Objective) ([]tcmis.IndicatorProgress, error) {
	var out []tcmis.IndicatorProgress
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, err = bienniumProgress(tx, b, objective)
		return err
	})
	return out, err
}

func bienniumProgress(tx *Tx, b tcmis.Biennium, objective *tcmis.Objective) ([]tcmis.IndicatorProgress, error) {
	if _, err := tcmis.ParseBiennium(string(b)); err != nil {
		return nil, tcmis.Errorf(tcmis.EINVALID, "%v", err)
	}
	f := tcmis.ResultFilter{Biennium: &b, Objective: objective}
	outcomes, _, err := findOutcomes(tx, f)
	if err != nil {
		return nil, err
	}
	indicators, _, err := findIndicators(tx, f)
	if err != nil {
		return nil, err
	}
	targets, _, err := findTargets(tx, f)
	if err != nil {
		return nil, err
	}
	results, _, err := findResults(tx, f)
	if err != nil {
		return nil, err
	}
	return tcmis.BienniumProgress(b, outcomes, indicators, targets, results), nil
}

// CarryResults carries the unmet targets of biennium from that the
// framework of biennium to no longer has, in one transaction: the outcomes
// and indicators it adds, with their targets, are recorded in the audit
// trail as one entry per kind, naming the two bienniums.
func (db *DB) CarryResults(ctx context.Context, from, to tcmis.Biennium) (*tcmis.CarryPlan, error) {
	for _, b := range []tcmis.Biennium{from, to} {
		if _, err := tcmis.ParseBiennium(string(b)); err != nil {
			return nil, tcmis.Errorf(tcmis.EINVALID, "%v", err)
		}
	}
	if to.Start() <= from.Start() {
		return nil, tcmis.Errorf(tcmis.EINVALID, "results are carried forward: %s does not come after %s", to, from)
	}
	var plan tcmis.CarryPlan
	source := "carried over from " + string(from) + " to " + string(to)
	err := db.Load(ctx, source, func(tl tcmis.Loader) error {
		l := tl.(*loader)
		tx := l.tx
		progress, err := bienniumProgress(tx, from, nil)
		if err != nil {
			return err
		}
		f := tcmis.ResultFilter{Biennium: &to}
		next, _, err := findOutcomes(tx, f)
		if err != nil {
			return err
		}
		nextIndicators, _, err := findIndicators(tx, f)
		if err != nil {
			return err
		}
		plan = tcmis.CarryForward(from, to, progress, next, nextIndicators)
		var outcomes []*tcmis.Outcome
		for _, co := range plan.Outcomes {
			if co.IsNew {
				outcomes = append(outcomes, co.Outcome)
			}
		}
		if err := l.CreateOutcomes(outcomes); err != nil {
			return err
		}
		var indicators []*tcmis.Indicator
		for _, co := range plan.Outcomes {
			for _, ci := range co.Indicators {
				ci.Indicator.OutcomeID = co.Outcome.ID
				indicators = append(indicators, ci.Indicator)
			}
		}
		if err := l.CreateIndicators(indicators); err != nil {
			return err
		}
		var targets []*tcmis.Target
		for _, co := range plan.Outcomes {
			for _, ci := range co.Indicators {
				ci.Target.IndicatorID = ci.Indicator.ID
				targets = append(targets, ci.Target)
			}
		}
		return l.CreateTargets(targets)
	})
	if err != nil {
		return nil, err
	}
	return &plan, nil
}
