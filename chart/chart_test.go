package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/tcmis/tcmis/chart"
	"github.com/tcmis/tcmis/report"
)

// table is a small report: three regions, two years, shares and amounts.
func table(kind report.ChartKind, across bool) *report.Table {
	t := &report.Table{
		Name: "test", Title: "Expenditure by region & year <test>", Source: "Source: tcmis, expenditures as recorded.",
		Records: "expenditures",
		Columns: []report.Column{
			{Key: "region", Title: "Region", Kind: report.Text},
			{Key: "y2000", Title: "2000", Kind: report.Money, Unit: report.ThousandsUSD},
			{Key: "y2001", Title: "2001", Kind: report.Money, Unit: report.ThousandsUSD},
			{Key: "share", Title: "Share", Kind: report.Percent, Unit: report.PerCent},
		},
		Chart: report.Chart{Kind: kind, Label: 0, Series: []int{1, 2}, Across: across, Unit: "US$'000"},
	}
	for _, r := range []struct {
		name       string
		a, b, part int64
	}{{"Africa", 3_120_000_000, 2_690_000_000, 3200}, {"Americas", 1_570_000_000, 1_650_000_000, 2150}, {"Asia and the Pacific", 2_280_000_000, -10_000_000, 4650}} {
		t.Rows = append(t.Rows, report.Row{Kind: report.Detail, Cells: []report.Value{report.TextValue(r.name), report.Num(r.a), report.Num(r.b), report.Num(r.part)}})
	}
	t.Rows = append(t.Rows, report.Row{Kind: report.Total, Cells: []report.Value{report.TextValue("Total"), report.Num(1), report.Num(1), report.Num(10000)}})
	if kind == report.Pie {
		t.Chart.Series = []int{3}
	}
	return t
}

// element is an SVG element as parsed, with its text.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parse checks that the document is well-formed XML with an svg root and
// returns its elements.
func parse(t *testing.T, b []byte) []element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := element{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if len(out) == 0 && (e.name != "svg" || x.Name.Space != "http://www.w3.org/2000/svg" || e.attrs["viewBox"] == "") {
				t.Fatalf("root element %v", x)
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(x)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

func count(es []element, name string, cond func(element) bool) int {
	n := 0
	for _, e := range es {
		if e.name == name && (cond == nil || cond(e)) {
			n++
		}
	}
	return n
}

func texts(es []element) string {
	var parts []string
	for _, e := range es {
		if e.name == "text" || e.name == "title" || e.name == "desc" {
			parts = append(parts, e.text)
		}
	}
	return strings.Join(parts, "\n")
}

func draw(t *testing.T, tab *report.Table) []element {
	t.Helper()
	var b bytes.Buffer
	if err := chart.SVG(&b, tab); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script") || strings.Contains(b.String(), "<style") || strings.Contains(b.String(), "href=") {
		t.Error("the picture refers to scripts, style sheets or other files")
	}
	return parse(t, b.Bytes())
}

func TestBars(t *testing.T) {
	es := draw(t, table(report.Bar, false))
	all := texts(es)
	// The title (escaped), the unit, the legend, the categories, the
	// figures as the table prints them, the source.
	for _, want := range []string{"Expenditure by region & year <test>", "Unit: US$'000", "2000", "2001", "Africa", "Americas", "Asia and the Pacific", "31,200", "-100", "Source: tcmis"} {
		if !strings.Contains(all, want) {
			t.Errorf("the bar chart does not say %q", want)
		}
	}
	// One bar per region and year, each with a tooltip; the total row is
	// not drawn.
	bars := count(es, "rect", func(e element) bool {
		return e.attrs["height"] != "" && e.attrs["width"] != "14" && e.attrs["fill"] != "#ffffff"
	})
	if bars != 6 {
		t.Errorf("%d bars, want 6", bars)
	}
	if strings.Contains(all, "Total") {
		t.Error("the total row is drawn")
	}
	// The value axis reaches below zero for the negative figure.
	if !strings.Contains(all, "\n-10,000\n") {
		t.Errorf("no negative tick on the value axis:\n%s", all)
	}
}

func TestStackedAcross(t *testing.T) {
	es := draw(t, table(report.Stacked, true))
	// Across: the years along the axis, one series (legend entry) per
	// region.
	legend := count(es, "rect", func(e element) bool { return e.attrs["width"] == "14" })
	if legend != 3 {
		t.Errorf("%d legend entries, want 3", legend)
	}
	if n := count(es, "rect", func(e element) bool { return e.attrs["width"] != "14" && e.attrs["fill"] != "#ffffff" }); n != 6 {
		t.Errorf("%d segments, want 6", n)
	}
}

func TestLine(t *testing.T) {
	es := draw(t, table(report.Line, false))
	if n := count(es, "polyline", nil); n != 2 {
		t.Errorf("%d lines, want 2", n)
	}
	if n := count(es, "circle", nil); n != 6 {
		t.Errorf("%d points, want 6", n)
	}
}

func TestPie(t *testing.T) {
	es := draw(t, table(report.Pie, false))
	if n := count(es, "path", nil); n != 3 {
		t.Errorf("%d slices, want 3", n)
	}
	all := texts(es)
	for _, want := range []string{"32.0%", "21.5%", "46.5%", "Africa: 32.0"} {
		if !strings.Contains(all, want) {
			t.Errorf("the pie chart does not say %q:\n%s", want, all)
		}
	}
}

func TestNoChart(t *testing.T) {
	tab := table(report.NoChart, false)
	if err := chart.SVG(io.Discard, tab); !errors.Is(err, chart.ErrNoChart) {
		t.Errorf("a table without a chart: %v", err)
	}
}
