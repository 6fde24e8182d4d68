package web

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/demo"
	"github.com/tcmis/tcmis/iati/validate"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb"
)

// The catalog test finds every English text of the interface and checks
// that locales/fr.json and locales/es.json translate each one, with the
// same fmt verbs, and hold nothing else. The texts come from:
//   - the templates: .T "text" (any receiver), the "Label"/"Text"/"Hint"/
//     ... values handed to partials with dict, and (list "code" "Label")
//     pairs;
//   - the Go files of package web: the text of p.T(...) and refT(...), the
//     literals given to a parameter named title, msg, message, text or
//     label (newPage, flash helpers, job progress), the literals of struct
//     fields named Label, Text, Hint, Blank, Caption, Legend, Title,
//     Summary or Failed, the literals assigned to variables or fields of
//     those names, and the literals returned by ...Label methods;
//   - the domain (package tcmis, read from its source): the label of every
//     code list ([]kind), the literals returned by its Label methods, the
//     gender markers, the rules of the project cycle's transitions and the
//     audit actions;
//   - the month names, the IATI problem severities, the compliance gaps
//     the evaluation policy names (domainExtra);
//   - the reports: every definition's title and summary, and, run on the
//     demo portfolio with each grouping and measure, every table's title,
//     kind of records, column titles and units (those with a year in
//     them, such as "Average 2001-05", cannot be translated as a whole
//     and are left out), and the phrases of titles, column titles, notes
//     and sources (report.Phrase: a format with the year as a value),
//     with the chart's unit; the phrases the reports write only in some
//     cases are read from their source (phraseTexts);
//   - the charts' own words (package chart: what it gives to tr).
//
// Set TCMIS_I18N_DUMP to a file name to write the missing texts there as a
// JSON object, ready to be translated (with the stale ones under
// "stale-fr" and "stale-es").

// uiFields are the struct fields and variables whose text is translated
// when shown.
var uiFields = map[string]bool{"label": true, "text": true, "hint": true, "blank": true, "caption": true,
	"legend": true, "title": true, "summary": true, "failed": true}

// uiParams are the parameter names through which a function receives a
// text it translates or shows translated.
var uiParams = map[string]bool{"title": true, "msg": true, "message": true, "text": true, "label": true}

// domainExtra are texts the domain hands to the interface that no list
// exposes: the gaps of tcmis.Compliance.Missing (policy.go).
var domainExtra = []string{"final evaluation", "mid-term evaluation", "independent evaluation",
	"budget line for the independent evaluation"}

var (
	tmplT    = regexp.MustCompile(`\.T\s+("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `)`)
	tmplDict = regexp.MustCompile(`"(?:Label|Text|Hint|Blank|Caption|Legend|Title|Summary)"\s+("(?:[^"\\]|\\.)*")`)
	tmplList = regexp.MustCompile(`\(list\s+"(?:[^"\\]|\\.)*"\s+("(?:[^"\\]|\\.)*")\)`)
	verbRE   = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z%]`)
	// strictVerbRE leaves out the space flag, so that "% of" is no verb.
	strictVerbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z%]`)
)

// texts collects the English texts with where each was found.
type texts map[string]string

func (ts texts) add(text, where string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	if _, ok := ts[text]; !ok {
		ts[text] = where
	}
}

// formats are the texts given to T with arguments, whose fmt verbs the
// translation must keep; a text with a verb such as %d or %s counts as
// one too. Other texts are shown as they are: "% share" has no verb.
var formats = map[string]bool{}

func isFormat(text string) bool { return formats[text] || strictVerbRE.MatchString(text) }

