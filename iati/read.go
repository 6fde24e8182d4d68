package iati

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// Limits against hostile or broken input.
const (
	// MaxDepth is the deepest nesting of elements accepted (IATI needs 8).
	MaxDepth = 64
	// MaxToken is the largest tag, text or comment, in bytes.
	MaxToken = 16 << 20
	// MaxAttrs is the most attributes an element may have.
	MaxAttrs = 256
	// MaxNodes is the most elements one activity may have.
	MaxNodes = 500_000
	// maxKept caps the warnings and errors a reader keeps; the rest are
	// counted.
	maxKept = 10_000
)

// Warning is a problem found in a file: where, in which activity, what.
type Warning struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Activity string `json:"activity,omitempty"`
	// Rule is the validation rule behind the warning, if any.
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	var b strings.Builder
	b.WriteString(w.File)
	if w.Line > 0 {
		b.WriteString(":" + itoa(w.Line))
		if w.Column > 0 {
			b.WriteString(":" + itoa(w.Column))
		}
	}
	b.WriteString(": ")
	if w.Activity != "" {
		b.WriteString("activity " + w.Activity + ": ")
	}
	if w.Rule != "" {
		b.WriteString("[" + w.Rule + "] ")
	}
	b.WriteString(w.Message)
	return b.String()
}

// FileError refuses a file: every problem found, each with its line.
type FileError struct {
	File     string
	Problems []Warning
	// More counts problems found beyond those listed.
	More int
}

func (e *FileError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n%s: and %d more problems", e.File, e.More)
	}
	return b.String()
}

// Reader reads the activities of an IATI activity file one at a time.
type Reader struct {
	name      string
	sc        *scanner
	version   string
	major     int
	generated string
	// prefixes maps each namespace the file declares to its first prefix.
	prefixes map[string]string
	ids      map[string]int

	warnings, errors []Warning
	moreWarnings     int
	moreErrors       int

	activity string // identifier of the activity being mapped
	lastLine int
	nodes    int
	// pool holds the nodes of the last activity, for the next one.
	pool  []*node
	done  bool
	count int
}

// NewReader starts reading a file: it reads up to the root element and
// checks that it is an IATI activity file of a version it knows. name is
// the file's name in messages.
func NewReader(r io.Reader, name string) (*Reader, error) {
	rd := &Reader{name: name, prefixes: map[string]string{}, ids: map[string]int{}}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), bytes.HasPrefix(head, []byte{0xFF, 0xFE}),
		bytes.HasPrefix(head, []byte{0, '<'}), bytes.HasPrefix(head, []byte{'<', 0}):
		return nil, rd.fatal(1, 0, "the file is in UTF-16: tcmis reads IATI files in UTF-8, ISO-8859-1 or windows-1252; save it as UTF-8 and import it again")
	case len(head) == 0:
		return nil, rd.fatal(1, 0, "the file is empty")
	}
	var in io.Reader = br
	head, _ = br.Peek(1024)
	if enc, ok := xmlDecl(head); ok && enc != "" {
		cr, err := charsetReader(enc, br)
		if err != nil {
			return nil, rd.fatal(1, 0, err.Error())
		}
		in = cr
	}
	rd.sc = newScanner(in)
	for {
		err := rd.sc.next()
		if err != nil {
			if err == io.EOF {
				return nil, rd.fatal(rd.line(), 0, "the file has no root element: it is not an IATI activity file")
			}
			if se, ok := err.(*syntaxError); ok && strings.HasPrefix(se.msg, "text outside the root") {
				return nil, rd.fatal(se.line, 0, "text before the root element: this is not an XML file")
			}
			return nil, rd.syntaxError(err)
		}
		if rd.sc.kind != tokStart {
			continue
		}
		se := xml.StartElement{Name: rd.sc.name, Attr: rd.sc.attrs}
		line, col := rd.sc.tokLine, 0
		rd.notePrefixes(se.Attr)
		switch {
		case se.Name.Local == "iati-organisations" && se.Name.Space == "":
			return nil, rd.fatal(line, col, "this is an IATI organisation file (<iati-organisations>): tcmis imports activity files (<iati-activities>)")
		case se.Name.Local != "iati-activities" || se.Name.Space != "":
			return nil, rd.fatal(line, col, fmt.Sprintf("the root element is <%s>, not <iati-activities>: this is not an IATI activity file", displayName(se.Name)))
		}
		for _, a := range se.Attr {
			switch {
			case a.Name.Space == "" && a.Name.Local == "version":
				rd.version = strings.TrimSpace(a.Value)
			case a.Name.Space == "" && a.Name.Local == "generated-datetime":
				rd.generated = a.Value
			}
		}
		switch {
		case rd.version == "":
			rd.version = "1.01"
			rd.warn(line, "<iati-activities> has no version: the file is read as IATI 1.01")
		case !supportedVersion(rd.version):
			return nil, rd.fatal(line, col, fmt.Sprintf("IATI version %q is not one tcmis reads (%s)", rd.version, strings.Join(Versions, ", ")))
		}
		rd.major = int(rd.version[0] - '0')
		return rd, nil
	}
}

// Version returns the IATI version the file declares.
func (r *Reader) Version() string { return r.version }

// Count returns how many activities have been read.
func (r *Reader) Count() int { return r.count }

// Line returns the line of the last activity returned by Next.
func (r *Reader) Line() int { return r.lastLine }

// Offset returns how many bytes of the file have been read.
func (r *Reader) Offset() int64 { return r.sc.offset() }

// Warnings returns the warnings so far: problems that did not stop the
// reading and that an import reports but lets through.
func (r *Reader) Warnings() []Warning { return r.warnings }

// WarningCount counts all warnings, kept or not.
func (r *Reader) WarningCount() int { return len(r.warnings) + r.moreWarnings }

// Errors returns the errors so far: values the model cannot take. An
// import refuses a file with errors.
func (r *Reader) Errors() []Warning { return r.errors }

