package iati

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner is the reader's XML tokenizer: a strict subset of XML 1.0 with
// namespaces, over a sliding buffer, several times faster than
// encoding/xml and with the limits an importer of files from the internet
// needs. It refuses DTDs (and so every entity but the five predefined and
// character references), reads UTF-8 and, through charsetReader, the
// encodings it declares, and checks well-formedness: names, quoting,
// matching end tags, entities, valid UTF-8, no control characters.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int // next byte to scan
	end  int // end of the data in buf
	eof  bool
	rerr error

	// line is the line of buf[lpos]; lineAt counts the rest.
	line int
	lpos int
	// consumed counts the bytes of the input before buf[0].
	consumed int64

	// The current token.
	kind        tokenKind
	name        xml.Name
	attrs       []xml.Attr
	text        []byte
	tokLine     int
	selfClosing bool
	pendingEnd  bool

	// names interns element and attribute names; values interns short
	// attribute values and texts. Both repeat.
	names, values interns

	stack []openElem
	// scopes holds the namespace bindings in force: prefix, URL, and the
	// depth at which they were declared.
	scopes  []binding
	scratch []byte
}

type tokenKind int

const (
	tokStart tokenKind = iota + 1
	tokEnd
	tokText
)

type openElem struct {
	raw  string // the name as written, for the end tag
	name xml.Name
}

type binding struct {
	prefix, url string
	depth       int
}

// syntaxError is a well-formedness error at a line.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

const chunk = 256 << 10

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, chunk), line: 1}
}

// offset is how many bytes of the input have been scanned.
func (s *scanner) offset() int64 { return s.consumed + int64(s.pos) }

// lineAt returns the line of buf[p], p >= lpos.
func (s *scanner) lineAt(p int) int {
	if p > s.lpos {
		s.line += bytes.Count(s.buf[s.lpos:p], []byte{'\n'})
		s.lpos = p
	}
	return s.line
}

// more reads more input, keeping buf[keep:] and moving it to the front.
// It returns false at the end of the input.
func (s *scanner) more(keep int) (bool, error) {
	if s.eof {
		return false, s.rerr
	}
	s.lineAt(keep)
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:s.end])
		s.consumed += int64(keep)
		s.pos -= keep
		s.lpos -= keep
		s.end = n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= MaxToken {
			return false, &syntaxError{s.line, fmt.Sprintf("a tag, text or comment larger than %d MiB: tcmis refuses it", MaxToken>>20)}
		}
		nb := make([]byte, min(2*len(s.buf), MaxToken))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
				return n > 0, err
			}
			return n > 0, nil
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, io.ErrNoProgress
}

// need makes at least n bytes available from start (moving start to the
// front); it returns false when the input ends first.
func (s *scanner) need(start *int, n int) (bool, error) {
	for s.end-*start < n {
		keep := *start
		ok, err := s.more(keep)
		*start -= keep
		if err != nil {
			return false, err
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

func (s *scanner) fail(p int, format string, args ...any) error {
	return &syntaxError{s.lineAt(p), fmt.Sprintf(format, args...)}
}

// next reads the next token: a start tag, an end tag or text (with
// entities decoded, CDATA included). Comments and processing instructions
// are skipped. It returns io.EOF at the end of the input.
func (s *scanner) next() error {
	if s.pendingEnd {
		s.pendingEnd = false
		s.kind = tokEnd
		top := s.stack[len(s.stack)-1]
		s.name = top.name
		s.pop()
		return nil
	}
	for {
		if s.pos >= s.end {
			ok, err := s.more(s.pos)
			if err != nil {
				return err
			}
			if !ok {
				if len(s.stack) > 0 {
					return s.fail(s.pos, "the file ends inside <%s>: it is truncated", s.stack[len(s.stack)-1].raw)
				}
				return io.EOF
			}
		}
		if s.buf[s.pos] != '<' {
			return s.scanText()
		}
		start := s.pos
		if ok, err := s.need(&start, 2); err != nil {
			return err
		} else if !ok {
			return s.fail(start, "the file ends in the middle of a tag: it is truncated")
		}
		s.pos = start
		switch s.buf[start+1] {
		case '/':
			return s.scanEnd()
		case '?':
			if _, err := s.skipUntil("?>", "processing instruction"); err != nil {
				return err
			}
		case '!':
			if ok, err := s.need(&start, 9); err != nil {
				return err
			} else if !ok && !bytes.HasPrefix(s.buf[start:s.end], []byte("<!--")) {
				return s.fail(start, "the file ends in the middle of a declaration: it is truncated")
			}
			s.pos = start
			rest := s.buf[start:s.end]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				if _, err := s.skipUntil("-->", "comment"); err != nil {
					return err
				}
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				return s.scanCDATA()
			default:
				return s.fail(start, "the file has a DOCTYPE or other declaration (%s): tcmis refuses DTDs and entity definitions, the way entity-expansion attacks work; IATI files have none", clip(string(rest[:min(len(rest), 20)]), 20))
			}
		default:
			return s.scanStart()
		}
	}
}

// skipUntil skips past the next end marker and returns where the
// skipped construct started in the (possibly moved) buffer.
func (s *scanner) skipUntil(marker, what string) (int, error) {
	start := s.pos
	from := start + 2
	for {
		if i := bytes.Index(s.buf[from:s.end], []byte(marker)); i >= 0 {
			s.pos = from + i + len(marker)
			return start, nil
		}
		from = max(start+2, s.end-len(marker)+1)
		keep := start
		ok, err := s.more(keep)
		start -= keep
		from -= keep
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, s.fail(start, "the file ends inside a %s: it is truncated", what)
		}
	}
}

func (s *scanner) scanCDATA() error {
	start, err := s.skipUntil("]]>", "CDATA section")
	if err != nil {
		return err
	}
	raw := s.buf[start+len("<![CDATA[") : s.pos-len("]]>")]
	if _, err := s.checkChars(start, raw, false); err != nil {
		return err
	}
	if len(s.stack) == 0 {
		return s.fail(start, "text outside the root element")
	}
	s.kind, s.tokLine = tokText, s.lineAt(start)
	s.text = normalizeNewlines(append(s.scratch[:0], raw...))
	s.scratch = s.text[:0]
	return nil
}

// scanText reads character data up to the next '<'.
func (s *scanner) scanText() error {
	start := s.pos
	from := start
	for {
		if i := bytes.IndexByte(s.buf[from:s.end], '<'); i >= 0 {
			s.pos = from + i
			break
		}
		from = s.end
		keep := start
		ok, err := s.more(keep)
		start -= keep
		from -= keep
		if err != nil {
			return err
		}
		if !ok {
			s.pos = s.end
			break
		}
	}
	raw := s.buf[start:s.pos]
	s.kind, s.tokLine = tokText, s.lineAt(start)
	if len(s.stack) == 0 && len(bytes.TrimSpace(raw)) > 0 {
		return s.fail(start, "text outside the root element")
	}
	txt, err := s.decode(start, raw, false)
	if err != nil {
		return err
	}
	s.text = txt
	return nil
}

// decode replaces entities and character references, normalizes line
// ends (and, in attribute values, white space), and checks characters.
func (s *scanner) decode(at int, raw []byte, attr bool) ([]byte, error) {
	special, err := s.checkChars(at, raw, attr)
	if err != nil {
		return nil, err
	}
	if !special {
		return raw, nil
	}
	out := s.scratch[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 || j > 12 {
				return nil, s.fail(at+i, "an & that starts no entity: write &amp; for an ampersand")
			}
			ent := string(raw[i+1 : i+j])
			switch ent {
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "amp":
				out = append(out, '&')
			case "quot":
				out = append(out, '"')
			case "apos":
				out = append(out, '\'')
			default:
				r, ok := charRef(ent)
				if !ok {
					return nil, s.fail(at+i, "unknown entity &%s; (XML knows only &amp; &lt; &gt; &quot; &apos; and numeric references)", clip(ent, 12))
				}
				out = utf8.AppendRune(out, r)
			}
			i += j
		case c == '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			if attr {
				out = append(out, ' ')
			} else {
				out = append(out, '\n')
			}
		case attr && (c == '\t' || c == '\n'):
			out = append(out, ' ')
		default:
			out = append(out, c)
		}
	}
	s.scratch = out[:0]
	return out, nil
}

