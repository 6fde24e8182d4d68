package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// historyFieldLabels name the fields of the audited records as a reader
// knows them (English, translated by the page).
var historyFieldLabels = map[string]string{
	"code": "Code", "title": "Title", "description": "Description", "source": "Source of funds",
	"donor_ids": "Donors", "agreement_id": "Agreement", "lead_unit_id": "Lead unit", "office_id": "Office",
	"scope": "Scope", "countries": "Countries", "regions": "Regions", "objectives": "Strategic objectives",
	"sectors": "Sectors", "country_outcomes": "Country outcomes", "start": "Start", "end": "End",
	"status": "Status", "currency": "Currency", "budget": "Budget", "gender_marker": "Gender marker",
	"tripartite": "Tripartite involvement", "crisis_response": "Crisis response", "conventions": "Conventions",
	"iati_identifier": "IATI identifier", "amount": "Amount", "year": "Year", "month": "Month",
	"type": "Type of assistance", "donor_id": "Donor", "date": "Date", "local": "Mobilised locally",
	"reason": "Reason", "project_id": "Project",
}

// historyValues writes the stored values of a change for reading: names
// instead of record numbers, labels instead of codes, days instead of
// timestamps, amounts with their currency.
type historyValues struct {
	p        *page
	donors   map[int64]string
	units    map[int64]string
	currency string // the project's, for its budget lines
}

func (v historyValues) label(field string) string {
	if l, ok := historyFieldLabels[field]; ok {
		return v.p.T(l)
	}
	return field
}

func (v historyValues) text(field string, raw json.RawMessage) string {
	if jsonText(raw) == "" {
		return ""
	}
	var (
		s   string
		n   int64
		ids []int64
	)
	switch field {
	case "donor_ids":
		if json.Unmarshal(raw, &ids) == nil {
			names := make([]string, len(ids))
			for i, id := range ids {
				names[i] = v.name(v.donors, id)
			}
			return strings.Join(names, ", ")
		}
	case "donor_id":
		if json.Unmarshal(raw, &n) == nil {
			return v.name(v.donors, n)
		}
	case "lead_unit_id", "office_id":
		if json.Unmarshal(raw, &n) == nil {
			return v.name(v.units, n)
		}
	case "start", "end", "date":
		if json.Unmarshal(raw, &s) == nil {
			day, _, _ := strings.Cut(s, "T")
			return day
		}
	case "gender_marker":
		if json.Unmarshal(raw, &n) == nil {
			return v.p.T(tcmis.GenderMarker(n).Label())
		}
	case "source", "status", "scope", "type":
		if json.Unmarshal(raw, &s) == nil {
			return v.p.T(kindLabel(field, s))
		}
	case "budget":
		var lines []tcmis.BudgetLine
		if json.Unmarshal(raw, &lines) == nil {
			parts := make([]string, len(lines))
			for i, l := range lines {
				parts[i] = v.p.T(l.Type.Label()) + ": " + v.p.Amount(tcmis.Money{Amount: l.Amount, Currency: v.currency})
			}
			return strings.Join(parts, "; ")
		}
	case "countries":
		var cs []tcmis.CountryShare
		if json.Unmarshal(raw, &cs) == nil {
			parts := make([]string, len(cs))
			for i, c := range cs {
				parts[i] = tcmis.CountryName(c.Country) + " " + v.p.Percent(c.Percent)
			}
			return strings.Join(parts, "; ")
		}
	case "objectives":
		var os []tcmis.ObjectiveShare
		if json.Unmarshal(raw, &os) == nil {
			parts := make([]string, len(os))
			for i, o := range os {
				parts[i] = v.p.T(o.Objective.Label())
				if o.Outcome != "" {
					parts[i] += " (" + o.Outcome + ")"
				}
				parts[i] += " " + v.p.Percent(o.Percent)
			}
			return strings.Join(parts, "; ")
		}
	case "amount":
		var c tcmis.Converted
		if json.Unmarshal(raw, &c) == nil && c.Currency != "" {
			out := v.p.Amount(c.Money)
			if c.Currency != "USD" && c.USD != 0 {
				out += " (US$ " + v.p.USD(c.USD) + ")"
			}
			return out
		}
	case "local", "crisis_response":
		var b bool
		if json.Unmarshal(raw, &b) == nil && b {
			return v.p.T("yes")
		}
	}
	return jsonText(raw)
}

func (v historyValues) name(names map[int64]string, id int64) string {
	if s, ok := names[id]; ok {
		return s
	}
	return "#" + strconv.FormatInt(id, 10)
}

// kindLabel is the English label of a code of one of the domain's kinds.
func kindLabel(field, code string) string {
	var label string
	switch field {
	case "source":
		label = tcmis.Source(code).Label()
	case "status":
		label = tcmis.Status(code).Label()
	case "scope":
		label = tcmis.Scope(code).Label()
	case "type":
		label = tcmis.Assistance(code).Label()
	}
	if label == "" {
		return code
	}
	return label
}
