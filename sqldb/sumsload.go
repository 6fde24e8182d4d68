package sqldb

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/tcmis/tcmis"
)

// The bulk creations of approvals, allocations and expenditures add their
// rows to the report sums in Go rather than through the folds of sums.go:
// each batch is summed by project, year and what else the sums need
// (month, type, donor, local) as it is written, and the sums themselves
// are upserted a few hundred rows per statement when the transaction is
// about to commit, or sooner when much is pending. A fold in SQL after
// every batch cost more than writing the batch (doc/benchmarks.md).
//
// The result is the folds' to the unit: the same headings, read with the
// folds' own query (projectHeadings) and the projects' shares, and the
// same integer arithmetic, amount times share in basis points, which is
// exact, so that summing before or after multiplying by the share gives
// the same figures. Nothing is rounded here; tcmis.Apportion rounds when
// the sums are read.
//
// A fold in SQL (sumsRecord, sumsProject) first writes what is pending,
// so that it reads and adds to current sums; sumsProject also forgets the
// cached headings of the project, which its update may change.

// pendingSums is what a transaction's bulk creations have added and not
// yet written to the sums, and the headings of the projects they read.
type pendingSums struct {
	heads map[int64]*sumHeads

	approvals   map[approvalGrain]int
	allocations map[projectYear]int
	months      map[monthGrain]int // expenditures by month
	types       map[typeGrain]int  // expenditures by type of assistance
	accs        []acc              // the sums of the grains above, by index

	// The last grains added to, for runs of rows of the same project,
	// year and type or month.
	lastMonth monthGrain
	lastType  typeGrain
	lastM     int
	lastT     int
}

// acc sums US cents and counts rows.
type acc struct{ usd, n int64 }

type approvalGrain struct {
	project, donor int64
	year           int
	local          bool
}

type projectYear struct {
	project int64
	year    int
}

type monthGrain struct {
	project     int64
	year, month int
}

type typeGrain struct {
	project int64
	year    int
	typ     tcmis.Assistance
}

// sumHeads is what a project's money counts under: the columns of
// projectHeadings, and its objective and place shares, each list never
// empty (a project without shares counts whole under "").
type sumHeads struct {
	source, region      string
	office, unit, donor int64
	objectives          []objectiveShare
	places              []placeShare
}

type objectiveShare struct {
	objective, outcome string
	percent            int64
}

type placeShare struct {
	place   string
	percent int64
}

// noProject is the headings of an approval of no project, as the
// approvals' fold reads them: extra-budgetary, no region, office or
// objective.
var noProject = &sumHeads{source: string(tcmis.XBTC), objectives: []objectiveShare{{percent: int64(tcmis.Whole)}}, places: []placeShare{{percent: int64(tcmis.Whole)}}}

// maxPending is how many groups a transaction keeps before writing them
// to the sums, and maxHeads how many projects' headings it caches.
var maxPending = 1 << 17

const maxHeads = 1 << 17

func (tx *Tx) pending() *pendingSums {
	if tx.sums == nil {
		tx.sums = &pendingSums{
			heads:       map[int64]*sumHeads{},
			approvals:   map[approvalGrain]int{},
			allocations: map[projectYear]int{},
			months:      map[monthGrain]int{},
			types:       map[typeGrain]int{},
			lastM:       -1,
			lastT:       -1,
		}
	}
	return tx.sums
}

// add adds a row to the sum of a grain, giving it an index if it has
// none.
func add[K comparable](p *pendingSums, m map[K]int, k K, usd int64) int {
	i, ok := m[k]
	if !ok {
		i = len(p.accs)
		p.accs = append(p.accs, acc{})
		m[k] = i
	}
	p.accs[i].usd += usd
	p.accs[i].n++
	return i
}

// sumsApprovals adds stored approvals to the report sums.
func (tx *Tx) sumsApprovals(as []*tcmis.Approval) error {
	p := tx.pending()
	for _, a := range as {
		add(p, p.approvals, approvalGrain{a.ProjectID, a.DonorID, a.Date.Year(), a.Local}, a.Amount.USD)
	}
	return tx.sumsMaybeFlush()
}

// sumsAllocations adds stored allocations to the report sums.
func (tx *Tx) sumsAllocations(as []*tcmis.Allocation) error {
	p := tx.pending()
	for _, a := range as {
		add(p, p.allocations, projectYear{a.ProjectID, a.Year}, a.Amount.USD)
	}
	return tx.sumsMaybeFlush()
}

