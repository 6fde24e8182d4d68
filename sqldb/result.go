package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tcmis/tcmis"
)

// The results framework: outcomes, their indicators, and each indicator's
// targets and reported results. A ResultFilter narrows every level to the
// records under what it names: Biennium and Objective select outcomes (and
// the indicators of those outcomes); OutcomeID selects an outcome and its
// indicators; IndicatorID selects an indicator and its targets and results.
// Targets and results are also narrowed by their own biennium, and results
// by ProjectID. A field that means nothing at a level is ignored there.

var (
	outcomeFields   = []string{"code", "biennium", "objective", "title"}
	indicatorFields = []string{"outcome_id", "code", "title", "unit", "baseline", "baseline_year"}
	targetFields    = []string{"indicator_id", "biennium", "value", "note"}
	resultFields    = []string{"indicator_id", "biennium", "project_id", "value", "reported", "evidence"}

	outcomeColumns   = "id, " + columnList(outcomeFields) + ", version"
	indicatorColumns = "id, " + columnList(indicatorFields) + ", version"
	targetColumns    = "id, " + columnList(targetFields) + ", version"
	resultColumns    = "id, " + columnList(resultFields) + ", version"
)

// FindOutcomes returns the outcomes that match f, by biennium and code, and
// how many match in all.
func (db *DB) FindOutcomes(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Outcome, int, error) {
	var (
		os []*tcmis.Outcome
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		os, n, err = findOutcomes(tx, f)
		return err
	})
	return os, n, err
}

// CreateOutcome stores a new outcome and sets its ID.
func (db *DB) CreateOutcome(ctx context.Context, o *tcmis.Outcome) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		id, err := tx.insert(`INSERT INTO outcomes (`+columnList(outcomeFields)+`, version) VALUES (`+columnParams(len(outcomeFields))+`, 1)`, outcomeValues(o)...)
		if err != nil {
			return constraintError(err, outcomeName(o))
		}
		o.ID, o.Version = id, 1
		return tx.audit("outcome", id, tcmis.ActionCreate, nil, o)
	})
}

// UpdateOutcome saves o unless someone changed it since it was read.
func (db *DB) UpdateOutcome(ctx context.Context, o *tcmis.Outcome) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findOutcomeByID(tx, o.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("outcomes", o.ID, o.Version, "outcome"); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE outcomes SET `+columnSets(outcomeFields)+` WHERE id = ?`, append(outcomeValues(o), o.ID)...); err != nil {
			return constraintError(err, outcomeName(o))
		}
		o.Version = old.Version + 1
		return tx.audit("outcome", o.ID, tcmis.ActionUpdate, old, o)
	})
}

// DeleteOutcome removes an outcome with its indicators, their targets and
// their results, recording each deletion in the audit trail.
func (db *DB) DeleteOutcome(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findOutcomeByID(tx, id)
		if err != nil {
			return err
		}
		is, _, err := findIndicators(tx, tcmis.ResultFilter{OutcomeID: &id})
		if err != nil {
			return err
		}
		for _, i := range is {
			if err := deleteIndicator(tx, i); err != nil {
				return err
			}
		}
		return tx.remove("outcomes", "outcome", id, old)
	})
}

// FindIndicators returns the indicators that match f and how many match
// in all.
func (db *DB) FindIndicators(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Indicator, int, error) {
	var (
		is []*tcmis.Indicator
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		is, n, err = findIndicators(tx, f)
		return err
	})
	return is, n, err
}

// CreateIndicator stores a new indicator of an existing outcome.
func (db *DB) CreateIndicator(ctx context.Context, i *tcmis.Indicator) error {
	if err := i.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := indicatorRefs(i, "").check(tx, "indicator "+i.Code); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO indicators (`+columnList(indicatorFields)+`, version) VALUES (`+columnParams(len(indicatorFields))+`, 1)`, indicatorValues(i)...)
		if err != nil {
			return constraintError(err, "indicator "+i.Code+" of this outcome")
		}
		i.ID, i.Version = id, 1
		return tx.audit("indicator", id, tcmis.ActionCreate, nil, i)
	})
}

