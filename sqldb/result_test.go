package sqldb_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestOutcomes(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		o1 := &tcmis.Outcome{Code: "1a.1", Biennium: "2006-07", Objective: tcmis.Standards, Title: "Member States apply core labour standards"}
		o2 := &tcmis.Outcome{Code: "2a.1", Biennium: "2006-07", Objective: tcmis.Employment, Title: "Employment policies"}
		o3 := &tcmis.Outcome{Code: "1a.1", Biennium: "2008-09", Objective: tcmis.Standards, Title: "Ratification"}
		for _, o := range []*tcmis.Outcome{o1, o2, o3} {
			if err := db.CreateOutcome(ctx, o); err != nil {
				t.Fatal(err)
			}
			if o.ID == 0 || o.Version != 1 {
				t.Fatalf("created outcome has id %d version %d", o.ID, o.Version)
			}
		}
		got := findOutcome(t, db, o1.ID)
		mustEqualRecord(t, got, o1)

		// The same code twice in a biennium is a conflict; invalid input
		// is refused with every problem.
		mustCode(t, db.CreateOutcome(ctx, &tcmis.Outcome{Code: "1a.1", Biennium: "2006-07", Objective: tcmis.Standards, Title: "Again"}), tcmis.ECONFLICT)
		err := db.CreateOutcome(ctx, &tcmis.Outcome{Biennium: "2006-08", Objective: "so9"})
		mustProblems(t, err, tcmis.EINVALID, "code", "biennium", "objective", "title")

		b, so1 := tcmis.Biennium("2006-07"), tcmis.Standards
		mustFind(t, "biennium", 2, 2)(db.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b}))
		mustFind(t, "objective", 2, 2)(db.FindOutcomes(ctx, tcmis.ResultFilter{Objective: &so1}))
		mustFind(t, "both", 1, 1)(db.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b, Objective: &so1}))
		list, total, err := db.FindOutcomes(ctx, tcmis.ResultFilter{Offset: 1, Limit: 1})
		if err != nil || total != 3 || len(list) != 1 || list[0].ID != o2.ID {
			t.Fatalf("second page: %v of %d, %v", list, total, err)
		}

		// A stale update is refused.
		a, stale := findOutcome(t, db, o1.ID), findOutcome(t, db, o1.ID)
		a.Title = "Member States ratify and apply"
		if err := db.UpdateOutcome(ctx, a); err != nil {
			t.Fatal(err)
		}
		stale.Code = "1a.9"
		mustCode(t, db.UpdateOutcome(ctxAs("bob"), stale), tcmis.ECONFLICT)
		mustEqualRecord(t, findOutcome(t, db, o1.ID), a)
		if a.Version != 2 {
			t.Fatalf("version after update = %d, want 2", a.Version)
		}
		mustAudit(t, db, "outcome", o1.ID, tcmis.ActionUpdate, tcmis.ActionCreate)

		// Deleting an outcome takes its indicators, targets and results,
		// each recorded in the audit trail.
		i := &tcmis.Indicator{OutcomeID: o1.ID, Code: "1", Title: "Ratifications", Unit: "member States"}
		if err := db.CreateIndicator(ctx, i); err != nil {
			t.Fatal(err)
		}
		tg := &tcmis.Target{IndicatorID: i.ID, Biennium: "2006-07", Value: 10_000_000}
		if err := db.CreateTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
		r := &tcmis.Result{IndicatorID: i.ID, Biennium: "2006-07", Value: 3_000_000, Reported: ymd(2006, 12, 31), Evidence: "Ratification register"}
		if err := db.CreateResult(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteOutcome(ctx, o1.ID); err != nil {
			t.Fatal(err)
		}
		mustFind(t, "deleted outcome", 0, 0)(db.FindOutcomes(ctx, tcmis.ResultFilter{OutcomeID: &o1.ID}))
		mustFind(t, "indicators of deleted outcome", 0, 0)(db.FindIndicators(ctx, tcmis.ResultFilter{OutcomeID: &o1.ID}))
		mustFind(t, "targets of deleted outcome", 0, 0)(db.FindTargets(ctx, tcmis.ResultFilter{IndicatorID: &i.ID}))
		mustFind(t, "results of deleted outcome", 0, 0)(db.FindResults(ctx, tcmis.ResultFilter{IndicatorID: &i.ID}))
		mustAudit(t, db, "outcome", o1.ID, tcmis.ActionDelete, tcmis.ActionUpdate, tcmis.ActionCreate)
		mustAudit(t, db, "indicator", i.ID, tcmis.ActionDelete, tcmis.ActionCreate)
		mustAudit(t, db, "target", tg.ID, tcmis.ActionDelete, tcmis.ActionCreate)
		mustAudit(t, db, "result", r.ID, tcmis.ActionDelete, tcmis.ActionCreate)
		mustCode(t, db.DeleteOutcome(ctx, o1.ID), tcmis.ENOTFOUND)
	})
}

