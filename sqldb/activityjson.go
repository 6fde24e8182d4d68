package sqldb

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tcmis/tcmis"
)

// The document of an activity in iati_activities is the JSON
// encoding/json writes for tcmis.Activity (without its project), byte for
// byte, and is read back with encoding/json. It is written here by hand
// because an import writes one per activity, and encoding/json's
// reflection was a third of the time spent storing them.
// TestActivityJSON compares the two on every field.

// jsonw appends a JSON object's members to buf. The first error (a time
// encoding/json cannot write either) is kept in err.
type jsonw struct {
	buf   []byte
	err   error
	comma bool // a member precedes in the object being written
}

// appendActivityJSON appends the document of an activity: all of it but
// its project.
func appendActivityJSON(buf []byte, a *tcmis.Activity) ([]byte, error) {
	w := jsonw{buf: buf}
	w.open()
	w.str("identifier", a.Identifier, false)
	w.str("lang", a.Lang, true)
	w.str("currency", a.Currency, true)
	w.str("last_updated", a.LastUpdated, true)
	w.str("hierarchy", a.Hierarchy, true)
	w.str("humanitarian", a.Humanitarian, true)
	w.str("budget_not_provided", a.BudgetNotProvided, true)
	w.str("linked_data_uri", a.LinkedDataURI, true)
	w.key("reporting_org")
	w.org(&a.ReportingOrg)
	w.narratives("title", a.Title)
	if len(a.Descriptions) > 0 {
		w.key("descriptions")
		w.list(len(a.Descriptions), func(i int) {
			d := &a.Descriptions[i]
			w.open()
			w.str("type", d.Type, true)
			w.narratives("text", d.Text)
			w.attrsExtra(d.Attrs, d.Extra)
			w.close()
		})
	}
	if len(a.Participants) > 0 {
		w.key("participating_orgs")
		w.list(len(a.Participants), func(i int) { w.org(&a.Participants[i]) })
	}
	w.str("status", a.Status, true)
	if len(a.Dates) > 0 {
		w.key("dates")
		w.list(len(a.Dates), func(i int) {
			d := &a.Dates[i]
			w.open()
			w.str("type", d.Type, false)
			w.time("date", d.Date)
			w.narratives("text", d.Text)
			w.attrsExtra(d.Attrs, d.Extra)
			w.close()
		})
	}
	w.str("scope", a.Scope, true)
	if len(a.Countries) > 0 {
		w.key("countries")
		w.list(len(a.Countries), func(i int) {
			c := &a.Countries[i]
			w.open()
			w.str("code", c.Code, false)
			w.str("percentage", c.Percentage, true)
			w.narratives("name", c.Name)
			w.attrsExtra(c.Attrs, c.Extra)
			w.close()
		})
	}
	if len(a.Regions) > 0 {
		w.key("regions")
		w.list(len(a.Regions), func(i int) {
			g := &a.Regions[i]
			w.open()
			w.str("code", g.Code, false)
			w.str("vocabulary", g.Vocabulary, true)
			w.str("vocabulary_uri", g.VocabularyURI, true)
			w.str("percentage", g.Percentage, true)
			w.narratives("name", g.Name)
			w.attrsExtra(g.Attrs, g.Extra)
			w.close()
		})
	}
	if len(a.Sectors) > 0 {
		w.key("sectors")
		w.list(len(a.Sectors), func(i int) {
			s := &a.Sectors[i]
			w.open()
			w.str("code", s.Code, false)
			w.str("vocabulary", s.Vocabulary, true)
			w.str("vocabulary_uri", s.VocabularyURI, true)
			w.str("percentage", s.Percentage, true)
			w.narratives("name", s.Name)
			w.attrsExtra(s.Attrs, s.Extra)
			w.close()
		})
	}
	if len(a.PolicyMarkers) > 0 {
		w.key("policy_markers")
		w.list(len(a.PolicyMarkers), func(i int) {
			m := &a.PolicyMarkers[i]
			w.open()
			w.str("code", m.Code, false)
			w.str("vocabulary", m.Vocabulary, true)
			w.str("vocabulary_uri", m.VocabularyURI, true)
			w.str("significance", m.Significance, true)
			w.narratives("name", m.Name)
			w.attrsExtra(m.Attrs, m.Extra)
			w.close()
		})
	}
	w.str("collaboration_type", a.CollaborationType, true)
	w.str("default_flow_type", a.DefaultFlowType, true)
	w.str("default_finance_type", a.DefaultFinanceType, true)
	w.aidTypes("default_aid_types", a.DefaultAidTypes)
	w.str("default_tied_status", a.DefaultTiedStatus, true)
	if len(a.Budgets) > 0 {
		w.key("budgets")
		w.list(len(a.Budgets), func(i int) {
			b := &a.Budgets[i]
			w.open()
			w.str("type", b.Type, true)
			w.str("status", b.Status, true)
			w.time("start", b.Start)
			w.time("end", b.End)
			w.key("value")
			w.value(&b.Value)
			w.attrsExtra(b.Attrs, b.Extra)
			w.close()
		})
	}
	if len(a.PlannedDisbursements) > 0 {
		w.key("planned_disbursements")
		w.list(len(a.PlannedDisbursements), func(i int) {
			d := &a.PlannedDisbursements[i]
			w.open()
			w.str("type", d.Type, true)
			w.time("start", d.Start)
			w.time("end", d.End)
			w.key("value")
			w.value(&d.Value)
			w.optOrg("provider", d.Provider)
			w.optOrg("receiver", d.Receiver)
			w.attrsExtra(d.Attrs, d.Extra)
			w.close()
		})
	}
	if len(a.Transactions) > 0 {
		w.key("transactions")
		w.list(len(a.Transactions), func(i int) { w.transaction(&a.Transactions[i]) })
	}
	if len(a.DocumentLinks) > 0 {
		w.key("document_links")
		w.list(len(a.DocumentLinks), func(i int) {
			d := &a.DocumentLinks[i]
			w.open()
			w.str("url", d.URL, false)
			w.str("format", d.Format, true)
			w.narratives("title", d.Title)
			w.narratives("description", d.Description)
			w.strs("categories", d.Categories)
			w.strs("languages", d.Languages)
			w.time("date", d.Date)
			w.attrsExtra(d.Attrs, d.Extra)
			w.close()
		})
	}
	if len(a.Results) > 0 {
		w.key("results")
		w.list(len(a.Results), func(i int) { w.result(&a.Results[i]) })
	}
	w.attrsExtra(a.Attrs, a.Extra)
	w.close()
	return w.buf, w.err
}

