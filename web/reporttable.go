package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/tcmis/tcmis/chart"
	"github.com/tcmis/tcmis/report"
)

// Cell formats a report cell for the page's language.
func (p *page) Cell(c report.Column, v report.Value) string {
	if c.Kind == report.Text {
		return v.Text
	}
	return p.decimal(c.Plain(v))
}

// Heading is a column's title with its unit, translated.
func (p *page) Heading(c report.Column) string {
	t := p.columnTitle(c)
	if c.Unit.Name != "" && c.Kind != report.Text {
		t += " (" + p.T(c.Unit.Name) + ")"
	}
	return t
}

// Phrase translates a report's phrase: its format, then the values
// that are phrases themselves (a month's name); other values, such as a
// period or a count, go in as they are.
func (p *page) Phrase(x report.Phrase) string {
	if len(x.Args) == 0 {
		return p.T(x.Format)
	}
	args := make([]any, len(x.Args))
	for i, a := range x.Args {
		if ph, ok := a.(report.Phrase); ok {
			a = p.Phrase(ph)
		}
		args[i] = a
	}
	return p.T(x.Format, args...)
}

// Caption is a report table's title, translated.
func (p *page) Caption(t *report.Table) string {
	if t.TitlePhrase.Format != "" {
		return p.Phrase(t.TitlePhrase)
	}
	return p.T(t.Title)
}

// Notes are a report table's notes, translated.
func (p *page) Notes(t *report.Table) []string {
	if len(t.NotePhrases) != len(t.Notes) {
		return t.Notes // a table not made by report.Run
	}
	out := make([]string, len(t.NotePhrases))
	for i, n := range t.NotePhrases {
		out[i] = p.Phrase(n)
	}
	return out
}

// Source is where a report table's figures come from, translated.
func (p *page) Source(t *report.Table) string {
	if t.SourcePhrase.Format != "" {
		return p.Phrase(t.SourcePhrase)
	}
	return t.Source
}

// columnTitle is a column's title, translated; a year stays as it is.
func (p *page) columnTitle(c report.Column) string {
	if c.TitlePhrase.Format != "" {
		return p.Phrase(c.TitlePhrase)
	}
	return p.T(c.Title)
}

// ReportChart is a report's chart in the page's language: drawn again
// from the table with its title, column titles, units and source
// translated, and the chart's own words (the figures and the names from
// the records stay as they are). In English, or if drawing fails, it is the chart made with the
// report.
func (p *page) ReportChart(r *shownReport) template.HTML {
	if r == nil {
		return ""
	}
	if r.Chart == "" || p.Lang == "en" {
		return r.Chart
	}
	t := *r.Table
	t.Title, t.Source = p.Caption(r.Table), p.Source(r.Table)
	t.Chart.Unit = p.T(t.Chart.Unit)
	t.Columns = make([]report.Column, len(r.Table.Columns))
	for i, c := range r.Table.Columns {
		c.Title = p.columnTitle(c)
		c.Unit.Name = p.T(c.Unit.Name)
		t.Columns[i] = c
	}
	svg, err := drawChart(&t, p.T)
	if err != nil || svg == "" {
		return r.Chart
	}
	return svg
}

// shownReport is a report made for a page: its table and its chart.
type shownReport struct {
	Def   report.Definition
	Table *report.Table
	Chart template.HTML
}

// runReport makes a report and draws its chart, if it has one.
func (s *Server) runReport(ctx context.Context, name string, p report.Params) (*shownReport, error) {
	t, err := report.Run(ctx, s.store, name, p)
	if err != nil {
		return nil, err
	}
	d, _ := report.Lookup(name)
	out := &shownReport{Def: d, Table: t}
	if out.Chart, err = drawChart(t, fmt.Sprintf); err != nil {
		return nil, err
	}
	return out, nil
}

// drawChart draws a table's chart for a page, its own words put into a
// language by tr: nothing when the table has no chart or no figures to
// draw.
func drawChart(t *report.Table, tr func(format string, args ...any) string) (template.HTML, error) {
	if t.Chart.Kind == report.NoChart {
		return "", nil
	}
	var b bytes.Buffer
	switch err := chart.SVGIn(&b, t, tr); {
	case errors.Is(err, chart.ErrEmpty):
		return "", nil
	case err != nil:
		return "", err
	}
	svg := b.String()
	if i := strings.Index(svg, "<svg"); i > 0 {
		svg = svg[i:] // drop the XML declaration: the picture goes inside the page
	}
	return template.HTML(svg), nil // made by package chart: no scripts, no styles, text escaped
}
