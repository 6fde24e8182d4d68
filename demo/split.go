package demo

import (
	"math/bits"
	"math/rand/v2"
	"time"
)

// Money is planned and split in integers only, so that the parts of an
// amount add up to it exactly and the same seed gives the same cents on
// every machine (floating point may fuse operations differently).

// mulDiv returns a*b/c rounded down, for non-negative a, b and positive c
// with a*b/c < 2^63, without overflowing in between.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// split divides total into parts proportional to the weights, appending
// them to dst: each part is rounded so that the running sum is exact and
// the parts add up to total. Zero weights get zero; if all weights are
// zero the total is shared equally.
func split(dst []int64, total int64, weights []int64) []int64 {
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if sum == 0 {
		for i := range weights {
			dst = append(dst, total*int64(i+1)/int64(len(weights))-total*int64(i)/int64(len(weights)))
		}
		return dst
	}
	var cum, prev int64
	for _, w := range weights {
		cum += w
		cur := mulDiv(total, cum, sum)
		dst = append(dst, cur-prev)
		prev = cur
	}
	return dst
}

// between returns a random integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// pick returns an index chosen with probability proportional to its
// weight; the weights must not all be zero.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// chance reports true with the given probability in per cent.
func chance(r *rand.Rand, pct int) bool { return r.IntN(100) < pct }

// Months are counted from year 0 so that a month is one integer:
// January 2000 is 2000*12.
func monthOf(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func firstDay(m int) time.Time { return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC) }

func lastDay(m int) time.Time { return time.Date(m/12, time.Month(m%12+2), 0, 0, 0, 0, 0, time.UTC) }

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// dayIn returns a random working-looking day of a year between two months.
func dayIn(r *rand.Rand, year, fromMonth, toMonth int) time.Time {
	return date(year, between(r, fromMonth, toMonth), between(r, 1, 28))
}
