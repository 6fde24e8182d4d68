package validate_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis/iati/validate"
)

var testNow = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// ruleset wraps one case of one rule type, with rule id T, in a ruleset
// whose context is the activity.
func oneCaseRuleset(context, ruleType, caseJSON string) string {
	info := `"ruleInfo": {"id": "T", "severity": "error", "category": "test", "message": "test rule"}`
	if caseJSON != "" {
		caseJSON += ", "
	}
	return fmt.Sprintf(`{%q: {%q: {"cases": [{%s%s}]}}}`, context, ruleType, caseJSON, info)
}

// activityDoc wraps the body of one activity in an activities document.
func activityDoc(attrs, body string) string {
	return `<iati-activities version="2.03"><iati-activity` + attrs + `>` + body + `</iati-activity></iati-activities>`
}

// ruleFailures validates doc with ruleset rs and returns the problems of
// rule T (schema problems of the small test documents are ignored).
func ruleFailures(t *testing.T, rs, doc string) []validate.Problem {
	t.Helper()
	v, err := validate.New(validate.Options{
		Ruleset:     strings.NewReader(rs),
		NoCodelists: true,
		Now:         func() time.Time { return testNow },
		OrgIDs:      []string{"GB-COH-1"},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rep, err := v.Validate(strings.NewReader(doc), "test.xml")
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	var out []validate.Problem
	for _, p := range rep.Problems {
		if p.RuleID == "T" {
			out = append(out, p)
		}
	}
	return out
}

type ruleCase struct {
	name     string
	context  string // default /iati-activities/iati-activity
	caseJSON string
	attrs    string // attributes of iati-activity
	body     string
	fail     bool
}

func runRuleCases(t *testing.T, ruleType string, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := c.context
			if ctx == "" {
				ctx = "/iati-activities/iati-activity"
			}
			got := ruleFailures(t, oneCaseRuleset(ctx, ruleType, c.caseJSON), activityDoc(c.attrs, c.body))
			if c.fail && len(got) == 0 {
				t.Errorf("%s passed, want a failure", ruleType)
			}
			if !c.fail && len(got) > 0 {
				t.Errorf("%s failed, want a pass: %+v", ruleType, got)
			}
		})
	}
}

func TestRuleAtLeastOne(t *testing.T) {
	runRuleCases(t, "atleast_one", []ruleCase{
		{name: "present", caseJSON: `"paths": ["sector", "transaction/sector"]`, body: `<sector code="1"/>`},
		{name: "present in second path", caseJSON: `"paths": ["sector", "transaction/sector"]`, body: `<transaction><sector code="1"/></transaction>`},
		{name: "absent", caseJSON: `"paths": ["sector", "transaction/sector"]`, body: `<transaction/>`, fail: true},
		{name: "predicate", caseJSON: `"paths": ["activity-date[@type='1' or @type='2']"]`, body: `<activity-date type="3"/>`, fail: true},
		{name: "predicate matches", caseJSON: `"paths": ["activity-date[@type='1' or @type='2']"]`, body: `<activity-date type="2"/>`},
		{name: "attribute", caseJSON: `"paths": ["@ref", "narrative"]`, context: "//participating-org", body: `<participating-org ref="X"/>`},
		{name: "neither attribute nor narrative", caseJSON: `"paths": ["@ref", "narrative"]`, context: "//participating-org", body: `<participating-org role="1"/>`, fail: true},
		{name: "empty narrative has no text node", caseJSON: `"paths": ["narrative/text()"]`, context: "//title", body: `<title><narrative/></title>`, fail: true},
		{name: "narrative with text", caseJSON: `"paths": ["narrative/text()"]`, context: "//title", body: `<title><narrative>T</narrative></title>`},
		{name: "condition false skips", caseJSON: `"condition": "@vocabulary='99'", "paths": ["narrative"]`, context: "//policy-marker", body: `<policy-marker vocabulary="1"/>`},
		{name: "condition true applies", caseJSON: `"condition": "@vocabulary='99'", "paths": ["narrative"]`, context: "//policy-marker", body: `<policy-marker vocabulary="99"/>`, fail: true},
		{name: "no context match, no failure", caseJSON: `"paths": ["x"]`, context: "//nothing-here", body: ``},
	})
}