// Err returns the errors as a *FileError, or nil.
func (r *Reader) Err() error {
	if len(r.errors) == 0 {
		return nil
	}
	return &FileError{File: r.name, Problems: r.errors, More: r.moreErrors}
}

// Next returns the next activity, or io.EOF after the last. The activity
// is returned even when it has errors (see Errors); an error return means
// the file cannot be read further.
func (r *Reader) Next() (*tcmis.Activity, error) {
	if r.done {
		return nil, io.EOF
	}
	for {
		err := r.sc.next()
		if err == io.EOF {
			return nil, r.fatal(r.line(), 0, "the file ends before </iati-activities>: it is truncated")
		} else if err != nil {
			return nil, r.syntaxError(err)
		}
		switch r.sc.kind {
		case tokStart:
			line := r.sc.tokLine
			name := r.sc.name
			n, err := r.readTree(line, 2)
			if err != nil {
				return nil, err
			}
			if name.Space != "" || name.Local != "iati-activity" {
				r.warn(line, fmt.Sprintf("<%s> inside <iati-activities> is not an activity: left out", displayName(name)))
				continue
			}
			r.count++
			r.lastLine = line
			return r.mapActivity(n), nil
		case tokEnd:
			r.done = true
			if err := r.finish(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		case tokText:
			if len(bytes.TrimSpace(r.sc.text)) > 0 {
				r.warn(r.sc.tokLine, "text between activities: left out")
			}
		}
	}
}

// finish reads what follows the root element: only comments and space.
func (r *Reader) finish() error {
	for {
		err := r.sc.next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			if se, ok := err.(*syntaxError); ok && strings.HasPrefix(se.msg, "text outside the root") {
				return r.fatal(se.line, 0, "text after the end of </iati-activities>")
			}
			return r.syntaxError(err)
		}
		if r.sc.kind == tokStart {
			return r.fatal(r.sc.tokLine, 0, fmt.Sprintf("<%s> after the end of </iati-activities>: an XML file has one root element", displayName(r.sc.name)))
		}
	}
}

func (r *Reader) syntaxError(err error) error {
	if se, ok := err.(*syntaxError); ok {
		return r.fatal(se.line, 0, se.msg)
	}
	if strings.Contains(err.Error(), "tcmis does not read") {
		return r.fatal(1, 0, err.Error())
	}
	return r.fatal(r.line(), 0, "cannot read the file: "+err.Error())
}

func (r *Reader) line() int {
	if r.sc == nil {
		return 0
	}
	return r.sc.line
}

// maxPool is how many nodes the reader keeps for reuse: those of a
// large activity, not those of a hostile one.
const maxPool = 20_000

// newNode returns the activity's next node, one of the last activity's
// when there are enough.
func (r *Reader) newNode() *node {
	if r.nodes < len(r.pool) {
		n := r.pool[r.nodes]
		*n = node{attrs: n.attrs[:0], items: n.items[:0], elems: n.elems[:0]}
		return n
	}
	n := &node{}
	if len(r.pool) < maxPool {
		r.pool = append(r.pool, n)
	}
	return n
}

// readTree reads the content of the element whose start tag the scanner
// just read.
func (r *Reader) readTree(line, depth int) (*node, error) {
	if depth == 2 {
		r.nodes = 0
	}
	n := r.newNode()
	r.nodes++
	if r.nodes > MaxNodes {
		return nil, r.fatal(line, 0, fmt.Sprintf("an activity with more than %d elements: tcmis refuses it", MaxNodes))
	}
	n.name, n.line = r.sc.name, line
	n.attrs = append(n.attrs, r.sc.attrs...)
	r.notePrefixes(n.attrs)
	for {
		err := r.sc.next()
		if err != nil {
			if err == io.EOF {
				return nil, r.fatal(r.line(), 0, "the file ends inside <"+displayName(n.name)+">: it is truncated")
			}
			return nil, r.syntaxError(err)
		}
		switch r.sc.kind {
		case tokStart:
			kid, err := r.readTree(r.sc.tokLine, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, item{node: kid})
			n.elems = append(n.elems, kid)
		case tokEnd:
			return n, nil
		case tokText:
			if k := len(n.items); k > 0 && n.items[k-1].node == nil {
				n.items[k-1].text += string(r.sc.text)
			} else {
				n.items = append(n.items, item{text: r.sc.value(r.sc.text)})
			}
		}
	}
}

func (r *Reader) notePrefixes(attrs []xml.Attr) {
	for _, a := range attrs {
		if a.Name.Space == "xmlns" && a.Value != "" && a.Value != LegacyNamespace {
			if _, ok := r.prefixes[a.Value]; !ok {
				r.prefixes[a.Value] = a.Name.Local
			}
		}
	}
}

func (r *Reader) warn(line int, msg string) {
	if len(r.warnings) >= maxKept {
		r.moreWarnings++
		return
	}
	r.warnings = append(r.warnings, Warning{File: r.name, Line: line, Activity: r.activity, Message: msg})
}

func (r *Reader) fail(line int, msg string) {
	if len(r.errors) >= maxKept {
		r.moreErrors++
		return
	}
	r.errors = append(r.errors, Warning{File: r.name, Line: line, Activity: r.activity, Message: msg})
}

// fatal is an error that stops the reading.
func (r *Reader) fatal(line, col int, msg string) error {
	ps := append([]Warning(nil), r.errors...)
	ps = append(ps, Warning{File: r.name, Line: line, Column: col, Activity: r.activity, Message: msg})
	return &FileError{File: r.name, Problems: ps, More: r.moreErrors}
}

func displayName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// mapping an activity

