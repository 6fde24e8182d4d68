package validate

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// A validation runs as a two-stage pipeline so that both cores of a small
// machine work: the calling goroutine reads the XML, validates it against
// the schema and builds the tree of each activity; a second goroutine runs
// the codelist and ruleset checks on finished trees and assembles the
// report. Trees go back and forth through channels and are reused, so memory
// stays at a few activities whatever the size of the file.

const treesInFlight = 4

// maxRecordNodes bounds the tree of one record (about 100 bytes a node).
// Larger records are still read and schema-checked, but get no codelist or
// rule checks.
const (
	maxRecordNodes = 500000
	maxRecordBytes = 64 << 20 // of attribute values and text
)

// item travels from the reader to the checker: a finished record with its
// schema problems, or problems found outside any record.
type item struct {
	t        *tree
	problems []Problem
	line     int  // line of the record's start tag
	partial  bool // the input ended inside the record
	tooBig   bool // the record has more than maxRecordNodes nodes
}

// rootInfo describes the root element; every record's tree starts with it.
type rootInfo struct {
	name   qname
	prefix string
	attrs  []scanAttr
	line   int
	col    int
}

// run is the state of one validation; runs are pooled to reuse buffers.
type run struct {
	v  *Validator
	sc *scanner
	sv *schemaValidator

	// reader side
	paths    *pathTable
	root     rootInfo
	cur      *tree
	curProbs []Problem
	loose    []Problem
	inRecord bool
	tooBig   bool // the current record outgrew maxRecordNodes
	recLine  int
	free     chan *tree
	items    chan item
	record   qname // iati-activity or iati-organisation
	idName   string
	rules    bool // codelists and rules apply to this version

	// checker side
	rep     *Report
	ids     map[string]int // identifier -> line of first use
	clCache map[int32][]*codeMapping
	env     ruleEnv
	xe      xeval
}

func newRun(v *Validator) *run {
	ru := &run{v: v, sc: newScanner(nil), paths: newPathTable()}
	ru.sv = newSchemaValidator(nil, ru.schemaProblem)
	ru.free = make(chan *tree, treesInFlight+2)
	for i := 0; i < treesInFlight+2; i++ {
		ru.free <- &tree{}
	}
	return ru
}

func (ru *run) release() {
	ru.rep = nil
	ru.ids = nil
	ru.loose = nil
	ru.curProbs = nil
	ru.sc.rd = nil
	ru.cur = nil
	// keep the buffers, but not huge ones
	if cap(ru.sc.buf) > 4*initialBufSize {
		ru.sc.buf = make([]byte, initialBufSize)
	}
	if len(ru.paths.names) > 100000 {
		ru.paths = newPathTable()
		ru.clCache = nil
	}
	n := len(ru.free)
	for i := 0; i < n; i++ {
		t := <-ru.free
		if cap(t.buf) > 1<<20 || cap(t.nodes) > 1<<16 {
			t = &tree{}
		}
		ru.free <- t
	}
}

// ---- reader side ----

func (ru *run) add(p Problem) {
	if ru.inRecord {
		ru.curProbs = append(ru.curProbs, p)
		return
	}
	ru.loose = append(ru.loose, p)
}

func (ru *run) schemaProblem(line, col int, path, msg string) {
	ru.add(Problem{RuleID: RuleSchema, Severity: SeverityError, Category: "schema",
		Message: msg, Line: line, Column: col, Path: path})
}

func (ru *run) sendLoose() {
	if len(ru.loose) > 0 {
		ru.items <- item{problems: ru.loose}
		ru.loose = nil
	}
}

func (ru *run) validate(r io.Reader, name string) (*Report, error) {
	ru.rep = &Report{File: name, Problems: []Problem{}}
	ru.inRecord = false
	ru.loose, ru.curProbs = nil, nil
	ru.ids = map[string]int{}
	if ru.paths.regGen != nameRegSize() { // a ruleset was compiled since
		ru.paths = newPathTable()
		ru.clCache = nil
	}
	if ru.clCache == nil {
		ru.clCache = map[int32][]*codeMapping{}
	}
	ru.env = ruleEnv{now: ru.v.now(), orgIDs: ru.v.orgIDs, orgIDPrefixes: ru.v.orgIDPrefixes}
	ru.items = make(chan item, treesInFlight)
	done := make(chan struct{})
	go ru.check(done)
	err := ru.safeRead(r)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.File = name
			ru.endPartial()
			ru.add(Problem{RuleID: RuleXML, Severity: SeverityError, Category: "xml",
				Message: "The file is not well-formed XML: " + se.Msg, Line: se.Line, Column: se.Column})
			err = se
		} else {
			ru.endPartial()
			err = fmt.Errorf("%s: %w", name, err)
		}
	}
	ru.sendLoose()
	close(ru.items)
	<-done
	return ru.rep, err
}

