package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// Projects live in the projects table and their lists in one child table
// each (projectLists), ordered by position.

// projectColumns are the columns of the projects table in the order of
// projectRow; id comes first and version last.
var projectColumns = []string{"id", "code", "title", "description", "source", "agreement_id", "lead_unit_id", "office_id",
	"scope", "start_date", "end_date", "status", "currency", "gender", "tri_design", "tri_implementation",
	"tri_monitoring", "tri_evaluation", "crisis", "iati_id", "updated_at", "version"}

var (
	projectSelect = "SELECT p." + strings.Join(projectColumns, ", p.") + " FROM projects p"
	projectInsert = "INSERT INTO projects (" + strings.Join(projectColumns[1:], ", ") + ") VALUES " + inList(len(projectColumns)-1)
	// projectUpdate sets every column but id and version, which bump
	// takes care of.
	projectUpdate = "UPDATE projects SET " + strings.Join(projectColumns[1:len(projectColumns)-1], " = ?, ") + " = ? WHERE id = ?"
)

// projectRow returns the values of projectColumns as plain Go values
// (PostgreSQL's binary COPY takes no named types).
func projectRow(tx *Tx, p *tcmis.Project) []any {
	t := p.Tripartite
	return []any{p.ID, p.Code, p.Title, p.Description, string(p.Source), nullID(p.AgreementID), p.LeadUnitID, nullID(p.OfficeID),
		string(p.Scope), tx.date(p.Start), tx.date(p.End), string(p.Status), p.Currency, int64(p.Gender), int64(t.Design), int64(t.Implementation),
		int64(t.Monitoring), int64(t.Evaluation), p.Crisis, p.IATIID, tx.stamp(p.UpdatedAt), int64(p.Version)}
}

func scanProject(rows *sql.Rows) (*tcmis.Project, error) {
	var p tcmis.Project
	t := &p.Tripartite
	err := rows.Scan(&p.ID, &p.Code, &p.Title, &p.Description, &p.Source, scanID(&p.AgreementID), &p.LeadUnitID, scanID(&p.OfficeID),
		&p.Scope, scanTime(&p.Start), scanTime(&p.End), &p.Status, &p.Currency, &p.Gender, &t.Design, &t.Implementation,
		&t.Monitoring, &t.Evaluation, &p.Crisis, &p.IATIID, scanTime(&p.UpdatedAt), &p.Version)
	return &p, err
}

// projectList is one of a project's lists and the table that holds it,
// keyed by (project_id, position).
type projectList struct {
	table string
	cols  []string
	// rows returns the list's values for cols, in order.
	rows func(p *tcmis.Project) [][]any
	// read scans one row of project_id and cols and appends it to its
	// project.
	read func(rows *sql.Rows, byID map[int64]*tcmis.Project) error
}

