package tcmis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func TestParseMonth(t *testing.T) {
	y, m, err := tcmis.ParseMonth("2005-06")
	if err != nil || y != 2005 || m != 6 || tcmis.MonthString(y, m) != "2005-06" {
		t.Errorf("2005-06: %d %d %v", y, m, err)
	}
	for _, bad := range []string{"2005-13", "2005-00", "2005-6", "05-06", "June 2005", ""} {
		if _, _, err := tcmis.ParseMonth(bad); err == nil {
			t.Errorf("%q is a month", bad)
		}
	}
}

func TestForecast(t *testing.T) {
	for _, tc := range []struct {
		name    string
		monthly [12]int64
		month   int
		want    int64
	}{
		{"January: its own pace", [12]int64{100}, 1, 100 + 100*11},
		{"February: the average of two months", [12]int64{100, 200}, 2, 300 + 150*10},
		{"June: the average of April to June", [12]int64{10, 10, 10, 100, 200, 300}, 6, 630 + 200*6},
		{"rounding half away from zero", [12]int64{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 4, 1 + 3}, // 1/3*8 = 2.67 -> 3
		{"a refund", [12]int64{0, 0, -30}, 3, -30 - 10*9},
		{"December: what was spent", [12]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5}, 12, 16},
		{"no month", [12]int64{1}, 0, 0},
	} {
		if got := tcmis.Forecast(tc.monthly, tc.month); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestBuildSnapshot(t *testing.T) {
	projects := []tcmis.DeliveryProject{
		{ProjectID: 3, UnitID: 20, OfficeID: 30, Allocated: 1200, Monthly: [12]int64{100, 100, 100}},
		{ProjectID: 1, UnitID: 20, Allocated: 600, Monthly: [12]int64{0, 0, 60}},
		{ProjectID: 2, UnitID: 21, OfficeID: 30, Monthly: [12]int64{0, 0, 0, 50}}, // spends only after March
		{ProjectID: 4, UnitID: 21, Monthly: [12]int64{}},                          // nothing at all
	}
	rows := tcmis.BuildSnapshot(3, projects)
	var got []string
	for _, r := range rows {
		id := r.UnitID
		if r.Scope == tcmis.ScopeProject {
			id = r.ProjectID
		}
		got = append(got, fmt.Sprintf("%s %d: %d/%d month %d forecast %d (%d)", r.Scope, id, r.SpentYTD, r.Allocated, r.SpentMonth, r.Forecast, r.Projects))
	}
	want := []string{
		"office 30: 300/1200 month 100 forecast 1200 (1)",
		"unit 20: 360/1800 month 160 forecast 1440 (2)",
		"project 1: 60/600 month 60 forecast 240 (1)",
		"project 3: 300/1200 month 100 forecast 1200 (1)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("snapshot:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r, ok := rows[1].Rate(); !ok || r.String() != "20" {
		t.Errorf("unit rate %s %v", r, ok)
	}
	if r, ok := rows[1].ForecastRate(); !ok || r.String() != "80" {
		t.Errorf("unit forecast rate %s %v", r, ok)
	}
}

func TestThresholdFor(t *testing.T) {
	ts := []*tcmis.DeliveryThreshold{
		{Scope: tcmis.ScopeProject, Rate: 6000},
		{Scope: tcmis.ScopeProject, UnitID: 20, Rate: 5000},
		{Scope: tcmis.ScopeProject, UnitID: 30, Rate: 5500},
		{Scope: tcmis.ScopeOffice, UnitID: 30, Rate: 7000},
	}
	for _, tc := range []struct {
		name string
		row  tcmis.DeliveryRow
		want string
	}{
		{"a project of no listed unit", tcmis.DeliveryRow{Scope: tcmis.ScopeProject, UnitID: 9}, "60"},
		{"a project of unit 20", tcmis.DeliveryRow{Scope: tcmis.ScopeProject, UnitID: 20}, "50"},
		{"a project of unit 20 and office 30: the higher", tcmis.DeliveryRow{Scope: tcmis.ScopeProject, UnitID: 20, OfficeID: 30}, "55"},
		{"office 30", tcmis.DeliveryRow{Scope: tcmis.ScopeOffice, UnitID: 30}, "70"},
		{"another office", tcmis.DeliveryRow{Scope: tcmis.ScopeOffice, UnitID: 31}, "none"},
		{"a unit", tcmis.DeliveryRow{Scope: tcmis.ScopeUnit, UnitID: 20}, "none"},
	} {
		r, ok := tcmis.ThresholdFor(tc.row, ts)
		got := r.String()
		if !ok {
			got = "none"
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if err := (&tcmis.DeliveryThreshold{Scope: "planet", Rate: 10001}).Validate(); len(tcmis.ErrorProblems(err)) != 2 {
		t.Errorf("bad threshold: %v", err)
	}
	if err := (&tcmis.DeliveryThreshold{Scope: tcmis.ScopeUnit, Rate: tcmis.Whole}).Validate(); err != nil {
		t.Errorf("100%%: %v", err)
	}
}

func TestAlerts(t *testing.T) {
	row := func(scope tcmis.DeliveryScope, id, allocated, ytd, forecast int64) tcmis.DeliveryRow {
		r := tcmis.DeliveryRow{Scope: scope, UnitID: id, Allocated: allocated, SpentYTD: ytd, Forecast: forecast}
		if scope == tcmis.ScopeProject {
			r.ProjectID, r.UnitID = id, 99
		}
		return r
	}
	prev := &tcmis.DeliverySnapshot{Year: 2005, Month: 5, Rows: []tcmis.DeliveryRow{
		row(tcmis.ScopeProject, 1, 1000, 200, 0),
		row(tcmis.ScopeOffice, 30, 1000, 300, 0),
	}}
	cur := &tcmis.DeliverySnapshot{Year: 2005, Month: 6, Rows: []tcmis.DeliveryRow{
		row(tcmis.ScopeOffice, 30, 1000, 280, 590), // forecast 59%: below 60
		row(tcmis.ScopeUnit, 20, 1000, 300, 600),   // exactly 60%: not below
		row(tcmis.ScopeProject, 1, 1000, 250, 500), // 50%
		row(tcmis.ScopeProject, 2, 1000, 100, 200), // 20%: listed before project 1
		row(tcmis.ScopeProject, 3, 0, 100, 200),    // nothing allocated: no rate
	}}
	ts := []*tcmis.DeliveryThreshold{{Scope: tcmis.ScopeProject, Rate: 6000}, {Scope: tcmis.ScopeOffice, Rate: 6000}, {Scope: tcmis.ScopeUnit, Rate: 6000}}
	summary := func(as []tcmis.DeliveryAlert) string {
		var parts []string
		for _, a := range as {
			id := a.UnitID
			if a.Scope == tcmis.ScopeProject {
				id = a.ProjectID
			}
			trend := "-"
			if a.HasTrend {
				trend = a.Trend.String()
			}
			parts = append(parts, fmt.Sprintf("%s %d %s->%s<%s trend %s", a.Scope, id, a.Rate, a.ForecastRate, a.Threshold, trend))
		}
		return strings.Join(parts, "; ")
	}
	if got, want := summary(tcmis.Alerts(cur, prev, ts, nil)), "office 30 28->59<60 trend -2; project 2 10->20<60 trend -; project 1 25->50<60 trend 5"; got != want {
		t.Errorf("alerts:\n got %s\nwant %s", got, want)
	}
	low := tcmis.Percent(3000)
	if got, want := summary(tcmis.Alerts(cur, prev, nil, &low)), "project 2 10->20<30 trend -"; got != want {
		t.Errorf("with --threshold 30: %s", got)
	}
	if got := tcmis.Alerts(cur, prev, nil, nil); len(got) != 0 {
		t.Errorf("no thresholds, no alerts: %v", got)
	}
	// A snapshot of another month gives no trend.
	prev.Month = 4
	if got := summary(tcmis.Alerts(cur, prev, ts, nil)); strings.Contains(got, "trend 5") {
		t.Errorf("trend from two months back: %s", got)
	}
}
