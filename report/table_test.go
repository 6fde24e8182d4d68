package report_test

import (
	"testing"

	"github.com/tcmis/tcmis/report"
)

// TestFormat checks how figures print: rounded once, half away from zero,
// to the column's unit, from the exact value.
func TestFormat(t *testing.T) {
	k := report.Column{Kind: report.Money, Unit: report.ThousandsUSD}
	m := report.Column{Kind: report.Money, Unit: report.MillionsUSD}
	p := report.Column{Kind: report.Percent, Unit: report.PerCent}
	for _, c := range []struct {
		col  report.Column
		v    report.Value
		want string
	}{
		{k, report.Num(76885000000), "768,850"},
		{k, report.Num(15376950000), "153,770"}, // 153,769.5 thousand, half up
		{k, report.Num(15376949999), "153,769"},
		{k, report.Num(-15376950000), "-153,770"}, // half away from zero
		{k, report.Num(-49999), "0"},              // no "-0"
		{k, report.Avg(76884999999, 5), "153,770"},
		{k, report.Avg(76884750000, 5), "153,770"}, // exactly 153,769.5 thousand as an average
		{k, report.Avg(76884749995, 5), "153,769"}, // just under: an average is rounded once
		{m, report.Num(47961100000), "479.6"},
		{m, report.Num(5000000), "0.1"},
		{p, report.Share(137576, 153770, 1), "89.5"},
		{p, report.Share(9130, 153770, 1), "5.9"},
		{p, report.Share(1, 3, 1), "33.3"},
		{p, report.Share(2, 3, 1), "66.7"},
		{p, report.Share(-2, 3, 1), "-66.7"},
		{p, report.Share(5, 0, 1), ""},
		{p, report.Change(105756, 153770, 1), "45.4"},
		{p, report.Change(29895, 9130, 1), "-69.5"},
		{p, report.Change(0, 10, 1), ""},
		{report.Column{Kind: report.Percent, Unit: report.PerCent2}, report.Share(5996, 10000, 2), "59.96"},
		{report.Column{Kind: report.Integer}, report.Num(1234567), "1,234,567"},
		{report.Column{Kind: report.Decimal}, report.Num(1_180_300), "1.1803"},
		{report.Column{Kind: report.Text}, report.TextValue("Africa"), "Africa"},
	} {
		if got := c.col.Format(c.v); got != c.want {
			t.Errorf("%s %+v prints %q, want %q", c.col.Kind, c.v, got, c.want)
		}
	}
	if got := k.Plain(report.Num(76885000000)); got != "768850" {
		t.Errorf("plain: %s", got)
	}
	// A share is rounded once from the exact ratio, not from basis points:
	// 44.4996 per cent prints 44.5, and 44.44996 prints 44.4.
	if got := p.Format(report.Share(444996, 1000000, 1)); got != "44.5" {
		t.Errorf("44.4996%% prints %s", got)
	}
	if got := p.Format(report.Share(4444996, 10000000, 1)); got != "44.4" {
		t.Errorf("44.44996%% prints %s", got)
	}
}

// TestPhrase checks that a phrase prints as the English text it stands
// for: its format filled in, a phrase among its values printed in turn, a
// format without values as it is.
func TestPhrase(t *testing.T) {
	for _, c := range []struct {
		p    report.Phrase
		want string
	}{
		{report.Phrasef("Approvals by donor category, %s (US$'000)", "2000-04"), "Approvals by donor category, 2000-04 (US$'000)"},
		{report.Phrasef("Delivery at the end of %s %d by region", report.Phrasef("Jun"), 2005), "Delivery at the end of Jun 2005 by region"},
		{report.Phrasef("%v projects are below their threshold", report.Phrasef("about %d", 40)), "about 40 projects are below their threshold"},
		{report.Phrasef("% share"), "% share"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%q %v: %q, want %q", c.p.Format, c.p.Args, got, c.want)
		}
	}
}
