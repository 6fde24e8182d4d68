package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func iatiMultipart(t *testing.T, filename string, content []byte, fields map[string]string) *http.Request {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/iati/imports", &b)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

// TestReceiveUpload checks that an upload lands in a folder of its own,
// under its name cleaned of any path, and is gone once removed.
func TestReceiveUpload(t *testing.T) {
	for _, tc := range []struct{ name, saved string }{
		{"activities.xml", "activities.xml"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\ada\my file.xml`, "my_file.xml"},
		{"..", "upload.xml"},
	} {
		content := []byte("<iati-activities/>")
		up, fields, err := receiveUpload(httptest.NewRecorder(), iatiMultipart(t, tc.name, content, map[string]string{"unit": "IPEC"}))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if filepath.Base(up.path) != tc.saved || filepath.Dir(up.path) != up.dir || !strings.HasPrefix(up.dir, os.TempDir()) {
			t.Errorf("%s saved as %s", tc.name, up.path)
		}
		if b, err := os.ReadFile(up.path); err != nil || !bytes.Equal(b, content) || up.size != int64(len(content)) {
			t.Errorf("%s: saved %q (%d bytes), %v", tc.name, b, up.size, err)
		}
		if fields.Get("unit") != "IPEC" {
			t.Errorf("fields %v", fields)
		}
		up.remove()
		if _, err := os.Stat(up.dir); !os.IsNotExist(err) {
			t.Errorf("%s: the upload's folder is left behind: %v", tc.name, err)
		}
	}
	_, _, err := receiveUpload(httptest.NewRecorder(), iatiMultipart(t, "empty.xml", nil, nil))
	if ps := tcmis.ErrorProblems(err); len(ps) != 1 || ps[0].Field != "file" || !strings.Contains(ps[0].Message, "empty") {
		t.Errorf("an empty file: %v", err)
	}
	tooBig := uploadError(&http.MaxBytesError{Limit: maxIATIUpload}, func(msg string) error {
		return tcmis.Errorf(tcmis.EINVALID, "%s", msg)
	})
	if !strings.Contains(tcmis.ErrorMessage(tooBig), "1 GB") {
		t.Errorf("a file too large: %v", tooBig)
	}
}

// TestIATIJobRunning shows a job's page while it runs: a progress bar
// that polls its progress, and no report yet.
func TestIATIJobRunning(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	hold := make(chan struct{})
	defer close(hold)
	owner := &tcmis.User{ID: 3, Name: "Owner", Role: tcmis.RoleResourceMobiliser}
	j := s.jobs.start(context.Background(), "", owner.ID, jobImport, "big.xml", func(ctx context.Context, j *job) (any, error) {
		j.progress(250, 1000, "Importing the activities")
		<-hold
		return nil, nil
	})
	for j.status().Total == 0 {
		time.Sleep(time.Millisecond) // until the job reports
	}
	r := httptest.NewRequest(http.MethodGet, "/iati/imports/"+j.ID, nil)
	r.SetPathValue("job", j.ID)
	w := httptest.NewRecorder()
	if err := s.iatiJob(w, r, owner); err != nil {
		t.Fatal(err)
	}
	body := w.Body.String()
	for _, want := range []string{`data-job="/iati/imports/` + j.ID + `/progress"`, `<progress id="job-progress" max="1000" value="250">`, "data-job-text", "Importing the activities", "big.xml"} {
		if !strings.Contains(body, want) {
			t.Errorf("the running job's page lacks %q", want)
		}
	}
	if strings.Contains(body, "Validation report") {
		t.Error("a running job shows a report")
	}
	other := &tcmis.User{ID: 4, Role: tcmis.RoleViewer}
	if err := s.iatiJob(httptest.NewRecorder(), r, other); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		t.Errorf("another user sees the job: %v", err)
	}
}
