package tcmis_test

import (
	"math"
	"slices"
	"testing"

	"github.com/tcmis/tcmis"
)

// TestApportion checks the largest remainder rounding of split amounts:
// the parts add up to the total, each is within a unit of its exact
// value, and ties go to the earlier part.
func TestApportion(t *testing.T) {
	for _, c := range []struct {
		total int64
		nums  []int64
		den   int64
		want  []int64
	}{
		{100, []int64{333300, 333300, 333400}, 10000, []int64{33, 33, 34}},
		{100, []int64{333350, 333300, 333350}, 10000, []int64{34, 33, 33}}, // a tie: the first
		{600, []int64{1999800, 1999800, 2000400}, 10000, []int64{200, 200, 200}},
		{1, []int64{5000, 5000}, 10000, []int64{1, 0}},
		{-100, []int64{-333300, -333300, -333400}, 10000, []int64{-33, -33, -34}},
		{0, []int64{10000, -10000}, 10000, []int64{1, -1}},
		{7, nil, 10000, []int64{}},
	} {
		got := tcmis.Apportion(c.total, c.nums, c.den)
		if !slices.Equal(got, c.want) {
			t.Errorf("Apportion(%d, %v, %d) = %v, want %v", c.total, c.nums, c.den, got, c.want)
		}
	}
	// Any split adds up, each part within a unit of its share.
	for total := int64(-1000); total <= 1000; total += 7 {
		shares := []int64{1234, 3333, 2000, 3433}
		nums := make([]int64, len(shares))
		for i, s := range shares {
			nums[i] = total * s
		}
		parts := tcmis.Apportion(total, nums, 10000)
		var sum int64
		for i, p := range parts {
			sum += p
			if d := float64(p) - float64(nums[i])/10000; math.Abs(d) >= 1 {
				t.Errorf("total %d: part %d is %d, exact %.4f", total, i, p, float64(nums[i])/10000)
			}
		}
		if sum != total {
			t.Errorf("total %d: parts %v add up to %d", total, parts, sum)
		}
	}
}

// TestRoundDiv checks the printed tables' rounding: half away from zero.
func TestRoundDiv(t *testing.T) {
	for _, c := range []struct{ n, d, want int64 }{
		{153769500, 1000, 153770}, {153769499, 1000, 153769}, {-5, 10, -1}, {-4, 10, 0}, {5, -10, -1}, {0, 7, 0}, {15, 10, 2}, {14, 10, 1},
		{math.MaxInt64, 2, math.MaxInt64/2 + 1}, {7, 0, 0},
	} {
		if got := tcmis.RoundDiv(c.n, c.d); got != c.want {
			t.Errorf("RoundDiv(%d, %d) = %d, want %d", c.n, c.d, got, c.want)
		}
	}
	if v, ok := tcmis.MulDivRound(math.MaxInt64/2, 4, 8); !ok || v != math.MaxInt64/4+1 {
		t.Errorf("MulDivRound without overflow: %d %v", v, ok)
	}
	if _, ok := tcmis.MulDivRound(math.MaxInt64, 4, 1); ok {
		t.Error("MulDivRound reports no overflow")
	}
}

func TestRegionOfCode(t *testing.T) {
	for code, want := range map[string]tcmis.Region{"289": tcmis.Africa, "619": tcmis.Europe, "589": tcmis.ArabStates, "798": tcmis.AsiaPacific, "489": tcmis.Americas} {
		if got, ok := tcmis.RegionOfCode(code); !ok || got != want {
			t.Errorf("RegionOfCode(%s) = %s, %v", code, got, ok)
		}
	}
	if _, ok := tcmis.RegionOfCode("998"); ok {
		t.Error("developing countries, unspecified, has a region")
	}
	// Every code of the IATI list but 998 has a region.
	for _, code := range tcmis.LookupCodelist(tcmis.ListRegion).Codes() {
		if _, ok := tcmis.RegionOfCode(code); !ok && code != "998" {
			t.Errorf("IATI region %s has no region", code)
		}
	}
}

func TestCostIndexValidate(t *testing.T) {
	if err := (&tcmis.CostIndex{Year: 2004, Value: 1_108_000}).Validate(); err != nil {
		t.Error(err)
	}
	if err := (&tcmis.CostIndex{Year: 1900, Value: 0}).Validate(); len(tcmis.ErrorProblems(err)) != 2 {
		t.Errorf("a bad cost index: %v", err)
	}
}
