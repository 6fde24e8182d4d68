package report_test

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

// unitList is a UnitFinder over a fixed list, counting its calls.
type unitList struct {
	units []*tcmis.Unit
	calls int
	err   error
}

func (l *unitList) FindUnits(context.Context, tcmis.UnitFilter) ([]*tcmis.Unit, int, error) {
	l.calls++
	return l.units, len(l.units), l.err
}

func pct(p tcmis.Percent) *tcmis.Percent { return &p }

func TestParseParams(t *testing.T) {
	units := []*tcmis.Unit{{ID: 7, Code: "ILO-Dakar"}, {ID: 9, Code: "ILO-Lima"}}
	for _, tc := range []struct {
		name  string
		query string
		want  report.Params
	}{
		{"nothing: the defaults", "", report.Params{}},
		{"a whole period", "from=2000&to=2003", report.Params{From: 2000, To: 2003}},
		{"from only: five years", "from=2000", report.Params{From: 2000, To: 2004}},
		{"to only: five years", "to=2004", report.Params{From: 2000, To: 2004}},
		{"base period", "base-from=1995&base-to=1999", report.Params{BaseFrom: 1995, BaseTo: 1999}},
		{"lists repeated or comma-separated", "source=xbtc,rbtc&source=rb&region=africa&region=Interregional&category=un",
			report.Params{Sources: []tcmis.Source{"xbtc", "rbtc", "rb"}, Regions: []string{"africa", tcmis.InterregionalRegion}, Categories: []tcmis.DonorCategory{"un"}}},
		{"offices by code, any case", "office=ilo-lima,ILO-Dakar", report.Params{OfficeIDs: []int64{9, 7}}},
		{"month", "month=2005-06", report.Params{Year: 2005, Month: 6}},
		{"by", "by=office", report.Params{By: "office"}},
		{"threshold", "threshold=55.5", report.Params{Threshold: pct(5550)}},
		{"limit", "limit=20", report.Params{Limit: 20}},
		{"limit 0 is all", "limit=0", report.Params{Limit: -1}},
		{"biennium", "biennium=2004-05", report.Params{Biennium: "2004-05"}},
		{"measure", "measure=approvals", report.Params{Measure: tcmis.MeasureApprovals}},
		{"attribute", "attribute=on", report.Params{Attribute: true}},
		{"attribute off", "attribute=false", report.Params{}},
		{"attribute as a flag says it", "attribute=t", report.Params{Attribute: true}},
		{"attribute as a flag says it, any case", "attribute=TRUE", report.Params{Attribute: true}},
		{"attribute off as a flag says it", "attribute=F", report.Params{}},
		{"date", "date=2005-12-31", report.Params{Today: time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)}},
		{"blank values are defaults", "from=&to=+&month=&limit=&source=", report.Params{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := report.ParseParams(context.Background(), &unitList{units: units}, q)
			if err != nil {
				t.Fatalf("ParseParams(%s): %v", tc.query, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseParams(%s)\n got %+v\nwant %+v", tc.query, got, tc.want)
			}
		})
	}
}

func TestParseParamsProblems(t *testing.T) {
	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"from=abc", []string{"from"}},
		{"from=2004&to=2000", []string{"to"}},
		{"base-from=2004&base-to=2000", []string{"base-to"}},
		{"to=99999", []string{"to"}},
		{"source=gold", []string{"source"}},
		{"region=atlantis", []string{"region"}},
		{"category=friends", []string{"category"}},
		{"office=ILO-Mars", []string{"office"}},
		{"month=2005-13", []string{"month"}},
		{"month=June", []string{"month"}},
		{"by=colour", []string{"by"}},
		{"threshold=0", []string{"threshold"}},
		{"threshold=120", []string{"threshold"}},
		{"limit=-3", []string{"limit"}},
		{"limit=many", []string{"limit"}},
		{"biennium=2005", []string{"biennium"}},
		{"measure=allocations", []string{"measure"}},
		{"attribute=perhaps", []string{"attribute"}},
		{"date=31/12/2005", []string{"date"}},
		// Every problem at once, not only the first.
		{"from=x&source=gold&month=x&limit=x", []string{"from", "source", "month", "limit"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			_, err := report.ParseParams(context.Background(), &unitList{units: []*tcmis.Unit{{ID: 7, Code: "ILO-Dakar"}}}, q)
			if tcmis.ErrorCode(err) != tcmis.EINVALID {
				t.Fatalf("ParseParams(%s) = %v, want EINVALID", tc.query, err)
			}
			var fields []string
			for _, p := range tcmis.ErrorProblems(err) {
				if p.Message == "" {
					t.Errorf("problem on %s without a message", p.Field)
				}
				fields = append(fields, p.Field)
			}
			if !slices.Equal(fields, tc.fields) {
				t.Errorf("ParseParams(%s): problems on %v, want %v", tc.query, fields, tc.fields)
			}
		})
	}
}

func TestParseParamsUnits(t *testing.T) {
	l := &unitList{}
	if _, err := report.ParseParams(context.Background(), l, url.Values{"from": {"2000"}}); err != nil {
		t.Fatal(err)
	}
	if l.calls != 0 {
		t.Errorf("units looked up %d times without an office asked for", l.calls)
	}
	boom := errors.New("store down")
	_, err := report.ParseParams(context.Background(), &unitList{err: boom}, url.Values{"office": {"ILO-Dakar"}})
	if !errors.Is(err, boom) {
		t.Errorf("the store's error is lost: %v", err)
	}
}