func (r *Reader) mapActivity(n *node) *tcmis.Activity {
	a := &tcmis.Activity{}
	r.activity = ""
	for _, k := range n.kids() {
		if k.name.Space == "" && k.name.Local == "iati-identifier" {
			a.Identifier = strings.TrimSpace(k.text())
			break
		}
	}
	r.activity = a.Identifier
	switch {
	case a.Identifier == "":
		r.fail(n.line, "the activity has no <iati-identifier>: tcmis cannot tell which project it is")
	case strings.ContainsAny(a.Identifier, " \t\r\n"):
		r.fail(n.line, fmt.Sprintf("the IATI identifier %q has spaces in it", a.Identifier))
	default:
		if first, ok := r.ids[a.Identifier]; ok {
			r.fail(n.line, fmt.Sprintf("the IATI identifier %s is used twice in the file (also by the activity at line %d)", a.Identifier, first))
		} else {
			r.ids[a.Identifier] = n.line
		}
	}
	a.Attrs = r.attrs(n, "iati-activity", fields{
		{"xml:lang", &a.Lang}, {"default-currency", &a.Currency}, {"last-updated-datetime", &a.LastUpdated},
		{"hierarchy", &a.Hierarchy}, {"humanitarian", &a.Humanitarian}, {"budget-not-provided", &a.BudgetNotProvided},
		{"linked-data-uri", &a.LinkedDataURI},
	}, true)
	if a.Currency != "" && !tcmis.LookupCodelist(tcmis.ListCurrency).Has(a.Currency) {
		r.fail(n.line, fmt.Sprintf("default-currency %q is not an ISO 4217 currency code", a.Currency))
	}
	// The lists are made to size: growing slices of large structs one
	// append at a time was a third of the reader's allocations.
	var nt, nb, np, npo, nd, nres int
	for _, k := range n.kids() {
		if k.name.Space != "" {
			continue
		}
		switch k.name.Local {
		case "transaction":
			nt++
		case "budget":
			nb++
		case "planned-disbursement":
			np++
		case "participating-org":
			npo++
		case "activity-date":
			nd++
		case "result":
			nres++
		}
	}
	a.Transactions = sized(a.Transactions, nt)
	a.Budgets = sized(a.Budgets, nb)
	a.PlannedDisbursements = sized(a.PlannedDisbursements, np)
	a.Participants = sized(a.Participants, npo)
	a.Dates = sized(a.Dates, nd)
	a.Results = sized(a.Results, nres)
	var extra fragments
	seenOnce := map[string]bool{}
	once := func(k *node) bool {
		if seenOnce[k.name.Local] {
			r.warn(k.line, fmt.Sprintf("a second <%s>: IATI allows one; kept as it is", k.name.Local))
			extra.add(r, "iati-activity", k, true)
			return false
		}
		seenOnce[k.name.Local] = true
		return true
	}
	for _, k := range n.kids() {
		if k.name.Space != "" {
			extra.add(r, "iati-activity", k, false)
			continue
		}
		switch k.name.Local {
		case "iati-identifier":
			if once(k) {
				r.noAttrs(k)
			}
		case "reporting-org":
			if once(k) {
				a.ReportingOrg = r.org(k, "reporting-org")
			}
		case "title":
			if seenOnce["title"] && r.major >= 2 {
				r.warn(k.line, "a second <title>: IATI allows one; its narratives are added to the first")
			}
			seenOnce["title"] = true
			r.noAttrsExcept(k, "xml:lang")
			a.Title = append(a.Title, r.narratives(k)...)
		case "description":
			d := tcmis.Description{}
			d.Attrs = r.attrs(k, "description", fields{{"type", &d.Type}}, true, "xml:lang")
			d.Text, d.Extra = r.narrativesExtra(k, "narratives")
			a.Descriptions = append(a.Descriptions, d)
		case "participating-org":
			a.Participants = append(a.Participants, r.org(k, "participating-org"))
		case "activity-status":
			if once(k) {
				a.Status = r.code(k, "activity-status")
			}
		case "activity-date":
			if _, derived := attrValue(k, LegacyNamespace, derivedAttr); derived {
				continue
			}
			a.Dates = append(a.Dates, r.activityDate(k))
		case "activity-scope":
			if once(k) {
				a.Scope = r.code(k, "activity-scope")
			}
		case "recipient-country":
			c := tcmis.CountryPart{}
			c.Attrs = r.attrs(k, "recipient-country", fields{{"code", &c.Code}, {"percentage", &c.Percentage}}, true)
			c.Name, c.Extra = r.narrativesExtra(k, "narratives")
			if c.Code == "" {
				r.warn(k.line, "<recipient-country> without a code")
			}
			a.Countries = append(a.Countries, c)
		case "recipient-region":
			g := tcmis.RegionPart{}
			g.Attrs = r.attrs(k, "recipient-region", fields{{"code", &g.Code}, {"vocabulary", &g.Vocabulary},
				{"vocabulary-uri", &g.VocabularyURI}, {"percentage", &g.Percentage}}, true)
			g.Vocabulary = r.vocabulary(k, g.Vocabulary, regionVocabularies1)
			g.Name, g.Extra = r.narrativesExtra(k, "narratives")
			if g.Code == "" {
				r.warn(k.line, "<recipient-region> without a code")
			}
			a.Regions = append(a.Regions, g)
		case "sector":
			s := tcmis.SectorPart{}
			s.Attrs = r.attrs(k, "sector", fields{{"code", &s.Code}, {"vocabulary", &s.Vocabulary},
				{"vocabulary-uri", &s.VocabularyURI}, {"percentage", &s.Percentage}}, true)
			s.Vocabulary = r.vocabulary(k, s.Vocabulary, sectorVocabularies1)
			s.Name, s.Extra = r.narrativesExtra(k, "narratives")
			if s.Code == "" {
				r.warn(k.line, "<sector> without a code")
			}
			a.Sectors = append(a.Sectors, s)
		case "policy-marker":
			m := tcmis.PolicyMarker{}
			m.Attrs = r.attrs(k, "policy-marker", fields{{"code", &m.Code}, {"vocabulary", &m.Vocabulary},
				{"vocabulary-uri", &m.VocabularyURI}, {"significance", &m.Significance}}, true)
			m.Vocabulary = r.vocabulary(k, m.Vocabulary, policyVocabularies1)
			if r.major == 1 && len(m.Code) > 1 && m.Code[0] == '0' {
				m.Code = strings.TrimLeft(m.Code, "0")
			}
			m.Name, m.Extra = r.narrativesExtra(k, "narratives")
			a.PolicyMarkers = append(a.PolicyMarkers, m)
		case "collaboration-type":
			if once(k) {
				a.CollaborationType = r.code(k, "collaboration-type")
			}
		case "default-flow-type":
			if once(k) {
				a.DefaultFlowType = r.code(k, "default-flow-type")
			}
		case "default-finance-type":
			if once(k) {
				a.DefaultFinanceType = r.code(k, "default-finance-type")
			}
		case "default-aid-type":
			a.DefaultAidTypes = append(a.DefaultAidTypes, r.aidType(k))
		case "default-tied-status":
			if once(k) {
				a.DefaultTiedStatus = r.code(k, "default-tied-status")
			}
		case "budget":
			a.Budgets = append(a.Budgets, r.budget(k, a))
		case "planned-disbursement":
			a.PlannedDisbursements = append(a.PlannedDisbursements, r.plannedDisbursement(k, a))
		case "transaction":
			a.Transactions = append(a.Transactions, r.transaction(k, a))
		case "document-link":
			a.DocumentLinks = append(a.DocumentLinks, r.documentLink(k))
		case "result":
			a.Results = append(a.Results, r.result(k))
		default:
			extra.add(r, "iati-activity", k, r.major == 1 || slotOf("iati-activity", k.name.Local) == len(childOrder["iati-activity"]))
		}
	}
	a.Extra = extra.sorted("iati-activity")
	if len(a.Dates) == 0 {
		a.Dates = nil // all of them derived ones, which are left out
	}
	if len(a.Title) == 0 {
		r.warn(n.line, "the activity has no title")
	}
	return a
}

