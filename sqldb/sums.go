package sqldb

import (
	"fmt"
	"strings"
)

// The report sums (migration 0003) are kept current by the store's own
// write paths, in the same transaction as the write, without triggers:
//
//   - a bulk creation of approvals, allocations or expenditures adds the
//     rows it stored, summed in Go (sumsload.go);
//   - an update of one of those records takes it out of the sums before
//     the UPDATE and puts it back after (sumsRecord -1, +1); a deletion
//     takes it out;
//   - an update of a project takes all its money out before and puts it
//     back after, since its source, office, lead unit, lead donor,
//     geography and objective shares decide where its money counts
//     (sumsProject).
//
// An update or deletion is a handful of INSERT ... SELECT ... GROUP BY ...
// ON CONFLICT DO UPDATE statements (a fold) that add the selected rows,
// signed, to the groups they belong to. The same folds of all rows are
// the backfill of migration 0003 and the rebuild the tests compare the
// sums kept on write with.
//
// The headings of a project are read when its money is folded in; donor
// categories and names are joined when the sums are read, so changing a
// donor needs no refold.

// The folds stage their work in two tables (migration 0003): the
// selected money rows (report_fold) and the headings of their projects
// (report_fold_projects), so that the money table is read once and each
// project's headings looked up once, however many sums a fold adds to. A
// fold empties them before its transaction ends; on PostgreSQL the rows
// of one transaction are invisible to the others, so concurrent folds do
// not meet.

// sumsProjectHeadings stages the headings of the projects of the staged
// rows: source, lead unit, office, lead donor and reporting region
// (tcmis.InterregionalRegion for interregional and global projects; else
// the region of the first country, or of the first IATI region, or of the
// office). GROUP BY p.id, a no-op, keeps both engines from merging the
// lookups into a join that would repeat them for every row.
const sumsProjectHeadings = `INSERT INTO report_fold_projects (project_id, source, unit_id, office_id, donor_id, region) ` +
	projectHeadings + ` WHERE p.id IN (SELECT project_id FROM report_fold) GROUP BY p.id`

// projectHeadings selects what each project counts under.
const projectHeadings = `SELECT p.id AS project_id, p.source AS source, p.lead_unit_id AS unit_id, COALESCE(p.office_id, 0) AS office_id,
	COALESCE((SELECT d.donor_id FROM project_donors d WHERE d.project_id = p.id ORDER BY d.position LIMIT 1), 0) AS donor_id,
	CASE WHEN p.scope IN ('interregional', 'global') THEN 'interregional' ELSE COALESCE(
		(SELECT g.region FROM project_countries c JOIN report_geography g ON g.code = c.country WHERE c.project_id = p.id ORDER BY c.position LIMIT 1),
		(SELECT g.region FROM project_regions r JOIN report_geography g ON g.code = r.code WHERE r.project_id = p.id ORDER BY r.position LIMIT 1),
		(SELECT u.region FROM units u WHERE u.id = p.office_id AND u.region <> ''),
		'') END AS region
	FROM projects p`

// A fold is the statements that add one money table's selected rows to
// the sums: stage copies them into report_fold (expenditure row by row,
// approvals and allocations summed by project and year), with their amount
// (usd) and count (n) multiplied by the sign; %[1]s is the selection, a
// condition on the money table, and %[2]s the sign, a placeholder before
// the selection's. The statements read the staged rows as "base" and
// their projects' headings as "pd".
type fold struct {
	stage string
	stmts []foldStmt
}

// foldStmt is a statement of a fold and the grain it reads the staged rows
// at: nil for as staged, else summed by project, year and those of month,
// type, donor and local it names, so that it joins and groups as few rows
// as it needs (the sums by objective need no month, those by place neither
// month nor type).
type foldStmt struct {
	grain []string
	sql   string
}

// foldCTE names the staged rows, at a grain, and the projects' headings
// for a fold statement.
func foldCTE(grain []string) string {
	cols := map[string]string{"donor_id": "0", "month": "0", "type": "''", "local": "0"}
	group := []string{"project_id", "year"}
	for _, g := range grain {
		cols[g] = g
		group = append(group, g)
	}
	base := `SELECT project_id, year, ` + cols["donor_id"] + ` AS donor_id, ` + cols["month"] + ` AS month, ` + cols["type"] + ` AS type, ` +
		cols["local"] + ` AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY ` + strings.Join(group, ", ")
	if grain == nil {
		base = `SELECT project_id, year, donor_id, month, type, local, usd, n FROM report_fold`
	}
	return `WITH base AS (` + base + `),
	pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) `
}

func upsert(table string, keys, values []string) string {
	sets := make([]string, len(values))
	for i, v := range values {
		sets[i] = fmt.Sprintf("%s = %s.%s + excluded.%s", v, table, v, v)
	}
	return " ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ")
}

