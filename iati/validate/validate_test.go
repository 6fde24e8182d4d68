package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tcmis/tcmis/iati/iatigen"
	"github.com/tcmis/tcmis/iati/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sharedDir is the folder of IATI reference material that sits beside the
// repository (../shared in CI).
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "iati"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "schema-tests")); err != nil {
		t.Fatalf("the IATI reference material is missing: %s should hold schemas, codelists, samples and schema-tests (it is shared/iati beside the repository): %v", dir, err)
	}
	return dir
}

func newValidator(t testing.TB, opts validate.Options) *validate.Validator {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	v, err := validate.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

// countBy counts problems by rule id.
func countBy(rep *validate.Report) map[string]int {
	m := map[string]int{}
	for _, p := range rep.Problems {
		m[p.RuleID]++
	}
	return m
}

// TestSchemaConformance runs the IATI schema test suite: every should-pass
// document must be schema-valid and every should-fail document invalid. The
// documents declare version="xx", so the schema version is forced.
func TestSchemaConformance(t *testing.T) {
	root := filepath.Join(sharedDir(t), "schema-tests", "2.03")
	v := newValidator(t, validate.Options{SchemaVersion: "2.03", NoRules: true, NoCodelists: true})
	counts := map[string]int{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".xml") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		shouldPass := strings.HasPrefix(rel, "should-pass")
		kind := strings.Split(rel, string(filepath.Separator))[1]
		counts[fmt.Sprintf("%v %s", shouldPass, kind)]++
		rep, err := v.ValidateFile(path)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		n := countBy(rep)[validate.RuleSchema]
		if want := "iati-" + strings.TrimPrefix(kind, "iati-"); rep.DocumentType != want {
			t.Errorf("%s: document type %q, want %q", rel, rep.DocumentType, want)
		}
		if shouldPass && n > 0 {
			t.Errorf("%s: should pass, got %d schema problems: %+v", rel, n, rep.Problems)
		}
		if !shouldPass && n == 0 {
			t.Errorf("%s: should fail, got no schema problem", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"true iati-activities": 157, "true iati-organisations": 6, "false iati-activities": 98, "false iati-organisations": 3}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d documents, want %d (is the suite complete?)", k, counts[k], n)
		}
	}
}

type sampleWant struct {
	file          string
	docType       string
	schemaVersion string
	activities    int
	byRule        map[string]int // every rule id that occurs, with its count
	errors        int
	warnings      int
}

