// Package render writes report tables as text for a terminal, as CSV and
// as JSON. It formats what a report made and never queries: figures are
// printed as the table's columns say (report.Column.Format).
package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tcmis/tcmis/report"
)

// maxText caps the width of a text column in the text format.
const maxText = 48

// Text writes a table for a terminal: its title, a header with the
// columns' titles and units, the rows with figures aligned on the right
// and rows indented under their headings, then its notes and source.
func Text(w io.Writer, t *report.Table) error {
	var b strings.Builder
	b.WriteString(t.Title + "\n\n")
	cells := make([][]string, 0, len(t.Rows)+2)
	header := make([]string, len(t.Columns))
	units := make([]string, len(t.Columns))
	hasUnits := false
	for i, c := range t.Columns {
		header[i] = c.Title
		if c.Kind != report.Text && c.Unit.Name != "" {
			units[i] = c.Unit.Name
			hasUnits = true
		}
	}
	cells = append(cells, header)
	if hasUnits {
		cells = append(cells, units)
	}
	for _, r := range t.Rows {
		line := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			if i < len(r.Cells) {
				line[i] = c.Format(r.Cells[i])
			}
		}
		if len(line) > 0 && r.Level > 0 {
			line[0] = strings.Repeat("  ", r.Level) + line[0]
		}
		cells = append(cells, line)
	}
	widths := make([]int, len(t.Columns))
	for _, line := range cells {
		for i, s := range line {
			widths[i] = max(widths[i], min(utf8.RuneCountInString(s), maxText))
		}
	}
	for k, line := range cells {
		var parts []string
		for i, s := range line {
			s = clip(s, maxText)
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s))
			if t.Columns[i].Kind == report.Text {
				parts = append(parts, s+pad)
			} else {
				parts = append(parts, pad+s)
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(parts, "  "), " ") + "\n")
		if k == 0 && !hasUnits || k == 1 && hasUnits {
			total := 0
			for _, wd := range widths {
				total += wd
			}
			b.WriteString(strings.Repeat("-", total+2*(len(widths)-1)) + "\n")
		}
	}
	if len(t.Notes) > 0 || t.Source != "" {
		b.WriteString("\n")
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
	if t.Source != "" {
		b.WriteString(t.Source + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// CSV writes a table as CSV: a header of the columns' titles with their
// units, then the rows with figures as the table prints them, without
// thousands separators ("153770", "89.5").
func CSV(w io.Writer, t *report.Table) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Heading()
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		line := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			if i < len(r.Cells) {
				line[i] = c.Plain(r.Cells[i])
			}
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonTable is a table as JSON: every figure exact, with the way it
// prints, and every key that traces it.
type jsonTable struct {
	Name    string            `json:"name"`
	Title   string            `json:"title"`
	Notes   []string          `json:"notes,omitempty"`
	Source  string            `json:"source"`
	Records string            `json:"records"`
	Filter  map[string]string `json:"filter,omitempty"`
	Columns []jsonColumn      `json:"columns"`
	Rows    []jsonRow         `json:"rows"`
	Chart   report.Chart      `json:"chart"`
}

type jsonColumn struct {
	report.Column
	// ValueUnit is what the exact values are counted in.
	ValueUnit string `json:"value_unit,omitempty"`
}

type jsonRow struct {
	Kind  report.RowKind    `json:"kind"`
	Level int               `json:"level,omitempty"`
	Keys  map[string]string `json:"keys,omitempty"`
	Cells []*jsonCell       `json:"cells"`
}

type jsonCell struct {
	Text    *string `json:"text,omitempty"`
	Value   *int64  `json:"value,omitempty"`
	Den     int64   `json:"den,omitempty"`
	Printed string  `json:"printed"`
}

var valueUnits = map[report.Kind]string{
	report.Money:   "US cents",
	report.Percent: "basis points",
	report.Decimal: "millionths",
}

// JSON writes a table with its exact figures (cents, basis points; an
// average as value over den), how each prints, and the keys of its rows,
// columns and filter that trace each figure to its records.
func JSON(w io.Writer, t *report.Table) error {
	out := jsonTable{Name: t.Name, Title: t.Title, Notes: t.Notes, Source: t.Source, Records: t.Records, Filter: t.Filter, Chart: t.Chart,
		Rows: []jsonRow{}}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, jsonColumn{Column: c, ValueUnit: valueUnits[c.Kind]})
	}
	for _, r := range t.Rows {
		jr := jsonRow{Kind: r.Kind, Level: r.Level, Keys: r.Keys}
		for i, c := range t.Columns {
			if i >= len(r.Cells) {
				jr.Cells = append(jr.Cells, nil)
				continue
			}
			v := r.Cells[i]
			switch {
			case c.Kind == report.Text:
				s := v.Text
				jr.Cells = append(jr.Cells, &jsonCell{Text: &s, Printed: s})
			case v.Null:
				jr.Cells = append(jr.Cells, nil)
			default:
				n := v.N
				cell := &jsonCell{Value: &n, Printed: c.Format(v)}
				if v.Den > 1 {
					cell.Den = v.Den
				}
				jr.Cells = append(jr.Cells, cell)
			}
		}
		out.Rows = append(out.Rows, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Format names an output format.
type Format string

const (
	FormatText Format = "table"
	FormatCSV  Format = "csv"
	FormatJSON Format = "json"
)

// Write writes a table in one of the text formats.
func Write(w io.Writer, f Format, t *report.Table) error {
	switch f {
	case FormatText:
		return Text(w, t)
	case FormatCSV:
		return CSV(w, t)
	case FormatJSON:
		return JSON(w, t)
	}
	return fmt.Errorf("render: no format %q", f)
}