// sized returns an empty slice with room for n elements, nil for none.
func sized[T any](s []T, n int) []T {
	if n == 0 {
		return s
	}
	return make([]T, 0, n)
}

// fragments collects the elements of a parent that the model keeps as
// XML.
type fragments []fragment

type fragment struct {
	slot int
	f    tcmis.Fragment
}

func (fs *fragments) add(r *Reader, parent string, n *node, legacy bool) {
	if n.name.Space == LegacyNamespace {
		unlegacy(n)
		legacy = true
	}
	slot := len(childOrder[parent])
	if !legacy && n.name.Space == "" {
		slot = slotOf(parent, n.name.Local)
	}
	if legacy && r.major >= 2 && n.name.Space == "" && slotOf(parent, n.name.Local) == len(childOrder[parent]) {
		r.warn(n.line, fmt.Sprintf("<%s> is not an IATI element here: kept, and exported in the tcmis legacy namespace", n.name.Local))
	}
	*fs = append(*fs, fragment{slot: slot, f: tcmis.Fragment{Name: n.name.Local, Space: n.name.Space, Legacy: legacy, XML: fragmentXML(n, r.prefixes)}})
}

// sorted returns the fragments in the order the writer writes them: by
// their place in the schema, in file order within a place.
func (fs fragments) sorted(parent string) []tcmis.Fragment {
	if len(fs) == 0 {
		return nil
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].slot < fs[j].slot })
	out := make([]tcmis.Fragment, len(fs))
	for i, f := range fs {
		out[i] = f.f
	}
	return out
}

// attrs reads an element's attributes: the known ones into their fields
// (a key "xml:lang" for the language), namespaced and unknown ones into
// the returned list (when keep), the latter with a warning. allowed are
// attributes read elsewhere.
// field is an attribute the model reads into a string.
type field struct {
	name string
	p    *string
}

type fields []field

func (fs fields) find(name string) *string {
	for _, f := range fs {
		if f.name == name {
			return f.p
		}
	}
	return nil
}

