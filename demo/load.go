package demo

import (
	"context"
	"math/rand/v2"

	"github.com/tcmis/tcmis"
)

// load creates every record through l, in an order in which each record
// refers only to records already created: donors, units, agreements, the
// results framework and the country programmes before the projects that
// refer to their outcome codes, then rates and money, results,
// evaluations and their lessons, training.
func (g *generator) load(ctx context.Context, l tcmis.Loader, st *Stats) error {
	g.done = 0
	steps := []struct {
		name string
		fn   func(context.Context, tcmis.Loader, *Stats) error
	}{
		{"organisations", g.loadOrganisations},
		{"units", g.loadUnits},
		{"agreements", g.loadAgreements},
		{"results framework", g.loadFramework},
		{"country programmes", g.loadProgrammes},
		{"projects", g.loadProjects},
		{"exchange rates", g.loadRates},
		{"approvals", g.loadApprovals},
		{"allocations", g.loadAllocations},
		{"expenditures", g.loadExpenditures},
		{"results", g.loadResults},
		{"evaluations and lessons", g.loadEvaluations},
		{"training", g.loadTraining},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.fn(ctx, l, st); err != nil {
			return &stepError{s.name, err}
		}
	}
	return nil
}

// stepError names the part of the demo that failed to load, keeping the
// store's error (and its code) underneath.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// batch collects records of one kind and hands them to the loader when
// full, reusing the same memory for every batch. after, if set, sees each
// batch once the loader has created it and set its IDs.
type batch[T any] struct {
	items  []T
	ptrs   []*T
	n      int
	create func([]*T) error
	after  func([]T)
	count  *int64
	g      *generator
	ctx    context.Context
}

func newBatch[T any](g *generator, ctx context.Context, size int, count *int64, create func([]*T) error) *batch[T] {
	b := &batch[T]{items: make([]T, size), ptrs: make([]*T, size), create: create, count: count, g: g, ctx: ctx}
	for i := range b.items {
		b.ptrs[i] = &b.items[i]
	}
	return b
}

// next returns the next record to fill, flushing a full batch first.
func (b *batch[T]) next() (*T, error) {
	if b.n == len(b.items) {
		if err := b.flush(); err != nil {
			return nil, err
		}
	}
	b.n++
	return &b.items[b.n-1], nil
}