// TestSamples checks real published files. The expected counts were worked
// out independently of this package: schema validity with xmllint (libxml2)
// against the same XSD files, and rule results by hand or with short scripts
// over the files (for example, iom-2.03.xml has exactly 300 budgets whose
// period is longer than 365 days).
func TestSamples(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "samples")
	v := newValidator(t, validate.Options{})
	for _, c := range []sampleWant{
		{
			// IOM's file is schema-valid and uses no unknown codes; 300 budgets
			// span more than a year (7.5.3); one activity has regions and
			// countries adding up to 200% (3.4.2), and one has no recipient
			// country or region anywhere, neither at activity level nor in its
			// only transaction (3.7.1 and 3.7.2).
			file: "iom-2.03.xml", docType: "iati-activities", schemaVersion: "2.03", activities: 577,
			byRule: map[string]int{"7.5.3": 300, "3.4.2": 1, "3.7.1": 1, "3.7.2": 1},
			errors: 303,
		},
		{
			// The d-portal export is schema-valid (libxml2 agrees). Its
			// problems are codes: all 332 xml:lang values are upper case or
			// three letters ("EN", "ENG", "DE"), which the Language codelist
			// does not have (a warning: that list is not complete); and rules:
			// an identifier with "/" (1.3.13), a participating-org ref "N/A"
			// (1.8.13), a provider-org with neither ref nor name (6.9.1), an
			// activity with only non-DAC sector vocabularies (102.1.1), and two
			// reporting-org refs "DE-1" whose prefix is not a registration
			// agency (1.14.8).
			file: "foodsecurity-2.03.xml", docType: "iati-activities", schemaVersion: "2.03", activities: 7,
			byRule: map[string]int{"codelist:Language": 332, "1.3.13": 1, "1.8.13": 1, "6.9.1": 1, "102.1.1": 1, "1.14.8": 2},
			errors: 1, warnings: 337,
		},
		{
			file: "annotated-example-2.03.xml", docType: "iati-activities", schemaVersion: "2.03", activities: 1,
			byRule: map[string]int{"1.14.8": 1, "codelist:CRSChannelCode": 1, "codelist:Region": 1, "3.6.2": 1, "3.4.2": 2,
				"102.1.1": 1, "6.6.2": 1, "6.13.1": 1, "8.11.1": 1},
			errors: 8, warnings: 2,
		},
		{
			file: "annotated-organisation-2.03.xml", docType: "iati-organisations", schemaVersion: "2.03", activities: 1,
			byRule:   map[string]int{"1.18.8": 1},
			warnings: 1,
		},
		{
			// A version 1.04 file: schema-valid against 1.05, and only the
			// schema is checked.
			file: "ec-elarg-1.04.xml", docType: "iati-activities", schemaVersion: "1.05", activities: 105,
			byRule: map[string]int{"version": 1},
		},
	} {
		t.Run(c.file, func(t *testing.T) {
			rep, err := v.ValidateFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if rep.DocumentType != c.docType || rep.SchemaVersion != c.schemaVersion || rep.Activities != c.activities {
				t.Errorf("document %q, schema %s, %d activities; want %q, %s, %d",
					rep.DocumentType, rep.SchemaVersion, rep.Activities, c.docType, c.schemaVersion, c.activities)
			}
			got := countBy(rep)
			if fmt.Sprint(got) != fmt.Sprint(c.byRule) {
				t.Errorf("problems by rule:\n got %v\nwant %v", got, c.byRule)
			}
			if rep.Errors() != c.errors || rep.Warnings() != c.warnings {
				t.Errorf("%d errors, %d warnings; want %d, %d", rep.Errors(), rep.Warnings(), c.errors, c.warnings)
			}
			for _, p := range rep.Problems {
				if p.Line < 1 || p.Column < 1 {
					t.Errorf("problem without a position: %+v", p)
				}
				if p.RuleID != "version" && p.Activity == "" {
					t.Errorf("problem without an activity: %+v", p)
				}
			}
		})
	}
}

// TestGolden compares the JSON report of a sample with the golden file;
// run with -update to rewrite it.
func TestGolden(t *testing.T) {
	path := filepath.Join(sharedDir(t), "samples", "annotated-example-2.03.xml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := newValidator(t, validate.Options{}).Validate(f, "annotated-example-2.03.xml")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := validate.WriteJSON(&got, rep); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "annotated-example-2.03.golden.json")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("JSON report differs from %s (run go test -update if the change is intended):\n%s", golden, got.String())
	}
}

