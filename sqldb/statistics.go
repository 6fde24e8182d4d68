package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

var _ tcmis.StatisticsService = (*DB)(nil)

// The statistics read the report sums (sums.go), never the money tables:
// each query is one GROUP BY over a table of a few thousand rows.

// sumTable is one table of report sums and the dimensions it can group
// and filter by.
type sumTable struct {
	name    string
	measure tcmis.Measure
	// split is true when amount holds US cents times basis points.
	split bool
	dims  map[tcmis.Dimension]string
}

// The dimensions each sum table has, with the column that holds them.
// Category is the donor's, joined when read.
var sumTables = []sumTable{
	{name: "report_approvals", measure: tcmis.MeasureApprovals, split: true, dims: map[tcmis.Dimension]string{
		tcmis.ByYear: "t.year", tcmis.ByDonor: "t.donor_id", tcmis.ByCategory: "COALESCE(o.category, '')", tcmis.ByLocal: "t.local",
		tcmis.BySource: "t.source", tcmis.ByRegion: "t.region", tcmis.ByOffice: "t.office_id", tcmis.ByObjective: "t.objective"}},
	{name: "report_allocations", measure: tcmis.MeasureAllocations, dims: map[tcmis.Dimension]string{
		tcmis.ByYear: "t.year", tcmis.ByDonor: "t.donor_id", tcmis.ByCategory: "COALESCE(o.category, '')",
		tcmis.BySource: "t.source", tcmis.ByRegion: "t.region", tcmis.ByOffice: "t.office_id", tcmis.ByUnit: "t.unit_id"}},
	{name: "report_spending_objective", measure: tcmis.MeasureExpenditure, split: true, dims: map[tcmis.Dimension]string{
		tcmis.ByYear: "t.year", tcmis.ByType: "t.type", tcmis.ByDonor: "t.donor_id", tcmis.ByCategory: "COALESCE(o.category, '')",
		tcmis.BySource: "t.source", tcmis.ByRegion: "t.region", tcmis.ByOffice: "t.office_id",
		tcmis.ByObjective: "t.objective", tcmis.ByOutcome: "t.outcome"}},
	{name: "report_spending", measure: tcmis.MeasureExpenditure, dims: map[tcmis.Dimension]string{
		tcmis.ByYear: "t.year", tcmis.ByMonth: "t.month", tcmis.ByDonor: "t.donor_id", tcmis.ByCategory: "COALESCE(o.category, '')",
		tcmis.BySource: "t.source", tcmis.ByRegion: "t.region", tcmis.ByOffice: "t.office_id", tcmis.ByUnit: "t.unit_id"}},
	{name: "report_spending_place", measure: tcmis.MeasureExpenditure, split: true, dims: map[tcmis.Dimension]string{
		tcmis.ByYear: "t.year", tcmis.ByDonor: "t.donor_id", tcmis.ByCategory: "COALESCE(o.category, '')",
		tcmis.BySource: "t.source", tcmis.ByRegion: "t.region", tcmis.ByOffice: "t.office_id", tcmis.ByPlace: "t.place"}},
}

// filterDims lists the dimensions a filter needs its table to have.
func filterDims(f tcmis.StatsFilter) []tcmis.Dimension {
	var ds []tcmis.Dimension
	if f.FromYear != 0 || f.ToYear != 0 {
		ds = append(ds, tcmis.ByYear)
	}
	if f.ToMonth != 0 {
		ds = append(ds, tcmis.ByMonth)
	}
	if len(f.Sources) > 0 {
		ds = append(ds, tcmis.BySource)
	}
	if len(f.Regions) > 0 {
		ds = append(ds, tcmis.ByRegion)
	}
	if len(f.OfficeIDs) > 0 {
		ds = append(ds, tcmis.ByOffice)
	}
	if len(f.UnitIDs) > 0 {
		ds = append(ds, tcmis.ByUnit)
	}
	if len(f.DonorIDs) > 0 {
		ds = append(ds, tcmis.ByDonor)
	}
	if len(f.Categories) > 0 {
		ds = append(ds, tcmis.ByCategory)
	}
	if len(f.Objectives) > 0 {
		ds = append(ds, tcmis.ByObjective)
	}
	if f.Local != nil {
		ds = append(ds, tcmis.ByLocal)
	}
	return ds
}