// UpdateIndicator saves i unless someone changed it since it was read.
func (db *DB) UpdateIndicator(ctx context.Context, i *tcmis.Indicator) error {
	if err := i.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findIndicatorByID(tx, i.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("indicators", i.ID, i.Version, "indicator"); err != nil {
			return err
		}
		if err := indicatorRefs(i, "").check(tx, "indicator "+i.Code); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE indicators SET `+columnSets(indicatorFields)+` WHERE id = ?`, append(indicatorValues(i), i.ID)...); err != nil {
			return constraintError(err, "indicator "+i.Code+" of this outcome")
		}
		i.Version = old.Version + 1
		return tx.audit("indicator", i.ID, tcmis.ActionUpdate, old, i)
	})
}

// DeleteIndicator removes an indicator with its targets and results.
func (db *DB) DeleteIndicator(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findIndicatorByID(tx, id)
		if err != nil {
			return err
		}
		return deleteIndicator(tx, old)
	})
}

// deleteIndicator removes an indicator and what hangs from it one record
// at a time, so that the audit trail keeps each one's last values (the
// schema would cascade, but silently).
func deleteIndicator(tx *Tx, i *tcmis.Indicator) error {
	ts, _, err := findTargets(tx, tcmis.ResultFilter{IndicatorID: &i.ID})
	if err != nil {
		return err
	}
	for _, t := range ts {
		if err := tx.remove("targets", "target", t.ID, t); err != nil {
			return err
		}
	}
	rs, _, err := findResults(tx, tcmis.ResultFilter{IndicatorID: &i.ID})
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := tx.remove("results", "result", r.ID, r); err != nil {
			return err
		}
	}
	return tx.remove("indicators", "indicator", i.ID, i)
}

// FindTargets returns the targets that match f and how many match in all.
func (db *DB) FindTargets(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Target, int, error) {
	var (
		ts []*tcmis.Target
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		ts, n, err = findTargets(tx, f)
		return err
	})
	return ts, n, err
}

// CreateTarget stores a new target of an existing indicator.
func (db *DB) CreateTarget(ctx context.Context, t *tcmis.Target) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := targetRefs(t, "").check(tx, "target"); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO targets (`+columnList(targetFields)+`, version) VALUES (`+columnParams(len(targetFields))+`, 1)`, targetValues(t)...)
		if err != nil {
			return constraintError(err, "a target for "+string(t.Biennium)+" of this indicator")
		}
		t.ID, t.Version = id, 1
		return tx.audit("target", id, tcmis.ActionCreate, nil, t)
	})
}

// UpdateTarget saves t unless someone changed it since it was read.
func (db *DB) UpdateTarget(ctx context.Context, t *tcmis.Target) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findTargetByID(tx, t.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("targets", t.ID, t.Version, "target"); err != nil {
			return err
		}
		if err := targetRefs(t, "").check(tx, "target"); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE targets SET `+columnSets(targetFields)+` WHERE id = ?`, append(targetValues(t), t.ID)...); err != nil {
			return constraintError(err, "a target for "+string(t.Biennium)+" of this indicator")
		}
		t.Version = old.Version + 1
		return tx.audit("target", t.ID, tcmis.ActionUpdate, old, t)
	})
}

// DeleteTarget removes a target.
func (db *DB) DeleteTarget(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findTargetByID(tx, id)
		if err != nil {
			return err
		}
		return tx.remove("targets", "target", id, old)
	})
}

// FindResults returns the reported results that match f and how many
// match in all.
func (db *DB) FindResults(ctx context.Context, f tcmis.ResultFilter) ([]*tcmis.Result, int, error) {
	var (
		rs []*tcmis.Result
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		rs, n, err = findResults(tx, f)
		return err
	})
	return rs, n, err
}

// CreateResult stores a reported result of an existing indicator.
func (db *DB) CreateResult(ctx context.Context, r *tcmis.Result) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := resultRefs(r, "").check(tx, "result"); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO results (`+columnList(resultFields)+`, version) VALUES (`+columnParams(len(resultFields))+`, 1)`, resultValues(tx, r)...)
		if err != nil {
			return constraintError(err, "result")
		}
		r.ID, r.Version = id, 1
		return tx.audit("result", id, tcmis.ActionCreate, nil, r)
	})
}

