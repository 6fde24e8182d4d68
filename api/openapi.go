package api

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
)

// The OpenAPI 3.1 document, made from the route table and the Go types
// of the bodies, so that it describes exactly what the server does.

// schemaTypes maps the schema names the route table uses to Go types.
// Nested named structs (Money, CountryShare, ...) get schemas of their
// own as they are met.
var schemaTypes = map[string]reflect.Type{
	"APIToken":         reflect.TypeFor[tcmis.APIToken](),
	"Agreement":        reflect.TypeFor[tcmis.Agreement](),
	"Allocation":       reflect.TypeFor[tcmis.Allocation](),
	"Approval":         reflect.TypeFor[tcmis.Approval](),
	"Change":           reflect.TypeFor[tcmis.Change](),
	"CountryProgramme": reflect.TypeFor[tcmis.CountryProgramme](),
	"CycleResult":      reflect.TypeFor[tcmis.CycleResult](),
	"Error":            reflect.TypeFor[errorBody](),
	"Evaluation":       reflect.TypeFor[tcmis.Evaluation](),
	"ExchangeRate":     reflect.TypeFor[tcmis.ExchangeRate](),
	"Expenditure":      reflect.TypeFor[tcmis.Expenditure](),
	"Indicator":        reflect.TypeFor[tcmis.Indicator](),
	"Lesson":           reflect.TypeFor[tcmis.Lesson](),
	"Me":               reflect.TypeFor[Me](),
	"NewToken":         reflect.TypeFor[NewToken](),
	"NewUser":          reflect.TypeFor[NewUser](),
	"Organisation":     reflect.TypeFor[tcmis.Organisation](),
	"Outcome":          reflect.TypeFor[tcmis.Outcome](),
	"Project":          reflect.TypeFor[tcmis.Project](),
	"ReportInfo":       reflect.TypeFor[ReportInfo](),
	"Result":           reflect.TypeFor[tcmis.Result](),
	"StatusRequest":    reflect.TypeFor[StatusRequest](),
	"Target":           reflect.TypeFor[tcmis.Target](),
	"TokenRequest":     reflect.TypeFor[TokenRequest](),
	"TrainingActivity": reflect.TypeFor[tcmis.TrainingActivity](),
	"Unit":             reflect.TypeFor[tcmis.Unit](),
	"User":             reflect.TypeFor[tcmis.User](),
	"YearFinance":      reflect.TypeFor[tcmis.YearFinance](),
}

// freeSchemas are schemas described by hand: documents whose shape is
// another package's business.
var freeSchemas = map[string]map[string]any{
	"OpenAPI": {"type": "object", "description": "this document"},
	"ReportTable": {"type": "object", "description": "a report table as the JSON format of tcmis report writes it: " +
		"columns, rows of cells with their exact value (US cents, basis points) and how each prints, and the keys that trace each figure to its records"},
}

func (h *Handler) serveOpenAPI(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(h.openapi)))
	w.WriteHeader(http.StatusOK)
	w.Write(h.openapi)
	return nil
}

type obj = map[string]any

// schemaSet builds the components' schemas.
type schemaSet struct {
	schemas obj
	names   map[reflect.Type]string
	taken   map[string]reflect.Type
}

