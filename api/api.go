package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/auth"
	"github.com/tcmis/tcmis/httpx"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// MaxBody is the largest request body accepted, in bytes.
const MaxBody = 10 << 20

// Public routes need no user; SignedIn routes need a user but no
// particular permission (the user's own profile and API tokens).
const (
	Public   tcmis.Permission = ""
	SignedIn tcmis.Permission = "signed-in"
)

// Config is what the API needs.
type Config struct {
	Store tcmis.Store
	// Auth issues the API tokens of the /tokens routes.
	Auth *auth.Service
	// Logger receives internal errors (nil: slog.Default()).
	Logger *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Handler serves the API. Mount it at /api/v1/ behind the auth
// middleware.
type Handler struct {
	store  tcmis.Store
	auth   *auth.Service
	logger *slog.Logger
	now    func() time.Time
	routes []Route
	mux    *http.ServeMux
	// paths matches the routes' paths whatever the method, to tell a
	// wrong method (405) from an unknown path (404).
	paths   *http.ServeMux
	openapi []byte
}

// New builds the API's routes and its OpenAPI document.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil || cfg.Auth == nil {
		return nil, errors.New("api: Config needs a Store and an Auth service")
	}
	h := &Handler{store: cfg.Store, auth: cfg.Auth, logger: cfg.Logger, now: cfg.Now,
		mux: http.NewServeMux(), paths: http.NewServeMux()}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.routes = h.table()
	seen := map[string]bool{}
	for _, rt := range h.routes {
		h.mux.HandleFunc(rt.Method+" "+rt.Path, h.wrap(rt))
		if !seen[rt.Path] {
			seen[rt.Path] = true
			h.paths.HandleFunc(rt.Path, func(http.ResponseWriter, *http.Request) {})
		}
	}
	h.mux.HandleFunc(Prefix+"/", h.unrouted)
	doc, err := h.document()
	if err != nil {
		return nil, fmt.Errorf("api: OpenAPI document: %w", err)
	}
	h.openapi = doc
	return h, nil
}

// Routes lists the API's routes, in the order of the table.
func (h *Handler) Routes() []Route { return append([]Route(nil), h.routes...) }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// unrouted answers a request no route matched: 405 when the path exists
// with another method, 404 otherwise.
func (h *Handler) unrouted(w http.ResponseWriter, r *http.Request) {
	if _, pattern := h.paths.Handler(r); pattern != "" {
		var allow []string
		for _, rt := range h.routes {
			if rt.Path == pattern {
				allow = append(allow, rt.Method)
			}
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		h.fail(w, r, &apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
			message: fmt.Sprintf("%s does not take %s (it takes %s)", r.URL.Path, r.Method, strings.Join(allow, ", "))})
		return
	}
	h.fail(w, r, &apiError{status: http.StatusNotFound, code: tcmis.ENOTFOUND, message: "there is no API route " + r.URL.Path})
}

// handlerFunc serves one route for a user (nil on public routes when
// nobody signed in). It writes its response, or returns an error for
// the route wrapper to write.
type handlerFunc func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error

// wrap checks who asks and whether they may, caps the body, and writes
// the error a handler returns.
func (h *Handler) wrap(rt Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := auth.UserFrom(r.Context())
		if u != nil && u.Disabled {
			u = nil
		}
		if rt.Permission != Public {
			if u == nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tcmis"`)
				h.fail(w, r, &apiError{status: http.StatusUnauthorized, code: "unauthorized",
					message: "sign in, or send an API token as Authorization: Bearer <token>"})
				return
			}
			if rt.Permission != SignedIn && !u.Can(rt.Permission) {
				h.fail(w, r, u.Forbid(strings.ToLower(rt.Summary[:1])+rt.Summary[1:]))
				return
			}
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		}
		w.Header().Set("Cache-Control", "no-store")
		if err := rt.handle(w, r, u); err != nil {
			h.fail(w, r, err)
		}
	}
}

// apiError is an error of the HTTP exchange itself (authentication,
// preconditions, media type), with its own status and code.
type apiError struct {
	status   int
	code     string
	message  string
	problems []tcmis.Problem
}

func (e *apiError) Error() string { return e.message }

// errorBody is the JSON of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string          `json:"code"`
	Message  string          `json:"message"`
	Problems []tcmis.Problem `json:"problems,omitempty"`
}

