package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// historyEntry is one change of the project or of its money, with the
// fields that changed.
type historyEntry struct {
	Time     time.Time
	Actor    string
	Entity   string
	RecordID int64
	Action   string
	Fields   []fieldChange
	// Count and Source describe a bulk load that stored the record.
	Count  int64
	Source string
}

// fieldChange is one field of a record before and after a change ("" when
// the record did not exist before or after).
type fieldChange struct {
	Field, Old, New string
	// Label names the field for the reader; the raw values are
	// written for reading by describeHistory.
	Label          string
	oldRaw, newRaw json.RawMessage
}

// historyLimit caps the entries the page shows.
const historyLimit = 100

// projectHistory reads the audit trail of a project and of its
// approvals, allocations and expenditures: the changes to each record,
// its deletion (found by the project it belonged to), and the bulk loads
// that stored it. It reports whether older entries were left out.
func (s *Server) projectHistory(r *http.Request, p *tcmis.Project, d *projectPageData) ([]historyEntry, bool, error) {
	ctx := r.Context()
	id := p.ID
	var out []historyEntry
	more := false
	entity := "project"
	changes, total, err := s.store.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &id, Limit: historyLimit})
	if err != nil {
		return nil, false, err
	}
	more = total > len(changes)
	for _, c := range changes {
		out = append(out, diffChange(c))
	}
	// The money records of the project, by kind, to recognise the loads
	// that stored them.
	approvals := make([]int64, 0, len(d.Approvals))
	for _, a := range d.Approvals {
		approvals = append(approvals, a.ID)
	}
	allocations := make([]int64, 0, len(d.allAllocations))
	for _, a := range d.allAllocations {
		allocations = append(allocations, a.ID)
	}
	expenditures := make([]int64, 0, len(d.allExpenditures))
	for _, e := range d.allExpenditures {
		expenditures = append(expenditures, e.ID)
	}
	for _, k := range []struct {
		entity string
		ids    []int64
	}{{"project", []int64{id}}, {"approval", approvals}, {"allocation", allocations}, {"expenditure", expenditures}} {
		entity := k.entity
		// Loads are recorded against no record, with the range of ids
		// they stored.
		zero := int64(0)
		loads, _, err := s.store.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, RecordID: &zero, Limit: historyLimit})
		if err != nil {
			return nil, false, err
		}
		for _, c := range loads {
			if h, ok := loadEntry(c, k.ids); ok {
				out = append(out, h)
			}
		}
		if entity == "project" {
			continue
		}
		// Updates and deletions of the project's money records.
		cs, n, err := s.store.FindChanges(ctx, tcmis.ChangeFilter{Entity: &entity, Limit: 5 * historyLimit})
		if err != nil {
			return nil, false, err
		}
		if n > len(cs) {
			more = true
		}
		for _, c := range cs {
			if c.RecordID == 0 || !belongsTo(c, id) {
				continue
			}
			out = append(out, diffChange(c))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	d.historyDonors, d.historyUnits = map[int64]string{}, map[int64]string{}
	if err := s.donorNames(r, d.historyDonors); err != nil {
		return nil, false, err
	}
	if err := s.unitNames(r, d.historyUnits); err != nil {
		return nil, false, err
	}
	if len(out) > historyLimit {
		out, more = out[:historyLimit], true
	}
	return out, more, nil
}

// belongsTo reports whether a change concerns a record of the project,
// before or after the change.
func belongsTo(c *tcmis.Change, projectID int64) bool {
	for _, raw := range []json.RawMessage{c.Old, c.New} {
		var rec struct {
			ProjectID int64 `json:"project_id"`
		}
		if len(raw) > 0 && json.Unmarshal(raw, &rec) == nil && rec.ProjectID == projectID {
			return true
		}
	}
	return false
}

