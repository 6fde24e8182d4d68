package iatigen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Options say how much to write.
type Options struct {
	// Activities is the number of activities to write. When it is zero,
	// activities are written until the output reaches TargetBytes.
	Activities int
	// TargetBytes is the approximate size of the file when Activities is 0;
	// the file ends with the first activity that reaches it.
	TargetBytes int64
	// Seed makes the output reproducible; different seeds give different
	// files.
	Seed int64
	// Publisher is the organisation identifier of the reporting organisation
	// (default "XM-DAC-41114", an identifier made of a valid agency prefix).
	Publisher string
	// GeneratedAt is written as generated-datetime (default 2024-01-01).
	GeneratedAt time.Time
}

// Write writes one iati-activities document.
func Write(w io.Writer, opts Options) error {
	if opts.Activities < 0 || opts.TargetBytes < 0 {
		return errors.New("iatigen: negative size")
	}
	if opts.Activities == 0 && opts.TargetBytes == 0 {
		return errors.New("iatigen: set Activities or TargetBytes")
	}
	if opts.Publisher == "" {
		opts.Publisher = "XM-DAC-41114"
	}
	if opts.GeneratedAt.IsZero() {
		opts.GeneratedAt = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	g := &gen{
		w:   bw,
		r:   rand.New(rand.NewPCG(uint64(opts.Seed), uint64(opts.Seed)^0x9e3779b97f4a7c15)),
		pub: opts.Publisher,
	}
	g.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	g.printf("<iati-activities version=\"2.03\" generated-datetime=\"%s\">\n", opts.GeneratedAt.UTC().Format(time.RFC3339))
	for i := 0; ; i++ {
		if opts.Activities > 0 && i >= opts.Activities {
			break
		}
		if opts.Activities == 0 && cw.n+int64(bw.Buffered()) >= opts.TargetBytes && i > 0 {
			break
		}
		g.activity(i)
		if g.err != nil {
			return g.err
		}
	}
	g.printf("</iati-activities>\n")
	if g.err != nil {
		return g.err
	}
	return bw.Flush()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type gen struct {
	w   *bufio.Writer
	r   *rand.Rand
	pub string
	err error
}

func (g *gen) printf(format string, args ...any) {
	if g.err != nil {
		return
	}
	_, g.err = fmt.Fprintf(g.w, format, args...)
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;")

func esc(s string) string { return xmlEscaper.Replace(s) }

// Word lists for text. Names contain an ampersand now and then so that
// readers have entities to decode.
var (
	words = strings.Fields(`access agriculture basic capacity children clean climate community
		coordination delivery development district drought education emergency
		equitable farmers food gender governance health households improved
		inclusive infrastructure livelihoods local maternal migration monitoring
		national nutrition partners protection provincial public recovery
		reform refugees resilience rural safety sanitation schools services
		skills social support sustainable systems training transparency urban
		vulnerable water women youth`)
	motWords = strings.Fields(`appui renforcement accès eau santé éducation communautés
		femmes jeunes développement durable sécurité alimentaire`)
	orgNames = []string{
		"Ministry of Health & Social Welfare", "National Water Authority", "Rural Development Fund",
		"Save Lives International", "Community Action Network", "Education for All Trust",
		"Green Futures Foundation", "Ministry of Agriculture", "United Relief Partners",
		"Women & Youth Empowerment Alliance", "Clean Energy Cooperative", "Health Access Initiative",
	}
	orgRefs    = []string{"XM-DAC-41114", "XM-DAC-41122", "GB-CHC-202918", "US-EIN-131685039", "NL-KVK-41149486", "XI-IATI-EC_INTPA", "DE-CR-HRB-12345"}
	orgTypes   = []string{"10", "15", "21", "22", "23", "40", "60", "70", "80"}
	countries  = []string{"AF", "BD", "BF", "CD", "ET", "GH", "HT", "KE", "LB", "ML", "MW", "MZ", "NE", "NG", "NP", "PK", "RW", "SD", "SN", "SO", "SS", "SY", "TZ", "UG", "YE", "ZM", "ZW"}
	regions    = []string{"89", "189", "289", "298", "389", "489", "589", "619", "679", "689", "789", "798"}
	sectors    = []string{"11110", "11220", "11231", "12110", "12220", "12240", "12261", "13020", "14030", "14031", "15110", "15150", "15160", "16010", "23210", "31120", "31161", "41010", "43040", "72010", "72040", "73010", "74020"}
	currencies = []string{"USD", "EUR", "GBP", "CHF", "SEK"}
	formats    = []string{"application/pdf", "text/html", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	docCats    = []string{"A01", "A02", "A04", "A05", "A07", "A09", "A11", "A12"}
	aidTypes   = []string{"A01", "A02", "B01", "B02", "B03", "C01", "D01", "D02", "G01"}
	flowTypes  = []string{"10", "20", "21", "30"}
	finTypes   = []string{"110", "410", "421"}
	tiedStatus = []string{"3", "4", "5"}
)

func (g *gen) sentence(n int, list []string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := g.pick(list)
		if i == 0 {
			r, size := utf8.DecodeRuneInString(w)
			w = string(unicode.ToUpper(r)) + w[size:]
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

func (g *gen) paragraph() string {
	n := g.between(2, 6)
	s := make([]string, n)
	for i := range s {
		s[i] = g.sentence(g.between(6, 18), words)
	}
	return strings.Join(s, " ")
}

// date returns a day between 2015-01-01 and mid-2023.
func (g *gen) date() time.Time {
	return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(8*365+200))
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// percentages splits 100 into n whole-number shares.
func (g *gen) percentages(n int) []int {
	out := make([]int, n)
	left := 100
	for i := 0; i < n-1; i++ {
		out[i] = g.between(1, left-(n-1-i))
		if out[i] > 70 {
			out[i] = 70
		}
		left -= out[i]
	}
	out[n-1] = left
	return out
}

func (g *gen) narratives(indent string, fr bool, text string) {
	g.printf("%s<narrative>%s</narrative>\n", indent, esc(text))
	if fr {
		g.printf("%s<narrative xml:lang=\"fr\">%s</narrative>\n", indent, esc(g.sentence(g.between(4, 10), motWords)))
	}
}

func (g *gen) activity(i int) {
	start := g.date()
	end := start.AddDate(g.between(1, 4), g.between(0, 11), 0)
	updated := end.AddDate(0, 0, g.between(1, 200))
	if limit := time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC); updated.After(limit) {
		updated = limit
	}
	cur := g.pick(currencies)
	fr := g.r.IntN(3) == 0
	status := "2"
	actualEnd := end.Before(time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC))
	if actualEnd {
		status = "3"
	}
	g.printf(" <iati-activity last-updated-datetime=\"%sT%02d:%02d:00Z\" xml:lang=\"en\" default-currency=\"%s\" humanitarian=\"%d\" hierarchy=\"1\">\n",
		day(updated), g.r.IntN(24), g.r.IntN(60), cur, g.r.IntN(2))
	g.printf("  <iati-identifier>%s-%s-%06d</iati-identifier>\n", g.pub, strings.ToUpper(g.pick(words)[:3]), i+1)
	g.printf("  <reporting-org ref=\"%s\" type=\"40\">\n", g.pub)
	g.narratives("   ", false, "Example Development Organisation")
	g.printf("  </reporting-org>\n")
	g.printf("  <title>\n")
	g.narratives("   ", fr, g.sentence(g.between(4, 12), words))
	g.printf("  </title>\n")
	g.printf("  <description type=\"1\">\n")
	g.narratives("   ", fr, g.paragraph())
	g.printf("  </description>\n")
	if g.r.IntN(2) == 0 {
		g.printf("  <description type=\"2\">\n")
		g.narratives("   ", false, g.paragraph())
		g.printf("  </description>\n")
	}
	for role := 1; role <= 4; role++ {
		if role > 1 && g.r.IntN(3) == 0 {
			continue
		}
		ref := g.pick(orgRefs)
		if role == 1 {
			ref = g.pub
		}
		g.printf("  <participating-org ref=\"%s\" type=\"%s\" role=\"%d\">\n", ref, g.pick(orgTypes), role)
		g.narratives("   ", false, g.pick(orgNames))
		g.printf("  </participating-org>\n")
	}
	if g.r.IntN(4) == 0 {
		g.printf("  <other-identifier ref=\"PRJ-%05d\" type=\"A1\"/>\n", g.r.IntN(100000))
	}
	g.printf("  <activity-status code=\"%s\"/>\n", status)
	g.printf("  <activity-date iso-date=\"%s\" type=\"1\"/>\n", day(start))
	g.printf("  <activity-date iso-date=\"%s\" type=\"2\"/>\n", day(start.AddDate(0, 0, g.between(0, 60))))
	g.printf("  <activity-date iso-date=\"%s\" type=\"3\"/>\n", day(end))
	if actualEnd {
		g.printf("  <activity-date iso-date=\"%s\" type=\"4\"/>\n", day(end))
	}
	if g.r.IntN(3) == 0 {
		g.printf("  <contact-info type=\"1\">\n   <organisation>\n")
		g.narratives("    ", false, "Example Development Organisation")
		g.printf("   </organisation>\n   <telephone>+41 22 %03d %04d</telephone>\n   <email>info@example.org</email>\n   <website>https://www.example.org</website>\n  </contact-info>\n",
			g.r.IntN(1000), g.r.IntN(10000))
	}
	g.printf("  <activity-scope code=\"%d\"/>\n", g.between(1, 4))
	if g.r.IntN(5) == 0 {
		g.printf("  <recipient-region code=\"%s\" vocabulary=\"1\"/>\n", g.pick(regions))
	} else {
		n := g.between(1, 3)
		ps := g.percentages(n)
		used := map[string]bool{}
		for k := 0; k < n; k++ {
			c := g.pick(countries)
			for used[c] {
				c = g.pick(countries)
			}
			used[c] = true
			if n == 1 {
				g.printf("  <recipient-country code=\"%s\" percentage=\"100\"/>\n", c)
			} else {
				g.printf("  <recipient-country code=\"%s\" percentage=\"%d\"/>\n", c, ps[k])
			}
		}
	}
	n := g.between(1, 3)
	ps := g.percentages(n)
	used := map[string]bool{}
	for k := 0; k < n; k++ {
		s := g.pick(sectors)
		for used[s] {
			s = g.pick(sectors)
		}
		used[s] = true
		g.printf("  <sector vocabulary=\"1\" code=\"%s\" percentage=\"%d\"/>\n", s, ps[k])
	}
	for _, m := range g.r.Perm(12)[:g.r.IntN(3)] {
		g.printf("  <policy-marker vocabulary=\"1\" code=\"%d\" significance=\"%d\"/>\n", m+1, g.r.IntN(3))
	}
	g.printf("  <collaboration-type code=\"%d\"/>\n", g.between(1, 4))
	g.printf("  <default-flow-type code=\"%s\"/>\n", g.pick(flowTypes))
	g.printf("  <default-finance-type code=\"%s\"/>\n", g.pick(finTypes))
	g.printf("  <default-aid-type code=\"%s\" vocabulary=\"1\"/>\n", g.pick(aidTypes))
	g.printf("  <default-tied-status code=\"%s\"/>\n", g.pick(tiedStatus))
	// one budget per year of the activity
	for y := start; y.Before(end); y = y.AddDate(1, 0, 0) {
		ye := y.AddDate(1, 0, -1)
		if ye.After(end) {
			ye = end
		}
		g.printf("  <budget type=\"1\" status=\"%d\">\n   <period-start iso-date=\"%s\"/>\n   <period-end iso-date=\"%s\"/>\n   <value currency=\"%s\" value-date=\"%s\">%d</value>\n  </budget>\n",
			g.between(1, 2), day(y), day(ye), cur, day(y), g.between(10, 5000)*1000)
	}
	for k := 0; k < g.r.IntN(3); k++ {
		ps := start.AddDate(0, 3*k, 0)
		g.printf("  <planned-disbursement type=\"1\">\n   <period-start iso-date=\"%s\"/>\n   <period-end iso-date=\"%s\"/>\n   <value currency=\"%s\" value-date=\"%s\">%d.%02d</value>\n   <provider-org ref=\"%s\" type=\"10\">\n",
			day(ps), day(ps.AddDate(0, 3, -1)), cur, day(ps), g.between(1, 900)*1000, g.r.IntN(100), g.pick(orgRefs))
		g.narratives("    ", false, g.pick(orgNames))
		g.printf("   </provider-org>\n  </planned-disbursement>\n")
	}
	tx := g.between(3, 15)
	for k := 0; k < tx; k++ {
		tt := []string{"1", "2", "3", "3", "4", "4", "11"}[g.r.IntN(7)]
		d := start.AddDate(0, 0, g.r.IntN(int(end.Sub(start).Hours()/24)+1))
		if lim := time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC); d.After(lim) {
			d = lim
		}
		g.printf("  <transaction ref=\"TX-%d-%d\">\n   <transaction-type code=\"%s\"/>\n   <transaction-date iso-date=\"%s\"/>\n   <value currency=\"%s\" value-date=\"%s\">%d.%02d</value>\n",
			i+1, k+1, tt, day(d), cur, day(d), g.between(1, 2000)*500, g.r.IntN(100))
		g.printf("   <description>\n")
		g.narratives("    ", false, g.sentence(g.between(3, 9), words))
		g.printf("   </description>\n")
		g.printf("   <provider-org ref=\"%s\" type=\"%s\">\n", g.pick(orgRefs), g.pick(orgTypes))
		g.narratives("    ", false, g.pick(orgNames))
		g.printf("   </provider-org>\n")
		g.printf("   <receiver-org ref=\"%s\" type=\"%s\">\n", g.pick(orgRefs), g.pick(orgTypes))
		g.narratives("    ", false, g.pick(orgNames))
		g.printf("   </receiver-org>\n")
		if g.r.IntN(3) == 0 {
			g.printf("   <disbursement-channel code=\"%d\"/>\n", g.between(1, 4))
		}
		g.printf("  </transaction>\n")
	}
	for k := 0; k < g.r.IntN(3); k++ {
		g.printf("  <document-link format=\"%s\" url=\"https://www.example.org/docs/%d-%d.pdf\">\n   <title>\n", g.pick(formats), i+1, k+1)
		g.narratives("    ", false, g.sentence(g.between(3, 8), words))
		g.printf("   </title>\n   <category code=\"%s\"/>\n   <language code=\"en\"/>\n   <document-date iso-date=\"%s\"/>\n  </document-link>\n", g.pick(docCats), day(start))
	}
	for k := 0; k < g.r.IntN(3); k++ {
		g.result(start, end)
	}
	g.printf(" </iati-activity>\n")
}

func (g *gen) result(start, end time.Time) {
	g.printf("  <result type=\"%d\" aggregation-status=\"%d\">\n   <title>\n", g.between(1, 3), g.r.IntN(2))
	g.narratives("    ", false, g.sentence(g.between(4, 10), words))
	g.printf("   </title>\n   <description>\n")
	g.narratives("    ", false, g.sentence(g.between(8, 20), words))
	g.printf("   </description>\n")
	for k := 0; k < g.between(1, 3); k++ {
		qualitative := g.r.IntN(6) == 0
		measure := g.between(1, 2)
		if qualitative {
			measure = 5
		}
		g.printf("   <indicator measure=\"%d\" ascending=\"1\">\n    <title>\n", measure)
		g.narratives("     ", false, g.sentence(g.between(4, 10), words))
		g.printf("    </title>\n")
		if qualitative {
			g.printf("    <baseline year=\"%d\" iso-date=\"%s\">\n", start.Year(), day(start))
		} else {
			g.printf("    <baseline year=\"%d\" iso-date=\"%s\" value=\"%d\">\n", start.Year(), day(start), g.r.IntN(500))
		}
		g.printf("     <comment>\n")
		g.narratives("      ", false, g.sentence(g.between(4, 10), words))
		g.printf("     </comment>\n    </baseline>\n")
		for p := start; p.Before(end); p = p.AddDate(1, 0, 0) {
			pe := p.AddDate(1, 0, -1)
			g.printf("    <period>\n     <period-start iso-date=\"%s\"/>\n     <period-end iso-date=\"%s\"/>\n", day(p), day(pe))
			if qualitative {
				g.printf("     <target>\n      <comment>\n")
				g.narratives("       ", false, g.sentence(g.between(4, 10), words))
				g.printf("      </comment>\n     </target>\n     <actual/>\n")
			} else {
				g.printf("     <target value=\"%d\"/>\n     <actual value=\"%d\"/>\n", g.between(100, 1000), g.r.IntN(1000))
			}
			g.printf("    </period>\n")
		}
		g.printf("   </indicator>\n")
	}
	g.printf("  </result>\n")
}