// UpdateResult saves r unless someone changed it since it was read.
func (db *DB) UpdateResult(ctx context.Context, r *tcmis.Result) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findResultByID(tx, r.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("results", r.ID, r.Version, "result"); err != nil {
			return err
		}
		if err := resultRefs(r, "").check(tx, "result"); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE results SET `+columnSets(resultFields)+` WHERE id = ?`, append(resultValues(tx, r), r.ID)...); err != nil {
			return constraintError(err, "result")
		}
		r.Version = old.Version + 1
		return tx.audit("result", r.ID, tcmis.ActionUpdate, old, r)
	})
}

// DeleteResult removes a reported result.
func (db *DB) DeleteResult(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findResultByID(tx, id)
		if err != nil {
			return err
		}
		return tx.remove("results", "result", id, old)
	})
}

// CreateOutcomes stores many outcomes at once.
func (l *loader) CreateOutcomes(os []*tcmis.Outcome) error {
	if err := validateAll("outcomes", os); err != nil {
		return err
	}
	ids, err := l.copyNew("outcomes", "outcome", "an outcome with one of these codes in its biennium", outcomeFields, len(os), func(i int) []any {
		return outcomeValues(os[i])
	})
	if err != nil {
		return err
	}
	for i, o := range os {
		o.ID, o.Version = ids[i], 1
	}
	return nil
}

// CreateIndicators stores many indicators of existing outcomes at once.
func (l *loader) CreateIndicators(is []*tcmis.Indicator) error {
	if err := validateAll("indicators", is); err != nil {
		return err
	}
	var refs refSet
	for n, i := range is {
		refs.addAll(indicatorRefs(i, bulkField("indicators", n, "")))
	}
	if err := refs.check(l.tx, "the batch of indicators"); err != nil {
		return err
	}
	ids, err := l.copyNew("indicators", "indicator", "an indicator with one of these codes in its outcome", indicatorFields, len(is), func(n int) []any {
		return indicatorValues(is[n])
	})
	if err != nil {
		return err
	}
	for n, i := range is {
		i.ID, i.Version = ids[n], 1
	}
	return nil
}

// CreateTargets stores many targets of existing indicators at once.
func (l *loader) CreateTargets(ts []*tcmis.Target) error {
	if err := validateAll("targets", ts); err != nil {
		return err
	}
	var refs refSet
	for n, t := range ts {
		refs.addAll(targetRefs(t, bulkField("targets", n, "")))
	}
	if err := refs.check(l.tx, "the batch of targets"); err != nil {
		return err
	}
	ids, err := l.copyNew("targets", "target", "a target for one of these indicators and bienniums", targetFields, len(ts), func(n int) []any {
		return targetValues(ts[n])
	})
	if err != nil {
		return err
	}
	for n, t := range ts {
		t.ID, t.Version = ids[n], 1
	}
	return nil
}

// CreateResults stores many reported results at once.
func (l *loader) CreateResults(rs []*tcmis.Result) error {
	if err := validateAll("results", rs); err != nil {
		return err
	}
	var refs refSet
	for n, r := range rs {
		refs.addAll(resultRefs(r, bulkField("results", n, "")))
	}
	if err := refs.check(l.tx, "the batch of results"); err != nil {
		return err
	}
	ids, err := l.copyNew("results", "result", "results", resultFields, len(rs), func(n int) []any {
		return resultValues(l.tx, rs[n])
	})
	if err != nil {
		return err
	}
	for n, r := range rs {
		r.ID, r.Version = ids[n], 1
	}
	return nil
}

func outcomeName(o *tcmis.Outcome) string {
	return fmt.Sprintf("outcome %s of %s", o.Code, o.Biennium)
}

// outcomeValues, indicatorValues, targetValues and resultValues return
// the values of their record's fields, as plain Go types for COPY.
func outcomeValues(o *tcmis.Outcome) []any {
	return []any{o.Code, string(o.Biennium), string(o.Objective), o.Title}
}

func indicatorValues(i *tcmis.Indicator) []any {
	return []any{i.OutcomeID, i.Code, i.Title, i.Unit, int64(i.Baseline), int64(i.BaselineYear)}
}

func targetValues(t *tcmis.Target) []any {
	return []any{t.IndicatorID, string(t.Biennium), int64(t.Value), t.Note}
}

func resultValues(tx *Tx, r *tcmis.Result) []any {
	return []any{r.IndicatorID, string(r.Biennium), nullID(r.ProjectID), int64(r.Value), tx.date(r.Reported), r.Evidence}
}

// indicatorRefs, targetRefs and resultRefs list the rows a record refers
// to; prefix goes before the field names.
func indicatorRefs(i *tcmis.Indicator, prefix string) *refSet {
	var refs refSet
	refs.add("outcomes", "outcome", prefix+"outcome_id", i.OutcomeID)
	return &refs
}

func targetRefs(t *tcmis.Target, prefix string) *refSet {
	var refs refSet
	refs.add("indicators", "indicator", prefix+"indicator_id", t.IndicatorID)
	return &refs
}

func resultRefs(r *tcmis.Result, prefix string) *refSet {
	var refs refSet
	refs.add("indicators", "indicator", prefix+"indicator_id", r.IndicatorID)
	refs.add("projects", "project", prefix+"project_id", r.ProjectID)
	return &refs
}

func findOutcomeByID(tx *Tx, id int64) (*tcmis.Outcome, error) {
	os, _, err := findOutcomes(tx, tcmis.ResultFilter{OutcomeID: &id})
	if err != nil {
		return nil, err
	} else if len(os) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "outcome %d not found", id)
	}
	return os[0], nil
}

func findOutcomes(tx *Tx, f tcmis.ResultFilter) ([]*tcmis.Outcome, int, error) {
	var w where
	if f.OutcomeID != nil {
		w.add("id = ?", *f.OutcomeID)
	}
	if f.Biennium != nil {
		w.add("biennium = ?", string(*f.Biennium))
	}
	if f.Objective != nil {
		w.add("objective = ?", string(*f.Objective))
	}
	total, err := tx.count(`SELECT COUNT(*) FROM outcomes`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+outcomeColumns+` FROM outcomes`+w.String()+` ORDER BY biennium, code, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Outcome
	for rows.Next() {
		var o tcmis.Outcome
		if err := rows.Scan(&o.ID, &o.Code, &o.Biennium, &o.Objective, &o.Title, &o.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &o)
	}
	return out, total, rows.Err()
}