// loadEntry describes a bulk load that stored one of ids.
func loadEntry(c *tcmis.Change, ids []int64) (historyEntry, bool) {
	var sum struct {
		Source  string `json:"source"`
		Count   int64  `json:"count"`
		FirstID int64  `json:"first_id"`
		LastID  int64  `json:"last_id"`
	}
	if json.Unmarshal(c.New, &sum) != nil || sum.FirstID == 0 {
		return historyEntry{}, false
	}
	hit := int64(0)
	for _, id := range ids {
		if id >= sum.FirstID && id <= sum.LastID {
			hit = id
			break
		}
	}
	if hit == 0 {
		return historyEntry{}, false
	}
	h := historyEntry{Time: c.Time, Actor: c.Actor, Entity: c.Entity, Action: c.Action, Count: sum.Count, Source: sum.Source}
	if sum.Count == 1 {
		// One record: a form or an API call that created it.
		h.RecordID, h.Action = sum.FirstID, tcmis.ActionCreate
		h.Count = 0
	}
	return h, true
}

// diffChange lists the fields a change altered.
func diffChange(c *tcmis.Change) historyEntry {
	h := historyEntry{Time: c.Time, Actor: c.Actor, Entity: c.Entity, RecordID: c.RecordID, Action: c.Action}
	h.Fields = diffJSON(c.Old, c.New)
	return h
}

// ignoredFields change with every save and say nothing to a reader.
var ignoredFields = []string{"version", "updated_at", "id"}

// diffJSON compares two JSON objects field by field; a field absent or
// null on one side shows as empty.
func diffJSON(old, new json.RawMessage) []fieldChange {
	var a, b map[string]json.RawMessage
	if len(old) > 0 {
		_ = json.Unmarshal(old, &a)
	}
	if len(new) > 0 {
		_ = json.Unmarshal(new, &b)
	}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		if !slices.Contains(ignoredFields, k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []fieldChange
	for _, k := range names {
		o, n := jsonText(a[k]), jsonText(b[k])
		if o == n {
			continue
		}
		out = append(out, fieldChange{Field: k, Label: k, Old: o, New: n, oldRaw: a[k], newRaw: b[k]})
	}
	return out
}

// jsonText writes a JSON value for reading: strings without quotes,
// null, false, zero and empty lists as nothing, anything else compact.
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch string(raw) {
	case "", "null", `""`, "[]", "{}", "false", "0":
		return ""
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return truncate(s)
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return truncate(string(raw))
	}
	return truncate(b.String())
}

func truncate(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// EntityLabel is the English name of an audited record kind.
func (h historyEntry) EntityLabel() string {
	switch h.Entity {
	case "project":
		return "Project"
	case "approval":
		return "Approval"
	case "allocation":
		return "Allocation"
	case "expenditure":
		return "Expenditure"
	}
	return h.Entity
}

// Ref names the record changed, such as "#12".
func (h historyEntry) Ref() string {
	if h.RecordID == 0 {
		return ""
	}
	return "#" + strconv.FormatInt(h.RecordID, 10)
}

// describeHistory writes the changed values for reading in the page's
// language: names, labels, days and amounts rather than stored codes.
func describeHistory(pg *page, d *projectPageData) {
	v := historyValues{p: pg, donors: d.historyDonors, units: d.historyUnits, currency: d.P.Currency}
	for i := range d.History {
		for j := range d.History[i].Fields {
			f := &d.History[i].Fields[j]
			f.Label, f.Old, f.New = v.label(f.Field), v.text(f.Field, f.oldRaw), v.text(f.Field, f.newRaw)
		}
	}
}

// projectHistoryPage shows the history of a project and of its money:
// who changed what and when, with the values before and after. It is a
// page of its own, so that the project page, opened far more often, does
// not read the audit trail each time.
func (s *Server) projectHistoryPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := s.visibleProject(r, u)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := &projectPageData{P: p}
	f := tcmis.MoneyFilter{ProjectID: &p.ID}
	if d.Approvals, _, err = s.store.FindApprovals(ctx, f); err != nil {
		return err
	}
	if d.allAllocations, _, err = s.store.FindAllocations(ctx, f); err != nil {
		return err
	}
	if d.allExpenditures, _, err = s.store.FindExpenditures(ctx, f); err != nil {
		return err
	}
	if d.History, d.HistoryMore, err = s.projectHistory(r, p, d); err != nil {
		return err
	}
	pg := s.newPage(w, r, u, "History", "projects", d)
	pg.Title = pg.T("History of project %s", p.Code)
	describeHistory(pg, d)
	s.render(w, r, http.StatusOK, "project_history", pg)
	return nil
}
