package validate

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// The scanner is a streaming, namespace-aware XML 1.0 tokenizer written for
// this package instead of encoding/xml, which tokenises at about 25 MB/s and
// does not check several well-formedness rules (undeclared prefixes, illegal
// characters in names, "--" in comments). The scanner checks well-formedness
// as it goes, reports line and column of every start tag, expands only the
// five predefined entities and character references, refuses internal DTD
// subsets (the vehicle of entity-expansion attacks), and caps nesting depth
// and token size so that hostile input cannot exhaust memory.

const (
	nsXML   = "http://www.w3.org/XML/1998/namespace"
	nsXMLNS = "http://www.w3.org/2000/xmlns/"
	nsXSI   = "http://www.w3.org/2001/XMLSchema-instance"
	nsXSD   = "http://www.w3.org/2001/XMLSchema"

	defaultMaxDepth      = 256
	defaultMaxTokenBytes = 16 << 20
	maxAttrs             = 4096 // per element
	maxBindings          = 4096 // namespace declarations in scope
	initialBufSize       = 64 << 10
	maxInterned          = 8192
)

type tokenKind uint8

const (
	tokNone tokenKind = iota
	tokStart
	tokEnd
	tokText
	tokEOF
)

// qname is an expanded name: namespace URI and local part.
type qname struct {
	Space, Local string
}

func (n qname) String() string {
	if n.Space == "" {
		return n.Local
	}
	if n.Space == nsXML {
		return "xml:" + n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// scanAttr is one attribute of the current start tag. Value is only valid
// until the next call to next.
type scanAttr struct {
	Name   qname
	Prefix string
	Value  []byte
	isNS   bool // a namespace declaration (xmlns, xmlns:p)
}

type binding struct {
	prefix, uri string
}

type openElem struct {
	raw    string // qualified name as written, for matching the end tag
	line   int
	nsMark int
	name   qname
	prefix string
}

// SyntaxError reports input that is not well-formed XML. Validation stops at
// the first such error because nothing after it can be trusted.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	file := e.File
	if file == "" {
		file = "input"
	}
	return fmt.Sprintf("%s:%d:%d: not well-formed XML: %s", file, e.Line, e.Column, e.Msg)
}

type scanner struct {
	rd   io.Reader
	buf  []byte
	r, w int // scan position and end of data in buf
	tok  int // start of the current token in buf; bytes before it may be discarded
	eof  bool

	// line and column (1-based, in characters) of buf[posOff]
	line, col int
	posOff    int

	maxDepth int
	maxToken int

	// current token
	kind       tokenKind
	name       qname
	prefix     string
	attrs      []scanAttr
	text       []byte
	tokLine    int
	tokCol     int
	pendingEnd bool

	stack    []openElem
	ns       []binding
	scratch  []byte
	intern   map[string]string
	rootSeen bool
	rootDone bool
	started  bool // any token read (XML declaration allowed only before)

	err error
}

func newScanner(r io.Reader) *scanner {
	return &scanner{
		rd:       r,
		buf:      make([]byte, initialBufSize),
		line:     1,
		col:      1,
		maxDepth: defaultMaxDepth,
		maxToken: defaultMaxTokenBytes,
		intern:   make(map[string]string, 256),
	}
}

func (s *scanner) reset(r io.Reader) {
	s.rd = r
	s.r, s.w, s.tok, s.posOff = 0, 0, 0, 0
	s.eof = false
	s.line, s.col = 1, 1
	s.kind = tokNone
	s.pendingEnd = false
	s.stack = s.stack[:0]
	s.ns = s.ns[:0]
	s.rootSeen, s.rootDone, s.started = false, false, false
	s.err = nil
}

func (s *scanner) internBytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if v, ok := s.intern[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(s.intern) < maxInterned {
		s.intern[v] = v
	}
	return v
}

// depth is the number of open elements after the current token.
func (s *scanner) depth() int { return len(s.stack) }

// fail records a syntax error at buf offset off (absolute index into buf).
func (s *scanner) failAt(off int, format string, args ...any) error {
	line, col := s.posAt(off)
	s.err = &SyntaxError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	return s.err
}

// posAt computes the line and column of buf[off], off >= posOff.
func (s *scanner) posAt(off int) (int, int) {
	if off > s.w {
		off = s.w
	}
	if off < s.posOff {
		return s.line, s.col
	}
	line, col := s.line, s.col
	seg := s.buf[s.posOff:off]
	if n := bytes.Count(seg, nl); n > 0 {
		line += n
		seg = seg[bytes.LastIndexByte(seg, '\n')+1:]
		col = 1
	}
	col += utf8.RuneCount(seg)
	return line, col
}

var nl = []byte{'\n'}

// markToken advances line/column bookkeeping to the scan position and starts
// a new token there.
func (s *scanner) markToken() {
	if s.r > s.posOff {
		s.line, s.col = s.posAt(s.r)
		s.posOff = s.r
	}
	s.tok = s.r
	s.tokLine, s.tokCol = s.line, s.col
}

// fill reads more input, discarding bytes before the current token. It
// returns false when no more input is available.
func (s *scanner) fill() (bool, error) {
	for {
		if s.eof {
			return false, nil
		}
		if s.tok > 0 {
			n := copy(s.buf, s.buf[s.tok:s.w])
			shift := s.tok
			s.r -= shift
			s.posOff -= shift
			s.w = n
			s.tok = 0
		}
		if s.w == len(s.buf) {
			if s.w >= s.maxToken+16 {
				return false, s.failAt(s.tok, "a single tag, text or comment is longer than %d bytes", s.maxToken)
			}
			nb := make([]byte, 2*len(s.buf))
			copy(nb, s.buf[:s.w])
			s.buf = nb
		}
		n, err := s.rd.Read(s.buf[s.w:])
		s.w += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = fmt.Errorf("reading input: %w", err)
			return false, s.err
		}
		if n > 0 {
			return true, nil
		}
	}
}

