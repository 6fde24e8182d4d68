package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/httpx"
)

// fail renders the error page with the error's status. Internal errors
// are logged and shown as a generic message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, u *tcmis.User, err error) {
	status := httpx.Status(err)
	if status == http.StatusInternalServerError {
		s.cfg.Logger.Error("web request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	title := map[int]string{
		http.StatusNotFound: "Not found", http.StatusForbidden: "Not allowed",
		http.StatusConflict: "Changed by someone else", http.StatusUnprocessableEntity: "Check your input",
		http.StatusInternalServerError: "Something went wrong",
	}[status]
	p := s.newPage(w, r, u, title, "", nil)
	var e *tcmis.Error
	message := p.T("An internal error occurred. It has been logged; please try again or tell your administrator.")
	if errors.As(err, &e) {
		message = e.Message
		if message == "" {
			message = e.Error()
		}
		p.Problems = map[string]string{}
		for _, pr := range e.Problems {
			p.Problems[pr.Field] = pr.Message
		}
	}
	p.Data = sentence(message)
	s.render(w, r, status, "error", p)
}

// notFound is the error for a record that does not exist or that the
// user may not see: the two look the same, so that a donor viewer cannot
// learn which projects exist.
func notFound(what string) error { return tcmis.Errorf(tcmis.ENOTFOUND, "there is no %s here", what) }

// sentence starts a message with a capital letter and ends it with a
// full stop, as the error page shows it.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// toSignIn sends a visitor who is not signed in to the sign-in page, and
// back to where they were going once signed in. On a new database with no
// user yet, it sends them to the first-run page.
func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request) {
	if s.firstRun(r) {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	target := "/signin"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// formProblems turns a validation error into messages by field for a form
// rendered again; any other error is returned to be rendered as a page.
func formProblems(p *page, err error) error {
	var e *tcmis.Error
	if !errors.As(err, &e) || (e.Code != tcmis.EINVALID && e.Code != tcmis.ECONFLICT) {
		return err
	}
	p.Error = e.Message
	p.Problems = map[string]string{}
	for _, pr := range e.Problems {
		if _, dup := p.Problems[pr.Field]; dup {
			p.Problems[pr.Field] += "; " + pr.Message
		} else {
			p.Problems[pr.Field] = pr.Message
		}
	}
	if p.Error == "" && len(e.Problems) > 0 {
		p.Error = p.T("Some fields need your attention.")
	}
	return nil
}
