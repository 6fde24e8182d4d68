// Package xlsx writes report tables as an Excel workbook: one sheet per
// table, numbers stored as numbers in the unit the table prints them in
// (thousands of US dollars, a fraction for a percentage) with the number
// format that shows them as printed, the header rows frozen, and a native
// chart where the table says a picture helps. It formats what a report
// made and never queries.
package xlsx

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/tcmis/tcmis/report"
)

// Layout of a sheet: the title in the first row, the header in
// HeaderRow, the table's rows from the next one.
const (
	TitleRow  = 1
	HeaderRow = 3
)

// Options describe the workbook.
type Options struct {
	// Title is the workbook's title, on its contents sheet.
	Title string
	// Contents adds a first sheet listing the tables.
	Contents bool
}

// SheetName is the name of a table's sheet: its name, cut to Excel's 31
// characters.
func SheetName(t *report.Table) string {
	name := t.Name
	if name == "" {
		name = "Report"
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	return name
}

// Write writes the tables into a workbook, one sheet each.
func Write(w io.Writer, tables []*report.Table, opts Options) error {
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, styles: map[styleKey]int{}}
	first := "Sheet1"
	used := map[string]bool{}
	var names []string
	if opts.Contents {
		if err := f.SetSheetName(first, "Contents"); err != nil {
			return err
		}
		used["Contents"] = true
		first = ""
	}
	for i, t := range tables {
		name := SheetName(t)
		for k := 2; used[name]; k++ {
			base := []rune(SheetName(t))
			suffix := fmt.Sprintf("-%d", k)
			name = string(base[:min(len(base), 31-len(suffix))]) + suffix
		}
		used[name] = true
		names = append(names, name)
		if i == 0 && first != "" {
			if err := f.SetSheetName(first, name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := b.sheet(name, t); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	if len(tables) == 0 && !opts.Contents {
		return fmt.Errorf("xlsx: no tables to write")
	}
	if opts.Contents {
		if err := b.contents(tables, names, opts.Title); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

type book struct {
	f      *excelize.File
	styles map[styleKey]int
}

type styleKey struct {
	format string
	bold   bool
	indent int
	title  bool
	header bool
	wrap   bool
}

func (b *book) style(k styleKey) (int, error) {
	if id, ok := b.styles[k]; ok {
		return id, nil
	}
	s := &excelize.Style{Font: &excelize.Font{Bold: k.bold || k.header || k.title}}
	if k.title {
		s.Font.Size = 14
	}
	if k.format != "" {
		format := k.format
		s.CustomNumFmt = &format
	}
	if k.indent > 0 || k.header || k.wrap {
		s.Alignment = &excelize.Alignment{Indent: k.indent, WrapText: k.header || k.wrap, Vertical: "top"}
	}
	if k.header {
		s.Border = []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}
	}
	id, err := b.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	b.styles[k] = id
	return id, nil
}

// NumberFormat is the Excel number format of a column: what makes a
// stored number show as the table prints it.
func NumberFormat(c report.Column) string {
	decimals := func(n int) string {
		if n <= 0 {
			return ""
		}
		return "." + strings.Repeat("0", n)
	}
	switch c.Kind {
	case report.Money:
		return "#,##0" + decimals(c.Unit.Decimals)
	case report.Percent:
		return "0" + decimals(c.Unit.Decimals) + "%"
	case report.Integer:
		return "#,##0"
	case report.Decimal:
		return "0.######"
	}
	return ""
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func absRef(sheet string, col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row, true)
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + name
}

func (b *book) sheet(name string, t *report.Table) error {
	f := b.f
	titleStyle, err := b.style(styleKey{title: true})
	if err != nil {
		return err
	}
	if err := f.SetCellValue(name, cell(1, TitleRow), t.Title); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, cell(1, TitleRow), cell(1, TitleRow), titleStyle); err != nil {
		return err
	}
	header, err := b.style(styleKey{header: true})
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		if err := f.SetCellValue(name, cell(i+1, HeaderRow), c.Heading()); err != nil {
			return err
		}
	}
	if len(t.Columns) > 0 {
		if err := f.SetCellStyle(name, cell(1, HeaderRow), cell(len(t.Columns), HeaderRow), header); err != nil {
			return err
		}
	}
	for r, row := range t.Rows {
		y := HeaderRow + 1 + r
		bold := row.Kind != report.Detail
		for i, c := range t.Columns {
			if i >= len(row.Cells) {
				break
			}
			v := row.Cells[i]
			x := i + 1
			switch {
			case c.Kind == report.Text:
				if err := f.SetCellValue(name, cell(x, y), v.Text); err != nil {
					return err
				}
			case v.Null:
				continue
			default:
				if err := f.SetCellValue(name, cell(x, y), c.Float(v)); err != nil {
					return err
				}
			}
			indent := 0
			if i == 0 {
				indent = row.Level
			}
			st, err := b.style(styleKey{format: NumberFormat(c), bold: bold, indent: indent})
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell(x, y), cell(x, y), st); err != nil {
				return err
			}
		}
	}
	// Widths: the label column fits its longest label, the others their
	// headings (wrapped) and figures.
	for i, c := range t.Columns {
		width := 12.0
		if c.Kind == report.Text {
			longest := 8
			for _, row := range t.Rows {
				if i < len(row.Cells) {
					longest = max(longest, utf8.RuneCountInString(row.Cells[i].Text)+2*row.Level)
				}
			}
			width = float64(min(longest+2, 60))
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(name, HeaderRow, 45); err != nil {
		return err
	}
	// Headers and labels stay in view.
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: HeaderRow, TopLeftCell: cell(2, HeaderRow+1), ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: cell(2, HeaderRow+1), ActiveCell: cell(2, HeaderRow+1), Pane: "bottomRight"}}}); err != nil {
		return err
	}
	y := HeaderRow + len(t.Rows) + 2
	wrap, err := b.style(styleKey{})
	if err != nil {
		return err
	}
	for _, n := range append(append([]string(nil), t.Notes...), t.Source) {
		if n == "" {
			continue
		}
		if err := f.SetCellValue(name, cell(1, y), n); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, cell(1, y), cell(1, y), wrap); err != nil {
			return err
		}
		y++
	}
	return b.chart(name, t, y+1)
}

