package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/klauspost/compress/s2"

	"github.com/tcmis/tcmis"
)

// IATI activities live in iati_activities, one document each: the whole
// activity with its transactions as JSON (activityjson.go), compressed
// with S2 (migrations 0008 and 0009).

// FindActivities returns activities with their transactions, by
// identifier, and how many match in all.
func (db *DB) FindActivities(ctx context.Context, f tcmis.ActivityFilter) ([]*tcmis.Activity, int, error) {
	var (
		as []*tcmis.Activity
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		as, n, err = findActivities(tx, f)
		return err
	})
	return as, n, err
}

// LoadActivities runs fn in one write transaction: everything it stores
// is kept, or nothing is. fn may run again when the engine asks for a
// retry, so it must read its input afresh each time.
func (db *DB) LoadActivities(ctx context.Context, source string, fn func(l tcmis.ActivityLoader) error) error {
	if db.engine == SQLite {
		// Each multi-row INSERT keeps a statement journal, to undo itself
		// alone; kept in memory it costs no file writes (a tenth of an
		// import's time). SQLite decides where at BEGIN, so the pragma is
		// set on the writer's one connection before, and only for the
		// load: elsewhere the writer's sorts keep their temporary files.
		if _, err := db.write.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
			return err
		}
		defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = DEFAULT`)
	}
	return db.update(ctx, func(tx *Tx) error {
		l := newLoader(tx)
		if err := fn(l); err != nil {
			return err
		}
		return l.audit(source)
	})
}

func findActivities(tx *Tx, f tcmis.ActivityFilter) ([]*tcmis.Activity, int, error) {
	var w where
	if f.ProjectID != nil {
		w.add("project_id = ?", *f.ProjectID)
	}
	if f.Identifier != nil {
		w.add("identifier = ?", *f.Identifier)
	}
	total, err := tx.count(`SELECT COUNT(*) FROM iati_activities`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT project_id, document_s2 FROM iati_activities`+w.String()+` ORDER BY identifier`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.Activity
	for rows.Next() {
		var (
			id  int64
			doc []byte
		)
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, 0, err
		}
		a, err := unpackActivity(doc)
		if err != nil {
			return nil, 0, fmt.Errorf("activity of project %d: %w", id, err)
		}
		a.ProjectID = id
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// packActivity returns the stored document of an activity: its JSON,
// compressed with S2. scratch is a buffer for the JSON, returned to be
// used again.
func packActivity(a *tcmis.Activity, scratch []byte) (doc, _ []byte, err error) {
	scratch, err = appendActivityJSON(scratch[:0], a)
	if err != nil {
		return nil, scratch, err
	}
	return s2.Encode(nil, scratch), scratch, nil
}

// unpackActivity reads a document packActivity wrote.
func unpackActivity(doc []byte) (*tcmis.Activity, error) {
	js, err := s2.Decode(nil, doc)
	if err != nil {
		return nil, err
	}
	a := &tcmis.Activity{}
	if err := json.Unmarshal(js, a); err != nil {
		return nil, err
	}
	return a, nil
}

// UpsertActivities stores activities and their projects in the load's
// transaction (see tcmis.ActivityLoader).
func (l *loader) UpsertActivities(unit *tcmis.Unit, as []*tcmis.Activity) (int, error) {
	if len(as) == 0 {
		return 0, nil
	}
	if err := validateAll("activities", as); err != nil {
		return 0, err
	}
	// The documents are written on another goroutine while the
	// projects are found and stored: they need neither.
	encoded := make(chan documents, 1)
	go func() { encoded <- packActivities(as) }()
	tx := l.tx
	idents := make([]string, len(as))
	seen := map[string]bool{}
	for i, a := range as {
		if seen[a.Identifier] {
			return 0, tcmis.Errorf(tcmis.EINVALID, "activity %s is given twice", a.Identifier)
		}
		seen[a.Identifier] = true
		idents[i] = a.Identifier
	}

	// The project of each activity: the one of its stored activity, else
	// the one with its IATI identifier, else the one with its code.
	projectOf := map[string]int64{}
	if err := eachChunk(idents, func(in string, chunk []any) error {
		rows, err := tx.query(`SELECT identifier, project_id FROM iati_activities WHERE identifier IN (`+in+`)`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ident string
			var id int64
			if err := rows.Scan(&ident, &id); err != nil {
				return err
			}
			projectOf[ident] = id
		}
		return rows.Err()
	}); err != nil {
		return 0, err
	}
	var unknown []string
	for _, id := range idents {
		if projectOf[id] == 0 {
			unknown = append(unknown, id)
		}
	}
	// An identifier is also looked up without its reporting organisation's
	// prefix, the way tcmis exports projects that were never imported.
	byCode := map[string]int64{}
	codeOf := map[string]string{}
	codes := append([]string(nil), unknown...)
	for _, a := range as {
		if rest, ok := strings.CutPrefix(a.Identifier, a.ReportingOrg.Ref+"-"); ok && a.ReportingOrg.Ref != "" && rest != "" && projectOf[a.Identifier] == 0 {
			codes = append(codes, rest)
			codeOf[rest] = a.Identifier
		}
	}
	for _, id := range unknown {
		codeOf[id] = id
	}
	var problems []tcmis.Problem
	if err := eachChunk(unknown, func(in string, chunk []any) error {
		rows, err := tx.query(`SELECT id, code, iati_id FROM projects WHERE iati_id IN (`+in+`)`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var code, iati string
			if err := rows.Scan(&id, &code, &iati); err != nil {
				return err
			}
			projectOf[iati] = id
		}
		return rows.Err()
	}); err != nil {
		return 0, err
	}
	if err := eachChunk(codes, func(in string, chunk []any) error {
		rows, err := tx.query(`SELECT id, code, iati_id FROM projects WHERE code IN (`+in+`)`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var code, iati string
			if err := rows.Scan(&id, &code, &iati); err != nil {
				return err
			}
			ident := codeOf[code]
			switch {
			case ident == "" || projectOf[ident] != 0:
			case iati != "" && iati != ident:
				problems = append(problems, tcmis.Problem{Field: ident, Message: fmt.Sprintf("activity %s would go to project %s, which is published as IATI activity %s", ident, code, iati)})
			case code == ident || byCode[ident] == 0:
				byCode[ident] = id
			}
		}
		return rows.Err()
	}); err != nil {
		return 0, err
	}
	if len(problems) > 0 {
		return 0, &tcmis.Error{Code: tcmis.ECONFLICT, Message: "some activities would take over other projects", Problems: problems}
	}
	for ident, id := range byCode {
		if projectOf[ident] == 0 {
			projectOf[ident] = id
		}
	}
	taken := map[int64]string{}
	for _, a := range as {
		if id := projectOf[a.Identifier]; id != 0 {
			if other, ok := taken[id]; ok {
				return 0, tcmis.Errorf(tcmis.ECONFLICT, "activities %s and %s both belong to project %d", other, a.Identifier, id)
			}
			taken[id] = a.Identifier
		}
	}

	// Projects: new ones created, known ones updated.
	var existingIDs []int64
	for _, a := range as {
		if id := projectOf[a.Identifier]; id != 0 {
			existingIDs = append(existingIDs, id)
		}
	}
	old, err := findProjectsByIDs(tx, existingIDs)
	if err != nil {
		return 0, err
	}
	var created, changed []*tcmis.Project
	var unitID int64
	for _, a := range as {
		fresh, _, err := a.ToProject()
		if err != nil {
			return 0, err
		}
		id := projectOf[a.Identifier]
		if id == 0 {
			if unitID == 0 {
				if unitID, err = l.activityUnit(unit); err != nil {
					return 0, err
				}
			}
			fresh.LeadUnitID = unitID
			created = append(created, fresh)
			continue
		}
		p := old[id]
		if p == nil {
			return 0, tcmis.Errorf(tcmis.EINTERNAL, "project %d of activity %s not found", id, a.Identifier)
		}
		c := *p
		c.TakeIATI(fresh)
		c.Start, c.End = calendarDay(c.Start), calendarDay(c.End)
		if !reflect.DeepEqual(&c, p) {
			changed = append(changed, &c)
		}
	}
	if len(created) > 0 {
		if err := l.CreateProjects(created); err != nil {
			return 0, err
		}
		for _, p := range created {
			projectOf[p.Code] = p.ID
		}
	}
	if err := l.updateProjects(changed, old); err != nil {
		return 0, err
	}

	// The activities replace those stored for their projects.
	pids := make([]int64, len(as))
	for i, a := range as {
		a.ProjectID = projectOf[a.Identifier]
		pids[i] = a.ProjectID
	}
	if err := eachChunk(pids, func(in string, chunk []any) error {
		_, err := tx.exec(`DELETE FROM iati_activities WHERE project_id IN (`+in+`)`, chunk...)
		return err
	}); err != nil {
		return 0, err
	}
	now := tx.stamp(stampNow(tx))
	docs := <-encoded
	if docs.err != nil {
		return 0, docs.err
	}
	err = tx.copyRows("iati_activities", []string{"project_id", "identifier", "document_s2", "transactions", "updated_at"}, len(as), func(i int) []any {
		return []any{as[i].ProjectID, as[i].Identifier, docs.packed[i], int64(len(as[i].Transactions)), now}
	})
	if err != nil {
		return 0, constraintError(err, "an IATI activity with one of these identifiers")
	}
	l.stored("iati activity", pids...)
	// The compliance rows of the batch's projects are written now, while
	// the caller reads the next batch, rather than all before commit
	// (a sixth of a large import's time, with nothing beside it).
	return len(created), tx.complianceFlush()
}

// backfillActivityDocuments writes the document of every stored activity
// in the form of migration 0008, from its JSON document and those of its
// transactions, a thousand activities at a time.
func backfillActivityDocuments(tx *Tx) error {
	var after int64
	for {
		var as []*tcmis.Activity
		byProject := map[int64]*tcmis.Activity{}
		err := func() error {
			rows, err := tx.query(tx.page(`SELECT project_id, document FROM iati_activities WHERE project_id > ? ORDER BY project_id`, 0, 1000), after)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					id  int64
					doc string
				)
				if err := rows.Scan(&id, &doc); err != nil {
					return err
				}
				a := &tcmis.Activity{}
				if err := json.Unmarshal([]byte(doc), a); err != nil {
					return fmt.Errorf("activity of project %d: %w", id, err)
				}
				a.ProjectID = id
				as = append(as, a)
				byProject[id] = a
			}
			return rows.Err()
		}()
		if err != nil || len(as) == 0 {
			return err
		}
		after = as[len(as)-1].ProjectID
		rows, err := tx.query(`SELECT project_id, document FROM iati_transactions WHERE project_id BETWEEN ? AND ? ORDER BY project_id, position`, as[0].ProjectID, after)
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				id  int64
				doc string
			)
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return err
			}
			a := byProject[id]
			if a == nil {
				continue // a project's transactions without its activity: nothing to keep them with
			}
			a.Transactions = append(a.Transactions, tcmis.Transaction{})
			if err := json.Unmarshal([]byte(doc), &a.Transactions[len(a.Transactions)-1]); err != nil {
				rows.Close()
				return fmt.Errorf("transaction of project %d: %w", id, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		docs := packActivities(as)
		if docs.err != nil {
			return docs.err
		}
		for i, a := range as {
			if _, err := tx.exec(`UPDATE iati_activities SET document_s2 = ? WHERE project_id = ?`, docs.packed[i], a.ProjectID); err != nil {
				return err
			}
		}
	}
}