// need makes sure n bytes are available from the scan position.
func (s *scanner) need(n int) (bool, error) {
	for s.w-s.r < n {
		ok, err := s.fill()
		if err != nil {
			return false, err
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// find returns the offset (relative to s.tok) of the first delim at or after
// s.tok+from, reading more input as necessary; -1 means end of input.
func (s *scanner) find(from int, delim []byte) (int, error) {
	for {
		if i := bytes.Index(s.buf[s.tok+from:s.w], delim); i >= 0 {
			if from+i > s.maxToken {
				return 0, s.failAt(s.tok, "a single tag, comment or CDATA section is longer than %d bytes", s.maxToken)
			}
			return from + i, nil
		}
		if from2 := s.w - s.tok - len(delim) + 1; from2 > from {
			from = from2
		}
		ok, err := s.fill()
		if err != nil {
			return 0, err
		}
		if !ok {
			return -1, nil
		}
	}
}

// next reads the next token. Comments, processing instructions and the XML
// declaration are checked and skipped; text outside the root element must be
// white space and is skipped as well.
func (s *scanner) next() (tokenKind, error) {
	if s.err != nil {
		return tokNone, s.err
	}
	if s.pendingEnd {
		s.pendingEnd = false
		s.popElem()
		s.kind = tokEnd
		return tokEnd, nil
	}
	for {
		s.markToken()
		ok, err := s.need(1)
		if err != nil {
			return tokNone, err
		}
		if !ok {
			return s.atEOF()
		}
		if s.buf[s.r] != '<' {
			k, err := s.scanText()
			if err != nil {
				return tokNone, err
			}
			if k == tokText {
				s.started = true
				return k, nil
			}
			continue
		}
		ok, err = s.need(2)
		if err != nil {
			return tokNone, err
		}
		if !ok {
			return tokNone, s.failAt(s.r, "unexpected end of input after '<'")
		}
		switch c := s.buf[s.r+1]; c {
		case '/':
			err = s.scanEndTag()
			s.started = true
			if err != nil {
				return tokNone, err
			}
			return tokEnd, nil
		case '?':
			if err := s.scanPI(); err != nil {
				return tokNone, err
			}
			s.started = true
			continue
		case '!':
			k, err := s.scanBang()
			s.started = true
			if err != nil {
				return tokNone, err
			}
			if k == tokText {
				return k, nil
			}
			continue
		default:
			err = s.scanStartTag()
			s.started = true
			if err != nil {
				return tokNone, err
			}
			return tokStart, nil
		}
	}
}

func (s *scanner) atEOF() (tokenKind, error) {
	if len(s.stack) > 0 {
		top := s.stack[len(s.stack)-1]
		return tokNone, s.failAt(s.w, "unexpected end of input: element <%s> (line %d) is not closed", top.raw, top.line)
	}
	if !s.rootSeen {
		if !s.started && s.line == 1 && s.col == 1 {
			return tokNone, s.failAt(s.w, "the input is empty")
		}
		return tokNone, s.failAt(s.w, "no root element")
	}
	s.kind = tokEOF
	return tokEOF, nil
}

// byte classes for text scanning
const (
	ccPlain   = 0
	ccSpecial = 1 // '<', '&', '\r', ']', control characters, bytes >= 0x80
)

var textClass = func() (t [256]uint8) {
	for i := 0; i < 0x20; i++ {
		t[i] = ccSpecial
	}
	t['\t'], t['\n'] = ccPlain, ccPlain
	t['<'], t['&'], t['\r'], t[']'] = ccSpecial, ccSpecial, ccSpecial, ccSpecial
	for i := 0x80; i < 0x100; i++ {
		t[i] = ccSpecial
	}
	return t
}()

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scanText reads character data up to the next '<' or end of input.
func (s *scanner) scanText() (tokenKind, error) {
	end := 0
	for {
		if i := bytes.IndexByte(s.buf[s.tok+end:s.w], '<'); i >= 0 {
			end += i
			break
		}
		end = s.w - s.tok
		if end > s.maxToken {
			return tokNone, s.failAt(s.tok, "text longer than %d bytes", s.maxToken)
		}
		ok, err := s.fill()
		if err != nil {
			return tokNone, err
		}
		if !ok {
			break
		}
	}
	if end > s.maxToken {
		return tokNone, s.failAt(s.tok, "text longer than %d bytes", s.maxToken)
	}
	raw := s.buf[s.tok : s.tok+end]
	s.r = s.tok + end
	s.scratch = s.scratch[:0]
	text, err := s.decodeText(raw, s.tok, false)
	if err != nil {
		return tokNone, err
	}
	if len(s.stack) == 0 {
		for _, c := range text {
			if !isSpaceByte(c) {
				if s.rootDone {
					return tokNone, s.failAt(s.tok, "text after the end of the root element")
				}
				if !s.started && s.tok == 0 {
					return tokNone, s.failAt(s.tok, "the input does not start with '<': it is not XML")
				}
				return tokNone, s.failAt(s.tok, "text outside the root element")
			}
		}
		return tokNone, nil
	}
	s.text = text
	s.kind = tokText
	return tokText, nil
}

// decodeText checks characters and expands references in raw (which starts
// at buf offset base). In attribute values (attr), white space characters are
// normalised to spaces and '<' is forbidden. The result aliases raw when no
// change was needed.
func (s *scanner) decodeText(raw []byte, base int, attr bool) ([]byte, error) {
	i := 0
	for i < len(raw) && textClass[raw[i]] == ccPlain {
		i++
	}
	if i == len(raw) {
		if attr {
			if bytes.IndexByte(raw, '\t') >= 0 || bytes.IndexByte(raw, '\n') >= 0 {
				return s.normalizeAttr(raw), nil
			}
		}
		return raw, nil
	}
	// slow path: copy into scratch
	start := len(s.scratch)
	out := s.scratch
	out = append(out, raw[:i]...)
	for i < len(raw) {
		c := raw[i]
		switch {
		case c == '\t' || c == '\n':
			if attr {
				out = append(out, ' ')
			} else {
				out = append(out, c)
			}
			i++
		case c >= 0x20 && c < 0x80 && c != '<' && c != '&' && c != '\r' && c != ']':
			out = append(out, c)
			i++
		case c == '\r':
			if attr {
				out = append(out, ' ')
			} else {
				out = append(out, '\n')
			}
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c == ']':
			if !attr && i+2 < len(raw) && raw[i+1] == ']' && raw[i+2] == '>' {
				return nil, s.failAt(base+i, "the sequence ']]>' is not allowed in text")
			}
			out = append(out, c)
			i++
		case c == '<':
			return nil, s.failAt(base+i, "'<' is not allowed in an attribute value")
		case c == '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, s.failAt(base+i, "'&' must start an entity reference such as &amp;")
			}
			ref := raw[i+1 : i+semi]
			var err error
			out, err = s.appendRef(out, ref, base+i)
			if err != nil {
				return nil, err
			}
			i += semi + 1
		case c < 0x20:
			return nil, s.failAt(base+i, "control character U+%04X is not allowed in XML", c)
		default: // non-ASCII
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size <= 1 {
				return nil, s.failAt(base+i, "invalid UTF-8 byte 0x%02X (is the encoding declaration right?)", c)
			}
			if !isXMLChar(r) {
				return nil, s.failAt(base+i, "character U+%04X is not allowed in XML", r)
			}
			out = append(out, raw[i:i+size]...)
			i += size
		}
	}
	s.scratch = out
	return out[start:], nil
}

func (s *scanner) normalizeAttr(raw []byte) []byte {
	start := len(s.scratch)
	for _, c := range raw {
		if c == '\t' || c == '\n' {
			c = ' '
		}
		s.scratch = append(s.scratch, c)
	}
	return s.scratch[start:]
}

func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

func (s *scanner) appendRef(out, ref []byte, off int) ([]byte, error) {
	if len(ref) > 0 && ref[0] == '#' {
		var v rune
		digits := ref[1:]
		hex := len(digits) > 0 && digits[0] == 'x'
		if hex {
			digits = digits[1:]
		}
		if len(digits) == 0 || len(digits) > 8 {
			return nil, s.failAt(off, "malformed character reference &%s;", ref)
		}
		for _, d := range digits {
			switch {
			case d >= '0' && d <= '9':
				v = v*base(hex) + rune(d-'0')
			case hex && d >= 'a' && d <= 'f':
				v = v*16 + rune(d-'a'+10)
			case hex && d >= 'A' && d <= 'F':
				v = v*16 + rune(d-'A'+10)
			default:
				return nil, s.failAt(off, "malformed character reference &%s;", ref)
			}
		}
		if !isXMLChar(v) {
			return nil, s.failAt(off, "character reference &%s; refers to a character not allowed in XML", ref)
		}
		return utf8.AppendRune(out, v), nil
	}
	switch string(ref) {
	case "lt":
		return append(out, '<'), nil
	case "gt":
		return append(out, '>'), nil
	case "amp":
		return append(out, '&'), nil
	case "quot":
		return append(out, '"'), nil
	case "apos":
		return append(out, '\''), nil
	}
	if len(ref) == 0 || !isName(ref) {
		return nil, s.failAt(off, "'&' must start an entity reference such as &amp;")
	}
	return nil, s.failAt(off, "undefined entity &%s; (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)", ref)
}

func base(hex bool) rune {
	if hex {
		return 16
	}
	return 10
}

// scanStartTag reads "<name attr='v' ...>" or "<name .../>".
func (s *scanner) scanStartTag() error {
	if s.rootDone {
		return s.failAt(s.tok, "a second root element: an XML document has exactly one")
	}
	// frame the tag: find '>' outside quotes
	i := 1
	var quote byte
	for {
		seg := s.buf[s.tok+i : s.w]
		found := -1
		for j, c := range seg {
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				found = j
				break
			}
		}
		if found >= 0 {
			i += found
			break
		}
		i += len(seg)
		if i > s.maxToken {
			return s.failAt(s.tok, "start tag longer than %d bytes", s.maxToken)
		}
		ok, err := s.fill()
		if err != nil {
			return err
		}
		if !ok {
			return s.failAt(s.tok, "unexpected end of input inside a start tag")
		}
	}
	if i > s.maxToken {
		return s.failAt(s.tok, "start tag longer than %d bytes", s.maxToken)
	}
	tag := s.buf[s.tok : s.tok+i+1] // includes '<' and '>'
	s.r = s.tok + i + 1
	s.scratch = s.scratch[:0]
	s.attrs = s.attrs[:0]

	p := 1
	nameEnd := scanName(tag, p)
	if nameEnd == p {
		return s.failAt(s.tok+p, "invalid element name")
	}
	rawName := tag[p:nameEnd]
	if !isQNameScanned(rawName) {
		return s.failAt(s.tok+p, "invalid element name %q", rawName)
	}
	p = nameEnd
	empty := false
	for {
		sp := p
		for p < len(tag) && isSpaceByte(tag[p]) {
			p++
		}
		c := tag[p]
		if c == '>' {
			break
		}
		if c == '/' {
			if p+1 < len(tag) && tag[p+1] == '>' {
				empty = true
				break
			}
			return s.failAt(s.tok+p, "unexpected '/' in start tag")
		}
		if p == sp {
			return s.failAt(s.tok+p, "white space is required between attributes")
		}
		ne := scanName(tag, p)
		if ne == p {
			return s.failAt(s.tok+p, "invalid character %q in start tag <%s>", rune(c), rawName)
		}
		an := tag[p:ne]
		if !isQNameScanned(an) {
			return s.failAt(s.tok+p, "invalid attribute name %q", an)
		}
		p = ne
		for p < len(tag) && isSpaceByte(tag[p]) {
			p++
		}
		if tag[p] != '=' {
			return s.failAt(s.tok+p, "attribute %s has no value ('=' expected)", an)
		}
		p++
		for p < len(tag) && isSpaceByte(tag[p]) {
			p++
		}
		q := tag[p]
		if q != '"' && q != '\'' {
			return s.failAt(s.tok+p, "the value of attribute %s must be quoted", an)
		}
		ve := bytes.IndexByte(tag[p+1:], q)
		if ve < 0 {
			return s.failAt(s.tok+p, "unterminated value of attribute %s", an)
		}
		rawVal := tag[p+1 : p+1+ve]
		val, err := s.decodeText(rawVal, s.tok+p+1, true)
		if err != nil {
			return err
		}
		p = p + 1 + ve + 1
		if len(s.attrs) >= maxAttrs {
			return s.failAt(s.tok, "more than %d attributes on <%s>", maxAttrs, rawName)
		}
		s.attrs = append(s.attrs, scanAttr{Value: val})
		s.splitAttrName(&s.attrs[len(s.attrs)-1], an)
		if p < len(tag) && tag[p] != '>' && tag[p] != '/' && !isSpaceByte(tag[p]) {
			return s.failAt(s.tok+p, "white space is required between attributes")
		}
	}
	if len(s.stack) >= s.maxDepth {
		return s.failAt(s.tok, "elements are nested more than %d levels deep", s.maxDepth)
	}

	// namespace declarations
	mark := len(s.ns)
	for k := range s.attrs {
		a := &s.attrs[k]
		if a.Prefix == "" && a.Name.Local == "xmlns" {
			a.isNS = true
			uri := s.internBytes(a.Value)
			if uri == nsXML || uri == nsXMLNS {
				return s.failAt(s.tok, "the namespace %s cannot be the default namespace", uri)
			}
			s.ns = append(s.ns, binding{"", uri})
		} else if a.Prefix == "xmlns" {
			a.isNS = true
			uri := s.internBytes(a.Value)
			switch {
			case a.Name.Local == "xmlns":
				return s.failAt(s.tok, "the prefix xmlns cannot be declared")
			case a.Name.Local == "xml" && uri != nsXML:
				return s.failAt(s.tok, "the prefix xml can only be bound to %s", nsXML)
			case a.Name.Local != "xml" && (uri == nsXML || uri == nsXMLNS):
				return s.failAt(s.tok, "the namespace %s cannot be bound to prefix %s", uri, a.Name.Local)
			case uri == "":
				return s.failAt(s.tok, "namespace prefix %s is declared with an empty URI", a.Name.Local)
			}
			s.ns = append(s.ns, binding{a.Name.Local, uri})
		}
	}
	if len(s.ns) > maxBindings {
		return s.failAt(s.tok, "more than %d namespace declarations in scope", maxBindings)
	}
	// element name
	prefix, local := splitQName(rawName)
	s.prefix = s.internBytes(prefix)
	s.name.Local = s.internBytes(local)
	uri, ok := s.lookupNS(s.prefix)
	if !ok {
		s.ns = s.ns[:mark]
		return s.failAt(s.tok+1, "namespace prefix %s of element <%s> is not declared", s.prefix, rawName)
	}
	s.name.Space = uri
	// attribute names
	for k := range s.attrs {
		a := &s.attrs[k]
		if a.isNS {
			a.Name.Space = nsXMLNS
			continue
		}
		if a.Prefix != "" {
			u, ok := s.lookupNS(a.Prefix)
			if !ok {
				s.ns = s.ns[:mark]
				return s.failAt(s.tok, "namespace prefix %s of attribute %s:%s is not declared", a.Prefix, a.Prefix, a.Name.Local)
			}
			a.Name.Space = u
		}
	}
	// duplicate attributes (by expanded name; covers identical raw names)
	if n := len(s.attrs); n > 1 && n <= 16 {
		for x := 1; x < n; x++ {
			for y := 0; y < x; y++ {
				if s.attrs[x].Name == s.attrs[y].Name {
					return s.failAt(s.tok, "attribute %s appears twice on <%s>", attrDisplay(&s.attrs[x]), rawName)
				}
			}
		}
	} else if n > 16 {
		seen := make(map[qname]bool, n)
		for x := range s.attrs {
			if seen[s.attrs[x].Name] {
				return s.failAt(s.tok, "attribute %s appears twice on <%s>", attrDisplay(&s.attrs[x]), rawName)
			}
			seen[s.attrs[x].Name] = true
		}
	}
	raw := s.name.Local
	if s.prefix != "" {
		raw = s.internBytes(rawName)
	}
	s.stack = append(s.stack, openElem{raw: raw, line: s.tokLine, nsMark: mark, name: s.name, prefix: s.prefix})
	s.rootSeen = true
	s.kind = tokStart
	s.pendingEnd = empty
	return nil
}

func attrDisplay(a *scanAttr) string {
	if a.Prefix != "" {
		return a.Prefix + ":" + a.Name.Local
	}
	return a.Name.Local
}

func (s *scanner) splitAttrName(a *scanAttr, raw []byte) {
	prefix, local := splitQName(raw)
	a.Prefix = s.internBytes(prefix)
	a.Name.Local = s.internBytes(local)
	a.Name.Space = ""
}

func (s *scanner) lookupNS(prefix string) (string, bool) {
	if prefix == "xml" {
		return nsXML, true
	}
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == prefix {
			return s.ns[i].uri, true
		}
	}
	if prefix == "" {
		return "", true
	}
	return "", false
}

