package importer

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxSource streams the rows of one sheet of a workbook. Cells are read
// raw, as the file stores them: numbers as their decimal text, dates as
// serial day numbers, never through a float or a display format.
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	n    int
	// date1904 tells serial day numbers counted from 1904 (old Mac
	// workbooks) from the usual ones counted from 1900.
	date1904 bool
	fail     error
}

// openXLSX opens a workbook and picks its sheet: the one named, else one
// named like the kind ("Approvals"), else the first.
func openXLSX(r io.Reader, kind Kind, sheet string, errs *Errors) (*xlsxSource, string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, "", fileError(errs, "cannot read the workbook: "+err.Error())
	}
	sheets := f.GetSheetList()
	name := ""
	if sheet != "" {
		for _, s := range sheets {
			if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(sheet)) {
				name = s
			}
		}
		if name == "" {
			f.Close()
			return nil, "", fileError(errs, fmt.Sprintf("the workbook has no sheet named %q (it has %s)", sheet, strings.Join(quoteAll(sheets), ", ")))
		}
	} else {
		for _, s := range sheets {
			n := normHeading(s)
			if n == string(kind) || n == strings.TrimSuffix(string(kind), "s") {
				name = s
				break
			}
		}
		if name == "" && len(sheets) > 0 {
			name = sheets[0]
		}
	}
	if name == "" {
		f.Close()
		return nil, "", fileError(errs, "the workbook has no sheet")
	}
	rows, err := f.Rows(name)
	if err != nil {
		f.Close()
		return nil, "", fileError(errs, fmt.Sprintf("cannot read sheet %q: %v", name, err))
	}
	s := &xlsxSource{f: f, rows: rows}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	return s, name, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func (s *xlsxSource) next() (int, []string, bool) {
	if s.fail != nil || !s.rows.Next() {
		if err := s.rows.Error(); err != nil && s.fail == nil {
			s.fail = err
		}
		return 0, nil, false
	}
	// Next visits every row number in turn, empty rows included, so the
	// count of calls is the row number.
	s.n++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		s.fail = fmt.Errorf("row %d: %w", s.n, err)
		return 0, nil, false
	}
	return s.n, cells, true
}

func (s *xlsxSource) err() error { return s.fail }

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// columnLetter names the i-th column (from 0) as a spreadsheet does: A,
// B, ..., Z, AA, AB, ...
func columnLetter(i int) string {
	var b []byte
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// serialDate turns an Excel serial day number, as a workbook stores a
// date, into the day it stands for. It reads the number's text exactly;
// a fraction (a time of day) is dropped. ok is false when s is not a
// serial number.
func serialDate(s string, date1904 bool) (t time.Time, ok bool, err error) {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (frac != "" && !allDigits(frac)) {
		return time.Time{}, false, nil
	}
	n, perr := strconv.Atoi(intPart)
	if perr != nil || n > 2958465 { // 9999-12-31
		return time.Time{}, true, fmt.Errorf("%s is not a date: the number is too large for a day", s)
	}
	if date1904 {
		return time.Date(1904, 1, 1+n, 0, 0, 0, 0, time.UTC), true, nil
	}
	switch {
	case n == 0:
		return time.Time{}, true, fmt.Errorf("%s is not a date", s)
	case n == 60:
		// Excel counts a 29 February 1900 that never was.
		return time.Time{}, true, fmt.Errorf("%s is Excel's 29 February 1900, which does not exist", s)
	case n < 60:
		return time.Date(1899, 12, 31+n, 0, 0, 0, 0, time.UTC), true, nil
	}
	return time.Date(1899, 12, 30+n, 0, 0, 0, 0, time.UTC), true, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// plainNumber rewrites a number as a workbook stores it ("1234.5",
// "1.2345E+7", "0.30000000000000004") as a plain decimal rounded, as
// Excel shows it, to 15 significant digits: "1234.5", "12345000", "0.3".
// It works on the digits, never through a float. Text that is not such a
// number comes back unchanged.
func plainNumber(s string) string {
	neg := false
	body := s
	if body != "" && (body[0] == '-' || body[0] == '+') {
		neg, body = body[0] == '-', body[1:]
	}
	mant, exp := body, 0
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		e, err := strconv.Atoi(body[i+1:])
		if err != nil || e > 400 || e < -400 {
			return s
		}
		mant, exp = body[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if (intPart == "" && frac == "") || (intPart != "" && !allDigits(intPart)) || (frac != "" && !allDigits(frac)) {
		return s
	}
	// digits with the decimal point after point of them.
	digits := intPart + frac
	point := len(intPart) + exp
	lead := len(digits) - len(strings.TrimLeft(digits, "0"))
	digits, point = digits[lead:], point-lead
	if digits == "" {
		return "0"
	}
	if len(digits) > 15 {
		round := digits[15] >= '5'
		b := []byte(digits[:15])
		for i := len(b) - 1; round && i >= 0; i-- {
			if b[i] == '9' {
				b[i] = '0'
			} else {
				b[i]++
				round = false
			}
		}
		digits = string(b)
		if round {
			digits, point = "1"+digits, point+1
		}
	}
	digits = strings.TrimRight(digits, "0")
	var out string
	switch {
	case digits == "":
		return "0"
	case point <= 0:
		out = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		out = digits + strings.Repeat("0", point-len(digits))
	default:
		out = digits[:point] + "." + digits[point:]
	}
	if neg {
		out = "-" + out
	}
	return out
}
