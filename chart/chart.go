// Package chart draws report tables as SVG pictures: bar, stacked bar,
// line and pie charts with a title, labelled axes, a legend and the
// source, readable on paper and in a browser, in one self-contained SVG
// document (no scripts, no style sheets). It draws what a report made, as
// the table says (report.Table.Chart), and never queries.
package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tcmis/tcmis/report"
)

// ErrNoChart is returned for a table that is not drawn, and ErrEmpty for
// one whose chart has no figures to draw.
var (
	ErrNoChart = errors.New("this report has no chart")
	ErrEmpty   = errors.New("nothing to draw: the report has no figures")
)

// Size of the picture, in SVG user units (pixels in a browser).
const (
	Width  = 960
	Height = 600
)

// palette is the Okabe-Ito palette, which stays distinct for readers with
// colour vision deficiencies, with a few more for long series.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#999999", "#8C564B", "#332288", "#88CCEE", "#117733", "#AA4499"}

func colour(i int) string { return palette[i%len(palette)] }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func esc(s string) string { return xmlEscaper.Replace(s) }

// svg collects the elements of a picture.
type svg struct{ b strings.Builder }

func (s *svg) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

func (s *svg) text(x, y float64, size int, anchor, weight, fill, text string, extra ...string) {
	s.f(`<text x="%s" y="%s" font-size="%d" text-anchor="%s"`, num(x), num(y), size, anchor)
	if weight != "" {
		s.f(` font-weight="%s"`, weight)
	}
	if fill != "" {
		s.f(` fill="%s"`, fill)
	}
	for _, e := range extra {
		s.f(" %s", e)
	}
	s.f(">%s</text>\n", esc(text))
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// series is a chart series with its values as drawn: in the column's
// unit, per cent for percentages.
type series struct {
	name   string
	col    report.Column
	cells  []report.Value
	values []float64
	ok     []bool
}

func value(c report.Column, v report.Value) float64 {
	f := c.Float(v)
	if c.Kind == report.Percent {
		f *= 100
	}
	return f
}

// SVG writes the table's chart as an SVG document.
func SVG(w io.Writer, t *report.Table) error { return SVGIn(w, t, fmt.Sprintf) }

// SVGIn writes the table's chart with its own words (the unit's label,
// the description for readers who do not see it) put into a language by
// tr, which takes an English format and its values, as fmt.Sprintf does
// in English. The table's texts are drawn as they are: give it a table
// whose titles are already translated.
func SVGIn(w io.Writer, t *report.Table, tr func(format string, args ...any) string) error {
	if t.Chart.Kind == report.NoChart {
		return ErrNoChart
	}
	cats, data := t.ChartData()
	if len(cats) == 0 || len(data) == 0 {
		return ErrEmpty
	}
	ss := make([]series, len(data))
	for i, d := range data {
		s := series{name: d.Name, col: d.Column, cells: d.Values}
		for _, v := range d.Values {
			s.values = append(s.values, value(d.Column, v))
			s.ok = append(s.ok, !v.Null)
		}
		ss[i] = s
	}
	c := &canvas{t: t, cats: cats, ss: ss, tr: tr}
	c.header()
	switch t.Chart.Kind {
	case report.Pie:
		c.pie()
	case report.Line:
		c.axes(false)
		c.lines()
	case report.Stacked:
		c.axes(true)
		c.bars(true)
	default:
		c.axes(false)
		c.bars(false)
	}
	if t.Chart.Kind != report.Pie {
		c.legend(c.legendY)
	}
	c.footer()
	_, err := io.WriteString(w, c.document())
	return err
}

// canvas is a chart being drawn.
type canvas struct {
	t    *report.Table
	cats []string
	ss   []series
	tr   func(format string, args ...any) string
	svg

	// The plot area and the value axis.
	left, right, top, bottom float64
	lo, hi                   float64
	legendY                  float64
}

func (c *canvas) document() string {
	var b strings.Builder
	title := c.t.Title
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc" font-family="Helvetica, Arial, sans-serif">
<title id="chart-title">%s</title>
<desc id="chart-desc">%s</desc>
<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>
`, Width, Height, Width, Height, esc(title), esc(c.describe()), Width, Height)
	b.WriteString(c.b.String())
	b.WriteString("</svg>\n")
	return b.String()
}

// describe tells in words what the chart shows, for readers who do not
// see it.
func (c *canvas) describe() string {
	kind := c.tr(map[report.ChartKind]string{report.Bar: "Bar chart", report.Stacked: "Stacked bar chart", report.Line: "Line chart", report.Pie: "Pie chart"}[c.t.Chart.Kind])
	var names []string
	for _, s := range c.ss {
		names = append(names, s.name)
	}
	return c.tr("%s of %s by %s: %s.", kind, strings.Join(names, ", "), strings.ToLower(strings.Join(c.cats, ", ")), c.t.Title)
}

// header writes the title, wrapped on two lines if long, and the unit.
func (c *canvas) header() {
	lines := wrap(c.t.Title, 80)
	y := 34.0
	for i, l := range lines {
		if i == 2 {
			break
		}
		c.text(Width/2, y, 20, "middle", "bold", "#111111", l)
		y += 24
	}
	if u := c.t.Chart.Unit; u != "" && c.t.Chart.Kind != report.Pie {
		c.text(Width/2, y, 14, "middle", "", "#444444", c.tr("Unit: %s", u))
		y += 10
	}
	c.top = y + 20
}

func (c *canvas) footer() {
	if c.t.Source != "" {
		c.text(16, Height-14, 12, "start", "", "#444444", c.t.Source)
	}
}

// wrap cuts a text into lines of at most n characters, at spaces.
func wrap(s string, n int) []string {
	var lines []string
	var cur string
	for _, w := range strings.Fields(s) {
		if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > n {
			lines = append(lines, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}

// legendHeight is the room the legend takes.
func (c *canvas) legendRows() [][]int {
	var rows [][]int
	var row []int
	x := 0.0
	for i, s := range c.ss {
		w := 28 + 7.2*float64(utf8.RuneCountInString(clip(s.name, 40)))
		if len(row) > 0 && x+w > Width-60 {
			rows = append(rows, row)
			row, x = nil, 0
		}
		row = append(row, i)
		x += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

func (c *canvas) legend(y float64) {
	for _, row := range c.legendRows() {
		total := 0.0
		for _, i := range row {
			total += 28 + 7.2*float64(utf8.RuneCountInString(clip(c.ss[i].name, 40)))
		}
		x := (Width - total) / 2
		for _, i := range row {
			name := clip(c.ss[i].name, 40)
			c.f(`<rect x="%s" y="%s" width="14" height="14" fill="%s"/>`+"\n", num(x), num(y-11), colour(i))
			c.text(x+20, y+1, 13, "start", "", "#222222", name)
			x += 28 + 7.2*float64(utf8.RuneCountInString(name))
		}
		y += 22
	}
}

// axes works out the value axis and draws it with its grid, and the
// category labels.
func (c *canvas) axes(stacked bool) {
	lo, hi := 0.0, 0.0
	for k := range c.cats {
		var pos, neg float64
		for _, s := range c.ss {
			if !s.ok[k] {
				continue
			}
			v := s.values[k]
			if stacked {
				if v > 0 {
					pos += v
				} else {
					neg += v
				}
			} else {
				hi, lo = math.Max(hi, v), math.Min(lo, v)
			}
		}
		if stacked {
			hi, lo = math.Max(hi, pos), math.Min(lo, neg)
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	// A whole stack of shares adds up to 100 give or take a rounding of
	// the floats: the axis stops at 100, not one step above.
	c.lo, c.hi = math.Floor(lo/step+1e-9)*step, math.Ceil(hi/step-1e-9)*step

	// Category labels: level, or slanted when they do not fit.
	rows := len(c.legendRows())
	longest := 0
	for _, cat := range c.cats {
		longest = max(longest, utf8.RuneCountInString(clip(cat, 28)))
	}
	c.left, c.right = 90, Width-30
	slot := (c.right - c.left) / float64(len(c.cats))
	slant := float64(longest)*7 > slot-6
	labelRoom := 28.0
	if slant {
		labelRoom = 24 + float64(longest)*4.3
	}
	c.bottom = Height - 40 - float64(rows)*22 - labelRoom
	c.legendY = c.bottom + labelRoom + 24

	// Grid and value labels.
	for v := c.lo; v <= c.hi+step/2; v += step {
		y := c.y(v)
		stroke, width := "#dddddd", "1"
		if math.Abs(v) < step/1e6 {
			stroke, width = "#333333", "1.5"
		}
		c.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>`+"\n", num(c.left), num(y), num(c.right), num(y), stroke, width)
		c.text(c.left-8, y+4, 12, "end", "", "#333333", tick(v, step, c.ss[0].col))
	}
	c.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333333" stroke-width="1.5"/>`+"\n", num(c.left), num(c.top), num(c.left), num(c.bottom))
	if u := c.t.Chart.Unit; u != "" {
		c.text(22, (c.top+c.bottom)/2, 13, "middle", "", "#333333", u, fmt.Sprintf(`transform="rotate(-90 22 %s)"`, num((c.top+c.bottom)/2)))
	}
	for k, cat := range c.cats {
		x := c.left + slot*(float64(k)+0.5)
		label := clip(cat, 28)
		if slant {
			y := c.bottom + 16
			c.text(x, y, 12, "end", "", "#222222", label, fmt.Sprintf(`transform="rotate(-35 %s %s)"`, num(x), num(y)))
		} else {
			c.text(x, c.bottom+20, 12, "middle", "", "#222222", label)
		}
	}
}