func (s *scanner) popElem() {
	top := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.ns = s.ns[:top.nsMark]
	s.name = top.name
	s.prefix = top.prefix
	if len(s.stack) == 0 {
		s.rootDone = true
	}
}

func (s *scanner) scanEndTag() error {
	end, err := s.find(2, []byte{'>'})
	if err != nil {
		return err
	}
	if end < 0 {
		return s.failAt(s.tok, "unexpected end of input inside an end tag")
	}
	tag := s.buf[s.tok : s.tok+end+1]
	s.r = s.tok + end + 1
	ne := scanName(tag, 2)
	if ne == 2 {
		return s.failAt(s.tok, "malformed end tag")
	}
	name := tag[2:ne]
	for p := ne; p < len(tag)-1; p++ {
		if !isSpaceByte(tag[p]) {
			return s.failAt(s.tok+p, "unexpected character in end tag </%s>", name)
		}
	}
	if len(s.stack) == 0 {
		return s.failAt(s.tok, "end tag </%s> without a matching start tag", name)
	}
	top := s.stack[len(s.stack)-1]
	if top.raw != string(name) {
		return s.failAt(s.tok, "end tag </%s> does not match start tag <%s>", name, top.raw)
	}
	s.popElem()
	s.kind = tokEnd
	return nil
}