var (
	approvalFold = fold{
		stage: `INSERT INTO report_fold (project_id, donor_id, year, month, type, local, usd, n)
			SELECT project_id, donor_id, year, 0, '', CASE WHEN local THEN 1 ELSE 0 END, CAST(SUM(usd) AS BIGINT) * %[2]s, COUNT(*) * %[2]s
			FROM approvals WHERE %[1]s GROUP BY project_id, donor_id, year, local`,
		stmts: []foldStmt{{nil,
			`INSERT INTO report_approvals (year, donor_id, local, source, region, office_id, objective, amount, records, shares)
			SELECT b.year, b.donor_id, b.local, COALESCE(pd.source, 'xbtc'), COALESCE(pd.region, ''), COALESCE(pd.office_id, 0), COALESCE(o.objective, ''),
				SUM(b.usd * COALESCE(o.percent, 10000)), SUM(b.n), SUM(b.n * COALESCE(o.percent, 10000))
			FROM base b LEFT JOIN pd ON pd.project_id = b.project_id LEFT JOIN project_objectives o ON o.project_id = b.project_id
			WHERE 1 = 1
			GROUP BY b.year, b.donor_id, b.local, COALESCE(pd.source, 'xbtc'), COALESCE(pd.region, ''), COALESCE(pd.office_id, 0), COALESCE(o.objective, '')` +
				upsert("report_approvals", []string{"year", "donor_id", "local", "source", "region", "office_id", "objective"}, []string{"amount", "records", "shares"})},
		},
	}

	allocationFold = fold{
		stage: `INSERT INTO report_fold (project_id, donor_id, year, month, type, local, usd, n)
			SELECT project_id, 0, year, 0, '', 0, CAST(SUM(usd) AS BIGINT) * %[2]s, COUNT(*) * %[2]s
			FROM allocations WHERE %[1]s GROUP BY project_id, year`,
		stmts: []foldStmt{{nil,
			`INSERT INTO report_allocations (year, source, region, office_id, unit_id, donor_id, amount, records)
			SELECT b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, SUM(b.usd), SUM(b.n)
			FROM base b JOIN pd ON pd.project_id = b.project_id
			WHERE 1 = 1
			GROUP BY b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id` +
				upsert("report_allocations", []string{"year", "source", "region", "office_id", "unit_id", "donor_id"}, []string{"amount", "records"})}, {nil,
			`INSERT INTO report_project_years (project_id, year, source, region, office_id, unit_id, donor_id, allocated,
				m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, records)
			SELECT b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, SUM(b.usd),
				0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, SUM(b.n)
			FROM base b JOIN pd ON pd.project_id = b.project_id
			WHERE 1 = 1
			GROUP BY b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id` +
				upsertYears("allocated")},
		},
	}

	expenditureFold = fold{
		stage: `INSERT INTO report_fold (project_id, donor_id, year, month, type, local, usd, n)
			SELECT project_id, 0, year, month, type, 0, usd * %[2]s, CAST(%[2]s AS BIGINT)
			FROM expenditures WHERE %[1]s`,
		stmts: []foldStmt{{[]string{"month"},
			`INSERT INTO report_spending (year, month, source, region, office_id, unit_id, donor_id, amount, records)
			SELECT b.year, b.month, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, SUM(b.usd), SUM(b.n)
			FROM base b JOIN pd ON pd.project_id = b.project_id
			WHERE 1 = 1
			GROUP BY b.year, b.month, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id` +
				upsert("report_spending", []string{"year", "month", "source", "region", "office_id", "unit_id", "donor_id"}, []string{"amount", "records"})}, {[]string{"type"},
			`INSERT INTO report_spending_objective (year, type, source, region, office_id, donor_id, objective, outcome, amount, records, shares)
			SELECT b.year, b.type, pd.source, pd.region, pd.office_id, pd.donor_id, COALESCE(o.objective, ''), COALESCE(o.outcome, ''),
				SUM(b.usd * COALESCE(o.percent, 10000)), SUM(b.n), SUM(b.n * COALESCE(o.percent, 10000))
			FROM base b JOIN pd ON pd.project_id = b.project_id LEFT JOIN project_objectives o ON o.project_id = b.project_id
			WHERE 1 = 1
			GROUP BY b.year, b.type, pd.source, pd.region, pd.office_id, pd.donor_id, COALESCE(o.objective, ''), COALESCE(o.outcome, '')` +
				upsert("report_spending_objective", []string{"year", "type", "source", "region", "office_id", "donor_id", "objective", "outcome"}, []string{"amount", "records", "shares"})},
			// The place sums in three parts, each on an index: the shares
			// of countries, those of IATI regions, and the projects that
			// have neither.
			{[]string{}, placeFold(`JOIN project_countries c ON c.project_id = b.project_id`, `c.country`, `c.percent`, ``)},
			{[]string{}, placeFold(`JOIN project_regions c ON c.project_id = b.project_id`, `c.code`, `c.percent`, ``)},
			{[]string{}, placeFold(``, `''`, `10000`, `AND NOT EXISTS (SELECT 1 FROM project_countries c WHERE c.project_id = b.project_id)
				AND NOT EXISTS (SELECT 1 FROM project_regions c WHERE c.project_id = b.project_id)`)},
			{[]string{"month"}, `INSERT INTO report_project_years (project_id, year, source, region, office_id, unit_id, donor_id, allocated,
				m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, records)
			SELECT b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, 0, ` + monthSums() + `, SUM(b.n)
			FROM base b JOIN pd ON pd.project_id = b.project_id
			WHERE 1 = 1
			GROUP BY b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id` +
				upsertYears("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12")},
		},
	}
)

