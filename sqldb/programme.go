package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/tcmis/tcmis"
)

// A country programme is stored in three tables: programmes, its
// programme_priorities, and the country_outcomes of each priority. The
// parts are replaced whole when the programme is saved. Country outcome
// codes are unique across all programmes; global outcome codes are kept as
// a space-separated list.

var programmeFields = []string{
	"country", "title", "start_year", "end_year", "status",
	"undaf_framework", "undaf_start", "undaf_end", "undaf_status", "undaf_completed", "undaf_second_round",
	"prs_framework", "prs_start", "prs_end", "prs_status", "prs_completed", "prs_second_round",
}

var programmeColumns = "id, " + columnList(programmeFields) + ", version"

// FindProgrammeByID returns one country programme, or ENOTFOUND.
func (db *DB) FindProgrammeByID(ctx context.Context, id int64) (*tcmis.CountryProgramme, error) {
	var c *tcmis.CountryProgramme
	err := db.view(ctx, func(tx *Tx) (err error) {
		c, err = findProgrammeByID(tx, id)
		return err
	})
	return c, err
}

// FindProgrammes returns the country programmes that match f, by country
// and start, with their priorities and outcomes, and how many match in all.
func (db *DB) FindProgrammes(ctx context.Context, f tcmis.ProgrammeFilter) ([]*tcmis.CountryProgramme, int, error) {
	var (
		cs []*tcmis.CountryProgramme
		n  int
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		cs, n, err = findProgrammes(tx, f)
		return err
	})
	return cs, n, err
}

// CreateProgramme stores a new country programme and sets its ID. A
// country outcome code another programme uses is ECONFLICT.
func (db *DB) CreateProgramme(ctx context.Context, c *tcmis.CountryProgramme) error {
	if err := checkProgramme(c); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := checkOutcomeCodesFree(tx, []*tcmis.CountryProgramme{c}, false); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO programmes (`+columnList(programmeFields)+`, version) VALUES (`+columnParams(len(programmeFields))+`, 1)`,
			programmeValues(c)...)
		if err != nil {
			return constraintError(err, "country programme "+c.Country)
		}
		c.ID, c.Version = id, 1
		if err := copyProgrammeParts(tx, []*tcmis.CountryProgramme{c}); err != nil {
			return err
		}
		return tx.audit("programme", id, tcmis.ActionCreate, nil, c)
	})
}

// UpdateProgramme saves c, replacing its priorities and outcomes, unless
// someone changed it since it was read.
func (db *DB) UpdateProgramme(ctx context.Context, c *tcmis.CountryProgramme) error {
	if err := checkProgramme(c); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		old, err := findProgrammeByID(tx, c.ID)
		if err != nil {
			return err
		}
		if err := tx.bump("programmes", c.ID, c.Version, "country programme"); err != nil {
			return err
		}
		if err := checkOutcomeCodesFree(tx, []*tcmis.CountryProgramme{c}, false); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE programmes SET `+columnSets(programmeFields)+` WHERE id = ?`, append(programmeValues(c), c.ID)...); err != nil {
			return constraintError(err, "country programme "+c.Country)
		}
		if err := deleteProgrammeParts(tx, c.ID); err != nil {
			return err
		}
		if err := copyProgrammeParts(tx, []*tcmis.CountryProgramme{c}); err != nil {
			return err
		}
		c.Version = old.Version + 1
		return tx.audit("programme", c.ID, tcmis.ActionUpdate, old, c)
	})
}

// DeleteProgramme removes a country programme that no evaluation refers
// to, with its priorities and outcomes.
func (db *DB) DeleteProgramme(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		old, err := findProgrammeByID(tx, id)
		if err != nil {
			return err
		}
		n, err := tx.count(`SELECT COUNT(*) FROM evaluations WHERE programme_id = ?`, id)
		if err != nil {
			return err
		} else if n > 0 {
			return tcmis.Errorf(tcmis.EINVALID, "the country programme for %s has %d evaluation(s): delete them or link them elsewhere first", old.Country, n)
		}
		if err := deleteProgrammeParts(tx, id); err != nil {
			return err
		}
		return tx.remove("programmes", "programme", id, old)
	})
}

// CreateProgrammes stores many country programmes at once.
func (l *loader) CreateProgrammes(cs []*tcmis.CountryProgramme) error {
	checks := make([]programmeCheck, len(cs))
	for i, c := range cs {
		checks[i] = programmeCheck{c}
	}
	if err := validateAll("programmes", checks); err != nil {
		return err
	}
	if err := checkOutcomeCodesFree(l.tx, cs, true); err != nil {
		return err
	}
	ids, err := l.copyNew("programmes", "programme", "country programmes", programmeFields, len(cs), func(i int) []any {
		return programmeValues(cs[i])
	})
	if err != nil {
		return err
	}
	for i, c := range cs {
		c.ID, c.Version = ids[i], 1
	}
	return copyProgrammeParts(l.tx, cs)
}