var projectLists = []projectList{
	{
		table: "project_donors", cols: []string{"donor_id"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.DonorIDs))
			for i, id := range p.DonorIDs {
				out[i] = []any{id}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id, donor int64
			if err := rows.Scan(&id, &donor); err != nil {
				return err
			}
			byID[id].DonorIDs = append(byID[id].DonorIDs, donor)
			return nil
		},
	},
	{
		table: "project_countries", cols: []string{"country", "percent"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.Countries))
			for i, c := range p.Countries {
				out[i] = []any{c.Country, int64(c.Percent)}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var c tcmis.CountryShare
			if err := rows.Scan(&id, &c.Country, &c.Percent); err != nil {
				return err
			}
			byID[id].Countries = append(byID[id].Countries, c)
			return nil
		},
	},
	{
		table: "project_regions", cols: []string{"code", "percent"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.Regions))
			for i, r := range p.Regions {
				out[i] = []any{r.Code, int64(r.Percent)}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var r tcmis.RegionShare
			if err := rows.Scan(&id, &r.Code, &r.Percent); err != nil {
				return err
			}
			byID[id].Regions = append(byID[id].Regions, r)
			return nil
		},
	},
	{
		table: "project_objectives", cols: []string{"objective", "outcome", "percent"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.Objectives))
			for i, o := range p.Objectives {
				out[i] = []any{string(o.Objective), o.Outcome, int64(o.Percent)}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var o tcmis.ObjectiveShare
			if err := rows.Scan(&id, &o.Objective, &o.Outcome, &o.Percent); err != nil {
				return err
			}
			byID[id].Objectives = append(byID[id].Objectives, o)
			return nil
		},
	},
	{
		table: "project_sectors", cols: []string{"code", "percent"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.Sectors))
			for i, s := range p.Sectors {
				out[i] = []any{s.Code, int64(s.Percent)}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var s tcmis.SectorShare
			if err := rows.Scan(&id, &s.Code, &s.Percent); err != nil {
				return err
			}
			byID[id].Sectors = append(byID[id].Sectors, s)
			return nil
		},
	},
	{
		table: "project_budget", cols: []string{"type", "amount"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.Budget))
			for i, b := range p.Budget {
				out[i] = []any{string(b.Type), b.Amount}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var b tcmis.BudgetLine
			if err := rows.Scan(&id, &b.Type, &b.Amount); err != nil {
				return err
			}
			byID[id].Budget = append(byID[id].Budget, b)
			return nil
		},
	},
	{
		table: "project_conventions", cols: []string{"convention"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.Conventions))
			for i, c := range p.Conventions {
				out[i] = []any{int64(c)}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var c int
			if err := rows.Scan(&id, &c); err != nil {
				return err
			}
			byID[id].Conventions = append(byID[id].Conventions, c)
			return nil
		},
	},
	{
		table: "project_country_outcomes", cols: []string{"outcome_code"},
		rows: func(p *tcmis.Project) [][]any {
			out := make([][]any, len(p.CountryOutcomes))
			for i, c := range p.CountryOutcomes {
				out[i] = []any{c}
			}
			return out
		},
		read: func(rows *sql.Rows, byID map[int64]*tcmis.Project) error {
			var id int64
			var c string
			if err := rows.Scan(&id, &c); err != nil {
				return err
			}
			byID[id].CountryOutcomes = append(byID[id].CountryOutcomes, c)
			return nil
		},
	},
}

// FindProjectByID returns one project with its lists, or ENOTFOUND.
func (db *DB) FindProjectByID(ctx context.Context, id int64) (*tcmis.Project, error) {
	var p *tcmis.Project
	err := db.view(ctx, func(tx *Tx) (err error) {
		p, err = findProjectByID(tx, id)
		return err
	})
	return p, err
}

// FindProjectByCode returns the project with a code, or ENOTFOUND.
func (db *DB) FindProjectByCode(ctx context.Context, code string) (*tcmis.Project, error) {
	var p *tcmis.Project
	err := db.view(ctx, func(tx *Tx) error {
		ps, _, err := findProjects(tx, tcmis.ProjectFilter{Code: &code})
		if err != nil {
			return err
		} else if len(ps) == 0 {
			return tcmis.Errorf(tcmis.ENOTFOUND, "project %s not found", code)
		}
		p = ps[0]
		return nil
	})
	return p, err
}

// FindProjects returns the projects that match f, with their lists, and
// how many match in all.
func (db *DB) FindProjects(ctx context.Context, f tcmis.ProjectFilter) ([]*tcmis.Project, int, error) {
	var (
		ps []*tcmis.Project
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		ps, n, err = findProjects(tx, f)
		return err
	})
	return ps, n, err
}

// CountProjectsByCountry returns how many projects work in each country.
func (db *DB) CountProjectsByCountry(ctx context.Context) (map[string]int, error) {
	var counts map[string]int
	err := db.view(ctx, func(tx *Tx) (err error) {
		counts, err = countProjectsByCountry(tx)
		return err
	})
	return counts, err
}

