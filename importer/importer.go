package importer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// Kind is a kind of file: what its rows are.
type Kind string

const (
	Donors       Kind = "donors"
	Units        Kind = "units"
	Projects     Kind = "projects"
	Approvals    Kind = "approvals"
	Allocations  Kind = "allocations"
	Expenditures Kind = "expenditures"
	Rates        Kind = "rates"
)

// Kinds lists the kinds of file, in the order a new database is best
// filled: rates and donors first, the money of projects last.
func Kinds() []Kind {
	return []Kind{Rates, Donors, Units, Projects, Approvals, Allocations, Expenditures}
}

// ParseKind reads a kind of file as the command line names it.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if specs[k] != nil {
		return k, nil
	}
	names := make([]string, 0, len(specs))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return "", tcmis.Errorf(tcmis.EINVALID, "%q is not a kind of file to import (use one of %s)", s, strings.Join(names, ", "))
}

// Options adjust an import.
type Options struct {
	// Sheet names the sheet of a workbook to read; by default, a sheet
	// named like the kind ("Approvals") or else the first.
	Sheet string
	// AllowDuplicates imports money rows and rates identical to one
	// already stored or to another row of the file. By default such rows
	// are refused, so that importing a file twice does not count its
	// money twice.
	AllowDuplicates bool
	// Check reads and checks the file, against the database too, and
	// stores nothing.
	Check bool
	// Progress, if set, is called as the import goes: while the file is
	// read, with the rows read and a total of -1 (not known yet); while
	// records are stored, with the records stored and their total.
	Progress func(done, total int64)
	// ChunkSize is how many records each bulk creation stores at a time
	// (10,000 when zero).
	ChunkSize int
}

// Summary tells what an import read and created.
type Summary struct {
	File  string `json:"file"`
	Kind  Kind   `json:"kind"`
	Sheet string `json:"sheet,omitempty"`
	// Rows is the number of data rows read, blank rows not counted.
	Rows int `json:"rows"`
	// Created counts the records created by kind: the kind of the file,
	// and donors created on the way by an approvals file.
	Created map[Kind]int `json:"created"`
}

