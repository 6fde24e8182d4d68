package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// MaxErrors is how many problems an Errors lists; past it, it only counts.
const MaxErrors = 1000

// RowError is one problem with a file: where it is, as the person who
// made the spreadsheet sees it, and what is wrong, in words they can act
// on.
type RowError struct {
	File string `json:"file"`
	// Row is the spreadsheet row, the header being row 1; 0 for a problem
	// with the file as a whole.
	Row int `json:"row,omitempty"`
	// Column names the column: "amount" in a CSV file, "C (amount)" in a
	// workbook; "" for a problem with the whole row.
	Column string `json:"column,omitempty"`
	// Value is the cell's text, when the problem is with a cell.
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// Error writes the problem on one line:
//
//	approvals.csv: row 7, column amount: "12.3.4" is not an amount in USD
func (e RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteString(": ")
	if e.Row > 0 {
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
		if e.Column != "" {
			b.WriteString(", ")
		}
	}
	if e.Column != "" {
		b.WriteString("column ")
		b.WriteString(e.Column)
	}
	if e.Row > 0 || e.Column != "" {
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every problem found in a file. A file with any problem
// imports nothing.
type Errors struct {
	File     string     `json:"file"`
	Problems []RowError `json:"problems"`
	// Omitted counts the problems found past MaxErrors.
	Omitted int `json:"omitted,omitempty"`
}

// Len is the number of problems found, listed or not.
func (e *Errors) Len() int { return len(e.Problems) + e.Omitted }

// Error lists the problems, one per line.
func (e *Errors) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n%s: ... and %d more problems", e.File, e.Omitted)
	}
	return b.String()
}

// As lets tcmis.ErrorCode and tcmis.ErrorMessage treat the problems of a
// file as invalid input, whose message is safe to show.
func (e *Errors) As(target any) bool {
	if t, ok := target.(**tcmis.Error); ok {
		*t = &tcmis.Error{Code: tcmis.EINVALID, Message: e.Error()}
		return true
	}
	return false
}

func (e *Errors) add(p RowError) {
	if len(e.Problems) >= MaxErrors {
		e.Omitted++
		return
	}
	p.File = e.File
	e.Problems = append(e.Problems, p)
}

// err returns e, its problems in the order of the rows, when it holds
// any, and nil otherwise.
func (e *Errors) err() error {
	if e.Len() == 0 {
		return nil
	}
	slices.SortStableFunc(e.Problems, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
	return e
}