func TestI18nCatalogs(t *testing.T) {
	ts := texts{}
	templateTexts(t, ts)
	goTexts(t, ts, ".", true)
	goTexts(t, ts, "..", false)
	domainTexts(ts)
	reportTexts(t, ts)
	phraseTexts(t, ts, "../report")
	phraseTexts(t, ts, "../chart")
	if len(ts) < 100 {
		t.Fatalf("only %d texts found: the extraction is broken", len(ts))
	}
	t.Logf("%d texts of the interface", len(ts))

	dump := map[string]map[string]string{}
	for _, lang := range []string{"fr", "es"} {
		cat := catalogs[lang]
		var missing, verbs, stale []string
		for text, where := range ts {
			tr, ok := cat[text]
			if !ok || strings.TrimSpace(tr) == "" {
				missing = append(missing, strconv.Quote(text)+" ("+where+")")
				if dump[lang] == nil {
					dump[lang] = map[string]string{}
				}
				dump[lang][text] = ""
				continue
			}
			if !isFormat(text) {
				continue
			}
			if a, b := verbRE.FindAllString(text, -1), verbRE.FindAllString(tr, -1); !slices.Equal(a, b) {
				verbs = append(verbs, strconv.Quote(text)+" "+strings.Join(a, ",")+" -> "+strconv.Quote(tr)+" "+strings.Join(b, ","))
			}
		}
		for text := range cat {
			if _, ok := ts[text]; !ok {
				stale = append(stale, strconv.Quote(text))
				if dump["stale-"+lang] == nil {
					dump["stale-"+lang] = map[string]string{}
				}
				dump["stale-"+lang][text] = cat[text]
			}
		}
		for _, l := range []struct {
			what string
			list []string
		}{{"texts without a translation", missing}, {"translations whose fmt verbs differ", verbs}, {"translations of texts no longer used", stale}} {
			if len(l.list) > 0 {
				sort.Strings(l.list)
				t.Errorf("locales/%s.json: %d %s:\n\t%s", lang, len(l.list), l.what, strings.Join(l.list, "\n\t"))
			}
		}
	}
	if f := os.Getenv("TCMIS_I18N_DUMP"); f != "" {
		b, _ := json.MarshalIndent(dump, "", "  ")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// TestI18nCatalogFormat checks the catalogs are sorted objects with a
// two-space indent, as json.MarshalIndent writes them, so that merges stay
// readable.
func TestI18nCatalogFormat(t *testing.T) {
	for _, lang := range []string{"fr", "es"} {
		b, err := files.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var buf strings.Builder
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(catalogs[lang]); err != nil {
			t.Fatal(err)
		}
		if buf.String() != string(b) {
			t.Errorf("locales/%s.json is not in canonical form (sorted keys, two-space indent, no HTML escapes, final newline)", lang)
		}
	}
}

func unquote(t *testing.T, s, where string) string {
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Errorf("%s: cannot read %s: %v", where, s, err)
	}
	return u
}

// templateTexts reads the texts of the templates.
func templateTexts(t *testing.T, ts texts) {
	var n int
	err := filepath.WalkDir("templates", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for _, re := range []*regexp.Regexp{tmplT, tmplDict, tmplList} {
			for _, m := range re.FindAllStringSubmatchIndex(string(b), -1) {
				line := 1 + strings.Count(string(b[:m[0]]), "\n")
				where := path + ":" + strconv.Itoa(line)
				text := unquote(t, string(b[m[2]:m[3]]), where)
				ts.add(text, where)
				// Arguments follow the text unless the action or
				// the parenthesis ends.
				if rest := strings.TrimLeft(string(b[m[3]:]), " \t\n"); re == tmplT && !strings.HasPrefix(rest, "}}") && !strings.HasPrefix(rest, ")") && !strings.HasPrefix(rest, "-}}") {
					formats[text] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no template found")
	}
}

// goTexts reads the texts of the Go files of a package directory: all of
// package web's rules when web is true, only the domain's code lists and
// Label methods otherwise.
func goTexts(t *testing.T, ts texts, dir string, web bool) {
	fset, files := parseGoFiles(t, dir)
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	add := func(e ast.Expr) {
		if s, ok := lit(e); ok {
			ts.add(s, fset.Position(e.Pos()).String())
		}
	}
	// Struct fields in order and the UI parameters of functions, by name.
	structs := map[string][]string{}
	params := map[string][]int{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.TypeSpec:
				if st, ok := x.Type.(*ast.StructType); ok {
					structs[x.Name.Name] = fieldNames(st)
				}
			case *ast.FuncDecl:
				i := 0
				for _, fld := range x.Type.Params.List {
					for _, nm := range fld.Names {
						if uiParams[strings.ToLower(nm.Name)] {
							params[x.Name.Name] = append(params[x.Name.Name], i)
						}
						i++
					}
					if len(fld.Names) == 0 {
						i++
					}
				}
			}
			return true
		})
	}
	delete(params, "T") // its text is taken below, with its arguments
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CompositeLit:
				if web {
					compositeTexts(x, structs, add)
				}
				kindTexts(x, add)
			case *ast.FuncDecl:
				if x.Recv != nil && strings.HasSuffix(x.Name.Name, "Label") && x.Body != nil {
					ast.Inspect(x.Body, func(n ast.Node) bool {
						if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
							add(r.Results[0])
						}
						return true
					})
				}
			}
			if !web {
				return true
			}
			switch x := n.(type) {
			case *ast.CallExpr:
				name := callName(x)
				switch {
				case name == "T" || name == "refT":
					for i, a := range x.Args {
						if s, ok := lit(a); ok {
							add(a)
							if i < len(x.Args)-1 {
								formats[s] = true
							}
							break
						}
					}
				default:
					for _, i := range params[name] {
						if i < len(x.Args) {
							add(x.Args[i])
						}
					}
				}
			case *ast.ValueSpec:
				for i, nm := range x.Names {
					if uiName(nm.Name) && i < len(x.Values) {
						shownTexts(x.Values[i], add)
					}
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					var nm string
					switch v := l.(type) {
					case *ast.Ident:
						nm = v.Name
					case *ast.SelectorExpr:
						nm = v.Sel.Name
					}
					if uiName(nm) && i < len(x.Rhs) {
						shownTexts(x.Rhs[i], add)
					}
				}
			}
			return true
		})
	}
}

