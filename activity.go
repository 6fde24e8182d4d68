package tcmis

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Activity is a project as the IATI standard publishes it: everything an
// IATI activity file says about the project that a Project has no field
// for, in the standard's own codes (IATI 2.03 codelists; files of version
// 1 are converted on the way in). The Project holds the programme's view
// (one title, its status in the project cycle, shares that add up to 100);
// the Activity holds the published record: texts in every language,
// organisations with their roles, the financial transactions, results.
//
// What an activity file carries and the model has no place for is kept in
// Extra (elements) and Attrs (attributes), so that an export gives it back
// where it was. Codes, percentages and indicator values are kept as the
// file wrote them; amounts are integer minor units of their currency.
type Activity struct {
	// ProjectID is the project the activity belongs to.
	ProjectID  int64  `json:"project_id,omitempty"`
	Identifier string `json:"identifier"`
	// Lang is the default language of the narratives (xml:lang), Currency
	// the default currency of the values.
	Lang     string `json:"lang,omitempty"`
	Currency string `json:"currency,omitempty"`
	// LastUpdated is the last-updated-datetime as the file wrote it.
	LastUpdated       string `json:"last_updated,omitempty"`
	Hierarchy         string `json:"hierarchy,omitempty"`
	Humanitarian      string `json:"humanitarian,omitempty"`
	BudgetNotProvided string `json:"budget_not_provided,omitempty"`
	LinkedDataURI     string `json:"linked_data_uri,omitempty"`

	ReportingOrg  Org            `json:"reporting_org"`
	Title         Narratives     `json:"title,omitempty"`
	Descriptions  []Description  `json:"descriptions,omitempty"`
	Participants  []Org          `json:"participating_orgs,omitempty"`
	Status        string         `json:"status,omitempty"`
	Dates         []ActivityDate `json:"dates,omitempty"`
	Scope         string         `json:"scope,omitempty"`
	Countries     []CountryPart  `json:"countries,omitempty"`
	Regions       []RegionPart   `json:"regions,omitempty"`
	Sectors       []SectorPart   `json:"sectors,omitempty"`
	PolicyMarkers []PolicyMarker `json:"policy_markers,omitempty"`

	CollaborationType  string    `json:"collaboration_type,omitempty"`
	DefaultFlowType    string    `json:"default_flow_type,omitempty"`
	DefaultFinanceType string    `json:"default_finance_type,omitempty"`
	DefaultAidTypes    []AidType `json:"default_aid_types,omitempty"`
	DefaultTiedStatus  string    `json:"default_tied_status,omitempty"`

	Budgets              []IATIBudget          `json:"budgets,omitempty"`
	PlannedDisbursements []PlannedDisbursement `json:"planned_disbursements,omitempty"`
	Transactions         []Transaction         `json:"transactions,omitempty"`
	DocumentLinks        []DocumentLink        `json:"document_links,omitempty"`
	Results              []IATIResult          `json:"results,omitempty"`

	Attrs []Attr     `json:"attrs,omitempty"`
	Extra []Fragment `json:"extra,omitempty"`
}

// Narrative is a text in one language; Lang "" is the activity's default
// language.
type Narrative struct {
	Lang string `json:"lang,omitempty"`
	Text string `json:"text"`
}

// Narratives is one text in several languages.
type Narratives []Narrative

// In returns the text in lang, else the one in the default language (when
// defaultLang is lang, or the narrative has no language), else the first,
// trimmed.
func (ns Narratives) In(lang, defaultLang string) string {
	for _, n := range ns {
		if strings.EqualFold(n.Lang, lang) || (n.Lang == "" && strings.EqualFold(defaultLang, lang)) {
			if t := strings.TrimSpace(n.Text); t != "" {
				return t
			}
		}
	}
	for _, n := range ns {
		if n.Lang == "" || strings.EqualFold(n.Lang, defaultLang) {
			if t := strings.TrimSpace(n.Text); t != "" {
				return t
			}
		}
	}
	for _, n := range ns {
		if t := strings.TrimSpace(n.Text); t != "" {
			return t
		}
	}
	return ""
}

