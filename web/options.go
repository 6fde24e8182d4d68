package web

import (
	"html"
	"html/template"
	"strings"
)

// option is one choice of a <select>.
type option struct{ Value, Label string }

// options writes the <option> elements of a select, the one whose value
// is selected marked so. Written here rather than by a template range:
// the project list's filters hold some 400 choices, and making them in
// the template cost more than the rest of the page.
func options(opts []option, selected string) template.HTML {
	var b strings.Builder
	b.Grow(len(opts) * 48)
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(html.EscapeString(o.Value))
		if o.Value == selected {
			b.WriteString(`" selected>`)
		} else {
			b.WriteString(`">`)
		}
		b.WriteString(html.EscapeString(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) // every value and label escaped above
}
