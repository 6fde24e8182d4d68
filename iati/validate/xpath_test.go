package validate

import (
	"math"
	"strings"
	"testing"
)

// buildTree reads a small document into a tree the way the validator does:
// the root element heads the tree and everything below it is kept.
func buildTree(tb testing.TB, doc string) *tree {
	tb.Helper()
	sc := newScanner(strings.NewReader(doc))
	paths := newPathTable()
	t := &tree{}
	for {
		k, err := sc.next()
		if err != nil {
			tb.Fatalf("scanning test document: %v", err)
		}
		switch k {
		case tokStart:
			if sc.depth() == 1 {
				root := rootInfo{name: sc.name, prefix: sc.prefix, line: sc.tokLine, col: sc.tokCol}
				for _, a := range sc.attrs {
					if !a.isNS {
						root.attrs = append(root.attrs, scanAttr{Name: a.Name, Prefix: a.Prefix, Value: append([]byte(nil), a.Value...)})
					}
				}
				t.begin(&root, paths)
				continue
			}
			t.startElem(sc.name, sc.prefix, sc.attrs, sc.tokLine, sc.tokCol)
		case tokText:
			if sc.depth() > 0 {
				t.text(sc.text, sc.tokLine, sc.tokCol)
			}
		case tokEnd:
			if sc.depth() > 0 {
				t.endElem()
			}
		case tokEOF:
			t.finish(paths)
			return t
		}
	}
}

const xpDoc = `<iati-activities version="2.03">
 <iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>GB-1-A</iati-identifier>
  <reporting-org ref="GB-1" type="10"><narrative>Org</narrative></reporting-org>
  <title><narrative>Title</narrative><narrative xml:lang="fr">Titre</narrative></title>
  <sector vocabulary="1" code="111" percentage="60"/>
  <sector code="112" percentage="40"/>
  <sector vocabulary="99" code="A" percentage="100"><narrative>Own</narrative></sector>
  <budget><value currency="USD">10</value></budget>
  <transaction><transaction-type code="3"/><value>5.5</value></transaction>
  <transaction><transaction-type code="4"/><value>4.5</value><sector code="1"/></transaction>
  <result><title><narrative>R</narrative></title><indicator measure="1"><title><narrative>I</narrative></title></indicator></result>
 </iati-activity>
</iati-activities>`

