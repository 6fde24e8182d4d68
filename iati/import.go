package iati

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati/validate"
)

// DefaultUnit leads the projects an import creates, unless Options.Unit
// names another; it is created on first use.
var DefaultUnit = tcmis.Unit{Code: "IATI", Name: "Projects imported from IATI", Kind: tcmis.Department}

// Options control an import.
type Options struct {
	// Unit leads the projects the import creates (default DefaultUnit).
	Unit *tcmis.Unit
	// Validator checks each file as the IATI validator does; its problems
	// become warnings. Nil skips validation.
	Validator *validate.Validator
	// Progress, if set, is told how many bytes of the file are read.
	Progress func(done, total int64)
	// BatchSize is how many activities are stored at a time (default
	// 500).
	BatchSize int
}

// Summary is what an import did with one file.
type Summary struct {
	File    string `json:"file"`
	Version string `json:"version,omitempty"`
	// Imported is true when the file was stored.
	Imported     bool  `json:"imported"`
	Activities   int   `json:"activities"`
	Created      int   `json:"created"`
	Updated      int   `json:"updated"`
	Transactions int   `json:"transactions"`
	Bytes        int64 `json:"bytes"`
	// Warnings are the problems that did not stop the import, errors
	// those that did; the counts include those not listed.
	Warnings     []Warning `json:"warnings"`
	WarningCount int       `json:"warning_count"`
	Errors       []Warning `json:"errors"`
	ErrorCount   int       `json:"error_count"`
}

// ImportPaths imports files and the .xml files in directories (and their
// subdirectories), each file whole or not at all, and returns a summary
// per file. The error is nil only when every file was imported.
func ImportPaths(ctx context.Context, store tcmis.ActivityService, paths []string, opts Options, each func(path string) Options) ([]*Summary, error) {
	files, err := ExpandPaths(paths)
	if err != nil {
		return nil, err
	}
	var out []*Summary
	failed := 0
	for _, f := range files {
		o := opts
		if each != nil {
			o = each(f)
		}
		s, err := ImportFile(ctx, store, f, o)
		out = append(out, s)
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			failed++
		}
	}
	if failed > 0 {
		return out, fmt.Errorf("%d of %d files were not imported", failed, len(files))
	}
	return out, nil
}