func (s *scanner) scanPI() error {
	end, err := s.find(2, []byte("?>"))
	if err != nil {
		return err
	}
	if end < 0 {
		return s.failAt(s.tok, "unexpected end of input inside a processing instruction")
	}
	pi := s.buf[s.tok : s.tok+end+2]
	s.r = s.tok + end + 2
	ne := scanName(pi, 2)
	target := pi[2:ne]
	if len(target) == 0 {
		return s.failAt(s.tok, "processing instruction without a target")
	}
	if len(target) == 3 && (target[0]|0x20) == 'x' && (target[1]|0x20) == 'm' && (target[2]|0x20) == 'l' {
		if s.started || s.posOffAbsStart() {
			return s.failAt(s.tok, "the XML declaration <?xml ...?> is only allowed at the very start of the file")
		}
		return s.checkXMLDecl(pi[ne : len(pi)-2])
	}
	if bytes.IndexByte(target, ':') >= 0 {
		return s.failAt(s.tok, "colon in processing instruction target %q", target)
	}
	if ne < len(pi)-2 && !isSpaceByte(pi[ne]) {
		return s.failAt(s.tok+ne, "white space expected after processing instruction target")
	}
	s.scratch = s.scratch[:0]
	_, err = s.decodeCDATA(pi[ne:len(pi)-2], s.tok+ne)
	return err
}

