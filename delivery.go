package tcmis

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The delivery control system (facts ¶140): every month a snapshot of
// delivery by project, by unit and by field office; thresholds an
// administrator sets; and the projects, units and offices whose forecast
// for the year end falls below them, with the trend since the previous
// month. Delivery is expenditure as a share of the year's allocations.

// DeliveryScope is what a line of a delivery snapshot, or a threshold, is
// about.
type DeliveryScope string

const (
	ScopeProject DeliveryScope = "project"
	ScopeUnit    DeliveryScope = "unit"
	ScopeOffice  DeliveryScope = "office"
)

var deliveryScopes = []kind{{"office", "Office"}, {"unit", "Unit"}, {"project", "Project"}}

// DeliveryScopes lists the scopes in report order: offices, units,
// projects.
func DeliveryScopes() []DeliveryScope { return codesOf[DeliveryScope](deliveryScopes) }
func ParseDeliveryScope(s string) (DeliveryScope, error) {
	return parseKind[DeliveryScope](deliveryScopes, s, "delivery scope")
}
func (s DeliveryScope) Label() string { return labelOf(deliveryScopes, string(s)) }
func (s DeliveryScope) Valid() bool   { return validKind(deliveryScopes, string(s)) }

// ParseMonth reads a month written "2005-06".
func ParseMonth(s string) (year, month int, err error) {
	y, m, ok := strings.Cut(strings.TrimSpace(s), "-")
	year, err1 := strconv.Atoi(y)
	month, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(m) != 2 || month < 1 || month > 12 {
		return 0, 0, fmt.Errorf("%q is not a month written as YYYY-MM, such as 2005-06", s)
	}
	return year, month, nil
}

// MonthString writes a month as "2005-06".
func MonthString(year, month int) string { return fmt.Sprintf("%04d-%02d", year, month) }

// DeliveryThreshold is the lowest year-end delivery rate an administrator
// accepts for a scope. UnitID 0 applies to everything in the scope; a
// threshold for one unit or office applies to it alone and, for the
// project scope, to the projects it leads or manages, and takes precedence.
type DeliveryThreshold struct {
	ID      int64         `json:"id"`
	Scope   DeliveryScope `json:"scope"`
	UnitID  int64         `json:"unit_id,omitempty"`
	Rate    Percent       `json:"rate"`
	Version int           `json:"version"`
}

// ParseThreshold reads a delivery threshold, such as "60": a per cent
// above 0 and at most 100, as Validate accepts it.
func ParseThreshold(s string) (Percent, error) {
	p, err := ParsePercent(s)
	if err != nil || !validThreshold(p) {
		return 0, fmt.Errorf("%q: give a per cent above 0 and at most 100, such as 60", s)
	}
	return p, nil
}

func validThreshold(p Percent) bool { return p > 0 && p <= Whole }

func (t *DeliveryThreshold) Validate() error {
	var ps problems
	if !t.Scope.Valid() {
		ps.add("scope", "choose project, unit or office")
	}
	if !validThreshold(t.Rate) {
		ps.add("rate", "a delivery threshold is more than 0 and at most 100 per cent (got %s)", t.Rate)
	}
	return ps.err("delivery threshold")
}

// DeliveryRow is one line of a monthly delivery snapshot, in US cents.
type DeliveryRow struct {
	Scope DeliveryScope `json:"scope"`
	// ProjectID is set on project lines.
	ProjectID int64 `json:"project_id,omitempty"`
	// UnitID is the unit or office of a unit or office line, and the lead
	// unit of a project line; OfficeID is a project's office.
	UnitID   int64 `json:"unit_id,omitempty"`
	OfficeID int64 `json:"office_id,omitempty"`
	// Allocated is the year's allocations; SpentMonth what was spent in
	// the month, SpentYTD from January to the month.
	Allocated  int64 `json:"allocated_usd"`
	SpentMonth int64 `json:"spent_month_usd"`
	SpentYTD   int64 `json:"spent_ytd_usd"`
	// Forecast is the expenditure expected by the end of the year.
	Forecast int64 `json:"forecast_usd"`
	Projects int   `json:"projects"`
}

// Rate is the delivery rate to date, false when nothing was allocated.
func (r DeliveryRow) Rate() (Percent, bool) { return DeliveryRate(r.SpentYTD, r.Allocated) }

