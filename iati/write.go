package iati

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// Writer writes an IATI 2.03 activity file, one activity at a time, with
// the elements of each in the order the schema requires and the kept
// fragments at their place.
type Writer struct {
	w     *bufio.Writer
	err   error
	depth int
	count int
	// attrs collects the attributes of the element being written.
	attrs []string
	sb    strings.Builder
}

// NewWriter writes the start of an activity file generated at generated.
func NewWriter(w io.Writer, generated time.Time) *Writer {
	x := &Writer{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<iati-activities version="2.03" generated-datetime="` + generated.UTC().Format(time.RFC3339) +
		`" xmlns:` + legacyPrefix + `="` + LegacyNamespace + `">` + "\n")
	x.depth = 1
	return x
}

// Count returns how many activities were written.
func (x *Writer) Count() int { return x.count }

// Close ends the file and flushes it.
func (x *Writer) Close() error {
	x.depth = 0
	x.raw("</iati-activities>\n")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

func (x *Writer) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *Writer) indent() { x.raw(strings.Repeat(" ", x.depth)) }

// attr adds an attribute to the next element when its value is not empty.
func (x *Writer) attr(name, value string) {
	if value != "" {
		x.attrs = append(x.attrs, name, value)
	}
}

func (x *Writer) dateAttr(name string, t time.Time) {
	if !t.IsZero() {
		x.attr(name, t.Format(tcmis.DateLayout))
	}
}

// extraAttrs adds kept attributes: those without a namespace go to the
// legacy namespace, the others to theirs, declared on the element.
func (x *Writer) extraAttrs(as []tcmis.Attr) {
	declared := map[string]string{}
	for _, a := range as {
		switch a.Space {
		case "":
			x.attrs = append(x.attrs, legacyPrefix+":"+a.Name, a.Value)
		case xmlNamespace:
			x.attrs = append(x.attrs, "xml:"+a.Name, a.Value)
		default:
			p, ok := declared[a.Space]
			if !ok {
				p = a.Prefix
				if p == "" || p == legacyPrefix || p == "xml" || p == "xmlns" {
					p = "ns" + itoa(len(declared)+1)
				}
				for _, q := range declared {
					if q == p {
						p = "ns" + itoa(len(declared)+1)
					}
				}
				declared[a.Space] = p
				x.attrs = append(x.attrs, "xmlns:"+p, a.Space)
			}
			x.attrs = append(x.attrs, p+":"+a.Name, a.Value)
		}
	}
}

func (x *Writer) tag(name string, close string) {
	x.sb.Reset()
	x.sb.WriteString("<" + name)
	for i := 0; i < len(x.attrs); i += 2 {
		x.sb.WriteString(" " + x.attrs[i] + `="`)
		escapeAttr(&x.sb, x.attrs[i+1])
		x.sb.WriteByte('"')
	}
	x.sb.WriteString(close)
	x.attrs = x.attrs[:0]
	x.indent()
	x.raw(x.sb.String())
}

func (x *Writer) start(name string) {
	x.tag(name, ">\n")
	x.depth++
}

func (x *Writer) end(name string) {
	x.depth--
	x.indent()
	x.raw("</" + name + ">\n")
}

func (x *Writer) empty(name string) { x.tag(name, "/>\n") }

func (x *Writer) text(name, text string) {
	x.tag(name, ">")
	x.sb.Reset()
	escapeText(&x.sb, text)
	x.raw(x.sb.String() + "</" + name + ">\n")
}

func (x *Writer) narratives(ns tcmis.Narratives) {
	for _, n := range ns {
		x.attr("xml:lang", n.Lang)
		x.text("narrative", n.Text)
	}
}

// narrativeElement writes an element of narratives (and kept fragments),
// with the attributes already added.
func (x *Writer) narrativeElement(name string, ns tcmis.Narratives, extra []tcmis.Fragment) {
	if len(ns) == 0 && len(extra) == 0 {
		x.empty(name)
		return
	}
	x.start(name)
	x.narratives(ns)
	x.fragmentsAt(extra, "narrative")
	x.fragmentsTail(extra)
	x.end(name)
}