// pickTable returns the first sum table of the measure with every
// dimension the query groups or filters by.
func pickTable(q tcmis.MoneyQuery) (*sumTable, error) {
	need := append(slices.Clone(q.By), filterDims(q.Filter)...)
	for i := range sumTables {
		t := &sumTables[i]
		if t.measure != q.Measure {
			continue
		}
		ok := true
		for _, d := range need {
			if _, has := t.dims[d]; !has {
				ok = false
				break
			}
		}
		if ok {
			return t, nil
		}
	}
	names := make([]string, len(need))
	for i, d := range need {
		names[i] = string(d)
	}
	return nil, tcmis.Errorf(tcmis.EINVALID, "%s cannot be summed by %s together", q.Measure, strings.Join(names, ", "))
}

// statsWhere turns a filter into conditions on a sum table (alias t,
// donors o).
func statsWhere(t *sumTable, f tcmis.StatsFilter) where {
	var w where
	if f.FromYear != 0 {
		w.add("t.year >= ?", f.FromYear)
	}
	if f.ToYear != 0 {
		w.add("t.year <= ?", f.ToYear)
	}
	if f.ToMonth != 0 {
		w.add("t.month <= ?", f.ToMonth)
	}
	in := func(col string, vals []any) {
		if len(vals) > 0 {
			w.add(col+" IN "+inList(len(vals)), vals...)
		}
	}
	in("t.source", anys(f.Sources))
	in("t.region", anys(f.Regions))
	in("t.office_id", anys(f.OfficeIDs))
	in(t.dims[tcmis.ByUnit], anys(f.UnitIDs))
	in("t.donor_id", anys(f.DonorIDs))
	in("COALESCE(o.category, '')", anys(f.Categories))
	in("t.objective", anys(f.Objectives))
	if f.Local != nil {
		local := 0
		if *f.Local {
			local = 1
		}
		w.add("t.local = ?", local)
	}
	return w
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		switch x := any(v).(type) {
		case tcmis.Source:
			out[i] = string(x)
		case tcmis.DonorCategory:
			out[i] = string(x)
		case tcmis.Objective:
			out[i] = string(x)
		default:
			out[i] = v
		}
	}
	return out
}

// SumMoney groups a measure by the query's dimensions, from the report
// sums. Amounts split by objective or place are rounded to the cent by
// largest remainder within each group of the other dimensions, so that
// they add up to that group's total.
func (db *DB) SumMoney(ctx context.Context, q tcmis.MoneyQuery) ([]tcmis.MoneySum, error) {
	t, err := pickTable(q)
	if err != nil {
		return nil, err
	}
	var out []tcmis.MoneySum
	err = db.view(ctx, func(tx *Tx) error {
		out, err = sumMoney(tx, t, q)
		return err
	})
	return out, err
}

