package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
	"github.com/tcmis/tcmis/iati/validate"
)

// maxIATIUpload is the largest IATI file the application takes.
const maxIATIUpload = 1 << 30

// iatiValidator checks uploads as the IATI validator does. It is made
// once (the schemas and the ruleset take a moment to compile) and is safe
// for concurrent use.
var iatiValidator = sync.OnceValues(func() (*validate.Validator, error) {
	return validate.New(validate.Options{MaxProblems: 10000})
})

// Job kinds.
const (
	jobImport   = "iati-import"
	jobValidate = "iati-validate"
)

// runKinds are the kinds of run recorded for the kinds of job.
var runKinds = map[string]string{jobImport: tcmis.IATIRunImport, jobValidate: tcmis.IATIRunValidation}

// jobKind is the kind of job of a recorded run.
func jobKind(run *tcmis.IATIRun) string {
	if run.Kind == tcmis.IATIRunValidation {
		return jobValidate
	}
	return jobImport
}

// iatiJobLine is a job in the list of recent imports.
type iatiJobLine struct {
	ID, Kind, File string
	Owner          string
	Started        time.Time
	Running        bool
	// Outcome is "imported", "refused", "valid", "invalid" or "failed".
	Outcome string
}

type iatiHomeData struct {
	Jobs      []iatiJobLine
	Units     []*tcmis.Unit
	Unit      string
	CanImport bool
	// Org is the export's reporting organisation.
	Org string
}

// iatiHome shows the upload form, the export and the recent imports the
// user may see.
func (s *Server) iatiHome(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	d, err := s.iatiHomeData(r, u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "iati", s.newPage(w, r, u, "IATI", "iati", d))
	return nil
}

func (s *Server) iatiHomeData(r *http.Request, u *tcmis.User) (*iatiHomeData, error) {
	d := &iatiHomeData{CanImport: u.Can(tcmis.PermImport), Org: iati.ILO.Ref}
	if d.CanImport {
		var err error
		if d.Units, _, err = s.store.FindUnits(r.Context(), tcmis.UnitFilter{}); err != nil {
			return nil, err
		}
	}
	f := tcmis.IATIRunFilter{Limit: maxIATIRunsListed}
	if !u.Can(tcmis.PermAdmin) {
		f.UserID = &u.ID
	}
	runs, _, err := s.store.FindIATIRuns(r.Context(), f)
	if err != nil {
		return nil, err
	}
	users := map[int64]string{}
	for _, run := range runs {
		line := iatiJobLine{ID: strconv.FormatInt(run.ID, 10), Kind: jobKind(run), File: run.File, Started: run.Started, Outcome: run.Outcome}
		if run.Finished.IsZero() {
			if j, ok := s.jobs.get(line.ID); ok && !j.status().Finished {
				line.Running = true
			} else {
				line.Outcome = iatiInterrupted
			}
		}
		if _, ok := users[run.UserID]; !ok {
			if owner, err := s.store.FindUserByID(r.Context(), run.UserID); err == nil {
				users[run.UserID] = owner.Name
			}
		}
		line.Owner = users[run.UserID]
		d.Jobs = append(d.Jobs, line)
	}
	return d, nil
}

// maxIATIRunsListed is how many recent imports and checks the IATI page
// lists.
const maxIATIRunsListed = 50

// iatiInterrupted is the outcome shown for a run the server stopped
// before it ended.
const iatiInterrupted = "interrupted"

// iatiOutcome sums up how a finished job ended.
func iatiOutcome(o jobOutcome) string {
	res, _ := o.Result.(*iatiResult)
	switch {
	case res == nil:
		return tcmis.IATIFailed
	case res.Import && res.Summary != nil && res.Summary.Imported:
		return tcmis.IATIImported
	case res.Import:
		return tcmis.IATIRefused
	case res.Validation != nil && res.Validation.Errors() == 0:
		return tcmis.IATIValid
	}
	return tcmis.IATIInvalid
}

// canSeeJob reports whether a user may follow a job or read its record:
// the one who started it, and administrators.
func canSeeJob(u *tcmis.User, owner int64) bool {
	return u != nil && (u.ID == owner || u.Can(tcmis.PermAdmin))
}

// iatiUpload is an uploaded file, kept in a folder of its own until its
// job is done with it.
type iatiUpload struct {
	dir, path string
	// name is the file's name on the user's computer, for messages.
	name string
	size int64
}

func (up *iatiUpload) remove() {
	if up != nil && up.dir != "" {
		os.RemoveAll(up.dir)
	}
}

