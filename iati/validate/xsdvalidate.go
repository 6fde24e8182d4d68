package validate

import (
	"strings"
)

// schemaValidator checks a stream of start tags, text and end tags against a
// compiled schema, keeping one frame per open element. Problems are reported
// through report and validation always continues, so that one pass finds
// every problem. Messages follow libxml2 (used by the official IATI
// validator) so that they read the same.

const (
	modeStrict uint8 = iota
	modeLax          // validate what has a global declaration
	modeSkip         // no checks
)

type vframe struct {
	name     qname
	prefix   string
	ct       *complexType
	st       *simpleType // simple-typed element
	decl     *elemDecl
	mode     uint8
	state    int32
	allSeen  []bool
	textFrom int // start of this element's text in textBuf (simple content)
	badText  bool
	badChild bool
	badModel bool // a content model error was reported; the model is no longer checked
	line     int
	col      int
}

type schemaValidator struct {
	s       *schema
	stack   []vframe
	textBuf []byte
	report  func(line, col int, path, msg string)
}

func newSchemaValidator(s *schema, report func(line, col int, path, msg string)) *schemaValidator {
	return &schemaValidator{s: s, report: report}
}

func (v *schemaValidator) reset(s *schema) {
	v.s = s
	v.stack = v.stack[:0]
	v.textBuf = v.textBuf[:0]
}

// elemLabel names an element or attribute as libxml2 does: the local name,
// preceded by {namespace} for names in a namespace.
func elemLabel(n qname, _ string) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// maxExpected is how many names libxml2 lists in "Expected is one of".
const maxExpected = 10

func expectedList(exp []string) string {
	if len(exp) > maxExpected {
		exp = exp[:maxExpected]
	}
	if len(exp) == 1 {
		return " Expected is ( " + exp[0] + " )."
	}
	if len(exp) > 1 {
		return " Expected is one of ( " + strings.Join(exp, ", ") + " )."
	}
	return ""
}

// errorf reports a problem about element fr, which is either on the stack or
// the element being started.
func (v *schemaValidator) errorf(fr *vframe, parts ...string) {
	v.report(fr.line, fr.col, v.path(fr), strings.Join(parts, ""))
}

// path is the element path of fr, such as /iati-activities/iati-activity.
func (v *schemaValidator) path(fr *vframe) string {
	var b strings.Builder
	for i := range v.stack {
		b.WriteByte('/')
		b.WriteString(elemLabel(v.stack[i].name, ""))
		if &v.stack[i] == fr {
			return b.String()
		}
	}
	b.WriteByte('/')
	b.WriteString(elemLabel(fr.name, ""))
	return b.String()
}

// start handles a start tag.
func (v *schemaValidator) start(name qname, prefix string, attrs []scanAttr, line, col int) {
	f := vframe{name: name, prefix: prefix, line: line, col: col, mode: modeSkip}
	label := elemLabel(name, prefix)
	if len(v.stack) == 0 {
		if d := v.s.elements[name]; d != nil {
			f.setDecl(d)
		} else {
			v.errorf(&f, "Element '", label, "': No matching global declaration available for the validation root.")
		}
	} else {
		p := &v.stack[len(v.stack)-1]
		switch p.mode {
		case modeSkip:
		case modeLax:
			v.laxChild(&f)
		case modeStrict:
			v.strictChild(p, &f, label)
		}
	}
	switch f.mode {
	case modeStrict:
		v.checkAttrs(&f, attrs, label)
	case modeLax:
		v.laxAttrs(&f, attrs, label)
	}
	f.textFrom = len(v.textBuf)
	v.stack = append(v.stack, f)
}

func (f *vframe) setDecl(d *elemDecl) {
	f.decl = d
	f.mode = modeStrict
	f.ct = d.ct
	f.st = d.st
	if f.ct != nil && f.ct.model != nil && f.ct.model.all != nil {
		f.allSeen = make([]bool, len(f.ct.model.all))
	}
}

func (v *schemaValidator) laxChild(f *vframe) {
	if d := v.s.elements[f.name]; d != nil {
		f.setDecl(d)
	} else {
		f.mode = modeLax
	}
}

