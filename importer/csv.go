package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvSource reads a CSV file: UTF-8 with or without a byte order mark,
// comma, semicolon or tab delimited as its first line shows.
type csvSource struct {
	r *csv.Reader
	// newlines counts the line breaks inside the quoted cells read so
	// far: a spreadsheet shows such a cell on one row, so a record's row
	// is its first line less them.
	newlines int
	errs     *Errors
	badUTF8  bool
	fail     error
}

func newCSVSource(br *bufio.Reader, errs *Errors) (*csvSource, error) {
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	} else if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return nil, fileError(errs, "the file is in UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" or as a workbook (.xlsx)")
	}
	// Read up to the first line with text to find the delimiter, then
	// hand everything read back to the CSV reader so that line numbers
	// stay those of the file.
	var head strings.Builder
	var first string
	for {
		line, err := br.ReadString('\n')
		head.WriteString(line)
		if strings.TrimSpace(line) != "" {
			first = line
			break
		}
		if err != nil {
			break
		}
	}
	r := csv.NewReader(io.MultiReader(strings.NewReader(head.String()), br))
	r.Comma = delimiter(first)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &csvSource{r: r, errs: errs}, nil
}

// delimiter picks the separator the header line uses most, outside
// quotes: a comma, a semicolon (Excel in much of Europe) or a tab.
func delimiter(line string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func (s *csvSource) next() (int, []string, bool) {
	for {
		rec, err := s.r.Read()
		if err == io.EOF {
			return 0, nil, false
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && len(s.errs.Problems) < MaxErrors {
				s.errs.add(RowError{Row: pe.StartLine - s.newlines, Message: csvMessage(pe)})
				continue
			}
			s.fail = err
			return 0, nil, false
		}
		line, _ := s.r.FieldPos(0)
		row := line - s.newlines
		for _, f := range rec {
			if strings.IndexByte(f, '\n') >= 0 {
				s.newlines += strings.Count(f, "\n")
			}
			if !s.badUTF8 && !utf8.ValidString(f) {
				s.badUTF8 = true
				s.errs.add(RowError{Row: row, Message: "the file is not in UTF-8: save it as \"CSV UTF-8\" (Excel: File > Save As > CSV UTF-8) and import it again"})
			}
		}
		return row, rec, true
	}
}

func csvMessage(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("a quotation mark in the middle of a cell, at character %d of the line: put the whole cell in quotation marks and double the ones inside (\"\"), or remove it", pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("a misplaced quotation mark, at character %d of line %d: a cell in quotation marks must end with one, and those inside it are doubled (\"\"); an unclosed one takes in the rest of the file", pe.Column, pe.Line)
	}
	return pe.Error()
}

func (s *csvSource) err() error   { return s.fail }
func (s *csvSource) close() error { return nil }