// callName is the name of the function or method a call calls: T for
// p.T(...), refT for refT(...).
func callName(x *ast.CallExpr) string {
	switch fn := x.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

// uiName reports whether a variable or field holds texts that are shown
// translated: a title, a label, ... or a list of them (permissionTexts).
func uiName(name string) bool {
	n := strings.ToLower(name)
	return uiFields[n] || strings.HasSuffix(n, "texts") || strings.HasSuffix(n, "labels") || strings.HasSuffix(n, "titles")
}

// shownTexts takes the literal itself, or the values of a literal it
// picks from (a map of titles); not the arguments of a call nor the parts
// of a concatenation, which are not shown alone.
func shownTexts(e ast.Expr, add func(ast.Expr)) {
	switch v := e.(type) {
	case *ast.BasicLit:
		add(v)
	case *ast.ParenExpr:
		shownTexts(v.X, add)
	case *ast.IndexExpr:
		shownTexts(v.X, add)
	case *ast.CompositeLit:
		for _, el := range v.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			shownTexts(el, add)
		}
	}
}

func fieldNames(st *ast.StructType) []string {
	var out []string
	for _, fld := range st.Fields.List {
		if len(fld.Names) == 0 {
			out = append(out, "")
		}
		for _, nm := range fld.Names {
			out = append(out, nm.Name)
		}
	}
	return out
}

// compositeTexts takes the UI fields of a struct literal, keyed or
// positional (for the structs of package web and anonymous ones).
// Literals of other packages' types, such as xlsx.Options, are skipped,
// except report tables and columns, whose titles the page translates.
func compositeTexts(x *ast.CompositeLit, structs map[string][]string, add func(ast.Expr)) {
	if sel, ok := x.Type.(*ast.SelectorExpr); ok {
		if pkg, _ := sel.X.(*ast.Ident); pkg == nil || pkg.Name != "report" {
			return
		}
	}
	var fields []string
	switch ty := x.Type.(type) {
	case *ast.Ident:
		fields = structs[ty.Name]
	case *ast.StructType:
		fields = fieldNames(ty)
	}
	for i, e := range x.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && uiFields[strings.ToLower(k.Name)] {
				add(kv.Value)
			}
			continue
		}
		if i < len(fields) && uiFields[strings.ToLower(fields[i])] {
			add(e)
		}
	}
	// The elements of a slice or map of a local struct type, written
	// without their type.
	var elem ast.Expr
	switch ty := x.Type.(type) {
	case *ast.ArrayType:
		elem = ty.Elt
	case *ast.MapType:
		elem = ty.Value
	}
	if elem == nil {
		return
	}
	for _, e := range x.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			e = kv.Value
		}
		if c, ok := e.(*ast.CompositeLit); ok && c.Type == nil {
			c2 := *c
			c2.Type = elem
			compositeTexts(&c2, structs, add)
		}
	}
}