// receiveUpload streams the file of a multipart form to a temporary file,
// never holding it in memory, and returns the form's other (small)
// fields. A missing, empty or too large file is an EINVALID error on the
// field "file".
func receiveUpload(w http.ResponseWriter, r *http.Request) (up *iatiUpload, fields url.Values, err error) {
	fields = url.Values{}
	bad := func(msg string) error {
		return &tcmis.Error{Code: tcmis.EINVALID, Message: "the file was not received", Problems: []tcmis.Problem{{Field: "file", Message: msg}}}
	}
	defer func() {
		if err != nil {
			up.remove()
			up = nil
		}
	}()
	r.Body = http.MaxBytesReader(w, r.Body, maxIATIUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fields, bad("choose an IATI XML file to send")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, fields, uploadError(err, bad)
		}
		if part.FormName() != "file" || part.FileName() == "" {
			v, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return up, fields, uploadError(err, bad)
			}
			fields.Add(part.FormName(), string(v))
			continue
		}
		if up != nil {
			return up, fields, bad("send one file at a time")
		}
		if up, err = saveUpload(part); err != nil {
			return up, fields, uploadError(err, bad)
		}
	}
	switch {
	case up == nil:
		return nil, fields, bad("choose an IATI XML file to send")
	case up.size == 0:
		return up, fields, bad(fmt.Sprintf("%s is empty", up.name))
	}
	return up, fields, nil
}

func uploadError(err error, bad func(string) error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return bad("the file is larger than 1 GB: split it, or import it with the command line (tcmis iati import)")
	}
	var te *tcmis.Error
	if errors.As(err, &te) {
		return err
	}
	return bad("the file could not be received: " + err.Error())
}

// saveUpload copies a file part to a new temporary folder, under the
// file's own (cleaned) name.
func saveUpload(part *multipart.Part) (*iatiUpload, error) {
	name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
	safe := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			return c
		}
		return '_'
	}, name)
	if strings.Trim(safe, "._") == "" {
		safe = "upload.xml"
	}
	dir, err := os.MkdirTemp("", "tcmis-iati-")
	if err != nil {
		return nil, err
	}
	up := &iatiUpload{dir: dir, path: filepath.Join(dir, safe), name: name}
	f, err := os.Create(up.path)
	if err != nil {
		return up, err
	}
	up.size, err = io.Copy(f, io.LimitReader(part, maxIATIUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && up.size > maxIATIUpload {
		err = &http.MaxBytesError{Limit: maxIATIUpload}
	}
	return up, err
}

// iatiImport receives a file and starts importing it in the background;
// the import's page follows it.
func (s *Server) iatiImport(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	up, fields, err := receiveUpload(w, r)
	var unit *tcmis.Unit
	if err == nil {
		if code := strings.TrimSpace(fields.Get("unit")); code != "" {
			us, _, ferr := s.store.FindUnits(r.Context(), tcmis.UnitFilter{Code: &code})
			switch {
			case ferr != nil:
				err = ferr
			case len(us) == 0:
				err = &tcmis.Error{Code: tcmis.EINVALID, Message: "the lead unit is not known", Problems: []tcmis.Problem{{Field: "unit", Message: fmt.Sprintf("there is no unit with code %q", code)}}}
			default:
				unit = us[0]
			}
		}
	}
	if err != nil {
		up.remove()
		return s.iatiFormAgain(w, r, u, "iati", err, fields)
	}
	return s.startIATIRun(w, r, u, up, jobImport, s.iatiWork(up, unit, true))
}

// iatiFormAgain renders an upload form again with the problem of the
// file sent.
func (s *Server) iatiFormAgain(w http.ResponseWriter, r *http.Request, u *tcmis.User, page string, err error, fields url.Values) error {
	d, derr := s.iatiHomeData(r, u)
	if derr != nil {
		return derr
	}
	d.Unit = fields.Get("unit")
	title := "IATI"
	if page == "iativalidate" {
		title = "Validate an IATI file"
	}
	p := s.newPage(w, r, u, title, "iati", d)
	if err := formProblems(p, err); err != nil {
		return err
	}
	s.render(w, r, http.StatusUnprocessableEntity, page, p)
	return nil
}

// iatiValidateForm asks for a file to check without importing it.
func (s *Server) iatiValidateForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	s.render(w, r, http.StatusOK, "iativalidate", s.newPage(w, r, u, "Validate an IATI file", "iati", &iatiHomeData{}))
	return nil
}

// iatiValidate receives a file and checks it in the background, storing
// nothing.
func (s *Server) iatiValidate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	up, fields, err := receiveUpload(w, r)
	if err != nil {
		return s.iatiFormAgain(w, r, u, "iativalidate", err, fields)
	}
	return s.startIATIRun(w, r, u, up, jobValidate, s.iatiWork(up, nil, false))
}