// fragmentsAt writes the kept fragments that have their place at the
// schema's name.
func (x *Writer) fragmentsAt(fs []tcmis.Fragment, name string) {
	for _, f := range fs {
		if !f.Legacy && f.Space == "" && f.Name == name {
			x.fragment(f)
		}
	}
}

// fragmentsTail writes the fragments of the trailing wildcard: other
// namespaces, and legacy ones, in the legacy namespace.
func (x *Writer) fragmentsTail(fs []tcmis.Fragment) {
	for _, f := range fs {
		if f.Legacy || f.Space != "" {
			x.fragment(f)
		}
	}
}

func (x *Writer) fragment(f tcmis.Fragment) {
	x.indent()
	if !f.Legacy {
		x.raw(f.XML + "\n")
		return
	}
	s, err := legacyXML(f.XML)
	if err != nil {
		x.err = fmt.Errorf("kept element <%s> cannot be written: %w", f.Name, err)
		return
	}
	x.raw(s + "\n")
}

// legacyXML rewrites a fragment with its elements and attributes that
// have no namespace in the legacy namespace (declared on the root).
func legacyXML(s string) (string, error) {
	dec := xml.NewDecoder(strings.NewReader(s))
	prefixes := map[string]string{}
	var b strings.Builder
	name := func(n xml.Name) string {
		switch n.Space {
		case "":
			return legacyPrefix + ":" + n.Local
		case xmlNamespace:
			return "xml:" + n.Local
		}
		return prefixes[n.Space] + ":" + n.Local
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String(), nil
		} else if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					prefixes[a.Value] = a.Name.Local
				}
			}
			b.WriteString("<" + name(t.Name))
			for _, a := range t.Attr {
				b.WriteByte(' ')
				if a.Name.Space == "xmlns" {
					b.WriteString("xmlns:" + a.Name.Local)
				} else {
					b.WriteString(name(a.Name))
				}
				b.WriteString(`="`)
				escapeAttr(&b, a.Value)
				b.WriteByte('"')
			}
			b.WriteByte('>')
		case xml.EndElement:
			b.WriteString("</" + name(t.Name) + ">")
		case xml.CharData:
			escapeText(&b, string(t))
		}
	}
}

