package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	textlang "golang.org/x/text/language"

	"github.com/tcmis/tcmis"
)

// Languages are the languages of the interface; English is the source
// text, and locales/fr.json and locales/es.json translate it.
var Languages = []struct{ Code, Name string }{
	{"en", "English"}, {"fr", "Français"}, {"es", "Español"},
}

var (
	catalogs = map[string]map[string]string{}
	matcher  = textlang.NewMatcher([]textlang.Tag{textlang.English, textlang.French, textlang.Spanish})
)

func init() {
	for _, l := range []string{"fr", "es"} {
		b, err := files.ReadFile("locales/" + l + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("web: locales/%s.json: %v", l, err))
		}
		catalogs[l] = m
	}
}

// translate returns text in the language, or the English text when the
// catalog lacks it (the tests make sure none is missing).
func translate(lang, text string) string {
	if t, ok := catalogs[lang][text]; ok && t != "" {
		return t
	}
	return text
}

const (
	langCookie  = "tcmis_lang"
	flashCookie = "tcmis_flash"
)

// language is the user's chosen language (a cookie), else the browser's
// preferred one among those of the interface.
func language(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		for _, l := range Languages {
			if c.Value == l.Code {
				return l.Code
			}
		}
	}
	tags, _, _ := textlang.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := matcher.Match(tags...)
	return Languages[i].Code
}

// setLanguage keeps the language chosen in the menu and goes back.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request, _ *tcmis.User) error {
	l := r.FormValue("lang")
	ok := false
	for _, x := range Languages {
		ok = ok || x.Code == l
	}
	if !ok {
		return tcmis.Errorf(tcmis.EINVALID, "%q is not a language of the interface", l)
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: s.cfg.HTTPS, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.FormValue("back"), "/"), http.StatusSeeOther)
	return nil
}

// localPath keeps a redirect on this site: only a path starting with a
// single slash is taken, anything else becomes def.
func localPath(p, def string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}

// flash keeps a one-line message for the next page the user sees.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.cfg.HTTPS, SameSite: http.SameSiteLaxMode})
}