// posOffAbsStart reports whether bytes were consumed before the current token
// (the XML declaration must be the very first thing).
func (s *scanner) posOffAbsStart() bool { return s.line != 1 || s.col != 1 }

func (s *scanner) checkXMLDecl(body []byte) error {
	// version
	p := 0
	attr := func(name string, required bool) (string, bool, error) {
		q := p
		for q < len(body) && isSpaceByte(body[q]) {
			q++
		}
		if q == p && q < len(body) {
			return "", false, s.failAt(s.tok, "malformed XML declaration")
		}
		if !bytes.HasPrefix(body[q:], []byte(name)) {
			if required {
				return "", false, s.failAt(s.tok, "the XML declaration must start with version=\"1.0\"")
			}
			return "", false, nil
		}
		q += len(name)
		for q < len(body) && isSpaceByte(body[q]) {
			q++
		}
		if q >= len(body) || body[q] != '=' {
			return "", false, s.failAt(s.tok, "malformed XML declaration")
		}
		q++
		for q < len(body) && isSpaceByte(body[q]) {
			q++
		}
		if q >= len(body) || (body[q] != '"' && body[q] != '\'') {
			return "", false, s.failAt(s.tok, "malformed XML declaration")
		}
		e := bytes.IndexByte(body[q+1:], body[q])
		if e < 0 {
			return "", false, s.failAt(s.tok, "malformed XML declaration")
		}
		v := string(body[q+1 : q+1+e])
		p = q + 1 + e + 1
		return v, true, nil
	}
	v, _, err := attr("version", true)
	if err != nil {
		return err
	}
	if len(v) < 3 || v[:2] != "1." || !allDigits(v[2:]) {
		return s.failAt(s.tok, "unsupported XML version %q", v)
	}
	enc, ok, err := attr("encoding", false)
	if err != nil {
		return err
	}
	if ok && !validEncName(enc) {
		return s.failAt(s.tok, "malformed encoding name %q", enc)
	}
	sa, ok, err := attr("standalone", false)
	if err != nil {
		return err
	}
	if ok && sa != "yes" && sa != "no" {
		return s.failAt(s.tok, "standalone must be \"yes\" or \"no\"")
	}
	for ; p < len(body); p++ {
		if !isSpaceByte(body[p]) {
			return s.failAt(s.tok, "malformed XML declaration")
		}
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validEncName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')
		if !ok {
			return false
		}
	}
	return true
}