func TestIndicators(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		o1 := mustOutcome(t, db, "1a.1", "2006-07", tcmis.Standards)
		o2 := mustOutcome(t, db, "2a.1", "2008-09", tcmis.Employment)

		err := db.CreateIndicator(ctx, &tcmis.Indicator{OutcomeID: 999, Code: "1", Title: "x", Unit: "y"})
		mustProblems(t, err, tcmis.EINVALID, "outcome_id")
		mustProblems(t, db.CreateIndicator(ctx, &tcmis.Indicator{}), tcmis.EINVALID, "outcome_id", "code", "title", "unit")

		i1 := &tcmis.Indicator{OutcomeID: o1.ID, Code: "1", Title: "Ratifications", Unit: "member States", Baseline: 1_250_000, BaselineYear: 2005}
		i2 := &tcmis.Indicator{OutcomeID: o1.ID, Code: "2", Title: "Reports", Unit: "per cent"}
		i3 := &tcmis.Indicator{OutcomeID: o2.ID, Code: "1", Title: "Policies", Unit: "member States"}
		for _, i := range []*tcmis.Indicator{i1, i2, i3} {
			if err := db.CreateIndicator(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
		mustEqualRecord(t, findIndicator(t, db, i1.ID), i1)
		mustCode(t, db.CreateIndicator(ctx, &tcmis.Indicator{OutcomeID: o1.ID, Code: "1", Title: "Again", Unit: "x"}), tcmis.ECONFLICT)

		b, so2 := tcmis.Biennium("2006-07"), tcmis.Employment
		mustFind(t, "outcome", 2, 2)(db.FindIndicators(ctx, tcmis.ResultFilter{OutcomeID: &o1.ID}))
		mustFind(t, "biennium of the outcome", 2, 2)(db.FindIndicators(ctx, tcmis.ResultFilter{Biennium: &b}))
		mustFind(t, "objective of the outcome", 1, 1)(db.FindIndicators(ctx, tcmis.ResultFilter{Objective: &so2}))
		mustFind(t, "paged", 3, 2)(db.FindIndicators(ctx, tcmis.ResultFilter{Limit: 2}))

		// Moving an indicator to a missing outcome is refused; a stale
		// update is refused.
		a, stale := findIndicator(t, db, i2.ID), findIndicator(t, db, i2.ID)
		a.OutcomeID = 12345
		mustProblems(t, db.UpdateIndicator(ctx, a), tcmis.EINVALID, "outcome_id")
		a.OutcomeID, a.Baseline = o2.ID, -500_000
		if err := db.UpdateIndicator(ctx, a); err != nil {
			t.Fatal(err)
		}
		mustEqualRecord(t, findIndicator(t, db, i2.ID), a)
		stale.Title = "Stale"
		mustCode(t, db.UpdateIndicator(ctx, stale), tcmis.ECONFLICT)
		mustAudit(t, db, "indicator", i2.ID, tcmis.ActionUpdate, tcmis.ActionCreate)

		if err := db.DeleteIndicator(ctx, i2.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteIndicator(ctx, i2.ID), tcmis.ENOTFOUND)
		mustFind(t, "after delete", 2, 2)(db.FindIndicators(ctx, tcmis.ResultFilter{}))
	})
}