func newSchemaSet() *schemaSet {
	s := &schemaSet{schemas: obj{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	for name, t := range schemaTypes {
		s.names[t], s.taken[name] = name, t
	}
	for name, sc := range freeSchemas {
		s.schemas[name] = sc
	}
	return s
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

// named returns a reference to the schema of a named struct type,
// building it the first time.
func (s *schemaSet) named(t reflect.Type) obj {
	name, ok := s.names[t]
	if !ok {
		base := strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
		name = base
		for i := 2; s.taken[name] != nil; i++ {
			name = base + strconv.Itoa(i)
		}
		s.names[t], s.taken[name] = name, t
	}
	if _, done := s.schemas[name]; !done {
		s.schemas[name] = obj{} // reserve: a type may refer to itself
		s.schemas[name] = s.object(t)
	}
	return ref(name)
}

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	rawMessage    = reflect.TypeFor[json.RawMessage]()
	timeType      = reflect.TypeFor[time.Time]()
)

func (s *schemaSet) of(t reflect.Type) obj {
	switch {
	case t == timeType:
		return obj{"type": "string", "format": "date-time"}
	case t == rawMessage:
		return obj{"description": "any JSON value"}
	case t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
		return obj{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem())
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Int, reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return obj{"type": "integer"}
	case reflect.Int64, reflect.Uint64:
		return obj{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.Slice, reflect.Array:
		return obj{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": s.of(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return s.object(t)
		}
		return s.named(t)
	}
	return obj{}
}

// object is the schema of a struct's JSON fields, embedded structs
// flattened, as encoding/json writes them. Requests with other fields are
// refused, hence additionalProperties false.
func (s *schemaSet) object(t reflect.Type) obj {
	props := obj{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for f := range t.Fields() {
			tag := f.Tag.Get("json")
			if tag == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = s.of(f.Type)
		}
	}
	walk(t)
	return obj{"type": "object", "properties": props, "additionalProperties": false}
}

// bodySchema reads the route table's notation: "X", "[]X", "Page[X]".
func (s *schemaSet) body(name string) (obj, error) {
	known := func(n string) (obj, error) {
		if t, ok := schemaTypes[n]; ok {
			return s.named(t), nil
		}
		if _, ok := freeSchemas[n]; ok {
			return ref(n), nil
		}
		return nil, fmt.Errorf("no schema %q", n)
	}
	if inner, ok := strings.CutPrefix(name, "[]"); ok {
		item, err := known(inner)
		return obj{"type": "array", "items": item}, err
	}
	if inner, ok := strings.CutPrefix(name, "Page["); ok {
		item, err := known(strings.TrimSuffix(inner, "]"))
		return obj{"type": "object", "required": []string{"items", "total", "offset", "limit"}, "properties": obj{
			"items":  obj{"type": "array", "items": item},
			"total":  obj{"type": "integer", "description": "how many records match in all"},
			"offset": obj{"type": "integer"},
			"limit":  obj{"type": "integer"},
		}}, err
	}
	return known(name)
}

// hasVersion reports whether a record has a version, which its answers
// carry as an ETag (a status change answers the project's).
func hasVersion(t reflect.Type) bool {
	if t == reflect.TypeFor[tcmis.CycleResult]() {
		return true
	}
	_, ok := t.FieldByName("Version")
	return ok
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// operationID names an operation after its method and path:
// GET /api/v1/projects/{id}/finance is get-projects-id-finance.
func operationID(rt Route) string {
	p := strings.TrimPrefix(rt.Path, Prefix+"/")
	p = strings.NewReplacer("{", "", "}", "", "/", "-", ".", "-").Replace(p)
	return strings.ToLower(rt.Method) + "-" + p
}

func errorResponse(desc string) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": ref("Error")}}}
}

// document writes the OpenAPI document of the route table.
func (h *Handler) document() ([]byte, error) {
	s := newSchemaSet()
	s.named(reflect.TypeFor[errorBody]())
	paths := obj{}
	for _, rt := range h.routes {
		op := obj{
			"operationId": operationID(rt),
			"summary":     rt.Summary,
			"tags":        []string{strings.Split(strings.TrimPrefix(rt.Path, Prefix+"/"), "/")[0]},
		}
		switch rt.Permission {
		case Public:
			op["security"] = []any{}
			op["x-permission"] = "public"
		case SignedIn:
			op["x-permission"] = "signed-in"
			op["description"] = "Any signed-in user."
		default:
			op["x-permission"] = string(rt.Permission)
			op["description"] = "Needs the permission " + string(rt.Permission) + "."
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			typ := "string"
			if m[1] == "id" {
				typ = "integer"
			}
			params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": obj{"type": typ}})
		}
		query := rt.Query
		if strings.HasPrefix(rt.Response, "Page[") {
			query = append(slices.Clone(query), pagingParams...)
		}
		for _, q := range query {
			params = append(params, obj{"name": q.Name, "in": "query", "description": q.Description, "schema": obj{"type": q.Type}})
		}
		if rt.Method == "PUT" || rt.Method == "DELETE" || rt.Request == "StatusRequest" {
			params = append(params, obj{"name": "If-Match", "in": "header", "required": rt.Method != "POST",
				"description": "the ETag of the record as read", "schema": obj{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Request != "" {
			sc, err := s.body(rt.Request)
			if err != nil {
				return nil, fmt.Errorf("%s %s: request: %w", rt.Method, rt.Path, err)
			}
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": sc}}}
		}
		success := obj{"description": http.StatusText(rt.Status)}
		if rt.Response != "" {
			sc, err := s.body(rt.Response)
			if err != nil {
				return nil, fmt.Errorf("%s %s: response: %w", rt.Method, rt.Path, err)
			}
			success["content"] = obj{"application/json": obj{"schema": sc}}
			if t, single := schemaTypes[rt.Response]; single && hasVersion(t) {
				success["headers"] = obj{"ETag": obj{"description": "the record's version, for If-Match", "schema": obj{"type": "string"}}}
			}
		}
		responses := obj{strconv.Itoa(rt.Status): success}
		if rt.Permission != Public {
			responses["401"] = errorResponse("not signed in: no valid session or API token")
		}
		if rt.Permission != Public && rt.Permission != SignedIn {
			responses["403"] = errorResponse("the user may not do this")
		}
		if strings.Contains(rt.Path, "{") {
			responses["404"] = errorResponse("no such record, or one the user may not see")
		}
		if rt.Request != "" || rt.Query != nil {
			responses["422"] = errorResponse("invalid input: the problems name the fields")
		}
		if rt.Method == "PUT" || rt.Method == "DELETE" {
			responses["409"] = errorResponse("changed by someone else at the same moment, or still referred to")
			responses["412"] = errorResponse("If-Match is not the record's current version")
			responses["428"] = errorResponse("If-Match is missing")
		}
		op["responses"] = responses
		item, _ := paths[rt.Path].(obj)
		if item == nil {
			item = obj{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	doc := obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "tcmis JSON API",
			"version": "1",
			"description": "The technical cooperation programme's records, with the same rules as the screens. " +
				"Authenticate with an API token (Authorization: Bearer tcmis_...) or a session cookie. " +
				"Amounts are integer minor units of their currency; per cents are strings such as \"33.33\". " +
				"Updates and deletions need If-Match with the record's ETag.",
		},
		"paths": paths,
		"components": obj{
			"schemas": s.schemas,
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "an API token issued by POST /api/v1/tokens or tcmis user token"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": auth.CookieName},
			},
		},
		"security": []any{obj{"bearer": []string{}}, obj{"session": []string{}}},
	}
	return json.MarshalIndent(doc, "", "  ")
}