// scanBang handles comments, CDATA sections and DOCTYPE.
func (s *scanner) scanBang() (tokenKind, error) {
	ok, err := s.need(4)
	if err != nil {
		return tokNone, err
	}
	if ok && s.buf[s.r+2] == '-' && s.buf[s.r+3] == '-' {
		return tokNone, s.scanComment()
	}
	ok, err = s.need(9)
	if err != nil {
		return tokNone, err
	}
	if ok && bytes.Equal(s.buf[s.r:s.r+9], []byte("<![CDATA[")) {
		if len(s.stack) == 0 {
			return tokNone, s.failAt(s.tok, "CDATA section outside the root element")
		}
		end, err := s.find(9, []byte("]]>"))
		if err != nil {
			return tokNone, err
		}
		if end < 0 {
			return tokNone, s.failAt(s.tok, "unexpected end of input inside a CDATA section")
		}
		raw := s.buf[s.tok+9 : s.tok+end]
		s.r = s.tok + end + 3
		s.scratch = s.scratch[:0]
		text, err := s.decodeCDATA(raw, s.tok+9)
		if err != nil {
			return tokNone, err
		}
		s.text = text
		s.kind = tokText
		return tokText, nil
	}
	if ok && bytes.Equal(s.buf[s.r:s.r+9], []byte("<!DOCTYPE")) {
		return tokNone, s.scanDoctype()
	}
	return tokNone, s.failAt(s.tok, "malformed markup starting with '<!'")
}

