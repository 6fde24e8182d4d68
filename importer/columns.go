package importer

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Column describes one column a kind of file may have.
type Column struct {
	// Name is the column's own heading; Aliases are other headings taken
	// for it. Headings are compared ignoring case, spaces, underscores,
	// hyphens, dots and a note in brackets: "Donor name", "donor_name" and
	// "DONOR-NAME (as printed)" are all the column donor_name.
	Name     string
	Aliases  []string
	Required bool
	// Description says what the column holds, for help texts and the
	// column reference in doc/import.md.
	Description string
}

// Ignored lists the headings accepted in any file and left unread: notes
// for the people who keep the spreadsheet, and the provenance columns of
// published tables.
var Ignored = []string{"notes", "note", "comment", "comments", "remarks", "year_placement"}

// spec is what Import knows of a kind of file.
type spec struct {
	kind    Kind
	columns []Column
	// needs checks combinations of columns that the header must have,
	// beyond the required ones, and returns the columns missing and what
	// to say of them, or no message.
	needs func(has func(string) bool) (missing []string, msg string)
	// start makes the importer of one file.
	start func(j *job) kindImporter
}

var specs = map[Kind]*spec{}

func register(s *spec) { specs[s.kind] = s }

// Columns returns the columns of a kind of file, in the order the
// documentation lists them.
func Columns(k Kind) []Column {
	if s := specs[k]; s != nil {
		return slices.Clone(s.columns)
	}
	return nil
}

// normHeading reduces a heading to the form headings are compared in.
func normHeading(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(strings.TrimSpace(s), ")") {
		s = s[:i]
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '_' || r == '-' || r == '.' || unicode.IsSpace(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// table is the header of a file read: which cell holds which column.
type table struct {
	xlsx bool
	// index maps a column name to its cell position.
	index map[string]int
	// headings are the headings as written, by cell position.
	headings []string
	// unnamed marks the cell positions without a heading.
	unnamed []bool
	// missing marks the columns the header lacks and was reported for, so
	// that the rows are not reported for them again.
	missing map[string]bool
}

func (t *table) has(col string) bool { _, ok := t.index[col]; return ok }

// label names a column as the user sees it: its heading, and in a
// workbook its letter too, "C (Amount)".
func (t *table) label(col string) string {
	i, ok := t.index[col]
	if !ok {
		return col
	}
	return t.labelAt(i)
}

func (t *table) labelAt(i int) string {
	h := strings.TrimSpace(strings.TrimPrefix(t.headings[i], "\ufeff"))
	if t.xlsx {
		if h == "" {
			return columnLetter(i)
		}
		return columnLetter(i) + " (" + h + ")"
	}
	if h == "" {
		return fmt.Sprintf("%d", i+1)
	}
	return h
}

// readHeader matches the headings of a file against the columns of a kind
// and reports unknown, repeated and missing columns.
func readHeader(s *spec, t *table, row int, cells []string, errs *Errors) {
	byName := map[string]string{}
	for _, c := range s.columns {
		byName[normHeading(c.Name)] = c.Name
		for _, a := range c.Aliases {
			byName[normHeading(a)] = c.Name
		}
	}
	ignored := map[string]bool{}
	for _, n := range Ignored {
		ignored[normHeading(n)] = true
	}
	t.index = map[string]int{}
	t.headings = slices.Clone(cells)
	t.missing = map[string]bool{}
	t.unnamed = make([]bool, len(cells))
	var unknown []int
	for i, h := range cells {
		n := normHeading(h)
		t.unnamed[i] = n == ""
		if n == "" || ignored[n] {
			continue
		}
		col, ok := byName[n]
		if !ok {
			unknown = append(unknown, i)
			continue
		}
		if j, dup := t.index[col]; dup {
			errs.add(RowError{Row: row, Column: t.labelAt(i), Value: h,
				Message: fmt.Sprintf("this column repeats column %s: both give the %s; keep one", t.labelAt(j), col)})
			continue
		}
		t.index[col] = i
	}
	if len(unknown) > 0 {
		known := make([]string, len(s.columns))
		for i, c := range s.columns {
			known[i] = c.Name
		}
		for _, i := range unknown {
			errs.add(RowError{Row: row, Column: t.labelAt(i), Value: cells[i],
				Message: fmt.Sprintf("unknown column %q: check its spelling, or delete it; the columns of files of %s are %s (and notes, which is not read)",
					strings.TrimSpace(cells[i]), s.kind, strings.Join(known, ", "))})
		}
	}
	for _, c := range s.columns {
		if c.Required && !t.has(c.Name) {
			t.missing[c.Name] = true
			errs.add(RowError{Row: row, Message: fmt.Sprintf("the file has no %s column, which files of %s need", c.Name, s.kind)})
		}
	}
	if s.needs != nil {
		if cols, msg := s.needs(t.has); msg != "" {
			for _, c := range cols {
				t.missing[c] = true
			}
			errs.add(RowError{Row: row, Message: msg})
		}
	}
}