func (w *jsonw) transaction(t *tcmis.Transaction) {
	w.open()
	w.str("ref", t.Ref, true)
	w.str("humanitarian", t.Humanitarian, true)
	w.str("type", t.Type, false)
	w.time("date", t.Date)
	w.key("value")
	w.value(&t.Value)
	w.narratives("description", t.Description)
	w.optOrg("provider", t.Provider)
	w.optOrg("receiver", t.Receiver)
	w.str("disbursement_channel", t.DisbursementChannel, true)
	w.str("flow_type", t.FlowType, true)
	w.str("finance_type", t.FinanceType, true)
	w.aidTypes("aid_types", t.AidTypes)
	w.str("tied_status", t.TiedStatus, true)
	w.attrsExtra(t.Attrs, t.Extra)
	w.close()
}

func (w *jsonw) result(r *tcmis.IATIResult) {
	w.open()
	w.str("type", r.Type, true)
	w.str("aggregation_status", r.AggregationStatus, true)
	w.narratives("title", r.Title)
	w.narratives("description", r.Description)
	if len(r.Indicators) > 0 {
		w.key("indicators")
		w.list(len(r.Indicators), func(i int) { w.indicator(&r.Indicators[i]) })
	}
	w.attrsExtra(r.Attrs, r.Extra)
	w.close()
}

func (w *jsonw) indicator(n *tcmis.IATIIndicator) {
	w.open()
	w.str("measure", n.Measure, true)
	w.str("ascending", n.Ascending, true)
	w.str("aggregation_status", n.AggregationStatus, true)
	w.narratives("title", n.Title)
	w.narratives("description", n.Description)
	if len(n.Baselines) > 0 {
		w.key("baselines")
		w.list(len(n.Baselines), func(i int) {
			b := &n.Baselines[i]
			w.open()
			w.str("year", b.Year, true)
			w.time("date", b.Date)
			w.str("value", b.Value, true)
			w.bool("has_value", b.HasValue)
			w.narratives("comment", b.Comment)
			w.attrsExtra(b.Attrs, b.Extra)
			w.close()
		})
	}
	if len(n.Periods) > 0 {
		w.key("periods")
		w.list(len(n.Periods), func(i int) {
			p := &n.Periods[i]
			w.open()
			w.time("start", p.Start)
			w.time("end", p.End)
			w.periodValues("targets", p.Targets)
			w.periodValues("actuals", p.Actuals)
			w.attrsExtra(p.Attrs, p.Extra)
			w.close()
		})
	}
	w.attrsExtra(n.Attrs, n.Extra)
	w.close()
}

func (w *jsonw) periodValues(name string, vs []tcmis.PeriodValue) {
	if len(vs) == 0 {
		return
	}
	w.key(name)
	w.list(len(vs), func(i int) {
		v := &vs[i]
		w.open()
		w.str("value", v.Value, true)
		w.bool("has_value", v.HasValue)
		w.narratives("comment", v.Comment)
		w.extra(v.Extra)
		w.close()
	})
}

