package httpx

import (
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// Status maps an application error to its HTTP status.
func Status(err error) int {
	switch tcmis.ErrorCode(err) {
	case "":
		return http.StatusOK
	case tcmis.EINVALID:
		return http.StatusUnprocessableEntity
	case tcmis.ENOTFOUND:
		return http.StatusNotFound
	case tcmis.ECONFLICT:
		return http.StatusConflict
	case tcmis.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// ContentSecurityPolicy allows scripts, styles and pictures from the
// application itself only: no inline script or style, no frames, forms
// posting nowhere else.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// Secure sets the security headers of every response, and HSTS when the
// application is served over HTTPS.
func Secure(https bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Log writes one line per request at debug level, server errors at error
// level, and turns a panic into a 500 with the stack in the log.
func Log(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "Internal error.", http.StatusInternalServerError)
				}
			}
			level := slog.LevelDebug
			if sw.status >= 500 {
				level = slog.LevelError
			}
			logger.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "bytes", sw.size, "ms", strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 1, 64))
		}()
		next.ServeHTTP(sw, r)
	})
}

// ClientAddress is the address the request came from: the first hop of
// X-Forwarded-For when trustProxy says a reverse proxy sets it, else the
// connection's remote address.
func ClientAddress(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ETag is the entity tag of a record at a version; IfMatch reads the
// version a client says it edited, from an If-Match header. ok is false
// when the header is absent; an unreadable header is an EINVALID error.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func IfMatch(r *http.Request) (version int, ok bool, err error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, false, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.Atoi(strings.Trim(h, `"`))
	if err != nil || v < 1 {
		return 0, false, tcmis.Errorf(tcmis.EINVALID, "If-Match %q is not an entity tag this server gave (it looks like \"3\")", r.Header.Get("If-Match"))
	}
	return v, true, nil
}
