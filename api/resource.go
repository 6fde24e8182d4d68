package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/httpx"
)

// resource is one kind of record and how the API reads and writes it.
// The generic handlers below (list, get, create, update, remove) serve
// every kind the same way; the hooks carry what differs.
type resource[T any] struct {
	// name is the record's name in messages: "organisation".
	name string
	// ids points at the record's ID and Version (nil for records without
	// a version, which cannot be updated).
	ids func(*T) (*int64, *int)
	// filters are the query parameters of the list, besides offset and
	// limit. The list refuses any other.
	filters []Param
	// find reads the filters from q and returns what to ask the store;
	// the list refuses the request when q has problems.
	find func(q *query, u *tcmis.User, pg paging) func(ctx context.Context) ([]*T, int, error)
	// get returns one record (ENOTFOUND when there is none).
	get    func(ctx context.Context, id int64) (*T, error)
	create func(ctx context.Context, v *T) error
	update func(ctx context.Context, v *T) error
	remove func(ctx context.Context, id int64) error
	// visible reports whether u may read v (nil: whoever holds the
	// route's permission); a record u may not see is not found.
	visible func(u *tcmis.User, v *T) bool
	// editable checks that u may write v, both as stored and as sent
	// (nil: whoever holds the route's permission).
	editable func(ctx context.Context, u *tcmis.User, v *T) error
	// prepare adjusts a new record before it is checked and stored.
	prepare func(v *T) error
}

func (res *resource[T]) notFound(id int64) error {
	return tcmis.Errorf(tcmis.ENOTFOUND, "%s %d not found", res.name, id)
}

// load reads the record of the path's {id} that u may see.
func (res *resource[T]) load(r *http.Request, u *tcmis.User) (*T, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := res.get(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND || (err == nil && res.visible != nil && !res.visible(u, v)) {
		return nil, res.notFound(id)
	}
	return v, err
}

func (res *resource[T]) version(v *T) int {
	_, ver := res.ids(v)
	if ver == nil {
		return 0
	}
	return *ver
}

func (res *resource[T]) id(v *T) int64 {
	id, _ := res.ids(v)
	return *id
}

// writeOne answers with a record and its ETag.
func (res *resource[T]) writeOne(w http.ResponseWriter, status int, v *T) {
	if ver := res.version(v); ver > 0 {
		w.Header().Set("ETag", httpx.ETag(ver))
	}
	writeJSON(w, status, v)
}

func list[T any](res *resource[T]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		q := newQuery(r, res.filters)
		pg := q.paging()
		find := res.find(q, u, pg)
		if err := q.err(); err != nil {
			return err
		}
		items, total, err := find(r.Context())
		if err != nil {
			return err
		}
		if items == nil {
			items = []*T{}
		}
		writeJSON(w, http.StatusOK, Page[T]{Items: items, Total: total, Offset: pg.Offset, Limit: pg.Limit})
		return nil
	}
}

func get[T any](res *resource[T]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		v, err := res.load(r, u)
		if err != nil {
			return err
		}
		res.writeOne(w, http.StatusOK, v)
		return nil
	}
}

func create[T any](res *resource[T]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		v := new(T)
		if err := decode(r, v); err != nil {
			return err
		}
		id, ver := res.ids(v)
		*id = 0
		if ver != nil {
			*ver = 0
		}
		if res.prepare != nil {
			if err := res.prepare(v); err != nil {
				return err
			}
		}
		if res.editable != nil {
			if err := res.editable(r.Context(), u, v); err != nil {
				return err
			}
		}
		if err := res.create(r.Context(), v); err != nil {
			return err
		}
		w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+strconv.FormatInt(*id, 10))
		res.writeOne(w, http.StatusCreated, v)
		return nil
	}
}