// kindTexts takes the labels of the domain's code lists: kind{"code",
// "Label"}, written with or without its type inside a []kind.
func kindTexts(x *ast.CompositeLit, add func(ast.Expr)) {
	isKind := func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == "kind" }
	if isKind(x.Type) && len(x.Elts) == 2 {
		add(x.Elts[1])
	}
	if at, ok := x.Type.(*ast.ArrayType); ok && isKind(at.Elt) {
		for _, e := range x.Elts {
			if c, ok := e.(*ast.CompositeLit); ok && c.Type == nil && len(c.Elts) == 2 {
				add(c.Elts[1])
			}
		}
	}
}

// domainTexts are the texts of the domain that no code list holds.
func domainTexts(ts texts) {
	for m := time.January; m <= time.December; m++ {
		ts.add(m.String(), "month name")
	}
	for g := tcmis.NotScreened; g.Valid(); g++ {
		ts.add(g.Label(), "tcmis.GenderMarker")
	}
	for _, tr := range tcmis.Transitions() {
		ts.add(tr.Rule, "tcmis.Transitions")
		ts.add(tr.From.Label(), "tcmis.Transitions")
		ts.add(tr.To.Label(), "tcmis.Transitions")
	}
	for _, a := range []string{tcmis.ActionCreate, tcmis.ActionUpdate, tcmis.ActionDelete, tcmis.ActionImport} {
		ts.add(a, "tcmis audit action")
	}
	for _, s := range []string{validate.SeverityError, validate.SeverityWarning, validate.SeverityInfo} {
		ts.add(s, "IATI problem severity")
	}
	for _, s := range domainExtra {
		ts.add(s, "domainExtra")
	}
}

// i18nDemo opens a database with the demo portfolio and an
// administrator, i18n@example.org.
func i18nDemo(t *testing.T) *sqldb.DB {
	t.Helper()
	ctx := tcmis.WithActor(context.Background(), tcmis.Actor{Name: "test"})
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	u := &tcmis.User{Email: "i18n@example.org", Name: "I18n Admin", Role: tcmis.RoleAdmin}
	if err := auth.New(db).AddUser(ctx, u, i18nPassword); err != nil {
		t.Fatal(err)
	}
	return db
}

const i18nPassword = "correct horse battery staple"

// reportTexts takes the reports' definitions, and the tables they make
// on the demo portfolio.
func reportTexts(t *testing.T, ts texts) {
	ctx := context.Background()
	db := i18nDemo(t)
	// A title with a year in it, such as "Average 2001-05", is made for
	// one period and cannot be translated as a whole.
	hasYear := regexp.MustCompile(`\b(1[89]|2[01])\d\d\b`).MatchString
	// A phrase's format is translated and its values filled in;
	// values that are phrases (a month's name) are translated too.
	var addPhrase func(p report.Phrase, where string)
	addPhrase = func(p report.Phrase, where string) {
		if p.Format == "" {
			return
		}
		if hasYear(p.Format) {
			t.Errorf("%s: the phrase %q has a year in it: make the year a value", where, p.Format)
		}
		ts.add(p.Format, where)
		if len(p.Args) > 0 {
			formats[p.Format] = true
		}
		for _, a := range p.Args {
			if ap, ok := a.(report.Phrase); ok {
				addPhrase(ap, where)
			}
		}
	}
	addTable := func(tb *report.Table, where string) {
		if tb.TitlePhrase.Format != "" {
			addPhrase(tb.TitlePhrase, where)
		} else if !hasYear(tb.Title) {
			ts.add(tb.Title, where)
		}
		if !hasYear(tb.Records) {
			ts.add(tb.Records, where)
		}
		for _, n := range tb.NotePhrases {
			addPhrase(n, where+" note")
		}
		addPhrase(tb.SourcePhrase, where+" source")
		if tb.Chart.Kind != report.NoChart && tb.Chart.Unit != "" {
			ts.add(tb.Chart.Unit, where+" chart unit")
		}
		for _, c := range tb.Columns {
			if c.TitlePhrase.Format != "" {
				addPhrase(c.TitlePhrase, where+" column")
			} else if !hasYear(c.Title) {
				ts.add(c.Title, where+" column")
			}
			if c.Unit.Name != "" && c.Kind != report.Text {
				ts.add(c.Unit.Name, where+" unit")
			}
		}
	}
	for _, d := range report.All() {
		where := "report " + d.Name
		ts.add(d.Title, where)
		ts.add(d.Summary, where)
		variants := []report.Params{{}}
		if d.Uses(report.OptBy) {
			for _, by := range report.ByChoices {
				variants = append(variants, report.Params{By: by})
			}
		}
		if d.Uses(report.OptMonth) {
			for m := 1; m <= 12; m++ {
				variants = append(variants, report.Params{Year: time.Now().Year(), Month: m})
			}
		}
		if d.Uses(report.OptAttribute) {
			variants = append(variants, report.Params{Attribute: true})
		}
		if d.Uses(report.OptMeasure) {
			for _, m := range []tcmis.Measure{tcmis.MeasureApprovals, tcmis.MeasureAllocations, tcmis.MeasureExpenditure} {
				variants = append(variants, report.Params{Measure: m})
			}
		}
		if d.Uses(report.OptToday) {
			// A title says "at today" or "at" a day given.
			for _, p := range slices.Clone(variants) {
				p.Today = time.Date(2005, 6, 30, 0, 0, 0, 0, time.UTC)
				variants = append(variants, p)
			}
		}
		for _, p := range variants {
			tb, err := report.Run(ctx, db, d.Name, p)
			if err != nil {
				continue // a variant the report refuses
			}
			addTable(tb, where)
		}
	}
}