func (v *schemaValidator) strictChild(p *vframe, f *vframe, label string) {
	plabel := elemLabel(p.name, p.prefix)
	if p.ct == nil || p.ct.content == contentSimple {
		if !p.badChild {
			p.badChild = true
			if p.ct == nil {
				v.errorf(p, "Element '", plabel, "': Element content is not allowed, because the type definition is simple.")
			} else {
				v.errorf(p, "Element '", plabel, "': Element content is not allowed, because the content type is a simple type definition.")
			}
		}
		f.mode = modeSkip
		return
	}
	if p.ct.content == contentEmpty {
		if !p.badChild {
			p.badChild = true
			v.errorf(p, "Element '", plabel, "': Element content is not allowed, because the content type is empty.")
		}
		f.mode = modeSkip
		return
	}
	m := p.ct.model
	if m == nil { // content model failed to compile; schema load already failed
		f.mode = modeSkip
		return
	}
	if m.all != nil {
		i, ok := m.allIndex[f.name]
		if !ok || p.allSeen[i] {
			if !p.badModel {
				p.badModel = true
				v.notExpected(f, label, m.expectedAll(p.allSeen, false))
				f.mode = modeSkip
				return
			}
			v.recoverChild(m, f)
			return
		}
		p.allSeen[i] = true
		f.setDecl(m.all[i].elem)
		return
	}
	next, t := m.step(p.state, f.name)
	if next < 0 {
		// Like libxml2, report one content model error per element: after
		// it the position in the model is unknown and further errors would
		// only be echoes.
		// The unexpected element itself is skipped, as libxml2 does; its
		// later siblings are still validated.
		if !p.badModel {
			p.badModel = true
			v.notExpected(f, label, m.expected(p.state))
			f.mode = modeSkip
			return
		}
		v.recoverChild(m, f)
		return
	}
	p.state = next
	if t.elem != nil {
		if !t.elem.resolved {
			v.s.resolveElement(t.elem)
		}
		f.setDecl(t.elem)
		return
	}
	switch t.wc.process {
	case processSkip:
		f.mode = modeSkip
	case processLax:
		v.laxChild(f)
	default:
		if d := v.s.elements[f.name]; d != nil {
			f.setDecl(d)
		} else {
			v.errorf(f, "Element '", label, "': No matching global element declaration available, but demanded by the strict wildcard.")
			f.mode = modeLax
		}
	}
}

// recoverChild picks a declaration for a child that the content model did
// not accept: the parent's own declaration of that name if it has one, else a
// global one.
func (v *schemaValidator) recoverChild(m *contentModel, f *vframe) {
	if d := m.declFor[f.name]; d != nil {
		if !d.resolved {
			v.s.resolveElement(d)
		}
		f.setDecl(d)
		return
	}
	v.laxChild(f)
}

func (v *schemaValidator) notExpected(f *vframe, label string, exp []string) {
	v.errorf(f, "Element '", label, "': This element is not expected.", expectedList(exp))
}

// checkAttrs validates the attributes of an element with a declaration.
func (v *schemaValidator) checkAttrs(f *vframe, attrs []scanAttr, label string) {
	ct := f.ct
	var seenReq uint64 // bitmap over required uses (first 64)
	for i := range attrs {
		a := &attrs[i]
		if a.isNS || a.Name.Space == nsXSI {
			continue
		}
		alabel := elemLabel(a.Name, a.Prefix)
		if ct == nil { // simple-typed element: no attributes allowed
			v.errorf(f, "Element '", label, "', attribute '", alabel, "': The attribute '", alabel, "' is not allowed.")
			continue
		}
		var use *attrUse
		for j, u := range ct.attrs {
			if u.name == a.Name {
				use = u
				if u.required && j < 64 {
					seenReq |= 1 << uint(j)
				}
				break
			}
		}
		if use != nil {
			v.checkValue(f, label, alabel, use.st, a.Value, use.fixed, use.hasFixed)
			continue
		}
		if ct.anyAttr != nil && ct.anyAttr.allows(a.Name.Space) {
			if ct.anyAttr.process == processSkip {
				continue
			}
			if g := v.s.attributes[a.Name]; g != nil {
				v.checkValue(f, label, alabel, g.st, a.Value, g.fixed, g.hasFixed)
			} else if ct.anyAttr.process == processStrict {
				v.errorf(f, "Element '", label, "', attribute '", alabel, "': No matching global attribute declaration available, but demanded by the strict wildcard.")
			}
			continue
		}
		v.errorf(f, "Element '", label, "', attribute '", alabel, "': The attribute '", alabel, "' is not allowed.")
	}
	if ct == nil {
		return
	}
	for j, u := range ct.attrs {
		if !u.required {
			continue
		}
		present := false
		if j < 64 {
			present = seenReq&(1<<uint(j)) != 0
		} else {
			for i := range attrs {
				if attrs[i].Name == u.name && !attrs[i].isNS {
					present = true
				}
			}
		}
		if !present {
			v.errorf(f, "Element '", label, "': The attribute '", elemLabel(u.name, ""), "' is required but missing.")
		}
	}
}