// ExpandPaths lists the files named and the .xml files under the
// directories named, in order.
func ExpandPaths(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, errors.Unwrap(err))
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".xml") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s has no .xml files", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// ImportFile imports one file in one transaction: its activities update
// the projects they belong to or create new ones. A file with errors
// stores nothing; the summary lists them, and the error is a *FileError.
func ImportFile(ctx context.Context, store tcmis.ActivityService, path string, opts Options) (*Summary, error) {
	s := &Summary{File: path}
	fi, err := os.Stat(path)
	if err != nil {
		err = &FileError{File: path, Problems: []Warning{{File: path, Message: "cannot read the file: " + describeOSError(err)}}}
		s.fail(err)
		return s, err
	}
	s.Bytes = fi.Size()
	unit := opts.Unit
	if unit == nil {
		unit = &DefaultUnit
	}
	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = 500
	}

	// Validation runs beside the import, on a reader of its own.
	var (
		wg     sync.WaitGroup
		report *validate.Report
	)
	vctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if opts.Validator != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := os.Open(path)
			if err != nil {
				return
			}
			defer f.Close()
			report, _ = opts.Validator.Validate(&ctxReader{ctx: vctx, r: f}, path)
		}()
	}

	var warnings []Warning
	var moreWarnings int
	err = store.LoadActivities(ctx, "IATI file "+filepath.Base(path), func(l tcmis.ActivityLoader) error {
		*s = Summary{File: path, Bytes: fi.Size()}
		warnings, moreWarnings = nil, 0
		f, err := os.Open(path)
		if err != nil {
			return &FileError{File: path, Problems: []Warning{{File: path, Message: "cannot read the file: " + describeOSError(err)}}}
		}
		defer f.Close()
		rd, err := NewReader(f, path)
		if err != nil {
			return err
		}
		s.Version = rd.Version()

		// The reader, with the mapping to projects, runs beside the
		// store: it sends batches of activities, each to be stored
		// unless the file has errors, and then the result of reading.
		type batch struct {
			as  []*tcmis.Activity
			err error // the reading's end: nil, or why it stopped
			end bool
		}
		batches := make(chan batch, 2)
		stop, done := make(chan struct{}), make(chan struct{})
		defer func() {
			close(stop)
			<-done
		}()
		var errs []Warning
		go func() {
			defer close(done)
			send := func(b batch) bool {
				select {
				case batches <- b:
					return true
				case <-stop:
					return false
				}
			}
			var cur []*tcmis.Activity
			stored := true
			for {
				if err := ctx.Err(); err != nil {
					send(batch{err: err, end: true})
					return
				}
				a, err := rd.Next()
				if err == io.EOF {
					break
				} else if err != nil {
					send(batch{err: err, end: true})
					return
				}
				line := rd.Line()
				s.Activities++
				s.Transactions += len(a.Transactions)
				if opts.Progress != nil {
					opts.Progress(rd.Offset(), fi.Size())
				}
				if a.Identifier == "" || len(rd.Errors()) > 0 {
					stored = false
				}
				p, notes, err := a.ToProject()
				for _, n := range notes {
					if len(warnings) >= maxKept {
						moreWarnings++
						continue
					}
					warnings = append(warnings, Warning{File: path, Line: line, Activity: a.Identifier, Message: n})
				}
				if err != nil {
					errs = append(errs, Warning{File: path, Line: line, Activity: a.Identifier, Message: tcmis.ErrorMessage(err)})
					stored = false
					continue
				}
				p.LeadUnitID = 1 // checked when stored; here the rest
				if err := p.Validate(); err != nil {
					for _, pr := range tcmis.ErrorProblems(err) {
						errs = append(errs, Warning{File: path, Line: line, Activity: a.Identifier, Message: "the project cannot take it: " + pr.String()})
					}
					stored = false
					continue
				}
				if !stored {
					cur = nil
					continue
				}
				cur = append(cur, a)
				if len(cur) >= batchSize {
					if !send(batch{as: cur}) {
						return
					}
					cur = nil
				}
			}
			if stored {
				if !send(batch{as: cur}) {
					return
				}
			}
			send(batch{end: true})
		}()
		for b := range batches {
			if b.end {
				if b.err != nil {
					return b.err
				}
				break
			}
			if len(b.as) == 0 {
				continue
			}
			created, err := l.UpsertActivities(unit, b.as)
			if err != nil {
				return annotate(path, err)
			}
			s.Created += created
			s.Updated += len(b.as) - created
		}
		if opts.Progress != nil {
			opts.Progress(fi.Size(), fi.Size())
		}
		warnings = append(rd.Warnings(), warnings...)
		moreWarnings += rd.WarningCount() - len(rd.Warnings())
		all := append(append([]Warning(nil), rd.Errors()...), errs...)
		if len(all) > 0 {
			sort.SliceStable(all, func(i, j int) bool { return all[i].Line < all[j].Line })
			more := 0
			if fe, ok := rd.Err().(*FileError); ok {
				more = fe.More
			}
			return &FileError{File: path, Problems: all, More: more}
		}
		return nil
	})
	if err != nil {
		cancel()
	}
	wg.Wait()
	s.Warnings, s.WarningCount = warnings, len(warnings)+moreWarnings
	if report != nil {
		for _, p := range report.Problems {
			if p.Severity != validate.SeverityError && p.Severity != validate.SeverityWarning {
				continue
			}
			s.WarningCount++
			if len(s.Warnings) >= maxKept {
				continue
			}
			msg := p.Message
			if p.Detail != "" {
				msg += " (" + p.Detail + ")"
			}
			s.Warnings = append(s.Warnings, Warning{File: path, Line: p.Line, Column: p.Column, Activity: p.Activity, Rule: p.RuleID, Message: msg})
		}
		s.WarningCount += report.Omitted
	}
	if err != nil {
		s.fail(err)
		return s, err
	}
	s.Imported = true
	return s, nil
}

func (s *Summary) fail(err error) {
	var fe *FileError
	if errors.As(err, &fe) {
		s.Errors = fe.Problems
		s.ErrorCount = len(fe.Problems) + fe.More
		return
	}
	s.Errors = []Warning{{File: s.File, Message: tcmis.ErrorMessage(err)}}
	if tcmis.ErrorCode(err) == tcmis.EINTERNAL {
		s.Errors[0].Message = err.Error()
	}
	s.ErrorCount = 1
}

// annotate names the file in a store's error.
func annotate(path string, err error) error {
	var e *tcmis.Error
	if errors.As(err, &e) {
		ps := []Warning{{File: path, Message: e.Message}}
		for _, p := range e.Problems {
			ps = append(ps, Warning{File: path, Message: p.String()})
		}
		return &FileError{File: path, Problems: ps}
	}
	return err
}

func describeOSError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// ctxReader stops reading when its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