// parseGoFiles parses the Go files of a package directory, tests left
// out.
func parseGoFiles(t *testing.T, dir string) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go file in %s", dir)
	}
	return fset, files
}

// phraseTexts reads the phrases of the reports' source: the literal
// format of every Phrasef call, the texts given to phrases and the
// literal Format of a Phrase, so that a note written only in some cases
// (a project approved before any policy, a year without a cost index) is
// translated too. Formats made by joining texts are found by running the
// reports (reportTexts). In the charts' source, the words given to tr
// (the format, or the texts of the map it picks from).
func phraseTexts(t *testing.T, ts texts, dir string) {
	fset, files := parseGoFiles(t, dir)
	n := 0
	for _, f := range files {
		add := func(e ast.Expr, format bool) {
			b, ok := e.(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(b.Value)
			if err != nil {
				return
			}
			n++
			ts.add(s, fset.Position(b.Pos()).String())
			if format {
				formats[s] = true
			}
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			switch x := nd.(type) {
			case *ast.CallExpr:
				name := callName(x)
				switch {
				case (name == "Phrasef" || name == "tr") && len(x.Args) > 0:
					add(x.Args[0], len(x.Args) > 1)
					if ix, ok := x.Args[0].(*ast.IndexExpr); ok {
						if m, ok := ix.X.(*ast.CompositeLit); ok {
							for _, e := range m.Elts {
								if kv, ok := e.(*ast.KeyValueExpr); ok {
									add(kv.Value, false)
								}
							}
						}
					}
				case name == "phrases":
					for _, a := range x.Args {
						add(a, false)
					}
				}
			case *ast.CompositeLit:
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "Phrase" {
					for _, e := range x.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Format" {
								add(kv.Value, false)
							}
						}
					}
				}
			}
			return true
		})
	}
	if n == 0 {
		t.Fatalf("no phrase found in %s", dir)
	}
}

