package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati/validate"
)

const iomSample = "/work/shared/iati/samples/iom-2.03.xml"

// iatiSend posts a multipart form with a file, as a browser uploads one.
func iatiSend(c *client, path, filename string, content []byte, fields url.Values) *response {
	c.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+path, &b)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

type iatiProgressJSON struct {
	Done     int64  `json:"done"`
	Total    int64  `json:"total"`
	Message  string `json:"message"`
	Finished bool   `json:"finished"`
}

// iatiWait follows a job's progress until it has finished, checking
// that the progress only grows, and returns its page.
func iatiWait(t *testing.T, c *client, jobPath string) *response {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var last iatiProgressJSON
	for {
		res := c.get(jobPath+"/progress").must(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("progress is %q, not JSON", ct)
		}
		var p iatiProgressJSON
		if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
			t.Fatalf("progress %q: %v", res.Body, err)
		}
		if p.Done < last.Done || p.Total < 0 || p.Done > p.Total && p.Total > 0 {
			t.Errorf("progress went from %+v to %+v", last, p)
		}
		last = p
		if p.Finished {
			if p.Total > 0 && p.Done != p.Total {
				t.Errorf("finished at %d of %d", p.Done, p.Total)
			}
			return c.get(jobPath).must(t, http.StatusOK)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job has not finished: %+v", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var iatiProblemRows = regexp.MustCompile(`<tr class="severity-`)

func TestIATIImport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(tcmis.RoleAdmin)
	ctx := context.Background()
	file, err := os.ReadFile(iomSample)
	if err != nil {
		t.Fatal(err)
	}
	_, before, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	res := iatiSend(admin, "/iati/imports", "iom-2.03.xml", file, url.Values{"unit": {""}}).must(t, http.StatusSeeOther)
	if !strings.HasPrefix(res.Location, "/iati/imports/") {
		t.Fatalf("the upload leads to %q", res.Location)
	}
	// While it runs, or once done, the page is there.
	admin.get(res.Location).must(t, http.StatusOK)
	page := iatiWait(t, admin, res.Location)
	page.contains(t, `<dd id="iati-activities">577</dd>`, `<dd id="validation-activities">577</dd>`, "Imported", "iom-2.03.xml")

	// The whole validation report: every problem the validator finds, with
	// rule, activity and line.
	v, err := validate.New(validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := v.Validate(bytes.NewReader(file), "iom-2.03.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Problems) == 0 {
		t.Fatal("the sample has no problem: the test proves nothing")
	}
	if got := len(iatiProblemRows.FindAllString(page.Body, -1)); got != len(want.Problems) {
		t.Errorf("%d problems listed, the validator finds %d", got, len(want.Problems))
	}
	for _, p := range []validate.Problem{want.Problems[0], want.Problems[len(want.Problems)-1]} {
		page.contains(t, fmt.Sprintf(`<th scope="row" class="num">%d</th><td class="num">%d</td>`, p.Line, p.Column), repEsc(p.RuleID), repEsc(p.Activity), repEsc(p.Message))
	}

	_, after, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if after-before != 577 {
		t.Errorf("%d projects before the import, %d after: want 577 more", before, after)
	}
	adminEmail := email(tcmis.RoleAdmin)
	admins, _, err := a.DB.FindUsers(ctx, tcmis.UserFilter{Email: &adminEmail})
	if err != nil || len(admins) != 1 {
		t.Fatal(admins, err)
	}
	changes, n, err := a.DB.FindChanges(ctx, tcmis.ChangeFilter{UserID: &admins[0].ID, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("the import is not in the audit trail under the administrator")
	}
	for _, c := range changes {
		if c.UserID != admins[0].ID {
			t.Errorf("change %+v not by the administrator", c)
		}
	}

	// The import is listed with the recent ones.
	admin.get("/iati").must(t, http.StatusOK).contains(t, `href="`+res.Location+`"`, "iom-2.03.xml")
}

// TestIATIBrokenFile uploads a file cut in the middle: the import stores
// nothing and the page shows the error with its line.
func TestIATIBrokenFile(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleResourceMobiliser)
	file, err := os.ReadFile(iomSample)
	if err != nil {
		t.Fatal(err)
	}
	cut := file[:20000]
	v, err := validate.New(validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, verr := v.Validate(bytes.NewReader(cut), "cut.xml")
	se, ok := verr.(*validate.SyntaxError)
	if !ok {
		t.Fatalf("the cut file is not a syntax error: %v", verr)
	}
	_, before, _ := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	res := iatiSend(c, "/iati/imports", "cut.xml", cut, nil).must(t, http.StatusSeeOther)
	page := iatiWait(t, c, res.Location)
	page.contains(t, "Not imported", fmt.Sprintf(`<th scope="row" class="num">%d</th>`, se.Line), repEsc(se.Msg), `id="iati-errors"`)
	_, after, _ := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if after != before {
		t.Errorf("a refused file changed the projects: %d before, %d after", before, after)
	}
	c.get("/iati").must(t, http.StatusOK).contains(t, "Not imported")
}

// TestIATIValidate checks a file without importing it, as a viewer who
// may not import.
func TestIATIValidate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	c.get("/iati/validate").must(t, http.StatusOK).contains(t, `enctype="multipart/form-data"`, `name="file"`)
	file, err := os.ReadFile("/work/shared/iati/samples/annotated-example-2.03.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, before, _ := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	res := iatiSend(c, "/iati/validate", "example.xml", file, nil).must(t, http.StatusSeeOther)
	page := iatiWait(t, c, res.Location)
	v, _ := validate.New(validate.Options{})
	want, err := v.Validate(bytes.NewReader(file), "example.xml")
	if err != nil {
		t.Fatal(err)
	}
	page.contains(t, "Validation report", fmt.Sprintf(`<dd id="validation-activities">%d</dd>`, want.Activities))
	if got := len(iatiProblemRows.FindAllString(page.Body, -1)); got != len(want.Problems) {
		t.Errorf("%d problems listed, the validator finds %d", got, len(want.Problems))
	}
	if strings.Contains(page.Body, `id="iati-activities"`) {
		t.Error("a validation shows an import summary")
	}
	_, after, _ := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if after != before {
		t.Errorf("validating changed the projects: %d before, %d after", before, after)
	}
}

func TestIATIUploadProblems(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleAdmin)
	iatiSend(c, "/iati/imports", "", nil, url.Values{"unit": {""}}).must(t, http.StatusUnprocessableEntity).
		contains(t, `id="file-error"`, "choose an IATI XML file")
	iatiSend(c, "/iati/imports", "empty.xml", nil, nil).must(t, http.StatusUnprocessableEntity).
		contains(t, `id="file-error"`, "empty.xml is empty")
	iatiSend(c, "/iati/imports", "a.xml", []byte("<iati-activities/>"), url.Values{"unit": {"NO-SUCH-UNIT"}}).must(t, http.StatusUnprocessableEntity).
		contains(t, `id="unit-error"`, "NO-SUCH-UNIT")
	iatiSend(c, "/iati/validate", "", nil, nil).must(t, http.StatusUnprocessableEntity).contains(t, `id="file-error"`)
	// Not a multipart form at all.
	c.post("/iati/imports", url.Values{"file": {"x"}}).must(t, http.StatusUnprocessableEntity).contains(t, `id="file-error"`)
}

func TestIATIPermissions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	file := []byte(`<?xml version="1.0"?><iati-activities version="2.03"></iati-activities>`)
	mobiliser, viewer, admin := a.as(tcmis.RoleResourceMobiliser), a.as(tcmis.RoleViewer), a.as(tcmis.RoleAdmin)
	res := iatiSend(mobiliser, "/iati/imports", "empty-set.xml", file, nil).must(t, http.StatusSeeOther)
	iatiWait(t, mobiliser, res.Location)
	// Another user may not follow it; an administrator may.
	viewer.get(res.Location).must(t, http.StatusNotFound)
	viewer.get(res.Location+"/progress").must(t, http.StatusNotFound)
	a.as(tcmis.RoleEvaluationOfficer).get(res.Location).must(t, http.StatusNotFound)
	admin.get(res.Location).must(t, http.StatusOK).contains(t, "empty-set.xml")
	if strings.Contains(viewer.get("/iati").Body, "empty-set.xml") {
		t.Error("another user's import is listed")
	}
	admin.get("/iati").must(t, http.StatusOK).contains(t, "empty-set.xml")
	admin.get("/iati/imports/nosuchjob").must(t, http.StatusNotFound)

	// A viewer may read and validate but not import; a donor viewer sees
	// nothing of IATI.
	viewer.get("/iati").must(t, http.StatusOK)
	if strings.Contains(viewer.get("/iati").Body, `action="/iati/imports"`) {
		t.Error("the import form is offered to a viewer")
	}
	iatiSend(viewer, "/iati/imports", "x.xml", file, nil).must(t, http.StatusForbidden)
	donor := a.as(tcmis.RoleDonorViewer)
	for _, path := range []string{"/iati", "/iati/validate", "/iati/export.xml", res.Location, res.Location + "/progress"} {
		donor.get(path).must(t, http.StatusForbidden)
	}
	iatiSend(donor, "/iati/validate", "x.xml", file, nil).must(t, http.StatusForbidden)
	if res := a.client().get("/iati"); res.Status != http.StatusSeeOther {
		t.Errorf("a visitor gets %d", res.Status)
	}
}

func TestIATIExport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(tcmis.RoleViewer)
	res := c.get("/iati/export.xml").must(t, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Errorf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="tcmis-iati-`) {
		t.Errorf("content disposition %q", cd)
	}
	_, projects, err := a.DB.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	activities, root := 0, ""
	d := xml.NewDecoder(strings.NewReader(res.Body))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the export is not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "iati-activity" {
				activities++
			}
		}
	}
	if root != "iati-activities" || activities != projects {
		t.Errorf("the export is <%s> with %d activities, want <iati-activities> with one per project (%d)", root, activities, projects)
	}
	if !strings.Contains(res.Body, `ref="XM-DAC-41302"`) {
		t.Error("the export is not reported by the ILO by default")
	}

	// Another reporting organisation, from the donor list.
	orgs, _, err := a.DB.FindOrganisations(context.Background(), tcmis.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ref string
	for _, o := range orgs {
		if o.Ref != "" && o.Ref != "XM-DAC-41302" {
			ref = o.Ref
			break
		}
	}
	if ref == "" {
		t.Fatal("no organisation of the demo has an IATI identifier")
	}
	// The reporting organisation comes first: read only the start.
	req, _ := http.NewRequest(http.MethodGet, c.base+"/iati/export.xml?org="+url.QueryEscape(ref), nil)
	hr, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	start, _ := io.ReadAll(io.LimitReader(hr.Body, 64<<10))
	hr.Body.Close()
	if hr.StatusCode != http.StatusOK || !strings.Contains(string(start), `ref="`+repEsc(ref)+`"`) {
		t.Errorf("export for %s: status %d, the start lacks the reporting organisation:\n%.2000s", ref, hr.StatusCode, start)
	}
	c.get("/iati/export.xml?org=XX-NOBODY").must(t, http.StatusUnprocessableEntity).contains(t, "XX-NOBODY")
}