func update[T any](res *resource[T]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		want, err := ifMatch(r)
		if err != nil {
			return err
		}
		cur, err := res.load(r, u)
		if err != nil {
			return err
		}
		v := new(T)
		if err := decode(r, v); err != nil {
			return err
		}
		if res.editable != nil {
			if err := res.editable(r.Context(), u, cur); err != nil {
				return err
			}
			if err := res.editable(r.Context(), u, v); err != nil {
				return err
			}
		}
		if have := res.version(cur); have != want {
			return stale(res.name, have, want)
		}
		id, ver := res.ids(v)
		*id, *ver = res.id(cur), want
		if err := res.update(r.Context(), v); err != nil {
			return err
		}
		res.writeOne(w, http.StatusOK, v)
		return nil
	}
}

func remove[T any](res *resource[T]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
		want, err := ifMatch(r)
		if err != nil {
			return err
		}
		cur, err := res.load(r, u)
		if err != nil {
			return err
		}
		if res.editable != nil {
			if err := res.editable(r.Context(), u, cur); err != nil {
				return err
			}
		}
		if have := res.version(cur); have != want {
			return stale(res.name, have, want)
		}
		if err := res.remove(r.Context(), res.id(cur)); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// Param is a query parameter of a route.
type Param struct {
	Name string
	// Type is the JSON schema type of the value: string, integer or
	// boolean.
	Type        string
	Description string
}

// pagingParams are the parameters of every list.
var pagingParams = []Param{
	{"offset", "integer", "how many records to skip (default 0)"},
	{"limit", "integer", fmt.Sprintf("how many records to return (default %d, at most %d)", defaultLimit, maxLimit)},
}

// query reads a request's query parameters, collecting every problem.
type query struct {
	values url.Values
	ps     []tcmis.Problem
}

// newQuery reads the query; a parameter that is not among allowed or
// the paging ones is a problem (a misspelt filter would otherwise be
// ignored and the client would get every record).
func newQuery(r *http.Request, allowed []Param) *query {
	q := &query{values: r.URL.Query()}
	known := func(name string) bool {
		return slices.ContainsFunc(allowed, func(p Param) bool { return p.Name == name }) ||
			slices.ContainsFunc(pagingParams, func(p Param) bool { return p.Name == name })
	}
	var names []string
	for k := range q.values {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !known(k) {
			var ok []string
			for _, p := range allowed {
				ok = append(ok, p.Name)
			}
			q.bad(k, "there is no such parameter (this list takes %s)", strings.Join(append(ok, "offset", "limit"), ", "))
		}
	}
	return q
}

func (q *query) bad(field, format string, args ...any) {
	q.ps = append(q.ps, tcmis.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (q *query) err() error {
	if len(q.ps) == 0 {
		return nil
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: "the query parameters are not valid", Problems: q.ps}
}

func (q *query) get(name string) string { return strings.TrimSpace(q.values.Get(name)) }

func (q *query) paging() paging {
	pg := paging{Limit: defaultLimit}
	if n := q.int("offset"); n != nil {
		if *n < 0 {
			q.bad("offset", "the offset cannot be negative")
		} else {
			pg.Offset = *n
		}
	}
	if n := q.int("limit"); n != nil {
		if *n < 1 || *n > maxLimit {
			q.bad("limit", "the limit goes from 1 to %d", maxLimit)
		} else {
			pg.Limit = *n
		}
	}
	return pg
}

func (q *query) int(name string) *int {
	s := q.get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		q.bad(name, "%q is not a whole number", s)
		return nil
	}
	return &n
}

func (q *query) id(name string) *int64 {
	s := q.get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		q.bad(name, "%q is not a record number", s)
		return nil
	}
	return &n
}

func (q *query) text(name string) *string {
	s := q.get(name)
	if s == "" {
		return nil
	}
	return &s
}

// parsed reads a parameter with a domain parser.
func parsed[T any](q *query, name string, parse func(string) (T, error)) *T {
	s := q.get(name)
	if s == "" {
		return nil
	}
	v, err := parse(s)
	if err != nil {
		q.bad(name, "%v", err)
		return nil
	}
	return &v
}