// chart adds the table's chart to the right of it, drawn from a block of
// chart data written from row y (categories down, series across), so
// that it reads contiguous ranges whichever rows of the table it draws.
func (b *book) chart(name string, t *report.Table, y int) error {
	cats, series := t.ChartData()
	if len(cats) == 0 || len(series) == 0 {
		return nil
	}
	f := b.f
	bold, err := b.style(styleKey{bold: true})
	if err != nil {
		return err
	}
	if err := f.SetCellValue(name, cell(1, y), "Chart data"); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, cell(1, y), cell(1, y), bold); err != nil {
		return err
	}
	y++
	for k, s := range series {
		if err := f.SetCellValue(name, cell(k+2, y), s.Name); err != nil {
			return err
		}
	}
	for r, c := range cats {
		if err := f.SetCellValue(name, cell(1, y+1+r), c); err != nil {
			return err
		}
		for k, s := range series {
			v := s.Values[r]
			if v.Null {
				continue
			}
			if err := f.SetCellValue(name, cell(k+2, y+1+r), s.Column.Float(v)); err != nil {
				return err
			}
			st, err := b.style(styleKey{format: NumberFormat(s.Column)})
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell(k+2, y+1+r), cell(k+2, y+1+r), st); err != nil {
				return err
			}
		}
	}
	last := y + len(cats)
	var refs []excelize.ChartSeries
	for k := range series {
		refs = append(refs, excelize.ChartSeries{
			Name:       absRef(name, k+2, y),
			Categories: absRef(name, 1, y+1) + ":" + bare(1, last),
			Values:     absRef(name, k+2, y+1) + ":" + bare(k+2, last),
		})
		if t.Chart.Kind == report.Pie {
			break
		}
	}
	types := map[report.ChartKind]excelize.ChartType{report.Bar: excelize.Col, report.Stacked: excelize.ColStacked, report.Line: excelize.Line, report.Pie: excelize.Pie}
	c := &excelize.Chart{
		Type:      types[t.Chart.Kind],
		Series:    refs,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.Title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 400},
		Format:    excelize.GraphicOptions{AltText: t.Title},
	}
	if t.Chart.Kind != report.Pie {
		c.YAxis = excelize.ChartAxis{MajorGridLines: true, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.Chart.Unit}}}}
	}
	return f.AddChart(name, cell(len(t.Columns)+2, HeaderRow), c)
}

func bare(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row, true)
	return name
}

// contents lists the tables on the first sheet, each linked to its own.
func (b *book) contents(tables []*report.Table, names []string, title string) error {
	const sheet = "Contents"
	if title == "" {
		title = "Reports"
	}
	titleStyle, err := b.style(styleKey{title: true})
	if err != nil {
		return err
	}
	header, err := b.style(styleKey{header: true})
	if err != nil {
		return err
	}
	f := b.f
	steps := []func() error{
		func() error { return f.SetCellValue(sheet, "A1", title) },
		func() error { return f.SetCellStyle(sheet, "A1", "A1", titleStyle) },
		func() error { return f.SetSheetRow(sheet, cell(1, HeaderRow), &[]string{"Sheet", "Report"}) },
		func() error { return f.SetCellStyle(sheet, cell(1, HeaderRow), cell(2, HeaderRow), header) },
		func() error { return f.SetColWidth(sheet, "A", "A", 34) },
		func() error { return f.SetColWidth(sheet, "B", "B", 100) },
	}
	for i, t := range tables {
		y, name, title := HeaderRow+1+i, names[i], t.Title
		steps = append(steps,
			func() error { return f.SetCellValue(sheet, cell(1, y), name) },
			func() error { return f.SetCellValue(sheet, cell(2, y), title) },
			func() error {
				return f.SetCellHyperLink(sheet, cell(1, y), "'"+strings.ReplaceAll(name, "'", "''")+"'!A1", "Location")
			})
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
