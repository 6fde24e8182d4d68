package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The ruleset format is the one of the IATI validator ("IATI Ruleset Spec -
// JS Edition"): an object mapping context XPaths to rule names to
// {"cases": [...]}. Rule semantics follow the validator's implementation,
// with one deliberate difference: conditions ("condition", "if", "then",
// "one") are converted to booleans with XPath's boolean(), so an empty
// node-set is false. The JavaScript validator treats every node-set, even an
// empty one, as true there, which makes rules such as 3.7.1 ("then":
// "transaction[recipient-country or recipient-region]") unable to fail.

// ruleTypes maps the rule names accepted in a ruleset (snake_case and the
// validator's camelCase) to the canonical snake_case name.
var ruleTypes = map[string]string{
	"atleast_one": "atleast_one", "atLeastOne": "atleast_one",
	"no_more_than_one": "no_more_than_one", "noMoreThanOne": "no_more_than_one",
	"only_one_of": "only_one_of", "onlyOneOf": "only_one_of",
	"one_or_all": "one_or_all", "oneOrAll": "one_or_all",
	"dependent":  "dependent",
	"sum":        "sum",
	"strict_sum": "strict_sum", "strictSum": "strict_sum",
	"date_order": "date_order", "dateOrder": "date_order",
	"date_now": "date_now", "dateNow": "date_now",
	"time_limit": "time_limit", "timeLimit": "time_limit",
	"between_dates": "between_dates", "betweenDates": "between_dates",
	"regex_matches": "regex_matches", "regexMatches": "regex_matches",
	"regex_no_matches": "regex_no_matches", "regexNoMatches": "regex_no_matches",
	"startswith": "startswith", "startsWith": "startswith",
	"unique":  "unique",
	"if_then": "if_then", "ifThen": "if_then",
	"range":     "range",
	"no_spaces": "no_spaces", "noSpaces": "no_spaces",
	"loop": "loop",
}

// ruleInfo is the metadata of a ruleset case.
type ruleInfo struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Category string `json:"category"`
	Message  string `json:"message"`
	Link     struct {
		URL  string `json:"url,omitempty"`
		Path string `json:"path,omitempty"`
	} `json:"link"`
}

// ruleset is a parsed ruleset, ready to be applied to activities.
type ruleset struct {
	contexts []*rsContext
}

type rsContext struct {
	src   string
	expr  *xexpr
	rules []*rsRule
}

type rsRule struct {
	typ   string
	cases []*rsCase
}

type rsExpr struct {
	src string
	x   *xexpr
}

type rsCase struct {
	info        ruleInfo
	condition   *rsExpr
	idCondition string
	paths       []rsExpr
	less, more  *rsExpr // nil with nowMore/nowLess for "NOW"
	date        *rsExpr
	start, end  *rsExpr
	nowFlags    map[string]bool // keys whose value is "NOW"
	regex       *regexp.Regexp
	regexSrc    string
	prefix      []rsExpr
	orgIDPrefix bool
	separator   string
	one         *rsExpr
	all         string
	sum         *float64
	min, max    *float64
	ifx, then   *rsExpr
	excluded    []rsExpr
	// loop
	foreach *rsExpr
	do      []*rsRule
}

// parseRuleset reads a ruleset in the IATI validator's JSON format. Every
// XPath is compiled here, so an unsupported expression is reported at once
// with the context and rule it belongs to.
func parseRuleset(r io.Reader) (*ruleset, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading ruleset: %w", err)
	}
	ctxs, err := orderedObject(raw)
	if err != nil {
		return nil, fmt.Errorf("ruleset: %w", err)
	}
	rs := &ruleset{}
	for _, ck := range ctxs {
		x, err := compileXPath(ck.key)
		if err != nil {
			return nil, fmt.Errorf("ruleset context %q: %w", ck.key, err)
		}
		c := &rsContext{src: ck.key, expr: x}
		rules, err := orderedObject(ck.val)
		if err != nil {
			return nil, fmt.Errorf("ruleset context %q: %w", ck.key, err)
		}
		for _, rk := range rules {
			rule, err := parseRule(rk.key, rk.val, nil)
			if err != nil {
				return nil, fmt.Errorf("ruleset context %q, rule %s: %w", ck.key, rk.key, err)
			}
			c.rules = append(c.rules, rule)
		}
		rs.contexts = append(rs.contexts, c)
	}
	return rs, nil
}

