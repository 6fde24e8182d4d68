package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// format is how a command writes its answer.
type format string

const (
	formatTable format = "table"
	formatJSON  format = "json"
	formatCSV   format = "csv"
)

func parseFormat(s string) (format, error) {
	switch f := format(strings.ToLower(s)); f {
	case formatTable, formatJSON, formatCSV:
		return f, nil
	}
	return "", usagef("--format %q: choose table, json or csv", s)
}

// grid is rows of text under a header, for the table and CSV formats.
type grid struct {
	header []string
	rows   [][]string
	// wrap caps the width of columns in the table format (0: no cap).
	wrap map[int]int
}

func (g *grid) add(cells ...string) { g.rows = append(g.rows, cells) }

func (g *grid) writeTable(w io.Writer) error { return g.write(w, true) }

// writeRows writes the table without its header.
func (g *grid) writeRows(w io.Writer) error { return g.write(w, false) }

func (g *grid) write(w io.Writer, header bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(cells []string) {
		out := make([]string, len(cells))
		for i, c := range cells {
			if max := g.wrap[i]; max > 0 && utf8.RuneCountInString(c) > max {
				c = string([]rune(c)[:max-1]) + "…"
			}
			out[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
		}
		fmt.Fprintln(tw, strings.Join(out, "\t"))
	}
	if header {
		line(g.header)
	}
	for _, r := range g.rows {
		line(r)
	}
	return tw.Flush()
}

func (g *grid) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(g.header)
	cw.WriteAll(g.rows)
	return cw.Error()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// write renders a grid as a table or CSV, or v as JSON.
func write(w io.Writer, f format, g *grid, v any) error {
	switch f {
	case formatJSON:
		return writeJSON(w, v)
	case formatCSV:
		return g.writeCSV(w)
	}
	return g.writeTable(w)
}

// usd writes US cents as whole dollars with thousands separators.
func usd(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	d := (cents + 50) / 100
	s := groupThousands(fmt.Sprint(d))
	if neg {
		s = "-" + s
	}
	return s
}

func groupThousands(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// groupAmount groups the whole part of a decimal amount by thousands:
// "2419967.56" becomes "2,419,967.56".
func groupAmount(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, ok := strings.Cut(s, ".")
	s = sign + groupThousands(whole)
	if ok {
		s += "." + frac
	}
	return s
}