func TestWriteText(t *testing.T) {
	doc := activityDoc("", "<iati-identifier>A</iati-identifier>")
	rep, err := newValidator(t, validate.Options{NoRules: true}).Validate(strings.NewReader(doc), "x.xml")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := validate.WriteText(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`x.xml: iati-activities, version "2.03" (schema 2.03), 1 activity: 1 errors, 0 warnings, 0 notes`,
		"x.xml:1:33: error [schema] Element 'iati-activity': Missing child element(s). Expected is ( reporting-org ).",
		"\tactivity A",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteJSONShape(t *testing.T) {
	rep := &validate.Report{File: "f", Problems: []validate.Problem{{RuleID: "r", Severity: "warning", Line: 1, Column: 2}}}
	var b bytes.Buffer
	if err := validate.WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "activities,documentType,errors,file,problems,schemaVersion,version,warnings" {
		t.Errorf("top-level keys %s", got)
	}
	p := m["problems"].([]any)[0].(map[string]any)
	if p["ruleId"] != "r" || p["severity"] != "warning" || p["line"] != 1.0 || p["column"] != 2.0 {
		t.Errorf("problem %v", p)
	}
}

// TestStandardRules runs the embedded standard ruleset on small activities.
func TestStandardRules(t *testing.T) {
	v := newValidator(t, validate.Options{NoCodelists: true})
	const base = `<iati-identifier>XM-DAC-41114-1</iati-identifier><reporting-org ref="XM-DAC-41114" type="40"><narrative>O</narrative></reporting-org>
		<title><narrative>T</narrative></title><description><narrative>D</narrative></description>
		<participating-org role="1" ref="XM-DAC-41114"/><activity-status code="2"/>`
	for _, c := range []struct {
		name  string
		attrs string
		body  string
		want  []string // rule ids, sorted
	}{
		{"clean", ` xml:lang="en" default-currency="EUR"`, base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>`, nil},
		{"no start date, no sector, no country", ` xml:lang="en" default-currency="EUR"`, base + `<activity-date type="3" iso-date="2020-01-01"/>`,
			[]string{"3.7.1", "6.11.1", "6.2.2"}},
		{"no language", ` default-currency="EUR"`, base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>`,
			[]string{"4.1.1"}},
		{"dates out of order and in the future", ` xml:lang="en" default-currency="EUR" last-updated-datetime="2030-01-01T00:00:00Z"`,
			base + `<activity-date type="1" iso-date="2021-01-01"/><activity-date type="3" iso-date="2020-01-01"/><activity-date type="2" iso-date="2025-01-01"/><recipient-country code="AF"/><sector code="11110"/>`,
			[]string{"11.1.1", "11.1.2", "11.1.4"}},
		{"sector percentages", ` xml:lang="en" default-currency="EUR"`,
			base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110" percentage="60"/><sector code="11120" percentage="30"/><sector vocabulary="2" code="111"/><sector vocabulary="2" code="112" percentage="100"/>`,
			[]string{"2.1.1", "2.1.2"}}, // vocabulary 1 adds up to 90; vocabulary 2 to 100 but not every sector has a percentage
		{"countries without percentages", ` xml:lang="en" default-currency="EUR"`,
			base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><recipient-country code="BD" percentage="120"/><sector code="11110"/>`,
			[]string{"12.1.1", "3.1.1", "3.1.2"}},
		{"identifier", ` xml:lang="en" default-currency="EUR"`,
			strings.Replace(base, "XM-DAC-41114-1<", " XX-1/2<", 1) + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>`,
			[]string{"1.1.21", "1.3.1", "1.3.13"}},
		{"quantitative indicator without values", ` xml:lang="en" default-currency="EUR"`,
			base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>
			<result type="1"><title><narrative>R</narrative></title><indicator measure="1"><title><narrative>I</narrative></title>
			<baseline year="2020" value="1,5"/><period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><target/><actual value="3"/></period></indicator></result>`,
			[]string{"8.8.2", "8.9.1"}},
		{"qualitative indicator with a value", ` xml:lang="en" default-currency="EUR"`,
			base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>
			<result type="1"><title><narrative>R</narrative></title><indicator measure="5"><title><narrative>I</narrative></title>
			<period><period-start iso-date="2020-12-31"/><period-end iso-date="2020-01-01"/><target value="x"/></period></indicator></result>`,
			[]string{"8.6.1", "8.9.3"}},
		{"empty title narrative", ` xml:lang="en" default-currency="EUR"`,
			strings.Replace(base, "<narrative>T</narrative>", "<narrative/>", 1) + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>`,
			[]string{"4.3.1"}},
		{"budget too long and transactions in the future", ` xml:lang="en"`,
			base + `<activity-date type="2" iso-date="2020-01-01"/><recipient-country code="AF"/><sector code="11110"/>
			<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2021-06-30"/><value currency="EUR" value-date="2020-01-01">1</value></budget>
			<transaction><transaction-type code="3"/><transaction-date iso-date="2025-01-01"/><value value-date="2025-01-01">1</value></transaction>`,
			[]string{"11.2.1", "11.2.2", "7.5.3", "7.8.1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := v.Validate(strings.NewReader(activityDoc(c.attrs, c.body)), "t.xml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rep.Problems {
				if p.RuleID != validate.RuleSchema {
					got = append(got, p.RuleID)
				}
			}
			sort.Strings(got)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("rules %v, want %v\n%+v", got, c.want, rep.Problems)
			}
		})
	}
}

func TestCodelists(t *testing.T) {
	v := newValidator(t, validate.Options{NoRules: true})
	doc := `<iati-activities version="2.03" xml:lang="EN"><iati-activity default-currency="EURO">
		<sector code="99999"/><sector vocabulary="2" code="111"/><sector vocabulary="2" code="99999"/><sector vocabulary="99" code="anything"/>
		<recipient-country code="XX"/><activity-status code="9"/>
		<crs-add><channel-code>nope</channel-code></crs-add></iati-activity></iati-activities>`
	rep, err := v.Validate(strings.NewReader(doc), "c.xml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range rep.Problems {
		if strings.HasPrefix(p.RuleID, "codelist:") {
			got[p.RuleID+" "+p.Path] = p.Severity
		}
	}
	want := map[string]string{
		"codelist:Language /iati-activities/@xml:lang":                                       "warning",
		"codelist:Currency /iati-activities/iati-activity/@default-currency":                 "error",
		"codelist:Sector /iati-activities/iati-activity/sector/@code":                        "error",
		"codelist:SectorCategory /iati-activities/iati-activity/sector/@code":                "error",
		"codelist:Country /iati-activities/iati-activity/recipient-country/@code":            "warning",
		"codelist:ActivityStatus /iati-activities/iati-activity/activity-status/@code":       "error",
		"codelist:CRSChannelCode /iati-activities/iati-activity/crs-add/channel-code/text()": "error",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("codelist problems:\n got %v\nwant %v", got, want)
	}
	if n := countBy(rep)["codelist:Sector"]; n != 1 {
		t.Errorf("%d Sector problems, want 1 (vocabulary 99 is not checked)", n)
	}
}

func TestHostileInput(t *testing.T) {
	v := newValidator(t, validate.Options{})
	huge := "<iati-activities version=\"2.03\"><iati-activity><iati-identifier x=\"" + strings.Repeat("a", 17<<20) + "\"/></iati-activity></iati-activities>"
	for _, c := range []struct {
		name, in, want string
	}{
		{"not XML", "%PDF-1.4 binary", "not XML"},
		{"empty", "", "empty"},
		{"truncated", "<iati-activities version=\"2.03\"><iati-activity><iati-identifier>A</iati-ident", "inside an end tag"},
		{"wrong encoding declaration", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><iati-activities><x>caf\xe9</x></iati-activities>", "invalid UTF-8"},
		{"unknown encoding", "<?xml version=\"1.0\" encoding=\"EBCDIC-FR\"?><a/>", "unsupported encoding"},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><iati-activities>&lol1;</iati-activities>`, "entity-expansion"},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>`, "internal subset"},
		{"undefined entity", `<iati-activities>&xxe;</iati-activities>`, "undefined entity"},
		{"deep nesting", strings.Repeat("<a>", 100000), "256 levels"},
		{"huge attribute", huge, "longer than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := v.Validate(strings.NewReader(c.in), "bad.xml")
			var se *validate.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "bad.xml:") {
				t.Errorf("err = %q, want bad.xml:line:col and %q", err, c.want)
			}
			if rep == nil || len(rep.Problems) == 0 || rep.Problems[len(rep.Problems)-1].RuleID != validate.RuleXML {
				t.Errorf("report should end with the xml problem: %+v", rep)
			}
		})
	}
}

// A syntax error in the middle of a file keeps what was found before it.
func TestPartialReport(t *testing.T) {
	doc := "<iati-activities version=\"2.03\">\n<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n<iati-activity><iati-identifier>B</iati-identifier><title>&bad;</title></iati-activity></iati-activities>"
	rep, err := newValidator(t, validate.Options{}).Validate(strings.NewReader(doc), "p.xml")
	var se *validate.SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || se.Column != 59 {
		t.Fatalf("err = %#v, want a syntax error at 3:59", err)
	}
	if rep.Activities != 2 {
		t.Errorf("%d activities, want 2 (the second one partial)", rep.Activities)
	}
	acts := map[string]bool{}
	for _, p := range rep.Problems {
		acts[p.Activity] = true
	}
	if !acts["A"] || !acts["B"] {
		t.Errorf("problems of both activities expected: %+v", rep.Problems)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n--
		return copy(p, "<iati-activities version=\"2.03\">"), nil
	}
	return 0, errors.New("network unreachable")
}

func TestReadError(t *testing.T) {
	_, err := newValidator(t, validate.Options{}).Validate(&failingReader{n: 1}, "net.xml")
	if err == nil || !strings.Contains(err.Error(), "network unreachable") || !strings.Contains(err.Error(), "net.xml") {
		t.Errorf("err = %v", err)
	}
}

func TestVersions(t *testing.T) {
	v := newValidator(t, validate.Options{NoRules: true, NoCodelists: true})
	for _, c := range []struct{ root, schema, rule string }{
		{`<iati-activities version="2.01">`, "2.01", ""},
		{`<iati-activities version="2.02">`, "2.02", ""},
		{`<iati-activities version="1.03">`, "1.05", "version"},
		{`<iati-activities>`, "1.05", "version"},
		{`<iati-activities version="9.9">`, "2.03", "version"},
		{`<iati-organisations version="2.02">`, "2.02", ""},
	} {
		end := "</" + strings.Fields(strings.Trim(c.root, "<>"))[0] + ">"
		rep, err := v.Validate(strings.NewReader(c.root+end), "v.xml")
		if err != nil {
			t.Fatal(err)
		}
		if rep.SchemaVersion != c.schema {
			t.Errorf("%s: schema %s, want %s", c.root, rep.SchemaVersion, c.schema)
		}
		if got := countBy(rep)["version"] > 0; got != (c.rule != "") {
			t.Errorf("%s: version problem %v: %+v", c.root, got, rep.Problems)
		}
	}
	rep, err := v.Validate(strings.NewReader("<html><body/></html>"), "h.xml")
	if err != nil {
		t.Fatal(err)
	}
	if rep.DocumentType != "" || countBy(rep)["schema"] != 1 {
		t.Errorf("not IATI: %+v", rep)
	}
	if _, err := validate.New(validate.Options{SchemaVersion: "3.0"}); err == nil {
		t.Errorf("unknown schema version accepted")
	}
}

func TestDuplicateIdentifiers(t *testing.T) {
	doc := "<iati-activities version=\"2.03\">\n<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n<iati-activity><iati-identifier> A </iati-identifier></iati-activity>\n</iati-activities>"
	rep, err := newValidator(t, validate.Options{NoRules: true, NoCodelists: true}).Validate(strings.NewReader(doc), "d.xml")
	if err != nil {
		t.Fatal(err)
	}
	var dups []validate.Problem
	for _, p := range rep.Problems {
		if p.RuleID == validate.RuleDuplicate {
			dups = append(dups, p)
		}
	}
	if len(dups) != 1 || dups[0].Line != 3 || !strings.Contains(dups[0].Detail, "line 2") {
		t.Errorf("duplicates %+v", dups)
	}
}

func TestMaxProblems(t *testing.T) {
	doc := activityDoc("", strings.Repeat(`<bogus/>`, 10)+strings.Repeat(`<sector code="x"/>`, 10))
	rep, err := newValidator(t, validate.Options{MaxProblems: 3}).Validate(strings.NewReader(doc), "m.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 3 || rep.Omitted == 0 {
		t.Errorf("%d problems kept, %d omitted", len(rep.Problems), rep.Omitted)
	}
}

func TestRulesetPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rs.json")
	os.WriteFile(path, []byte(oneCaseRuleset("/iati-activities/iati-activity", "atleast_one", `"paths": ["sector"]`)), 0o644)
	rep, err := newValidator(t, validate.Options{RulesetPath: path, NoCodelists: true}).Validate(strings.NewReader(activityDoc("", "")), "r.xml")
	if err != nil {
		t.Fatal(err)
	}
	if countBy(rep)["T"] != 1 {
		t.Errorf("ruleset from file not applied: %+v", rep.Problems)
	}
	if _, err := validate.New(validate.Options{RulesetPath: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Errorf("missing ruleset file accepted")
	}
}

// The validator is safe for concurrent use, and gives the same report each
// time.
func TestConcurrentUse(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "samples", "iom-2.03.xml"))
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, validate.Options{})
	var wg sync.WaitGroup
	outs := make([]string, 6)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := v.Validate(bytes.NewReader(data), "iom")
			if err != nil {
				outs[i] = err.Error()
				return
			}
			var b bytes.Buffer
			validate.WriteJSON(&b, rep)
			outs[i] = b.String()
		}()
	}
	wg.Wait()
	for i := 1; i < len(outs); i++ {
		if outs[i] != outs[0] {
			t.Fatalf("run %d differs from run 0", i)
		}
	}
}

// Reading the input in tiny pieces gives the same report.
func TestSmallReads(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "samples", "foodsecurity-2.03.xml"))
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, validate.Options{})
	a, err := v.Validate(bytes.NewReader(data), "f")
	if err != nil {
		t.Fatal(err)
	}
	b, err := v.Validate(io.LimitReader(&slowReader{data: data}, int64(len(data))), "f")
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("reports differ when read 7 bytes at a time")
	}
}

type slowReader struct{ data []byte }

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 7)], s.data)
	s.data = s.data[n:]
	return n, nil
}

func TestSchemaProblemPaths(t *testing.T) {
	doc := "<iati-activities version=\"2.03\">\n<iati-activity bad=\"1\">\n<iati-identifier>A</iati-identifier>\n<reporting-org ref=\"X\" type=\"10\"><narrative>N</narrative></reporting-org>\n<title/>\n</iati-activity>\n</iati-activities>"
	rep, err := newValidator(t, validate.Options{NoRules: true, NoCodelists: true}).Validate(strings.NewReader(doc), "s.xml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d:%d %s | %s", p.Line, p.Column, p.Path, p.Message))
	}
	want := []string{
		"2:1 /iati-activities/iati-activity | Element 'iati-activity', attribute 'bad': The attribute 'bad' is not allowed.",
		"2:1 /iati-activities/iati-activity | Element 'iati-activity': Missing child element(s). Expected is ( description ).",
		"5:1 /iati-activities/iati-activity/title | Element 'title': Missing child element(s). Expected is ( narrative ).",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLibxml2Interleave pins down how a repeating element followed by a
// trailing wildcard is validated: as libxml2 (and so the official validator)
// does, which lets the two interleave. Each case was checked with xmllint.
func TestLibxml2Interleave(t *testing.T) {
	v := newValidator(t, validate.Options{NoRules: true, NoCodelists: true})
	const head = `<iati-identifier>A</iati-identifier><reporting-org ref="X" type="10"><narrative>N</narrative></reporting-org>`
	const mid = `<description><narrative>D</narrative></description><participating-org role="1"/>`
	const tail = `<activity-status code="2"/><activity-date type="1" iso-date="2020-01-01"/>`
	mail := `<mailing-address><narrative>x</narrative></mailing-address>`
	for _, c := range []struct {
		name  string
		title string
		after string // between participating-org and activity-status ... or after the dates
		valid bool
	}{
		{"extension between narratives", `<title><narrative>T</narrative><ex:foo/><narrative>A</narrative><ex:foo/></title>`, "", true},
		{"extension before the required narrative", `<title><ex:foo/><narrative>T</narrative></title>`, "", false},
		{"extension between participating-orgs", `<title><narrative>T</narrative></title>`, `<participating-org role="1"/><ex:foo/><participating-org role="1"/>`, false},
		{"extension between mailing addresses", `<title><narrative>T</narrative></title>`, "|<contact-info>" + mail + `<ex:foo/>` + mail + `</contact-info>`, true},
		{"extension then an earlier element", `<title><narrative>T</narrative></title>`, "|<contact-info><email>a</email><ex:foo/><email>a</email></contact-info>", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, after, _ := strings.Cut(c.after, "|")
			doc := `<iati-activities version="2.03" xmlns:ex="urn:ex"><iati-activity>` + head + c.title + mid + before + tail + after + `</iati-activity></iati-activities>`
			rep, err := v.Validate(strings.NewReader(doc), "i.xml")
			if err != nil {
				t.Fatal(err)
			}
			if got := countBy(rep)["schema"] == 0; got != c.valid {
				t.Errorf("valid = %v, want %v: %+v", got, c.valid, rep.Problems)
			}
		})
	}
}

// gcReader forces a garbage collection every step bytes and records the live
// heap, so that memory use can be followed while a file is validated.
type gcReader struct {
	r     io.Reader
	n     int
	next  int
	step  int
	heaps []uint64
}

func (g *gcReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += n
	if g.n >= g.next {
		g.next += g.step
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		g.heaps = append(g.heaps, ms.HeapAlloc)
	}
	return n, err
}

// Memory must not grow with the size of the file: the live heap late in a
// 20 MB file is about what it is early on.
func TestMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var buf bytes.Buffer
	if err := iatigen.Write(&buf, iatigen.Options{TargetBytes: 20 << 20, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, validate.Options{})
	g := &gcReader{r: bytes.NewReader(buf.Bytes()), step: 1 << 20, next: 2 << 20}
	rep, err := v.Validate(g, "big.xml")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Activities < 1000 || len(g.heaps) < 10 {
		t.Fatalf("%d activities, %d samples", rep.Activities, len(g.heaps))
	}
	early, late := g.heaps[1], g.heaps[len(g.heaps)-1]
	t.Logf("live heap: %d KiB after 3 MB, %d KiB at the end (%d activities)", early>>10, late>>10, rep.Activities)
	if late > early+4<<20 {
		t.Errorf("live heap grew from %d KiB to %d KiB while reading: something keeps every activity", early>>10, late>>10)
	}
}

// A record too large to hold is still schema-checked but not rule-checked.
func TestHugeRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var b strings.Builder
	b.WriteString(`<iati-activities version="2.03" xmlns:x="urn:x"><iati-activity><iati-identifier>BIG</iati-identifier>`)
	for i := 0; i < 260000; i++ {
		b.WriteString(`<x:e a="1"/>`)
	}
	b.WriteString(`<bogus/></iati-activity><iati-activity><iati-identifier>SMALL</iati-identifier></iati-activity></iati-activities>`)
	rep, err := newValidator(t, validate.Options{}).Validate(strings.NewReader(b.String()), "big.xml")
	if err != nil {
		t.Fatal(err)
	}
	byAct := map[string]map[string]int{}
	for _, p := range rep.Problems {
		if byAct[p.Activity] == nil {
			byAct[p.Activity] = map[string]int{}
		}
		byAct[p.Activity][p.RuleID]++
	}
	if byAct["BIG"]["size"] != 1 || byAct["BIG"]["schema"] == 0 || byAct["BIG"]["6.11.1"] != 0 {
		t.Errorf("big record: %v", byAct["BIG"])
	}
	if byAct["SMALL"]["6.11.1"] != 1 {
		t.Errorf("the next record is checked as usual: %v", byAct["SMALL"])
	}
}