func TestRuleNoMoreThanOne(t *testing.T) {
	runRuleCases(t, "no_more_than_one", []ruleCase{
		{name: "none", caseJSON: `"paths": ["default-aid-type"]`, body: ``},
		{name: "one", caseJSON: `"paths": ["default-aid-type"]`, body: `<default-aid-type code="A01"/>`},
		{name: "two", caseJSON: `"paths": ["default-aid-type"]`, body: `<default-aid-type code="A01"/><default-aid-type code="A02"/>`, fail: true},
		{name: "one in each of two paths", context: "//indicator", caseJSON: `"paths": ["reference[1]", "../reference[1]"]`,
			body: `<result><reference code="a"/><indicator><reference code="b"/></indicator></result>`, fail: true},
		{name: "positional predicate keeps one", context: "//indicator", caseJSON: `"paths": ["reference[1]"]`,
			body: `<result><indicator><reference code="a"/><reference code="b"/></indicator></result>`},
	})
}

func TestRuleOnlyOneOf(t *testing.T) {
	runRuleCases(t, "only_one_of", []ruleCase{
		{name: "excluded present, paths absent", caseJSON: `"excluded": ["recipient-region"], "paths": ["recipient-country"]`, body: `<recipient-region code="1"/>`},
		{name: "excluded present, paths present", caseJSON: `"excluded": ["recipient-region"], "paths": ["recipient-country"]`, body: `<recipient-country code="AF"/><recipient-region code="1"/>`, fail: true},
		{name: "excluded absent, exactly one", caseJSON: `"excluded": ["recipient-region"], "paths": ["recipient-country"]`, body: `<recipient-country code="AF"/>`},
		{name: "excluded absent, two", caseJSON: `"excluded": ["recipient-region"], "paths": ["recipient-country"]`, body: `<recipient-country code="AF"/><recipient-country code="BD"/>`, fail: true},
	})
}

func TestRuleDependent(t *testing.T) {
	runRuleCases(t, "dependent", []ruleCase{
		{name: "none", caseJSON: `"paths": ["capital-spend", "budget"]`, body: ``},
		{name: "all", caseJSON: `"paths": ["capital-spend", "budget"]`, body: `<budget/><capital-spend percentage="1"/>`},
		{name: "one missing", caseJSON: `"paths": ["capital-spend", "budget"]`, body: `<capital-spend percentage="1"/>`, fail: true},
	})
}

func TestRuleOneOrAll(t *testing.T) {
	runRuleCases(t, "one_or_all", []ruleCase{
		{name: "lang: default language", caseJSON: `"one": "@xml:lang", "all": "lang"`, attrs: ` xml:lang="en"`, body: `<title><narrative>T</narrative></title>`},
		{name: "lang: every narrative", caseJSON: `"one": "@xml:lang", "all": "lang"`, body: `<title><narrative xml:lang="en">T</narrative></title><description><narrative xml:lang="fr">D</narrative></description>`},
		{name: "lang: one narrative without", caseJSON: `"one": "@xml:lang", "all": "lang"`, body: `<title><narrative xml:lang="en">T</narrative></title><description><narrative>D</narrative></description>`, fail: true},
		{name: "lang: no narratives", caseJSON: `"one": "@xml:lang", "all": "lang"`, body: ``},
		{name: "sector: at activity level", caseJSON: `"one": "sector", "all": "sector"`, body: `<sector code="1"/><transaction/>`},
		{name: "sector: every transaction", caseJSON: `"one": "sector", "all": "sector"`, body: `<transaction><sector code="1"/></transaction>`},
		{name: "sector: a transaction without", caseJSON: `"one": "sector", "all": "sector"`, body: `<transaction><sector code="1"/></transaction><transaction/>`, fail: true},
		{name: "currency: default currency", caseJSON: `"one": "@default-currency", "all": "currency"`, attrs: ` default-currency="EUR"`, body: `<budget><value>1</value></budget>`},
		{name: "currency: all values", caseJSON: `"one": "@default-currency", "all": "currency"`, body: `<budget><value currency="EUR">1</value></budget><transaction><value currency="USD">1</value></transaction>`},
		{name: "currency: a value without", caseJSON: `"one": "@default-currency", "all": "currency"`, body: `<budget><value currency="EUR">1</value></budget><transaction><value>1</value></transaction>`, fail: true},
		{name: "currency: loan-status without", caseJSON: `"one": "@default-currency", "all": "currency"`, body: `<crs-add><loan-status year="2020"/></crs-add>`, fail: true},
		{name: "unknown all passes", caseJSON: `"one": "@nothing", "all": "something-else"`, body: ``},
	})
}