// safeRead is read that turns a panic (a bug) into an error, so that the
// checker goroutine is always stopped.
func (ru *run) safeRead(r io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if ru.inRecord { // the record's tree is in an unknown state
				ru.inRecord = false
				ru.cur = nil
				ru.free <- &tree{}
			}
			err = fmt.Errorf("internal error in the validator: %v", p)
		}
	}()
	return ru.read(r)
}

// read runs the reader side until the end of the input or the first error.
func (ru *run) read(r io.Reader) error {
	tr, err := openText(r)
	if err != nil {
		return err
	}
	sc := ru.sc
	sc.reset(tr)
	schemaOn := false
	for {
		k, err := sc.next()
		if err != nil {
			return err
		}
		switch k {
		case tokStart:
			depth := sc.depth()
			if depth == 1 {
				schemaOn = ru.startRoot()
			}
			if schemaOn {
				ru.sv.start(sc.name, sc.prefix, sc.attrs, sc.tokLine, sc.tokCol)
			}
			if depth == 2 && sc.name == ru.record {
				ru.startRecord()
			}
			if ru.inRecord && !ru.tooBig {
				if len(ru.cur.nodes) > maxRecordNodes || len(ru.cur.buf) > maxRecordBytes {
					ru.tooBig = true
				} else {
					ru.cur.startElem(sc.name, sc.prefix, sc.attrs, sc.tokLine, sc.tokCol)
				}
			}
		case tokText:
			if schemaOn {
				ru.sv.text(sc.text)
			}
			if ru.inRecord && !ru.tooBig {
				if len(ru.cur.buf) > maxRecordBytes {
					ru.tooBig = true
				} else {
					ru.cur.text(sc.text, sc.tokLine, sc.tokCol)
				}
			}
		case tokEnd:
			if schemaOn {
				ru.sv.end()
			}
			if ru.inRecord {
				if !ru.tooBig {
					ru.cur.endElem()
				}
				if sc.depth() == 1 {
					ru.endRecord(false)
				}
			}
		case tokEOF:
			return nil
		}
	}
}