// sumsExpenditures adds stored expenditures to the report sums.
func (tx *Tx) sumsExpenditures(es []*tcmis.Expenditure) error {
	p := tx.pending()
	for _, e := range es {
		usd := e.Amount.USD
		if m := (monthGrain{e.ProjectID, e.Year, e.Month}); p.lastM >= 0 && m == p.lastMonth {
			p.accs[p.lastM].usd += usd
			p.accs[p.lastM].n++
		} else {
			p.lastMonth, p.lastM = m, add(p, p.months, m, usd)
		}
		if t := (typeGrain{e.ProjectID, e.Year, e.Type}); p.lastT >= 0 && t == p.lastType {
			p.accs[p.lastT].usd += usd
			p.accs[p.lastT].n++
		} else {
			p.lastType, p.lastT = t, add(p, p.types, t, usd)
		}
	}
	return tx.sumsMaybeFlush()
}

func (tx *Tx) sumsMaybeFlush() error {
	if len(tx.sums.accs) < maxPending {
		return nil
	}
	return tx.sumsFlush()
}

// sumsForget drops the cached headings of a project about to change.
func (tx *Tx) sumsForget(project int64) {
	if tx.sums != nil {
		delete(tx.sums.heads, project)
	}
}

// sumsFlush writes what is pending to the sums.
func (tx *Tx) sumsFlush() error {
	p := tx.sums
	if p == nil || len(p.accs) == 0 {
		return nil
	}
	if err := p.readHeads(tx); err != nil {
		return fmt.Errorf("report sums: %w", err)
	}
	var (
		approvals  = newGroups[approvalKey, split]()
		allocs     = newGroups[allocationKey, acc]()
		spending   = newGroups[spendingKey, acc]()
		objectives = newGroups[objectiveKey, split]()
		places     = newGroups[placeKey, split]()
		years      = newGroups[projectYear, yearSums]()
	)
	for g, i := range p.approvals {
		a, h := p.accs[i], p.head(g.project)
		for _, o := range h.objectives {
			approvals.at(approvalKey{g.year, g.donor, g.local, h.source, h.region, h.office, o.objective}).add(a, o.percent)
		}
	}
	for g, i := range p.allocations {
		a, h := p.accs[i], p.head(g.project)
		allocs.at(allocationKey{g.year, h.source, h.region, h.office, h.unit, h.donor}).add(a)
		y := years.at(g)
		y.heads = h
		y.allocated += a.usd
		y.records += a.n
	}
	for g, i := range p.months {
		a, h := p.accs[i], p.head(g.project)
		spending.at(spendingKey{g.year, g.month, h.source, h.region, h.office, h.unit, h.donor}).add(a)
		y := years.at(projectYear{g.project, g.year})
		y.heads = h
		y.months[g.month-1] += a.usd
		y.records += a.n
	}
	for g, i := range p.types {
		a, h := p.accs[i], p.head(g.project)
		for _, o := range h.objectives {
			objectives.at(objectiveKey{g.year, string(g.typ), h.source, h.region, h.office, h.donor, o.objective, o.outcome}).add(a, o.percent)
		}
		for _, s := range h.places {
			places.at(placeKey{g.year, h.source, h.region, h.office, h.donor, s.place}).add(a, s.percent)
		}
	}
	clear(p.approvals)
	clear(p.allocations)
	clear(p.months)
	clear(p.types)
	p.accs, p.lastM, p.lastT = p.accs[:0], -1, -1

	err := writeSums(tx, approvalSums,
		approvals, compareApprovalKeys, func(k *approvalKey, s *split, r []any) {
			r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] = int64(k.year), k.donor, boolInt(k.local), k.source, k.region, k.office, k.objective, s.amount, s.records, s.shares
		})
	if err == nil {
		err = writeSums(tx, allocationSums,
			allocs, compareAllocationKeys, func(k *allocationKey, a *acc, r []any) {
				r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = int64(k.year), k.source, k.region, k.office, k.unit, k.donor, a.usd, a.n
			})
	}
	if err == nil {
		err = writeSums(tx, spendingSums,
			spending, compareSpendingKeys, func(k *spendingKey, a *acc, r []any) {
				r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] = int64(k.year), int64(k.month), k.source, k.region, k.office, k.unit, k.donor, a.usd, a.n
			})
	}
	if err == nil {
		err = writeSums(tx, objectiveSums,
			objectives, compareObjectiveKeys, func(k *objectiveKey, s *split, r []any) {
				r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10] = int64(k.year), k.typ, k.source, k.region, k.office, k.donor, k.objective, k.outcome, s.amount, s.records, s.shares
			})
	}
	if err == nil {
		err = writeSums(tx, placeSums,
			places, comparePlaceKeys, func(k *placeKey, s *split, r []any) {
				r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] = int64(k.year), k.source, k.region, k.office, k.donor, k.place, s.amount, s.records, s.shares
			})
	}
	if err == nil {
		err = writeSums(tx, projectYearSums, years,
			func(a, b projectYear) int {
				return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.project, b.project))
			},
			func(k *projectYear, y *yearSums, r []any) {
				h := y.heads
				r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = k.project, int64(k.year), h.source, h.region, h.office, h.unit, h.donor, y.allocated
				for m, v := range y.months {
					r[8+m] = v
				}
				r[20] = y.records
			})
	}
	if err != nil {
		return fmt.Errorf("report sums: %w", err)
	}
	if len(p.heads) > maxHeads {
		clear(p.heads)
	}
	return nil
}