// String says in one line what was imported.
func (s *Summary) String() string {
	var parts []string
	for _, k := range Kinds() {
		if n := s.Created[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	created := "nothing created"
	if len(parts) > 0 {
		created = "created " + strings.Join(parts, " and ")
	}
	return fmt.Sprintf("%s: %d rows read, %s", s.File, s.Rows, created)
}

// ImportFile imports the CSV or XLSX file at path.
func ImportFile(ctx context.Context, store tcmis.Store, kind Kind, path string, opts Options) (*Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, tcmis.Errorf(tcmis.EINVALID, "cannot open %s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	return Import(ctx, store, kind, filepath.Base(path), f, opts)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Import reads a file of the given kind, a CSV file or an XLSX workbook
// (told apart by their content), checks every row, resolves what the rows
// refer to against the store, and, if nothing is wrong, stores all its
// records in one transaction. name is the file's name, used in messages
// and in the audit trail.
//
// Problems with the file come back as an *Errors listing every one, by
// row and column; the store is then unchanged. Other errors are the
// store's.
func Import(ctx context.Context, store tcmis.Store, kind Kind, name string, r io.Reader, opts Options) (*Summary, error) {
	s := specs[kind]
	if s == nil {
		_, err := ParseKind(string(kind))
		return nil, err
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 10_000
	}
	j := &job{
		ctx:   ctx,
		store: store,
		spec:  s,
		opts:  opts,
		errs:  &Errors{File: name},
		sum:   &Summary{File: name, Kind: kind, Created: map[Kind]int{}},
		t:     &table{},
		cache: newResolver(ctx, store),
	}
	j.imp = s.start(j)
	err := j.run(r)
	if err == nil {
		return j.sum, nil
	}
	clear(j.sum.Created)
	var e *Errors
	if errors.As(err, &e) {
		return j.sum, e.err()
	}
	return j.sum, fmt.Errorf("import %s: %w", name, err)
}

// run reads and checks the file, then stores its records.
func (j *job) run(r io.Reader) error {
	if err := j.read(r); err != nil {
		return err
	}
	// The checks that need the whole file run on the rows read well, even
	// when others were not, so that one pass reports every problem.
	if err := j.imp.check(); err != nil {
		return err
	}
	if err := j.errs.err(); err != nil || j.opts.Check {
		return err
	}
	return j.store.Load(j.ctx, j.errs.File, func(l tcmis.Loader) error {
		j.loader = l
		return j.imp.load()
	})
}

// kindImporter is the part of an import that knows one kind of record.
type kindImporter interface {
	// row reads one data row into a record, reporting its problems.
	row(r *row)
	// check runs, once every row has been read, the checks that need the
	// whole file (references within it, duplicates, exchange rates) on
	// the records read without a problem.
	check() error
	// load stores the records through j.loader.
	load() error
}

// job is one import under way.
type job struct {
	ctx    context.Context
	store  tcmis.Store
	spec   *spec
	opts   Options
	errs   *Errors
	sum    *Summary
	t      *table
	cache  *resolver
	imp    kindImporter
	loader tcmis.Loader
	// fatal is an error of the store met while reading rows; it ends the
	// import.
	fatal error
	// stored and total count the records stored and to store, for
	// Options.Progress.
	stored, total int64
}

// fileError records a problem with the file as a whole and returns the
// problems found so far, to end the import with.
func fileError(errs *Errors, msg string) error {
	errs.add(RowError{Message: msg})
	return errs
}

// read reads the header and every data row.
func (j *job) read(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var src interface {
		next() (int, []string, bool)
		err() error
		close() error
	}
	magic, _ := br.Peek(8)
	switch {
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")):
		x, sheet, err := openXLSX(br, j.spec.kind, j.opts.Sheet, j.errs)
		if err != nil {
			return err
		}
		j.t.xlsx, j.sum.Sheet = true, sheet
		src = x
	case bytes.HasPrefix(magic, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return fileError(j.errs, "this is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8 and import that")
	default:
		c, err := newCSVSource(br, j.errs)
		if err != nil {
			return err
		}
		src = c
	}
	defer src.close()
	date1904 := false
	if x, ok := src.(*xlsxSource); ok {
		date1904 = x.date1904
	}
	header := false
	noHeading := map[int]bool{}
	for {
		num, cells, ok := src.next()
		if !ok {
			break
		}
		if blank(cells) {
			continue
		}
		if !header {
			readHeader(j.spec, j.t, num, cells, j.errs)
			header = true
			continue
		}
		for i, c := range cells {
			if (i >= len(j.t.headings) || j.t.unnamed[i]) && !noHeading[i] && strings.TrimSpace(c) != "" {
				noHeading[i] = true
				col := columnLetter(i)
				if !j.t.xlsx {
					col = fmt.Sprintf("%d", i+1)
				}
				j.errs.add(RowError{Row: num, Column: col, Value: c, Message: "this cell is in a column without a heading: give the column a heading, or delete it"})
			}
		}
		j.sum.Rows++
		j.imp.row(&row{j: j, num: num, cells: cells, date1904: date1904})
		if j.fatal != nil {
			return j.fatal
		}
		if j.sum.Rows%1000 == 0 {
			if err := j.ctx.Err(); err != nil {
				return err
			}
			j.progress(int64(j.sum.Rows), -1)
		}
	}
	if err := src.err(); err != nil {
		return fileError(j.errs, fmt.Sprintf("the file cannot be read to its end: %v", err))
	}
	if !header {
		return fileError(j.errs, "the file is empty: it needs a header row naming its columns, then one row per record")
	}
	j.progress(int64(j.sum.Rows), -1)
	return nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (j *job) progress(done, total int64) {
	if j.opts.Progress != nil {
		j.opts.Progress(done, total)
	}
}

// fail reports a problem found after the row was read.
func (j *job) fail(row int, col, value, format string, args ...any) {
	e := RowError{Row: row, Value: value, Message: fmt.Sprintf(format, args...)}
	if col != "" {
		e.Column = j.t.label(col)
	}
	j.errs.add(e)
}

// checkRates reports the records in a currency other than US dollars
// that no stored exchange rate converts: none dated on or before their
// day.
func checkRates[T any](j *job, recs []T, rows []int, money func(T) (tcmis.Money, time.Time)) error {
	type key struct {
		currency string
		day      time.Time
	}
	missing := map[key]string{}
	for i, rec := range recs {
		m, day := money(rec)
		if m.Currency == tcmis.USD || m.Currency == "" {
			continue
		}
		k := key{m.Currency, day}
		msg, seen := missing[k]
		if !seen {
			rates, err := j.cache.ratesOf(m.Currency)
			if err != nil {
				return err
			}
			if _, err := rates.RateOn(m.Currency, day); err != nil {
				msg = tcmis.ErrorMessage(err)
			}
			missing[k] = msg
		}
		if msg != "" {
			j.fail(rows[i], "currency", m.Currency, "%s", msg)
		}
	}
	return nil
}

// duplicates reports the records identical to a stored one, or to an
// earlier row of the file. key(i) is what makes record i the same as
// another; stored returns the keys of the records already stored; same
// says what "the same" means. Options.AllowDuplicates lets them through
// when allowable.
func duplicates[K comparable](j *job, rows []int, key func(i int) K, stored func() (map[K]bool, error), what, same string, allowable bool) error {
	if (allowable && j.opts.AllowDuplicates) || len(rows) == 0 {
		return nil
	}
	old, err := stored()
	if err != nil {
		return err
	}
	remedy := "remove one"
	if allowable {
		remedy = "remove one, or allow duplicates"
	}
	first := make(map[K]int, len(rows))
	for i, row := range rows {
		k := key(i)
		switch {
		case old[k]:
			j.fail(row, "", "", "this %s is already stored (%s): was the file imported before?", what, same)
		case first[k] != 0:
			j.fail(row, "", "", "the same %s as row %d (%s): %s", what, first[k], same, remedy)
		default:
			first[k] = row
		}
	}
	return nil
}