// TestI18nTranslate checks that a French or Spanish page speaks its
// language, and that English is the fallback.
func TestI18nTranslate(t *testing.T) {
	for _, c := range []struct{ lang, text, want string }{
		{"fr", "Projects", "Projets"},
		{"es", "Projects", "Proyectos"},
		{"en", "Projects", "Projects"},
		{"fr", "Donors", "Bailleurs de fonds"},
		{"es", "Donors", "Donantes"},
		{"fr", "January", "janvier"},
		{"es", "January", "enero"},
		{"fr", "no such text in any catalog", "no such text in any catalog"},
	} {
		if got := translate(c.lang, c.text); got != c.want {
			t.Errorf("translate(%q, %q) = %q, want %q", c.lang, c.text, got, c.want)
		}
	}
	// The language comes from the cookie, else the browser's preference.
	for _, c := range []struct{ cookie, accept, want string }{
		{"fr", "es", "fr"}, {"", "es-CO,es;q=0.9", "es"}, {"", "fr-CH, en;q=0.5", "fr"},
		{"", "de", "en"}, {"xx", "", "en"}, {"es", "", "es"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if c.cookie != "" {
			r.Header.Set("Cookie", langCookie+"="+c.cookie)
		}
		if c.accept != "" {
			r.Header.Set("Accept-Language", c.accept)
		}
		if got := language(r); got != c.want {
			t.Errorf("cookie %q, Accept-Language %q: language %q, want %q", c.cookie, c.accept, got, c.want)
		}
	}
	// A page translates its title and its format texts, keeping the
	// arguments.
	p := &page{Lang: "fr"}
	if got, want := p.T("Page %d of %d", 2, 5), "Page 2 sur 5"; got != want {
		t.Errorf("fr: Page %%d of %%d = %q, want %q", got, want)
	}
	if got, want := (&page{Lang: "es"}).T("Page %d of %d", 2, 5), "Página 2 de 5"; got != want {
		t.Errorf("es: Page %%d of %%d = %q, want %q", got, want)
	}
	if got := p.Month(3); got != "mars" {
		t.Errorf("fr: month 3 = %q, want mars", got)
	}
}

// TestI18nNumbers checks that figures follow the language's conventions:
// 1,234,567.8 in English, 1 234 567,8 (narrow no-break spaces) in French,
// 1.234.567,8 in Spanish.
func TestI18nNumbers(t *testing.T) {
	for _, c := range []struct {
		lang          string
		n             any
		int, pc, usd  string
		amount        string
		negInt, small string
	}{
		{"en", 1234567, "1,234,567", "1,234.6%", "12,346", "1,234,567.89 USD", "-1,234", "999"},
		{"fr", 1234567, "1\u202f234\u202f567", "1\u202f234,6\u00a0%", "12\u202f346", "1\u202f234\u202f567,89 USD", "-1\u202f234", "999"},
		{"es", 1234567, "1.234.567", "1.234,6\u00a0%", "12.346", "1.234.567,89 USD", "-1.234", "999"},
	} {
		p := &page{Lang: c.lang}
		if got := p.Int(c.n); got != c.int {
			t.Errorf("%s: Int(1234567) = %q, want %q", c.lang, got, c.int)
		}
		if got := p.Int(int64(-1234)); got != c.negInt {
			t.Errorf("%s: Int(-1234) = %q, want %q", c.lang, got, c.negInt)
		}
		if got := p.Int(int32(999)); got != c.small {
			t.Errorf("%s: Int(999) = %q, want %q", c.lang, got, c.small)
		}
		// 1234.56 per cent is 123456 hundredths of a per cent.
		if got := p.Percent(tcmis.Percent(123456)); got != c.pc {
			t.Errorf("%s: Percent(1234.56) = %q, want %q", c.lang, got, c.pc)
		}
		if got := p.USD(1234550); got != c.usd {
			t.Errorf("%s: USD(1234550 cents) = %q, want %q", c.lang, got, c.usd)
		}
		if got := p.Amount(tcmis.Money{Amount: 123456789, Currency: "USD"}); got != c.amount {
			t.Errorf("%s: Amount(1234567.89 USD) = %q, want %q", c.lang, got, c.amount)
		}
	}
}

// TestI18nPages signs in through the handler stack and checks that the
// pages speak the language of the cookie, or of the browser.
func TestI18nPages(t *testing.T) {
	db := i18nDemo(t)
	authn := auth.New(db)
	site, err := New(Config{Store: db, Auth: authn})
	if err != nil {
		t.Fatal(err)
	}
	h := authn.Middleware(site)
	form := url.Values{"email": {"i18n@example.org"}, "password": {i18nPassword}}
	r := httptest.NewRequest("POST", "/signin", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign in: status %d\n%s", w.Code, w.Body)
	}
	var session []*http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.MaxAge >= 0 && c.Value != "" {
			session = append(session, c)
		}
	}
	get := func(path, lang, accept string) string {
		t.Helper()
		r := httptest.NewRequest("GET", path, nil)
		for _, c := range session {
			r.AddCookie(c)
		}
		if lang != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		}
		if accept != "" {
			r.Header.Set("Accept-Language", accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s (%s): status %d", path, lang, w.Code)
		}
		return w.Body.String()
	}
	for _, c := range []struct {
		lang, accept string
		want         []string
		not          []string
	}{
		{"fr", "", []string{`<html lang="fr">`, ">Projets<", ">Bailleurs de fonds<", "Se déconnecter", "Source de financement"},
			[]string{">Projects<", ">Donors<", "Sign out"}},
		{"es", "", []string{`<html lang="es">`, ">Proyectos<", ">Donantes<", "Cerrar sesión", "Fuente de financiación"},
			[]string{">Projects<", ">Donors<", "Sign out"}},
		{"", "es-ES,es;q=0.9", []string{`<html lang="es">`, ">Proyectos<"}, []string{"Sign out"}},
		{"en", "fr", []string{`<html lang="en">`, ">Projects<", ">Donors<", "Sign out", "Source of funds"},
			[]string{"Se déconnecter", ">Projets<"}},
	} {
		body := get("/projects", c.lang, c.accept)
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("/projects in %q (Accept-Language %q): no %q", c.lang, c.accept, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(body, s) {
				t.Errorf("/projects in %q (Accept-Language %q): %q is not translated", c.lang, c.accept, s)
			}
		}
	}
	// A report's caption, headings with a period in them, notes, source
	// and chart speak the page's language; the English page and every
	// download stay as the report writes them.
	en, fr, es := get("/reports/approvals-by-donor", "en", ""), get("/reports/approvals-by-donor", "fr", ""), get("/reports/approvals-by-donor", "es", "")
	tb, err := report.Run(context.Background(), db, "approvals-by-donor", report.Params{})
	if err != nil {
		t.Fatal(err)
	}
	period := tb.TitlePhrase.Args[0].(string)
	for _, c := range []struct {
		lang, body string
		want       []string
		not        []string
	}{
		{"en", en, []string{
			"<caption>Approvals by donor category, " + period + " (US$&#39;000)</caption>",
			`<title id="chart-title">Approvals by donor category, ` + period + ` (US$&apos;000)</title>`,
			">" + period + " Total (US$&#39;000)</th>",
			`<p class="note">Amounts are approvals converted to US dollars`,
			`<p class="note">Source: tcmis, approvals as recorded.</p>`,
		}, []string{"Approbations par"}},
		{"fr", fr, []string{
			"<caption>Approbations par catégorie de bailleur de fonds, " + period + " (milliers de $ É.-U.)</caption>",
			`<title id="chart-title">Approbations par catégorie de bailleur de fonds, ` + period + ` (milliers de $ É.-U.)</title>`,
			`>Unité : milliers de $ É.-U.</text>`,
			`aria-label="Approbations par catégorie de bailleur de fonds, ` + period,
			">Total " + period + " (milliers de $ É.-U.)</th>",
			`<p class="note">Les montants sont les approbations converties`,
			`<p class="note">Source : tcmis, approbations selon les enregistrements.</p>`,
		}, []string{"Approvals by donor category", "Amounts are approvals", "as recorded", "Unit: ", "Bar chart"}},
		{"es", es, []string{
			"<caption>Aprobaciones por categoría de donante, " + period + " (miles de dólares EE.UU.)</caption>",
			`<title id="chart-title">Aprobaciones por categoría de donante, ` + period,
			`<p class="note">Fuente: tcmis, aprobaciones según los registros.</p>`,
		}, []string{"Approvals by donor category", "Amounts are approvals"}},
	} {
		for _, s := range c.want {
			if !strings.Contains(c.body, s) {
				t.Errorf("report page in %q: no %q", c.lang, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(c.body, s) {
				t.Errorf("report page in %q: %q is not translated", c.lang, s)
			}
		}
	}
	// The English page's chart is the report's, as the SVG download draws it.
	svg := get("/reports/approvals-by-donor?format=svg", "en", "")
	if i := strings.Index(svg, "<svg"); i < 0 || !strings.Contains(en, svg[i:]) {
		t.Errorf("the English report page's chart is not the SVG download")
	}
	for _, format := range []string{"csv", "json", "svg"} {
		path := "/reports/approvals-by-donor?format=" + format
		if get(path, "fr", "") != get(path, "en", "") {
			t.Errorf("%s: the download in French differs from the English one", path)
		}
	}
	// A report's title, column headings and units are translated too.
	body := get("/reports/expenditure-by-source", "fr", "")
	for _, s := range []string{"Dépenses par source de financement", "milliers de $ É.-U.", "Coopération technique au titre du budget ordinaire (CTBO)"} {
		if !strings.Contains(body, s) {
			t.Errorf("French report page: no %q", s)
		}
	}
}