// countProjectsByCountry counts the rows of project_countries: a project
// names a country once (the primary key), so each row is one project.
func countProjectsByCountry(tx *Tx) (map[string]int, error) {
	rows, err := tx.query(`SELECT country, COUNT(*) FROM project_countries GROUP BY country`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var (
			country string
			n       int
		)
		if err := rows.Scan(&country, &n); err != nil {
			return nil, err
		}
		counts[country] = n
	}
	return counts, rows.Err()
}

// CreateProject stores a new project and its lists, and sets its ID.
func (db *DB) CreateProject(ctx context.Context, p *tcmis.Project) error {
	// The transaction works on a copy, which becomes p once committed, so
	// that a retried or failed attempt leaves p as it was.
	var c tcmis.Project
	err := db.update(ctx, func(tx *Tx) error {
		c = *p
		if err := checkProjects(tx, []*tcmis.Project{&c}, false, 0); err != nil {
			return err
		}
		c.Version, c.UpdatedAt = 1, stampNow(tx)
		id, err := tx.insert(projectInsert, projectRow(tx, &c)[1:]...)
		if err != nil {
			return constraintError(err, "a project with code "+c.Code)
		}
		c.ID = id
		tx.complianceTouch(id)
		if err := writeProjectLists(tx, []*tcmis.Project{&c}); err != nil {
			return err
		}
		return tx.audit("project", id, tcmis.ActionCreate, nil, &c)
	})
	if err == nil {
		*p = c
	}
	return err
}

// CreateProjects stores many projects in one transaction: all or none.
func (db *DB) CreateProjects(ctx context.Context, ps []*tcmis.Project) error {
	return db.load(ctx, func(l *loader) error { return l.CreateProjects(ps) })
}

// UpdateProject saves p and replaces its lists, unless someone changed it
// since it was read.
func (db *DB) UpdateProject(ctx context.Context, p *tcmis.Project) error {
	var c tcmis.Project
	err := db.update(ctx, func(tx *Tx) error {
		c = *p
		old, err := findProjectByID(tx, c.ID)
		if err != nil {
			return err
		}
		if c.Status != old.Status {
			// The cycle's rules and roles govern status: CycleService.
			return &tcmis.Error{Code: tcmis.EINVALID, Message: "project " + c.Code + " is not valid", Problems: []tcmis.Problem{{Field: "status",
				Message: fmt.Sprintf("a project moves from %s to %s through the project cycle (tcmis project status), not by editing it", old.Status.Label(), c.Status.Label())}}}
		}
		if err := tx.bump("projects", c.ID, c.Version, "project"); err != nil {
			return err
		}
		if err := tx.sumsProject(c.ID, -1); err != nil {
			return err
		}
		if err := checkProjects(tx, []*tcmis.Project{&c}, false, c.ID); err != nil {
			return err
		}
		c.Version, c.UpdatedAt = old.Version+1, stampNow(tx)
		row := projectRow(tx, &c)
		if _, err := tx.exec(projectUpdate, append(row[1:len(row)-1], c.ID)...); err != nil {
			return constraintError(err, "a project with code "+c.Code)
		}
		if err := deleteProjectLists(tx, c.ID); err != nil {
			return err
		}
		if err := writeProjectLists(tx, []*tcmis.Project{&c}); err != nil {
			return err
		}
		if err := tx.sumsProject(c.ID, 1); err != nil {
			return err
		}
		tx.complianceTouch(c.ID)
		return tx.audit("project", c.ID, tcmis.ActionUpdate, old, &c)
	})
	if err == nil {
		*p = c
	}
	return err
}