func TestXPathEval(t *testing.T) {
	tr := buildTree(t, xpDoc)
	e := &xeval{t: tr}
	activity := mustXPath("/iati-activities/iati-activity")
	tr.refreshNames()
	act := e.nodes(activity, 0)
	if len(act) != 1 {
		t.Fatalf("activity not found: %v", act)
	}
	ctx := act[0]
	for _, c := range []struct {
		expr string
		want string // string() of the result, or count for node-sets as "#n"
	}{
		{"count(sector)", "3"},
		{"count(sector[@vocabulary='1' or not(@vocabulary)])", "2"},
		{"count(sector[@vocabulary = '' or @vocabulary = '1' or not(@vocabulary)]/@percentage)", "2"},
		{"sum(sector[not(@vocabulary='99')]/@percentage)", "100"},
		{"sector[2]/@code", "112"},
		{"sector[last()]/@code", "A"},
		{"sector[position() = 1]/@code", "111"},
		{"(sector/@code)[3]", "A"},
		{"count(//narrative)", "6"},
		{"count(//title)", "3"},
		{"count(//title/narrative)", "4"},
		{"count(descendant::narrative[@xml:lang])", "1"},
		{"count(//narrative[1])", "5"},   // the first narrative of each parent
		{"count((//narrative)[1])", "1"}, // the first narrative of the document
		{"string(title/narrative)", "Title"},
		{"title/narrative[@xml:lang='fr']", "Titre"},
		{"@xml:lang", "en"},
		{"@default-currency = 'EUR'", "true"},
		{"@default-currency != 'EUR'", "false"},
		{"sector/@percentage = 40", "true"},  // some node equals
		{"sector/@percentage != 40", "true"}, // some node differs
		{"sector/@percentage > 90", "true"},  // 100
		{"not(sector/@percentage > 100)", "true"},
		{"count(transaction[sector])", "1"},
		{"count(transaction[not(sector)])", "1"},
		{"transaction[transaction-type/@code='4']/value", "4.5"},
		{"sum(transaction/value) + 1", "11"},
		{"count(result/indicator/../title)", "1"},
		{"count(sector | sector[1] | budget)", "4"},
		{"name(*[1])", "iati-identifier"},
		{"local-name(@xml:lang)", "lang"},
		{"count(ancestor::*)", "1"},
		{"count(reporting-org/following-sibling::sector)", "3"},
		{"count(sector[1]/preceding-sibling::*)", "3"},
		{"string(sector[3]/preceding-sibling::*[1]/@code)", "112"},
		{"contains(iati-identifier, '-1-')", "true"},
		{"starts-with(iati-identifier, reporting-org/@ref)", "true"},
		{"substring-after(iati-identifier, 'GB-')", "1-A"},
		{"substring('12345', 2, 3)", "234"},
		{"string-length(iati-identifier)", "6"},
		{"normalize-space('  a   b ')", "a b"},
		{"translate('abc', 'ab', 'B')", "Bc"},
		{"concat('a', 1, true())", "a1true"},
		{"number('1,5')", "NaN"},
		{"number(' 12 ')", "12"},
		{"floor(2.5) + ceiling(2.1) + round(2.5)", "8"},
		{"7 mod 3", "1"},
		{"10 div 4", "2.5"},
		{"-sector[1]/@percentage", "-60"},
		{"1 = '1'", "true"},
		{"true() = 'x'", "true"},
		{"count(text())", "0"}, // white space between elements is not kept
		{"count(title/narrative/text())", "2"},
		{"boolean(nothing)", "false"},
		{"count(/)", "1"},
		{"count(//*[@code])", "6"},
		{"count(//node()[self::sector])", "4"},
		{"count((sector | budget)/@code)", "3"},
		{"count((transaction)[2]//sector)", "1"},
		{"string((//narrative)[last()])", "I"},
	} {
		x, err := compileXPath(c.expr)
		if err != nil {
			t.Errorf("%s: compile: %v", c.expr, err)
			continue
		}
		tr.refreshNames()
		v := e.value(x, ctx)
		got := e.toStr(v)
		if v.k == vNodes && strings.HasPrefix(c.want, "#") {
			got = "#" + numToString(float64(len(v.nodes)))
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestXPathLoopVariable(t *testing.T) {
	tr := buildTree(t, xpDoc)
	activity := mustXPath("/iati-activities/iati-activity")
	x, err := compileXPathSubst("count(sector[@vocabulary = '$1']) + count(sector[@vocabulary = $1])", true)
	if err != nil {
		t.Fatal(err)
	}
	tr.refreshNames()
	act := (&xeval{t: tr}).nodes(activity, 0)[0]
	e := &xeval{t: tr, loop: "99"}
	if got := e.toNum(e.value(x, act)); got != 2 {
		t.Errorf("with $1 = 99: %v, want 2", got)
	}
	lit, _ := compileXPathSubst("'$1'", false)
	if got := e.toStr(e.value(lit, act)); got != "$1" {
		t.Errorf("without substitution: %q, want $1", got)
	}
}

func TestXPathErrors(t *testing.T) {
	for _, src := range []string{
		"", "a[", "a[@b=]", "'unterminated", "foo(1)", "a/", "a::b", "ns:el", "$x", "count()", "@", "a b", "1 +", "(a",
	} {
		if _, err := compileXPath(src); err == nil {
			t.Errorf("%q: compiled, want an error", src)
		}
	}
}

func TestXPathFoldDescendants(t *testing.T) {
	for _, c := range []struct {
		expr  string
		steps int
	}{
		{"//title", 1},
		{"//title/narrative", 2},
		{"//narrative[1]", 2},         // positional: not folded
		{"//narrative[@x='1']", 1},    // boolean predicate: folded
		{"a//b[count(c) > 1]", 2},     // comparison is boolean: folded
		{"a//b[count(c)]", 3},         // a number: positional
		{"//b[position() = 2]", 2},    // position(): not folded
		{"/iati-activities//b", 2},    // absolute
		{"//@xml:lang", 2},            // attribute axis: not a child step
		{"//node()[self::sector]", 1}, // node() is a child step
	} {
		x := mustXPath(c.expr)
		if len(x.steps) != c.steps {
			t.Errorf("%s: %d steps, want %d", c.expr, len(x.steps), c.steps)
		}
	}
}

func TestStrToNum(t *testing.T) {
	for s, want := range map[string]float64{"1": 1, " -2.5 ": -2.5, ".5": 0.5, "5.": 5} {
		if got := strToNum(s); got != want {
			t.Errorf("strToNum(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"", "1e3", "+1", "1,5", "abc", "-", ".", "Infinity"} {
		if got := strToNum(s); !math.IsNaN(got) {
			t.Errorf("strToNum(%q) = %v, want NaN", s, got)
		}
	}
}

func TestJSNumber(t *testing.T) {
	for s, want := range map[string]float64{"": 0, " 12 ": 12, "1e2": 100, "+5": 5, "0x10": 16, "-Infinity": math.Inf(-1), ".5": 0.5} {
		if got := jsNumber(s); got != want {
			t.Errorf("jsNumber(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"1,5", "abc", "1e", "0x", "inf", "nan", "1_000", "."} {
		if got := jsNumber(s); !math.IsNaN(got) {
			t.Errorf("jsNumber(%q) = %v, want NaN", s, got)
		}
	}
}

func TestParseJSDate(t *testing.T) {
	ok := map[string]string{
		"2020-02-29":                "2020-02-29T00:00:00Z",
		"2020":                      "2020-01-01T00:00:00Z",
		"2020-03":                   "2020-03-01T00:00:00Z",
		"2020-01-01T10:20":          "2020-01-01T10:20:00Z",
		"2020-01-01T10:20:30.5Z":    "2020-01-01T10:20:30.5Z",
		"2020-01-01T10:20:30+02:00": "2020-01-01T08:20:30Z",
		"2020-01-01 10:20:30":       "2020-01-01T10:20:30Z",
		" 2020-01-01 ":              "2020-01-01T00:00:00Z",
	}
	for in, want := range ok {
		d, good := parseJSDate(in)
		if !good {
			t.Errorf("parseJSDate(%q) failed", in)
			continue
		}
		if got := d.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"); got != want {
			t.Errorf("parseJSDate(%q) = %s, want %s", in, got, want)
		}
	}
	for _, in := range []string{"", "2019-02-29", "2020-13-01", "20200101", "01/02/2020", "2020-01-01T25:00", "2020-1-1", "soon"} {
		if _, good := parseJSDate(in); good {
			t.Errorf("parseJSDate(%q) succeeded, want failure", in)
		}
	}
}