func TestRuleUnique(t *testing.T) {
	runRuleCases(t, "unique", []ruleCase{
		{name: "different", caseJSON: `"paths": ["reporting-org/@ref", "iati-identifier"]`, body: `<iati-identifier>GB-1-A</iati-identifier><reporting-org ref="GB-1"/>`},
		{name: "same", caseJSON: `"paths": ["reporting-org/@ref", "iati-identifier"]`, body: `<iati-identifier>GB-1</iati-identifier><reporting-org ref="GB-1"/>`, fail: true},
		{name: "white space makes a difference", caseJSON: `"paths": ["reporting-org/@ref", "iati-identifier"]`, body: `<iati-identifier> GB-1</iati-identifier><reporting-org ref="GB-1"/>`},
		{name: "nothing", caseJSON: `"paths": ["reporting-org/@ref", "iati-identifier"]`, body: ``},
	})
}

func TestRuleStrictSum(t *testing.T) {
	pct := `"paths": ["sector/@percentage"], "sum": 100`
	runRuleCases(t, "strict_sum", []ruleCase{
		{name: "100", caseJSON: pct, body: `<sector percentage="60"/><sector percentage="40"/>`},
		{name: "decimals rounded to 4 places", caseJSON: pct, body: `<sector percentage="33.33333"/><sector percentage="33.33333"/><sector percentage="33.33334"/>`},
		{name: "float noise is rounded away", caseJSON: pct, body: `<sector percentage="0.1"/><sector percentage="0.2"/><sector percentage="99.7"/>`},
		{name: "99", caseJSON: pct, body: `<sector percentage="60"/><sector percentage="39"/>`, fail: true},
		{name: "not a number", caseJSON: pct, body: `<sector percentage="60"/><sector percentage="forty"/>`, fail: true},
		{name: "empty counts as 0", caseJSON: pct, body: `<sector percentage="100"/><sector percentage=""/>`},
		{name: "nothing sums to 0", caseJSON: pct, body: ``, fail: true},
		{name: "condition", caseJSON: `"condition": "count(sector) > 1", ` + pct, body: `<sector percentage="50"/>`},
		{name: "JavaScript numbers: exponent and spaces", caseJSON: pct, body: `<sector percentage=" 5e1 "/><sector percentage="50"/>`},
	})
}

func TestRuleSum(t *testing.T) {
	runRuleCases(t, "sum", []ruleCase{
		{name: "nothing passes", caseJSON: `"paths": ["sector/@percentage"], "sum": 100`, body: ``},
		{name: "wrong sum", caseJSON: `"paths": ["sector/@percentage"], "sum": 100`, body: `<sector percentage="10"/>`, fail: true},
	})
}

func TestRuleRange(t *testing.T) {
	r := `"paths": ["recipient-country/@percentage"], "min": 0.0, "max": 100.0`
	runRuleCases(t, "range", []ruleCase{
		{name: "inside", caseJSON: r, body: `<recipient-country percentage="50.5"/>`},
		{name: "edges", caseJSON: r, body: `<recipient-country percentage="0"/><recipient-country percentage="100"/>`},
		{name: "above", caseJSON: r, body: `<recipient-country percentage="100.01"/>`, fail: true},
		{name: "below", caseJSON: r, body: `<recipient-country percentage="-1"/>`, fail: true},
		{name: "not a number", caseJSON: r, body: `<recipient-country percentage="1,5"/>`, fail: true},
		{name: "no min", caseJSON: `"paths": ["@v"], "max": 10`, context: "//x", body: `<x v="-1000"/>`},
		{name: "no max", caseJSON: `"paths": ["@v"], "min": 10`, context: "//x", body: `<x v="1000"/><x v="9"/>`, fail: true},
	})
}