func (r *Reader) attrs(n *node, elem string, known fields, keep bool, allowed ...string) []tcmis.Attr {
	var out []tcmis.Attr
	for _, a := range n.attrs {
		if isNSDecl(a) {
			continue
		}
		key := a.Name.Local
		switch a.Name.Space {
		case "":
		case xmlNamespace:
			key = "xml:" + key
		case LegacyNamespace:
			out = append(out, tcmis.Attr{Name: a.Name.Local, Value: a.Value})
			continue
		default:
			if keep {
				out = append(out, tcmis.Attr{Space: a.Name.Space, Prefix: r.prefixes[a.Name.Space], Name: a.Name.Local, Value: a.Value})
			} else {
				r.warn(n.line, fmt.Sprintf("attribute %s of <%s> is not kept", key, elem))
			}
			continue
		}
		if p := known.find(key); p != nil {
			*p = strings.TrimSpace(a.Value)
			if key == "xml:lang" {
				*p = a.Value
			}
			continue
		}
		if contains(allowed, key) {
			continue
		}
		if keep && a.Name.Space == "" {
			if r.major >= 2 {
				r.warn(n.line, fmt.Sprintf("<%s> has an attribute %s that IATI %s does not define: kept, and exported in the tcmis legacy namespace", elem, key, r.version))
			}
			out = append(out, tcmis.Attr{Name: a.Name.Local, Value: a.Value})
			continue
		}
		r.warn(n.line, fmt.Sprintf("attribute %s of <%s> is not kept: tcmis has no place for it", key, elem))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *Reader) noAttrs(n *node) { r.attrs(n, n.name.Local, nil, false) }

func (r *Reader) noAttrsExcept(n *node, allowed ...string) {
	r.attrs(n, n.name.Local, nil, false, allowed...)
}

// code reads the code attribute of a coded element; version 1 files write
// the code's name as text, which the codelist gives back.
func (r *Reader) code(n *node, elem string) string {
	var code string
	r.attrs(n, elem, fields{{"code", &code}}, false, "xml:lang")
	r.noKids(n)
	if code == "" {
		r.warn(n.line, fmt.Sprintf("<%s> without a code", elem))
	}
	if t := strings.TrimSpace(n.text()); t != "" && r.major >= 2 {
		r.warn(n.line, fmt.Sprintf("text in <%s> (%q): IATI 2 gives the code only; the text is not kept", elem, clip(t, 40)))
	}
	return code
}

// noKids warns about child elements of an element that has none in the
// model.
func (r *Reader) noKids(n *node) {
	for _, k := range n.kids() {
		r.warn(k.line, fmt.Sprintf("<%s> inside <%s> is not kept: tcmis has no place for it", displayName(k.name), n.name.Local))
	}
}

func (r *Reader) vocabulary(n *node, v string, v1 map[string]string) string {
	if c, ok := v1[strings.ToUpper(v)]; ok && r.major == 1 {
		return c
	}
	if _, ok := v1[strings.ToUpper(v)]; ok && r.major >= 2 {
		r.warn(n.line, fmt.Sprintf("vocabulary %q of <%s> is a version 1 code: read as %s", v, n.name.Local, v1[strings.ToUpper(v)]))
		return v1[strings.ToUpper(v)]
	}
	return v
}

// narratives reads the narratives of an element; a version 1 file has
// the text in the element itself, in the language of its xml:lang.
func (r *Reader) narratives(n *node) tcmis.Narratives {
	ns, extra := r.narrativesExtra(n, "")
	for _, f := range extra {
		r.warn(n.line, fmt.Sprintf("<%s> inside <%s> is not kept: tcmis has no place for it", f.Name, n.name.Local))
	}
	return ns
}

// narrativesExtra reads narratives and keeps other children as fragments
// of parent (none kept when parent is "").
func (r *Reader) narrativesExtra(n *node, parent string) (tcmis.Narratives, []tcmis.Fragment) {
	var ns tcmis.Narratives
	var extra fragments
	for _, k := range n.kids() {
		if k.name.Space == "" && k.name.Local == "narrative" {
			nv := tcmis.Narrative{Text: k.text()}
			r.attrs(k, "narrative", fields{{"xml:lang", &nv.Lang}}, false)
			r.noKids(k)
			ns = append(ns, nv)
			continue
		}
		if parent == "" {
			extra = append(extra, fragment{f: tcmis.Fragment{Name: k.name.Local}})
			continue
		}
		extra.add(r, parent, k, r.major == 1 || (k.name.Space == "" && slotOf(parent, k.name.Local) == len(childOrder[parent])))
	}
	if n.hasText() {
		t := n.text()
		if r.major >= 2 {
			switch n.name.Local {
			case "title", "description":
				r.fail(n.line, fmt.Sprintf("text directly inside <%s>: IATI %s puts texts in <narrative> elements; is this a version 1 file declaring version %s?", n.name.Local, r.version, r.version))
			default:
				r.warn(n.line, fmt.Sprintf("text directly inside <%s>: IATI 2 puts texts in <narrative> elements; read as a narrative", n.name.Local))
			}
		}
		lang, _ := attrValue(n, xmlNamespace, "lang")
		ns = append(ns, tcmis.Narrative{Lang: lang, Text: t})
	}
	if parent == "" {
		out := make([]tcmis.Fragment, len(extra))
		for i, f := range extra {
			out[i] = f.f
		}
		return ns, out
	}
	return ns, extra.sorted(parent)
}

func attrValue(n *node, space, local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// org reads an organisation element.
func (r *Reader) org(n *node, elem string) tcmis.Org {
	o := tcmis.Org{}
	// An array, not appends, keeps o off the heap.
	known := [5]field{{"ref", &o.Ref}, {"type", &o.Type}}
	k := 2
	switch elem {
	case "reporting-org":
		known[2], k = field{"secondary-reporter", &o.SecondaryReporter}, 3
	case "participating-org":
		known[2], known[3], known[4], k = field{"role", &o.Role}, field{"activity-id", &o.ActivityID}, field{"crs-channel-code", &o.CRSChannel}, 5
	case "provider-org":
		known[2], k = field{"provider-activity-id", &o.ActivityID}, 3
	case "receiver-org":
		known[2], k = field{"receiver-activity-id", &o.ActivityID}, 3
	}
	o.Attrs = r.attrs(n, elem, known[:k], true, "xml:lang")
	o.Name, o.Extra = r.narrativesExtra(n, "org")
	if elem == "participating-org" {
		if code, ok := roles1[strings.ToLower(o.Role)]; ok {
			if r.major >= 2 {
				r.fail(n.line, fmt.Sprintf("participating-org role %q is a version 1 code (IATI %s uses %s): is this a version 1 file declaring version %s?", o.Role, r.version, code, r.version))
			}
			o.Role = code
		} else if o.Role == "" {
			r.warn(n.line, "<participating-org> without a role")
		}
	}
	return o
}

func (r *Reader) activityDate(n *node) tcmis.ActivityDate {
	d := tcmis.ActivityDate{}
	var iso string
	d.Attrs = r.attrs(n, "activity-date", fields{{"type", &d.Type}, {"iso-date", &iso}}, true, "xml:lang")
	if code, ok := dateTypes1[strings.ToLower(d.Type)]; ok {
		if r.major >= 2 {
			r.fail(n.line, fmt.Sprintf("activity-date type %q is a version 1 code (IATI %s uses %s): is this a version 1 file declaring version %s?", d.Type, r.version, code, r.version))
		}
		d.Type = code
	}
	d.Text, d.Extra = r.narrativesExtra(n, "narratives")
	if iso == "" && r.major == 1 && len(d.Text) == 1 {
		iso = strings.TrimSpace(d.Text[0].Text)
	}
	d.Date = r.date(n, "activity-date", iso, true)
	return d
}

// date reads an xsd:date. A missing date is a warning when optional, an
// impossible one an error.
func (r *Reader) date(n *node, what, s string, required bool) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			r.warn(n.line, fmt.Sprintf("<%s> has no iso-date", what))
		}
		return time.Time{}
	}
	day := s
	if len(s) > 10 {
		day = s[:10]
	}
	t, err := parseDay(day)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		r.fail(n.line, fmt.Sprintf("%s %q is not a date written YYYY-MM-DD", what, s))
		return time.Time{}
	}
	if len(s) > 10 {
		rest := s[10:]
		if rest != "Z" && !strings.HasPrefix(rest, "T") && !strings.HasPrefix(rest, "+") && !strings.HasPrefix(rest, "-") {
			r.fail(n.line, fmt.Sprintf("%s %q is not a date written YYYY-MM-DD", what, s))
			return time.Time{}
		}
		r.warn(n.line, fmt.Sprintf("%s %q has a time or zone after the day: only the day is kept", what, s))
	}
	return t
}

