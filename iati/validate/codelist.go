package validate

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Codelist checks: mapping.xml says which attribute (or element text) takes
// its values from which codelist, sometimes under a condition on the
// vocabulary. Codes of complete codelists (complete="1") are errors when
// unknown; codes of open lists (such as Language or Country) are warnings.
// Withdrawn codes are accepted.

type codelist struct {
	name     string
	complete bool
	codes    map[string]bool
}

type codeMapping struct {
	src     string
	elems   []string // element local names the path ends with (may be empty: //@x)
	attr    qname
	text    bool
	list    *codelist
	cond    *xexpr
	condSrc string
}

type codelistSet struct {
	lists    map[string]*codelist
	mappings []*codeMapping
}

var (
	codelistsOnce sync.Once
	codelistsData *codelistSet
	codelistsErr  error
)

// embeddedCodelists loads the codelists and mapping for 2.0x files.
func embeddedCodelists() (*codelistSet, error) {
	codelistsOnce.Do(func() {
		codelistsData, codelistsErr = loadCodelists(data, "data/codelists", "2.03")
	})
	return codelistsData, codelistsErr
}

func loadCodelists(fsys fs.FS, dir, version string) (*codelistSet, error) {
	cs := &codelistSet{lists: map[string]*codelist{}}
	for _, sub := range []string{"common", version} {
		ents, err := fs.ReadDir(fsys, path.Join(dir, sub))
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if e.Name() == "mapping.xml" || !strings.HasSuffix(e.Name(), ".xml") {
				continue
			}
			cl, err := loadCodelist(fsys, path.Join(dir, sub, e.Name()))
			if err != nil {
				return nil, err
			}
			cs.lists[cl.name] = cl
		}
	}
	f, err := fsys.Open(path.Join(dir, version, "mapping.xml"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root, err := parseXDoc(f)
	if err != nil {
		return nil, fmt.Errorf("codelist mapping: %w", err)
	}
	for _, m := range root.children {
		if m.name.Local != "mapping" {
			continue
		}
		var p, ref, cond string
		for _, c := range m.children {
			switch c.name.Local {
			case "path":
				p = strings.TrimSpace(c.text)
			case "codelist":
				ref, _ = c.attr("ref")
			case "condition":
				cond = strings.TrimSpace(c.text)
			}
		}
		list := cs.lists[ref]
		if list == nil {
			return nil, fmt.Errorf("codelist mapping %s: unknown codelist %q", p, ref)
		}
		cm, err := parseMappingPath(p)
		if err != nil {
			return nil, err
		}
		cm.list = list
		if cond != "" {
			x, err := compileXPath(cond)
			if err != nil {
				return nil, fmt.Errorf("codelist mapping %s: condition: %w", p, err)
			}
			cm.cond, cm.condSrc = x, cond
		}
		cs.mappings = append(cs.mappings, cm)
	}
	return cs, nil
}

func loadCodelist(fsys fs.FS, name string) (*codelist, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root, err := parseXDoc(f)
	if err != nil {
		return nil, fmt.Errorf("codelist %s: %w", name, err)
	}
	cl := &codelist{codes: map[string]bool{}}
	cl.name = root.attrOr("name", strings.TrimSuffix(path.Base(name), ".xml"))
	cl.complete = root.attrOr("complete", "0") == "1"
	if items := root.child("", "codelist-items"); items != nil {
		for _, it := range items.children {
			if code := it.child("", "code"); code != nil {
				cl.codes[strings.TrimSpace(code.text)] = true
			}
		}
	}
	return cl, nil
}

// parseMappingPath understands the path forms used by mapping.xml:
// //a/b/@attr, //a/b/text() and //@attr.
func parseMappingPath(p string) (*codeMapping, error) {
	if !strings.HasPrefix(p, "//") {
		return nil, fmt.Errorf("codelist mapping path %q: expected //...", p)
	}
	steps := strings.Split(p[2:], "/")
	last := steps[len(steps)-1]
	cm := &codeMapping{src: p, elems: steps[:len(steps)-1]}
	switch {
	case last == "text()":
		cm.text = true
	case strings.HasPrefix(last, "@"):
		n := last[1:]
		if strings.HasPrefix(n, "xml:") {
			cm.attr = qname{nsXML, n[4:]}
		} else if strings.Contains(n, ":") {
			return nil, fmt.Errorf("codelist mapping path %q: unsupported prefix", p)
		} else {
			cm.attr = qname{"", n}
		}
	default:
		return nil, fmt.Errorf("codelist mapping path %q: must end in @attribute or text()", p)
	}
	for _, s := range cm.elems {
		if s == "" || strings.ContainsAny(s, "[]()*@:") {
			return nil, fmt.Errorf("codelist mapping path %q: unsupported step %q", p, s)
		}
	}
	return cm, nil
}

// matches reports whether mapping m applies to elements with path id p.
func (m *codeMapping) matches(t *tree, p int32) bool {
	if m.text && len(m.elems) == 0 {
		return false
	}
	for i := len(m.elems) - 1; i >= 0; i-- {
		if p < 0 || t.pathNames[p] != m.elems[i] {
			return false
		}
		p = t.pathUp[p]
	}
	return true
}

// codeProblem is one invalid code.
type codeProblem struct {
	m    *codeMapping
	node int32
	val  string
}

// check calls bad for every invalid code in elements from..end of t. The
// mappings that apply to each element path are worked out once and cached in
// cache (which may be nil).
func (cs *codelistSet) check(t *tree, from, end int32, cache map[int32][]*codeMapping, bad func(codeProblem)) {
	var e *xeval
	for i := from; i <= end; i++ {
		n := &t.nodes[i]
		if n.kind != ndElem {
			continue
		}
		ms, ok := cache[n.path]
		if !ok {
			for _, m := range cs.mappings {
				if m.matches(t, n.path) {
					ms = append(ms, m)
				}
			}
			if cache != nil {
				cache[n.path] = ms
			}
		}
		for _, m := range ms {
			var val string
			if m.text {
				val = t.stringValue(i)
			} else {
				v, ok := t.attr(i, m.attr)
				if !ok {
					continue
				}
				val = v
			}
			if m.cond != nil {
				if e == nil {
					t.refreshNames()
					e = &xeval{t: t}
				}
				if !e.boolean(m.cond, i) {
					continue
				}
			}
			if !m.list.codes[val] {
				bad(codeProblem{m, i, val})
			}
		}
	}
}

func (cp codeProblem) message(t *tree) string {
	el := t.nodes[cp.node].name.Local
	what := "@" + cp.m.attr.Local
	if cp.m.attr.Space == nsXML {
		what = "@xml:" + cp.m.attr.Local
	}
	if cp.m.text {
		what = "the text"
	}
	msg := fmt.Sprintf("%q in %s of <%s> is not a code of the %s codelist", cp.val, what, el, cp.m.list.name)
	if cp.m.condSrc != "" {
		msg += " (which applies when " + cp.m.condSrc + ")"
	}
	if !cp.m.list.complete {
		msg += "; the codelist is not complete, so the value may still be right"
	}
	return msg
}
