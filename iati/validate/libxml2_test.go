package validate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestSchemaMatchesLibxml2 mutates the sample files at random (removing,
// duplicating, swapping and inserting elements, removing, adding and
// corrupting attributes, adding text) and checks that the schema validation
// agrees with libxml2's xmllint, which the official IATI validator uses: the
// same documents are valid, and for invalid ones the first problem is the
// same (line and message). It runs only where xmllint is installed.
func TestSchemaMatchesLibxml2(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint (libxml2-utils) is not installed: scripts/setup.sh installs it")
		}
		t.Skip("xmllint (libxml2-utils) is not installed: run scripts/setup.sh")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	shared := filepath.Join("..", "..", "..", "shared", "iati")
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	type job struct{ file, version, kind string }
	var jobs []job
	for _, src := range []struct{ file, version, kind string }{
		{"iom-2.03.xml", "2.03", "activities"},
		{"foodsecurity-2.03.xml", "2.03", "activities"},
		{"annotated-example-2.03.xml", "2.03", "activities"},
		{"annotated-organisation-2.03.xml", "2.03", "organisations"},
		{"ec-elarg-1.04.xml", "1.05", "activities"},
	} {
		f, err := os.Open(filepath.Join(shared, "samples", src.file))
		if err != nil {
			t.Fatalf("samples missing: %v", err)
		}
		root, err := parseXDoc(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 60; i++ {
			doc := cloneX(root)
			// keep a few records to keep files small
			keep := doc.children
			if len(keep) > 3 {
				start := rng.IntN(len(keep) - 2)
				keep = keep[start : start+2]
			}
			doc.children = keep
			for m := 0; m < 1+rng.IntN(3); m++ {
				mutate(doc, rng)
			}
			name := filepath.Join(dir, fmt.Sprintf("%s-%03d.xml", strings.TrimSuffix(src.file, ".xml"), i))
			var b bytes.Buffer
			writeX(&b, doc, nil)
			if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, job{name, src.version, src.kind})
		}
	}
	// libxml2's verdicts, one xmllint call per schema
	ref := map[string][]string{} // file -> "line: message" in order
	valid := map[string]bool{}
	groups := map[string][]string{}
	for _, j := range jobs {
		k := filepath.Join(shared, "schemas", j.version, "iati-"+j.kind+"-schema.xsd")
		groups[k] = append(groups[k], j.file)
	}
	lineRE := regexp.MustCompile(`^(.*\.xml):(\d+): element [^:]*: Schemas validity error : (.*)$`)
	for xsd, files := range groups {
		out, _ := exec.Command(xmllint, append([]string{"--noout", "--schema", xsd}, files...)...).CombinedOutput()
		for _, l := range strings.Split(string(out), "\n") {
			if m := lineRE.FindStringSubmatch(l); m != nil {
				ref[m[1]] = append(ref[m[1]], m[2]+": "+m[3])
			} else if strings.HasSuffix(l, " validates") {
				valid[strings.TrimSuffix(l, " validates")] = true
			}
		}
	}
	disagree, invalid := 0, 0
	for _, j := range jobs {
		s, err := embeddedSchema(j.version, j.kind)
		if err != nil {
			t.Fatal(err)
		}
		var mine []string
		v := newSchemaValidator(s, func(line, col int, path, msg string) { mine = append(mine, fmt.Sprintf("%d: %s", line, msg)) })
		data, _ := os.ReadFile(j.file)
		sc := newScanner(bytes.NewReader(data))
		for done := false; !done; {
			k, err := sc.next()
			if err != nil {
				t.Fatalf("%s: %v", j.file, err)
			}
			switch k {
			case tokStart:
				v.start(sc.name, sc.prefix, sc.attrs, sc.tokLine, sc.tokCol)
			case tokText:
				v.text(sc.text)
			case tokEnd:
				v.end()
			case tokEOF:
				done = true
			}
		}
		theirs := ref[j.file]
		if !valid[j.file] {
			invalid++
		}
		switch {
		case valid[j.file] != (len(mine) == 0):
			t.Errorf("%s: libxml2 valid=%v, here %d problems: %q vs %q", filepath.Base(j.file), valid[j.file], len(mine), mine, theirs)
			disagree++
		case len(mine) > 0 && len(theirs) > 0 && sameFirst(mine, theirs) == false:
			t.Errorf("%s: first problem differs:\n here    %s\n libxml2 %s", filepath.Base(j.file), mine[0], theirs[0])
			disagree++
		}
		if disagree > 10 {
			t.Fatal("too many disagreements")
		}
	}
	t.Logf("%d documents, %d invalid according to libxml2", len(jobs), invalid)
	if invalid < len(jobs)/3 {
		t.Errorf("only %d of %d mutated documents are invalid: the mutations are too weak to test anything", invalid, len(jobs))
	}
}

