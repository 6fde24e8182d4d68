package validate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes a report for people: a summary line, then one line per
// problem as file:line:column: severity [rule] message, with the detail and
// activity indented below.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	doc := r.DocumentType
	if doc == "" {
		doc = "not an IATI document"
	}
	records := "activities"
	switch {
	case r.DocumentType == "iati-organisations" && r.Activities == 1:
		records = "organisation"
	case r.DocumentType == "iati-organisations":
		records = "organisations"
	case r.Activities == 1:
		records = "activity"
	}
	fmt.Fprintf(bw, "%s: %s, version %q (schema %s), %d %s: %d errors, %d warnings, %d notes\n",
		r.File, doc, r.Version, r.SchemaVersion, r.Activities, records,
		r.Errors(), r.Warnings(), len(r.Problems)-r.Errors()-r.Warnings())
	for _, p := range r.Problems {
		fmt.Fprintf(bw, "%s:%d:%d: %s [%s] %s\n", r.File, p.Line, p.Column, p.Severity, p.RuleID, p.Message)
		if p.Detail != "" {
			fmt.Fprintf(bw, "\t%s\n", p.Detail)
		}
		if p.Activity != "" {
			fmt.Fprintf(bw, "\tactivity %s\n", p.Activity)
		}
	}
	if r.Omitted > 0 {
		fmt.Fprintf(bw, "%s: %d more problems not listed\n", r.File, r.Omitted)
	}
	return bw.Flush()
}

// WriteJSON writes the report as indented JSON for programs. The field names
// are stable: file, documentType, version, schemaVersion, activities,
// errors, warnings, problems (ruleId, severity, category, message, detail,
// activity, line, column, path) and omitted.
func WriteJSON(w io.Writer, r *Report) error {
	out := struct {
		File          string    `json:"file"`
		DocumentType  string    `json:"documentType"`
		Version       string    `json:"version"`
		SchemaVersion string    `json:"schemaVersion"`
		Activities    int       `json:"activities"`
		Errors        int       `json:"errors"`
		Warnings      int       `json:"warnings"`
		Problems      []Problem `json:"problems"`
		Omitted       int       `json:"omitted,omitempty"`
	}{r.File, r.DocumentType, r.Version, r.SchemaVersion, r.Activities, r.Errors(), r.Warnings(), r.Problems, r.Omitted}
	if out.Problems == nil {
		out.Problems = []Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