// startIATIRun records a run in the store, starts its work as the job of
// the same id, and sends the user to the page that follows it. The record
// gets the work's outcome and report when it ends, so that the report can
// be read again after the job has left the server's memory.
func (s *Server) startIATIRun(w http.ResponseWriter, r *http.Request, u *tcmis.User, up *iatiUpload, kind string, work func(ctx context.Context, j *job) (any, error)) error {
	run := &tcmis.IATIRun{Kind: runKinds[kind], File: up.name, Bytes: up.size, UserID: u.ID, Started: s.cfg.Now()}
	if err := s.store.CreateIATIRun(r.Context(), run); err != nil {
		up.remove()
		return err
	}
	j := s.jobs.start(r.Context(), strconv.FormatInt(run.ID, 10), u.ID, kind, up.name, func(ctx context.Context, j *job) (res any, err error) {
		defer func() {
			run.Outcome = iatiOutcome(jobOutcome{Finished: true, Result: res, Err: err})
			run.Finished = s.cfg.Now()
			if run.Report, _ = json.Marshal(res); res == nil {
				run.Report = nil
			}
			if ferr := s.store.FinishIATIRun(ctx, run); ferr != nil {
				s.cfg.Logger.Error("IATI run not recorded", "run", run.ID, "file", run.File, "err", ferr)
			}
		}()
		return work(ctx, j)
	})
	http.Redirect(w, r, "/iati/imports/"+j.ID, http.StatusSeeOther)
	return nil
}

// iatiResult is what a job found: the validation report and, for an
// import, its summary.
type iatiResult struct {
	File   string
	Bytes  int64
	Import bool
	// Validation lists every problem the IATI validator found.
	Validation *validate.Report
	Summary    *iati.Summary
	// ImportError is why an import failed other than with the file's
	// problems (which the summary lists).
	ImportError string
}

// iatiWork validates an uploaded file and, to import it, imports it,
// reporting the bytes read of both passes as the job's progress.
func (s *Server) iatiWork(up *iatiUpload, unit *tcmis.Unit, doImport bool) func(ctx context.Context, j *job) (any, error) {
	return func(ctx context.Context, j *job) (any, error) {
		defer up.remove()
		res := &iatiResult{File: up.name, Bytes: up.size, Import: doImport}
		total := up.size
		if doImport {
			total *= 2
		}
		j.progress(0, total, "Checking the file against the IATI schema, codelists and rules")
		v, err := iatiValidator()
		if err != nil {
			return nil, err
		}
		f, err := os.Open(up.path)
		if err != nil {
			return nil, err
		}
		cr := &countingReader{r: f, report: func(n int64) { j.progress(n, total, "") }}
		rep, err := v.Validate(cr, up.name)
		f.Close()
		if rep == nil {
			rep = &validate.Report{File: up.name}
		}
		if err != nil && !hasXMLProblem(rep) {
			rep.Problems = append(rep.Problems, unreadableProblem(err))
		}
		res.Validation = rep
		if !doImport {
			return res, nil
		}
		j.progress(up.size, total, "Importing the activities")
		sum, err := iati.ImportFile(ctx, s.store, up.path, iati.Options{Unit: unit, Progress: func(done, _ int64) {
			j.progress(up.size+done, total, "")
		}})
		if sum != nil {
			sum.File = up.name
			for i := range sum.Warnings {
				sum.Warnings[i].Message = strings.ReplaceAll(sum.Warnings[i].Message, up.path, up.name)
			}
			for i := range sum.Errors {
				sum.Errors[i].Message = strings.ReplaceAll(sum.Errors[i].Message, up.path, up.name)
			}
		}
		res.Summary = sum
		var fe *iati.FileError
		if err != nil && !errors.As(err, &fe) {
			if tcmis.ErrorCode(err) == tcmis.EINTERNAL {
				s.cfg.Logger.Error("IATI import failed", "file", up.name, "err", err)
				res.ImportError = "An internal error occurred. It has been logged; please try again or tell your administrator."
			} else {
				res.ImportError = tcmis.ErrorMessage(err)
			}
		}
		return res, nil
	}
}

// hasXMLProblem reports whether a report already names the XML error
// that stopped validation.
func hasXMLProblem(r *validate.Report) bool {
	for _, p := range r.Problems {
		if p.RuleID == validate.RuleXML {
			return true
		}
	}
	return false
}

// unreadableProblem is the problem of a file that cannot be validated at
// all, with its line when it is known.
func unreadableProblem(err error) validate.Problem {
	p := validate.Problem{RuleID: validate.RuleXML, Severity: validate.SeverityError, Category: "XML", Message: err.Error()}
	var se *validate.SyntaxError
	if errors.As(err, &se) {
		p.Line, p.Column, p.Message = se.Line, se.Column, se.Msg
	}
	return p
}

// countingReader tells how many bytes have been read.
type countingReader struct {
	r      io.Reader
	n      atomic.Int64
	report func(n int64)
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.report(c.n.Add(int64(n)))
	return n, err
}