// Attr is an attribute the model has no field for. Space is its namespace
// (empty for an attribute without one) and Prefix the prefix the file
// declared for it.
type Attr struct {
	Space  string `json:"space,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Name   string `json:"name"`
	Value  string `json:"value"`
}

// Fragment is an element the model has no place for, kept as XML so that
// export writes it back. Name and Space name the element; Legacy is true
// when it is not valid IATI 2.03 as it stands (it came from a version 1
// file, or the 2.03 schema has no such element there): export then writes
// it in the tcmis legacy namespace, which the schema lets through, and
// import reads it back from there.
type Fragment struct {
	Name   string `json:"name"`
	Space  string `json:"space,omitempty"`
	Legacy bool   `json:"legacy,omitempty"`
	XML    string `json:"xml"`
}

// Org is an organisation as an activity names it: the reporting
// organisation, a participating one (with its Role), the provider or
// receiver of a transaction (ActivityID is then the provider's or
// receiver's activity).
type Org struct {
	Ref               string     `json:"ref,omitempty"`
	Type              string     `json:"type,omitempty"`
	Role              string     `json:"role,omitempty"`
	ActivityID        string     `json:"activity_id,omitempty"`
	CRSChannel        string     `json:"crs_channel_code,omitempty"`
	SecondaryReporter string     `json:"secondary_reporter,omitempty"`
	Name              Narratives `json:"name,omitempty"`
	Attrs             []Attr     `json:"attrs,omitempty"`
	Extra             []Fragment `json:"extra,omitempty"`
}

// Description is a description of a type (1 general, 2 objectives, ...).
type Description struct {
	Type  string     `json:"type,omitempty"`
	Text  Narratives `json:"text,omitempty"`
	Attrs []Attr     `json:"attrs,omitempty"`
	Extra []Fragment `json:"extra,omitempty"`
}

// ActivityDate is a date of a type: 1 planned start, 2 actual start, 3
// planned end, 4 actual end.
type ActivityDate struct {
	Type  string     `json:"type"`
	Date  time.Time  `json:"date"`
	Text  Narratives `json:"text,omitempty"`
	Attrs []Attr     `json:"attrs,omitempty"`
	Extra []Fragment `json:"extra,omitempty"`
}

// The IATI activity date types.
const (
	DatePlannedStart = "1"
	DateActualStart  = "2"
	DatePlannedEnd   = "3"
	DateActualEnd    = "4"
)

// CountryPart is a recipient country and its share of the activity, as
// written ("" when the file gave none).
type CountryPart struct {
	Code       string     `json:"code"`
	Percentage string     `json:"percentage,omitempty"`
	Name       Narratives `json:"name,omitempty"`
	Attrs      []Attr     `json:"attrs,omitempty"`
	Extra      []Fragment `json:"extra,omitempty"`
}

// RegionPart is a recipient region in a vocabulary (1 OECD DAC, 2 UN).
type RegionPart struct {
	Code          string     `json:"code"`
	Vocabulary    string     `json:"vocabulary,omitempty"`
	VocabularyURI string     `json:"vocabulary_uri,omitempty"`
	Percentage    string     `json:"percentage,omitempty"`
	Name          Narratives `json:"name,omitempty"`
	Attrs         []Attr     `json:"attrs,omitempty"`
	Extra         []Fragment `json:"extra,omitempty"`
}

// SectorPart is a sector in a vocabulary (1 or empty: OECD DAC 5-digit
// purpose codes).
type SectorPart struct {
	Code          string     `json:"code"`
	Vocabulary    string     `json:"vocabulary,omitempty"`
	VocabularyURI string     `json:"vocabulary_uri,omitempty"`
	Percentage    string     `json:"percentage,omitempty"`
	Name          Narratives `json:"name,omitempty"`
	Attrs         []Attr     `json:"attrs,omitempty"`
	Extra         []Fragment `json:"extra,omitempty"`
}

// PolicyMarker rates how far the activity targets a policy (1 gender
// equality, 2 environment, ...) on the significance scale.
type PolicyMarker struct {
	Code          string     `json:"code"`
	Vocabulary    string     `json:"vocabulary,omitempty"`
	VocabularyURI string     `json:"vocabulary_uri,omitempty"`
	Significance  string     `json:"significance,omitempty"`
	Name          Narratives `json:"name,omitempty"`
	Attrs         []Attr     `json:"attrs,omitempty"`
	Extra         []Fragment `json:"extra,omitempty"`
}

// AidType is a type of aid in a vocabulary (1 or empty: OECD DAC).
type AidType struct {
	Code       string `json:"code"`
	Vocabulary string `json:"vocabulary,omitempty"`
}

// Value is an amount of money as IATI gives it: integer minor units of
// Currency (empty when the activity's default currency applies) and the
// date whose exchange rate converts it.
type Value struct {
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency,omitempty"`
	ValueDate time.Time `json:"value_date"`
	Attrs     []Attr    `json:"attrs,omitempty"`
}