// groups are the rows of a sum table a flush adds to, by key, in the
// order they were first added to.
type groups[K comparable, V any] struct {
	index map[K]int
	rows  []group[K, V]
}

type group[K comparable, V any] struct {
	key K
	val V
}

func newGroups[K comparable, V any]() *groups[K, V] { return &groups[K, V]{index: map[K]int{}} }

// at returns the sums of the group of k, new if there is none yet.
func (g *groups[K, V]) at(k K) *V {
	i, ok := g.index[k]
	if !ok {
		i = len(g.rows)
		g.rows = append(g.rows, group[K, V]{key: k})
		g.index[k] = i
	}
	return &g.rows[i].val
}

// split sums a split group: US cents times basis points, rows, and rows
// times basis points.
type split struct{ amount, records, shares int64 }

func (s *split) add(a acc, percent int64) {
	s.amount += a.usd * percent
	s.records += a.n
	s.shares += a.n * percent
}

func (s *acc) add(a acc) {
	s.usd += a.usd
	s.n += a.n
}

// yearSums is a row of report_project_years.
type yearSums struct {
	heads     *sumHeads
	allocated int64
	months    [12]int64
	records   int64
}

// The keys of the sum tables, each compared in the order of its table's
// primary key, so that the rows are written in the order of its index.
type (
	approvalKey struct {
		year           int
		donor          int64
		local          bool
		source, region string
		office         int64
		objective      string
	}
	allocationKey struct {
		year                int
		source, region      string
		office, unit, donor int64
	}
	spendingKey struct {
		year, month         int
		source, region      string
		office, unit, donor int64
	}
	objectiveKey struct {
		year                int
		typ, source, region string
		office, donor       int64
		objective, outcome  string
	}
	placeKey struct {
		year           int
		source, region string
		office, donor  int64
		place          string
	}
)

func compareApprovalKeys(a, b approvalKey) int {
	return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.donor, b.donor), cmp.Compare(boolInt(a.local), boolInt(b.local)),
		cmp.Compare(a.source, b.source), cmp.Compare(a.region, b.region), cmp.Compare(a.office, b.office), cmp.Compare(a.objective, b.objective))
}

func compareAllocationKeys(a, b allocationKey) int {
	return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.source, b.source), cmp.Compare(a.region, b.region),
		cmp.Compare(a.office, b.office), cmp.Compare(a.unit, b.unit), cmp.Compare(a.donor, b.donor))
}

func compareSpendingKeys(a, b spendingKey) int {
	return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.month, b.month), cmp.Compare(a.source, b.source), cmp.Compare(a.region, b.region),
		cmp.Compare(a.office, b.office), cmp.Compare(a.unit, b.unit), cmp.Compare(a.donor, b.donor))
}

func compareObjectiveKeys(a, b objectiveKey) int {
	return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.typ, b.typ), cmp.Compare(a.source, b.source), cmp.Compare(a.region, b.region),
		cmp.Compare(a.office, b.office), cmp.Compare(a.donor, b.donor), cmp.Compare(a.objective, b.objective), cmp.Compare(a.outcome, b.outcome))
}