// parseDay is time.Parse(tcmis.DateLayout, s), faster for the common
// case of a valid date.
func parseDay(s string) (time.Time, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return t, nil
			}
		}
	}
	return time.Parse(tcmis.DateLayout, s)
}

func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// periodDate reads the iso-date of a period-start or period-end child.
func (r *Reader) periodDate(n *node, what string) time.Time {
	var iso string
	r.attrs(n, what, fields{{"iso-date", &iso}}, false)
	r.noKids(n)
	if iso == "" && r.major == 1 {
		iso = n.text()
	}
	return r.date(n, what, iso, true)
}

// value reads a value element: an amount in minor units of its currency.
func (r *Reader) value(n *node, a *tcmis.Activity) tcmis.Value {
	v := tcmis.Value{}
	var vd string
	v.Attrs = r.attrs(n, "value", fields{{"currency", &v.Currency}, {"value-date", &vd}}, true)
	r.noKids(n)
	cur := a.CurrencyOf(v)
	switch {
	case v.Currency != "" && !tcmis.LookupCodelist(tcmis.ListCurrency).Has(v.Currency):
		r.fail(n.line, fmt.Sprintf("currency %q is not an ISO 4217 currency code", v.Currency))
		cur = "USD"
	case cur == "":
		r.fail(n.line, "the value has no currency, and the activity no default-currency")
		cur = "USD"
	}
	v.ValueDate = r.date(n, "value-date", vd, false)
	if vd == "" {
		r.warn(n.line, "<value> without a value-date")
	}
	text := strings.TrimSpace(n.text())
	amt, rounded, err := parseAmount(text, cur)
	if err != nil {
		r.fail(n.line, err.Error())
	} else if rounded {
		r.warn(n.line, fmt.Sprintf("value %s has more decimals than %s has: rounded to %s", text, cur, tcmis.FormatAmount(amt, cur)))
	}
	v.Amount = amt
	return v
}

// parseAmount reads an amount written as an xsd:decimal (or, leniently,
// with an exponent) into minor units of cur, rounding half away from zero
// to the minor unit. It never goes through a float.
func parseAmount(s, cur string) (int64, bool, error) {
	if s == "" {
		return 0, false, errors.New("the value is empty: an amount is required")
	}
	if v, rounded, ok := fastAmount(s, tcmis.MinorDigits(cur)); ok {
		return v, rounded, nil
	}
	clean := strings.ReplaceAll(s, ",", "")
	if len(clean) > 40 || !decimalLike(clean) {
		return 0, false, fmt.Errorf("%q is not an amount", clip(s, 40))
	}
	if i := strings.IndexAny(clean, "eE"); i >= 0 {
		exp := clean[i+1:]
		if len(strings.TrimLeft(exp, "+-")) > 2 {
			return 0, false, fmt.Errorf("%q is not a plausible amount", s)
		}
	}
	q, ok := new(big.Rat).SetString(clean)
	if !ok {
		return 0, false, fmt.Errorf("%q is not an amount", clip(s, 40))
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(tcmis.MinorDigits(cur))), nil)
	q.Mul(q, new(big.Rat).SetInt(scale))
	num, den := q.Num(), q.Denom()
	quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	rounded := rem.Sign() != 0
	if rounded {
		rem.Abs(rem).Mul(rem, big.NewInt(2))
		if rem.Cmp(den) >= 0 {
			if num.Sign() < 0 {
				quo.Sub(quo, big.NewInt(1))
			} else {
				quo.Add(quo, big.NewInt(1))
			}
		}
	}
	if !quo.IsInt64() || quo.Int64() > 1e17 || quo.Int64() < -1e17 {
		return 0, false, fmt.Errorf("%q is too large an amount", clip(s, 40))
	}
	return quo.Int64(), rounded, nil
}

// fastAmount reads the common case, a plain decimal of at most 17
// digits, without big numbers; ok is false for anything else.
func fastAmount(s string, digits int) (int64, bool, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole)+len(frac) > 17 || len(whole)+len(frac) == 0 {
		return 0, false, false
	}
	var v int64
	for i := 0; i < len(whole); i++ {
		c := whole[i]
		if c < '0' || c > '9' {
			return 0, false, false
		}
		v = v*10 + int64(c-'0')
	}
	rounded, up := false, false
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return 0, false, false
		}
		switch {
		case i < digits:
			v = v*10 + int64(c-'0')
		case i == digits:
			up = c >= '5'
			rounded = rounded || c != '0'
		default:
			rounded = rounded || c != '0'
		}
	}
	for i := len(frac); i < digits; i++ {
		v *= 10
	}
	if up {
		v++
	}
	if neg {
		v = -v
	}
	return v, rounded, true
}