// CurrencyOf returns the currency of a value: its own, else the activity's
// default.
func (a *Activity) CurrencyOf(v Value) string {
	if v.Currency != "" {
		return v.Currency
	}
	return a.Currency
}

// IATIBudget is the activity's budget for a period of at most a year.
type IATIBudget struct {
	Type   string     `json:"type,omitempty"`
	Status string     `json:"status,omitempty"`
	Start  time.Time  `json:"start"`
	End    time.Time  `json:"end"`
	Value  Value      `json:"value"`
	Attrs  []Attr     `json:"attrs,omitempty"`
	Extra  []Fragment `json:"extra,omitempty"`
}

// PlannedDisbursement is money expected to be disbursed in a period.
type PlannedDisbursement struct {
	Type     string     `json:"type,omitempty"`
	Start    time.Time  `json:"start"`
	End      time.Time  `json:"end"`
	Value    Value      `json:"value"`
	Provider *Org       `json:"provider,omitempty"`
	Receiver *Org       `json:"receiver,omitempty"`
	Attrs    []Attr     `json:"attrs,omitempty"`
	Extra    []Fragment `json:"extra,omitempty"`
}

// The IATI 2.x transaction types tcmis uses itself.
const (
	TxIncomingFunds      = "1"
	TxCommitment         = "2"
	TxDisbursement       = "3"
	TxExpenditure        = "4"
	TxIncomingCommitment = "11"
)

// Transaction is money that moved, or was committed, for the activity.
type Transaction struct {
	Ref                 string     `json:"ref,omitempty"`
	Humanitarian        string     `json:"humanitarian,omitempty"`
	Type                string     `json:"type"`
	Date                time.Time  `json:"date"`
	Value               Value      `json:"value"`
	Description         Narratives `json:"description,omitempty"`
	Provider            *Org       `json:"provider,omitempty"`
	Receiver            *Org       `json:"receiver,omitempty"`
	DisbursementChannel string     `json:"disbursement_channel,omitempty"`
	FlowType            string     `json:"flow_type,omitempty"`
	FinanceType         string     `json:"finance_type,omitempty"`
	AidTypes            []AidType  `json:"aid_types,omitempty"`
	TiedStatus          string     `json:"tied_status,omitempty"`
	Attrs               []Attr     `json:"attrs,omitempty"`
	Extra               []Fragment `json:"extra,omitempty"`
}

// DocumentLink is a document published about the activity.
type DocumentLink struct {
	URL         string     `json:"url"`
	Format      string     `json:"format,omitempty"`
	Title       Narratives `json:"title,omitempty"`
	Description Narratives `json:"description,omitempty"`
	Categories  []string   `json:"categories,omitempty"`
	Languages   []string   `json:"languages,omitempty"`
	Date        time.Time  `json:"date"`
	Attrs       []Attr     `json:"attrs,omitempty"`
	Extra       []Fragment `json:"extra,omitempty"`
}

// IATIResult is a result the activity aims at (1 output, 2 outcome, 3
// impact), with its indicators.
type IATIResult struct {
	Type              string          `json:"type,omitempty"`
	AggregationStatus string          `json:"aggregation_status,omitempty"`
	Title             Narratives      `json:"title,omitempty"`
	Description       Narratives      `json:"description,omitempty"`
	Indicators        []IATIIndicator `json:"indicators,omitempty"`
	Attrs             []Attr          `json:"attrs,omitempty"`
	Extra             []Fragment      `json:"extra,omitempty"`
}