func placeFold(join, place, percent, cond string) string {
	group := ", " + place
	if !strings.Contains(place, ".") { // a constant: PostgreSQL refuses it in GROUP BY
		group = ""
	}
	return `INSERT INTO report_spending_place (year, source, region, office_id, donor_id, place, amount, records, shares)
		SELECT b.year, pd.source, pd.region, pd.office_id, pd.donor_id, ` + place + `, SUM(b.usd * ` + percent + `), SUM(b.n), SUM(b.n * ` + percent + `)
		FROM base b JOIN pd ON pd.project_id = b.project_id ` + join + `
		WHERE 1 = 1 ` + cond + `
		GROUP BY b.year, pd.source, pd.region, pd.office_id, pd.donor_id` + group +
		upsert("report_spending_place", []string{"year", "source", "region", "office_id", "donor_id", "place"}, []string{"amount", "records", "shares"})
}

func monthSums() string {
	parts := make([]string, 12)
	for m := 1; m <= 12; m++ {
		parts[m-1] = fmt.Sprintf("SUM(CASE WHEN b.month = %d THEN b.usd ELSE 0 END)", m)
	}
	return strings.Join(parts, ", ")
}

// upsertYears adds to the amounts of a project's year and sets its
// headings to the project's current ones.
func upsertYears(values ...string) string {
	sets := []string{"source = excluded.source", "region = excluded.region", "office_id = excluded.office_id",
		"unit_id = excluded.unit_id", "donor_id = excluded.donor_id", "records = report_project_years.records + excluded.records"}
	for _, v := range values {
		sets = append(sets, fmt.Sprintf("%s = report_project_years.%s + excluded.%s", v, v, v))
	}
	return " ON CONFLICT (year, project_id) DO UPDATE SET " + strings.Join(sets, ", ")
}

// run adds the rows of the fold's table that cond selects, multiplied by
// sign, to the sums.
func (f *fold) run(tx *Tx, sign int64, cond string, args ...any) error {
	if err := tx.sumsFlush(); err != nil {
		return err
	}
	for _, step := range f.steps(cond) {
		var a []any
		if step == f.stage {
			step = fmt.Sprintf(step, cond, "?")
			a = append([]any{sign, sign}, args...)
		}
		if _, err := tx.exec(step, a...); err != nil {
			return fmt.Errorf("report sums: %w", err)
		}
	}
	return nil
}

// steps are the statements of a fold in order: stage the rows and their
// projects' headings, add them to each sum, empty the staging tables.
func (f *fold) steps(cond string) []string {
	out := []string{f.stage, sumsProjectHeadings}
	for _, s := range f.stmts {
		out = append(out, foldCTE(s.grain)+s.sql)
	}
	return append(out, `DELETE FROM report_fold`, `DELETE FROM report_fold_projects`)
}

func foldOf(table string) *fold {
	switch table {
	case "approvals":
		return &approvalFold
	case "allocations":
		return &allocationFold
	case "expenditures":
		return &expenditureFold
	}
	panic("sqldb: no report sums for " + table)
}

// sumsRecord adds one stored money record to the report sums (sign 1) or
// takes it out (-1).
func (tx *Tx) sumsRecord(table string, id, sign int64) error {
	return foldOf(table).run(tx, sign, "id = ?", id)
}

// sumsProject adds all the money of a project to the report sums (sign
// 1), under its current headings, or takes it out (-1).
func (tx *Tx) sumsProject(id, sign int64) error {
	tx.sumsForget(id)
	for _, table := range []string{"approvals", "allocations", "expenditures"} {
		if err := foldOf(table).run(tx, sign, "project_id = ?", id); err != nil {
			return err
		}
	}
	return nil
}

// backfillSQL is the SQL that computes every report sum from the money
// already stored, for migration 0003 on a database that has some: the
// folds of all rows, with sign 1. TestSumsBackfill checks that the
// migration holds it.
func backfillSQL() string {
	var b strings.Builder
	for _, table := range []string{"approvals", "allocations", "expenditures"} {
		f := foldOf(table)
		for _, step := range f.steps("1 = 1") {
			if step == f.stage {
				step = fmt.Sprintf(step, "1 = 1", "1")
			}
			b.WriteString(flatten(step) + ";\n")
		}
	}
	return b.String()
}

// flatten writes a statement on one line, its whitespace runs as one
// space.
func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }
