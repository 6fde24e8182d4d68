package validate

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

type tok struct {
	kind  tokenKind
	name  string // start/end: {ns}local; text: the text
	line  int
	col   int
	attrs string
}

func scanAll(tb testing.TB, r io.Reader) ([]tok, error) {
	tb.Helper()
	sc := newScanner(r)
	var out []tok
	for {
		k, err := sc.next()
		if err != nil {
			return out, err
		}
		switch k {
		case tokStart:
			var as []string
			for _, a := range sc.attrs {
				if !a.isNS {
					as = append(as, a.Name.String()+"="+string(a.Value))
				}
			}
			out = append(out, tok{tokStart, sc.name.String(), sc.tokLine, sc.tokCol, strings.Join(as, " ")})
		case tokEnd:
			out = append(out, tok{kind: tokEnd, name: sc.name.String()})
		case tokText:
			if len(out) > 0 && out[len(out)-1].kind == tokText {
				out[len(out)-1].name += string(sc.text)
			} else {
				out = append(out, tok{kind: tokText, name: string(sc.text)})
			}
		case tokEOF:
			return out, nil
		}
	}
}

func TestScanTokens(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n<a xmlns:x=\"urn:x\" b='1 &amp; 2'>\r\n  <x:c x:d=\"&#x41;&#66;\tz\"/>é<![CDATA[<raw>\r\nü]]>\n  <e>t&lt;u</e></a>\n"
	got, err := scanAll(t, strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []tok{
		{tokStart, "a", 3, 1, "b=1 & 2"},
		{kind: tokText, name: "\n  "},
		{tokStart, "{urn:x}c", 4, 3, "{urn:x}d=AB z"},
		{kind: tokEnd, name: "{urn:x}c"},
		{kind: tokText, name: "é<raw>\nü\n  "},
		{tokStart, "e", 6, 3, ""},
		{kind: tokText, name: "t<u"},
		{kind: tokEnd, name: "e"},
		{kind: tokEnd, name: "a"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tokens:\n got %v\nwant %v", got, want)
	}
}

// Columns count characters, not bytes, and survive buffer refills.
func TestScanPositions(t *testing.T) {
	doc := "<r>\n" + strings.Repeat("é", 100) + "<a/>\n\t<b/>" + strings.Repeat("x", 200000) + "<c/></r>"
	got, err := scanAll(t, iotest.OneByteReader(strings.NewReader(doc)))
	if err != nil {
		t.Fatal(err)
	}
	var pos []string
	for _, tk := range got {
		if tk.kind == tokStart {
			pos = append(pos, fmt.Sprintf("%s@%d:%d", tk.name, tk.line, tk.col))
		}
	}
	want := "[r@1:1 a@2:101 b@3:2 c@3:200006]"
	if fmt.Sprint(pos) != want {
		t.Errorf("positions %v, want %s", pos, want)
	}
}

func TestScanWellFormedness(t *testing.T) {
	for _, c := range []struct {
		name, doc, want string
	}{
		{"empty", "", "empty"},
		{"only spaces", "  \n ", "no root element"},
		{"not xml", "hello world", "not XML"},
		{"json", `{"a": 1}`, "not XML"},
		{"truncated", "<a><b>text", "not closed"},
		{"truncated tag", "<a><b attr=\"1", "inside a start tag"},
		{"mismatched", "<a><b></a></b>", "does not match"},
		{"stray end", "<a></a></b>", "without a matching start tag"},
		{"two roots", "<a/><b/>", "second root"},
		{"text after root", "<a/>x", "after the end of the root"},
		{"undefined entity", "<a>&nbsp;</a>", "undefined entity &nbsp;"},
		{"bare ampersand", "<a>A & B</a>", "entity reference"},
		{"lt in attribute", "<a b=\"<\"/>", "not allowed in an attribute"},
		{"unquoted attribute", "<a b=1/>", "must be quoted"},
		{"duplicate attribute", "<a b='1' b='2'/>", "appears twice"},
		{"duplicate expanded attribute", "<a xmlns:p='u' xmlns:q='u' p:b='1' q:b='2'/>", "appears twice"},
		{"no space between attributes", "<a b='1'c='2'/>", "white space is required"},
		{"undeclared prefix", "<p:a/>", "not declared"},
		{"undeclared attribute prefix", "<a p:b='1'/>", "not declared"},
		{"bad name", "<1a/>", "invalid"},
		{"two colons", "<a:b:c xmlns:a='u'/>", "invalid element name"},
		{"control character", "<a>\x01</a>", "control character"},
		{"char ref to control character", "<a>&#1;</a>", "not allowed in XML"},
		{"bad char ref", "<a>&#xZZ;</a>", "malformed character reference"},
		{"invalid utf-8", "<a>\xff</a>", "invalid UTF-8"},
		{"cdata end in text", "<a>]]></a>", "']]>'"},
		{"double hyphen comment", "<a><!-- a -- b --></a>", "'--'"},
		{"late xml declaration", "<a/>\n<?xml version='1.0'?>", "only allowed at the very start"},
		{"xml declaration after space", " <?xml version='1.0'?><a/>", "only allowed at the very start"},
		{"bad version", "<?xml version='2.0'?><a/>", "unsupported XML version"},
		{"doctype with entities", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>`, "entity-expansion"},
		{"doctype after root", "<a/><!DOCTYPE a>", "DOCTYPE after"},
		{"cdata outside root", "<![CDATA[x]]><a/>", "outside the root"},
		{"xmlns prefix", "<a xmlns:xmlns='u'/>", "cannot be declared"},
		{"xml prefix rebound", "<a xmlns:xml='u'/>", "can only be bound"},
		{"empty prefix binding", "<a xmlns:p=''/>", "empty URI"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := scanAll(t, strings.NewReader(c.doc))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to mention %q", err, c.want)
			}
			if se.Line < 1 || se.Column < 1 {
				t.Errorf("position %d:%d", se.Line, se.Column)
			}
		})
	}
}

func TestScanAccepts(t *testing.T) {
	for _, doc := range []string{
		"<a/>",
		"\ufeff<a/>"[3:], // BOM is removed before the scanner; here just the element
		"<?xml version='1.0'?><a/>",
		"<?xml version=\"1.0\" encoding='utf-8' standalone='yes' ?>\n<!DOCTYPE a SYSTEM \"a.dtd\">\n<a/>",
		"<a><!----><?pi data?></a><!-- after -->\n",
		"<a xmlns='urn:d' xmlns:p='urn:p'><p:b p:c='1' c='2'/></a>",
		"<a b='&quot;&apos;&gt;'>&#x10FFFF;&#9;</a>",
		"<a>]]&gt; ]] ></a>",
		"<a\n  b\n  =\n  'c'\n></a   >",
		"<données clé='é'>ü</données>",
	} {
		if _, err := scanAll(t, strings.NewReader(doc)); err != nil {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

func TestScanLimits(t *testing.T) {
	deep := strings.Repeat("<a>", 257) + strings.Repeat("</a>", 257)
	if _, err := scanAll(t, strings.NewReader(deep)); err == nil || !strings.Contains(err.Error(), "256 levels") {
		t.Errorf("257 levels: err = %v", err)
	}
	ok := strings.Repeat("<a>", 256) + strings.Repeat("</a>", 256)
	if _, err := scanAll(t, strings.NewReader(ok)); err != nil {
		t.Errorf("256 levels: %v", err)
	}
	sc := newScanner(strings.NewReader("<a b='" + strings.Repeat("x", 5000) + "'/>"))
	sc.maxToken = 1000
	if _, err := sc.next(); err == nil || !strings.Contains(err.Error(), "longer than 1000 bytes") {
		t.Errorf("long attribute: err = %v", err)
	}
	sc = newScanner(strings.NewReader("<a>" + strings.Repeat("x", 5000) + "</a>"))
	sc.maxToken = 1000
	sc.next()
	if _, err := sc.next(); err == nil || !strings.Contains(err.Error(), "longer than 1000 bytes") {
		t.Errorf("long text: err = %v", err)
	}
}

func TestScanReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("<a>"), iotest.ErrReader(errors.New("disk on fire")))
	_, err := scanAll(t, r)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v", err)
	}
}

func TestCharsets(t *testing.T) {
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a b=\"caf\xe9\">\xe0</a>"
	cp1252 := "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x80</a>"
	utf16le := "\xff\xfe" + utf16LE("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>\U0001F600é</a>")
	for _, c := range []struct{ name, in, text string }{
		{"latin1", latin1, "à"},
		{"cp1252", cp1252, "€"},
		{"utf-16le", utf16le, "\U0001F600é"},
		{"utf-8 bom", "\xef\xbb\xbf<a>é</a>", "é"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := openText(strings.NewReader(c.in))
			if err != nil {
				t.Fatal(err)
			}
			toks, err := scanAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(toks) < 2 || toks[1].name != c.text {
				t.Errorf("tokens %v, want text %q", toks, c.text)
			}
		})
	}
	for _, c := range []struct{ name, in, want string }{
		{"unsupported", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>", "unsupported encoding"},
		{"utf-16 declared, 8-bit content", "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", "UTF-16"},
		{"bom conflicts", "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", "byte order mark"},
		{"utf-16 without bom", "\x00<\x00?\x00x", "without a byte order mark"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := openText(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	// declared UTF-8 but Latin-1 bytes: reported by the scanner with a hint
	r, _ := openText(strings.NewReader("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>caf\xe9</a>"))
	if _, err := scanAll(t, r); err == nil || !strings.Contains(err.Error(), "encoding declaration") {
		t.Errorf("latin-1 bytes in UTF-8: %v", err)
	}
}

func utf16LE(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			b.WriteByte(byte(hi))
			b.WriteByte(byte(hi >> 8))
			b.WriteByte(byte(lo))
			b.WriteByte(byte(lo >> 8))
			continue
		}
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	return b.String()
}

func TestScanManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString("<a")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, " a%d='1'", i)
	}
	if _, err := scanAll(t, strings.NewReader(b.String()+" a7='2'/>")); err == nil || !strings.Contains(err.Error(), "a7 appears twice") {
		t.Errorf("duplicate among many: %v", err)
	}
	if _, err := scanAll(t, strings.NewReader(b.String()+"/>")); err != nil {
		t.Errorf("40 attributes: %v", err)
	}
	b.Reset()
	b.WriteString("<a")
	for i := 0; i < maxAttrs+1; i++ {
		fmt.Fprintf(&b, " a%d=''", i)
	}
	if _, err := scanAll(t, strings.NewReader(b.String()+"/>")); err == nil || !strings.Contains(err.Error(), "attributes on <a>") {
		t.Errorf("too many attributes: %v", err)
	}
	b.Reset()
	for i := 0; i < 200; i++ {
		b.WriteString("<a")
		for j := 0; j < 30; j++ {
			fmt.Fprintf(&b, " xmlns:p%d='u%d'", j, i)
		}
		b.WriteString(">")
	}
	if _, err := scanAll(t, strings.NewReader(b.String())); err == nil || !strings.Contains(err.Error(), "namespace declarations in scope") {
		t.Errorf("too many namespace declarations: %v", err)
	}
}