// TestIATIRunsKept: an import's report is recorded with its run, so that
// once the server has restarted (its jobs gone from memory) the list and
// the report are still there for the user who sent the file and for
// administrators, and a run the server stopped says so.
func TestIATIRunsKept(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mobiliser := a.as(tcmis.RoleResourceMobiliser)
	file, err := os.ReadFile(iomSample)
	if err != nil {
		t.Fatal(err)
	}
	res := iatiSend(mobiliser, "/iati/imports", "iom-2.03.xml", file, url.Values{"unit": {""}}).must(t, http.StatusSeeOther)
	iatiWait(t, mobiliser, res.Location).contains(t, `<dd id="iati-activities">577</dd>`, "Imported")

	// A run the server stopped: recorded as it started, never ended.
	ctx := context.Background()
	users, _, err := a.DB.FindUsers(ctx, tcmis.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var owner int64
	for _, u := range users {
		if u.Role == tcmis.RoleResourceMobiliser {
			owner = u.ID
		}
	}
	cut := &tcmis.IATIRun{Kind: tcmis.IATIRunImport, File: "cut-short.xml", Bytes: 10, UserID: owner}
	if err := a.DB.CreateIATIRun(ctx, cut); err != nil {
		t.Fatal(err)
	}

	// The same database under a new server: nothing in memory.
	b := startApp(t, a.Path)
	mobiliser, admin, viewer := b.as(tcmis.RoleResourceMobiliser), b.as(tcmis.RoleAdmin), b.as(tcmis.RoleViewer)
	for _, c := range []*client{mobiliser, admin} {
		page := c.get(res.Location).must(t, http.StatusOK)
		page.contains(t, `<dd id="iati-activities">577</dd>`, `<dd id="validation-activities">577</dd>`, "Imported", "iom-2.03.xml")
		if n := len(iatiProblemRows.FindAllString(page.Body, -1)); n == 0 {
			t.Error("the kept report lists no problems")
		}
		list := c.get("/iati").must(t, http.StatusOK)
		list.contains(t, `href="`+res.Location+`"`, "iom-2.03.xml", "cut-short.xml", "Interrupted")
		c.get(fmt.Sprintf("/iati/imports/%d", cut.ID)).must(t, http.StatusOK).contains(t, "The server stopped before this work ended")
		progress := c.get(res.Location+"/progress").must(t, http.StatusOK)
		if !strings.Contains(progress.Body, `"finished":true`) {
			t.Errorf("progress of a kept run: %s", progress.Body)
		}
	}
	// Another user sees neither the runs nor their reports.
	viewer.get(res.Location).must(t, http.StatusNotFound)
	viewer.get(res.Location+"/progress").must(t, http.StatusNotFound)
	if strings.Contains(viewer.get("/iati").must(t, http.StatusOK).Body, "iom-2.03.xml") {
		t.Error("another user's import is listed")
	}
}
