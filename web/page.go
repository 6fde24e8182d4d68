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

// page is what every template receives: the signed-in user, the language,
// the page's own data, and the methods that translate and format for the
// user's language.
type page struct {
	Title string
	// Nav is the section of the menu the page belongs to.
	Nav   string
	User  *tcmis.User
	Lang  string
	Flash string
	// Path and Query are the request's, for links that keep filters.
	Path  string
	Query url.Values
	// Problems are the form's invalid fields, by field name.
	Problems map[string]string
	// Error is a message for the whole form.
	Error string
	Data  any
}

// newPage starts the page of a request.
// The message flashed by the previous action is shown once.
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, u *tcmis.User, title, nav string, data any) *page {
	p := &page{Nav: nav, User: u, Lang: language(r), Path: r.URL.Path, Query: r.URL.Query(), Data: data}
	p.Title = p.T(title)
	if c, err := r.Cookie(flashCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			p.Flash = v
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.HTTPS, SameSite: http.SameSiteLaxMode})
	}
	return p
}

// T translates an English text of the interface into the page's
// language; with arguments, the text is a format (fmt verbs).
func (p *page) T(text string, args ...any) string {
	t := translate(p.Lang, text)
	if len(args) > 0 {
		return fmt.Sprintf(t, args...)
	}
	return t
}

// Can reports whether the signed-in user holds a permission, to show or
// hide links and buttons (the routes check it again).
func (p *page) Can(perm string) bool { return p.User.Can(tcmis.Permission(perm)) }

// Int formats a whole number with the language's digit grouping.
func (p *page) Int(n any) string {
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	case int32:
		v = int64(x)
	default:
		return fmt.Sprint(n)
	}
	return p.group(strconv.FormatInt(v, 10))
}

// USD formats US cents as whole dollars, rounded half away from zero.
func (p *page) USD(cents int64) string {
	d := cents / 100
	if r := cents % 100; r >= 50 {
		d++
	} else if r <= -50 {
		d--
	}
	return p.Int(d)
}

// Amount formats money in its own currency, with its minor digits.
func (p *page) Amount(m tcmis.Money) string {
	return p.decimal(tcmis.FormatAmount(m.Amount, m.Currency)) + " " + m.Currency
}

// Percent formats a percentage with one decimal.
func (p *page) Percent(pc tcmis.Percent) string {
	v := int64(pc)
	neg := v < 0
	if neg {
		v = -v
	}
	tenths := (v + 5) / 10
	s := p.group(strconv.FormatInt(tenths/10, 10)) + p.point() + strconv.FormatInt(tenths%10, 10)
	if neg {
		s = "-" + s
	}
	if p.Lang == "en" {
		return s + "%"
	}
	return s + "\u00a0%"
}

// Date formats a day; the zero time is an empty string.
func (p *page) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(tcmis.DateLayout)
}

// Stamp formats a moment to the minute, in UTC.
func (p *page) Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// Month names a month in the page's language.
func (p *page) Month(m int) string {
	if m < 1 || m > 12 {
		return strconv.Itoa(m)
	}
	return p.T(time.Month(m).String())
}

// Link is the current page's address with some query values replaced
// (an empty value removes it), for sorting and paging links.
func (p *page) Link(kv ...string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}

// Problem is the message for one form field, if it is invalid.
func (p *page) Problem(field string) string { return p.Problems[field] }

func (p *page) point() string {
	if p.Lang == "en" {
		return "."
	}
	return ","
}

func (p *page) separator() string {
	switch p.Lang {
	case "fr":
		return "\u202f"
	case "es":
		return "."
	}
	return ","
}

// group puts the language's thousands separator into a string of digits
// with an optional sign.
func (p *page) group(digits string) string {
	sign := ""
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	if len(digits) <= 3 {
		return sign + digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(p.separator())
		}
		b.WriteString(digits[i : i+3])
	}
	return sign + b.String()
}

// decimal regroups a plain decimal such as "-1234.56".
func (p *page) decimal(s string) string {
	whole, frac, ok := strings.Cut(s, ".")
	out := p.group(whole)
	if ok {
		out += p.point() + frac
	}
	return out
}

// Languages lists the languages of the interface for the menu.
func (p *page) Languages() []struct{ Code, Name string } { return Languages }