// Write writes one activity.
func (x *Writer) Write(a *tcmis.Activity) error {
	x.attr("xml:lang", a.Lang)
	x.attr("default-currency", a.Currency)
	x.attr("last-updated-datetime", a.LastUpdated)
	x.attr("hierarchy", a.Hierarchy)
	x.attr("humanitarian", a.Humanitarian)
	x.attr("budget-not-provided", a.BudgetNotProvided)
	x.attr("linked-data-uri", a.LinkedDataURI)
	x.extraAttrs(a.Attrs)
	x.start("iati-activity")
	for _, slot := range childOrder["iati-activity"] {
		switch slot {
		case "iati-identifier":
			x.text("iati-identifier", a.Identifier)
		case "reporting-org":
			if !isZeroOrg(a.ReportingOrg) {
				x.org("reporting-org", a.ReportingOrg)
			}
		case "title":
			if len(a.Title) > 0 {
				x.narrativeElement("title", a.Title, nil)
			}
		case "description":
			for _, d := range a.Descriptions {
				x.attr("type", d.Type)
				x.extraAttrs(d.Attrs)
				x.narrativeElement("description", d.Text, d.Extra)
			}
		case "participating-org":
			for _, o := range a.Participants {
				x.org("participating-org", o)
			}
		case "activity-status":
			x.code("activity-status", a.Status)
		case "activity-date":
			if len(a.Dates) == 0 {
				x.derivedDate(a)
			}
			for _, d := range a.Dates {
				x.attr("type", d.Type)
				x.dateAttr("iso-date", d.Date)
				x.extraAttrs(d.Attrs)
				x.narrativeElement("activity-date", d.Text, d.Extra)
			}
		case "activity-scope":
			x.code("activity-scope", a.Scope)
		case "recipient-country":
			for _, c := range a.Countries {
				x.attr("code", c.Code)
				x.attr("percentage", c.Percentage)
				x.extraAttrs(c.Attrs)
				x.narrativeElement("recipient-country", c.Name, c.Extra)
			}
		case "recipient-region":
			for _, r := range a.Regions {
				x.attr("code", r.Code)
				x.attr("vocabulary", r.Vocabulary)
				x.attr("vocabulary-uri", r.VocabularyURI)
				x.attr("percentage", r.Percentage)
				x.extraAttrs(r.Attrs)
				x.narrativeElement("recipient-region", r.Name, r.Extra)
			}
		case "sector":
			for _, s := range a.Sectors {
				x.attr("vocabulary", s.Vocabulary)
				x.attr("vocabulary-uri", s.VocabularyURI)
				x.attr("code", s.Code)
				x.attr("percentage", s.Percentage)
				x.extraAttrs(s.Attrs)
				x.narrativeElement("sector", s.Name, s.Extra)
			}
		case "policy-marker":
			for _, m := range a.PolicyMarkers {
				x.attr("vocabulary", m.Vocabulary)
				x.attr("vocabulary-uri", m.VocabularyURI)
				x.attr("code", m.Code)
				x.attr("significance", m.Significance)
				x.extraAttrs(m.Attrs)
				x.narrativeElement("policy-marker", m.Name, m.Extra)
			}
		case "collaboration-type":
			x.code("collaboration-type", a.CollaborationType)
		case "default-flow-type":
			x.code("default-flow-type", a.DefaultFlowType)
		case "default-finance-type":
			x.code("default-finance-type", a.DefaultFinanceType)
		case "default-aid-type":
			for _, t := range a.DefaultAidTypes {
				x.attr("code", t.Code)
				x.attr("vocabulary", t.Vocabulary)
				x.empty("default-aid-type")
			}
		case "default-tied-status":
			x.code("default-tied-status", a.DefaultTiedStatus)
		case "budget":
			for _, b := range a.Budgets {
				x.budget(a, b)
			}
		case "planned-disbursement":
			for _, d := range a.PlannedDisbursements {
				x.plannedDisbursement(a, d)
			}
		case "transaction":
			for _, t := range a.Transactions {
				x.transaction(a, t)
			}
		case "document-link":
			for _, d := range a.DocumentLinks {
				x.documentLink(d)
			}
		case "result":
			for _, r := range a.Results {
				x.result(r)
			}
		}
		x.fragmentsAt(a.Extra, slot)
	}
	x.fragmentsTail(a.Extra)
	x.end("iati-activity")
	if x.err != nil {
		return x.err
	}
	x.count++
	return nil
}

// derivedDate writes, for an activity without dates (optional before
// version 2), the start its project takes, which 2.03 requires, marked so
// that the reader leaves it out again.
func (x *Writer) derivedDate(a *tcmis.Activity) {
	p, _, err := a.ToProject()
	if err != nil {
		return
	}
	x.attr("type", tcmis.DatePlannedStart)
	x.dateAttr("iso-date", p.Start)
	x.attrs = append(x.attrs, legacyPrefix+":"+derivedAttr, "start")
	x.empty("activity-date")
}

func isZeroOrg(o tcmis.Org) bool {
	return o.Ref == "" && o.Type == "" && o.SecondaryReporter == "" && len(o.Name) == 0 && len(o.Attrs) == 0 && len(o.Extra) == 0
}

func (x *Writer) code(name, code string) {
	if code != "" {
		x.attr("code", code)
		x.empty(name)
	}
}

func (x *Writer) org(name string, o tcmis.Org) {
	x.attr("ref", o.Ref)
	switch name {
	case "provider-org":
		x.attr("provider-activity-id", o.ActivityID)
	case "receiver-org":
		x.attr("receiver-activity-id", o.ActivityID)
	}
	x.attr("type", o.Type)
	switch name {
	case "reporting-org":
		x.attr("secondary-reporter", o.SecondaryReporter)
	case "participating-org":
		x.attr("role", o.Role)
		x.attr("activity-id", o.ActivityID)
		x.attr("crs-channel-code", o.CRSChannel)
	}
	x.extraAttrs(o.Attrs)
	x.narrativeElement(name, o.Name, o.Extra)
}

