package importer

import (
	"errors"
	"fmt"

	"github.com/tcmis/tcmis"
)

// batch is the records of one kind that an import stores, each with the
// row it was read from.
type batch[T any] struct {
	kind Kind
	recs []T
	rows []int
	// column names the column that carries a field of record i, for the
	// problems a bulk creation may still find (a reference gone since the
	// file was checked, a rate missing).
	column func(i int, field string, index int) string
}

func (b *batch[T]) add(rec T, row int) {
	b.recs = append(b.recs, rec)
	b.rows = append(b.rows, row)
}

// create stores the batch in chunks through a bulk creation of the
// loader.
func create[T any](j *job, b *batch[T], fn func([]T) error) error {
	return chunks(b.recs, j.opts.ChunkSize, func(start int, part []T) error {
		if err := fn(part); err != nil {
			return j.loadError(err, start, b.rows, b.column)
		}
		j.sum.Created[b.kind] += len(part)
		j.stored += int64(len(part))
		j.progress(j.stored, j.total)
		return j.ctx.Err()
	})
}

// loadError turns the problems a bulk creation found with records
// start... into problems at their rows; other errors pass through.
func (j *job) loadError(err error, start int, rows []int, column func(i int, field string, index int) string) error {
	code := tcmis.ErrorCode(err)
	if code == tcmis.EINTERNAL {
		return err
	}
	ps := tcmis.ErrorProblems(err)
	if len(ps) == 0 {
		end := min(start+j.opts.ChunkSize, len(rows)) - 1
		j.errs.add(RowError{Message: fmt.Sprintf("the records of rows %d to %d could not be stored: %s", rows[start], rows[end], tcmis.ErrorMessage(err))})
		return j.errs
	}
	var te *tcmis.Error
	errors.As(err, &te)
	for _, p := range ps {
		m := fieldPattern.FindStringSubmatch(p.Field)
		if m == nil || m[2] == "" {
			j.errs.add(RowError{Message: te.Message + ": " + p.String()})
			continue
		}
		i := start + atoi(m[2])
		if i >= len(rows) {
			j.errs.add(RowError{Message: p.String()})
			continue
		}
		e := RowError{Row: rows[i], Message: p.Message}
		if m[3] != "" && column != nil {
			field, index := splitField(m[3])
			if col := column(i, field, index); col != "" {
				e.Column = j.t.label(col)
			}
		}
		j.errs.add(e)
	}
	return j.errs
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