// DeleteProject removes a project and its lists, unless financial records,
// results, evaluations or training still refer to it.
func (db *DB) DeleteProject(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findProjectByID(tx, id)
		if err != nil {
			return err
		}
		refs := referrers{{0, "approval", "approvals"}, {0, "allocation", "allocations"}, {0, "expenditure", "expenditures"},
			{0, "result", "results"}, {0, "evaluation", "evaluations"}, {0, "training activity", "training activities"}}
		err = tx.queryRow(`SELECT
			(SELECT COUNT(*) FROM approvals WHERE project_id = ?),
			(SELECT COUNT(*) FROM allocations WHERE project_id = ?),
			(SELECT COUNT(*) FROM expenditures WHERE project_id = ?),
			(SELECT COUNT(*) FROM results WHERE project_id = ?),
			(SELECT COUNT(*) FROM evaluations WHERE project_id = ?),
			(SELECT COUNT(*) FROM training WHERE project_id = ?)`, id, id, id, id, id, id).
			Scan(&refs[0].n, &refs[1].n, &refs[2].n, &refs[3].n, &refs[4].n, &refs[5].n)
		if err != nil {
			return err
		}
		if s := refs.String(); s != "" {
			return tcmis.Errorf(tcmis.ECONFLICT, "project %s cannot be deleted while other records refer to it (%s)", old.Code, s)
		}
		// The lists go explicitly rather than through ON DELETE CASCADE,
		// which SQLite only honours on connections with foreign keys on.
		if err := deleteProjectLists(tx, id); err != nil {
			return err
		}
		tx.complianceTouch(id)
		return tx.remove("projects", "project", id, old)
	})
}

// CreateProjects stores many projects and their lists at once. Their
// units, donors and agreements must already be stored.
func (l *loader) CreateProjects(ps []*tcmis.Project) error {
	if err := checkProjects(l.tx, ps, true, 0); err != nil {
		return err
	}
	ids, err := l.tx.reserveIDs("projects", len(ps))
	if err != nil {
		return err
	}
	now := stampNow(l.tx)
	for i, p := range ps {
		p.ID, p.Version, p.UpdatedAt = ids[i], 1, now
	}
	err = l.tx.copyRows("projects", projectColumns, len(ps), func(i int) []any { return projectRow(l.tx, ps[i]) })
	if err != nil {
		return constraintError(err, "a project with one of these codes")
	}
	if err := writeProjectLists(l.tx, ps); err != nil {
		return err
	}
	l.stored("project", ids...)
	l.tx.complianceTouch(ids...)
	return nil
}

// stampNow is the transaction's time as both engines store it, to the
// microsecond, so that a saved project equals the one read back.
func stampNow(tx *Tx) time.Time { return tx.now.UTC().Truncate(time.Microsecond) }

// writeProjectLists inserts the lists of projects whose ids are set, one
// bulk copy per list table.
func writeProjectLists(tx *Tx, ps []*tcmis.Project) error {
	for _, list := range projectLists {
		var rows [][]any
		for _, p := range ps {
			for pos, vals := range list.rows(p) {
				rows = append(rows, append([]any{p.ID, int64(pos)}, vals...))
			}
		}
		cols := append([]string{"project_id", "position"}, list.cols...)
		if err := tx.copyRows(list.table, cols, len(rows), func(i int) []any { return rows[i] }); err != nil {
			return constraintError(err, "a project list entry ("+list.table+")")
		}
	}
	return nil
}

