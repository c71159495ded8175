package middleware_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// lockoutBody is the JSON body of a 503.
type lockoutBody struct {
	Error      string `json:"error"`
	Message    string `json:"message"`
	RetryAfter int64  `json:"retry_after"`
	Until      string `json:"until"`
}

func TestLockout_RetryAfter(t *testing.T) {
	tests := []struct {
		name      string
		windows   []maintenance.Window
		now       time.Time
		wantRetry string
		wantUntil string
	}{
		{name: "one window, on the minute", windows: []maintenance.Window{window(at(12, 0), at(14, 0))}, now: at(12, 0), wantRetry: "7200", wantUntil: "2026-11-24T14:00:00Z"},
		{name: "rounded up", windows: []maintenance.Window{window(at(12, 0), at(14, 0))}, now: at(13, 0).Add(500 * time.Millisecond), wantRetry: "3600", wantUntil: "2026-11-24T14:00:00Z"},
		{name: "rounded up from a nanosecond", windows: []maintenance.Window{window(at(12, 0), at(14, 0))}, now: at(13, 0).Add(time.Nanosecond), wantRetry: "3600", wantUntil: "2026-11-24T14:00:00Z"},
		{name: "last millisecond is at least 1", windows: []maintenance.Window{window(at(12, 0), at(14, 0))}, now: at(14, 0).Add(-time.Millisecond), wantRetry: "1", wantUntil: "2026-11-24T14:00:00Z"},
		{
			name:    "touching windows are one stretch",
			windows: []maintenance.Window{window(at(12, 0), at(13, 0)), window(at(13, 0), at(13, 30))},
			now:     at(12, 15), wantRetry: "4500", wantUntil: "2026-11-24T13:30:00Z",
		},
		{
			name:    "overlapping chain of three",
			windows: []maintenance.Window{window(at(12, 0), at(13, 0)), window(at(12, 30), at(14, 0)), window(at(13, 45), at(15, 0))},
			now:     at(12, 10), wantRetry: "10200", wantUntil: "2026-11-24T15:00:00Z",
		},
		{
			name:    "a later window after a gap is not counted",
			windows: []maintenance.Window{window(at(12, 0), at(13, 0)), window(at(13, 1), at(15, 0))},
			now:     at(12, 59), wantRetry: "60", wantUntil: "2026-11-24T13:00:00Z",
		},
		{
			name:    "stop with milliseconds",
			windows: []maintenance.Window{window(at(12, 0), at(13, 0).Add(1500*time.Millisecond))},
			now:     at(13, 0), wantRetry: "2", wantUntil: "2026-11-24T13:00:01.5Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, tt.windows...)
			next := &okHandler{}
			req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
			req.Header.Set("Accept", "application/json")
			rec := serve(middleware.Lockout(m, nil)(next), req)

			require.Equal(t, http.StatusServiceUnavailable, rec.Code)
			assert.Equal(t, 0, next.calls)
			assert.Equal(t, tt.wantRetry, rec.Header().Get("Retry-After"))
			var body lockoutBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tt.wantRetry, strconv.FormatInt(body.RetryAfter, 10))
			assert.Equal(t, tt.wantUntil, body.Until)
		})
	}
}