func (x *Writer) value(a *tcmis.Activity, v tcmis.Value) {
	x.attr("currency", v.Currency)
	x.dateAttr("value-date", v.ValueDate)
	x.extraAttrs(v.Attrs)
	cur := a.CurrencyOf(v)
	if cur == "" {
		cur = tcmis.USD
	}
	x.text("value", tcmis.FormatAmount(v.Amount, cur))
}

func (x *Writer) period(start, end time.Time) {
	x.dateAttr("iso-date", start)
	x.empty("period-start")
	x.dateAttr("iso-date", end)
	x.empty("period-end")
}

func (x *Writer) budget(a *tcmis.Activity, b tcmis.IATIBudget) {
	x.attr("type", b.Type)
	x.attr("status", b.Status)
	x.extraAttrs(b.Attrs)
	x.start("budget")
	x.period(b.Start, b.End)
	x.fragmentsAt(b.Extra, "period-start")
	x.fragmentsAt(b.Extra, "period-end")
	x.value(a, b.Value)
	x.fragmentsAt(b.Extra, "value")
	x.fragmentsTail(b.Extra)
	x.end("budget")
}

func (x *Writer) plannedDisbursement(a *tcmis.Activity, d tcmis.PlannedDisbursement) {
	x.attr("type", d.Type)
	x.extraAttrs(d.Attrs)
	x.start("planned-disbursement")
	x.period(d.Start, d.End)
	x.value(a, d.Value)
	if d.Provider != nil {
		x.org("provider-org", *d.Provider)
	}
	if d.Receiver != nil {
		x.org("receiver-org", *d.Receiver)
	}
	for _, slot := range childOrder["planned-disbursement"] {
		x.fragmentsAt(d.Extra, slot)
	}
	x.fragmentsTail(d.Extra)
	x.end("planned-disbursement")
}

func (x *Writer) transaction(a *tcmis.Activity, t tcmis.Transaction) {
	x.attr("ref", t.Ref)
	x.attr("humanitarian", t.Humanitarian)
	x.extraAttrs(t.Attrs)
	x.start("transaction")
	for _, slot := range childOrder["transaction"] {
		switch slot {
		case "transaction-type":
			x.attr("code", t.Type)
			x.empty("transaction-type")
		case "transaction-date":
			x.dateAttr("iso-date", t.Date)
			x.empty("transaction-date")
		case "value":
			x.value(a, t.Value)
		case "description":
			if len(t.Description) > 0 {
				x.narrativeElement("description", t.Description, nil)
			}
		case "provider-org":
			if t.Provider != nil {
				x.org("provider-org", *t.Provider)
			}
		case "receiver-org":
			if t.Receiver != nil {
				x.org("receiver-org", *t.Receiver)
			}
		case "disbursement-channel":
			x.code("disbursement-channel", t.DisbursementChannel)
		case "flow-type":
			x.code("flow-type", t.FlowType)
		case "finance-type":
			x.code("finance-type", t.FinanceType)
		case "aid-type":
			for _, at := range t.AidTypes {
				x.attr("code", at.Code)
				x.attr("vocabulary", at.Vocabulary)
				x.empty("aid-type")
			}
		case "tied-status":
			x.code("tied-status", t.TiedStatus)
		}
		x.fragmentsAt(t.Extra, slot)
	}
	x.fragmentsTail(t.Extra)
	x.end("transaction")
}

func (x *Writer) documentLink(d tcmis.DocumentLink) {
	x.attr("url", d.URL)
	x.attr("format", d.Format)
	x.extraAttrs(d.Attrs)
	x.start("document-link")
	if len(d.Title) > 0 {
		x.narrativeElement("title", d.Title, nil)
	}
	x.fragmentsAt(d.Extra, "title")
	if len(d.Description) > 0 {
		x.narrativeElement("description", d.Description, nil)
	}
	x.fragmentsAt(d.Extra, "description")
	for _, c := range d.Categories {
		x.code("category", c)
	}
	x.fragmentsAt(d.Extra, "category")
	for _, l := range d.Languages {
		x.code("language", l)
	}
	x.fragmentsAt(d.Extra, "language")
	if !d.Date.IsZero() {
		x.dateAttr("iso-date", d.Date)
		x.empty("document-date")
	}
	x.fragmentsAt(d.Extra, "document-date")
	x.fragmentsTail(d.Extra)
	x.end("document-link")
}