type kv struct {
	key string
	val json.RawMessage
}

// orderedObject decodes a JSON object keeping the order of its keys, which
// decides the order in which rules run and problems are listed.
func orderedObject(raw []byte) ([]kv, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("expected a JSON object")
	}
	var out []kv
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, kv{key, v})
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, fmt.Errorf("unterminated JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON object")
	}
	return out, nil
}

type rawCase struct {
	RuleInfo    *ruleInfo       `json:"ruleInfo"`
	Condition   *string         `json:"condition"`
	IDCondition string          `json:"idCondition"`
	Paths       []string        `json:"paths"`
	Less        *string         `json:"less"`
	More        *string         `json:"more"`
	Date        *string         `json:"date"`
	Start       *string         `json:"start"`
	End         *string         `json:"end"`
	Regex       *string         `json:"regex"`
	Prefix      json.RawMessage `json:"prefix"`
	Separator   string          `json:"separator"`
	One         *string         `json:"one"`
	All         string          `json:"all"`
	Sum         *float64        `json:"sum"`
	Min         *float64        `json:"min"`
	Max         *float64        `json:"max"`
	If          *string         `json:"if"`
	Then        *string         `json:"then"`
	Excluded    []string        `json:"excluded"`
	Foreach     *string         `json:"foreach"`
	Do          json.RawMessage `json:"do"`
	Subs        []string        `json:"subs"`
}

func parseRule(name string, raw json.RawMessage, subs map[string]bool) (*rsRule, error) {
	typ, ok := ruleTypes[name]
	if !ok {
		return nil, fmt.Errorf("unknown rule type %q", name)
	}
	var body struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, err
	}
	rule := &rsRule{typ: typ}
	for i, cr := range body.Cases {
		c, err := parseCase(typ, cr, subs)
		if err != nil {
			return nil, fmt.Errorf("case %d: %w", i+1, err)
		}
		rule.cases = append(rule.cases, c)
	}
	return rule, nil
}

