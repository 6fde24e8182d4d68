package sqldb

import (
	"context"
	"math"
	"sort"

	"github.com/tcmis/tcmis"
)

// loader is the tcmis.Loader of one transaction. Each aggregate's file
// implements its Create method; each records the ids it stored so that
// Load can write one audit entry per kind of record.
type loader struct {
	tx      *Tx
	created map[string]*idRange
}

// idRange is how many records of one kind a load stored, and their ids'
// bounds.
type idRange struct {
	count     int
	low, high int64
}

// newLoader returns the loader of a transaction.
func newLoader(tx *Tx) *loader { return &loader{tx: tx, created: map[string]*idRange{}} }

func (l *loader) stored(entity string, ids ...int64) {
	r := l.created[entity]
	if r == nil {
		r = &idRange{low: math.MaxInt64, high: math.MinInt64}
		l.created[entity] = r
	}
	r.count += len(ids)
	for _, id := range ids {
		r.low, r.high = min(r.low, id), max(r.high, id)
	}
}

// Load runs fn in one write transaction: everything it creates is stored,
// or nothing is.
func (db *DB) Load(ctx context.Context, source string, fn func(l tcmis.Loader) error) error {
	return db.update(ctx, func(tx *Tx) error {
		l := newLoader(tx)
		if err := fn(l); err != nil {
			return err
		}
		return l.audit(source)
	})
}

// load runs a single bulk creation as its own transaction, for the
// services' batch Create methods.
func (db *DB) load(ctx context.Context, fn func(l *loader) error) error {
	return db.Load(ctx, "", func(l tcmis.Loader) error { return fn(l.(*loader)) })
}

// audit records, for each kind of record loaded, how many and which ids.
func (l *loader) audit(source string) error {
	entities := make([]string, 0, len(l.created))
	for e := range l.created {
		entities = append(entities, e)
	}
	sort.Strings(entities)
	for _, e := range entities {
		r := l.created[e]
		if r.count == 0 {
			continue
		}
		summary := map[string]any{"source": source, "count": r.count, "first_id": r.low, "last_id": r.high}
		if err := l.tx.audit(e, 0, tcmis.ActionImport, nil, summary); err != nil {
			return err
		}
	}
	return nil
}

// maxProblems caps the problems one batch reports: past it, a count.
const maxProblems = 1000

// validateAll validates every record and returns one error listing the
// problems of the invalid ones, by position, up to maxProblems of them.
func validateAll[T interface{ Validate() error }](what string, items []T) error {
	var ps []tcmis.Problem
	more := 0
	for i, it := range items {
		if len(ps) >= maxProblems {
			if it.Validate() != nil {
				more++
			}
			continue
		}
		if err := it.Validate(); err != nil {
			for _, p := range tcmis.ErrorProblems(err) {
				p.Field = what + "[" + itoa(i) + "]." + p.Field
				ps = append(ps, p)
			}
			if len(tcmis.ErrorProblems(err)) == 0 {
				ps = append(ps, tcmis.Problem{Field: what + "[" + itoa(i) + "]", Message: err.Error()})
			}
		}
	}
	if more > 0 {
		ps = append(ps, tcmis.Problem{Message: "and " + itoa(more) + " more invalid " + what + " records"})
	}
	if len(ps) > 0 {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "some " + what + " records are not valid", Problems: ps}
	}
	return nil
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

// CreateOrganisations stores many organisations at once.
func (l *loader) CreateOrganisations(os []*tcmis.Organisation) error {
	if err := validateAll("organisations", os); err != nil {
		return err
	}
	ids, err := l.tx.reserveIDs("organisations", len(os))
	if err != nil {
		return err
	}
	for i, o := range os {
		o.ID, o.Version = ids[i], 1
	}
	err = l.tx.copyRows("organisations", []string{"id", "name", "category", "non_state", "ref", "type", "country", "version"}, len(os), func(i int) []any {
		o := os[i]
		return []any{o.ID, o.Name, string(o.Category), string(o.NonState), o.Ref, o.Type, o.Country, 1}
	})
	if err != nil {
		return constraintError(err, "an organisation with one of these names")
	}
	l.stored("organisation", ids...)
	return nil
}
