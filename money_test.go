package tcmis_test

import (
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func TestParseAmount(t *testing.T) {
	for _, tt := range []struct {
		in, cur string
		want    int64
		err     bool
	}{
		{"1234.56", "USD", 123456, false},
		{"1,234.5", "USD", 123450, false},
		{"-20", "USD", -2000, false},
		{"+3", "EUR", 300, false},
		{".5", "USD", 50, false},
		{"12.500", "USD", 1250, false},
		{"1000", "JPY", 1000, false},
		{"1000.5", "JPY", 0, true},
		{"1.234", "KWD", 1234, false},
		{"12.345", "USD", 0, true},
		{"12.3.4", "USD", 0, true},
		{"1e6", "USD", 0, true},
		{"", "USD", 0, true},
		{"-", "USD", 0, true},
		{"99999999999999999999", "USD", 0, true},
	} {
		got, err := tcmis.ParseAmount(tt.in, tt.cur)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d, error %v", tt.in, tt.cur, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	for _, tt := range []struct {
		amount int64
		cur    string
		want   string
	}{
		{123456, "USD", "1234.56"}, {5, "USD", "0.05"}, {-5, "EUR", "-0.05"}, {0, "USD", "0.00"},
		{1000, "JPY", "1000"}, {1234, "KWD", "1.234"},
	} {
		if got := tcmis.FormatAmount(tt.amount, tt.cur); got != tt.want {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tt.amount, tt.cur, got, tt.want)
		}
	}
}

func TestToUSD(t *testing.T) {
	rate := func(cur, perUSD string) tcmis.ExchangeRate {
		d, err := tcmis.ParseDecimal(perUSD)
		if err != nil {
			t.Fatal(err)
		}
		return tcmis.ExchangeRate{ID: 7, Currency: cur, PerUSD: d}
	}
	for _, tt := range []struct {
		rate tcmis.ExchangeRate
		m    tcmis.Money
		want int64
	}{
		{rate("EUR", "0.8"), tcmis.Money{Amount: 100, Currency: "EUR"}, 125},        // 1 EUR = 1.25 USD
		{rate("EUR", "0.8"), tcmis.Money{Amount: -100, Currency: "EUR"}, -125},      // sign kept
		{rate("JPY", "110"), tcmis.Money{Amount: 11000, Currency: "JPY"}, 10000},    // no minor unit
		{rate("GBP", "0.6"), tcmis.Money{Amount: 1, Currency: "GBP"}, 2},            // 1.666.. rounds up
		{rate("CHF", "1.6"), tcmis.Money{Amount: 4, Currency: "CHF"}, 3},            // 2.5 rounds away from zero
		{rate("CHF", "1.6"), tcmis.Money{Amount: -4, Currency: "CHF"}, -3},          // -2.5 too
		{rate("KWD", "0.3"), tcmis.Money{Amount: 3000, Currency: "KWD"}, 1000},      // three decimals
		{rate("EUR", "0.000001"), tcmis.Money{Amount: 1, Currency: "EUR"}, 1000000}, // tiny rates: 0.01 EUR = 10,000 USD
	} {
		got, err := tt.rate.ToUSD(tt.m)
		if err != nil || got != tt.want {
			t.Errorf("%s at %s per USD = %d, %v; want %d", tt.m, tt.rate.PerUSD, got, err, tt.want)
		}
	}
	if _, err := rate("EUR", "0.8").ToUSD(tcmis.Money{Amount: 1, Currency: "GBP"}); err == nil {
		t.Error("a EUR rate converted GBP")
	}
}

func TestConvertPicksRateInForce(t *testing.T) {
	day := func(s string) time.Time { d, _ := tcmis.ParseDate(s); return d }
	rates := tcmis.Rates{
		{ID: 1, Currency: "EUR", Date: day("2003-01-01"), PerUSD: 1_000_000},
		{ID: 2, Currency: "EUR", Date: day("2004-01-01"), PerUSD: 800_000},
		{ID: 3, Currency: "GBP", Date: day("2004-01-01"), PerUSD: 500_000},
	}
	for _, tt := range []struct {
		day    string
		rateID int64
		usd    int64
	}{{"2003-06-30", 1, 1000}, {"2003-12-31", 1, 1000}, {"2004-01-01", 2, 1250}, {"2006-01-01", 2, 1250}} {
		c, err := tcmis.Convert(rates, tcmis.Money{Amount: 1000, Currency: "EUR"}, day(tt.day))
		if err != nil || c.RateID != tt.rateID || c.USD != tt.usd {
			t.Errorf("on %s: %+v, %v; want rate %d, %d cents", tt.day, c, err, tt.rateID, tt.usd)
		}
	}
	if _, err := tcmis.Convert(rates, tcmis.Money{Amount: 1000, Currency: "EUR"}, day("2002-12-31")); tcmis.ErrorCode(err) != tcmis.EINVALID {
		t.Errorf("before the first rate: %v, want an invalid-input error", err)
	}
	c, err := tcmis.Convert(rates, tcmis.Money{Amount: 1000, Currency: "USD"}, day("1990-01-01"))
	if err != nil || c.USD != 1000 || c.RateID != 0 {
		t.Errorf("US dollars: %+v, %v", c, err)
	}
}

func TestExchangeRateValidate(t *testing.T) {
	r := tcmis.ExchangeRate{Currency: "XXX"}
	if n := len(tcmis.ErrorProblems(r.Validate())); n != 4 {
		t.Errorf("got %d problems, want 4 (currency, date, rate, source): %v", n, r.Validate())
	}
	r = tcmis.ExchangeRate{Currency: "EUR", Date: time.Now(), PerUSD: 1, Source: "UN"}
	if err := r.Validate(); err != nil {
		t.Error(err)
	}
}

func TestDecimal(t *testing.T) {
	for in, want := range map[string]string{"0.9123": "0.9123", "12": "12", "-1.50": "-1.5", "0.000001": "0.000001"} {
		d, err := tcmis.ParseDecimal(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDecimal(%q) = %s, %v; want %s", in, d, err, want)
		}
	}
	if _, err := tcmis.ParseDecimal("0.0000001"); err == nil {
		t.Error("seven decimals accepted")
	}
}

func TestDeliveryRate(t *testing.T) {
	for _, tt := range []struct {
		spent, available int64
		want             tcmis.Percent
		ok               bool
	}{{65, 100, 6500, true}, {2, 3, 6667, true}, {1, 3, 3333, true}, {0, 100, 0, true}, {120, 100, 12000, true}, {5, 0, 0, false}} {
		got, ok := tcmis.DeliveryRate(tt.spent, tt.available)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DeliveryRate(%d, %d) = %s, %v; want %s, %v", tt.spent, tt.available, got, ok, tt.want, tt.ok)
		}
	}
}
