package main_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// TestBadValuesNameTheirFlag: delivery and project list read months,
// sources, regions, categories and thresholds with the rules the reports
// read them by (report.ParseParams), and name every bad value by its flag
// with the same words.
func TestBadValuesNameTheirFlag(t *testing.T) {
	dsn := sqldbtest.DSN(t, "sqlite")
	problems := func(args ...string) []tcmis.Problem {
		t.Helper()
		_, _, err := run(t, dsn, args...)
		if err == nil {
			t.Fatalf("tcmis %s succeeded", strings.Join(args, " "))
		}
		return tcmis.ErrorProblems(err)
	}
	for _, tc := range []struct {
		args  []string
		flags []string
	}{
		{[]string{"delivery", "snapshot"}, []string{"--month"}},
		{[]string{"delivery", "snapshot", "--month", "2005-13"}, []string{"--month"}},
		{[]string{"delivery", "alerts", "--month", "June", "--threshold", "120", "--scope", "galaxy"}, []string{"--month", "--threshold", "--scope"}},
		{[]string{"delivery", "threshold", "set", "--scope", "galaxy", "--rate", "0"}, []string{"--scope", "--rate"}},
		{[]string{"project", "list", "--source", "gold"}, []string{"--source"}},
		{[]string{"project", "list", "--status", "asleep", "--region", "atlantis", "--category", "friends", "--country", "XX", "--unit", "ILO-Atlantis"},
			[]string{"--status", "--category", "--region", "--country", "--unit"}},
	} {
		var flags []string
		for _, p := range problems(tc.args...) {
			flags = append(flags, p.Field)
		}
		if !slices.Equal(flags, tc.flags) {
			t.Errorf("tcmis %s: problems on %v, want %v", strings.Join(tc.args, " "), flags, tc.flags)
		}
	}

	// The same bad value is refused in the same words as by tcmis report.
	for _, tc := range []struct{ own, report []string }{
		{[]string{"delivery", "snapshot", "--month", "2005-13"}, []string{"report", "delivery", "--month", "2005-13"}},
		{[]string{"delivery", "alerts", "--threshold", "150"}, []string{"report", "delivery-projects", "--threshold", "150"}},
		{[]string{"project", "list", "--source", "gold"}, []string{"report", "expenditure-by-region", "--source", "gold"}},
		{[]string{"project", "list", "--category", "friends"}, []string{"report", "approvals-by-donor", "--category", "friends"}},
	} {
		own, rep := problems(tc.own...), problems(tc.report...)
		if len(own) != 1 || len(rep) != 1 || own[0] != rep[0] {
			t.Errorf("tcmis %s: %v; tcmis %s: %v", strings.Join(tc.own, " "), own, strings.Join(tc.report, " "), rep)
		}
	}
}