func sumMoney(tx *Tx, t *sumTable, q tcmis.MoneyQuery) ([]tcmis.MoneySum, error) {
	exprs := make([]string, len(q.By))
	for i, d := range q.By {
		exprs[i] = t.dims[d]
	}
	w := statsWhere(t, q.Filter)
	// A row split between groups counts once in each group of a split
	// dimension, and once in all when the sum does not split.
	records := "CAST(SUM(t.records) AS BIGINT)"
	if t.split && !splits(q) {
		records = "CAST(SUM(t.shares) / 10000 AS BIGINT)"
	}
	sel := append(slices.Clone(exprs), "CAST(SUM(t.amount) AS BIGINT)", records)
	join := donorJoin(q.Filter)
	if slices.Contains(q.By, tcmis.ByCategory) {
		join = ` LEFT JOIN organisations o ON o.id = t.donor_id`
	}
	query := `SELECT ` + strings.Join(sel, ", ") + ` FROM ` + t.name + ` t` + join + w.String()
	if len(exprs) > 0 {
		query += ` GROUP BY ` + strings.Join(exprs, ", ")
	}
	query += ` HAVING SUM(t.records) <> 0`
	rows, err := tx.query(query, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tcmis.MoneySum
	for rows.Next() {
		keys := make([]sql.NullString, len(exprs))
		dest := make([]any, 0, len(exprs)+2)
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		var s tcmis.MoneySum
		dest = append(dest, &s.Amount, &s.Records)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		s.Keys = make([]string, len(keys))
		for i, k := range keys {
			s.Keys[i] = k.String
			if q.By[i] == tcmis.ByLocal {
				s.Keys[i] = strconv.FormatBool(k.String == "1" || k.String == "true")
			}
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortSums(out, q.By)
	if t.split {
		apportionSums(out, q.By)
	}
	return out, nil
}

// numericDims are the dimensions whose keys are numbers.
var numericDims = map[tcmis.Dimension]bool{tcmis.ByYear: true, tcmis.ByMonth: true, tcmis.ByOffice: true, tcmis.ByUnit: true, tcmis.ByDonor: true}

// sortSums orders sums by their keys, numbers as numbers and codes byte by
// byte, the same on every engine whatever its collation.
func sortSums(sums []tcmis.MoneySum, by []tcmis.Dimension) {
	slices.SortStableFunc(sums, func(a, b tcmis.MoneySum) int {
		for i, d := range by {
			if numericDims[d] {
				x, _ := strconv.ParseInt(a.Keys[i], 10, 64)
				y, _ := strconv.ParseInt(b.Keys[i], 10, 64)
				if c := cmp.Compare(x, y); c != 0 {
					return c
				}
			} else if c := strings.Compare(a.Keys[i], b.Keys[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// splits reports whether a query groups or filters by a dimension that
// splits money.
func splits(q tcmis.MoneyQuery) bool {
	for _, d := range append(slices.Clone(q.By), filterDims(q.Filter)...) {
		if d.Split() {
			return true
		}
	}
	return false
}

// apportionSums turns split amounts (cents times basis points) into
// cents: the amounts of each group of the dimensions that do not split
// add up to that group's total rounded half away from zero, and are
// shared out by largest remainder.
func apportionSums(sums []tcmis.MoneySum, by []tcmis.Dimension) {
	groups := map[string][]int{}
	var order []string
	for i, s := range sums {
		var parts []string
		for j, d := range by {
			if !d.Split() {
				parts = append(parts, s.Keys[j])
			}
		}
		k := strings.Join(parts, "\x00")
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	for _, k := range order {
		idx := groups[k]
		nums := make([]int64, len(idx))
		var total int64
		for j, i := range idx {
			nums[j] = sums[i].Amount
			total += sums[i].Amount
		}
		cents := tcmis.Apportion(tcmis.RoundDiv(total, int64(tcmis.Whole)), nums, int64(tcmis.Whole))
		for j, i := range idx {
			sums[i].Amount = cents[j]
		}
	}
}

// ProjectYears returns the delivery of the projects with allocations or
// expenditure in a year, from report_project_years: by project id, or
// with Below, lowest forecast first.
func (db *DB) ProjectYears(ctx context.Context, q tcmis.ProjectYearQuery) ([]tcmis.ProjectYear, int, error) {
	if q.Below != nil && (q.Month < 1 || q.Month > 12) {
		return nil, 0, tcmis.Errorf(tcmis.EINVALID, "say at the end of which month (1-12) the forecast is made")
	}
	var (
		out   []tcmis.ProjectYear
		total int
	)
	err := db.view(ctx, func(tx *Tx) error {
		t := &sumTable{dims: map[tcmis.Dimension]string{tcmis.ByUnit: "t.unit_id"}}
		f := q.Filter
		f.FromYear, f.ToYear, f.ToMonth = 0, 0, 0
		w := statsWhere(t, f)
		w.add("t.year = ?", q.Year)
		w.add("t.records > 0")
		// order sorts the rows of table alias a.
		order := func(a string) string { return a + ".project_id" }
		if q.Below != nil {
			// The forecast of tcmis.Forecast times k, unrounded: what was
			// spent to the end of the month plus the average of the last k
			// months for each month left. A project is kept when the
			// forecast, less the half cent Forecast may round it by, is
			// below the rate less the half basis point DeliveryRate may
			// round it by: 20000 F < (2 Below - 1) A, with F and A times k.
			m := q.Month
			k := min(3, m)
			forecast := func(a string) string {
				var ytd, recent []string
				for i := 1; i <= m; i++ {
					ytd = append(ytd, fmt.Sprintf("%s.m%d", a, i))
					if i > m-k {
						recent = append(recent, fmt.Sprintf("%s.m%d", a, i))
					}
				}
				return fmt.Sprintf("((%s) * %d + (%s) * %d)", strings.Join(ytd, " + "), k, strings.Join(recent, " + "), 12-m)
			}
			w.add("t.allocated > 0")
			w.add(forecast("t")+" * 20000 < ((2 * ? - 1) * t.allocated + 10000) * ?", int64(*q.Below), k)
			order = func(a string) string {
				return fmt.Sprintf("%s * 10000 / (%s.allocated * %d), %s.project_id", forecast(a), a, k, a)
			}
		}
		// One pass over the year's rows: the window counts them all
		// before the limit, and only the rows kept are joined to their
		// projects for their codes and titles.
		inner := tx.page(`SELECT t.*, COUNT(*) OVER () AS total FROM report_project_years t`+donorJoin(f)+w.String()+` ORDER BY `+order("t"), 0, q.Limit)
		query := `SELECT s.project_id, p.code, p.title, s.year, s.source, s.region, s.office_id, s.unit_id, s.donor_id, s.allocated,
			s.m1, s.m2, s.m3, s.m4, s.m5, s.m6, s.m7, s.m8, s.m9, s.m10, s.m11, s.m12, s.total
			FROM (` + inner + `) s JOIN projects p ON p.id = s.project_id ORDER BY ` + order("s")
		rows, err := tx.query(query, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var y tcmis.ProjectYear
			dest := []any{&y.ProjectID, &y.Code, &y.Title, &y.Year, &y.Source, &y.Region, &y.OfficeID, &y.UnitID, &y.DonorID, &y.Allocated}
			for i := range y.Monthly {
				dest = append(dest, &y.Monthly[i])
			}
			if err := rows.Scan(append(dest, &total)...); err != nil {
				return err
			}
			out = append(out, y)
		}
		return rows.Err()
	})
	return out, total, err
}

// donorJoin joins the donors of a sum table (alias t) when the filter
// needs their categories: looking them up row by row costs a third of a
// large query.
func donorJoin(f tcmis.StatsFilter) string {
	if len(f.Categories) == 0 {
		return ""
	}
	return ` LEFT JOIN organisations o ON o.id = t.donor_id`
}

// ProjectHeadings returns what each of the projects counts under in
// reports, with the same rules the report sums use.
func (db *DB) ProjectHeadings(ctx context.Context, ids []int64) (map[int64]tcmis.ProjectHeading, error) {
	out := make(map[int64]tcmis.ProjectHeading, len(ids))
	err := db.view(ctx, func(tx *Tx) error {
		return eachChunk(ids, func(in string, args []any) error {
			rows, err := tx.query(`SELECT h.*, COALESCE(o.category, '') FROM (`+projectHeadings+` WHERE p.id IN (`+in+`)) h
				LEFT JOIN organisations o ON o.id = h.donor_id`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var h tcmis.ProjectHeading
				if err := rows.Scan(&h.ProjectID, &h.Source, &h.UnitID, &h.OfficeID, &h.DonorID, &h.Region, &h.Category); err != nil {
					return err
				}
				out[h.ProjectID] = h
			}
			return rows.Err()
		})
	})
	return out, err
}

// SumTraining sums the participants of training activities by year.
func (db *DB) SumTraining(ctx context.Context, fromYear, toYear int) ([]tcmis.TrainingYear, error) {
	var w where
	if fromYear != 0 {
		w.add("year >= ?", fromYear)
	}
	if toYear != 0 {
		w.add("year <= ?", toYear)
	}
	var out []tcmis.TrainingYear
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT year, COUNT(*),
			CAST(SUM(CASE WHEN workers = 0 AND governments = 0 AND others = 0 THEN employers ELSE 0 END) AS BIGINT),
			CAST(SUM(employers) AS BIGINT),
			CAST(SUM(CASE WHEN employers = 0 AND governments = 0 AND others = 0 THEN workers ELSE 0 END) AS BIGINT),
			CAST(SUM(workers) AS BIGINT),
			CAST(SUM(governments) AS BIGINT), CAST(SUM(others) AS BIGINT), CAST(SUM(women) AS BIGINT)
			FROM training`+w.String()+` GROUP BY year ORDER BY year`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var y tcmis.TrainingYear
			if err := rows.Scan(&y.Year, &y.Activities, &y.EmployersOwn, &y.EmployersOther, &y.WorkersOwn, &y.WorkersOther,
				&y.Governments, &y.Others, &y.Women); err != nil {
				return err
			}
			y.EmployersOther -= y.EmployersOwn
			y.WorkersOther -= y.WorkersOwn
			y.Total = y.EmployersOwn + y.EmployersOther + y.WorkersOwn + y.WorkersOther + y.Governments + y.Others
			out = append(out, y)
		}
		return rows.Err()
	})
	return out, err
}

// FindCostIndex returns the cost index of every year, oldest first.
func (db *DB) FindCostIndex(ctx context.Context) ([]*tcmis.CostIndex, error) {
	var out []*tcmis.CostIndex
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, err = findCostIndex(tx, nil)
		return err
	})
	return out, err
}

func findCostIndex(tx *Tx, year *int) ([]*tcmis.CostIndex, error) {
	var w where
	if year != nil {
		w.add("year = ?", *year)
	}
	rows, err := tx.query(`SELECT year, value, note, version FROM cost_index`+w.String()+` ORDER BY year`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tcmis.CostIndex
	for rows.Next() {
		var c tcmis.CostIndex
		if err := rows.Scan(&c.Year, &c.Value, &c.Note, &c.Version); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// SetCostIndex stores the index of a year, replacing the one set before
// unless c.Version names another version than the stored one.
func (db *DB) SetCostIndex(ctx context.Context, c *tcmis.CostIndex) error {
	if err := c.Validate(); err != nil {
		return err
	}
	n := *c
	err := db.update(ctx, func(tx *Tx) error {
		old, err := findCostIndex(tx, &n.Year)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			if _, err := tx.exec(`INSERT INTO cost_index (year, value, note, version) VALUES (?, ?, ?, 1)`, n.Year, int64(n.Value), n.Note); err != nil {
				return constraintError(err, "the cost index of "+strconv.Itoa(n.Year))
			}
			n.Version = 1
			return tx.audit("cost-index", int64(n.Year), tcmis.ActionCreate, nil, &n)
		}
		version := n.Version
		if version == 0 {
			version = old[0].Version
		}
		res, err := tx.exec(`UPDATE cost_index SET value = ?, note = ?, version = version + 1 WHERE year = ? AND version = ?`, int64(n.Value), n.Note, n.Year, version)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return tcmis.Errorf(tcmis.ECONFLICT, "the cost index of %d was changed by someone else: reload it and set it again", n.Year)
		}
		n.Version = version + 1
		return tx.audit("cost-index", int64(n.Year), tcmis.ActionUpdate, old[0], &n)
	})
	if err == nil {
		*c = n
	}
	return err
}

// DeleteCostIndex removes the index of a year.
func (db *DB) DeleteCostIndex(ctx context.Context, year int) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findCostIndex(tx, &year)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "no cost index is set for %d", year)
		}
		if _, err := tx.exec(`DELETE FROM cost_index WHERE year = ?`, year); err != nil {
			return err
		}
		return tx.audit("cost-index", int64(year), tcmis.ActionDelete, old[0], nil)
	})
}
