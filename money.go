package tcmis

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// USD is the currency in which the programme reports.
const USD = "USD"

// Money is an amount in integer minor units (cents for US dollars) of a
// currency, identified by its ISO 4217 code.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// String formats the amount with its currency, e.g. "1234.56 USD".
func (m Money) String() string {
	return FormatAmount(m.Amount, m.Currency) + " " + m.Currency
}

// minorDigits lists the ISO 4217 currencies whose minor unit is not the
// hundredth; all others have two decimals.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
	"KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
	"XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// MinorDigits returns the number of decimals of a currency's minor unit.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// ParseAmount reads a decimal amount such as "1,234.5" or "-20" in the
// given currency and returns it in minor units. It refuses more decimals
// than the currency has and anything that is not a number.
func ParseAmount(s, currency string) (int64, error) {
	digits := MinorDigits(currency)
	v, err := parseFixed(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), digits)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount in %s: %v", s, currency, err)
	}
	return v, nil
}

// FormatAmount writes minor units as a plain decimal, e.g. 123456 USD as
// "1234.56".
func FormatAmount(amount int64, currency string) string {
	return formatFixed(amount, MinorDigits(currency))
}

// parseFixed parses a plain decimal string into an integer scaled by
// 10^digits. It never goes through a float.
func parseFixed(s string, digits int) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("no digits")
	}
	// Trailing zeros beyond the scale are harmless ("12.500" in USD).
	for len(frac) > digits && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) > digits {
		return 0, fmt.Errorf("more than %d decimals", digits)
	}
	for _, part := range []string{intPart, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("unexpected character %q", c)
			}
		}
	}
	frac += strings.Repeat("0", digits-len(frac))
	if intPart == "" {
		intPart = "0"
	}
	v, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("too large")
	}
	if neg {
		v = -v
	}
	return v, nil
}

func formatFixed(v int64, digits int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := strconv.FormatUint(u, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Decimal is a non-money quantity with six fixed decimals, such as an
// exchange rate or an indicator value: 1.5 is Decimal(1_500_000).
type Decimal int64

// DecimalDigits is the number of decimals a Decimal keeps.
const DecimalDigits = 6

// ParseDecimal reads a plain decimal number such as "0.9123" or "-12".
func ParseDecimal(s string) (Decimal, error) {
	v, err := parseFixed(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), DecimalDigits)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number: %v", s, err)
	}
	return Decimal(v), nil
}

// String writes the decimal without trailing zeros.
func (d Decimal) String() string {
	s := formatFixed(int64(d), DecimalDigits)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// MarshalText lets a Decimal travel as a JSON string without loss.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a Decimal written by MarshalText.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	*d = v
	return err
}

// ExchangeRate says how many units of a currency one US dollar bought on a
// date, according to a source (for example the UN operational rates). Every
// converted amount keeps the ID of the rate it was converted with.
type ExchangeRate struct {
	ID       int64     `json:"id"`
	Currency string    `json:"currency"`
	Date     time.Time `json:"date"`
	PerUSD   Decimal   `json:"per_usd"`
	Source   string    `json:"source"`
}

// Validate checks a rate before it is stored.
func (r *ExchangeRate) Validate() error {
	var ps problems
	checkCurrency(&ps, "currency", r.Currency)
	if r.Currency == USD {
		ps.add("currency", "US dollars need no exchange rate")
	}
	if r.Date.IsZero() {
		ps.add("date", "the date the rate applies from is required")
	}
	if r.PerUSD <= 0 {
		ps.add("per_usd", "the rate must be a positive number of %s per US dollar", r.Currency)
	}
	if strings.TrimSpace(r.Source) == "" {
		ps.add("source", "say where the rate comes from (for example \"UN operational rates of exchange\")")
	}
	return ps.err("exchange rate")
}

// ToUSD converts an amount with this rate, rounding half away from zero to
// the cent. The rate must be for the amount's currency.
func (r ExchangeRate) ToUSD(m Money) (int64, error) {
	if m.Currency != r.Currency {
		return 0, Errorf(EINTERNAL, "rate for %s applied to %s", r.Currency, m.Currency)
	}
	// usd cents = amount / 10^digits * 100 / (perUSD / 10^6)
	num := new(big.Int).Mul(big.NewInt(m.Amount), big.NewInt(100*1_000_000))
	den := new(big.Int).Mul(big.NewInt(int64(r.PerUSD)), pow10(MinorDigits(m.Currency)))
	return roundDiv(num, den)
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// roundDiv divides rounding half away from zero.
func roundDiv(num, den *big.Int) (int64, error) {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	r.Abs(r).Mul(r, big.NewInt(2))
	if r.Cmp(new(big.Int).Abs(den)) >= 0 {
		if num.Sign()*den.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() {
		return 0, Errorf(EINVALID, "amount too large to convert")
	}
	return q.Int64(), nil
}

// Converted is an amount with its US dollar value and the rate used, so a
// reported figure can be traced back to its rate, date and source. RateID
// is zero for amounts already in US dollars.
type Converted struct {
	Money
	USD    int64 `json:"usd"`
	RateID int64 `json:"rate_id,omitempty"`
}

// RateFinder looks up the exchange rate in force for a currency on a day:
// the latest rate dated on or before it.
type RateFinder interface {
	RateOn(currency string, day time.Time) (ExchangeRate, error)
}

// Convert returns m with its US dollar value at the rate in force on day.
func Convert(rates RateFinder, m Money, day time.Time) (Converted, error) {
	if m.Currency == USD {
		return Converted{Money: m, USD: m.Amount}, nil
	}
	r, err := rates.RateOn(m.Currency, day)
	if err != nil {
		return Converted{}, err
	}
	usd, err := r.ToUSD(m)
	if err != nil {
		return Converted{}, err
	}
	return Converted{Money: m, USD: usd, RateID: r.ID}, nil
}

// Rates is an in-memory RateFinder, sorted by currency and date.
type Rates []ExchangeRate

// RateOn implements RateFinder.
func (rs Rates) RateOn(currency string, day time.Time) (ExchangeRate, error) {
	var best *ExchangeRate
	for i := range rs {
		r := &rs[i]
		if r.Currency == currency && !r.Date.After(day) && (best == nil || r.Date.After(best.Date)) {
			best = r
		}
	}
	if best == nil {
		return ExchangeRate{}, Errorf(EINVALID, "no exchange rate for %s on or before %s: add one (tcmis import rates)", currency, day.Format(DateLayout))
	}
	return *best, nil
}

// DateLayout is how dates are written in files and on screens.
const DateLayout = "2006-01-02"

// ParseDate reads a date written as YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date written as YYYY-MM-DD", s)
	}
	return t, nil
}
