package tcmis

import (
	"fmt"
	"strings"
)

// A kind is one of a fixed list of codes, each with an English label. The
// code is what files, URLs and the database carry; the label is what reports
// print. Parsing accepts either, ignoring case.
type kind struct{ code, label string }

func parseKind[T ~string](list []kind, s, what string) (T, error) {
	s = strings.TrimSpace(s)
	for _, k := range list {
		if strings.EqualFold(s, k.code) || strings.EqualFold(s, k.label) {
			return T(k.code), nil
		}
	}
	codes := make([]string, len(list))
	for i, k := range list {
		codes[i] = k.code
	}
	return "", fmt.Errorf("%q is not a %s (use one of %s)", s, what, strings.Join(codes, ", "))
}

func labelOf(list []kind, code string) string {
	for _, k := range list {
		if k.code == code {
			return k.label
		}
	}
	return code
}

func validKind(list []kind, code string) bool {
	for _, k := range list {
		if k.code == code {
			return true
		}
	}
	return false
}

func codesOf[T ~string](list []kind) []T {
	out := make([]T, len(list))
	for i, k := range list {
		out[i] = T(k.code)
	}
	return out
}

// DonorCategory groups the providers of funds as the organisation reports
// them to its governing body.
type DonorCategory string

const (
	MultiBilateral       DonorCategory = "multi-bilateral"
	DirectTrustFund      DonorCategory = "direct-trust-fund"
	NonState             DonorCategory = "non-state"
	FinancialInstitution DonorCategory = "ifi"
	UnitedNations        DonorCategory = "un"
	EuropeanUnion        DonorCategory = "eu"
	OtherIntergovernment DonorCategory = "other-igo"
	RegularBudgetDonor   DonorCategory = "regular-budget"
)

var donorCategories = []kind{
	{"multi-bilateral", "Multi-bilateral donors"},
	{"direct-trust-fund", "Direct trust funds"},
	{"non-state", "Non-state actors"},
	{"ifi", "IFIs (banks)"},
	{"un", "United Nations"},
	{"eu", "European Union"},
	{"other-igo", "Other intergovernmental organizations"},
	{"regular-budget", "Regular budget"},
}

// DonorCategories lists the categories in the order reports print them.
func DonorCategories() []DonorCategory { return codesOf[DonorCategory](donorCategories) }

// ParseDonorCategory accepts a code or a label ("Multi-bilateral donors").
func ParseDonorCategory(s string) (DonorCategory, error) {
	return parseKind[DonorCategory](donorCategories, s, "donor category")
}
func (c DonorCategory) Label() string { return labelOf(donorCategories, string(c)) }
func (c DonorCategory) Valid() bool   { return validKind(donorCategories, string(c)) }

// NonStateKind refines the non-state actor category.
type NonStateKind string

var nonStateKinds = []kind{
	{"foundation", "Foundations"},
	{"public-institution", "Public institutions"},
	{"social-partner", "Social partners"},
	{"private-sector", "Private sector initiatives"},
	{"other", "Others"},
}

func ParseNonStateKind(s string) (NonStateKind, error) {
	return parseKind[NonStateKind](nonStateKinds, s, "kind of non-state actor")
}
func (k NonStateKind) Label() string { return labelOf(nonStateKinds, string(k)) }
func (k NonStateKind) Valid() bool   { return validKind(nonStateKinds, string(k)) }

// Region is one of the organisation's five regions.
type Region string

const (
	Africa      Region = "africa"
	Americas    Region = "americas"
	ArabStates  Region = "arab-states"
	AsiaPacific Region = "asia-pacific"
	Europe      Region = "europe"
)

var regions = []kind{
	{"africa", "Africa"},
	{"americas", "Americas"},
	{"arab-states", "Arab States"},
	{"asia-pacific", "Asia and the Pacific"},
	{"europe", "Europe and Central Asia"},
}

// Regions lists the five regions in report order.
func Regions() []Region { return codesOf[Region](regions) }

func ParseRegion(s string) (Region, error) { return parseKind[Region](regions, s, "region") }
func (r Region) Label() string             { return labelOf(regions, string(r)) }
func (r Region) Valid() bool               { return validKind(regions, string(r)) }

// Scope says how widely a project works.
type Scope string

