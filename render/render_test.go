package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
)

// TestRender checks the three text formats of a small table: aligned text
// with its units, notes and source; CSV as printed without separators;
// JSON with the exact figures and their keys.
func TestRender(t *testing.T) {
	tab := &report.Table{
		Name: "test", Title: "Test", Notes: []string{"A note."}, Source: "Source: test.", Records: "approvals",
		Columns: []report.Column{{Key: "name", Title: "Name", Kind: report.Text}, {Key: "amount", Title: "Amount", Kind: report.Money, Unit: report.ThousandsUSD},
			{Key: "share", Title: "Share", Kind: report.Percent, Unit: report.PerCent}},
		Rows: []report.Row{
			{Kind: report.Heading, Cells: []report.Value{report.TextValue("Group"), report.Empty(), report.Empty()}},
			{Kind: report.Detail, Level: 1, Keys: map[string]string{"donor": "1"}, Cells: []report.Value{report.TextValue("A, \"quoted\""), report.Num(123456789), report.Share(1, 3, 1)}},
			{Kind: report.Total, Cells: []report.Value{report.TextValue("Total"), report.Num(123456789), report.Share(3, 3, 1)}},
		},
	}
	var b bytes.Buffer
	if err := render.Text(&b, tab); err != nil {
		t.Fatal(err)
	}
	want := "Test\n\nName            Amount  Share\n               US$'000      %\n-----------------------------\nGroup\n  A, \"quoted\"    1,235   33.3\nTotal            1,235  100.0\n\nA note.\nSource: test.\n"
	if b.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := render.CSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	if want := "Name,Amount (US$'000),Share (%)\nGroup,,\n\"A, \"\"quoted\"\"\",1235,33.3\nTotal,1235,100.0\n"; b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := render.JSON(&b, tab); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"value": 123456789`, `"printed": "1,235"`, `"value": 3330`, `"value_unit": "basis points"`, `"donor": "1"`, `"records": "approvals"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON has no %s:\n%s", want, b.String())
		}
	}
}
