package iati

import "strings"

// LegacyNamespace holds, in an export, the elements and attributes that
// are not valid IATI 2.03 as they stand; the reader takes them back out.
const LegacyNamespace = "urn:tcmis:iati-legacy"

// derivedAttr marks, in LegacyNamespace, an element the writer added
// because the 2.03 schema requires it; the reader leaves it out.
const derivedAttr = "derived"

// legacyPrefix is the prefix the writer declares for LegacyNamespace.
const legacyPrefix = "tcmis"

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// Versions are the IATI versions the reader accepts.
var Versions = []string{"1.01", "1.02", "1.03", "1.04", "1.05", "2.01", "2.02", "2.03"}

func supportedVersion(v string) bool {
	for _, s := range Versions {
		if s == v {
			return true
		}
	}
	return false
}

// Version 1 transaction types (codelist 1.05 TransactionType) and their
// 2.x codes.
var transactionTypes1 = map[string]string{
	"IF": "1",  // incoming funds
	"C":  "2",  // commitment
	"D":  "3",  // disbursement
	"E":  "4",  // expenditure
	"IR": "5",  // interest repayment
	"LR": "6",  // loan repayment
	"R":  "7",  // reimbursement
	"QP": "8",  // purchase of equity
	"QS": "9",  // sale of equity
	"CG": "10", // credit guarantee
}

// transactionTypes2 are the 2.03 TransactionType codes.
var transactionTypes2 = codeSet("1 2 3 4 5 6 7 8 9 10 11 12 13")

// Version 1 organisation roles (1.05 OrganisationRole) as 2.x codes.
var roles1 = map[string]string{"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}

// Version 1 activity date types (1.05 ActivityDateType) as 2.x codes.
var dateTypes1 = map[string]string{"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}

// Version 1 vocabularies (1.05 Vocabulary) as 2.x sector vocabularies.
var sectorVocabularies1 = map[string]string{
	"DAC": "1", "DAC-3": "2", "COFOG": "3", "NACE": "4", "NTEE": "5", "ADT": "6", "RO": "99", "RO2": "98",
}

// Version 1 region vocabularies as 2.x RegionVocabulary codes.
var regionVocabularies1 = map[string]string{"DAC": "1", "UN": "2", "RO": "99"}

// Version 1 policy marker vocabularies as 2.x PolicyMarkerVocabulary.
var policyVocabularies1 = map[string]string{"DAC": "1", "RO": "99"}

// Version 1 result types as 2.x ResultType codes.
var resultTypes1 = map[string]string{"output": "1", "outcome": "2", "impact": "3"}

func codeSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(s) {
		m[c] = true
	}
	return m
}

// The children of each element the model reads, in the order of the IATI
// 2.03 schema. The writer writes them in this order, with each kept
// fragment of a known name at its place and the others at the end.
var childOrder = map[string][]string{
	"iati-activity": {"iati-identifier", "reporting-org", "title", "description", "participating-org", "other-identifier",
		"activity-status", "activity-date", "contact-info", "activity-scope", "recipient-country", "recipient-region",
		"location", "sector", "tag", "country-budget-items", "humanitarian-scope", "policy-marker", "collaboration-type",
		"default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status", "budget",
		"planned-disbursement", "capital-spend", "transaction", "document-link", "related-activity", "legacy-data",
		"conditions", "result", "crs-add", "fss"},
	"org":                  {"narrative"},
	"narratives":           {"narrative"},
	"budget":               {"period-start", "period-end", "value"},
	"planned-disbursement": {"period-start", "period-end", "value", "provider-org", "receiver-org"},
	"transaction": {"transaction-type", "transaction-date", "value", "description", "provider-org", "receiver-org",
		"disbursement-channel", "sector", "recipient-country", "recipient-region", "flow-type", "finance-type", "aid-type",
		"tied-status"},
	"document-link": {"title", "description", "category", "language", "document-date"},
	"result":        {"title", "description", "document-link", "reference", "indicator"},
	"indicator":     {"title", "description", "document-link", "reference", "baseline", "period"},
	"baseline":      {"location", "dimension", "document-link", "comment"},
	"period":        {"period-start", "period-end", "target", "actual"},
	"period-value":  {"location", "dimension", "comment", "document-link"},
}

// slotOf returns the place of a child in its parent's schema order, or
// len(order) for a child the schema puts in the trailing wildcard.
func slotOf(parent, name string) int {
	order := childOrder[parent]
	for i, n := range order {
		if n == name {
			return i
		}
	}
	return len(order)
}