func (s *scanner) decodeCDATA(raw []byte, base int) ([]byte, error) {
	clean := true
	for _, c := range raw {
		if textClass[c] != ccPlain && c != '<' && c != '&' && c != ']' {
			clean = false
			break
		}
	}
	if clean {
		return raw, nil
	}
	out := s.scratch[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\r':
			out = append(out, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c < 0x20 && c != '\t' && c != '\n':
			return nil, s.failAt(base+i, "control character U+%04X is not allowed in XML", c)
		case c < 0x80:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size <= 1 {
				return nil, s.failAt(base+i, "invalid UTF-8 byte 0x%02X (is the encoding declaration right?)", c)
			}
			if !isXMLChar(r) {
				return nil, s.failAt(base+i, "character U+%04X is not allowed in XML", r)
			}
			out = append(out, raw[i:i+size]...)
			i += size
		}
	}
	s.scratch = out
	return out, nil
}

func (s *scanner) scanComment() error {
	end, err := s.find(4, []byte("--"))
	if err != nil {
		return err
	}
	if end < 0 {
		return s.failAt(s.tok, "unexpected end of input inside a comment")
	}
	ok, err := s.need(end + 3 - (s.r - s.tok))
	if err != nil {
		return err
	}
	if !ok || s.buf[s.tok+end+2] != '>' {
		return s.failAt(s.tok+end, "'--' is not allowed inside a comment")
	}
	body := s.buf[s.tok+4 : s.tok+end]
	s.r = s.tok + end + 3
	s.scratch = s.scratch[:0]
	_, err = s.decodeCDATA(body, s.tok+4)
	return err
}

