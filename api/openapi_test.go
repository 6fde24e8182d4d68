package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPI: the document is public, valid JSON of OpenAPI 3.1, and
// describes every route with its operation, parameters and schemas, every
// reference resolving.
func TestOpenAPI(t *testing.T) {
	a := newApp(t)
	res := a.call(anonymous, "GET", "/api/v1/openapi.json", nil).must(t, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas         map[string]json.RawMessage `json:"schemas"`
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	if doc.Components.SecuritySchemes["bearer"] == nil {
		t.Errorf("no bearer security scheme")
	}
	for _, name := range []string{"Project", "Organisation", "Approval", "Money", "Error", "User", "Evaluation"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no schema %s", name)
		}
	}
	ids := map[string]string{}
	operations := 0
	for _, rt := range a.API.Routes() {
		raw, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is not in the document", rt.Method, rt.Path)
			continue
		}
		operations++
		var op struct {
			OperationID string `json:"operationId"`
			Summary     string `json:"summary"`
			Parameters  []struct {
				Name     string `json:"name"`
				In       string `json:"in"`
				Required bool   `json:"required"`
			} `json:"parameters"`
			RequestBody *json.RawMessage           `json:"requestBody"`
			Responses   map[string]json.RawMessage `json:"responses"`
		}
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Errorf("%s %s: %v", rt.Method, rt.Path, err)
			continue
		}
		if op.OperationID == "" || op.Summary == "" {
			t.Errorf("%s %s: operationId %q summary %q", rt.Method, rt.Path, op.OperationID, op.Summary)
		}
		if other, dup := ids[op.OperationID]; dup {
			t.Errorf("operationId %s of both %s and %s %s", op.OperationID, other, rt.Method, rt.Path)
		}
		ids[op.OperationID] = rt.Method + " " + rt.Path
		if len(op.Responses) == 0 {
			t.Errorf("%s %s: no responses", rt.Method, rt.Path)
		}
		if (rt.Method == "POST" || rt.Method == "PUT") && op.RequestBody == nil {
			t.Errorf("%s %s: no request body", rt.Method, rt.Path)
		}
		for _, m := range regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(rt.Path, -1) {
			found := false
			for _, p := range op.Parameters {
				found = found || (p.In == "path" && p.Name == m[1] && p.Required)
			}
			if !found {
				t.Errorf("%s %s: path parameter %s not described", rt.Method, rt.Path, m[1])
			}
		}
		if rt.Method == "PUT" || rt.Method == "DELETE" {
			found := false
			for _, p := range op.Parameters {
				found = found || (p.In == "header" && p.Name == "If-Match" && p.Required)
			}
			if !found {
				t.Errorf("%s %s: If-Match not described as required", rt.Method, rt.Path)
			}
			for _, code := range []string{"412", "428"} {
				if op.Responses[code] == nil {
					t.Errorf("%s %s: no %s response", rt.Method, rt.Path, code)
				}
			}
		}
	}
	count := 0
	for _, item := range doc.Paths {
		count += len(item)
	}
	if count != operations {
		t.Errorf("the document has %d operations, the API %d routes", count, operations)
	}
	// Every reference resolves.
	for _, m := range regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(res.Body), -1) {
		if doc.Components.Schemas[m[1]] == nil {
			t.Errorf("reference to a missing schema %s", m[1])
		}
	}
	// Money is described as integers.
	var money struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["Money"], &money); err != nil || money.Properties["amount"].Type != "integer" {
		t.Errorf("Money.amount is %+v, want an integer", money.Properties["amount"])
	}
}