// decimalLike reports whether s is a decimal number, with an optional
// exponent: [+-]digits[.digits][(e|E)[+-]digits].
func decimalLike(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func (r *Reader) aidType(n *node) tcmis.AidType {
	t := tcmis.AidType{}
	r.attrs(n, n.name.Local, fields{{"code", &t.Code}, {"vocabulary", &t.Vocabulary}}, false, "xml:lang")
	r.noKids(n)
	if t.Code == "" {
		r.warn(n.line, fmt.Sprintf("<%s> without a code", n.name.Local))
	}
	return t
}

func (r *Reader) budget(n *node, a *tcmis.Activity) tcmis.IATIBudget {
	b := tcmis.IATIBudget{}
	b.Attrs = r.attrs(n, "budget", fields{{"type", &b.Type}, {"status", &b.Status}}, true)
	var extra fragments
	hasValue := false
	for _, k := range n.kids() {
		switch {
		case k.name.Space != "":
			extra.add(r, "budget", k, false)
		case k.name.Local == "period-start":
			b.Start = r.periodDate(k, "period-start")
		case k.name.Local == "period-end":
			b.End = r.periodDate(k, "period-end")
		case k.name.Local == "value":
			b.Value = r.value(k, a)
			hasValue = true
		default:
			extra.add(r, "budget", k, true)
		}
	}
	if !hasValue {
		r.fail(n.line, "the budget has no <value>")
	}
	b.Extra = extra.sorted("budget")
	return b
}

func (r *Reader) plannedDisbursement(n *node, a *tcmis.Activity) tcmis.PlannedDisbursement {
	d := tcmis.PlannedDisbursement{}
	d.Attrs = r.attrs(n, "planned-disbursement", fields{{"type", &d.Type}}, true)
	var extra fragments
	hasValue := false
	for _, k := range n.kids() {
		switch {
		case k.name.Space != "":
			extra.add(r, "planned-disbursement", k, false)
		case k.name.Local == "period-start":
			d.Start = r.periodDate(k, "period-start")
		case k.name.Local == "period-end":
			d.End = r.periodDate(k, "period-end")
		case k.name.Local == "value":
			d.Value = r.value(k, a)
			hasValue = true
		case k.name.Local == "provider-org" && d.Provider == nil:
			o := r.org(k, "provider-org")
			d.Provider = &o
		case k.name.Local == "receiver-org" && d.Receiver == nil:
			o := r.org(k, "receiver-org")
			d.Receiver = &o
		default:
			extra.add(r, "planned-disbursement", k, true)
		}
	}
	if !hasValue {
		r.fail(n.line, "the planned disbursement has no <value>")
	}
	d.Extra = extra.sorted("planned-disbursement")
	return d
}

func (r *Reader) transaction(n *node, a *tcmis.Activity) tcmis.Transaction {
	t := tcmis.Transaction{}
	t.Attrs = r.attrs(n, "transaction", fields{{"ref", &t.Ref}, {"humanitarian", &t.Humanitarian}}, true)
	var extra fragments
	hasValue := false
	seen := map[string]bool{}
	for _, k := range n.kids() {
		if k.name.Space != "" {
			extra.add(r, "transaction", k, false)
			continue
		}
		name := k.name.Local
		if seen[name] && name != "aid-type" && name != "sector" && name != "recipient-country" && name != "recipient-region" {
			r.warn(k.line, fmt.Sprintf("a second <%s> in the transaction: IATI allows one; kept as it is", name))
			extra.add(r, "transaction", k, true)
			continue
		}
		seen[name] = true
		switch name {
		case "transaction-type":
			t.Type = r.transactionType(k)
		case "transaction-date":
			var iso string
			r.attrs(k, "transaction-date", fields{{"iso-date", &iso}}, false)
			r.noKids(k)
			if iso == "" && r.major == 1 {
				iso = k.text()
			}
			t.Date = r.date(k, "transaction-date", iso, false)
			if t.Date.IsZero() && iso == "" {
				r.fail(k.line, "the transaction date has no iso-date")
			}
		case "value":
			t.Value = r.value(k, a)
			hasValue = true
		case "description":
			r.noAttrsExcept(k, "xml:lang")
			t.Description = r.narratives(k)
		case "provider-org":
			o := r.org(k, "provider-org")
			t.Provider = &o
		case "receiver-org":
			o := r.org(k, "receiver-org")
			t.Receiver = &o
		case "disbursement-channel":
			t.DisbursementChannel = r.code(k, name)
		case "flow-type":
			t.FlowType = r.code(k, name)
		case "finance-type":
			t.FinanceType = r.code(k, name)
		case "aid-type":
			t.AidTypes = append(t.AidTypes, r.aidType(k))
		case "tied-status":
			t.TiedStatus = r.code(k, name)
		default:
			extra.add(r, "transaction", k, r.major == 1 || slotOf("transaction", name) == len(childOrder["transaction"]))
		}
	}
	switch {
	case !seen["transaction-type"]:
		r.fail(n.line, "the transaction has no <transaction-type>")
	case !seen["transaction-date"]:
		r.fail(n.line, "the transaction has no <transaction-date>")
	case !hasValue:
		r.fail(n.line, "the transaction has no <value>")
	}
	t.Extra = extra.sorted("transaction")
	return t
}

func (r *Reader) transactionType(n *node) string {
	var code string
	r.attrs(n, "transaction-type", fields{{"code", &code}}, false, "xml:lang")
	r.noKids(n)
	if c, ok := transactionTypes1[strings.ToUpper(code)]; ok {
		if r.major >= 2 {
			r.fail(n.line, fmt.Sprintf("transaction type %q is a version 1 code (IATI %s uses %s): is this a version 1 file declaring version %s?", code, r.version, c, r.version))
		}
		return c
	}
	if !transactionTypes2[code] {
		r.fail(n.line, fmt.Sprintf("transaction type %q is not an IATI transaction type (1 to 13, or C, D, E, IF, IR, LR, R, QP, QS, CG in version 1)", code))
	}
	return code
}

func (r *Reader) documentLink(n *node) tcmis.DocumentLink {
	d := tcmis.DocumentLink{}
	d.Attrs = r.attrs(n, "document-link", fields{{"url", &d.URL}, {"format", &d.Format}}, true)
	var extra fragments
	for _, k := range n.kids() {
		if k.name.Space != "" {
			extra.add(r, "document-link", k, false)
			continue
		}
		switch k.name.Local {
		case "title":
			r.noAttrsExcept(k, "xml:lang")
			d.Title = append(d.Title, r.narratives(k)...)
		case "description":
			r.noAttrsExcept(k, "xml:lang")
			d.Description = append(d.Description, r.narratives(k)...)
		case "category":
			d.Categories = append(d.Categories, r.code(k, "category"))
		case "language":
			d.Languages = append(d.Languages, r.code(k, "language"))
		case "document-date":
			if d.Date.IsZero() {
				var iso string
				r.attrs(k, "document-date", fields{{"iso-date", &iso}}, false)
				d.Date = r.date(k, "document-date", iso, true)
				break
			}
			fallthrough
		default:
			extra.add(r, "document-link", k, true)
		}
	}
	if d.URL == "" {
		r.warn(n.line, "<document-link> without a url")
	}
	d.Extra = extra.sorted("document-link")
	return d
}

func (r *Reader) result(n *node) tcmis.IATIResult {
	res := tcmis.IATIResult{}
	res.Attrs = r.attrs(n, "result", fields{{"type", &res.Type}, {"aggregation-status", &res.AggregationStatus}}, true)
	if c, ok := resultTypes1[strings.ToLower(res.Type)]; ok {
		res.Type = c
	}
	var extra fragments
	for _, k := range n.kids() {
		if k.name.Space != "" {
			extra.add(r, "result", k, false)
			continue
		}
		switch k.name.Local {
		case "title":
			r.noAttrsExcept(k, "xml:lang")
			res.Title = append(res.Title, r.narratives(k)...)
		case "description":
			r.noAttrsExcept(k, "xml:lang", "type")
			res.Description = append(res.Description, r.narratives(k)...)
		case "indicator":
			res.Indicators = append(res.Indicators, r.indicator(k))
		default:
			extra.add(r, "result", k, r.major == 1 || slotOf("result", k.name.Local) == len(childOrder["result"]))
		}
	}
	res.Extra = extra.sorted("result")
	return res
}

func (r *Reader) indicator(n *node) tcmis.IATIIndicator {
	ind := tcmis.IATIIndicator{}
	ind.Attrs = r.attrs(n, "indicator", fields{{"measure", &ind.Measure}, {"ascending", &ind.Ascending},
		{"aggregation-status", &ind.AggregationStatus}}, true)
	var extra fragments
	for _, k := range n.kids() {
		if k.name.Space != "" {
			extra.add(r, "indicator", k, false)
			continue
		}
		switch k.name.Local {
		case "title":
			r.noAttrsExcept(k, "xml:lang")
			ind.Title = append(ind.Title, r.narratives(k)...)
		case "description":
			r.noAttrsExcept(k, "xml:lang", "type")
			ind.Description = append(ind.Description, r.narratives(k)...)
		case "baseline":
			b := tcmis.Baseline{}
			var iso string
			known := fields{{"year", &b.Year}, {"iso-date", &iso}, {"value", &b.Value}}
			b.Attrs = r.attrs(k, "baseline", known, true)
			_, b.HasValue = k.attr("value")
			b.Date = r.date(k, "baseline iso-date", iso, false)
			var bx fragments
			for _, c := range k.kids() {
				if c.name.Space == "" && c.name.Local == "comment" {
					b.Comment = append(b.Comment, r.narratives(c)...)
					continue
				}
				bx.add(r, "baseline", c, r.major == 1 || (c.name.Space == "" && slotOf("baseline", c.name.Local) == len(childOrder["baseline"])))
			}
			if t := strings.TrimSpace(k.text()); t != "" && r.major == 1 {
				b.Comment = append(b.Comment, tcmis.Narrative{Text: t})
			}
			b.Extra = bx.sorted("baseline")
			ind.Baselines = append(ind.Baselines, b)
		case "period":
			ind.Periods = append(ind.Periods, r.period(k))
		default:
			extra.add(r, "indicator", k, r.major == 1 || slotOf("indicator", k.name.Local) == len(childOrder["indicator"]))
		}
	}
	ind.Extra = extra.sorted("indicator")
	return ind
}

func (r *Reader) period(n *node) tcmis.ResultPeriod {
	p := tcmis.ResultPeriod{}
	p.Attrs = r.attrs(n, "period", nil, true)
	var extra fragments
	for _, k := range n.kids() {
		if k.name.Space != "" {
			extra.add(r, "period", k, false)
			continue
		}
		switch k.name.Local {
		case "period-start":
			p.Start = r.periodDate(k, "period-start")
		case "period-end":
			p.End = r.periodDate(k, "period-end")
		case "target", "actual":
			v := tcmis.PeriodValue{}
			r.attrs(k, k.name.Local, fields{{"value", &v.Value}}, false)
			_, v.HasValue = k.attr("value")
			var vx fragments
			for _, c := range k.kids() {
				if c.name.Space == "" && c.name.Local == "comment" {
					v.Comment = append(v.Comment, r.narratives(c)...)
					continue
				}
				vx.add(r, "period-value", c, r.major == 1 || (c.name.Space == "" && slotOf("period-value", c.name.Local) == len(childOrder["period-value"])))
			}
			if t := strings.TrimSpace(k.text()); t != "" && r.major == 1 {
				v.Comment = append(v.Comment, tcmis.Narrative{Text: t})
			}
			v.Extra = vx.sorted("period-value")
			if k.name.Local == "target" {
				p.Targets = append(p.Targets, v)
			} else {
				p.Actuals = append(p.Actuals, v)
			}
		default:
			extra.add(r, "period", k, true)
		}
	}
	p.Extra = extra.sorted("period")
	return p
}
