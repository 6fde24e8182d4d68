package web

import (
	"bytes"
	"context"
	"errors"
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
	t := p.T(c.Title)
	if c.Unit.Name != "" && c.Kind != report.Text {
		t += " (" + p.T(c.Unit.Name) + ")"
	}
	return t
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
	if t.Chart.Kind != report.NoChart {
		var b bytes.Buffer
		switch err := chart.SVG(&b, t); {
		case errors.Is(err, chart.ErrEmpty):
		case err != nil:
			return nil, err
		default:
			svg := b.String()
			if i := strings.Index(svg, "<svg"); i > 0 {
				svg = svg[i:] // drop the XML declaration: the picture goes inside the page
			}
			out.Chart = template.HTML(svg) // made by package chart: no scripts, no styles, text escaped
		}
	}
	return out, nil
}