// documents are the stored documents of a batch of activities, in order.
type documents struct {
	packed [][]byte
	err    error
}

func packActivities(as []*tcmis.Activity) documents {
	d := documents{packed: make([][]byte, len(as))}
	var scratch []byte
	for i, a := range as {
		var err error
		if d.packed[i], scratch, err = packActivity(a, scratch); err != nil {
			d.err = fmt.Errorf("activity %s: %w", a.Identifier, err)
			return d
		}
	}
	return d
}

// activityUnit returns the id of the unit that leads projects created by
// an import, creating it if no unit has its code.
func (l *loader) activityUnit(u *tcmis.Unit) (int64, error) {
	if u == nil {
		return 0, tcmis.Errorf(tcmis.EINVALID, "say which unit leads the projects an IATI import creates")
	}
	us, _, err := findUnits(l.tx, tcmis.UnitFilter{Code: &u.Code})
	if err != nil {
		return 0, err
	}
	if len(us) > 0 {
		return us[0].ID, nil
	}
	c := *u
	if err := l.CreateUnits([]*tcmis.Unit{&c}); err != nil {
		return 0, err
	}
	return c.ID, nil
}

// updateProjects saves projects an import changed: their row and lists,
// and the report sums their headings decide.
func (l *loader) updateProjects(ps []*tcmis.Project, old map[int64]*tcmis.Project) error {
	if len(ps) == 0 {
		return nil
	}
	if err := validateAll("projects", ps); err != nil {
		return err
	}
	tx := l.tx
	now := stampNow(tx)
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
		if err := tx.bump("projects", p.ID, old[p.ID].Version, "project"); err != nil {
			return err
		}
		if err := tx.sumsProject(p.ID, -1); err != nil {
			return err
		}
		p.Version, p.UpdatedAt = old[p.ID].Version+1, now
		row := projectRow(tx, p)
		if _, err := tx.exec(projectUpdate, append(row[1:len(row)-1], p.ID)...); err != nil {
			return constraintError(err, "a project with code "+p.Code)
		}
	}
	if err := eachChunk(ids, func(in string, chunk []any) error {
		for _, list := range projectLists {
			if _, err := tx.exec(`DELETE FROM `+list.table+` WHERE project_id IN (`+in+`)`, chunk...); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeProjectLists(tx, ps); err != nil {
		return err
	}
	for _, p := range ps {
		if err := tx.sumsProject(p.ID, 1); err != nil {
			return err
		}
	}
	l.stored("project (updated by IATI import)", ids...)
	tx.complianceTouch(ids...)
	return nil
}

// findProjectsByIDs reads projects with their lists, by id.
func findProjectsByIDs(tx *Tx, ids []int64) (map[int64]*tcmis.Project, error) {
	out := make(map[int64]*tcmis.Project, len(ids))
	var list []*tcmis.Project
	err := eachChunk(ids, func(in string, chunk []any) error {
		rows, err := tx.query(projectSelect+` WHERE p.id IN (`+in+`)`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProject(rows)
			if err != nil {
				return err
			}
			out[p.ID] = p
			list = append(list, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, readProjectLists(tx, list)
}