// outcomeWhere selects the outcomes named by the Biennium and Objective
// of f, for the levels below them.
func outcomeWhere(f tcmis.ResultFilter) (string, []any) {
	var w where
	if f.Biennium != nil {
		w.add("biennium = ?", string(*f.Biennium))
	}
	if f.Objective != nil {
		w.add("objective = ?", string(*f.Objective))
	}
	if len(w.conds) == 0 {
		return "", nil
	}
	return `SELECT id FROM outcomes` + w.String(), w.args
}

func findIndicatorByID(tx *Tx, id int64) (*tcmis.Indicator, error) {
	is, _, err := findIndicators(tx, tcmis.ResultFilter{IndicatorID: &id})
	if err != nil {
		return nil, err
	} else if len(is) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "indicator %d not found", id)
	}
	return is[0], nil
}

func findIndicators(tx *Tx, f tcmis.ResultFilter) ([]*tcmis.Indicator, int, error) {
	var w where
	if f.IndicatorID != nil {
		w.add("id = ?", *f.IndicatorID)
	}
	if f.OutcomeID != nil {
		w.add("outcome_id = ?", *f.OutcomeID)
	}
	if q, args := outcomeWhere(f); q != "" {
		w.add("outcome_id IN ("+q+")", args...)
	}
	total, err := tx.count(`SELECT COUNT(*) FROM indicators`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+indicatorColumns+` FROM indicators`+w.String()+` ORDER BY outcome_id, code, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Indicator
	for rows.Next() {
		var i tcmis.Indicator
		var baseline int64
		if err := rows.Scan(&i.ID, &i.OutcomeID, &i.Code, &i.Title, &i.Unit, &baseline, &i.BaselineYear, &i.Version); err != nil {
			return nil, 0, err
		}
		i.Baseline = tcmis.Decimal(baseline)
		out = append(out, &i)
	}
	return out, total, rows.Err()
}

// indicatorWhere narrows targets or results to the indicators f selects.
// Biennium filters their own biennium, not their outcome's.
func indicatorWhere(w *where, f tcmis.ResultFilter) {
	if f.IndicatorID != nil {
		w.add("indicator_id = ?", *f.IndicatorID)
	}
	if f.Biennium != nil {
		w.add("biennium = ?", string(*f.Biennium))
	}
	if f.OutcomeID != nil {
		w.add("indicator_id IN (SELECT id FROM indicators WHERE outcome_id = ?)", *f.OutcomeID)
	}
	if f.Objective != nil {
		w.add("indicator_id IN (SELECT id FROM indicators WHERE outcome_id IN (SELECT id FROM outcomes WHERE objective = ?))", string(*f.Objective))
	}
}

func findTargetByID(tx *Tx, id int64) (*tcmis.Target, error) {
	var w where
	w.add("id = ?", id)
	ts, _, err := queryTargets(tx, &w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(ts) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "target %d not found", id)
	}
	return ts[0], nil
}

func findTargets(tx *Tx, f tcmis.ResultFilter) ([]*tcmis.Target, int, error) {
	var w where
	indicatorWhere(&w, f)
	return queryTargets(tx, &w, f.Offset, f.Limit)
}

func queryTargets(tx *Tx, w *where, offset, limit int) ([]*tcmis.Target, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM targets`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+targetColumns+` FROM targets`+w.String()+` ORDER BY indicator_id, biennium, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Target
	for rows.Next() {
		var t tcmis.Target
		var value int64
		if err := rows.Scan(&t.ID, &t.IndicatorID, &t.Biennium, &value, &t.Note, &t.Version); err != nil {
			return nil, 0, err
		}
		t.Value = tcmis.Decimal(value)
		out = append(out, &t)
	}
	return out, total, rows.Err()
}

func findResultByID(tx *Tx, id int64) (*tcmis.Result, error) {
	var w where
	w.add("id = ?", id)
	rs, _, err := queryResults(tx, &w, 0, 0)
	if err != nil {
		return nil, err
	} else if len(rs) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "result %d not found", id)
	}
	return rs[0], nil
}

func findResults(tx *Tx, f tcmis.ResultFilter) ([]*tcmis.Result, int, error) {
	var w where
	indicatorWhere(&w, f)
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	}
	return queryResults(tx, &w, f.Offset, f.Limit)
}

func queryResults(tx *Tx, w *where, offset, limit int) ([]*tcmis.Result, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM results`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+resultColumns+` FROM results`+w.String()+` ORDER BY indicator_id, biennium, reported, id`, offset, limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Result
	for rows.Next() {
		var r tcmis.Result
		var value int64
		if err := rows.Scan(&r.ID, &r.IndicatorID, &r.Biennium, scanID(&r.ProjectID), &value, scanTime(&r.Reported), &r.Evidence, &r.Version); err != nil {
			return nil, 0, err
		}
		r.Value = tcmis.Decimal(value)
		out = append(out, &r)
	}
	return out, total, rows.Err()
}

// refSet collects references a record makes to rows of other tables, and
// checks inside the transaction that those rows exist, so that a missing
// one is reported on the field that holds it rather than as a broken
// foreign key.
type refSet struct {
	refs []recordRef
}

type recordRef struct {
	table, what, field string
	id                 int64
}

// add notes that field refers to row id of table; zero means no reference.
func (s *refSet) add(table, what, field string, id int64) {
	if id != 0 {
		s.refs = append(s.refs, recordRef{table, what, field, id})
	}
}

// addAll adds the references of another set.
func (s *refSet) addAll(o *refSet) { s.refs = append(s.refs, o.refs...) }

// check returns EINVALID listing every reference to a missing row.
func (s *refSet) check(tx *Tx, record string) error {
	byTable := map[string][]int64{}
	for _, r := range s.refs {
		byTable[r.table] = append(byTable[r.table], r.id)
	}
	found := map[string]map[int64]bool{}
	for table, ids := range byTable {
		have, err := existingIDs(tx, table, ids)
		if err != nil {
			return err
		}
		found[table] = have
	}
	var ps []tcmis.Problem
	for _, r := range s.refs {
		if !found[r.table][r.id] {
			ps = append(ps, tcmis.Problem{Field: r.field, Message: fmt.Sprintf("there is no %s with id %d", r.what, r.id)})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: record + " is not valid", Problems: ps}
}

// existingIDs returns which of ids are rows of table.
func existingIDs(tx *Tx, table string, ids []int64) (map[int64]bool, error) {
	have := map[int64]bool{}
	err := eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT id FROM `+table+` WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			have[id] = true
		}
		return rows.Err()
	})
	return have, err
}