func TestLockout_Negotiation(t *testing.T) {
	tests := []struct {
		accept   string
		wantJSON bool
	}{
		{accept: "", wantJSON: false},
		{accept: "*/*", wantJSON: false},
		{accept: "text/html", wantJSON: false},
		{accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", wantJSON: false}, // browsers
		{accept: "application/json", wantJSON: true},
		{accept: "Application/JSON", wantJSON: true},
		{accept: "application/json, text/plain, */*", wantJSON: true}, // axios: named beats the wildcard
		{accept: "application/problem+json", wantJSON: true},
		{accept: "application/vnd.api+json", wantJSON: true},
		{accept: "application/*", wantJSON: true},
		{accept: "text/html;q=0.5, application/json", wantJSON: true},
		{accept: "application/json;q=0.1, text/html", wantJSON: false},
		{accept: "application/json, text/html", wantJSON: false}, // a tie goes to HTML
		{accept: "application/json;q=0, */*", wantJSON: false},   // q=0 means not acceptable
		{accept: "text/*;q=0.2, application/json;q=0.3", wantJSON: true},
		{accept: "application/json;q=oops", wantJSON: false}, // a malformed range is ignored
		{accept: "application/json ; q=1.0 ; charset=utf-8", wantJSON: true},
		{accept: "text/plain", wantJSON: false},
		{accept: "application/json;q=0.0001", wantJSON: false}, // more than three decimals: not a qvalue
		{accept: "application/json;q=1e-1, text/html;q=0.05", wantJSON: false},
		{accept: "application/json;q=NaN", wantJSON: false},
		{accept: "application/json;q=1.001", wantJSON: false},
		{accept: "application/json;q=.5", wantJSON: false},
		{accept: "application/json;Q=0.5, text/html;q=0.4", wantJSON: true},
		{accept: "application/json;q=1., text/html;q=0.999", wantJSON: true},
		{accept: "application/json;q=0.5;q=0, text/html;q=0.4", wantJSON: true}, // the first q counts
		{accept: "application/json;charset=utf-8;q=0.9, text/html;q=0.8", wantJSON: true},
		{accept: `text/html;x="a,b;q=0", application/json;q=0.5`, wantJSON: false}, // quoted: no separators
		{accept: `text/html;x="a\"q=0", application/json;q=0.5`, wantJSON: false},
		{accept: `application/json;x="a;q=0", text/html;q=0.5`, wantJSON: true},
		{accept: "text/html;q=0, application/json;q=0.001", wantJSON: true},
		{accept: "application/json;q=0, text/html;q=0", wantJSON: false},
		{accept: "application/+json", wantJSON: false},
		{accept: "text/json", wantJSON: false},
		{accept: "APPLICATION/*", wantJSON: true},
		{accept: "text/html;q=0.9, application/xhtml+xml, application/json;q=0.95", wantJSON: false}, // xhtml is HTML
		{accept: "*/*;q=0.9, text/*;q=0.1, application/json;q=0.5", wantJSON: true},
		{accept: " \tapplication/json\t ", wantJSON: true},
		{accept: ",,application/json,,", wantJSON: true},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			rec := serve(middleware.Lockout(m, nil)(&okHandler{}), req)

			require.Equal(t, http.StatusServiceUnavailable, rec.Code)
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Equal(t, "5400", rec.Header().Get("Retry-After"))
			assert.Contains(t, rec.Header().Values("Vary"), "Accept")
			assert.Equal(t, strconv.Itoa(rec.Body.Len()), rec.Header().Get("Content-Length"))
			if tt.wantJSON {
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
				var body lockoutBody
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
				assert.Equal(t, lockoutBody{Error: "maintenance", Message: notify.DefaultActiveNotification, RetryAfter: 5400, Until: "2026-11-24T14:00:00Z"}, body)
				return
			}
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.True(t, strings.HasPrefix(rec.Body.String(), "<!DOCTYPE html>"))
			assert.Contains(t, rec.Body.String(), "<p>"+notify.DefaultActiveNotification+"</p>")
		})
	}
}

// The window's own message is shown escaped, in HTML and in JSON.
func TestLockout_EscapesMessage(t *testing.T) {
	w := window(at(12, 0), at(14, 0))
	w.NotifyMessage = `<script>alert("x")</script> & back at 14:00`
	m, _ := newManager(t, at(12, 30), w)
	h := middleware.Lockout(m, nil)(&okHandler{})

	rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.NotContains(t, rec.Body.String(), "<script>")
	assert.Contains(t, rec.Body.String(), "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; back at 14:00")

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept", "application/json")
	rec = serve(h, req)
	assert.NotContains(t, rec.Body.String(), "<script>")
	var body lockoutBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	assert.Equal(t, w.NotifyMessage, body.Message)
}

// The message is in the viewer's language.
func TestLockout_Viewer(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, &middleware.LockoutOptions{
		Viewer: func(*http.Request) (notify.Viewer, bool) { return agentViewer(t, "de_AT"), true },
	})(&okHandler{})
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Contains(t, rec.Body.String(), `<html lang="de-AT">`)
	assert.Contains(t, rec.Body.String(), "Wir führen planmäßige Wartungsarbeiten durch.")
}

func TestLockout_AllowRootAndEmpty(t *testing.T) {
	tests := []struct {
		name  string
		allow []string
		want  int
	}{
		{name: "root allows everything", allow: []string{"/"}, want: http.StatusOK},
		{name: "empty entries allow nothing", allow: []string{"", " "}, want: http.StatusServiceUnavailable},
		{name: "nil allows nothing", want: http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			h := middleware.Lockout(m, &middleware.LockoutOptions{Allow: tt.allow})(&okHandler{})
			assert.Equal(t, tt.want, serve(h, httptest.NewRequest(http.MethodGet, "/anything/at/all", nil)).Code)
		})
	}
}

func TestLockout_Admin(t *testing.T) {
	tests := []struct {
		name      string
		now       time.Time
		path      string
		admin     bool
		want      int
		wantAsked bool
	}{
		{name: "admin passes", now: at(12, 30), path: "/admin", admin: true, want: http.StatusOK, wantAsked: true},
		{name: "non-admin locked out", now: at(12, 30), path: "/admin", want: http.StatusServiceUnavailable, wantAsked: true},
		{name: "allowed path: admin check skipped", now: at(12, 30), path: "/login", want: http.StatusOK},
		{name: "outside a window: admin check skipped", now: at(10, 0), path: "/admin", want: http.StatusOK},
		{name: "upcoming: not locked", now: at(11, 45), path: "/admin", want: http.StatusOK},
		{name: "after the window", now: at(14, 0), path: "/admin", want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, window(at(12, 0), at(14, 0)))
			asked := false
			h := middleware.Lockout(m, &middleware.LockoutOptions{
				Allow:   []string{"/login"},
				IsAdmin: func(*http.Request) bool { asked = true; return tt.admin },
			})(&okHandler{})
			assert.Equal(t, tt.want, serve(h, httptest.NewRequest(http.MethodGet, tt.path, nil)).Code)
			assert.Equal(t, tt.wantAsked, asked, "IsAdmin asked")
		})
	}
}