func (s *scanner) scanDoctype() error {
	if s.rootSeen {
		return s.failAt(s.tok, "DOCTYPE after the root element")
	}
	// frame: '>' outside quotes; an internal subset '[' is refused outright
	i := 9
	var quote byte
	for {
		seg := s.buf[s.tok+i : s.w]
		for j, c := range seg {
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			switch c {
			case '"', '\'':
				quote = c
			case '[':
				return s.failAt(s.tok+i+j, "DOCTYPE with an internal subset is refused: entity declarations can be used for entity-expansion (\"billion laughs\") attacks, and IATI files need none")
			case '>':
				s.r = s.tok + i + j + 1
				return nil
			}
		}
		i += len(seg)
		if i > 4096 {
			return s.failAt(s.tok, "DOCTYPE declaration too long")
		}
		ok, err := s.fill()
		if err != nil {
			return err
		}
		if !ok {
			return s.failAt(s.tok, "unexpected end of input inside DOCTYPE")
		}
	}
}

// Names

func isNameStartByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func isNameByte(c byte) bool {
	return isNameStartByte(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// scanName returns the end of the name starting at b[p] (p if none). Non-ASCII
// bytes are accepted here and checked by isName.
func scanName(b []byte, p int) int {
	if p >= len(b) || !isNameStartByte(b[p]) {
		return p
	}
	q := p + 1
	for q < len(b) && isNameByte(b[q]) {
		q++
	}
	return q
}

func isNameStartRune(r rune) bool {
	switch {
	case r == ':' || r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
		return true
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isNameRune(r rune) bool {
	return isNameStartRune(r) || r == '-' || r == '.' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// isName checks b against the XML Name production.
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	first := true
	for i := 0; i < len(b); {
		c := b[i]
		var r rune
		size := 1
		if c < 0x80 {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				return false
			}
		}
		if first {
			if !isNameStartRune(r) {
				return false
			}
			first = false
		} else if !isNameRune(r) {
			return false
		}
		i += size
	}
	return true
}

// isQName checks the Name production and the namespace constraint of at most
// one colon, not at either end.
func isQName(b []byte) bool {
	if !isName(b) {
		return false
	}
	c := bytes.IndexByte(b, ':')
	if c < 0 {
		return true
	}
	return c > 0 && c < len(b)-1 && bytes.IndexByte(b[c+1:], ':') < 0 && isName(b[c+1:])
}

// isQNameScanned is isQName for a name already delimited by scanName, with
// a fast path for ASCII names (scanName has checked their characters).
func isQNameScanned(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return isQName(b)
		}
	}
	c := bytes.IndexByte(b, ':')
	if c < 0 {
		return true
	}
	return c > 0 && c < len(b)-1 && bytes.IndexByte(b[c+1:], ':') < 0 && isNameStartByte(b[c+1])
}

func splitQName(b []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		return b[:i], b[i+1:]
	}
	return nil, b
}
