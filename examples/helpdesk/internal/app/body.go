package app

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"
)

// maxBody caps request bodies: no form here needs more than a few
// kilobytes.
const maxBody = 64 << 10

// msgTooLarge is the page of a request whose body is over maxBody.
const msgTooLarge = "The request is too large: a form may send at most 64 KiB. Nothing was saved."

// readForm caps every request body at maxBody and parses the form of every
// request but GET and HEAD before any handler runs, so that every handler
// (the login and the login gate's identify step included) reads a form that
// is complete, or is never called. A body over the cap is answered 413
// (Request Entity Too Large) at once when its Content-Length says so, and
// when reading it hits the cap otherwise; a form that cannot be parsed
// (bad percent-encoding, say) is answered 400. Handlers read the parsed
// form with r.PostFormValue or r.PostForm.
func (a *App) readForm(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			a.renderStatus(w, r, http.StatusRequestEntityTooLarge, msgTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				a.renderStatus(w, r, http.StatusRequestEntityTooLarge, msgTooLarge)
				return
			}
			a.renderStatus(w, r, http.StatusBadRequest, "The form could not be read. Reload the page and try again.")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// maxUserAgent bounds the User-Agent stored with a session, in bytes.
const maxUserAgent = 512

// clip returns s as valid UTF-8 (invalid bytes become U+FFFD) and at most
// n bytes long, cut on a character boundary: for client-sent text that is
// stored or logged.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