func comparePlaceKeys(a, b placeKey) int {
	return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.source, b.source), cmp.Compare(a.region, b.region),
		cmp.Compare(a.office, b.office), cmp.Compare(a.donor, b.donor), cmp.Compare(a.place, b.place))
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// writeSums adds the groups to a sum table, in the order of compare (the
// table's key); row fills a table row with a group's key and sums.
func writeSums[K comparable, V any](tx *Tx, t sumTableColumns, g *groups[K, V], compare func(a, b K) int, row func(*K, *V, []any)) error {
	slices.SortFunc(g.rows, func(a, b group[K, V]) int { return compare(a.key, b.key) })
	r := make([]any, len(t.cols))
	return tx.insertRows(t.table, t.cols, t.conflict, len(g.rows), func(i int) []any {
		row(&g.rows[i].key, &g.rows[i].val, r)
		return r
	})
}

// sumTableColumns is a sum table, the columns a flush writes and the
// clause that adds them to an existing row.
type sumTableColumns struct {
	table, conflict string
	cols            []string
}

func sumColumns(table string, keys, values []string) sumTableColumns {
	return sumTableColumns{table, upsert(table, keys, values), append(slices.Clip(keys), values...)}
}

var (
	approvalSums   = sumColumns("report_approvals", []string{"year", "donor_id", "local", "source", "region", "office_id", "objective"}, []string{"amount", "records", "shares"})
	allocationSums = sumColumns("report_allocations", []string{"year", "source", "region", "office_id", "unit_id", "donor_id"}, []string{"amount", "records"})
	spendingSums   = sumColumns("report_spending", []string{"year", "month", "source", "region", "office_id", "unit_id", "donor_id"}, []string{"amount", "records"})
	objectiveSums  = sumColumns("report_spending_objective", []string{"year", "type", "source", "region", "office_id", "donor_id", "objective", "outcome"}, []string{"amount", "records", "shares"})
	placeSums      = sumColumns("report_spending_place", []string{"year", "source", "region", "office_id", "donor_id", "place"}, []string{"amount", "records", "shares"})
	// The rows of report_project_years take their project's current
	// headings.
	projectYearSums = sumTableColumns{"report_project_years", upsertYears(yearMonths...), append(append([]string{"project_id", "year", "source", "region", "office_id", "unit_id", "donor_id", "allocated"},
		yearMonths[1:]...), "records")}
	yearMonths = []string{"allocated", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12"}
)

// head returns the cached headings of a project, or those of no project.
func (p *pendingSums) head(project int64) *sumHeads {
	if project == 0 {
		return noProject
	}
	return p.heads[project]
}

// readHeads reads the headings and shares of the pending rows' projects
// that are not cached.
func (p *pendingSums) readHeads(tx *Tx) error {
	var ids []int64
	note := func(id int64) {
		if id != 0 && p.heads[id] == nil {
			p.heads[id] = &sumHeads{}
			ids = append(ids, id)
		}
	}
	for g := range p.approvals {
		note(g.project)
	}
	for g := range p.allocations {
		note(g.project)
	}
	for g := range p.months {
		note(g.project)
	}
	for g := range p.types {
		note(g.project)
	}
	if len(ids) == 0 {
		return nil
	}
	err := eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(projectHeadings+` WHERE p.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var h sumHeads
			if err := rows.Scan(&id, &h.source, &h.unit, &h.office, &h.donor, &h.region); err != nil {
				return err
			}
			*p.heads[id] = h
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := scanShares(tx, `SELECT project_id, objective, outcome, percent FROM project_objectives WHERE project_id IN (`+in+`)`, args, func(id int64, vals []string, percent int64) {
			h := p.heads[id]
			h.objectives = append(h.objectives, objectiveShare{vals[0], vals[1], percent})
		}, 2); err != nil {
			return err
		}
		for _, q := range []string{`SELECT project_id, country, percent FROM project_countries WHERE project_id IN (`, `SELECT project_id, code, percent FROM project_regions WHERE project_id IN (`} {
			if err := scanShares(tx, q+in+`)`, args, func(id int64, vals []string, percent int64) {
				h := p.heads[id]
				h.places = append(h.places, placeShare{vals[0], percent})
			}, 1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, id := range ids {
			delete(p.heads, id)
		}
		return err
	}
	for _, id := range ids {
		h := p.heads[id]
		if len(h.objectives) == 0 {
			h.objectives = noProject.objectives
		}
		if len(h.places) == 0 {
			h.places = noProject.places
		}
	}
	return nil
}

// scanShares reads rows of a project id, n texts and a percent.
func scanShares(tx *Tx, q string, args []any, fn func(id int64, vals []string, percent int64), n int) error {
	rows, err := tx.query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		id      int64
		percent int64
		vals    = make([]string, n)
		dest    = []any{&id}
	)
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	dest = append(dest, &percent)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn(id, slices.Clone(vals), percent)
	}
	return rows.Err()
}