func (v *schemaValidator) laxAttrs(f *vframe, attrs []scanAttr, label string) {
	for i := range attrs {
		a := &attrs[i]
		if a.isNS || a.Name.Space == "" || a.Name.Space == nsXSI {
			continue
		}
		if g := v.s.attributes[a.Name]; g != nil {
			v.checkValue(f, label, elemLabel(a.Name, a.Prefix), g.st, a.Value, g.fixed, g.hasFixed)
		}
	}
}

func (v *schemaValidator) checkValue(f *vframe, label, alabel string, st *simpleType, val []byte, fixed string, hasFixed bool) {
	if st == nil || !hasFixed && st.anyString() {
		return
	}
	sv := string(val)
	if !st.validate(sv) {
		v.errorf(f, "Element '", label, "', attribute '", alabel, "': '", sv, "' is not a valid value of ", typeLabel(st), ".")
		return
	}
	if hasFixed && !st.sameValue(sv, fixed) {
		v.errorf(f, "Element '", label, "', attribute '", alabel, "': The value '", sv, "' does not match the fixed value constraint '", fixed, "'.")
	}
}

func typeLabel(st *simpleType) string {
	kind := "atomic"
	switch st.variety {
	case varList:
		kind = "list"
	case varUnion:
		kind = "union"
	}
	if st.name == "" {
		return "the local " + kind + " type"
	}
	return "the " + kind + " type '" + st.name + "'"
}

// text handles character data inside the current element.
func (v *schemaValidator) text(b []byte) {
	if len(v.stack) == 0 {
		return
	}
	f := &v.stack[len(v.stack)-1]
	if f.mode != modeStrict {
		return
	}
	if f.st != nil || f.ct != nil && f.ct.content == contentSimple {
		v.textBuf = append(v.textBuf, b...)
		return
	}
	if f.ct.mixed || f.badText || isAllSpace(b) {
		return
	}
	f.badText = true
	label := elemLabel(f.name, f.prefix)
	if f.ct.content == contentEmpty {
		v.errorf(f, "Element '", label, "': Character content is not allowed, because the content type is empty.")
	} else {
		v.errorf(f, "Element '", label, "': Character content other than whitespace is not allowed because the content type is 'element-only'.")
	}
}

func isAllSpace(b []byte) bool {
	for _, c := range b {
		if !isSpaceByte(c) {
			return false
		}
	}
	return true
}

// end handles an end tag.
func (v *schemaValidator) end() {
	f := &v.stack[len(v.stack)-1]
	if f.mode == modeStrict {
		label := elemLabel(f.name, f.prefix)
		switch {
		case f.st != nil || f.ct != nil && f.ct.content == contentSimple:
			st := f.st
			if st == nil {
				st = f.ct.st
			}
			if st == nil || st.anyString() && (f.decl == nil || !f.decl.hasFixed) {
				break
			}
			val := string(v.textBuf[f.textFrom:])
			if !f.badChild && !st.validate(val) {
				v.errorf(f, "Element '", label, "': '", val, "' is not a valid value of ", typeLabel(st), ".")
			} else if f.decl != nil && f.decl.hasFixed && !st.sameValue(val, f.decl.fixed) {
				v.errorf(f, "Element '", label, "': The value '", val, "' does not match the fixed value constraint '", f.decl.fixed, "'.")
			}
		case f.ct != nil && f.ct.content == contentElements && f.ct.model != nil:
			m := f.ct.model
			if f.badModel {
				break
			}
			if m.all != nil {
				if exp := m.expectedAll(f.allSeen, true); len(exp) > 0 {
					v.missing(f, label, exp)
				}
			} else if !m.final[f.state] {
				v.missing(f, label, m.expected(f.state))
			}
		}
	}
	v.textBuf = v.textBuf[:f.textFrom]
	v.stack = v.stack[:len(v.stack)-1]
}

func (v *schemaValidator) missing(f *vframe, label string, exp []string) {
	v.errorf(f, "Element '", label, "': Missing child element(s).", expectedList(exp))
}