// IATIIndicator measures a result: its baselines and, period by period,
// targets and actual values. Values are kept as written (decimals, or
// empty for qualitative indicators).
type IATIIndicator struct {
	Measure           string         `json:"measure,omitempty"`
	Ascending         string         `json:"ascending,omitempty"`
	AggregationStatus string         `json:"aggregation_status,omitempty"`
	Title             Narratives     `json:"title,omitempty"`
	Description       Narratives     `json:"description,omitempty"`
	Baselines         []Baseline     `json:"baselines,omitempty"`
	Periods           []ResultPeriod `json:"periods,omitempty"`
	Attrs             []Attr         `json:"attrs,omitempty"`
	Extra             []Fragment     `json:"extra,omitempty"`
}

// Baseline is where an indicator stood before the activity.
type Baseline struct {
	Year     string     `json:"year,omitempty"`
	Date     time.Time  `json:"date"`
	Value    string     `json:"value,omitempty"`
	HasValue bool       `json:"has_value,omitempty"`
	Comment  Narratives `json:"comment,omitempty"`
	Attrs    []Attr     `json:"attrs,omitempty"`
	Extra    []Fragment `json:"extra,omitempty"`
}

// ResultPeriod is a reporting period of an indicator.
type ResultPeriod struct {
	Start   time.Time     `json:"start"`
	End     time.Time     `json:"end"`
	Targets []PeriodValue `json:"targets,omitempty"`
	Actuals []PeriodValue `json:"actuals,omitempty"`
	Attrs   []Attr        `json:"attrs,omitempty"`
	Extra   []Fragment    `json:"extra,omitempty"`
}

// PeriodValue is a target or an actual value of a period.
type PeriodValue struct {
	Value    string     `json:"value,omitempty"`
	HasValue bool       `json:"has_value,omitempty"`
	Comment  Narratives `json:"comment,omitempty"`
	Extra    []Fragment `json:"extra,omitempty"`
}

// Validate checks what storage relies on: an identifier without spaces,
// transactions with a type and a date, amounts with a currency.
func (a *Activity) Validate() error {
	var ps problems
	if strings.TrimSpace(a.Identifier) == "" {
		ps.add("identifier", "the activity has no IATI identifier")
	} else if strings.ContainsAny(a.Identifier, " \t\r\n") {
		ps.add("identifier", "an IATI identifier has no spaces (%q)", a.Identifier)
	}
	if a.Currency != "" {
		checkCurrency(&ps, "currency", a.Currency)
	}
	for i, t := range a.Transactions {
		field := fmt.Sprintf("transactions[%d]", i)
		if t.Type == "" {
			ps.add(field+".type", "the transaction has no type")
		}
		if t.Date.IsZero() {
			ps.add(field+".date", "the transaction has no date")
		}
		if a.CurrencyOf(t.Value) == "" {
			ps.add(field+".value", "the transaction's value has no currency, and the activity no default currency")
		}
	}
	for i, b := range a.Budgets {
		if a.CurrencyOf(b.Value) == "" {
			ps.add(fmt.Sprintf("budgets[%d].value", i), "the budget's value has no currency, and the activity no default currency")
		}
	}
	return ps.err("activity " + a.Identifier)
}

// Date returns the activity's date of a type, or the zero time.
func (a *Activity) Date(typ string) time.Time {
	for _, d := range a.Dates {
		if d.Type == typ && !d.Date.IsZero() {
			return d.Date
		}
	}
	return time.Time{}
}

// ActivityFilter selects activities; nil fields do not filter.
type ActivityFilter struct {
	ProjectID  *int64
	Identifier *string
	Offset     int
	Limit      int
}

// ActivityLoader stores IATI activities inside one load.
type ActivityLoader interface {
	// UpsertActivities stores activities with their projects. An activity
	// whose identifier is stored replaces the stored one and updates its
	// project; an activity that is new goes to the project whose IATI
	// identifier or code is its identifier, or to a new project led by
	// unit (created if no unit has its code). It sets each activity's
	// ProjectID and returns how many projects it created.
	UpsertActivities(unit *Unit, as []*Activity) (created int, err error)
}

// ActivityService stores the IATI side of projects.
type ActivityService interface {
	// FindActivities returns activities with their transactions, by
	// identifier, and how many match in all.
	FindActivities(ctx context.Context, f ActivityFilter) ([]*Activity, int, error)
	// LoadActivities runs fn in one transaction: everything it stores is
	// kept, or, if fn or a store fails, nothing.
	LoadActivities(ctx context.Context, source string, fn func(l ActivityLoader) error) error
}
