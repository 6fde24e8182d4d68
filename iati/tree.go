package iati

import (
	"encoding/xml"
	"sort"
	"strings"
)

// node is an element of the activity being read: the reader builds the
// tree of one activity, maps it and drops it, and reuses the nodes for
// the next activity (see Reader.newNode), so nothing may keep a node or
// its slices after the activity is mapped.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	// items is the content in order: child elements and text; elems the
	// child elements alone.
	items []item
	elems []*node
	line  int
	col   int
}

type item struct {
	node *node
	text string
}

// kids returns the child elements.
func (n *node) kids() []*node { return n.elems }

// text returns the text directly inside the element.
func (n *node) text() string {
	switch {
	case len(n.items) == 0:
		return ""
	case len(n.items) == 1 && n.items[0].node == nil:
		return n.items[0].text
	}
	var b strings.Builder
	for _, it := range n.items {
		if it.node == nil {
			b.WriteString(it.text)
		}
	}
	return b.String()
}

// hasText reports whether the element has text directly inside that is
// not white space, without joining its texts.
func (n *node) hasText() bool {
	for _, it := range n.items {
		if it.node == nil && strings.TrimSpace(it.text) != "" {
			return true
		}
	}
	return false
}

// attr returns an attribute without a namespace.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// fragmentXML writes an element as self-contained XML: each namespace it
// uses is declared on it, with the prefix the file gave it where known.
// Elements and attributes in LegacyNamespace are written without one
// (the reader has already taken them out of it).
func fragmentXML(n *node, prefixes map[string]string) string {
	spaces := map[string]bool{}
	var collect func(n *node)
	collect = func(n *node) {
		if n.name.Space != "" {
			spaces[n.name.Space] = true
		}
		for _, a := range n.attrs {
			if a.Name.Space != "" && a.Name.Space != xmlNamespace && !isNSDecl(a) {
				spaces[a.Name.Space] = true
			}
		}
		for _, it := range n.items {
			if it.node != nil {
				collect(it.node)
			}
		}
	}
	collect(n)
	names := make(map[string]string, len(spaces))
	used := map[string]bool{"xml": true, "xmlns": true}
	var urls []string
	for u := range spaces {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	for _, u := range urls {
		p := prefixes[u]
		if p == "" || used[p] {
			p = "ns"
			for i := 1; used[p]; i++ {
				p = "ns" + itoa(i)
			}
		}
		used[p] = true
		names[u] = p
	}
	var b strings.Builder
	var write func(n *node, top bool)
	write = func(n *node, top bool) {
		name := qname(n.name, names)
		b.WriteString("<" + name)
		if top {
			for _, u := range urls {
				b.WriteString(" xmlns:" + names[u] + `="`)
				escapeAttr(&b, u)
				b.WriteByte('"')
			}
		}
		for _, a := range n.attrs {
			if isNSDecl(a) {
				continue
			}
			b.WriteString(" " + qname(a.Name, names) + `="`)
			escapeAttr(&b, a.Value)
			b.WriteByte('"')
		}
		if len(n.items) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteByte('>')
		for _, it := range n.items {
			if it.node != nil {
				write(it.node, false)
			} else {
				escapeText(&b, it.text)
			}
		}
		b.WriteString("</" + name + ">")
	}
	write(n, true)
	return b.String()
}

func qname(n xml.Name, prefixes map[string]string) string {
	switch n.Space {
	case "":
		return n.Local
	case xmlNamespace:
		return "xml:" + n.Local
	}
	return prefixes[n.Space] + ":" + n.Local
}

// isNSDecl reports whether an attribute declares a namespace.
func isNSDecl(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
}

// unlegacy moves an element and its descendants, and their attributes,
// out of LegacyNamespace.
func unlegacy(n *node) {
	if n.name.Space == LegacyNamespace {
		n.name.Space = ""
	}
	for i := range n.attrs {
		if n.attrs[i].Name.Space == LegacyNamespace {
			n.attrs[i].Name.Space = ""
		}
	}
	for _, it := range n.items {
		if it.node != nil {
			unlegacy(it.node)
		}
	}
}

func escapeText(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

func escapeAttr(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\r':
			esc = "&#xD;"
		case '\n':
			esc = "&#xA;"
		case '\t':
			esc = "&#x9;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	n := len(buf)
	neg := i < 0
	if neg {
		i = -i
	}
	for ; i > 0; i /= 10 {
		n--
		buf[n] = byte('0' + i%10)
	}
	if neg {
		n--
		buf[n] = '-'
	}
	return string(buf[n:])
}