// sameFirst compares the first problems, ignoring the "Expected is" list,
// which libxml2 sometimes leaves out or orders differently.
func sameFirst(mine, theirs []string) bool {
	cut := func(s string) string {
		if i := strings.Index(s, " Expected is"); i >= 0 {
			return s[:i]
		}
		return s
	}
	sort.SliceStable(mine, func(i, j int) bool { return lineOf(mine[i]) < lineOf(mine[j]) })
	return cut(mine[0]) == cut(theirs[0])
}

func lineOf(s string) int {
	n := 0
	fmt.Sscanf(s, "%d:", &n)
	return n
}

func cloneX(n *xnode) *xnode {
	c := *n
	c.attrs = append([]xattr(nil), n.attrs...)
	c.children = make([]*xnode, len(n.children))
	for i, ch := range n.children {
		c.children[i] = cloneX(ch)
	}
	return &c
}

var garbage = []string{"xx", "2020-13-01", "1,5", "", " 12 ", "true", "2019-02-30", "2019-02-28T25:00:00", "-5", "1e3", "NaN", "http://a b/%zz", "0", "+7.5", "2019-02-28T10:00:00Z"}

func mutate(root *xnode, rng *rand.Rand) {
	var all []*xnode
	var walk func(*xnode)
	walk = func(n *xnode) {
		all = append(all, n)
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	if len(all) < 2 {
		return
	}
	e := all[1+rng.IntN(len(all)-1)]
	switch rng.IntN(9) {
	case 0: // remove a child
		if len(e.children) > 0 {
			i := rng.IntN(len(e.children))
			e.children = append(e.children[:i], e.children[i+1:]...)
		}
	case 1: // duplicate a child
		if len(e.children) > 0 {
			i := rng.IntN(len(e.children))
			e.children = append(e.children[:i+1], append([]*xnode{cloneX(e.children[i])}, e.children[i+1:]...)...)
		}
	case 2: // swap two children
		if len(e.children) > 1 {
			i, j := rng.IntN(len(e.children)), rng.IntN(len(e.children))
			e.children[i], e.children[j] = e.children[j], e.children[i]
		}
	case 3: // remove an attribute
		if len(e.attrs) > 0 {
			i := rng.IntN(len(e.attrs))
			e.attrs = append(e.attrs[:i], e.attrs[i+1:]...)
		}
	case 4: // add an attribute
		names := []qname{{"", "bogus"}, {"urn:ext", "ext"}, {"", "code"}, {"", "iso-date"}, {"", "percentage"}, {nsXML, "lang"}}
		n := names[rng.IntN(len(names))]
		for _, a := range e.attrs {
			if a.name == n {
				return
			}
		}
		e.attrs = append(e.attrs, xattr{n, garbage[rng.IntN(len(garbage))]})
	case 5: // corrupt an attribute value
		if len(e.attrs) > 0 {
			e.attrs[rng.IntN(len(e.attrs))].value = garbage[rng.IntN(len(garbage))]
		}
	case 6: // insert an element
		names := []qname{{"urn:ext", "foo"}, {"", "bogus"}, {"", "narrative"}, {"", "title"}}
		c := &xnode{name: names[rng.IntN(len(names))]}
		i := rng.IntN(len(e.children) + 1)
		e.children = append(e.children[:i], append([]*xnode{c}, e.children[i:]...)...)
	case 7, 8: // text
		e.text = garbage[rng.IntN(len(garbage))] + "x"
	}
}

// writeX serialises a document; namespaces get prefixes n0, n1, ...
func writeX(b *bytes.Buffer, n *xnode, prefixes map[string]string) {
	top := prefixes == nil
	if top {
		prefixes = map[string]string{}
		var collect func(*xnode)
		collect = func(x *xnode) {
			for _, ns := range append([]string{x.name.Space}, attrSpaces(x)...) {
				if ns != "" && ns != nsXML && prefixes[ns] == "" {
					prefixes[ns] = fmt.Sprintf("n%d", len(prefixes))
				}
			}
			for _, c := range x.children {
				collect(c)
			}
		}
		collect(n)
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	}
	qn := func(q qname) string {
		switch q.Space {
		case "":
			return q.Local
		case nsXML:
			return "xml:" + q.Local
		}
		return prefixes[q.Space] + ":" + q.Local
	}
	b.WriteString("<" + qn(n.name))
	if top {
		for ns, p := range prefixes {
			fmt.Fprintf(b, " xmlns:%s=%q", p, ns)
		}
	}
	for _, a := range n.attrs {
		fmt.Fprintf(b, " %s=\"%s\"", qn(a.name), escapeX(a.value))
	}
	b.WriteString(">")
	if len(n.children) == 0 {
		b.WriteString(escapeX(n.text))
	}
	for _, c := range n.children {
		b.WriteString("\n")
		writeX(b, c, prefixes)
	}
	b.WriteString("</" + qn(n.name) + ">")
}

func attrSpaces(x *xnode) []string {
	var out []string
	for _, a := range x.attrs {
		out = append(out, a.name.Space)
	}
	return out
}

func escapeX(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", "\"", "&quot;").Replace(s)
}