func TestRuleNoSpaces(t *testing.T) {
	runRuleCases(t, "no_spaces", []ruleCase{
		{name: "clean", caseJSON: `"paths": ["iati-identifier"]`, body: `<iati-identifier>GB-1-A</iati-identifier>`},
		{name: "inner space is fine", caseJSON: `"paths": ["iati-identifier"]`, body: `<iati-identifier>GB-1 A</iati-identifier>`},
		{name: "leading space", caseJSON: `"paths": ["iati-identifier"]`, body: `<iati-identifier> GB-1-A</iati-identifier>`, fail: true},
		{name: "trailing newline", caseJSON: `"paths": ["iati-identifier"]`, body: "<iati-identifier>GB-1-A\n</iati-identifier>", fail: true},
		{name: "attribute with tab (normalised to a space)", caseJSON: `"paths": ["reporting-org/@ref"]`, body: "<reporting-org ref=\"GB-1\t\"/>", fail: true},
		{name: "no-break space", caseJSON: `"paths": ["iati-identifier"]`, body: "<iati-identifier>GB-1-A\u00a0</iati-identifier>", fail: true},
	})
}

func TestRuleRegexMatches(t *testing.T) {
	re := `"paths": ["iati-identifier"], "regex": "^[^\\/\\&\\|\\?]+$"`
	runRuleCases(t, "regex_matches", []ruleCase{
		{name: "matches", caseJSON: re, body: `<iati-identifier>GB-1-A</iati-identifier>`},
		{name: "slash", caseJSON: re, body: `<iati-identifier>GB-1/A</iati-identifier>`, fail: true},
		{name: "ampersand entity", caseJSON: re, body: `<iati-identifier>GB-1&amp;A</iati-identifier>`, fail: true},
		{name: "empty text passes", caseJSON: re, body: `<iati-identifier></iati-identifier>`},
		{name: "idCondition: known organisation id skips", caseJSON: `"idCondition": "NOT_EXISTING_ORG_ID", "paths": ["@ref"], "regex": "^[^/]+$"`, context: "//participating-org", body: `<participating-org ref="GB-COH-1"/>`},
		{name: "idCondition: unknown id applies", caseJSON: `"idCondition": "NOT_EXISTING_ORG_ID", "paths": ["@ref"], "regex": "^[^/]+$"`, context: "//participating-org", body: `<participating-org ref="GB/2"/>`, fail: true},
		{name: "idCondition prefix: prefixed by known id skips", caseJSON: `"idCondition": "NOT_EXISTING_ORG_ID_PREFIX", "paths": ["iati-identifier"], "regex": "^[^/]+$"`, body: `<iati-identifier>GB-COH-1-a/b</iati-identifier>`},
	})
}

func TestRuleRegexNoMatches(t *testing.T) {
	runRuleCases(t, "regex_no_matches", []ruleCase{
		{name: "no match", caseJSON: `"paths": ["iati-identifier"], "regex": "\\s"`, body: `<iati-identifier>A</iati-identifier>`},
		{name: "match", caseJSON: `"paths": ["iati-identifier"], "regex": "\\s"`, body: `<iati-identifier>A B</iati-identifier>`, fail: true},
	})
}

func TestRuleStartsWith(t *testing.T) {
	sw := `"prefix": ["reporting-org/@ref", "other-identifier[@type='B1']/@ref"], "separator": "-", "paths": ["iati-identifier"]`
	org := `"prefix": ["ORG-ID-PREFIX"], "paths": ["reporting-org/@ref"]`
	runRuleCases(t, "startswith", []ruleCase{
		{name: "reporting org prefix", caseJSON: sw, body: `<iati-identifier>GB-COH-1-A</iati-identifier><reporting-org ref="GB-COH-1"/>`},
		{name: "previous identifier", caseJSON: sw, body: `<iati-identifier>GB-OLD-A</iati-identifier><reporting-org ref="GB-COH-1"/><other-identifier ref="GB-OLD" type="B1"/>`},
		{name: "separator required", caseJSON: sw, body: `<iati-identifier>GB-COH-1A</iati-identifier><reporting-org ref="GB-COH-1"/>`, fail: true},
		{name: "other type does not count", caseJSON: sw, body: `<iati-identifier>GB-OLD-A</iati-identifier><reporting-org ref="GB-COH-1"/><other-identifier ref="GB-OLD" type="A1"/>`, fail: true},
		{name: "no prefix at all", caseJSON: sw, body: `<iati-identifier>GB-COH-1-A</iati-identifier>`, fail: true},
		{name: "ORG-ID-PREFIX known agency", caseJSON: org, body: `<reporting-org ref="GB-COH-123"/>`},
		{name: "ORG-ID-PREFIX unknown agency", caseJSON: org, body: `<reporting-org ref="XX-NOPE-1"/>`, fail: true},
		{name: "ORG-ID-PREFIX no hyphen", caseJSON: org, body: `<reporting-org ref="GB"/>`, fail: true},
		{name: "ORG-ID-PREFIX as a plain string", caseJSON: `"prefix": "ORG-ID-PREFIX", "paths": ["reporting-org/@ref"]`, body: `<reporting-org ref="XM-DAC-41114"/>`},
	})
}

