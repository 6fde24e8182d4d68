package validate

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Severities of problems.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Rule identifiers of problems that do not come from the ruleset.
const (
	RuleXML       = "xml"     // the input is not well-formed XML
	RuleSchema    = "schema"  // the XML schema of the declared version
	RuleVersion   = "version" // about the version the file declares
	RuleDuplicate = "1.1.2"   // an identifier used twice in the file (numbered as in the IATI validator)
	RuleSize      = "size"    // a record too large for codelist and rule checks
	// RuleCodelistPrefix is followed by the codelist name, as in
	// "codelist:Sector".
	RuleCodelistPrefix = "codelist:"
)

// Problem is one finding.
type Problem struct {
	// RuleID is the ruleset rule id (such as "6.11.1"), "schema", "xml",
	// "version", or "codelist:" followed by the codelist name.
	RuleID   string `json:"ruleId"`
	Severity string `json:"severity"` // error, warning or info
	Category string `json:"category"`
	Message  string `json:"message"`
	// Detail says what exactly is wrong, with the values found.
	Detail string `json:"detail,omitempty"`
	// Activity is the identifier of the enclosing activity (or
	// organisation), when there is one and it is known.
	Activity string `json:"activity,omitempty"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	// Path locates the element (schema and codelist problems) or gives the
	// ruleset context (rule problems).
	Path string `json:"path,omitempty"`
	// Guidance is the address of the IATI guidance for a ruleset rule.
	Guidance string `json:"guidance,omitempty"`
}

// Report is the result of validating one file.
type Report struct {
	File string `json:"file"`
	// DocumentType is "iati-activities", "iati-organisations" or "" when
	// the root element is neither.
	DocumentType string `json:"documentType"`
	// Version is the version declared on the root element.
	Version string `json:"version"`
	// SchemaVersion is the schema version the file was validated against.
	SchemaVersion string `json:"schemaVersion"`
	// Activities counts iati-activity (or iati-organisation) records.
	Activities int       `json:"activities"`
	Problems   []Problem `json:"problems"`
	// Omitted counts problems beyond Options.MaxProblems that were not kept.
	Omitted int `json:"omitted,omitempty"`
}

// Errors counts problems of severity error.
func (r *Report) Errors() int { return r.count(SeverityError) }

// Warnings counts problems of severity warning.
func (r *Report) Warnings() int { return r.count(SeverityWarning) }

func (r *Report) count(sev string) int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == sev {
			n++
		}
	}
	return n
}

// Options configure a Validator. The zero value validates with the embedded
// standard ruleset and the current time.
type Options struct {
	// Ruleset is a ruleset in the IATI validator's JSON format. When nil,
	// RulesetPath is read; when that is empty too, the embedded IATI
	// Standard Ruleset for 2.03 is used.
	Ruleset     io.Reader
	RulesetPath string
	// NoRules turns the ruleset checks off; NoCodelists the codelist checks.
	NoRules     bool
	NoCodelists bool
	// Now gives the current time for date_now and "NOW" in date_order.
	Now func() time.Time
	// OrgIDs are known publisher organisation identifiers (the IATI
	// Registry's), used by idCondition NOT_EXISTING_ORG_ID(_PREFIX): rules
	// with that condition are skipped for values that are known
	// identifiers. None are known by default.
	OrgIDs []string
	// OrgIDPrefixes are the registration agency prefixes accepted by
	// startswith with ORG-ID-PREFIX. Nil means the codes of the embedded
	// OrganisationRegistrationAgency codelist.
	OrgIDPrefixes []string
	// SchemaVersion forces the schema version ("1.05", "2.01", "2.02",
	// "2.03") instead of taking it from the file's @version.
	SchemaVersion string
	// MaxProblems caps the problems kept in a report (0: no cap); the rest
	// are only counted in Report.Omitted.
	MaxProblems int
}

// Validator validates IATI files. It is safe for concurrent use.
type Validator struct {
	rules         *ruleset
	codelists     *codelistSet
	now           func() time.Time
	orgIDs        map[string]bool
	orgIDPrefixes map[string]bool
	forceVersion  string
	maxProblems   int
	pool          sync.Pool
}

// New returns a Validator.
func New(opts Options) (*Validator, error) {
	v := &Validator{now: opts.Now, maxProblems: opts.MaxProblems, orgIDs: map[string]bool{}}
	if v.now == nil {
		v.now = time.Now
	}
	if opts.SchemaVersion != "" {
		ok := false
		for _, s := range SchemaVersions {
			ok = ok || s == opts.SchemaVersion
		}
		if !ok {
			return nil, fmt.Errorf("unknown schema version %q (have %s)", opts.SchemaVersion, strings.Join(SchemaVersions, ", "))
		}
		v.forceVersion = opts.SchemaVersion
	}
	for _, id := range opts.OrgIDs {
		v.orgIDs[id] = true
	}
	if !opts.NoRules {
		var err error
		switch {
		case opts.Ruleset != nil:
			v.rules, err = parseRuleset(opts.Ruleset)
		case opts.RulesetPath != "":
			var f *os.File
			if f, err = os.Open(opts.RulesetPath); err == nil {
				v.rules, err = parseRuleset(f)
				f.Close()
			}
		default:
			v.rules, err = defaultRuleset()
		}
		if err != nil {
			return nil, err
		}
	}
	needCodelists := !opts.NoCodelists || opts.OrgIDPrefixes == nil
	if needCodelists {
		cs, err := embeddedCodelists()
		if err != nil {
			return nil, err
		}
		if !opts.NoCodelists {
			v.codelists = cs
		}
		if opts.OrgIDPrefixes == nil {
			if ag := cs.lists["OrganisationRegistrationAgency"]; ag != nil {
				v.orgIDPrefixes = ag.codes
			}
		}
	}
	if opts.OrgIDPrefixes != nil {
		v.orgIDPrefixes = map[string]bool{}
		for _, p := range opts.OrgIDPrefixes {
			v.orgIDPrefixes[p] = true
		}
	}
	return v, nil
}

var (
	defaultRulesOnce sync.Once
	defaultRules     *ruleset
	defaultRulesErr  error
)

func defaultRuleset() (*ruleset, error) {
	defaultRulesOnce.Do(func() {
		f, err := data.Open("data/rulesets/standard-2.03.json")
		if err != nil {
			defaultRulesErr = err
			return
		}
		defer f.Close()
		defaultRules, defaultRulesErr = parseRuleset(f)
	})
	return defaultRules, defaultRulesErr
}

// ValidateFile validates the file at path.
func (v *Validator) ValidateFile(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return v.Validate(f, path)
}

// Validate reads an IATI activity or organisation file from r and reports
// every problem found. name is used in the report and in errors.
//
// The file is read as a stream, one activity at a time, so memory does not
// grow with the size of the file (only with the number of problems and of
// activity identifiers). The error is non-nil only when the input cannot be
// read as XML (it is not well-formed, or reading fails): it then says where
// and why, and the report holds what was found up to that point, including
// the same error as a problem with RuleID "xml".
func (v *Validator) Validate(r io.Reader, name string) (*Report, error) {
	ru, _ := v.pool.Get().(*run)
	if ru == nil {
		ru = newRun(v)
	}
	rep, err := ru.validate(r, name)
	ru.release()
	v.pool.Put(ru)
	return rep, err
}
