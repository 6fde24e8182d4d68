package tcmis_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func TestFundingGaps(t *testing.T) {
	progs := []*tcmis.CountryProgramme{
		{ID: 1, Country: "GH", Title: "Ghana DWCP", Priorities: []tcmis.Priority{
			{Number: 1, Title: "Informal economy", Outcomes: []tcmis.CountryOutcome{
				{Code: "GHA101", Title: "Operators organized", Planned: 1_000_000_00},
				{Code: "GHA102", Title: "LED in 40 districts", Planned: 500_000_00},
			}},
		}},
		{ID: 2, Country: "KE", Title: "Kenya DWCP", Priorities: []tcmis.Priority{
			{Number: 1, Title: "Youth", Outcomes: []tcmis.CountryOutcome{{Code: "KEN101", Title: "Youth plan", Planned: 200_000_00}}},
		}},
		{ID: 3, Country: "NP", Title: "Nepal DWCP", Priorities: []tcmis.Priority{
			{Number: 2, Title: "Rights", Outcomes: []tcmis.CountryOutcome{{Code: "NPL201", Title: "Forced labour", Planned: 100_000_00}}},
		}},
	}
	serving := []tcmis.ServingProject{
		// Serves two outcomes and one unknown code: split in two, the odd
		// cent to the first code.
		{ProjectID: 10, Code: "GHA/06/01/NET", Outcomes: []string{"GHA102", "GHA101", "XXX999"}, Approved: 600_000_01},
		{ProjectID: 11, Code: "GHA/05/02/USA", Outcomes: []string{"GHA101"}, Approved: 100_000_00},
		// More than planned: no gap, and no credit elsewhere.
		{ProjectID: 12, Code: "KEN/06/01/SID", Outcomes: []string{"KEN101"}, Approved: 250_000_00},
		{ProjectID: 13, Code: "INT/06/01/NOR", Outcomes: []string{"ZZZ"}, Approved: 999},
	}
	rows := tcmis.FundingGaps(progs, serving)
	var got []string
	for _, g := range rows {
		got = append(got, fmt.Sprintf("%s %s %d %d %d %s", g.Country, g.Outcome, g.Planned, g.Approved, g.Gap, strings.Join(g.Projects, "+")))
	}
	want := []string{
		"GH GHA101 100000000 40000001 59999999 GHA/05/02/USA+GHA/06/01/NET",
		"GH GHA102 50000000 30000000 20000000 GHA/06/01/NET",
		"KE KEN101 20000000 25000000 0 KEN/06/01/SID",
		"NP NPL201 10000000 0 10000000 ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("gaps:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[0].Region != tcmis.Africa || rows[3].Region != tcmis.AsiaPacific || rows[3].Priority != 2 {
		t.Errorf("regions and priorities: %+v", rows)
	}

	var totals []string
	for _, c := range tcmis.GapsByCountry(rows) {
		totals = append(totals, fmt.Sprintf("%s %s %d %d %d %d", c.Key, c.Name, c.Outcomes, c.Planned, c.Approved, c.Gap))
	}
	if got, want := strings.Join(totals, "; "), "GH Ghana 2 150000000 70000001 79999999; KE Kenya 1 20000000 25000000 0; NP Nepal 1 10000000 0 10000000"; got != want {
		t.Errorf("by country:\n %s\nwant %s", got, want)
	}
	totals = nil
	for _, c := range tcmis.GapsByRegion(rows) {
		totals = append(totals, fmt.Sprintf("%s %d %d", c.Key, c.Outcomes, c.Gap))
	}
	// The Kenyan surplus does not fill the Ghanaian gap.
	if got, want := strings.Join(totals, "; "), "africa 3 79999999; asia-pacific 1 10000000"; got != want {
		t.Errorf("by region: %s, want %s", got, want)
	}
}

func TestFundingGapsNegativeApprovals(t *testing.T) {
	progs := []*tcmis.CountryProgramme{{ID: 1, Country: "GH", Priorities: []tcmis.Priority{{Number: 1, Outcomes: []tcmis.CountryOutcome{
		{Code: "A", Planned: 100}, {Code: "B", Planned: 100}, {Code: "C", Planned: 100},
	}}}}}
	// A cancelled grant reduced the project's approvals below zero.
	rows := tcmis.FundingGaps(progs, []tcmis.ServingProject{{Code: "P", Outcomes: []string{"A", "B", "C"}, Approved: -100}})
	var sum int64
	for _, g := range rows {
		sum += g.Approved
	}
	if sum != -100 || rows[0].Approved != -34 || rows[2].Approved != -33 || rows[0].Gap != 134 {
		t.Errorf("negative split: %+v", rows)
	}
}