// startRoot looks at the root element: document type, version, schema.
func (ru *run) startRoot() bool {
	sc := ru.sc
	rep := ru.rep
	kind := "activities"
	switch {
	case sc.name == (qname{"", "iati-activities"}):
		rep.DocumentType = "iati-activities"
		ru.record, ru.idName = qname{"", "iati-activity"}, "iati-identifier"
	case sc.name == (qname{"", "iati-organisations"}):
		rep.DocumentType = "iati-organisations"
		kind = "organisations"
		ru.record, ru.idName = qname{"", "iati-organisation"}, "organisation-identifier"
	default:
		ru.record, ru.idName = qname{"", "iati-activity"}, "iati-identifier"
	}
	hasVersion := false
	for _, a := range sc.attrs {
		if a.Name == (qname{"", "version"}) {
			rep.Version = strings.TrimSpace(string(a.Value))
			hasVersion = true
		}
	}
	sv := ru.v.forceVersion
	if sv == "" {
		switch {
		case rep.Version == "2.01" || rep.Version == "2.02" || rep.Version == "2.03":
			sv = rep.Version
		case strings.HasPrefix(rep.Version, "1.0") && len(rep.Version) == 4:
			sv = "1.05"
		case !hasVersion && rep.DocumentType != "":
			sv = "1.05"
			ru.add(Problem{RuleID: RuleVersion, Severity: SeverityWarning, Category: "schema",
				Message: "The root element has no version attribute: the file is read as version 1.01 and validated against the 1.05 schema.",
				Line:    sc.tokLine, Column: sc.tokCol})
		default:
			sv = "2.03"
			if rep.DocumentType != "" {
				ru.add(Problem{RuleID: RuleVersion, Severity: SeverityWarning, Category: "schema",
					Message: fmt.Sprintf("Version %q is not a known IATI version: the file is validated against the 2.03 schema.", rep.Version),
					Line:    sc.tokLine, Column: sc.tokCol})
			}
		}
	}
	rep.SchemaVersion = sv
	ru.rules = strings.HasPrefix(sv, "2.")
	if !ru.rules && rep.DocumentType != "" {
		ru.add(Problem{RuleID: RuleVersion, Severity: SeverityInfo, Category: "schema",
			Message: "Version " + rep.Version + " files are checked against the schema only: codelist and ruleset checks apply to versions 2.0x.",
			Line:    sc.tokLine, Column: sc.tokCol})
	}
	s, err := embeddedSchema(sv, kind)
	if err != nil { // the embedded schemas are tested; this is a build problem
		ru.add(Problem{RuleID: RuleSchema, Severity: SeverityError, Category: "schema", Message: err.Error(), Line: sc.tokLine, Column: sc.tokCol})
		return false
	}
	ru.sv.reset(s)
	ru.setRoot()
	// codelists of the root element (version, xml:lang)
	if ru.rules && ru.v.codelists != nil && rep.DocumentType != "" {
		t := <-ru.free
		t.begin(&ru.root, ru.paths)
		t.finish(ru.paths)
		ru.v.codelists.check(t, 1, 1, nil, func(cp codeProblem) {
			ru.add(codeProblemOf(t, cp))
		})
		ru.free <- t
	}
	return true
}

// setRoot remembers the root element (copying the scanner's values).
func (ru *run) setRoot() {
	sc := ru.sc
	r := &ru.root
	r.name, r.prefix, r.line, r.col = sc.name, sc.prefix, sc.tokLine, sc.tokCol
	r.attrs = nil
	for _, a := range sc.attrs {
		if a.isNS {
			continue
		}
		r.attrs = append(r.attrs, scanAttr{Name: a.Name, Prefix: a.Prefix, Value: append([]byte(nil), a.Value...)})
	}
}

func (ru *run) startRecord() {
	ru.sendLoose()
	ru.inRecord = true
	ru.tooBig = false
	ru.recLine = ru.sc.tokLine
	ru.cur = <-ru.free
	ru.cur.begin(&ru.root, ru.paths)
}

// endRecord hands the finished record to the checker.
func (ru *run) endRecord(partial bool) {
	ru.cur.finish(ru.paths)
	ru.items <- item{t: ru.cur, problems: ru.curProbs, line: ru.recLine, partial: partial, tooBig: ru.tooBig}
	ru.cur, ru.curProbs = nil, nil
	ru.inRecord = false
}

// endPartial hands over a record the input ended in.
func (ru *run) endPartial() {
	if ru.inRecord {
		ru.endRecord(true)
	}
}

// ---- checker side ----

func (ru *run) check(done chan<- struct{}) {
	defer close(done)
	ru.xe = xeval{scratch: ru.xe.scratch}
	for it := range ru.items {
		if it.t == nil {
			for _, p := range it.problems {
				ru.keep(p)
			}
			continue
		}
		ru.safeCheckRecord(it)
		ru.free <- it.t
	}
}

// safeCheckRecord reports a panic in the checks (a bug) as a problem of the
// record instead of crashing the program.
func (ru *run) safeCheckRecord(it item) {
	defer func() {
		if p := recover(); p != nil {
			ru.keep(Problem{RuleID: "internal", Severity: SeverityError, Category: "internal",
				Message: fmt.Sprintf("internal error in the validator while checking this record: %v", p), Line: it.line})
		}
	}()
	ru.checkRecord(it)
}

func (ru *run) keep(p Problem) {
	if ru.v.maxProblems > 0 && len(ru.rep.Problems) >= ru.v.maxProblems {
		ru.rep.Omitted++
		return
	}
	ru.rep.Problems = append(ru.rep.Problems, p)
}