func TestTargets(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		o := mustOutcome(t, db, "1a.1", "2006-07", tcmis.Standards)
		i1, i2 := mustIndicator(t, db, o.ID, "1"), mustIndicator(t, db, o.ID, "2")

		mustProblems(t, db.CreateTarget(ctx, &tcmis.Target{IndicatorID: 77, Biennium: "2006-07"}), tcmis.EINVALID, "indicator_id")
		mustProblems(t, db.CreateTarget(ctx, &tcmis.Target{Biennium: "06-07"}), tcmis.EINVALID, "indicator_id", "biennium")

		t1 := &tcmis.Target{IndicatorID: i1.ID, Biennium: "2006-07", Value: 15_000_000, Note: "Fifteen more"}
		t2 := &tcmis.Target{IndicatorID: i1.ID, Biennium: "2008-09", Value: 30_000_000}
		t3 := &tcmis.Target{IndicatorID: i2.ID, Biennium: "2006-07", Value: 500_000}
		for _, x := range []*tcmis.Target{t1, t2, t3} {
			if err := db.CreateTarget(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		mustCode(t, db.CreateTarget(ctx, &tcmis.Target{IndicatorID: i1.ID, Biennium: "2006-07"}), tcmis.ECONFLICT)

		b := tcmis.Biennium("2006-07")
		list, _, err := db.FindTargets(ctx, tcmis.ResultFilter{IndicatorID: &i1.ID})
		if err != nil || len(list) != 2 {
			t.Fatalf("targets of indicator: %v, %v", list, err)
		}
		mustEqualRecord(t, list[0], t1)
		mustEqualRecord(t, list[1], t2)
		mustFind(t, "own biennium", 2, 2)(db.FindTargets(ctx, tcmis.ResultFilter{Biennium: &b}))
		mustFind(t, "outcome", 3, 1)(db.FindTargets(ctx, tcmis.ResultFilter{OutcomeID: &o.ID, Limit: 1}))

		a, stale := *t1, *t1
		a.Value = 20_000_000
		if err := db.UpdateTarget(ctx, &a); err != nil {
			t.Fatal(err)
		}
		stale.Note = "stale"
		mustCode(t, db.UpdateTarget(ctx, &stale), tcmis.ECONFLICT)
		list, _, _ = db.FindTargets(ctx, tcmis.ResultFilter{IndicatorID: &i1.ID, Biennium: &b})
		if len(list) != 1 {
			t.Fatalf("found %d targets", len(list))
		}
		mustEqualRecord(t, list[0], &a)
		mustAudit(t, db, "target", t1.ID, tcmis.ActionUpdate, tcmis.ActionCreate)

		if err := db.DeleteTarget(ctx, t1.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteTarget(ctx, t1.ID), tcmis.ENOTFOUND)
		mustCode(t, db.UpdateTarget(ctx, &a), tcmis.ENOTFOUND)
	})
}

func TestResults(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		o := mustOutcome(t, db, "1a.1", "2006-07", tcmis.Standards)
		i := mustIndicator(t, db, o.ID, "1")
		project := insertProjectRow(t, db, "INT/05/01/USA")

		err := db.CreateResult(ctx, &tcmis.Result{IndicatorID: 404, ProjectID: 405, Biennium: "2006-07", Reported: ymd(2006, 5, 1), Evidence: "x"})
		mustProblems(t, err, tcmis.EINVALID, "indicator_id", "project_id")
		err = db.CreateResult(ctx, &tcmis.Result{Biennium: "2006-07", Reported: ymd(2005, 5, 1)})
		mustProblems(t, err, tcmis.EINVALID, "indicator_id", "reported", "evidence")

		r1 := &tcmis.Result{IndicatorID: i.ID, Biennium: "2006-07", ProjectID: project, Value: 2_000_000, Reported: ymd(2006, 11, 30), Evidence: "Two laws adopted"}
		r2 := &tcmis.Result{IndicatorID: i.ID, Biennium: "2006-07", Value: 1_000_000, Reported: ymd(2007, 6, 30), Evidence: "Survey"}
		r3 := &tcmis.Result{IndicatorID: i.ID, Biennium: "2008-09", Value: 4_000_000, Reported: ymd(2008, 12, 31), Evidence: "Register"}
		for _, r := range []*tcmis.Result{r1, r2, r3} {
			if err := db.CreateResult(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		list, total, err := db.FindResults(ctx, tcmis.ResultFilter{IndicatorID: &i.ID})
		if err != nil || total != 3 {
			t.Fatalf("results: %d, %v", total, err)
		}
		mustEqualRecord(t, list, []*tcmis.Result{r1, r2, r3})

		b, so1, so2 := tcmis.Biennium("2008-09"), tcmis.Standards, tcmis.Employment
		mustFind(t, "project", 1, 1)(db.FindResults(ctx, tcmis.ResultFilter{ProjectID: &project}))
		mustFind(t, "own biennium", 1, 1)(db.FindResults(ctx, tcmis.ResultFilter{Biennium: &b}))
		mustFind(t, "objective", 3, 3)(db.FindResults(ctx, tcmis.ResultFilter{Objective: &so1}))
		mustFind(t, "other objective", 0, 0)(db.FindResults(ctx, tcmis.ResultFilter{Objective: &so2}))
		mustFind(t, "outcome, paged", 3, 1)(db.FindResults(ctx, tcmis.ResultFilter{OutcomeID: &o.ID, Offset: 2, Limit: 5}))

		a, stale := *r1, *r1
		a.ProjectID, a.Reported = 0, ymd(2007, 1, 15)
		if err := db.UpdateResult(ctx, &a); err != nil {
			t.Fatal(err)
		}
		stale.Evidence = "stale"
		mustCode(t, db.UpdateResult(ctx, &stale), tcmis.ECONFLICT)
		mustFind(t, "project after update", 0, 0)(db.FindResults(ctx, tcmis.ResultFilter{ProjectID: &project}))
		mustAudit(t, db, "result", r1.ID, tcmis.ActionUpdate, tcmis.ActionCreate)

		if err := db.DeleteResult(ctx, r1.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteResult(ctx, r1.ID), tcmis.ENOTFOUND)
	})
}

