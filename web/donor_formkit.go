package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// The forms of the portfolio reference screens (donors, agreements,
// country programmes, the results framework, evaluations and lessons)
// share these helpers: a form is shown from url.Values (the record's on
// GET, the submitted ones when it comes back with problems), read into a
// domain value field by field, and checked by the domain's Validate.

// refOption is one choice of a select. Label is English text, translated
// by the template unless Raw (names of donors, countries, ...).
type refOption struct {
	Value, Label string
	Raw          bool
}

// refForm reads a submitted form into domain values and notes each
// field it cannot read under the field name the domain's Validate uses,
// so that the form shows every problem at once.
type refForm struct {
	r  *http.Request
	ps []tcmis.Problem
}

func readRefForm(r *http.Request) (*refForm, error) {
	if err := r.ParseForm(); err != nil {
		return nil, tcmis.Errorf(tcmis.EINVALID, "the form could not be read: %v", err)
	}
	return &refForm{r: r}, nil
}

func (f *refForm) bad(field, format string, args ...any) {
	f.ps = append(f.ps, tcmis.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// text is a field with its surrounding spaces removed.
func (f *refForm) text(name string) string { return strings.TrimSpace(f.r.PostFormValue(name)) }

// id reads a record number; empty is 0.
func (f *refForm) id(name string) int64 {
	v := f.text(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		f.bad(name, "%q is not a record number", v)
		return 0
	}
	return n
}

// integer reads a whole number; empty is 0.
func (f *refForm) integer(name string) int {
	v := f.text(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.bad(name, "%q is not a whole number", v)
		return 0
	}
	return n
}

// date reads a day written YYYY-MM-DD; empty is the zero time.
func (f *refForm) date(name string) time.Time {
	v := f.text(name)
	if v == "" {
		return time.Time{}
	}
	t, err := tcmis.ParseDate(v)
	if err != nil {
		f.bad(name, "%v", err)
	}
	return t
}

// amount reads money in a currency's minor units; empty is 0.
func (f *refForm) amount(name, currency string) int64 {
	v := f.text(name)
	if v == "" {
		return 0
	}
	if currency == "" {
		currency = tcmis.USD
	}
	n, err := tcmis.ParseAmount(v, currency)
	if err != nil {
		f.bad(name, "%v", err)
	}
	return n
}

// usd reads US dollars as cents; empty is 0.
func (f *refForm) usd(name string) int64 { return f.amount(name, tcmis.USD) }

// decimal reads a quantity such as an indicator value; empty is 0.
func (f *refForm) decimal(name string) tcmis.Decimal {
	v := f.text(name)
	if v == "" {
		return 0
	}
	d, err := tcmis.ParseDecimal(v)
	if err != nil {
		f.bad(name, "%v", err)
	}
	return d
}

// version is the record's version the form was opened at.
func (f *refForm) version() int { return f.integer("version") }

// check validates the value read and returns the problems of the fields
// that could not be read together with those Validate finds in the
// others.
func (f *refForm) check(what string, validate func() error) error {
	err := validate()
	if len(f.ps) == 0 {
		return err
	}
	all := append([]tcmis.Problem(nil), f.ps...)
	seen := map[string]bool{}
	for _, p := range f.ps {
		seen[p.Field] = true
	}
	for _, p := range tcmis.ErrorProblems(err) {
		if !seen[p.Field] {
			all = append(all, p)
		}
	}
	return &tcmis.Error{Code: tcmis.EINVALID, Message: what + " is not valid", Problems: all}
}

// refFormAgain renders a form again after a save failed: invalid input with
// status 422, a stale edit with 409 and the conflict message. Any other
// error is returned to be rendered as the error page.
func (s *Server) refFormAgain(w http.ResponseWriter, r *http.Request, p *page, name string, err error) error {
	if err := formProblems(p, err); err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if tcmis.ErrorCode(err) == tcmis.ECONFLICT {
		status = http.StatusConflict
	}
	s.render(w, r, status, name, p)
	return nil
}

// saved tells the user the change was saved and shows the record
// (post/redirect/get).
func (s *Server) refSaved(w http.ResponseWriter, r *http.Request, msg, target string) error {
	s.flash(w, msg)
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// refQueryID reads an optional record number from the query; a malformed
// one is an EINVALID error naming the filter.
func refQueryID(q url.Values, key string) (*int64, error) {
	v := strings.TrimSpace(q.Get(key))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return nil, &tcmis.Error{Code: tcmis.EINVALID, Message: "the list's filters",
			Problems: []tcmis.Problem{{Field: key, Message: fmt.Sprintf("%q is not a record number", v)}}}
	}
	return &n, nil
}

// refListPage reads the page number of a list and returns it with the
// offset of its first row.
func refListPage(q url.Values) (page, offset int) {
	page = max(1, atoi(q.Get("page")))
	return page, (page - 1) * pageSize
}

func refPages(total int) int { return max(1, (total+pageSize-1)/pageSize) }

// refCategoryOptions are the donor categories for a select.
func refCategoryOptions() []refOption {
	var out []refOption
	for _, c := range tcmis.DonorCategories() {
		out = append(out, refOption{Value: string(c), Label: c.Label()})
	}
	return out
}

// refCountryOptions are every country the domain knows, by name.
func refCountryOptions() []refOption {
	var out []refOption
	for _, c := range tcmis.CountryCodes() {
		out = append(out, refOption{Value: c, Label: tcmis.CountryName(c), Raw: true})
	}
	return out
}

// refObjectiveOptions are the strategic objectives and reporting headings.
func refObjectiveOptions() []refOption {
	var out []refOption
	for _, o := range tcmis.Objectives() {
		out = append(out, refOption{Value: string(o), Label: o.Label()})
	}
	return out
}

// refUSDInput writes cents as a plain decimal for an input field.
func refUSDInput(cents int64) string {
	if cents == 0 {
		return ""
	}
	return tcmis.FormatAmount(cents, tcmis.USD)
}

// refDayInput writes a day for an input field; the zero time is empty.
func refDayInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(tcmis.DateLayout)
}

func refIntInput(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func refIDInput(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// refT translates a message for the request's language, outside a page
// (the flash message of a saved form).
func refT(r *http.Request, text string, args ...any) string {
	return (&page{Lang: language(r)}).T(text, args...)
}