func deleteProjectLists(tx *Tx, id int64) error {
	for _, list := range projectLists {
		if _, err := tx.exec(`DELETE FROM `+list.table+` WHERE project_id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// readProjectLists fills in the lists of ps with one query per list table
// (per chunk of refChunk projects).
func readProjectLists(tx *Tx, ps []*tcmis.Project) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[int64]*tcmis.Project, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	for start := 0; start < len(ps); start += refChunk {
		chunk := ps[start:min(start+refChunk, len(ps))]
		ids := make([]any, len(chunk))
		for i, p := range chunk {
			ids[i] = p.ID
		}
		for _, list := range projectLists {
			if err := readProjectList(tx, list, ids, byID); err != nil {
				return err
			}
		}
	}
	return nil
}

func readProjectList(tx *Tx, list projectList, ids []any, byID map[int64]*tcmis.Project) error {
	rows, err := tx.query(`SELECT project_id, `+strings.Join(list.cols, ", ")+` FROM `+list.table+
		` WHERE project_id IN `+inList(len(ids))+` ORDER BY project_id, position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := list.read(rows, byID); err != nil {
			return err
		}
	}
	return rows.Err()
}

// checkProjects validates projects about to be written: their fields, the
// lists the schema keys uniquely, that the units, donors and agreements
// they name exist, and that their codes are free (self, the project being
// updated, may keep its own). It sets their dates to the calendar days
// that will be stored.
func checkProjects(tx *Tx, ps []*tcmis.Project, batch bool, self int64) error {
	if len(ps) == 0 {
		return nil
	}
	field := fieldNamer("projects", batch)
	var verr error
	if batch {
		verr = validateAll("projects", ps)
	} else {
		verr = ps[0].Validate()
	}
	var (
		problems      []tcmis.Problem
		units, donors []int64
		agreements    []int64
		codes         []string
		firstUse      = map[string]int{}
		add           = func(i int, f, format string, args ...any) {
			problems = append(problems, tcmis.Problem{Field: field(i, f), Message: fmt.Sprintf(format, args...)})
		}
	)
	for i, p := range ps {
		p.Start, p.End = calendarDay(p.Start), calendarDay(p.End)
		units = appendID(appendID(units, p.LeadUnitID), p.OfficeID)
		agreements = appendID(agreements, p.AgreementID)
		for _, d := range p.DonorIDs {
			donors = appendID(donors, d)
		}
		// Project.Validate leaves these two lists alone, but the schema
		// keys them uniquely.
		seen := map[string]bool{}
		for k, s := range p.Sectors {
			if seen[s.Code] {
				add(i, fmt.Sprintf("sectors[%d]", k), "sector %s is listed twice", s.Code)
			}
			seen[s.Code] = true
		}
		seen = map[string]bool{}
		for k, c := range p.CountryOutcomes {
			if strings.TrimSpace(c) == "" {
				add(i, fmt.Sprintf("country_outcomes[%d]", k), "the country programme outcome code is empty")
			} else if seen[c] {
				add(i, fmt.Sprintf("country_outcomes[%d]", k), "country programme outcome %s is listed twice", c)
			}
			seen[c] = true
		}
		if p.Code == "" {
			continue
		}
		if j, ok := firstUse[p.Code]; ok {
			add(i, "code", "the code %s is also used by projects[%d]", p.Code, j)
		} else {
			firstUse[p.Code] = i
			codes = append(codes, p.Code)
		}
	}
	knownUnits, err := existing(tx, "units", "id", units)
	if err != nil {
		return err
	}
	knownDonors, err := existing(tx, "organisations", "id", donors)
	if err != nil {
		return err
	}
	knownAgreements, err := existing(tx, "agreements", "id", agreements)
	if err != nil {
		return err
	}
	for i, p := range ps {
		if p.LeadUnitID != 0 && !knownUnits[p.LeadUnitID] {
			add(i, "lead_unit_id", "there is no unit %d to lead the project", p.LeadUnitID)
		}
		if p.OfficeID != 0 && !knownUnits[p.OfficeID] {
			add(i, "office_id", "there is no office %d", p.OfficeID)
		}
		for k, d := range p.DonorIDs {
			if d != 0 && !knownDonors[d] {
				add(i, fmt.Sprintf("donor_ids[%d]", k), "there is no donor %d", d)
			}
		}
		if p.AgreementID != 0 && !knownAgreements[p.AgreementID] {
			add(i, "agreement_id", "there is no agreement %d", p.AgreementID)
		}
	}
	if err := invalid(verr, invalidMessage("projects", "project "+ps[0].Code, batch), problems); err != nil {
		return err
	}
	taken, err := takenCodes(tx, "projects", "code", codes, self)
	if err != nil {
		return err
	}
	var conflicts []tcmis.Problem
	for i, p := range ps {
		if taken[p.Code] {
			conflicts = append(conflicts, tcmis.Problem{Field: field(i, "code"), Message: "a project with code " + p.Code + " already exists"})
		}
	}
	return conflict("projects", batch, conflicts)
}

func appendID(ids []int64, id int64) []int64 {
	if id == 0 {
		return ids
	}
	return append(ids, id)
}

func findProjectByID(tx *Tx, id int64) (*tcmis.Project, error) {
	ps, _, err := findProjects(tx, tcmis.ProjectFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(ps) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "project %d not found", id)
	}
	return ps[0], nil
}