func (x *Writer) result(r tcmis.IATIResult) {
	x.attr("type", r.Type)
	x.attr("aggregation-status", r.AggregationStatus)
	x.extraAttrs(r.Attrs)
	x.start("result")
	for _, slot := range childOrder["result"] {
		switch slot {
		case "title":
			if len(r.Title) > 0 {
				x.narrativeElement("title", r.Title, nil)
			}
		case "description":
			if len(r.Description) > 0 {
				x.narrativeElement("description", r.Description, nil)
			}
		case "indicator":
			for _, ind := range r.Indicators {
				x.indicator(ind)
			}
		}
		x.fragmentsAt(r.Extra, slot)
	}
	x.fragmentsTail(r.Extra)
	x.end("result")
}

func (x *Writer) indicator(ind tcmis.IATIIndicator) {
	x.attr("measure", ind.Measure)
	x.attr("ascending", ind.Ascending)
	x.attr("aggregation-status", ind.AggregationStatus)
	x.extraAttrs(ind.Attrs)
	x.start("indicator")
	for _, slot := range childOrder["indicator"] {
		switch slot {
		case "title":
			if len(ind.Title) > 0 {
				x.narrativeElement("title", ind.Title, nil)
			}
		case "description":
			if len(ind.Description) > 0 {
				x.narrativeElement("description", ind.Description, nil)
			}
		case "baseline":
			for _, b := range ind.Baselines {
				x.baseline(b)
			}
		case "period":
			for _, p := range ind.Periods {
				x.resultPeriod(p)
			}
		}
		x.fragmentsAt(ind.Extra, slot)
	}
	x.fragmentsTail(ind.Extra)
	x.end("indicator")
}

func (x *Writer) baseline(b tcmis.Baseline) {
	x.attr("year", b.Year)
	x.dateAttr("iso-date", b.Date)
	if b.HasValue {
		x.attrs = append(x.attrs, "value", b.Value)
	}
	x.extraAttrs(b.Attrs)
	if len(b.Comment) == 0 && len(b.Extra) == 0 {
		x.empty("baseline")
		return
	}
	x.start("baseline")
	for _, slot := range childOrder["baseline"] {
		if slot == "comment" && len(b.Comment) > 0 {
			x.narrativeElement("comment", b.Comment, nil)
		}
		x.fragmentsAt(b.Extra, slot)
	}
	x.fragmentsTail(b.Extra)
	x.end("baseline")
}

func (x *Writer) resultPeriod(p tcmis.ResultPeriod) {
	x.extraAttrs(p.Attrs)
	x.start("period")
	x.period(p.Start, p.End)
	x.fragmentsAt(p.Extra, "period-start")
	x.fragmentsAt(p.Extra, "period-end")
	for _, v := range p.Targets {
		x.periodValue("target", v)
	}
	x.fragmentsAt(p.Extra, "target")
	for _, v := range p.Actuals {
		x.periodValue("actual", v)
	}
	x.fragmentsAt(p.Extra, "actual")
	x.fragmentsTail(p.Extra)
	x.end("period")
}

func (x *Writer) periodValue(name string, v tcmis.PeriodValue) {
	if v.HasValue {
		x.attrs = append(x.attrs, "value", v.Value)
	}
	if len(v.Comment) == 0 && len(v.Extra) == 0 {
		x.empty(name)
		return
	}
	x.start(name)
	for _, slot := range childOrder["period-value"] {
		if slot == "comment" && len(v.Comment) > 0 {
			x.narrativeElement("comment", v.Comment, nil)
		}
		x.fragmentsAt(v.Extra, slot)
	}
	x.fragmentsTail(v.Extra)
	x.end(name)
}