// y is the vertical position of a value.
func (c *canvas) y(v float64) float64 {
	return c.bottom - (v-c.lo)/(c.hi-c.lo)*(c.bottom-c.top)
}

// niceStep rounds a step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// tick writes an axis value with thousands separators and as many
// decimals as the step needs.
func tick(v, step float64, col report.Column) string {
	decimals := 0
	for d := step; d < 1 && decimals < 3; d *= 10 {
		decimals++
	}
	if math.Abs(step-math.Round(step)) > 1e-9 && decimals == 0 {
		decimals = 1
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if s == "-0" {
		s = "0"
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, ch := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	s = b.String()
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	if col.Kind == report.Percent {
		s += "%"
	}
	return s
}

// bars draws grouped or stacked bars, with their figures as the table
// prints them where they fit.
func (c *canvas) bars(stacked bool) {
	slot := (c.right - c.left) / float64(len(c.cats))
	group := slot * 0.72
	n := len(c.ss)
	width := group / float64(n)
	if stacked {
		width = group
	}
	labels := !stacked && len(c.cats)*n <= 28 || stacked && len(c.cats) <= 16
	for k := range c.cats {
		x0 := c.left + slot*float64(k) + (slot-group)/2
		pos, neg := 0.0, 0.0
		for i, s := range c.ss {
			if !s.ok[k] {
				continue
			}
			v := s.values[k]
			x := x0 + float64(i)*width
			base := 0.0
			if stacked {
				x = x0
				if v >= 0 {
					base, pos = pos, pos+v
				} else {
					base, neg = neg, neg+v
				}
			}
			y1, y2 := c.y(base), c.y(base+v)
			top, h := math.Min(y1, y2), math.Abs(y2-y1)
			printed := s.col.Format(s.cells[k])
			c.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
				num(x), num(top), num(math.Max(width-2, 1)), num(math.Max(h, 0.5)), colour(i), esc(c.cats[k]+", "+s.name+": "+printed+unitSuffix(s.col)))
			if !labels {
				continue
			}
			size := 11
			if stacked {
				if h >= 15 && float64(utf8.RuneCountInString(printed))*6.2 < width {
					c.text(x+width/2, top+h/2+4, size, "middle", "", "#ffffff", printed)
				}
			} else if float64(utf8.RuneCountInString(printed))*5.8 < slot*0.9 {
				y := top - 4
				if v < 0 {
					y = top + h + 12
				}
				if width < float64(utf8.RuneCountInString(printed))*6 {
					size = 10
				}
				c.text(x+width/2, y, size, "middle", "", "#222222", printed)
			}
		}
	}
}

func unitSuffix(col report.Column) string {
	switch {
	case col.Kind == report.Percent:
		return "%"
	case col.Unit.Name != "":
		return " (" + col.Unit.Name + ")"
	}
	return ""
}

// lines draws a line per series with its points marked, and the figures
// of the last point.
func (c *canvas) lines() {
	slot := (c.right - c.left) / float64(len(c.cats))
	for i, s := range c.ss {
		var pts []string
		for k := range c.cats {
			if !s.ok[k] {
				continue
			}
			pts = append(pts, num(c.left+slot*(float64(k)+0.5))+","+num(c.y(s.values[k])))
		}
		dash := ""
		if i%3 == 1 {
			dash = ` stroke-dasharray="8 4"`
		} else if i%3 == 2 {
			dash = ` stroke-dasharray="2 3"`
		}
		c.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`+"\n", strings.Join(pts, " "), colour(i), dash)
		for k := range c.cats {
			if !s.ok[k] {
				continue
			}
			x, y := c.left+slot*(float64(k)+0.5), c.y(s.values[k])
			printed := s.col.Format(s.cells[k])
			c.f(`<circle cx="%s" cy="%s" r="4" fill="%s"><title>%s</title></circle>`+"\n", num(x), num(y), colour(i), esc(c.cats[k]+", "+s.name+": "+printed+unitSuffix(s.col)))
			if len(c.cats) <= 12 && len(c.ss) <= 3 {
				c.text(x, y-9, 11, "middle", "", colour(i), printed)
			}
		}
	}
}

// pie draws the first series as slices, each labelled with its share, and
// a legend of the categories beside it.
func (c *canvas) pie() {
	s := c.ss[0]
	var total float64
	for k, v := range s.values {
		if s.ok[k] && v > 0 {
			total += v
		}
	}
	if total <= 0 {
		c.text(Width/2, Height/2, 16, "middle", "", "#444444", c.tr("Nothing to draw: no positive figures."))
		return
	}
	cx, cy := 330.0, (c.top+Height-40)/2
	r := math.Min(220, (Height-40-c.top)/2-10)
	angle := -math.Pi / 2
	for k, v := range s.values {
		if !s.ok[k] || v <= 0 {
			continue
		}
		frac := v / total
		a2 := angle + frac*2*math.Pi
		x1, y1 := cx+r*math.Cos(angle), cy+r*math.Sin(angle)
		x2, y2 := cx+r*math.Cos(a2), cy+r*math.Sin(a2)
		large := 0
		if frac > 0.5 {
			large = 1
		}
		printed := s.col.Format(s.cells[k])
		share := strconv.FormatFloat(math.Round(frac*1000)/10, 'f', 1, 64) + "%"
		tip := esc(c.cats[k] + ": " + printed + unitSuffix(s.col) + ", " + share)
		if frac > 0.9999 {
			c.f(`<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#ffffff" stroke-width="1.5"><title>%s</title></circle>`+"\n", num(cx), num(cy), num(r), colour(k), tip)
		} else {
			c.f(`<path d="M %s %s L %s %s A %s %s 0 %d 1 %s %s Z" fill="%s" stroke="#ffffff" stroke-width="1.5"><title>%s</title></path>`+"\n",
				num(cx), num(cy), num(x1), num(y1), num(r), num(r), large, num(x2), num(y2), colour(k), tip)
		}
		if frac >= 0.04 {
			mid := (angle + a2) / 2
			c.text(cx+0.68*r*math.Cos(mid), cy+0.68*r*math.Sin(mid)+5, 14, "middle", "bold", "#ffffff", share)
		}
		angle = a2
	}
	// The legend: each category with its figure and share.
	y := cy - float64(len(c.cats))*13
	for k, cat := range c.cats {
		if !s.ok[k] {
			continue
		}
		share := ""
		if s.values[k] > 0 {
			share = ", " + strconv.FormatFloat(math.Round(s.values[k]/total*1000)/10, 'f', 1, 64) + "%"
		}
		c.f(`<rect x="600" y="%s" width="14" height="14" fill="%s"/>`+"\n", num(y-11), colour(k))
		c.text(622, y+1, 13, "start", "", "#222222", clip(cat, 34)+": "+s.col.Format(s.cells[k])+share)
		y += 26
	}
	if u := s.col.Unit.Name; u != "" && s.col.Kind == report.Money {
		c.text(600, y+8, 12, "start", "", "#444444", c.tr("Figures in %s", u))
	}
}
