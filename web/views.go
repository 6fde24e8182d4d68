package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/tcmis/tcmis"
)

//go:embed templates static locales
var files embed.FS

// views holds the parsed pages and the assets. Each page is the layout
// and the partials with the page's own "title" and "content".
type views struct {
	pages  map[string]*template.Template
	assets map[string]*asset // by logical name ("app.css")
	hashed map[string]*asset // by served name ("app.1a2b3c4d.css")
}

type asset struct {
	name, served, ctype string
	body                []byte
}

func loadViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}, assets: map[string]*asset{}, hashed: map[string]*asset{}}
	names, err := fs.Glob(files, "static/*")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		body, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		base := path.Base(n)
		ext := path.Ext(base)
		a := &asset{name: base, served: strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:4]) + ext, ctype: mime.TypeByExtension(ext), body: body}
		v.assets[a.name], v.hashed[a.served] = a, a
	}
	base := template.New("layout").Funcs(v.funcs())
	if _, err := base.ParseFS(files, "templates/layout.html", "templates/partials/*.html"); err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	pages, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, p)
		if err != nil {
			return nil, fmt.Errorf("web template %s: %w", p, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

// funcs are the helpers that do not depend on the request; those that do
// (translation, number formats) are methods of page.
func (v *views) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) {
			a, ok := v.assets[name]
			if !ok {
				return "", fmt.Errorf("no asset %q", name)
			}
			return "/static/" + a.served, nil
		},
		"svg":         func(b []byte) template.HTML { return template.HTML(b) }, // charts made by package chart: no scripts, no styles
		"add":         func(a, b int) int { return a + b },
		"countryName": tcmis.CountryName,
		"list":        func(xs ...any) []any { return xs },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m, nil
		},
	}
}

// render writes a page. It renders into a buffer first, so that a template
// error becomes a clean 500 and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.views.pages[name]
	if !ok {
		s.cfg.Logger.Error("no such page template", "page", name)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		s.cfg.Logger.Error("rendering page", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// asset serves an embedded file under its content-hash name, to be kept
// by browsers for a year.
func (s *Server) asset(w http.ResponseWriter, r *http.Request, _ *tcmis.User) error {
	a, ok := s.views.hashed[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return nil
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.body)
	return nil
}