func charRef(ent string) (rune, bool) {
	if !strings.HasPrefix(ent, "#") || len(ent) < 2 {
		return 0, false
	}
	var v uint64
	var err error
	if ent[1] == 'x' {
		v, err = strconv.ParseUint(ent[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(ent[1:], 10, 32)
	}
	r := rune(v)
	if err != nil || !isXMLChar(r) {
		return 0, false
	}
	return r, true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// checkChars refuses invalid UTF-8 and the control characters XML does
// not allow. In the same pass it tells whether decode has work to do:
// entities or carriage returns (and, in an attribute value, tabs or line
// feeds) to replace.
func (s *scanner) checkChars(at int, b []byte, attr bool) (special bool, err error) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 0x20 && c < 0x80 {
			if c == '&' {
				special = true
			}
			continue
		}
		if c < 0x20 {
			switch c {
			case '\t', '\n':
				special = special || attr
				continue
			case '\r':
				special = true
				continue
			}
			return false, s.fail(at+i, "control character %#02x, which XML does not allow", c)
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return false, s.fail(at+i, "the text is not valid UTF-8: the file is in another encoding; declare it (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>) or save the file as UTF-8")
		}
		if r == 0xFFFE || r == 0xFFFF {
			return false, s.fail(at+i, "character %U, which XML does not allow", r)
		}
		i += size - 1
	}
	return special, nil
}

func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func isNameByte(c byte) bool {
	return isNameStart(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// readName reads a name at s.pos (within the buffer from start).
func (s *scanner) readName(start *int) (string, error) {
	for {
		p := s.pos
		if p < s.end && !isNameStart(s.buf[p]) {
			return "", s.fail(p, "%q cannot start a name", s.buf[p])
		}
		for p < s.end && isNameByte(s.buf[p]) {
			p++
		}
		if p < s.end {
			if p-s.pos > 1000 {
				return "", s.fail(s.pos, "a name longer than 1000 characters")
			}
			name := s.buf[s.pos:p]
			slot := s.names.slot(name)
			if v := *slot; v == string(name) && v != "" {
				s.pos = p
				return v, nil
			}
			if !utf8.Valid(name) {
				return "", s.fail(s.pos, "a name that is not valid UTF-8")
			}
			s.pos = p
			*slot = string(name)
			return *slot, nil
		}
		keep := *start
		ok, err := s.more(keep)
		*start -= keep
		if err != nil {
			return "", err
		}
		if !ok {
			return "", s.fail(*start, "the file ends in the middle of a tag: it is truncated")
		}
	}
}

// skipSpace skips white space; it returns false at the end of input.
func (s *scanner) skipSpace(start *int) (bool, error) {
	for {
		for s.pos < s.end && isSpace(s.buf[s.pos]) {
			s.pos++
		}
		if s.pos < s.end {
			return true, nil
		}
		keep := *start
		ok, err := s.more(keep)
		*start -= keep
		if err != nil || !ok {
			return false, err
		}
	}
}

func (s *scanner) scanStart() error {
	start := s.pos
	s.pos++
	raw, err := s.readName(&start)
	if err != nil {
		return err
	}
	s.attrs = s.attrs[:0]
	type rawAttr struct {
		name, value string
		at          int
	}
	var raws [8]rawAttr
	list := raws[:0]
	for {
		sp := s.pos
		if ok, err := s.skipSpace(&start); err != nil {
			return err
		} else if !ok {
			return s.fail(start, "the file ends inside the tag <%s>: it is truncated", raw)
		}
		c := s.buf[s.pos]
		if c == '>' || c == '/' {
			if c == '/' {
				if ok, err := s.need(&start, s.pos-start+2); err != nil {
					return err
				} else if !ok || s.buf[s.pos+1] != '>' {
					return s.fail(s.pos, "'/' in the tag <%s> not followed by '>'", raw)
				}
				s.pos++
				s.selfClosing = true
			} else {
				s.selfClosing = false
			}
			s.pos++
			break
		}
		if s.pos == sp {
			return s.fail(s.pos, "attributes of <%s> need white space between them", raw)
		}
		at := s.pos
		an, err := s.readName(&start)
		if err != nil {
			return err
		}
		if ok, err := s.skipSpace(&start); err != nil || !ok {
			if err != nil {
				return err
			}
			return s.fail(start, "the file ends inside the tag <%s>: it is truncated", raw)
		}
		if s.buf[s.pos] != '=' {
			return s.fail(s.pos, "attribute %s of <%s> has no value (attr=\"value\")", an, raw)
		}
		s.pos++
		if ok, err := s.skipSpace(&start); err != nil || !ok {
			if err != nil {
				return err
			}
			return s.fail(start, "the file ends inside the tag <%s>: it is truncated", raw)
		}
		q := s.buf[s.pos]
		if q != '"' && q != '\'' {
			return s.fail(s.pos, "the value of attribute %s of <%s> is not in quotes", an, raw)
		}
		s.pos++
		vstart := s.pos - start
		for {
			if i := bytes.IndexByte(s.buf[s.pos:s.end], q); i >= 0 {
				s.pos += i
				break
			}
			s.pos = s.end
			keep := start
			ok, err := s.more(keep)
			start -= keep
			if err != nil {
				return err
			}
			if !ok {
				return s.fail(start, "the file ends inside the tag <%s>: it is truncated", raw)
			}
		}
		rawv := s.buf[start+vstart : s.pos]
		if bytes.IndexByte(rawv, '<') >= 0 {
			return s.fail(start+vstart, "'<' in the value of attribute %s of <%s>", an, raw)
		}
		v, err := s.decode(start+vstart, rawv, true)
		if err != nil {
			return err
		}
		s.pos++
		for _, a := range list {
			if a.name == an {
				return s.fail(at, "attribute %s appears twice in <%s>", an, raw)
			}
		}
		list = append(list, rawAttr{an, s.value(v), at})
		if len(list) > MaxAttrs {
			return s.fail(start, "<%s> has more than the %d attributes tcmis accepts", raw, MaxAttrs)
		}
	}
	s.tokLine = s.lineAt(start)
	depth := len(s.stack) + 1
	if depth > MaxDepth {
		return s.fail(start, "elements nested more than %d deep: tcmis refuses the file", MaxDepth)
	}
	// Namespace declarations first, then names.
	for _, a := range list {
		switch {
		case a.name == "xmlns":
			s.scopes = append(s.scopes, binding{"", a.value, depth})
		case strings.HasPrefix(a.name, "xmlns:"):
			s.scopes = append(s.scopes, binding{a.name[6:], a.value, depth})
		}
	}
	for _, a := range list {
		var n xml.Name
		switch {
		case a.name == "xmlns":
			n = xml.Name{Local: "xmlns"}
		case strings.HasPrefix(a.name, "xmlns:"):
			n = xml.Name{Space: "xmlns", Local: a.name[6:]}
		default:
			n = s.resolve(a.name, false)
		}
		s.attrs = append(s.attrs, xml.Attr{Name: n, Value: a.value})
	}
	s.name = s.resolve(raw, true)
	s.kind = tokStart
	s.stack = append(s.stack, openElem{raw: raw, name: s.name})
	if s.selfClosing {
		s.pendingEnd = true
	}
	return nil
}

// value returns an attribute value or a text as a string, interned when
// short: codes, percentages, dates and the space between elements repeat.
func (s *scanner) value(v []byte) string {
	if len(v) > 16 || len(v) == 0 {
		return string(v)
	}
	slot := s.values.slot(v)
	if x := *slot; x == string(v) {
		return x
	}
	*slot = string(v)
	return *slot
}

// interns is a cache of strings by their bytes: each string has one slot,
// chosen by a hash, which the last string seen there takes. Unlike a map
// it never grows, and a lookup costs a hash and a comparison.
type interns [1024]string

func (t *interns) slot(b []byte) *string {
	h := uint32(2166136261) // FNV-1a
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return &t[(h^h>>16)%uint32(len(t))]
}

// resolve turns a prefixed name into a namespace and a local name.
func (s *scanner) resolve(raw string, elem bool) xml.Name {
	prefix, local, ok := strings.Cut(raw, ":")
	if !ok {
		local, prefix = raw, ""
		if !elem {
			return xml.Name{Local: local}
		}
	}
	if prefix == "xml" {
		return xml.Name{Space: xmlNamespace, Local: local}
	}
	for i := len(s.scopes) - 1; i >= 0; i-- {
		if s.scopes[i].prefix == prefix {
			return xml.Name{Space: s.scopes[i].url, Local: local}
		}
	}
	return xml.Name{Space: prefix, Local: local}
}

func (s *scanner) scanEnd() error {
	start := s.pos
	s.pos += 2
	raw, err := s.readName(&start)
	if err != nil {
		return err
	}
	if ok, err := s.skipSpace(&start); err != nil {
		return err
	} else if !ok || s.buf[s.pos] != '>' {
		return s.fail(start, "the end tag </%s> is not closed by '>'", raw)
	}
	s.pos++
	if len(s.stack) == 0 {
		return s.fail(start, "</%s> closes no element", raw)
	}
	top := s.stack[len(s.stack)-1]
	if top.raw != raw {
		return s.fail(start, "</%s> where </%s> was expected", raw, top.raw)
	}
	s.kind, s.name, s.tokLine = tokEnd, top.name, s.lineAt(start)
	s.pop()
	return nil
}

func (s *scanner) pop() {
	depth := len(s.stack)
	s.stack = s.stack[:depth-1]
	for len(s.scopes) > 0 && s.scopes[len(s.scopes)-1].depth >= depth {
		s.scopes = s.scopes[:len(s.scopes)-1]
	}
}

// xmlDecl reads the encoding an XML declaration at the start of the input
// names ("" when there is none).
func xmlDecl(head []byte) (string, bool) {
	if !bytes.HasPrefix(head, []byte("<?xml")) || len(head) < 6 || !isSpace(head[5]) {
		return "", false
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return "", false
	}
	decl := string(head[:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return "", true
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return "", true
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return "", true
	}
	q := rest[0]
	j := strings.IndexByte(rest[1:], q)
	if j < 0 {
		return "", true
	}
	return rest[1 : 1+j], true
}