func (w *jsonw) org(o *tcmis.Org) {
	w.open()
	w.str("ref", o.Ref, true)
	w.str("type", o.Type, true)
	w.str("role", o.Role, true)
	w.str("activity_id", o.ActivityID, true)
	w.str("crs_channel_code", o.CRSChannel, true)
	w.str("secondary_reporter", o.SecondaryReporter, true)
	w.narratives("name", o.Name)
	w.attrsExtra(o.Attrs, o.Extra)
	w.close()
}

func (w *jsonw) optOrg(name string, o *tcmis.Org) {
	if o != nil {
		w.key(name)
		w.org(o)
	}
}

func (w *jsonw) value(v *tcmis.Value) {
	w.open()
	w.key("amount")
	w.buf = strconv.AppendInt(w.buf, v.Amount, 10)
	w.str("currency", v.Currency, true)
	w.time("value_date", v.ValueDate)
	w.attrs(v.Attrs)
	w.close()
}

func (w *jsonw) aidTypes(name string, ts []tcmis.AidType) {
	if len(ts) == 0 {
		return
	}
	w.key(name)
	w.list(len(ts), func(i int) {
		w.open()
		w.str("code", ts[i].Code, false)
		w.str("vocabulary", ts[i].Vocabulary, true)
		w.close()
	})
}

func (w *jsonw) narratives(name string, ns tcmis.Narratives) {
	if len(ns) == 0 {
		return
	}
	w.key(name)
	w.list(len(ns), func(i int) {
		w.open()
		w.str("lang", ns[i].Lang, true)
		w.str("text", ns[i].Text, false)
		w.close()
	})
}

func (w *jsonw) attrsExtra(as []tcmis.Attr, fs []tcmis.Fragment) {
	w.attrs(as)
	w.extra(fs)
}

func (w *jsonw) attrs(as []tcmis.Attr) {
	if len(as) == 0 {
		return
	}
	w.key("attrs")
	w.list(len(as), func(i int) {
		a := &as[i]
		w.open()
		w.str("space", a.Space, true)
		w.str("prefix", a.Prefix, true)
		w.str("name", a.Name, false)
		w.str("value", a.Value, false)
		w.close()
	})
}

func (w *jsonw) extra(fs []tcmis.Fragment) {
	if len(fs) == 0 {
		return
	}
	w.key("extra")
	w.list(len(fs), func(i int) {
		f := &fs[i]
		w.open()
		w.str("name", f.Name, false)
		w.str("space", f.Space, true)
		w.bool("legacy", f.Legacy)
		w.str("xml", f.XML, false)
		w.close()
	})
}

func (w *jsonw) strs(name string, ss []string) {
	if len(ss) == 0 {
		return
	}
	w.key(name)
	w.list(len(ss), func(i int) { w.buf = appendJSONString(w.buf, ss[i]) })
}

// list writes an array of n elements, each written by elem.
func (w *jsonw) list(n int, elem func(i int)) {
	w.buf = append(w.buf, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		elem(i)
	}
	w.buf = append(w.buf, ']')
	w.comma = true
}

func (w *jsonw) open() {
	w.buf = append(w.buf, '{')
	w.comma = false
}

func (w *jsonw) close() {
	w.buf = append(w.buf, '}')
	w.comma = true
}

// key starts a member; the keys here need no escaping.
func (w *jsonw) key(k string) {
	if w.comma {
		w.buf = append(w.buf, ',')
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, k...)
	w.buf = append(w.buf, '"', ':')
	w.comma = true
}

func (w *jsonw) str(k, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	w.key(k)
	w.buf = appendJSONString(w.buf, v)
}

func (w *jsonw) bool(k string, v bool) {
	if v { // every bool of the documents is omitempty
		w.key(k)
		w.buf = append(w.buf, "true"...)
	}
}

// time writes a time as time.Time.MarshalJSON does, failing where it
// fails.
func (w *jsonw) time(k string, t time.Time) {
	w.key(k)
	if y := t.Year(); t.Location() == time.UTC && y >= 0 && y <= 9999 {
		w.buf = append(w.buf, '"')
		w.buf = t.AppendFormat(w.buf, time.RFC3339Nano)
		w.buf = append(w.buf, '"')
		return
	}
	b, err := t.MarshalJSON()
	if err != nil && w.err == nil {
		w.err = errors.New("json: error calling MarshalJSON for type time.Time: " + err.Error())
	}
	w.buf = append(w.buf, b...)
}

// jsonSafe marks the ASCII bytes encoding/json writes as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()

// appendJSONString appends s quoted as encoding/json quotes it (HTML
// characters, U+2028 and U+2029 escaped; invalid UTF-8 as U+FFFD).
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