const (
	National      Scope = "national"
	Regional      Scope = "regional"
	Interregional Scope = "interregional"
	Global        Scope = "global"
)

var scopes = []kind{
	{"national", "National"},
	{"regional", "Regional"},
	{"interregional", "Interregional"},
	{"global", "Global"},
}

func Scopes() []Scope                    { return codesOf[Scope](scopes) }
func ParseScope(s string) (Scope, error) { return parseKind[Scope](scopes, s, "scope") }
func (s Scope) Label() string            { return labelOf(scopes, string(s)) }
func (s Scope) Valid() bool              { return validKind(scopes, string(s)) }

// Source is where a project's money comes from.
type Source string

const (
	XBTC          Source = "xbtc"
	RBTC          Source = "rbtc"
	RegularBudget Source = "rb"
	OtherSource   Source = "other"
)

var sources = []kind{
	{"xbtc", "Extra-budgetary technical cooperation (XB-TC)"},
	{"rbtc", "Regular budget technical cooperation (RBTC)"},
	{"rb", "Regular budget"},
	{"other", "Other"},
}

func Sources() []Source { return codesOf[Source](sources) }
func ParseSource(s string) (Source, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "XB-TC", "XBTC":
		return XBTC, nil
	case "RBTC":
		return RBTC, nil
	case "RB", "RBSA":
		return RegularBudget, nil
	}
	return parseKind[Source](sources, s, "source of funds")
}
func (s Source) Label() string { return labelOf(sources, string(s)) }
func (s Source) Valid() bool   { return validKind(sources, string(s)) }

// Assistance is a type of assistance, the breakdown of budgets and
// expenditure.
type Assistance string

const (
	InternationalExperts Assistance = "experts"
	OtherPersonnel       Assistance = "personnel"
	Subcontracts         Assistance = "subcontracts"
	Training             Assistance = "training"
	Equipment            Assistance = "equipment"
	Miscellaneous        Assistance = "misc"
)

var assistances = []kind{
	{"experts", "International experts"},
	{"personnel", "Other personnel"},
	{"subcontracts", "Subcontracts"},
	{"training", "Training and fellowships"},
	{"equipment", "Equipment"},
	{"misc", "Miscellaneous"},
}

func AssistanceTypes() []Assistance { return codesOf[Assistance](assistances) }
func ParseAssistance(s string) (Assistance, error) {
	return parseKind[Assistance](assistances, s, "type of assistance")
}
func (a Assistance) Label() string { return labelOf(assistances, string(a)) }
func (a Assistance) Valid() bool   { return validKind(assistances, string(a)) }

// Status is where a project stands in the project cycle.
type Status string

const (
	Proposal            Status = "proposal"
	Appraisal           Status = "appraisal"
	Approved            Status = "approved"
	Ongoing             Status = "ongoing"
	OperationallyClosed Status = "operationally-closed"
	FinanciallyClosed   Status = "financially-closed"
	Cancelled           Status = "cancelled"
)

var statuses = []kind{
	{"proposal", "Proposal"},
	{"appraisal", "Appraisal"},
	{"approved", "Approved"},
	{"ongoing", "Ongoing"},
	{"operationally-closed", "Operationally closed"},
	{"financially-closed", "Financially closed"},
	{"cancelled", "Cancelled"},
}

func Statuses() []Status                   { return codesOf[Status](statuses) }
func ParseStatus(s string) (Status, error) { return parseKind[Status](statuses, s, "project status") }
func (s Status) Label() string             { return labelOf(statuses, string(s)) }
func (s Status) Valid() bool               { return validKind(statuses, string(s)) }

// Constituents is a set of the organisation's tripartite constituents.
type Constituents uint8

const (
	Governments Constituents = 1 << iota
	Employers
	Workers
)

// AllConstituents is the full tripartite set.
const AllConstituents = Governments | Employers | Workers

var constituentNames = []struct {
	c    Constituents
	name string
}{{Governments, "government"}, {Employers, "employers"}, {Workers, "workers"}}