func TestRuleIfThen(t *testing.T) {
	runRuleCases(t, "if_then", []ruleCase{
		{name: "if false", caseJSON: `"if": "count(sector) > 0", "then": "count(transaction/sector) < 1"`, body: `<transaction><sector/></transaction>`},
		{name: "if and then true", caseJSON: `"if": "count(sector) > 0", "then": "count(transaction/sector) < 1"`, body: `<sector/><transaction/>`},
		{name: "then false", caseJSON: `"if": "count(sector) > 0", "then": "count(transaction/sector) < 1"`, body: `<sector/><transaction><sector/></transaction>`, fail: true},
		{name: "number check passes", context: "//baseline", caseJSON: `"if": "@value", "then": "number(@value) = @value"`, body: `<baseline value=" 12.5 "/>`},
		{name: "number check fails", context: "//baseline", caseJSON: `"if": "@value", "then": "number(@value) = @value"`, body: `<baseline value="1,5"/>`, fail: true},
		{name: "missing value: node-set if is false", context: "//baseline", caseJSON: `"if": "@value", "then": "number(@value) = @value"`, body: `<baseline/>`},
		{name: "node-set then: empty fails", caseJSON: `"if": "not(recipient-country or recipient-region)", "then": "transaction[recipient-country or recipient-region]"`, body: `<transaction/>`, fail: true},
		{name: "node-set then: present passes", caseJSON: `"if": "not(recipient-country or recipient-region)", "then": "transaction[recipient-country or recipient-region]"`, body: `<transaction><recipient-region code="1"/></transaction>`},
		{name: "or with equality on node-set", caseJSON: `"if": "count(recipient-country) = 1", "then": "not(recipient-country/@percentage) or recipient-country/@percentage = 100"`, body: `<recipient-country code="AF" percentage="100.0"/>`},
		{name: "or with equality fails", caseJSON: `"if": "count(recipient-country) = 1", "then": "not(recipient-country/@percentage) or recipient-country/@percentage = 100"`, body: `<recipient-country code="AF" percentage="90"/>`, fail: true},
	})
}

func TestRuleDateOrder(t *testing.T) {
	do := `"less": "activity-date[@type='1']/@iso-date", "more": "activity-date[@type='3']/@iso-date"`
	now := `"less": "activity-date[@type='2']/@iso-date", "more": "NOW"`
	runRuleCases(t, "date_order", []ruleCase{
		{name: "in order", caseJSON: do, body: `<activity-date type="1" iso-date="2020-01-01"/><activity-date type="3" iso-date="2021-01-01"/>`},
		{name: "equal", caseJSON: do, body: `<activity-date type="1" iso-date="2020-01-01"/><activity-date type="3" iso-date="2020-01-01"/>`},
		{name: "reversed", caseJSON: do, body: `<activity-date type="1" iso-date="2021-01-01"/><activity-date type="3" iso-date="2020-12-31"/>`, fail: true},
		{name: "one missing: skipped", caseJSON: do, body: `<activity-date type="1" iso-date="2021-01-01"/>`},
		{name: "not a date: skipped", caseJSON: do, body: `<activity-date type="1" iso-date="soon"/><activity-date type="3" iso-date="2020-01-01"/>`},
		{name: "empty date: skipped", caseJSON: do, body: `<activity-date type="1" iso-date=""/><activity-date type="3" iso-date="2020-01-01"/>`},
		{name: "date-times with zones", caseJSON: do, body: `<activity-date type="1" iso-date="2020-01-01T01:00:00+02:00"/><activity-date type="3" iso-date="2019-12-31T23:30:00Z"/>`},
		{name: "past vs now", caseJSON: now, body: `<activity-date type="2" iso-date="2023-12-31"/>`},
		{name: "future vs now", caseJSON: now, body: `<activity-date type="2" iso-date="2024-01-02"/>`, fail: true},
		{name: "only the first match counts", caseJSON: `"less": "transaction/transaction-date/@iso-date", "more": "NOW"`,
			body: `<transaction><transaction-date iso-date="2020-01-01"/></transaction><transaction><transaction-date iso-date="2030-01-01"/></transaction>`},
	})
}