// projectSorts are the orders FindProjects accepts, by ProjectFilter.Sort
// without its "-".
var projectSorts = map[string]string{
	"":      "p.code",
	"code":  "p.code",
	"title": "LOWER(p.title)",
	"start": "p.start_date",
	"end":   "p.end_date",
}

func projectOrder(sort string) (string, error) {
	key, desc := strings.CutPrefix(strings.TrimSpace(sort), "-")
	col, ok := projectSorts[key]
	if !ok {
		return "", tcmis.Errorf(tcmis.EINVALID, "projects cannot be sorted by %q: sort by code, title, start or end, with a - before it for descending order", sort)
	}
	dir := ""
	if desc {
		dir = " DESC"
	}
	return " ORDER BY " + col + dir + ", p.id" + dir, nil
}

// projectSearchEscaper escapes the wildcards of a LIKE pattern, for ESCAPE '\'.
var projectSearchEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func findProjects(tx *Tx, f tcmis.ProjectFilter) ([]*tcmis.Project, int, error) {
	order, err := projectOrder(f.Sort)
	if err != nil {
		return nil, 0, err
	}
	var w where
	if f.ID != nil {
		w.add("p.id = ?", *f.ID)
	}
	if f.Code != nil {
		w.add("p.code = ?", *f.Code)
	}
	if f.Status != nil {
		w.add("p.status = ?", string(*f.Status))
	}
	if f.Source != nil {
		w.add("p.source = ?", string(*f.Source))
	}
	if f.Scope != nil {
		w.add("p.scope = ?", string(*f.Scope))
	}
	if f.IATIID != nil {
		w.add("p.iati_id = ?", *f.IATIID)
	}
	if f.DonorID != nil {
		w.add("EXISTS (SELECT 1 FROM project_donors d WHERE d.project_id = p.id AND d.donor_id = ?)", *f.DonorID)
	}
	if f.Category != nil {
		w.add(`EXISTS (SELECT 1 FROM project_donors d JOIN organisations o ON o.id = d.donor_id
			WHERE d.project_id = p.id AND o.category = ?)`, string(*f.Category))
	}
	if f.Objective != nil {
		w.add("EXISTS (SELECT 1 FROM project_objectives o WHERE o.project_id = p.id AND o.objective = ?)", string(*f.Objective))
	}
	if f.Country != nil {
		w.add("EXISTS (SELECT 1 FROM project_countries c WHERE c.project_id = p.id AND c.country = ?)", *f.Country)
	}
	if f.Region != nil {
		cond := "p.office_id IN (SELECT u.id FROM units u WHERE u.region = ?)"
		args := []any{string(*f.Region)}
		if countries := tcmis.CountriesOf(*f.Region); len(countries) > 0 {
			cond = "(" + cond + " OR EXISTS (SELECT 1 FROM project_countries c WHERE c.project_id = p.id AND c.country IN " + inList(len(countries)) + "))"
			for _, c := range countries {
				args = append(args, c)
			}
		}
		w.add(cond, args...)
	}
	if f.UnitID != nil {
		w.add("(p.lead_unit_id = ? OR p.office_id = ?)", *f.UnitID, *f.UnitID)
	}
	for _, word := range strings.Fields(f.Search) {
		pattern := "%" + projectSearchEscaper.Replace(word) + "%"
		w.add(`(LOWER(p.code) LIKE LOWER(?) ESCAPE '\' OR LOWER(p.title) LIKE LOWER(?) ESCAPE '\' OR LOWER(p.description) LIKE LOWER(?) ESCAPE '\')`,
			pattern, pattern, pattern)
	}
	total, err := tx.count(`SELECT COUNT(*) FROM projects p`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(projectSelect+w.String()+order, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if err := readProjectLists(tx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
