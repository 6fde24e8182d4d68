package validate

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// xnode is a small DOM used to read the embedded schemas and codelists. It
// is built with the same scanner as documents, so configuration files get the
// same well-formedness checks.
type xnode struct {
	name     qname
	attrs    []xattr
	children []*xnode
	text     string
	line     int
	ns       []binding // namespace bindings in scope, for QName-valued attributes
}

type xattr struct {
	name  qname
	value string
}

func parseXDoc(r io.Reader) (*xnode, error) {
	sc := newScanner(r)
	var stack []*xnode
	var root *xnode
	var text bytes.Buffer
	for {
		k, err := sc.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokStart:
			n := &xnode{name: sc.name, line: sc.tokLine}
			for _, a := range sc.attrs {
				if a.isNS {
					continue
				}
				n.attrs = append(n.attrs, xattr{a.Name, string(a.Value)})
			}
			n.ns = append([]binding(nil), sc.ns...)
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			text.Reset()
		case tokText:
			text.Write(sc.text)
		case tokEnd:
			n := stack[len(stack)-1]
			if len(n.children) == 0 {
				n.text = text.String()
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		case tokEOF:
			return root, nil
		}
	}
}

func (n *xnode) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.name.Space == "" && a.name.Local == local {
			return a.value, true
		}
	}
	return "", false
}

func (n *xnode) attrOr(local, def string) string {
	if v, ok := n.attr(local); ok {
		return v
	}
	return def
}

func (n *xnode) child(space, local string) *xnode {
	for _, c := range n.children {
		if c.name.Space == space && c.name.Local == local {
			return c
		}
	}
	return nil
}

// resolveQName resolves a QName written in an attribute value of n.
func (n *xnode) resolveQName(v string) (qname, error) {
	v = strings.TrimSpace(v)
	prefix, local := "", v
	if i := strings.IndexByte(v, ':'); i >= 0 {
		prefix, local = v[:i], v[i+1:]
	}
	if prefix == "xml" {
		return qname{nsXML, local}, nil
	}
	for i := len(n.ns) - 1; i >= 0; i-- {
		if n.ns[i].prefix == prefix {
			return qname{n.ns[i].uri, local}, nil
		}
	}
	if prefix == "" {
		return qname{"", local}, nil
	}
	return qname{}, fmt.Errorf("line %d: undeclared prefix in %q", n.line, v)
}