// The same handler locks out during the window and lets everyone in once it
// has ended.
func TestLockout_WindowEnds(t *testing.T) {
	m, mock := newManager(t, at(11, 59), window(at(12, 0), at(14, 0)))
	next := &okHandler{}
	h := middleware.Lockout(m, nil)(next)
	get := func() int { return serve(h, httptest.NewRequest(http.MethodGet, "/", nil)).Code }

	assert.Equal(t, http.StatusOK, get())
	mock.Set(at(12, 0))
	assert.Equal(t, http.StatusServiceUnavailable, get())
	mock.Set(at(14, 0).Add(-time.Millisecond))
	assert.Equal(t, http.StatusServiceUnavailable, get())
	mock.Set(at(14, 0))
	assert.Equal(t, http.StatusOK, get())
	assert.Equal(t, 2, next.calls)
}

func TestLockout_Head(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, nil)(&okHandler{})
	get := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	head := serve(h, httptest.NewRequest(http.MethodHead, "/", nil))

	assert.Equal(t, http.StatusServiceUnavailable, head.Code)
	assert.Empty(t, head.Body.String())
	assert.Equal(t, get.Header(), head.Header(), "HEAD gets the headers of GET")
	assert.NotEqual(t, "0", head.Header().Get("Content-Length"))
}

// Every method is locked out alike.
func TestLockout_Methods(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, nil)(&okHandler{})
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		assert.Equal(t, http.StatusServiceUnavailable, serve(h, httptest.NewRequest(method, "/", nil)).Code, method)
	}
}

func TestLockout_PanicsOnNil(t *testing.T) {
	assert.PanicsWithValue(t, "middleware: Lockout: nil *maintenance.Manager", func() { middleware.Lockout(nil, nil) })
}

// FuzzLockout_Accept checks, for any Accept header, that the 503 is well
// formed, and JSON exactly when a reference negotiation built on
// mime.ParseMediaType prefers JSON to HTML (where the reference can parse
// the header: no quoted strings, every range a valid media type).
func FuzzLockout_Accept(f *testing.F) {
	for _, seed := range []string{
		"", "*/*", "application/json", "text/html;q=0.5, application/json", "application/*;q=0.3,text/*;q=0.3",
		";q=,,;", "application/json;q=1e400", "application/json;q=NaN", "application/json;q=0.0001",
		"Application/Problem+JSON;Q=0.9, text/html;q=0.8", `text/html;x="a,b;q=0", application/json;q=0.5`,
		"application/json;q=1;q=0", "application/+json", "text/html, application/json",
	} {
		f.Add(seed)
	}
	m, _ := newManager(f, at(12, 30), window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, nil)(&okHandler{})
	f.Fuzz(func(t *testing.T, accept string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept", accept)
		rec := serve(h, req)

		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		assert.Equal(t, "5400", rec.Header().Get("Retry-After"))
		isJSON := rec.Header().Get("Content-Type") == "application/json"
		if isJSON {
			var body lockoutBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, int64(5400), body.RetryAfter)
		} else {
			assert.True(t, strings.HasPrefix(rec.Body.String(), "<!DOCTYPE html>"))
		}
		if want, ok := refWantsJSON(accept); ok {
			assert.Equal(t, want, isJSON, "Accept: %q", accept)
		}
	})
}

// refWantsJSON is the negotiation written out another way: each range
// parsed by mime.ParseMediaType, its q checked against RFC 9110's qvalue
// grammar, then for JSON and for HTML the most specific matching ranges'
// highest q. ok is false when a range does not parse.
func refWantsJSON(accept string) (wantJSON, ok bool) {
	if strings.Contains(accept, `"`) {
		return false, false
	}
	qvalue := regexp.MustCompile(`^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$`)
	type best struct {
		q     float64
		level int
	}
	var js, hs best
	fold := func(b best, q float64, level int) best {
		if level == 0 || level < b.level {
			return b
		}
		if level > b.level || q > b.q {
			return best{q, level}
		}
		return b
	}
	for item := range strings.SplitSeq(accept, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		media, params, err := mime.ParseMediaType(item)
		if err != nil {
			return false, false
		}
		q := 1.0
		if v, set := params["q"]; set {
			if !qvalue.MatchString(v) {
				continue
			}
			q, _ = strconv.ParseFloat(v, 64)
		}
		jl, hl := 0, 0
		switch {
		case media == "*/*":
			jl, hl = 1, 1
		case media == "application/*":
			jl = 2
		case media == "text/*":
			hl = 2
		case media == "application/json", strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json") && media != "application/+json":
			jl = 3
		case media == "text/html", media == "application/xhtml+xml":
			hl = 3
		}
		js, hs = fold(js, q, jl), fold(hs, q, hl)
	}
	return js.q > hs.q || (js.q == hs.q && js.q > 0 && js.level > hs.level), true
}