// programmeCheck lets validateAll run checkProgramme.
type programmeCheck struct{ c *tcmis.CountryProgramme }

func (p programmeCheck) Validate() error { return checkProgramme(p.c) }

// checkProgramme validates c, and what storing it needs besides: each
// priority numbered once (an unnumbered priority takes its position, from
// 1), and global outcome codes that survive being stored as a list.
func checkProgramme(c *tcmis.CountryProgramme) error {
	var ps []tcmis.Problem
	if err := c.Validate(); err != nil {
		if ps = tcmis.ErrorProblems(err); len(ps) == 0 {
			return err
		}
	}
	numbers := map[int]bool{}
	for i := range c.Priorities {
		p := &c.Priorities[i]
		field := fmt.Sprintf("priorities[%d]", i)
		if p.Number == 0 {
			p.Number = i + 1
		}
		if p.Number < 0 {
			ps = append(ps, tcmis.Problem{Field: field + ".number", Message: "priorities are numbered from 1"})
		} else if numbers[p.Number] {
			ps = append(ps, tcmis.Problem{Field: field + ".number", Message: fmt.Sprintf("priority number %d is used twice", p.Number)})
		}
		numbers[p.Number] = true
		for j, o := range p.Outcomes {
			for k, g := range o.GlobalOutcomes {
				if g == "" || strings.ContainsAny(g, " ,\t\r\n") {
					ps = append(ps, tcmis.Problem{
						Field:   fmt.Sprintf("%s.outcomes[%d].global_outcomes[%d]", field, j, k),
						Message: fmt.Sprintf("%q is not an outcome code such as 1a.1", g),
					})
				}
			}
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: "country programme " + c.Country + " is not valid", Problems: ps}
}

// programmeValues returns the values of programmeFields.
func programmeValues(c *tcmis.CountryProgramme) []any {
	u, p := c.UNDAF, c.PRS
	return []any{
		c.Country, c.Title, int64(c.StartYear), int64(c.EndYear), string(c.Status),
		u.Framework, int64(u.StartYear), int64(u.EndYear), string(u.Status), int64(u.CompletedYear), string(u.SecondRound),
		p.Framework, int64(p.StartYear), int64(p.EndYear), string(p.Status), int64(p.CompletedYear), string(p.SecondRound),
	}
}

// checkOutcomeCodesFree refuses with ECONFLICT country outcome codes that
// another programme uses, in the store or, for a batch, in the batch.
func checkOutcomeCodesFree(tx *Tx, cs []*tcmis.CountryProgramme, batch bool) error {
	type place struct {
		prog  int
		field string
	}
	places := map[string]place{}
	var codes []string
	var ps []tcmis.Problem
	for i, c := range cs {
		for pi, p := range c.Priorities {
			for oi, o := range p.Outcomes {
				field := fmt.Sprintf("priorities[%d].outcomes[%d].code", pi, oi)
				if batch {
					field = bulkField("programmes", i, field)
				}
				if prev, ok := places[o.Code]; ok && prev.prog != i {
					ps = append(ps, tcmis.Problem{Field: field, Message: fmt.Sprintf("country outcome code %s is also used by the programme at %s", o.Code, strings.TrimSuffix(prev.field, ".code"))})
					continue
				}
				places[o.Code] = place{i, field}
				codes = append(codes, o.Code)
			}
		}
	}
	err := eachChunk(codes, func(in string, args []any) error {
		rows, err := tx.query(`SELECT co.code, p.id, p.country, p.title FROM country_outcomes co JOIN programmes p ON p.id = co.programme_id WHERE co.code IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code, country, title string
			var id int64
			if err := rows.Scan(&code, &id, &country, &title); err != nil {
				return err
			}
			at := places[code]
			if id != cs[at.prog].ID {
				ps = append(ps, tcmis.Problem{Field: at.field, Message: fmt.Sprintf("country outcome code %s is already used by the country programme for %s (%q, id %d)", code, country, title, id)})
			}
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return nil
	}
	msg := "country programme " + cs[0].Country + " uses country outcome codes of another programme"
	if batch {
		msg = "some country programmes use the same country outcome codes"
	}
	return &tcmis.Error{Code: tcmis.ECONFLICT, Message: msg, Problems: ps}
}

// copyProgrammeParts writes the priorities and country outcomes of
// programmes that have their IDs.
func copyProgrammeParts(tx *Tx, cs []*tcmis.CountryProgramme) error {
	var pris [][]any
	var outs [][]any
	for _, c := range cs {
		for _, p := range c.Priorities {
			pris = append(pris, []any{c.ID, int64(p.Number), p.Title})
			for i, o := range p.Outcomes {
				outs = append(outs, []any{o.Code, c.ID, int64(p.Number), int64(i + 1), o.Title, strings.Join(o.GlobalOutcomes, " "), o.Planned})
			}
		}
	}
	err := tx.copyRows("programme_priorities", []string{"programme_id", "number", "title"}, len(pris), func(i int) []any { return pris[i] })
	if err != nil {
		return constraintError(err, "a priority with this number")
	}
	err = tx.copyRows("country_outcomes", []string{"code", "programme_id", "priority", "position", "title", "global_outcomes", "planned_usd"}, len(outs), func(i int) []any { return outs[i] })
	if err != nil {
		return constraintError(err, "a country outcome with this code")
	}
	return nil
}

func deleteProgrammeParts(tx *Tx, id int64) error {
	if _, err := tx.exec(`DELETE FROM country_outcomes WHERE programme_id = ?`, id); err != nil {
		return err
	}
	_, err := tx.exec(`DELETE FROM programme_priorities WHERE programme_id = ?`, id)
	return err
}

func findProgrammeByID(tx *Tx, id int64) (*tcmis.CountryProgramme, error) {
	cs, _, err := findProgrammes(tx, tcmis.ProgrammeFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(cs) == 0 {
		return nil, tcmis.Errorf(tcmis.ENOTFOUND, "country programme %d not found", id)
	}
	return cs[0], nil
}

func findProgrammes(tx *Tx, f tcmis.ProgrammeFilter) ([]*tcmis.CountryProgramme, int, error) {
	var w where
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Country != nil {
		w.add("country = ?", strings.ToUpper(strings.TrimSpace(*f.Country)))
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	total, err := tx.count(`SELECT COUNT(*) FROM programmes`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(tx.page(`SELECT `+programmeColumns+` FROM programmes`+w.String()+` ORDER BY country, start_year, id`, f.Offset, f.Limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*tcmis.CountryProgramme
	for rows.Next() {
		var c tcmis.CountryProgramme
		u, p := &c.UNDAF, &c.PRS
		if err := rows.Scan(&c.ID, &c.Country, &c.Title, &c.StartYear, &c.EndYear, &c.Status,
			&u.Framework, &u.StartYear, &u.EndYear, &u.Status, &u.CompletedYear, &u.SecondRound,
			&p.Framework, &p.StartYear, &p.EndYear, &p.Status, &p.CompletedYear, &p.SecondRound,
			&c.Version); err != nil {
			return nil, 0, err
		}
		out = append(out, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	return out, total, loadProgrammeParts(tx, out)
}

// loadProgrammeParts reads the priorities and country outcomes of cs.
func loadProgrammeParts(tx *Tx, cs []*tcmis.CountryProgramme) error {
	byID := make(map[int64]*tcmis.CountryProgramme, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	return eachChunk(ids, func(in string, args []any) error {
		rows, err := tx.query(`SELECT programme_id, number, title FROM programme_priorities WHERE programme_id IN (`+in+`) ORDER BY programme_id, number`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var p tcmis.Priority
			if err := rows.Scan(&id, &p.Number, &p.Title); err != nil {
				return err
			}
			byID[id].Priorities = append(byID[id].Priorities, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()

		rows, err = tx.query(`SELECT programme_id, priority, code, title, global_outcomes, planned_usd FROM country_outcomes WHERE programme_id IN (`+in+`) ORDER BY programme_id, priority, position`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var number int
			var o tcmis.CountryOutcome
			var global string
			if err := rows.Scan(&id, &number, &o.Code, &o.Title, &global, &o.Planned); err != nil {
				return err
			}
			if global = strings.TrimSpace(global); global != "" {
				o.GlobalOutcomes = strings.FieldsFunc(global, func(r rune) bool { return r == ' ' || r == ',' })
			}
			c := byID[id]
			found := false
			for i := range c.Priorities {
				if p := &c.Priorities[i]; p.Number == number {
					p.Outcomes, found = append(p.Outcomes, o), true
					break
				}
			}
			if !found {
				return fmt.Errorf("country outcome %s of programme %d belongs to priority %d, which the programme does not have", o.Code, id, number)
			}
		}
		return rows.Err()
	})
}