func TestRuleDateNow(t *testing.T) {
	runRuleCases(t, "date_now", []ruleCase{
		{name: "past", caseJSON: `"date": "@last-updated-datetime"`, attrs: ` last-updated-datetime="2023-06-01T10:00:00Z"`},
		{name: "same day earlier", caseJSON: `"date": "@last-updated-datetime"`, attrs: ` last-updated-datetime="2024-01-01T11:59:59Z"`},
		{name: "future", caseJSON: `"date": "@last-updated-datetime"`, attrs: ` last-updated-datetime="2024-01-01T12:00:01Z"`, fail: true},
		{name: "future by offset", caseJSON: `"date": "@last-updated-datetime"`, attrs: ` last-updated-datetime="2024-01-01T13:30:00+01:00"`, fail: true},
		{name: "absent", caseJSON: `"date": "@last-updated-datetime"`},
	})
}

func TestRuleTimeLimit(t *testing.T) {
	tl := `"start": "period-start/@iso-date", "end": "period-end/@iso-date"`
	budget := func(s, e string) string {
		return `<budget><period-start iso-date="` + s + `"/><period-end iso-date="` + e + `"/></budget>`
	}
	runRuleCases(t, "time_limit", []ruleCase{
		{name: "one year", context: "//budget", caseJSON: tl, body: budget("2021-01-01", "2021-12-31")},
		{name: "365 days in a leap year", context: "//budget", caseJSON: tl, body: budget("2020-01-01", "2020-12-31")},
		{name: "366 days", context: "//budget", caseJSON: tl, body: budget("2020-01-01", "2021-01-01"), fail: true},
		{name: "end before start passes", context: "//budget", caseJSON: tl, body: budget("2021-01-01", "2019-01-01")},
		{name: "missing end", context: "//budget", caseJSON: tl, body: `<budget><period-start iso-date="2021-01-01"/></budget>`},
	})
}

func TestRuleBetweenDates(t *testing.T) {
	bd := `"date": "budget-line/value/@value-date", "start": "period-start/@iso-date", "end": "period-end/@iso-date"`
	rcb := func(vd string) string {
		return `<rcb><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><budget-line><value value-date="` + vd + `">1</value></budget-line></rcb>`
	}
	runRuleCases(t, "between_dates", []ruleCase{
		{name: "inside", context: "//rcb", caseJSON: bd, body: rcb("2021-06-01")},
		{name: "on the edges", context: "//rcb", caseJSON: bd, body: rcb("2021-12-31")},
		{name: "before", context: "//rcb", caseJSON: bd, body: rcb("2020-12-31"), fail: true},
		{name: "after", context: "//rcb", caseJSON: bd, body: rcb("2022-01-01"), fail: true},
		{name: "no date", context: "//rcb", caseJSON: bd, body: `<rcb><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/></rcb>`},
	})
}