func (ru *run) checkRecord(it item) {
	t := it.t
	ru.rep.Activities++
	probs := it.problems
	rec := t.recordNode()
	if it.tooBig {
		probs = append(probs, Problem{RuleID: RuleSize, Severity: SeverityWarning, Category: "size",
			Message: fmt.Sprintf("This record is too large (more than %d elements, attributes and texts, or %d MiB of text): its codes and rules were not checked, only its schema.", maxRecordNodes, maxRecordBytes>>20),
			Line:    it.line, Column: int(t.nodes[rec].col)})
	}
	if ru.rules && !it.partial && !it.tooBig {
		if ru.v.codelists != nil {
			ru.v.codelists.check(t, rec, t.nodes[rec].end, ru.clCache, func(cp codeProblem) {
				probs = append(probs, codeProblemOf(t, cp))
			})
		}
		if ru.v.rules != nil {
			ru.xe.reset(t)
			ru.v.rules.apply(&ru.xe, &ru.env, func(f ruleFailure) {
				probs = append(probs, ruleProblemOf(t, f, ru.rep.SchemaVersion))
			})
		}
	}
	id := ""
	if s, ok := t.childText(rec, ru.idName); ok {
		// a copy: a substring would keep the whole record's text alive
		id = strings.Clone(strings.TrimSpace(s))
	}
	if !it.partial && id != "" {
		if first, dup := ru.ids[id]; dup {
			probs = append(probs, Problem{RuleID: RuleDuplicate, Severity: SeverityError, Category: "identifiers",
				Message: "The activity identifier must be unique for each activity.",
				Detail:  fmt.Sprintf("%s %q is also used by the record at line %d", ru.idName, id, first),
				Line:    it.line, Column: int(t.nodes[rec].col), Path: nodePath(t, rec)})
		} else {
			ru.ids[id] = it.line
		}
	}
	sort.SliceStable(probs, func(i, j int) bool {
		a, b := &probs[i], &probs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	for _, p := range probs {
		p.Activity = id
		ru.keep(p)
	}
}

func codeProblemOf(t *tree, cp codeProblem) Problem {
	sev := SeverityWarning
	if cp.m.list.complete {
		sev = SeverityError
	}
	n := &t.nodes[cp.node]
	p := nodePath(t, cp.node)
	switch {
	case cp.m.text:
		p += "/text()"
	case cp.m.attr.Space == nsXML:
		p += "/@xml:" + cp.m.attr.Local
	default:
		p += "/@" + elemLabel(cp.m.attr, "")
	}
	return Problem{RuleID: RuleCodelistPrefix + cp.m.list.name, Severity: sev, Category: "codelist",
		Message: cp.message(t), Line: int(n.line), Column: int(n.col), Path: p}
}

// nodePath is the path of element i, such as /iati-activities/iati-activity/sector.
func nodePath(t *tree, i int32) string {
	var parts []string
	for p := t.nodes[i].path; p >= 0; p = t.pathUp[p] {
		parts = append(parts, t.pathNames[p])
	}
	var b strings.Builder
	for j := len(parts) - 1; j >= 0; j-- {
		b.WriteByte('/')
		b.WriteString(parts[j])
	}
	return b.String()
}

func ruleProblemOf(t *tree, f ruleFailure, version string) Problem {
	info := f.c.info
	p := Problem{RuleID: info.ID, Severity: strings.ToLower(info.Severity), Category: info.Category,
		Message: info.Message, Detail: f.detail, Path: f.context, Guidance: info.Link.URL}
	if p.Guidance == "" && info.Link.Path != "" {
		// a path in the reference documentation of the file's version
		p.Guidance = "https://iatistandard.org/en/iati-standard/" + strings.ReplaceAll(version, ".", "") + "/" + info.Link.Path
	}
	if p.RuleID == "" {
		p.RuleID = f.typ
	}
	switch p.Severity {
	case SeverityError, SeverityWarning, SeverityInfo:
	case "critical", "":
		p.Severity = SeverityError
	default:
		p.Severity = SeverityWarning
	}
	if p.Message == "" {
		p.Message = "Rule " + f.typ + " failed."
	}
	if f.node >= 0 && int(f.node) < len(t.nodes) {
		p.Line, p.Column = int(t.nodes[f.node].line), int(t.nodes[f.node].col)
	}
	return p
}
