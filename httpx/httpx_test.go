package httpx_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/httpx"
)

func TestStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, 200},
		{tcmis.Errorf(tcmis.EINVALID, "x"), 422},
		{tcmis.Errorf(tcmis.ENOTFOUND, "x"), 404},
		{tcmis.Errorf(tcmis.ECONFLICT, "x"), 409},
		{tcmis.Errorf(tcmis.EFORBIDDEN, "x"), 403},
		{tcmis.Errorf(tcmis.EINTERNAL, "x"), 500},
		{errors.New("disk full"), 500},
	} {
		if got := httpx.Status(c.err); got != c.want {
			t.Errorf("Status(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestIfMatch(t *testing.T) {
	for _, c := range []struct {
		header  string
		version int
		ok, bad bool
	}{
		{"", 0, false, false},
		{`"3"`, 3, true, false},
		{`W/"12"`, 12, true, false},
		{`"0"`, 0, false, true},
		{`"abc"`, 0, false, true},
		{`*`, 0, false, true},
	} {
		r := httptest.NewRequest(http.MethodPut, "/", nil)
		if c.header != "" {
			r.Header.Set("If-Match", c.header)
		}
		v, ok, err := httpx.IfMatch(r)
		if v != c.version || ok != c.ok || (err != nil) != c.bad {
			t.Errorf("If-Match %q: %d %v %v", c.header, v, ok, err)
		}
		if err != nil && tcmis.ErrorCode(err) != tcmis.EINVALID {
			t.Errorf("If-Match %q: error code %s", c.header, tcmis.ErrorCode(err))
		}
	}
	if got := httpx.ETag(7); got != `"7"` {
		t.Errorf("ETag(7) = %s", got)
	}
}

func TestClientAddress(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.9:5555"
	r.Header.Set("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
	if got := httpx.ClientAddress(r, false); got != "10.0.0.9" {
		t.Errorf("without a trusted proxy: %s", got)
	}
	if got := httpx.ClientAddress(r, true); got != "203.0.113.7" {
		t.Errorf("behind a trusted proxy: %s", got)
	}
}

func TestSecureAndLog(t *testing.T) {
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	h := httpx.Log(logger, httpx.Secure(true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		w.Write([]byte("ok"))
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	for _, name := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Strict-Transport-Security", "X-Frame-Options"} {
		if rec.Header().Get(name) == "" {
			t.Errorf("no %s header", name)
		}
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/panic", nil))
	if rec.Code != 500 || !strings.Contains(logged.String(), "boom") {
		t.Errorf("a panic gave %d and logged %q", rec.Code, logged.String())
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Error("the panic's value reached the client")
	}
}