func TestResultsFrameworkLoad(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("loader")
		project := insertProjectRow(t, db, "INT/05/02/NOR")
		var os []*tcmis.Outcome
		var is []*tcmis.Indicator
		var ts []*tcmis.Target
		var rs []*tcmis.Result
		err := db.Load(ctx, "framework.xlsx", func(l tcmis.Loader) error {
			for n := range 250 { // more than one multi-row INSERT on SQLite
				os = append(os, &tcmis.Outcome{Code: fmt.Sprintf("%d.%d", n/10, n%10), Biennium: "2006-07", Objective: tcmis.Objectives()[n%6], Title: fmt.Sprint("Outcome ", n)})
			}
			if err := l.CreateOutcomes(os); err != nil {
				return err
			}
			for _, o := range os[:3] {
				is = append(is, &tcmis.Indicator{OutcomeID: o.ID, Code: "1", Title: "Indicator of " + o.Code, Unit: "per cent", Baseline: 7_500_000, BaselineYear: 2005})
			}
			if err := l.CreateIndicators(is); err != nil {
				return err
			}
			ts = []*tcmis.Target{{IndicatorID: is[0].ID, Biennium: "2006-07", Value: 9_000_000, Note: "n"}}
			if err := l.CreateTargets(ts); err != nil {
				return err
			}
			rs = []*tcmis.Result{
				{IndicatorID: is[0].ID, Biennium: "2006-07", ProjectID: project, Value: 8_000_000, Reported: ymd(2007, 3, 1), Evidence: "Survey"},
				{IndicatorID: is[1].ID, Biennium: "2006-07", Value: 1, Reported: ymd(2007, 4, 1), Evidence: "Report"},
			}
			return l.CreateResults(rs)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, total, err := db.FindOutcomes(ctx, tcmis.ResultFilter{})
		if err != nil || total != 250 {
			t.Fatalf("outcomes: %d, %v", total, err)
		}
		byID := map[int64]*tcmis.Outcome{}
		for _, o := range got {
			byID[o.ID] = o
		}
		for _, o := range os {
			mustEqualRecord(t, byID[o.ID], o)
		}
		gotIs, _, _ := db.FindIndicators(ctx, tcmis.ResultFilter{})
		mustEqualRecord(t, gotIs, is)
		gotTs, _, _ := db.FindTargets(ctx, tcmis.ResultFilter{})
		mustEqualRecord(t, gotTs, ts)
		gotRs, _, _ := db.FindResults(ctx, tcmis.ResultFilter{})
		mustEqualRecord(t, gotRs, rs)
		// One import entry per kind of record, naming the source.
		for _, e := range []string{"outcome", "indicator", "target", "result"} {
			changes := mustAudit(t, db, e, 0, tcmis.ActionImport)
			if !strings.Contains(string(changes[0].New), "framework.xlsx") {
				t.Fatalf("%s import entry: %s", e, changes[0].New)
			}
		}
		// Ids after a load do not collide with new ones.
		extra := mustOutcome(t, db, "9.9.9", "2006-07", tcmis.Standards)
		if byID[extra.ID] != nil {
			t.Fatalf("new outcome reuses id %d", extra.ID)
		}

		// Invalid records are reported together, by position, and a load
		// that fails half-way stores nothing.
		err = db.Load(ctx, "bad.xlsx", func(l tcmis.Loader) error {
			return l.CreateOutcomes([]*tcmis.Outcome{
				{Code: "x", Biennium: "2010-11", Objective: tcmis.Standards, Title: "ok"},
				{Code: "y", Biennium: "2010-11", Objective: tcmis.Standards},
				{Biennium: "2010-11", Objective: tcmis.Standards, Title: "no code"},
			})
		})
		mustProblems(t, err, tcmis.EINVALID, "outcomes[1].title", "outcomes[2].code")
		err = db.Load(ctx, "bad.xlsx", func(l tcmis.Loader) error {
			o := &tcmis.Outcome{Code: "x", Biennium: "2010-11", Objective: tcmis.Standards, Title: "ok"}
			if err := l.CreateOutcomes([]*tcmis.Outcome{o}); err != nil {
				return err
			}
			if err := l.CreateIndicators([]*tcmis.Indicator{{OutcomeID: o.ID, Code: "1", Title: "t", Unit: "u"}}); err != nil {
				return err
			}
			return l.CreateResults([]*tcmis.Result{{IndicatorID: 99999, ProjectID: 99999, Biennium: "2010-11", Reported: ymd(2010, 1, 1), Evidence: "e"}})
		})
		mustProblems(t, err, tcmis.EINVALID, "results[0].indicator_id", "results[0].project_id")
		err = db.Load(ctx, "dup.xlsx", func(l tcmis.Loader) error {
			if err := l.CreateOutcomes([]*tcmis.Outcome{{Code: "z", Biennium: "2010-11", Objective: tcmis.Standards, Title: "ok"}}); err != nil {
				return err
			}
			return l.CreateOutcomes([]*tcmis.Outcome{{Code: "0.1", Biennium: "2006-07", Objective: tcmis.Standards, Title: "taken"}})
		})
		mustCode(t, err, tcmis.ECONFLICT)
		b := tcmis.Biennium("2010-11")
		mustFind(t, "after failed loads", 0, 0)(db.FindOutcomes(ctx, tcmis.ResultFilter{Biennium: &b}))
		mustFind(t, "indicators after failed loads", 3, 3)(db.FindIndicators(ctx, tcmis.ResultFilter{}))
	})
}

