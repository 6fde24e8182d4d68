package importer

import (
	"testing"
	"time"
)

func TestPlainNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1234.56":             "1234.56",
		"1234.5599999999999":  "1234.56",
		"0.30000000000000004": "0.3",
		"-0.1":                "-0.1",
		"1.2345E+7":           "12345000",
		"1.5E-3":              "0.0015",
		"123456789012":        "123456789012",
		"12345678901234567":   "12345678901234600",
		"9.99999999999999999": "10",
		"2004":                "2004",
		"2004.0":              "2004",
		"000":                 "0",
		".5":                  "0.5",
		"1,234.5":             "1,234.5",
		"abc":                 "abc",
		"1e":                  "1e",
		"":                    "",
		"-":                   "-",
	} {
		if got := plainNumber(in); got != want {
			t.Errorf("plainNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSerialDate(t *testing.T) {
	for _, c := range []struct {
		in       string
		date1904 bool
		want     string
		serial   bool
		err      bool
	}{
		{"36526", false, "2000-01-01", true, false},
		{"38078", false, "2004-04-01", true, false},
		{"38078.75", false, "2004-04-01", true, false},
		{"61", false, "1900-03-01", true, false},
		{"59", false, "1900-02-28", true, false},
		{"1", false, "1900-01-01", true, false},
		{"60", false, "", true, true},
		{"0", false, "", true, true},
		{"36526", true, "2004-01-02", true, false},
		{"2004-04-01", false, "", false, false},
		{"-5", false, "", false, false},
		{"99999999999", false, "", true, true},
	} {
		got, serial, err := serialDate(c.in, c.date1904)
		if serial != c.serial || (err != nil) != c.err || (c.want != "" && got.Format(time.DateOnly) != c.want) {
			t.Errorf("serialDate(%q, %v) = %s, %v, %v", c.in, c.date1904, got.Format(time.DateOnly), serial, err)
		}
	}
}

func TestDelimiter(t *testing.T) {
	for in, want := range map[string]rune{
		"a,b,c\n":                ',',
		"a;b;c\n":                ';',
		"a\tb\tc\n":              '\t',
		`"x;y",b,c` + "\n":       ',',
		"amount;year;note, ok\n": ';',
		"single\n":               ',',
		`"a,b";"c,d";"e"` + "":   ';',
	} {
		if got := delimiter(in); got != want {
			t.Errorf("delimiter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestNormHeading(t *testing.T) {
	for in, want := range map[string]string{
		"\ufeffDonor Name":        "donorname",
		"donor_name":              "donorname",
		"DONOR-NAME (as printed)": "donorname",
		"Per U.S.D.":              "perusd",
		"(notes)":                 "(notes)",
	} {
		if got := normHeading(in); got != want {
			t.Errorf("normHeading(%q) = %q, want %q", in, got, want)
		}
	}
}