// iatiJobPage is an import or validation, running or done.
type iatiJobPage struct {
	Job      *job
	Status   jobStatus
	Finished bool
	Result   *iatiResult
	// Failed is why the job stopped without a result.
	Failed   string
	Progress string
	// MoreErrors counts the import's errors not listed.
	MoreErrors int
}

// visibleJob finds the job of the path that the user may follow: the
// running or recent one in memory, else the record of its run. Any other
// is not found.
func (s *Server) visibleJob(r *http.Request, u *tcmis.User) (*job, jobOutcome, error) {
	id := r.PathValue("job")
	if j, ok := s.jobs.get(id); ok && strings.HasPrefix(j.Kind, "iati-") && canSeeJob(u, j.Owner) {
		return j, j.outcome(), nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, jobOutcome{}, notFound("import")
	}
	run, err := s.store.FindIATIRunByID(r.Context(), n)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND || err == nil && !canSeeJob(u, run.UserID) {
		return nil, jobOutcome{}, notFound("import")
	} else if err != nil {
		return nil, jobOutcome{}, err
	}
	j := &job{ID: id, Owner: run.UserID, Kind: jobKind(run), Title: run.File, Started: run.Started, finished: true, ended: run.Finished}
	o := jobOutcome{Finished: true}
	switch {
	case run.Finished.IsZero():
		o.Err = errIATIInterrupted
	case run.Report == nil:
		o.Err = fmt.Errorf("IATI run %d ended %s without a report", run.ID, run.Outcome)
	default:
		res := &iatiResult{}
		if err := json.Unmarshal(run.Report, res); err != nil {
			return nil, jobOutcome{}, fmt.Errorf("report of IATI run %d: %w", run.ID, err)
		}
		o.Result = res
	}
	return j, o, nil
}

// errIATIInterrupted is the end of a run that the server stopped.
var errIATIInterrupted = errors.New("the server stopped before this work ended")

// iatiJob shows an import or validation: its progress while it runs,
// then the whole validation report and the import's summary.
func (s *Server) iatiJob(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	j, o, err := s.visibleJob(r, u)
	if err != nil {
		return err
	}
	d := &iatiJobPage{Job: j, Status: j.status(), Finished: o.Finished, Progress: "/iati/imports/" + j.ID + "/progress"}
	d.Result, _ = o.Result.(*iatiResult)
	if d.Result != nil && d.Result.Summary != nil {
		d.MoreErrors = d.Result.Summary.ErrorCount - len(d.Result.Summary.Errors)
	}
	switch {
	case o.Finished && d.Result == nil && errors.Is(o.Err, errIATIInterrupted):
		d.Failed = "The server stopped before this work ended: nothing of it was stored. Send the file again."
	case o.Finished && d.Result == nil:
		s.cfg.Logger.Error("IATI job failed", "job", j.ID, "file", j.Title, "err", o.Err)
		d.Failed = "An internal error occurred. It has been logged; please try again or tell your administrator."
	}
	title := "Import of an IATI file"
	if j.Kind == jobValidate {
		title = "Validation of an IATI file"
	}
	s.render(w, r, http.StatusOK, "iatijob", s.newPage(w, r, u, title, "iati", d))
	return nil
}

// iatiJobProgress tells the page how far a job is, as JSON.
func (s *Server) iatiJobProgress(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	j, _, err := s.visibleJob(r, u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(j.status())
}

// iatiExport sends the portfolio as an IATI 2.03 activity file, written
// as it is made. The reporting organisation is ILO unless the query
// names another by its IATI identifier.
func (s *Server) iatiExport(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	reporting := iati.ILO
	if org := strings.TrimSpace(r.URL.Query().Get("org")); org != "" && org != iati.ILO.Ref {
		found, _, err := s.store.FindOrganisations(ctx, tcmis.OrganisationFilter{Ref: &org})
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return &tcmis.Error{Code: tcmis.EINVALID, Message: "the reporting organisation is not known",
				Problems: []tcmis.Problem{{Field: "org", Message: fmt.Sprintf("no organisation has the IATI identifier %q: add it as a donor with that identifier first", org)}}}
		}
		reporting = tcmis.Org{Ref: org, Type: "40", Name: tcmis.Narratives{{Lang: "en", Text: found[0].Name}}}
		if found[0].Type != "" {
			reporting.Type = found[0].Type
		}
	}
	now := s.cfg.Now()
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tcmis-iati-`+now.UTC().Format("20060102")+`.xml"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := iati.Export(ctx, s.store, w, iati.ExportOptions{Reporting: &reporting, Now: now}); err != nil {
		// Half the file is sent: the error can only be logged, and the
		// file is cut short, which any reader notices.
		s.cfg.Logger.Error("IATI export failed", "err", err)
	}
	return nil
}