// Helpers shared by the tests of results, programmes, evaluations,
// lessons, training and users.

func ymd(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// mustEqualRecord compares whole records after a round trip through the
// store, times in UTC.
func mustEqualRecord(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(utcTimes(got), utcTimes(want)) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("read back\n%s\nwant\n%s\n(%+v vs %+v)", g, w, got, want)
	}
}

// utcTimes returns a copy of v, a record or a slice of records, whose
// time fields are in UTC.
func utcTimes(v any) any {
	rv := reflect.ValueOf(v)
	out := reflect.New(rv.Type()).Elem()
	out.Set(utcValue(rv))
	return out.Interface()
}

func utcValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(utcValue(v.Elem()))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(utcValue(v.Index(i)))
		}
		return s
	case reflect.Struct:
		if tm, ok := v.Interface().(time.Time); ok {
			return reflect.ValueOf(tm.UTC())
		}
		s := reflect.New(v.Type()).Elem()
		s.Set(v)
		for i := range v.NumField() {
			if s.Field(i).CanSet() {
				s.Field(i).Set(utcValue(v.Field(i)))
			}
		}
		return s
	}
	return v
}

// mustFind checks what a Find method returned: how many records in all
// and on the page.
func mustFind(t *testing.T, what string, total, n int) func(list any, gotTotal int, err error) {
	t.Helper()
	return func(list any, gotTotal int, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("find %s: %v", what, err)
		}
		if got := reflect.ValueOf(list).Len(); gotTotal != total || got != n {
			t.Fatalf("find %s: %d of %d, want %d of %d", what, got, gotTotal, n, total)
		}
	}
}

