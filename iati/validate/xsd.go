package validate

import (
	"fmt"
	"io/fs"
	"math/big"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// This file reads XML Schema documents into the structures the streaming
// validator uses. It covers what the IATI schemas (1.05 to 2.03) use and the
// common rest of XML Schema 1.0: global and local elements and attributes,
// references, named and anonymous complex and simple types, simpleContent
// and complexContent extension and restriction, sequence, choice, all,
// model groups, attribute groups, any and anyAttribute, include and import.
// Not supported: substitution groups, identity constraints (key, unique,
// keyref), xsi:type, redefine, and block/final checks.

type elemDecl struct {
	name     qname
	ct       *complexType // nil for simple types
	st       *simpleType
	fixed    string
	hasFixed bool
	// resolution
	node     *xnode
	doc      *schemaDoc
	resolved bool
}

type attrUse struct {
	name     qname
	st       *simpleType
	required bool
	fixed    string
	hasFixed bool
}

const (
	contentEmpty uint8 = iota
	contentSimple
	contentElements
)

type complexType struct {
	name     string
	mixed    bool
	content  uint8
	st       *simpleType // simple content
	model    *contentModel
	particle *particle
	attrs    []*attrUse
	anyAttr  *wildcard
}

// schemaDoc is one XSD file.
type schemaDoc struct {
	root     *xnode
	tns      string
	elemQual bool
	attrQual bool
	file     string
}

// schema is a set of schema documents compiled together.
type schema struct {
	elements   map[qname]*elemDecl
	attributes map[qname]*attrUse
	// raw top-level definitions
	typeDefs   map[qname]defRef
	groupDefs  map[qname]defRef
	agroupDefs map[qname]defRef
	attrDefs   map[qname]defRef
	// compiled
	complexTypes map[qname]*complexType
	simpleTypes  map[qname]*simpleType
	loaded       map[string]bool
	fsys         fs.FS
	err          error
}

type defRef struct {
	node *xnode
	doc  *schemaDoc
}

// loadSchema reads the XSD file at name (in fsys) with its includes and
// imports, and compiles all global element declarations.
func loadSchema(fsys fs.FS, name string) (*schema, error) {
	s := &schema{
		elements:     map[qname]*elemDecl{},
		attributes:   map[qname]*attrUse{},
		typeDefs:     map[qname]defRef{},
		groupDefs:    map[qname]defRef{},
		agroupDefs:   map[qname]defRef{},
		attrDefs:     map[qname]defRef{},
		complexTypes: map[qname]*complexType{},
		simpleTypes:  map[qname]*simpleType{},
		loaded:       map[string]bool{},
		fsys:         fsys,
	}
	if err := s.loadDoc(name, nil); err != nil {
		return nil, err
	}
	for _, e := range s.elements {
		s.resolveElement(e)
	}
	for n := range s.attrDefs {
		s.globalAttr(n)
	}
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

func (s *schema) fail(n *xnode, d *schemaDoc, format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf("%s:%d: %s", d.file, n.line, fmt.Sprintf(format, args...))
	}
}

func (s *schema) loadDoc(name string, chameleonTNS *string) error {
	key := name
	if chameleonTNS != nil {
		key += "#" + *chameleonTNS
	}
	if s.loaded[key] {
		return nil
	}
	s.loaded[key] = true
	f, err := s.fsys.Open(name)
	if err != nil {
		return fmt.Errorf("schema %s: %w", name, err)
	}
	defer f.Close()
	root, err := parseXDoc(f)
	if err != nil {
		return fmt.Errorf("schema %s: %w", name, err)
	}
	if root.name != (qname{nsXSD, "schema"}) {
		return fmt.Errorf("schema %s: root element is not xs:schema", name)
	}
	d := &schemaDoc{root: root, file: name}
	d.tns = root.attrOr("targetNamespace", "")
	if chameleonTNS != nil && d.tns == "" {
		d.tns = *chameleonTNS
	}
	d.elemQual = root.attrOr("elementFormDefault", "unqualified") == "qualified"
	d.attrQual = root.attrOr("attributeFormDefault", "unqualified") == "qualified"
	dir := path.Dir(name)
	for _, c := range root.children {
		if c.name.Space != nsXSD {
			continue
		}
		switch c.name.Local {
		case "include":
			loc, _ := c.attr("schemaLocation")
			tns := d.tns
			if err := s.loadDoc(path.Join(dir, loc), &tns); err != nil {
				return err
			}
		case "import", "redefine":
			loc, ok := c.attr("schemaLocation")
			if !ok {
				continue
			}
			if strings.Contains(loc, "://") {
				return fmt.Errorf("schema %s: import of remote schema %s is not supported", name, loc)
			}
			if err := s.loadDoc(path.Join(dir, loc), nil); err != nil {
				return err
			}
		case "element":
			n := qname{d.tns, c.attrOr("name", "")}
			if _, dup := s.elements[n]; !dup {
				s.elements[n] = &elemDecl{name: n, node: c, doc: d}
			}
		case "attribute":
			s.attrDefs[qname{d.tns, c.attrOr("name", "")}] = defRef{c, d}
		case "complexType", "simpleType":
			s.typeDefs[qname{d.tns, c.attrOr("name", "")}] = defRef{c, d}
		case "group":
			s.groupDefs[qname{d.tns, c.attrOr("name", "")}] = defRef{c, d}
		case "attributeGroup":
			s.agroupDefs[qname{d.tns, c.attrOr("name", "")}] = defRef{c, d}
		}
	}
	return nil
}

// qref resolves a QName attribute value, applying the chameleon namespace to
// unprefixed names of included no-namespace documents.
func (s *schema) qref(n *xnode, d *schemaDoc, v string) qname {
	q, err := n.resolveQName(v)
	if err != nil {
		s.fail(n, d, "%v", err)
		return q
	}
	if q.Space == "" && d.tns != "" && d.root.attrOr("targetNamespace", "") == "" {
		q.Space = d.tns
	}
	return q
}

func xsdChildren(n *xnode) []*xnode {
	out := make([]*xnode, 0, len(n.children))
	for _, c := range n.children {
		if c.name.Space == nsXSD && c.name.Local != "annotation" {
			out = append(out, c)
		}
	}
	return out
}

func (s *schema) resolveElement(e *elemDecl) {
	if e.resolved {
		return
	}
	e.resolved = true
	n, d := e.node, e.doc
	if v, ok := n.attr("fixed"); ok {
		e.fixed, e.hasFixed = v, true
	}
	if t, ok := n.attr("type"); ok {
		ref := s.qref(n, d, t)
		if ct := s.complexTypeByName(ref); ct != nil {
			e.ct = ct
		} else if st := s.simpleTypeByName(ref); st != nil {
			e.st = st
		} else {
			s.fail(n, d, "unknown type %s", t)
			e.st = builtinTypes["anySimpleType"]
		}
		return
	}
	for _, c := range xsdChildren(n) {
		switch c.name.Local {
		case "complexType":
			e.ct = s.compileComplexType(c, d, "")
			return
		case "simpleType":
			e.st = s.compileSimpleType(c, d, "")
			return
		}
	}
	// no type: xs:anyType
	e.ct = anyType()
}

func anyType() *complexType {
	wc := &wildcard{any: true, process: processLax}
	p := &particle{kind: pWildcard, min: 0, max: unboundedOccurs, wc: wc}
	m, _ := compileModel(p)
	return &complexType{name: "xs:anyType", mixed: true, content: contentElements, particle: p, model: m, anyAttr: wc}
}

func (s *schema) complexTypeByName(n qname) *complexType {
	if n == (qname{nsXSD, "anyType"}) {
		return anyType()
	}
	if ct, ok := s.complexTypes[n]; ok {
		return ct
	}
	def, ok := s.typeDefs[n]
	if !ok || def.node.name.Local != "complexType" {
		return nil
	}
	return s.compileComplexType(def.node, def.doc, n.Local)
}

func (s *schema) simpleTypeByName(n qname) *simpleType {
	if n.Space == nsXSD {
		return builtinTypes[n.Local]
	}
	if st, ok := s.simpleTypes[n]; ok {
		return st
	}
	def, ok := s.typeDefs[n]
	if !ok || def.node.name.Local != "simpleType" {
		return nil
	}
	return s.compileSimpleType(def.node, def.doc, n.Local)
}

func (s *schema) compileComplexType(n *xnode, d *schemaDoc, name string) *complexType {
	ct := &complexType{name: name}
	if name != "" {
		s.complexTypes[qname{d.tns, name}] = ct
	}
	ct.mixed = n.attrOr("mixed", "false") == "true" || n.attrOr("mixed", "") == "1"
	var part *particle
	var attrsNode = n
	for _, c := range xsdChildren(n) {
		switch c.name.Local {
		case "simpleContent":
			s.compileSimpleContent(ct, c, d)
			return ct
		case "complexContent":
			s.compileComplexContent(ct, c, d)
			return ct
		case "sequence", "choice", "all", "group":
			part = s.compileParticle(c, d)
		}
	}
	s.collectAttrs(ct, attrsNode, d)
	s.setParticle(ct, part)
	return ct
}

func (s *schema) setParticle(ct *complexType, part *particle) {
	if part == nil || isEmptyParticle(part) {
		if !ct.mixed {
			ct.content = contentEmpty
			ct.particle = nil
			return
		}
		// mixed content without elements: text only; any child element is
		// "not expected"
		part = &particle{kind: pSequence, min: 1, max: 1}
	}
	ct.content = contentElements
	ct.particle = part
	m, err := compileModel(part)
	if err != nil {
		if s.err == nil {
			s.err = fmt.Errorf("type %s: %v", ct.name, err)
		}
		return
	}
	ct.model = m
}

func isEmptyParticle(p *particle) bool {
	if p.max == 0 {
		return true
	}
	switch p.kind {
	case pSequence, pChoice, pAll:
		for _, c := range p.children {
			if !isEmptyParticle(c) {
				return false
			}
		}
		return true
	}
	return false
}

func (s *schema) compileSimpleContent(ct *complexType, n *xnode, d *schemaDoc) {
	ct.content = contentSimple
	for _, c := range xsdChildren(n) {
		baseRef := s.qref(c, d, c.attrOr("base", ""))
		var baseSimple *simpleType
		var baseCT *complexType
		if st := s.simpleTypeByName(baseRef); st != nil {
			baseSimple = st
		} else if bct := s.complexTypeByName(baseRef); bct != nil {
			baseCT = bct
			baseSimple = bct.st
			ct.attrs = append(ct.attrs, bct.attrs...)
			ct.anyAttr = bct.anyAttr
		} else {
			s.fail(c, d, "unknown base type %s", c.attrOr("base", ""))
			baseSimple = builtinTypes["string"]
		}
		if baseSimple == nil {
			baseSimple = builtinTypes["string"]
		}
		switch c.name.Local {
		case "extension":
			ct.st = baseSimple
			s.collectAttrs(ct, c, d)
		case "restriction":
			st := baseSimple.derive("")
			s.applyFacets(st, c, d)
			ct.st = st
			s.collectAttrs(ct, c, d)
			_ = baseCT
		}
	}
}

func (s *schema) compileComplexContent(ct *complexType, n *xnode, d *schemaDoc) {
	if v, ok := n.attr("mixed"); ok {
		ct.mixed = v == "true" || v == "1"
	}
	for _, c := range xsdChildren(n) {
		baseRef := s.qref(c, d, c.attrOr("base", ""))
		base := s.complexTypeByName(baseRef)
		if base == nil {
			s.fail(c, d, "unknown base type %s", c.attrOr("base", ""))
			base = anyType()
		}
		var own *particle
		for _, cc := range xsdChildren(c) {
			switch cc.name.Local {
			case "sequence", "choice", "all", "group":
				own = s.compileParticle(cc, d)
			}
		}
		switch c.name.Local {
		case "extension":
			ct.attrs = append(ct.attrs, base.attrs...)
			ct.anyAttr = base.anyAttr
			if base.mixed {
				ct.mixed = true
			}
			s.collectAttrs(ct, c, d)
			switch {
			case base.particle == nil:
				s.setParticle(ct, own)
			case own == nil:
				s.setParticle(ct, base.particle)
			default:
				s.setParticle(ct, &particle{kind: pSequence, min: 1, max: 1, children: []*particle{base.particle, own}})
			}
			if base.content == contentSimple && own == nil {
				ct.content = contentSimple
				ct.st = base.st
			}
		case "restriction":
			// attributes of the base are inherited unless redeclared or prohibited
			ct.attrs = append(ct.attrs, base.attrs...)
			s.collectAttrs(ct, c, d)
			s.setParticle(ct, own)
		}
	}
}

// collectAttrs adds the attribute declarations, attribute group references
// and attribute wildcard among the children of n.
func (s *schema) collectAttrs(ct *complexType, n *xnode, d *schemaDoc) {
	for _, c := range xsdChildren(n) {
		switch c.name.Local {
		case "attribute":
			use := c.attrOr("use", "optional")
			a := s.localAttr(c, d)
			if a == nil {
				continue
			}
			// replace an inherited use of the same name
			kept := ct.attrs[:0]
			for _, x := range ct.attrs {
				if x.name != a.name {
					kept = append(kept, x)
				}
			}
			ct.attrs = kept
			if use == "prohibited" {
				continue
			}
			ct.attrs = append(ct.attrs, a)
		case "attributeGroup":
			ref := s.qref(c, d, c.attrOr("ref", ""))
			def, ok := s.agroupDefs[ref]
			if !ok {
				s.fail(c, d, "unknown attribute group %s", c.attrOr("ref", ""))
				continue
			}
			s.collectAttrs(ct, def.node, def.doc)
		case "anyAttribute":
			ct.anyAttr = unionWildcards(ct.anyAttr, s.compileWildcard(c, d))
		}
	}
}

func (s *schema) localAttr(c *xnode, d *schemaDoc) *attrUse {
	use := c.attrOr("use", "optional")
	var a attrUse
	if ref, ok := c.attr("ref"); ok {
		g := s.globalAttr(s.qref(c, d, ref))
		if g == nil {
			s.fail(c, d, "unknown attribute %s", ref)
			return nil
		}
		a = *g
	} else {
		name := c.attrOr("name", "")
		ns := ""
		if form := c.attrOr("form", ""); form == "qualified" || form == "" && d.attrQual {
			ns = d.tns
		}
		a.name = qname{ns, name}
		a.st = s.attrType(c, d)
	}
	a.required = use == "required"
	if v, ok := c.attr("fixed"); ok {
		a.fixed, a.hasFixed = v, true
	}
	return &a
}

func (s *schema) globalAttr(n qname) *attrUse {
	if a, ok := s.attributes[n]; ok {
		return a
	}
	def, ok := s.attrDefs[n]
	if !ok {
		return nil
	}
	a := &attrUse{name: n}
	s.attributes[n] = a
	a.st = s.attrType(def.node, def.doc)
	if v, ok := def.node.attr("fixed"); ok {
		a.fixed, a.hasFixed = v, true
	}
	return a
}

func (s *schema) attrType(c *xnode, d *schemaDoc) *simpleType {
	if t, ok := c.attr("type"); ok {
		if st := s.simpleTypeByName(s.qref(c, d, t)); st != nil {
			return st
		}
		s.fail(c, d, "unknown simple type %s", t)
		return builtinTypes["anySimpleType"]
	}
	for _, cc := range xsdChildren(c) {
		if cc.name.Local == "simpleType" {
			return s.compileSimpleType(cc, d, "")
		}
	}
	return builtinTypes["anySimpleType"]
}

func (s *schema) compileWildcard(c *xnode, d *schemaDoc) *wildcard {
	w := &wildcard{process: processStrict}
	switch c.attrOr("processContents", "strict") {
	case "lax":
		w.process = processLax
	case "skip":
		w.process = processSkip
	}
	ns := strings.Fields(c.attrOr("namespace", "##any"))
	switch {
	case len(ns) == 1 && ns[0] == "##any":
		w.any = true
	case len(ns) == 1 && ns[0] == "##other":
		w.not = []string{d.tns}
		if d.tns != "" {
			w.not = append(w.not, "")
		}
	default:
		for _, x := range ns {
			switch x {
			case "##targetNamespace":
				w.list = append(w.list, d.tns)
			case "##local":
				w.list = append(w.list, "")
			default:
				w.list = append(w.list, x)
			}
		}
		if w.list == nil {
			w.list = []string{}
		}
	}
	return w
}

func parseOccurs(c *xnode, name string) int {
	v, ok := c.attr(name)
	if !ok {
		return 1
	}
	if v == "unbounded" {
		return unboundedOccurs
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 1
	}
	return n
}

func (s *schema) compileParticle(c *xnode, d *schemaDoc) *particle {
	p := &particle{min: parseOccurs(c, "minOccurs"), max: parseOccurs(c, "maxOccurs")}
	switch c.name.Local {
	case "element":
		p.kind = pElement
		if ref, ok := c.attr("ref"); ok {
			n := s.qref(c, d, ref)
			e, ok := s.elements[n]
			if !ok {
				s.fail(c, d, "unknown element %s", ref)
				e = &elemDecl{name: n, ct: anyType(), resolved: true}
			}
			p.elem = e
		} else {
			ns := ""
			if form := c.attrOr("form", ""); form == "qualified" || form == "" && d.elemQual {
				ns = d.tns
			}
			e := &elemDecl{name: qname{ns, c.attrOr("name", "")}, node: c, doc: d}
			s.resolveElement(e)
			p.elem = e
		}
	case "any":
		p.kind = pWildcard
		p.wc = s.compileWildcard(c, d)
	case "sequence", "choice", "all":
		switch c.name.Local {
		case "sequence":
			p.kind = pSequence
		case "choice":
			p.kind = pChoice
		default:
			p.kind = pAll
		}
		for _, cc := range xsdChildren(c) {
			switch cc.name.Local {
			case "element", "any", "sequence", "choice", "group":
				p.children = append(p.children, s.compileParticle(cc, d))
			}
		}
	case "group":
		ref := s.qref(c, d, c.attrOr("ref", ""))
		def, ok := s.groupDefs[ref]
		if !ok {
			s.fail(c, d, "unknown group %s", c.attrOr("ref", ""))
			return &particle{kind: pSequence, min: 1, max: 1}
		}
		for _, cc := range xsdChildren(def.node) {
			switch cc.name.Local {
			case "sequence", "choice", "all":
				inner := s.compileParticle(cc, def.doc)
				inner.min, inner.max = p.min, p.max
				return inner
			}
		}
		return &particle{kind: pSequence, min: 1, max: 1}
	}
	return p
}

func (s *schema) compileSimpleType(n *xnode, d *schemaDoc, name string) *simpleType {
	display := name
	if name != "" && d.tns == "" {
		display = name
	}
	var st *simpleType
	for _, c := range xsdChildren(n) {
		switch c.name.Local {
		case "restriction":
			var base *simpleType
			if b, ok := c.attr("base"); ok {
				base = s.simpleTypeByName(s.qref(c, d, b))
				if base == nil {
					s.fail(c, d, "unknown simple type %s", b)
					base = builtinTypes["anySimpleType"]
				}
			} else {
				for _, cc := range xsdChildren(c) {
					if cc.name.Local == "simpleType" {
						base = s.compileSimpleType(cc, d, "")
					}
				}
				if base == nil {
					base = builtinTypes["anySimpleType"]
				}
			}
			st = base.derive(display)
			s.applyFacets(st, c, d)
		case "list":
			st = newSimple(display, bkAnySimple, wsCollapse)
			st.variety = varList
			if it, ok := c.attr("itemType"); ok {
				st.item = s.simpleTypeByName(s.qref(c, d, it))
			} else {
				for _, cc := range xsdChildren(c) {
					if cc.name.Local == "simpleType" {
						st.item = s.compileSimpleType(cc, d, "")
					}
				}
			}
			if st.item == nil {
				s.fail(c, d, "list without a known item type")
				st.item = builtinTypes["string"]
			}
		case "union":
			st = newSimple(display, bkAnySimple, wsCollapse)
			st.variety = varUnion
			for _, m := range strings.Fields(c.attrOr("memberTypes", "")) {
				mt := s.simpleTypeByName(s.qref(c, d, m))
				if mt == nil {
					s.fail(c, d, "unknown member type %s", m)
					continue
				}
				st.members = append(st.members, mt)
			}
			for _, cc := range xsdChildren(c) {
				if cc.name.Local == "simpleType" {
					st.members = append(st.members, s.compileSimpleType(cc, d, ""))
				}
			}
		}
	}
	if st == nil {
		st = builtinTypes["anySimpleType"]
	}
	if name != "" {
		s.simpleTypes[qname{d.tns, name}] = st
	}
	return st
}

func (s *schema) applyFacets(st *simpleType, c *xnode, d *schemaDoc) {
	var pats []*regexp.Regexp
	var enum []string
	for _, f := range xsdChildren(c) {
		v := f.attrOr("value", "")
		switch f.name.Local {
		case "enumeration":
			enum = append(enum, v)
		case "pattern":
			re, err := compileXSDPattern(v)
			if err != nil {
				s.fail(f, d, "pattern %q: %v", v, err)
				continue
			}
			pats = append(pats, re)
		case "length", "minLength", "maxLength", "totalDigits", "fractionDigits":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				s.fail(f, d, "bad %s %q", f.name.Local, v)
				continue
			}
			switch f.name.Local {
			case "length":
				st.length = n
			case "minLength":
				st.minLength = n
			case "maxLength":
				st.maxLength = n
			case "totalDigits":
				st.totalDigits = n
			case "fractionDigits":
				st.fracDigits = n
			}
		case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive":
			r, ok := new(big.Rat).SetString(strings.TrimPrefix(strings.TrimSpace(v), "+"))
			if !ok {
				continue // bounds on dates etc. are not checked
			}
			switch f.name.Local {
			case "minInclusive":
				st.minInc = r
			case "maxInclusive":
				st.maxInc = r
			case "minExclusive":
				st.minExc = r
			case "maxExclusive":
				st.maxExc = r
			}
		case "whiteSpace":
			switch v {
			case "preserve":
				st.ws = wsPreserve
			case "replace":
				st.ws = wsReplace
			case "collapse":
				st.ws = wsCollapse
			}
		}
	}
	if len(enum) > 0 {
		st.enum = enum
	}
	if len(pats) > 0 {
		st.patterns = append(st.patterns, pats)
	}
}

// compileXSDPattern translates an XML Schema regular expression to Go's
// syntax. XSD patterns are implicitly anchored; the \i \c \I \C escapes are
// mapped to approximations of the XML name character classes.
func compileXSDPattern(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^(?:`)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			switch p[i+1] {
			case 'i':
				b.WriteString(`[\p{L}_:]`)
			case 'I':
				b.WriteString(`[^\p{L}_:]`)
			case 'c':
				b.WriteString(`[\p{L}\p{Nd}._:\-\p{Mn}]`)
			case 'C':
				b.WriteString(`[^\p{L}\p{Nd}._:\-\p{Mn}]`)
			default:
				b.WriteByte(c)
				b.WriteByte(p[i+1])
			}
			i++
			continue
		}
		if c == '^' && (i == 0 || p[i-1] != '[') {
			b.WriteString(`\^`)
			continue
		}
		if c == '$' {
			b.WriteString(`\$`)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteString(`)$`)
	return regexp.Compile(b.String())
}