func parseCase(typ string, raw json.RawMessage, subs map[string]bool) (*rsCase, error) {
	var rc rawCase
	if err := json.Unmarshal(raw, &rc); err != nil {
		return nil, err
	}
	c := &rsCase{idCondition: rc.IDCondition, separator: rc.Separator, all: rc.All,
		sum: rc.Sum, min: rc.Min, max: rc.Max, nowFlags: map[string]bool{}}
	if rc.RuleInfo != nil {
		c.info = *rc.RuleInfo
	}
	var err error
	comp := func(key string, src *string) *rsExpr {
		if src == nil || err != nil {
			return nil
		}
		x, e := compileXPathSubst(*src, subs[key])
		if e != nil {
			err = fmt.Errorf("%s: %w", key, e)
			return nil
		}
		return &rsExpr{src: *src, x: x}
	}
	compList := func(key string, srcs []string) []rsExpr {
		var out []rsExpr
		for _, s := range srcs {
			s := s
			if e := comp(key, &s); e != nil {
				out = append(out, *e)
			}
		}
		return out
	}
	dateExpr := func(key string, src *string) *rsExpr {
		if src != nil && *src == "NOW" {
			c.nowFlags[key] = true
			return nil
		}
		return comp(key, src)
	}
	c.condition = comp("condition", rc.Condition)
	c.paths = compList("paths", rc.Paths)
	c.less = dateExpr("less", rc.Less)
	c.more = dateExpr("more", rc.More)
	c.date = dateExpr("date", rc.Date)
	c.start = dateExpr("start", rc.Start)
	c.end = dateExpr("end", rc.End)
	c.one = comp("one", rc.One)
	c.ifx = comp("if", rc.If)
	c.then = comp("then", rc.Then)
	c.excluded = compList("excluded", rc.Excluded)
	c.foreach = comp("foreach", rc.Foreach)
	if err != nil {
		return nil, err
	}
	if rc.Regex != nil {
		re, err := regexp.Compile(*rc.Regex)
		if err != nil {
			return nil, fmt.Errorf("regex %q: %w", *rc.Regex, err)
		}
		c.regex, c.regexSrc = re, *rc.Regex
	}
	if len(rc.Prefix) > 0 {
		var one string
		var list []string
		if json.Unmarshal(rc.Prefix, &one) == nil {
			list = []string{one}
		} else if err := json.Unmarshal(rc.Prefix, &list); err != nil {
			return nil, fmt.Errorf("prefix: %w", err)
		}
		if len(list) == 1 && list[0] == "ORG-ID-PREFIX" {
			c.orgIDPrefix = true
		} else {
			c.prefix = compList("prefix", list)
			if err != nil {
				return nil, err
			}
		}
	}
	switch c.idCondition {
	case "", "NOT_EXISTING_ORG_ID", "NOT_EXISTING_ORG_ID_PREFIX":
	default:
		return nil, fmt.Errorf("unknown idCondition %q", c.idCondition)
	}
	// required keys per rule type
	need := func(ok bool, what string) error {
		if !ok {
			return fmt.Errorf("%s needs %s", typ, what)
		}
		return nil
	}
	switch typ {
	case "atleast_one", "no_more_than_one", "unique", "no_spaces", "dependent":
		err = need(rc.Paths != nil, "paths")
	case "only_one_of":
		err = need(rc.Paths != nil && rc.Excluded != nil, "paths and excluded")
	case "one_or_all":
		err = need(c.one != nil && c.all != "", "one and all")
	case "sum", "strict_sum":
		err = need(rc.Paths != nil && c.sum != nil, "paths and sum")
	case "date_order":
		err = need(rc.Less != nil && rc.More != nil, "less and more")
	case "date_now":
		err = need(rc.Date != nil, "date")
	case "time_limit":
		err = need(rc.Start != nil && rc.End != nil, "start and end")
	case "between_dates":
		err = need(rc.Date != nil && rc.Start != nil && rc.End != nil, "date, start and end")
	case "regex_matches", "regex_no_matches":
		err = need(rc.Paths != nil && c.regex != nil, "paths and regex")
	case "startswith":
		err = need(rc.Paths != nil && (c.orgIDPrefix || rc.Prefix != nil), "paths and prefix")
	case "if_then":
		err = need(c.ifx != nil && c.then != nil, "if and then")
	case "range":
		err = need(rc.Paths != nil, "paths")
	case "loop":
		err = need(c.foreach != nil && len(rc.Do) > 0, "foreach and do")
		if err == nil {
			subsSet := map[string]bool{}
			for _, s := range rc.Subs {
				subsSet[s] = true
			}
			rules, e := orderedObject(rc.Do)
			if e != nil {
				return nil, fmt.Errorf("do: %w", e)
			}
			for _, r := range rules {
				if ruleTypes[r.key] == "loop" {
					return nil, fmt.Errorf("loops cannot be nested")
				}
				sub, e := parseRule(r.key, r.val, subsSet)
				if e != nil {
					return nil, fmt.Errorf("do %s: %w", r.key, e)
				}
				c.do = append(c.do, sub)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ---- evaluation ----

// ruleEnv is what rules need besides the tree.
type ruleEnv struct {
	now           time.Time
	orgIDs        map[string]bool
	orgIDPrefixes map[string]bool
}

// ruleFailure is one failed case, before it becomes a Problem.
type ruleFailure struct {
	c       *rsCase
	typ     string
	context string // context XPath
	node    int32  // node the problem is reported at
	detail  string
}

// apply runs every rule on the activity in the tree of e and calls fail
// for each failed case.
func (rs *ruleset) apply(e *xeval, env *ruleEnv, fail func(ruleFailure)) {
	e.t.refreshNames()
	e.arena = e.arena[:0]
	for _, ctx := range rs.contexts {
		for _, el := range e.nodes(ctx.expr, 0) {
			for _, rule := range ctx.rules {
				for _, c := range rule.cases {
					if rule.typ == "loop" {
						rs.loop(e, env, ctx, el, c, fail)
						continue
					}
					e.loop = ""
					testCase(e, env, ctx.src, rule.typ, c, el, fail)
				}
			}
		}
	}
}

// maxLoopValues bounds the groups of a loop: each costs a pass over the
// record, and real records have a handful (vocabularies).
const maxLoopValues = 256

func (rs *ruleset) loop(e *xeval, env *ruleEnv, ctx *rsContext, el int32, c *rsCase, fail func(ruleFailure)) {
	e.loop = ""
	groups := e.nodes(c.foreach.x, el)
	var vals []string
	seen := map[string]bool{}
	for _, n := range groups {
		v := e.t.stringValue(n)
		if !seen[v] {
			seen[v] = true
			vals = append(vals, v)
			if len(vals) == maxLoopValues {
				break
			}
		}
	}
	for _, sub := range c.do {
		for _, sc := range sub.cases {
			for _, v := range vals {
				e.loop = v
				testCase(e, env, ctx.src, sub.typ, sc, el, fail)
			}
		}
	}
	e.loop = ""
}

// matchedPath is one node matched by a case path.
type matchedPath struct {
	path string
	node int32
	text string
}

// collectPaths evaluates the case paths; the result is reused by the next
// call.
func collectPaths(e *xeval, el int32, paths []rsExpr) []matchedPath {
	out := e.matchBuf[:0]
	for _, p := range paths {
		v := e.value(p.x, el)
		if v.k != vNodes {
			continue
		}
		for _, n := range v.nodes {
			out = append(out, matchedPath{p.src, n, e.t.stringValue(n)})
		}
	}
	e.matchBuf = out
	return out
}

func testCase(e *xeval, env *ruleEnv, ctxSrc, typ string, c *rsCase, el int32, fail func(ruleFailure)) {
	if c.condition != nil && !e.boolean(c.condition.x, el) {
		return
	}
	// Paths are only context for some rule types (if_then) or unused; they
	// are evaluated when needed.
	var matches []matchedPath
	switch typ {
	case "if_then", "one_or_all", "date_order", "date_now", "time_limit", "between_dates", "dependent":
		if c.idCondition != "" {
			matches = collectPaths(e, el, c.paths)
		}
	default:
		matches = collectPaths(e, el, c.paths)
	}
	switch c.idCondition {
	case "NOT_EXISTING_ORG_ID":
		for _, m := range matches {
			if env.orgIDs[m.text] {
				return
			}
		}
	case "NOT_EXISTING_ORG_ID_PREFIX":
		for _, m := range matches {
			for id := range env.orgIDs {
				if strings.HasPrefix(m.text, id+"-") {
					return
				}
			}
		}
	}
	f := ruleFailure{c: c, typ: typ, context: ctxSrc, node: el}
	fails := func(n int32, detail string) {
		if e.loop != "" {
			detail = strings.ReplaceAll(detail, "$1", e.loop)
		}
		f.node, f.detail = n, detail
		fail(f)
	}
	first := func() int32 {
		if matches == nil {
			matches = collectPaths(e, el, c.paths)
		}
		if len(matches) > 0 {
			return matches[0].node
		}
		return el
	}
	t := e.t
	switch typ {
	case "atleast_one":
		if len(matches) == 0 {
			fails(el, "none of "+joinPaths(c.paths)+" found")
		}
	case "no_more_than_one":
		if len(matches) > 1 {
			fails(matches[1].node, fmt.Sprintf("%d found of %s", len(matches), joinPaths(c.paths)))
		}
	case "only_one_of":
		for _, ex := range c.excluded {
			if len(e.nodes(ex.x, el)) > 0 {
				if len(matches) > 0 {
					fails(first(), ex.src+" is present, so "+joinPaths(c.paths)+" must not be")
				}
				return
			}
		}
		if len(matches) != 1 {
			fails(first(), fmt.Sprintf("%d found of %s, expected exactly one", len(matches), joinPaths(c.paths)))
		}
	case "dependent":
		found, missing := false, ""
		for _, p := range c.paths {
			if len(e.nodes(p.x, el)) > 0 {
				found = true
			} else if missing == "" {
				missing = p.src
			}
		}
		if found && missing != "" {
			fails(first(), missing+" is missing")
		}
	case "one_or_all":
		if e.boolean(c.one.x, el) {
			return
		}
		if misses := oneOrAllMisses(e, el, c.all); len(misses) > 0 {
			n := misses[0]
			what := fmt.Sprintf("<%s> has no %s", t.nodes[n].name.Local, oneOrAllWhat(c.all))
			if len(misses) > 1 {
				what = fmt.Sprintf("%d elements have no %s, the first is <%s>", len(misses), oneOrAllWhat(c.all), t.nodes[n].name.Local)
			}
			fails(n, what+" and "+c.one.src+" is not present")
		}
	case "unique":
		seen := map[string]bool{}
		for _, m := range matches {
			if seen[m.text] {
				fails(m.node, fmt.Sprintf("%q appears more than once in %s", m.text, joinPaths(c.paths)))
				return
			}
			seen[m.text] = true
		}
	case "sum", "strict_sum":
		if typ == "sum" && len(matches) == 0 {
			return
		}
		total := 0.0
		for _, m := range matches {
			total += jsNumber(m.text)
		}
		rounded, _ := strconv.ParseFloat(strconv.FormatFloat(total, 'f', 4, 64), 64)
		if math.IsNaN(total) || rounded != *c.sum {
			fails(first(), fmt.Sprintf("the sum is %s, expected %s", jsNumString(rounded, total), jsNumString(*c.sum, *c.sum)))
		}
	case "date_order":
		less, lok := caseDate(e, el, c.less, c.nowFlags["less"], env)
		more, mok := caseDate(e, el, c.more, c.nowFlags["more"], env)
		if !lok || !mok {
			return
		}
		if less.t.After(more.t) {
			n := less.node
			if n < 0 {
				n = more.node
			}
			fails(nodeOr(n, el), fmt.Sprintf("%s (%s) is later than %s (%s)", dateLabel(c.less, "now"), less.text, dateLabel(c.more, "now"), more.text))
		}
	case "date_now":
		d, ok := caseDate(e, el, c.date, c.nowFlags["date"], env)
		if ok && d.t.After(env.now) {
			fails(nodeOr(d.node, el), fmt.Sprintf("%s (%s) is in the future", dateLabel(c.date, "now"), d.text))
		}
	case "between_dates":
		d, ok := caseDate(e, el, c.date, c.nowFlags["date"], env)
		s, sok := caseDate(e, el, c.start, c.nowFlags["start"], env)
		en, eok := caseDate(e, el, c.end, c.nowFlags["end"], env)
		if !ok || !sok || !eok {
			return
		}
		if d.t.Before(s.t) || d.t.After(en.t) {
			fails(nodeOr(d.node, el), fmt.Sprintf("%s (%s) is not between %s and %s", dateLabel(c.date, "now"), d.text, s.text, en.text))
		}
	case "time_limit":
		s, sok := caseDate(e, el, c.start, c.nowFlags["start"], env)
		en, eok := caseDate(e, el, c.end, c.nowFlags["end"], env)
		if !sok || !eok {
			return
		}
		// date-fns differenceInDays: whole days, truncated towards zero
		days := int64(en.t.Sub(s.t) / (24 * time.Hour))
		if en.t.Sub(s.t) < 0 {
			days = -int64(s.t.Sub(en.t) / (24 * time.Hour))
		}
		if days > 365 {
			fails(nodeOr(en.node, el), fmt.Sprintf("%s (%s) is %d days after %s (%s)", dateLabel(c.end, "now"), en.text, days, dateLabel(c.start, "now"), s.text))
		}
	case "regex_matches", "regex_no_matches":
		want := typ == "regex_matches"
		for _, m := range matches {
			if m.text != "" && c.regex.MatchString(m.text) != want {
				verb := "does not match"
				if !want {
					verb = "matches"
				}
				fails(m.node, fmt.Sprintf("%s = %q %s %s", m.path, m.text, verb, c.regexSrc))
				return
			}
		}
	case "startswith":
		if c.orgIDPrefix {
			for _, m := range matches {
				parts := strings.SplitN(m.text, "-", 3)
				prefix := parts[0] + "-"
				if len(parts) > 1 {
					prefix += parts[1]
				} else {
					prefix += "undefined" // as the JavaScript validator computes it
				}
				if !env.orgIDPrefixes[prefix] {
					fails(m.node, fmt.Sprintf("%s = %q does not start with a known registration agency prefix", m.path, m.text))
					return
				}
			}
			return
		}
		var prefixes []string
		for _, p := range c.prefix {
			for _, n := range e.nodes(p.x, el) {
				prefixes = append(prefixes, t.stringValue(n)+c.separator)
			}
		}
		for _, m := range matches {
			ok := false
			for _, p := range prefixes {
				if strings.HasPrefix(m.text, p) {
					ok = true
					break
				}
			}
			if !ok {
				fails(m.node, fmt.Sprintf("%s = %q does not start with %s", m.path, m.text, describePrefixes(prefixes)))
				return
			}
		}
	case "if_then":
		if e.boolean(c.ifx.x, el) && !e.boolean(c.then.x, el) {
			fails(first(), "if "+c.ifx.src+" then "+c.then.src)
		}
	case "range":
		for _, m := range matches {
			v := jsNumber(m.text)
			lo, hi := v, v
			if c.min != nil {
				lo = *c.min
			}
			if c.max != nil {
				hi = *c.max
			}
			if !(lo <= v && v <= hi) {
				fails(m.node, fmt.Sprintf("%s = %q is outside %s..%s", m.path, m.text, boundString(c.min), boundString(c.max)))
				return
			}
		}
	case "no_spaces":
		for _, m := range matches {
			if m.text != jsTrim(m.text) {
				fails(m.node, fmt.Sprintf("%s = %q starts or ends with white space", m.path, m.text))
				return
			}
		}
	}
}

func nodeOr(n, el int32) int32 {
	if n >= 0 {
		return n
	}
	return el
}

func joinPaths(ps []rsExpr) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.src
	}
	return strings.Join(s, ", ")
}

func describePrefixes(ps []string) string {
	if len(ps) == 0 {
		return "a prefix (none found)"
	}
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = strconv.Quote(p)
	}
	return strings.Join(q, " or ")
}

func boundString(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func dateLabel(x *rsExpr, now string) string {
	if x == nil {
		return now
	}
	return x.src
}

func oneOrAllWhat(all string) string {
	switch all {
	case "lang":
		return "@xml:lang"
	case "currency":
		return "@currency"
	}
	return all
}

// oneOrAllMisses lists the nodes that break the "all" half of one_or_all,
// for the values the IATI validator knows: lang, sector,
// recipient-country|recipient-region and currency. Other values always pass,
// as in the validator.
func oneOrAllMisses(e *xeval, el int32, all string) []int32 {
	t := e.t
	var out []int32
	hasChild := func(n int32, names ...string) bool {
		for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
			cn := &t.nodes[c]
			if cn.kind == ndElem && cn.name.Space == "" {
				for _, nm := range names {
					if cn.name.Local == nm {
						return true
					}
				}
			}
		}
		return false
	}
	switch all {
	case "lang":
		for j := el + 1; j <= t.nodes[el].end; j++ {
			n := &t.nodes[j]
			if n.kind == ndElem && n.name == (qname{"", "narrative"}) {
				if _, ok := t.attr(j, qname{nsXML, "lang"}); !ok {
					out = append(out, j)
				}
			}
		}
	case "sector", "recipient-country|recipient-region":
		names := strings.Split(all, "|")
		for c := t.nodes[el].first; c >= 0; c = t.nodes[c].next {
			n := &t.nodes[c]
			if n.kind == ndElem && n.name == (qname{"", "transaction"}) && !hasChild(c, names...) {
				out = append(out, c)
			}
		}
	case "currency":
		for j := el + 1; j <= t.nodes[el].end; j++ {
			n := &t.nodes[j]
			if n.kind == ndElem && n.name.Space == "" && (n.name.Local == "value" || n.name.Local == "forecast" || n.name.Local == "loan-status") {
				if _, ok := t.attr(j, qname{"", "currency"}); !ok {
					out = append(out, j)
				}
			}
		}
	}
	return out
}

type foundDate struct {
	t    time.Time
	node int32
	text string
}

// caseDate evaluates a date expression: the first node it selects, parsed as
// JavaScript's Date would (ISO 8601 forms). ok is false when there is no such
// node or its value is not a date: the rule is then skipped.
func caseDate(e *xeval, el int32, x *rsExpr, now bool, env *ruleEnv) (foundDate, bool) {
	if now {
		return foundDate{t: env.now, node: -1, text: env.now.UTC().Format(time.RFC3339)}, true
	}
	if x == nil {
		return foundDate{}, false
	}
	ns := e.nodes(x.x, el)
	if len(ns) == 0 {
		return foundDate{}, false
	}
	s := e.t.stringValue(ns[0])
	d, ok := parseJSDate(s)
	if !ok {
		return foundDate{}, false
	}
	return foundDate{t: d, node: ns[0], text: s}, true
}

// parseJSDate parses the date formats of ECMAScript's Date: YYYY, YYYY-MM,
// YYYY-MM-DD (UTC), optionally followed by THH:mm[:ss[.sss]] and Z or an
// offset. Date-times without an offset are local time in JavaScript; they are
// taken as UTC here so that results do not depend on the machine. A space
// instead of T is accepted, as V8 does. Other strings are not dates.
func parseJSDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	i := 0
	sign := 1
	yearDigits := 4
	if s[0] == '+' || s[0] == '-' {
		if s[0] == '-' {
			sign = -1
		}
		i = 1
		yearDigits = 6
	}
	num := func(n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for k := 0; k < n; k++ {
			c := s[i+k]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		i += n
		return v, true
	}
	year, ok := num(yearDigits)
	if !ok {
		return time.Time{}, false
	}
	year *= sign
	month, day := 1, 1
	if i < len(s) && s[i] == '-' {
		i++
		if month, ok = num(2); !ok || month < 1 || month > 12 {
			return time.Time{}, false
		}
		if i < len(s) && s[i] == '-' {
			i++
			if day, ok = num(2); !ok || day < 1 || day > daysIn(month, year) {
				return time.Time{}, false
			}
		}
	}
	hour, minute, sec, nsec := 0, 0, 0, 0
	loc := time.UTC
	if i < len(s) && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') {
		i++
		if hour, ok = num(2); !ok || i >= len(s) || s[i] != ':' {
			return time.Time{}, false
		}
		i++
		if minute, ok = num(2); !ok {
			return time.Time{}, false
		}
		if i < len(s) && s[i] == ':' {
			i++
			if sec, ok = num(2); !ok {
				return time.Time{}, false
			}
			if i < len(s) && (s[i] == '.' || s[i] == ',') {
				i++
				st := i
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					i++
				}
				if i == st {
					return time.Time{}, false
				}
				frac := s[st:i]
				if len(frac) > 9 {
					frac = frac[:9]
				}
				nsec, _ = strconv.Atoi(frac + strings.Repeat("0", 9-len(frac)))
			}
		}
		if hour > 24 || minute > 59 || sec > 59 || hour == 24 && (minute != 0 || sec != 0 || nsec != 0) {
			return time.Time{}, false
		}
	}
	if i < len(s) {
		switch s[i] {
		case 'Z', 'z':
			i++
		case '+', '-':
			sg := 1
			if s[i] == '-' {
				sg = -1
			}
			i++
			oh, ok1 := num(2)
			if i < len(s) && s[i] == ':' {
				i++
			}
			om, ok2 := num(2)
			if !ok1 || !ok2 || oh > 23 || om > 59 {
				return time.Time{}, false
			}
			loc = time.FixedZone("", sg*(oh*3600+om*60))
		}
	}
	if i != len(s) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), true
}

// jsNumber converts a string as JavaScript's Number() does.
func jsNumber(s string) float64 {
	s = jsTrim(s)
	if s == "" {
		return 0
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			v, err := strconv.ParseUint(s[2:], base, 64)
			if err != nil {
				return math.NaN()
			}
			return float64(v)
		}
	}
	// decimal literal: digits, optional fraction and exponent; no underscores
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return math.NaN()
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f
		}
		return math.NaN()
	}
	return f
}

func jsNumString(rounded, raw float64) string {
	if math.IsNaN(raw) {
		return "NaN"
	}
	return strconv.FormatFloat(rounded, 'f', -1, 64)
}

// jsTrim trims like JavaScript's String.prototype.trim.
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == 0xFEFF || r == 0x2028 || r == 0x2029
	})
}