// mustProblems checks an error's code and that it names exactly the
// fields given, in order.
func mustProblems(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	mustCode(t, err, code)
	var got []string
	for _, p := range tcmis.ErrorProblems(err) {
		got = append(got, p.Field)
	}
	if !reflect.DeepEqual(got, fields) {
		t.Fatalf("problems on %q, want %q: %v", got, fields, err)
	}
	var e *tcmis.Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("error without a message: %#v", err)
	}
}

// mustAudit checks the actions recorded for a record, newest first, and
// that updates and deletions keep the old values, and creations and
// updates the new ones.
func mustAudit(t *testing.T, db *sqldb.DB, entity string, id int64, actions ...string) []*tcmis.Change {
	t.Helper()
	changes, _, err := db.FindChanges(ctxAs("auditor"), tcmis.ChangeFilter{Entity: &entity, RecordID: &id})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.Action)
		hasOld, hasNew := len(c.Old) > 0, len(c.New) > 0
		wantOld := c.Action == tcmis.ActionUpdate || c.Action == tcmis.ActionDelete
		wantNew := c.Action != tcmis.ActionDelete
		if hasOld != wantOld || hasNew != wantNew {
			t.Fatalf("%s %d %s entry: old %s, new %s", entity, id, c.Action, c.Old, c.New)
		}
		if c.Actor == "" {
			t.Fatalf("%s %d %s entry without an actor", entity, id, c.Action)
		}
	}
	if !reflect.DeepEqual(got, actions) {
		t.Fatalf("%s %d audit actions %q, want %q", entity, id, got, actions)
	}
	return changes
}

func findOutcome(t *testing.T, db *sqldb.DB, id int64) *tcmis.Outcome {
	t.Helper()
	list, _, err := db.FindOutcomes(ctxAs("alice"), tcmis.ResultFilter{OutcomeID: &id})
	if err != nil || len(list) != 1 {
		t.Fatalf("outcome %d: %v, %v", id, list, err)
	}
	return list[0]
}

func findIndicator(t *testing.T, db *sqldb.DB, id int64) *tcmis.Indicator {
	t.Helper()
	list, _, err := db.FindIndicators(ctxAs("alice"), tcmis.ResultFilter{IndicatorID: &id})
	if err != nil || len(list) != 1 {
		t.Fatalf("indicator %d: %v, %v", id, list, err)
	}
	return list[0]
}

func mustOutcome(t *testing.T, db *sqldb.DB, code string, b tcmis.Biennium, obj tcmis.Objective) *tcmis.Outcome {
	t.Helper()
	o := &tcmis.Outcome{Code: code, Biennium: b, Objective: obj, Title: "Outcome " + code}
	if err := db.CreateOutcome(ctxAs("alice"), o); err != nil {
		t.Fatal(err)
	}
	return o
}

func mustIndicator(t *testing.T, db *sqldb.DB, outcome int64, code string) *tcmis.Indicator {
	t.Helper()
	i := &tcmis.Indicator{OutcomeID: outcome, Code: code, Title: "Indicator " + code, Unit: "member States"}
	if err := db.CreateIndicator(ctxAs("alice"), i); err != nil {
		t.Fatal(err)
	}
	return i
}

// insertUnitRow and insertProjectRow write the rows other stores own
// with plain SQL, so that these tests do not depend on those stores.
func insertUnitRow(t *testing.T, db *sqldb.DB, code string) int64 {
	t.Helper()
	id, err := sqldb.InsertRowForTestC(db, `INSERT INTO units (code, name, kind) VALUES (?, ?, 'department')`, code, "Unit "+code)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func insertProjectRow(t *testing.T, db *sqldb.DB, code string) int64 {
	t.Helper()
	unit := insertUnitRow(t, db, "U-"+code)
	id, err := sqldb.InsertRowForTestC(db, `INSERT INTO projects (code, title, source, lead_unit_id, scope, start_date, end_date, status, currency, updated_at)
		VALUES (?, ?, 'xbtc', ?, 'national', '2005-01-01', '2007-12-31', 'ongoing', 'USD', '2005-01-01T00:00:00Z')`, code, "Project "+code, unit)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