func TestRuleLoop(t *testing.T) {
	loop := `"foreach": "sector[@vocabulary != '1']/@vocabulary", "subs": ["paths", "condition"],
		"do": {"strict_sum": {"cases": [{"condition": "count(sector[@vocabulary = '$1']) > 1",
			"paths": ["sector[@vocabulary = '$1']/@percentage"], "sum": 100,
			"ruleInfo": {"id": "T", "severity": "error", "category": "test", "message": "sum per vocabulary"}}]}}`
	rs := `{"/iati-activities/iati-activity": {"loop": {"cases": [{` + loop + `}]}}}`
	for _, c := range []struct {
		name  string
		body  string
		fails int
	}{
		{"one vocabulary, sums", `<sector vocabulary="2" percentage="50"/><sector vocabulary="2" percentage="50"/>`, 0},
		{"one vocabulary, wrong", `<sector vocabulary="2" percentage="50"/><sector vocabulary="2" percentage="40"/>`, 1},
		{"two vocabularies, both wrong", `<sector vocabulary="2" percentage="50"/><sector vocabulary="2" percentage="40"/><sector vocabulary="99" percentage="10"/><sector vocabulary="99" percentage="10"/>`, 2},
		{"vocabulary 1 is not looped", `<sector vocabulary="1" percentage="50"/><sector vocabulary="1" percentage="40"/>`, 0},
		{"single sector: condition false", `<sector vocabulary="2" percentage="50"/>`, 0},
		{"duplicate values are grouped once", `<sector vocabulary="3" percentage="1"/><sector vocabulary="3" percentage="1"/><sector vocabulary="3" percentage="1"/>`, 1},
		{"value with a quote cannot break the expression", `<sector vocabulary="a'b" percentage="1"/><sector vocabulary="a'b" percentage="1"/>`, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ruleFailures(t, rs, activityDoc("", c.body))
			if len(got) != c.fails {
				t.Errorf("got %d failures, want %d: %+v", len(got), c.fails, got)
			}
		})
	}
	// keys not listed in subs keep $1 literally
	rs2 := `{"/iati-activities/iati-activity": {"loop": {"cases": [{"foreach": "sector/@vocabulary", "subs": [],
		"do": {"atleast_one": {"cases": [{"paths": ["sector[@vocabulary = '$1']"],
			"ruleInfo": {"id": "T", "severity": "error", "category": "test", "message": "m"}}]}}}]}}}`
	if got := ruleFailures(t, rs2, activityDoc("", `<sector vocabulary="2"/>`)); len(got) != 1 {
		t.Errorf("without subs: got %d failures, want 1 ($1 not substituted)", len(got))
	}
}

func TestRuleCamelCaseNames(t *testing.T) {
	got := ruleFailures(t, oneCaseRuleset("/iati-activities/iati-activity", "atLeastOne", `"paths": ["sector"]`), activityDoc("", ""))
	if len(got) != 1 {
		t.Errorf("atLeastOne: got %d failures, want 1", len(got))
	}
}

func TestRulesetErrors(t *testing.T) {
	for _, c := range []struct{ name, rs, want string }{
		{"not JSON", `{`, "ruleset"},
		{"unknown rule", oneCaseRuleset("//x", "every_other", `"paths": ["a"]`), "unknown rule type"},
		{"bad xpath", oneCaseRuleset("//x", "atleast_one", `"paths": ["a[@b="]`), "xpath"},
		{"bad context", `{"//x[": {"atleast_one": {"cases": []}}}`, "context"},
		{"missing keys", oneCaseRuleset("//x", "date_order", `"less": "a"`), "needs less and more"},
		{"bad regex", oneCaseRuleset("//x", "regex_matches", `"paths": ["a"], "regex": "("`), "regex"},
		{"unknown function", oneCaseRuleset("//x", "if_then", `"if": "frobnicate(1)", "then": "true()"`), "unsupported function"},
		{"unknown idCondition", oneCaseRuleset("//x", "atleast_one", `"paths": ["a"], "idCondition": "MAYBE"`), "idCondition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := validate.New(validate.Options{Ruleset: strings.NewReader(c.rs)})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestProblemFields checks what a rule problem carries.
func TestProblemFields(t *testing.T) {
	doc := "<iati-activities version=\"2.03\">\n <iati-activity>\n  <iati-identifier> GB-1-A</iati-identifier>\n </iati-activity>\n</iati-activities>"
	got := ruleFailures(t, oneCaseRuleset("/iati-activities/iati-activity", "no_spaces", `"paths": ["iati-identifier"]`), doc)
	if len(got) != 1 {
		t.Fatalf("got %d problems, want 1", len(got))
	}
	p := got[0]
	want := validate.Problem{RuleID: "T", Severity: "error", Category: "test", Message: "test rule",
		Activity: "GB-1-A", Line: 3, Column: 3, Path: "/iati-activities/iati-activity"}
	p.Detail = ""
	if p != want {
		t.Errorf("problem = %+v\nwant      %+v", p, want)
	}
}