// eachChunk calls fn with the distinct values, sorted, a few hundred at
// a time: in is their placeholders for an IN list and args their values,
// well under either engine's limit on parameters.
func eachChunk[T cmp.Ordered](vals []T, fn func(in string, args []any) error) error {
	distinct := slices.Clone(vals)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	const chunk = 500
	for start := 0; start < len(distinct); start += chunk {
		part := distinct[start:min(start+chunk, len(distinct))]
		args := make([]any, len(part))
		for i, v := range part {
			args[i] = v
		}
		if err := fn(columnParams(len(part)), args); err != nil {
			return err
		}
	}
	return nil
}

// copyNew stores n new records of a batch in table: it reserves their
// ids, writes each id, the values row(i) gives for fields, and version 1,
// and notes the ids for the load's audit entry. what names the records in
// a conflict.
func (l *loader) copyNew(table, entity, what string, fields []string, n int, row func(i int) []any) ([]int64, error) {
	ids, err := l.tx.reserveIDs(table, n)
	if err != nil {
		return nil, err
	}
	cols := append(append([]string{"id"}, fields...), "version")
	err = l.tx.copyRows(table, cols, n, func(i int) []any {
		return append(append([]any{ids[i]}, row(i)...), int64(1))
	})
	if err != nil {
		return nil, constraintError(err, what)
	}
	l.stored(entity, ids...)
	return ids, nil
}