// ForecastRate is the delivery rate forecast for the end of the year.
func (r DeliveryRow) ForecastRate() (Percent, bool) { return DeliveryRate(r.Forecast, r.Allocated) }

// DeliverySnapshot is delivery at the end of a month.
type DeliverySnapshot struct {
	ID      int64         `json:"id"`
	Year    int           `json:"year"`
	Month   int           `json:"month"`
	TakenAt time.Time     `json:"taken_at"`
	Actor   string        `json:"actor"`
	Rows    []DeliveryRow `json:"rows"`
	Version int           `json:"version"`
}

// DeliveryProject is what a snapshot needs of one project: its units, the
// year's allocations and its spending in each month of the year, in US
// cents.
type DeliveryProject struct {
	ProjectID int64
	UnitID    int64
	OfficeID  int64
	Allocated int64
	Monthly   [12]int64
}

// Forecast projects the year-end expenditure from the monthly trend:
// what was spent to the end of the month, plus the average of the last
// three months (fewer in January and February) for each month left,
// rounded half away from zero to the cent.
func Forecast(monthly [12]int64, month int) int64 {
	if month < 1 || month > 12 {
		return 0
	}
	var ytd int64
	for _, v := range monthly[:month] {
		ytd += v
	}
	k := min(3, month)
	var recent int64
	for _, v := range monthly[month-k : month] {
		recent += v
	}
	return ytd + divRound(recent*int64(12-month), int64(k))
}

// divRound divides rounding half away from zero.
func divRound(a, b int64) int64 {
	q, r := a/b, a%b
	if 2*abs64(r) >= abs64(b) {
		if (a < 0) != (b < 0) {
			q--
		} else {
			q++
		}
	}
	return q
}

// BuildSnapshot computes the lines of a month's snapshot: one per project
// with allocations or spending in the year, one per lead unit and one per
// office summing their projects. Lines come by scope (offices, units,
// projects) and then id.
func BuildSnapshot(month int, projects []DeliveryProject) []DeliveryRow {
	var out []DeliveryRow
	units := map[int64]*DeliveryRow{}
	offices := map[int64]*DeliveryRow{}
	sum := func(m map[int64]*DeliveryRow, scope DeliveryScope, id int64, r DeliveryRow) {
		t := m[id]
		if t == nil {
			t = &DeliveryRow{Scope: scope, UnitID: id}
			m[id] = t
		}
		t.Allocated += r.Allocated
		t.SpentMonth += r.SpentMonth
		t.SpentYTD += r.SpentYTD
		t.Forecast += r.Forecast
		t.Projects++
	}
	var rows []DeliveryRow
	for _, p := range projects {
		r := DeliveryRow{Scope: ScopeProject, ProjectID: p.ProjectID, UnitID: p.UnitID, OfficeID: p.OfficeID, Allocated: p.Allocated, Projects: 1}
		active := p.Allocated != 0
		for m := 1; m <= month; m++ {
			r.SpentYTD += p.Monthly[m-1]
			active = active || p.Monthly[m-1] != 0
		}
		if !active {
			continue
		}
		r.SpentMonth = p.Monthly[month-1]
		r.Forecast = Forecast(p.Monthly, month)
		rows = append(rows, r)
		if p.UnitID != 0 {
			sum(units, ScopeUnit, p.UnitID, r)
		}
		if p.OfficeID != 0 {
			sum(offices, ScopeOffice, p.OfficeID, r)
		}
	}
	for _, m := range []map[int64]*DeliveryRow{offices, units} {
		ids := make([]int64, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			out = append(out, *m[id])
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].ProjectID < rows[j].ProjectID })
	return append(out, rows...)
}

// ThresholdFor returns the threshold that applies to a snapshot line: one
// set for its unit or office (for a project, the higher of those set for
// its lead unit and its office), else the one for its whole scope.
func ThresholdFor(r DeliveryRow, ts []*DeliveryThreshold) (Percent, bool) {
	var general, specific Percent
	var hasGeneral, hasSpecific bool
	for _, t := range ts {
		if t.Scope != r.Scope {
			continue
		}
		switch {
		case t.UnitID == 0:
			general, hasGeneral = t.Rate, true
		case t.UnitID == r.UnitID || (r.Scope == ScopeProject && r.OfficeID != 0 && t.UnitID == r.OfficeID):
			if !hasSpecific || t.Rate > specific {
				specific, hasSpecific = t.Rate, true
			}
		}
	}
	if hasSpecific {
		return specific, true
	}
	return general, hasGeneral
}