// flush creates the records collected and reports the ones created.
func (b *batch[T]) flush() error {
	if b.n == 0 {
		return nil
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if err := b.create(b.ptrs[:b.n]); err != nil {
		return err
	}
	if b.after != nil {
		b.after(b.items[:b.n])
	}
	*b.count += int64(b.n)
	b.g.progress(b.n)
	b.n = 0
	return nil
}

// createAll creates a short list in one call and counts it.
func createAll[T any](g *generator, count *int64, create func([]*T) error, items []*T) error {
	if err := create(items); err != nil {
		return err
	}
	*count += int64(len(items))
	g.progress(len(items))
	return nil
}

func (g *generator) loadOrganisations(ctx context.Context, l tcmis.Loader, st *Stats) error {
	os := make([]*tcmis.Organisation, len(donors))
	for i := range donors {
		d := &donors[i]
		os[i] = &tcmis.Organisation{Name: d.name, Category: d.category, NonState: d.nonState, Ref: d.ref, Type: d.typ, Country: d.country}
	}
	if err := createAll(g, &st.Organisations, l.CreateOrganisations, os); err != nil {
		return err
	}
	g.donorIDs = make([]int64, len(os))
	for i, o := range os {
		g.donorIDs[i] = o.ID
	}
	return nil
}

// loadUnits creates the units level by level, so that each knows the ID
// of the unit it reports to.
func (g *generator) loadUnits(ctx context.Context, l tcmis.Loader, st *Stats) error {
	g.unitIDs = make([]int64, len(units))
	done := make([]bool, len(units))
	for left := len(units); left > 0; {
		var level []*tcmis.Unit
		var idx []int
		for i := range units {
			u := &units[i]
			if done[i] {
				continue
			}
			parent := -1
			if u.parent != "" {
				parent = unitIndex(u.parent)
				if !done[parent] {
					continue
				}
			}
			rec := &tcmis.Unit{Code: u.code, Name: u.name, Kind: u.kind, Region: u.region, Country: u.country}
			if parent >= 0 {
				rec.ParentID = g.unitIDs[parent]
			}
			level = append(level, rec)
			idx = append(idx, i)
		}
		if err := createAll(g, &st.Units, l.CreateUnits, level); err != nil {
			return err
		}
		for k, rec := range level {
			g.unitIDs[idx[k]] = rec.ID
			done[idx[k]] = true
		}
		left -= len(level)
	}
	return nil
}

func (g *generator) loadAgreements(ctx context.Context, l tcmis.Loader, st *Stats) error {
	b := newBatch(g, ctx, recordBatch, &st.Agreements, l.CreateAgreements)
	first := 0
	b.after = func(items []tcmis.Agreement) {
		for k := range items {
			g.agreements[first+k].id = items[k].ID
		}
		first += len(items)
	}
	for _, a := range g.agreements {
		rec, err := b.next()
		if err != nil {
			return err
		}
		*rec = tcmis.Agreement{Ref: a.ref, Title: a.title, DonorID: g.donorIDs[a.donor], Kind: a.kind, Start: a.start, End: a.end,
			Amount: tcmis.Money{Amount: a.amount, Currency: a.currency}, NegotiatedBy: g.unitIDs[a.unit], Local: a.local}
	}
	return b.flush()
}

func (g *generator) loadFramework(ctx context.Context, l tcmis.Loader, st *Stats) error {
	f := g.fw
	if err := createAll(g, &st.Outcomes, l.CreateOutcomes, f.outcomes); err != nil {
		return err
	}
	for i, ind := range f.indicators {
		ind.OutcomeID = f.outcomes[f.indOutcome[i]].ID
	}
	if err := createAll(g, &st.Indicators, l.CreateIndicators, f.indicators); err != nil {
		return err
	}
	for i, t := range f.targets {
		t.IndicatorID = f.indicators[f.tgtInd[i]].ID
	}
	return createAll(g, &st.Targets, l.CreateTargets, f.targets)
}

func (g *generator) loadProgrammes(ctx context.Context, l tcmis.Loader, st *Stats) error {
	return createAll(g, &st.Programmes, l.CreateProgrammes, g.programmes)
}

func (g *generator) loadProjects(ctx context.Context, l tcmis.Loader, st *Stats) error {
	b := newBatch(g, ctx, projectBatch, &st.Projects, l.CreateProjects)
	var inBatch []*project
	b.after = func(items []tcmis.Project) {
		for k := range items {
			inBatch[k].id = items[k].ID
		}
		inBatch = inBatch[:0]
	}
	for _, p := range g.projects {
		rec, err := b.next()
		if err != nil {
			return err
		}
		g.projectRecord(p, rec)
		inBatch = append(inBatch, p)
	}
	return b.flush()
}

// projectRecord builds the record of a planned project; the details that
// do not affect its money are drawn here from its own random stream.
func (g *generator) projectRecord(p *project, rec *tcmis.Project) {
	r := g.reseed(saltRecord, uint64(p.seq))
	th := p.th()
	ids := make([]int64, len(p.donors))
	for i, d := range p.donors {
		ids[i] = g.donorIDs[d]
	}
	*rec = tcmis.Project{
		Code: p.code, Title: p.title, Description: th.description, Source: p.source, DonorIDs: ids,
		LeadUnitID: g.unitIDs[p.lead], Scope: p.scope, Countries: p.countries, Regions: p.regions,
		Sectors: th.sectors, CountryOutcomes: p.outcomes, Start: p.start, End: p.end, Status: p.status,
		Currency: p.currency, Crisis: th.crisis,
	}
	if p.agreement >= 0 {
		rec.AgreementID = g.agreements[p.agreement].id
	}
	if p.office >= 0 {
		rec.OfficeID = g.unitIDs[p.office]
	}
	if p.xb() {
		rec.IATIID = "XM-DAC-41302-" + p.code
	}
	primary := tcmis.ObjectiveShare{Objective: th.objective, Outcome: th.outcome, Percent: tcmis.Whole}
	if p.split {
		second := tcmis.Percent(between(r, 20, 40) * 100)
		primary.Percent -= second
		rec.Objectives = []tcmis.ObjectiveShare{primary, {Objective: th.second, Outcome: th.secondOutcome, Percent: second}}
	} else {
		rec.Objectives = []tcmis.ObjectiveShare{primary}
	}
	rec.Budget = budgetLines(p)
	rec.Gender = genderMarker(r, p)
	rec.Tripartite = tripartite(r, th)
	if len(th.conventions) > 0 {
		rec.Conventions = th.conventions
		if len(th.conventions) > 2 && chance(r, 50) {
			rec.Conventions = th.conventions[:2]
		}
	}
}

// budgetLines splits the budget by type of assistance with the project's
// own mix.
func budgetLines(p *project) []tcmis.BudgetLine {
	var w [6]int64
	n := 0
	for t := range 6 {
		if p.types&(1<<t) != 0 {
			w[t] = typeMix[3][t] * int64(p.mult[t])
			n++
		}
	}
	parts := split(make([]int64, 0, 6), p.budget, w[:])
	lines := make([]tcmis.BudgetLine, 0, n)
	for t, a := range parts {
		if p.types&(1<<t) != 0 {
			lines = append(lines, tcmis.BudgetLine{Type: assistance[t], Amount: a})
		}
	}
	return lines
}

func genderMarker(r *rand.Rand, p *project) tcmis.GenderMarker {
	// Projects designed before 2003 were often never screened.
	if p.start.Before(date(2003, 1, 1)) && chance(r, 50) {
		return tcmis.NotScreened
	}
	n := r.IntN(100)
	switch p.th().gender {
	case tcmis.Principal:
		if n < 85 {
			return tcmis.Principal
		}
		return tcmis.Significant
	case tcmis.Significant:
		switch {
		case n < 60:
			return tcmis.Significant
		case n < 90:
			return tcmis.NotTargeted
		}
		return tcmis.Principal
	}
	if n < 70 {
		return tcmis.NotTargeted
	}
	return tcmis.Significant
}

func tripartite(r *rand.Rand, th *theme) tcmis.Tripartite {
	partial := []tcmis.Constituents{tcmis.Governments, tcmis.Governments | tcmis.Workers, tcmis.Governments | tcmis.Employers, tcmis.AllConstituents}
	stage := func(full bool, none int) tcmis.Constituents {
		if full {
			return tcmis.AllConstituents
		}
		if chance(r, none) {
			return 0
		}
		return partial[r.IntN(len(partial))]
	}
	full := chance(r, th.tripartite)
	return tcmis.Tripartite{
		Design:         stage(full, 5),
		Implementation: stage(full, 10),
		Monitoring:     stage(full && chance(r, 85), 30),
		Evaluation:     stage(full && chance(r, 70), 40),
	}
}

func (g *generator) loadResults(ctx context.Context, l tcmis.Loader, st *Stats) error {
	f := g.fw
	for i, res := range f.results {
		res.IndicatorID = f.indicators[f.resInd[i]].ID
		if p := f.resProject[i]; p != nil {
			res.ProjectID = p.id
		}
	}
	return createAll(g, &st.Results, l.CreateResults, f.results)
}

func (g *generator) loadTraining(ctx context.Context, l tcmis.Loader, st *Stats) error {
	for i, t := range g.training {
		if p := g.trainedFor[i]; p != nil {
			t.ProjectID = p.id
		}
	}
	return createAll(g, &st.Training, l.CreateTraining, g.training)
}