// columnList, columnParams and columnSets write the parts of INSERT and
// UPDATE statements for a list of columns.
func columnList(cols []string) string { return strings.Join(cols, ", ") }

func columnParams(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func columnSets(cols []string) string { return strings.Join(cols, " = ?, ") + " = ?" }

// bulkField names a field of the n-th record of a batch, as validateAll
// does: "indicators[3].outcome_id".
func bulkField(what string, n int, field string) string {
	return what + "[" + itoa(n) + "]." + field
}

// FindOutcomeByID returns an outcome, or ENOTFOUND.
func (db *DB) FindOutcomeByID(ctx context.Context, id int64) (*tcmis.Outcome, error) {
	var o *tcmis.Outcome
	err := db.view(ctx, func(tx *Tx) (err error) {
		o, err = findOutcomeByID(tx, id)
		return err
	})
	return o, err
}

// FindIndicatorByID returns an indicator, or ENOTFOUND.
func (db *DB) FindIndicatorByID(ctx context.Context, id int64) (*tcmis.Indicator, error) {
	var i *tcmis.Indicator
	err := db.view(ctx, func(tx *Tx) (err error) {
		i, err = findIndicatorByID(tx, id)
		return err
	})
	return i, err
}

// FindTargetByID returns a target, or ENOTFOUND.
func (db *DB) FindTargetByID(ctx context.Context, id int64) (*tcmis.Target, error) {
	var t *tcmis.Target
	err := db.view(ctx, func(tx *Tx) (err error) {
		t, err = findTargetByID(tx, id)
		return err
	})
	return t, err
}

// FindResultByID returns a result, or ENOTFOUND.
func (db *DB) FindResultByID(ctx context.Context, id int64) (*tcmis.Result, error) {
	var r *tcmis.Result
	err := db.view(ctx, func(tx *Tx) (err error) {
		r, err = findResultByID(tx, id)
		return err
	})
	return r, err
}