// fail writes err as JSON with its status; internal errors are logged and
// their details kept from the client.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeJSON(w, ae.status, errorBody{errorDetail{Code: ae.code, Message: ae.message, Problems: ae.problems}})
		return
	}
	status := httpx.Status(err)
	code := tcmis.ErrorCode(err)
	if status == http.StatusInternalServerError {
		h.logger.ErrorContext(r.Context(), "API request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, errorBody{errorDetail{Code: code, Message: tcmis.ErrorMessage(err), Problems: tcmis.ErrorProblems(err)}})
}

// writeJSON writes v as the response, indented for people reading it
// with curl.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"Internal error."}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// decode reads a request body of JSON into v. It refuses another media
// type (415), a body over MaxBody (413), a field v does not have, a
// number with a fraction where an integer (such as an amount in minor
// units) is expected, and trailing data, naming the field (422).
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &apiError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
				message: fmt.Sprintf("send JSON (Content-Type: application/json), not %q", ct)}
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("the body has more than one JSON value")
		}
	}
	if err == nil {
		return nil
	}
	var (
		tooLarge *http.MaxBytesError
		typeErr  *json.UnmarshalTypeError
		syntax   *json.SyntaxError
		problem  tcmis.Problem
	)
	switch {
	case errors.As(err, &tooLarge):
		return &apiError{status: http.StatusRequestEntityTooLarge, code: "too_large",
			message: fmt.Sprintf("the request body is larger than %d MB", MaxBody>>20)}
	case errors.Is(err, io.EOF):
		problem = tcmis.Problem{Message: "the request needs a JSON body"}
	case errors.As(err, &syntax):
		problem = tcmis.Problem{Message: fmt.Sprintf("the body is not valid JSON (at byte %d): %v", syntax.Offset, syntax)}
	case errors.As(err, &typeErr):
		what := "a " + typeErr.Type.String()
		switch typeErr.Type.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			what = "a whole number (amounts are in integer minor units, such as cents)"
		case reflect.String:
			what = "a string"
		case reflect.Bool:
			what = "true or false"
		case reflect.Struct, reflect.Map:
			what = "an object"
		case reflect.Slice, reflect.Array:
			what = "an array"
		}
		problem = tcmis.Problem{Field: jsonPath(reflect.TypeOf(v), typeErr.Field), Message: fmt.Sprintf("expected %s, got %s", what, typeErr.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		problem = tcmis.Problem{Field: name, Message: "there is no such field"}
	default:
		msg := strings.TrimPrefix(err.Error(), "json: ")
		field := ""
		if strings.HasPrefix(msg, "cannot unmarshal") {
			// Errors from UnmarshalText (dates, decimals, per cents)
			// name the Go field: keep the message.
			field = jsonPath(reflect.TypeOf(v), fieldOf(msg))
		}
		problem = tcmis.Problem{Field: field, Message: msg}
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: "the request body cannot be read", Problems: []tcmis.Problem{problem}}
}

// jsonPath turns the path encoding/json gives of a field, which names
// embedded structs by their Go names ("amount.Money.amount"), into the
// path of the field in the JSON ("amount.amount").
func jsonPath(t reflect.Type, path string) string {
	var out []string
	for _, seg := range strings.Split(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map) {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct {
			out = append(out, seg)
			t = nil
			continue
		}
		f, ok := t.FieldByName(seg)
		if ok && f.Anonymous && f.Tag.Get("json") == "" {
			t = f.Type // an embedded struct: its fields are the parent's
			continue
		}
		out = append(out, seg)
		next := reflect.Type(nil)
		for _, f := range reflect.VisibleFields(t) {
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == seg {
				next = f.Type
				break
			}
		}
		t = next
	}
	return strings.Join(out, ".")
}

// fieldOf picks the JSON field out of "cannot unmarshal ... into Go
// struct field T.a.b of type X".
func fieldOf(msg string) string {
	_, rest, ok := strings.Cut(msg, "Go struct field ")
	if !ok {
		return ""
	}
	path, _, _ := strings.Cut(rest, " ")
	if _, after, ok := strings.Cut(path, "."); ok {
		return after
	}
	return path
}

// oneOfBatch rewrites the invalid-input error of a batch of one, whose
// problems the store names "allocations[0].year", as the error of the
// record itself ("year").
func oneOfBatch(what string, err error) error {
	var e *tcmis.Error
	if !errors.As(err, &e) || e.Code != tcmis.EINVALID || len(e.Problems) == 0 {
		return err
	}
	out := &tcmis.Error{Code: e.Code, Message: "the " + what + " is not valid"}
	for _, p := range e.Problems {
		if i := strings.Index(p.Field, "[0]"); i >= 0 {
			p.Field = strings.TrimPrefix(p.Field[i+len("[0]"):], ".")
		}
		out.Problems = append(out.Problems, p)
	}
	return out
}

// paging is the offset and limit of a list.
type paging struct{ Offset, Limit int }

// Paging defaults and maximum.
const (
	defaultLimit = 50
	maxLimit     = 1000
)

// Page is one page of a list.
type Page[T any] struct {
	Items  []*T `json:"items"`
	Total  int  `json:"total"`
	Offset int  `json:"offset"`
	Limit  int  `json:"limit"`
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, tcmis.Errorf(tcmis.ENOTFOUND, "%q is not a record number", r.PathValue("id"))
	}
	return id, nil
}

// ifMatch reads the version a write was made on: 428 when the header is
// missing.
func ifMatch(r *http.Request) (int, error) {
	v, ok, err := httpx.IfMatch(r)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, &apiError{status: http.StatusPreconditionRequired, code: "precondition_required",
			message: `send If-Match with the ETag of the record as you read it (such as If-Match: "3"), so that a change made meanwhile is not overwritten`}
	}
	return v, nil
}

// stale is the answer to a write made on an old version.
func stale(what string, stored, sent int) error {
	return &apiError{status: http.StatusPreconditionFailed, code: "precondition_failed",
		message: fmt.Sprintf("this %s was changed by someone else: it is at version %d, not %d; read it again and make your change on it", what, stored, sent)}
}