// String lists the members, e.g. "government+workers", or "none".
func (c Constituents) String() string {
	var parts []string
	for _, n := range constituentNames {
		if c&n.c != 0 {
			parts = append(parts, n.name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// ParseConstituents reads "government+employers+workers", "all" or "none"
// (commas, spaces and plus signs all separate).
func ParseConstituents(s string) (Constituents, error) {
	var c Constituents
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '+' || r == ',' || r == ' ' || r == ';' })
	for _, f := range fields {
		switch f {
		case "all", "tripartite":
			c |= AllConstituents
		case "none":
		case "government", "governments", "gov":
			c |= Governments
		case "employers", "employer", "emp":
			c |= Employers
		case "workers", "worker", "wrk":
			c |= Workers
		default:
			return 0, fmt.Errorf("%q is not a constituent (government, employers, workers, all or none)", f)
		}
	}
	return c, nil
}

// Tripartite records which constituents took part in each stage of a
// project.
type Tripartite struct {
	Design         Constituents `json:"design"`
	Implementation Constituents `json:"implementation"`
	Monitoring     Constituents `json:"monitoring"`
	Evaluation     Constituents `json:"evaluation"`
}

// GenderMarker rates how far a project targets gender equality, on the
// IATI policy significance scale, with NotScreened for projects not yet
// assessed.
type GenderMarker int

const (
	NotScreened GenderMarker = iota
	NotTargeted
	Significant
	Principal
)

var genderMarkers = []string{"not screened", "not targeted", "significant objective", "principal objective"}

func (g GenderMarker) String() string {
	if g < 0 || int(g) >= len(genderMarkers) {
		return fmt.Sprintf("gender marker %d", int(g))
	}
	return genderMarkers[g]
}
func (g GenderMarker) Valid() bool { return g >= NotScreened && g <= Principal }

// Label is the marker as a heading or a list shows it: "Not screened".
func (g GenderMarker) Label() string {
	s := g.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// ParseGenderMarker accepts the words above, or 0-2 as the IATI
// significance codes (not targeted, significant, principal).
func ParseGenderMarker(s string) (GenderMarker, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "not screened", "not-screened":
		return NotScreened, nil
	case "0", "not targeted", "not-targeted":
		return NotTargeted, nil
	case "1", "significant", "significant objective":
		return Significant, nil
	case "2", "principal", "principal objective":
		return Principal, nil
	}
	return 0, fmt.Errorf("%q is not a gender marker (not screened, not targeted, significant, principal)", s)
}

// IATISignificance is the marker as an IATI policy significance code, and
// false when the project has not been screened.
func (g GenderMarker) IATISignificance() (int, bool) {
	if g <= NotScreened || g > Principal {
		return 0, false
	}
	return int(g) - 1, true
}

// Percent is a share in basis points: 100 per cent is Percent(10000).
type Percent int64

// Whole is one hundred per cent.
const Whole Percent = 10000

// ParsePercent reads "33.33", "33.33%" or "100".
func ParsePercent(s string) (Percent, error) {
	v, err := parseFixed(strings.TrimSuffix(strings.TrimSpace(s), "%"), 2)
	if err != nil {
		return 0, fmt.Errorf("%q is not a percentage: %v", s, err)
	}
	return Percent(v), nil
}

func (p Percent) String() string {
	s := strings.TrimRight(formatFixed(int64(p), 2), "0")
	return strings.TrimSuffix(s, ".")
}

// MarshalText writes the percentage as a decimal string such as "33.33".
func (p Percent) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

func (p *Percent) UnmarshalText(b []byte) error {
	v, err := ParsePercent(string(b))
	*p = v
	return err
}

// Share returns the part of an amount this percentage represents, rounded
// half away from zero to the minor unit.
func (p Percent) Share(amount int64) int64 {
	n := amount * int64(p)
	q, r := n/int64(Whole), n%int64(Whole)
	if 2*abs64(r) >= int64(Whole) {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// checkSplit checks one list of percentage shares: each between 0 and 100,
// together 100 when there is any.
func checkSplit(ps *problems, field, what string, shares []Percent) {
	if len(shares) == 0 {
		return
	}
	var sum Percent
	for i, p := range shares {
		if p <= 0 || p > Whole {
			ps.add(fmt.Sprintf("%s[%d]", field, i), "each %s share must be more than 0 and at most 100 per cent (got %s)", what, p)
		}
		sum += p
	}
	if sum != Whole {
		ps.add(field, "the %s shares add up to %s per cent; they must add up to 100", what, sum)
	}
}