// DeliveryAlert is a snapshot line whose year-end forecast is below its
// threshold.
type DeliveryAlert struct {
	DeliveryRow
	Year         int     `json:"year"`
	Month        int     `json:"month"`
	Rate         Percent `json:"rate"`
	ForecastRate Percent `json:"forecast_rate"`
	Threshold    Percent `json:"threshold"`
	// Trend is the change of the delivery rate since the previous
	// month's snapshot, in percentage points (as a Percent); HasTrend is
	// false without a snapshot of the previous month of the same year.
	Trend    Percent `json:"trend"`
	HasTrend bool    `json:"has_trend"`
}

// Alerts lists the lines of a snapshot whose forecast rate is below their
// threshold, by scope (offices, units, projects) and then lowest forecast
// first. prev is the previous month's snapshot, or nil; override, when
// not nil, replaces every stored threshold.
func Alerts(cur *DeliverySnapshot, prev *DeliverySnapshot, ts []*DeliveryThreshold, override *Percent) []DeliveryAlert {
	previous := map[string]DeliveryRow{}
	if prev != nil && prev.Year == cur.Year && prev.Month == cur.Month-1 {
		for _, r := range prev.Rows {
			previous[rowKey(r)] = r
		}
	}
	var out []DeliveryAlert
	for _, r := range cur.Rows {
		threshold, ok := ThresholdFor(r, ts)
		if override != nil {
			threshold, ok = *override, true
		}
		if !ok {
			continue
		}
		rate, hasRate := r.Rate()
		forecast, _ := r.ForecastRate()
		if !hasRate || forecast >= threshold {
			continue
		}
		a := DeliveryAlert{DeliveryRow: r, Year: cur.Year, Month: cur.Month, Rate: rate, ForecastRate: forecast, Threshold: threshold}
		if p, ok := previous[rowKey(r)]; ok {
			if prevRate, ok := p.Rate(); ok {
				a.Trend, a.HasTrend = rate-prevRate, true
			}
		}
		out = append(out, a)
	}
	order := map[DeliveryScope]int{ScopeOffice: 0, ScopeUnit: 1, ScopeProject: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return order[out[i].Scope] < order[out[j].Scope]
		}
		return out[i].ForecastRate < out[j].ForecastRate
	})
	return out
}

func rowKey(r DeliveryRow) string {
	if r.Scope == ScopeProject {
		return fmt.Sprintf("project/%d", r.ProjectID)
	}
	return fmt.Sprintf("%s/%d", r.Scope, r.UnitID)
}

// AlertFilter selects the delivery alerts of a month.
type AlertFilter struct {
	// Year and Month name the snapshot; Year 0 means the latest taken.
	Year, Month int
	Scope       *DeliveryScope
	// Threshold, when not nil, replaces the stored thresholds.
	Threshold *Percent
}

// DeliveryService takes monthly delivery snapshots and reports the lines
// below their thresholds.
type DeliveryService interface {
	// TakeDeliverySnapshot computes and stores the snapshot of a month,
	// replacing one taken before.
	TakeDeliverySnapshot(ctx context.Context, year, month int) (*DeliverySnapshot, error)
	// FindDeliverySnapshot returns a month's snapshot, or ENOTFOUND.
	FindDeliverySnapshot(ctx context.Context, year, month int) (*DeliverySnapshot, error)
	FindDeliveryThresholds(ctx context.Context) ([]*DeliveryThreshold, error)
	// SetDeliveryThreshold stores the threshold of a scope and unit,
	// replacing the one set before.
	SetDeliveryThreshold(ctx context.Context, t *DeliveryThreshold) error
	DeleteDeliveryThreshold(ctx context.Context, id int64) error
	// DeliveryAlerts returns the alerts of a month's snapshot, with the
	// trend from the previous month's snapshot.
	DeliveryAlerts(ctx context.Context, f AlertFilter) ([]DeliveryAlert, error)
}
