package middleware_test

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/notify"
)

func TestLockout_Status(t *testing.T) {
	tests := []struct {
		status      int
		wantCode    int
		wantHeading string
	}{
		{status: 0, wantCode: http.StatusServiceUnavailable, wantHeading: "<h1>503 Service Unavailable</h1>"},
		{status: http.StatusOK, wantCode: http.StatusOK},
		{status: http.StatusUnavailableForLegalReasons, wantCode: 451, wantHeading: "<h1>451 Unavailable For Legal Reasons</h1>"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			h := middleware.Lockout(m, &middleware.LockoutOptions{Status: tt.status})(&okHandler{})
			rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Equal(t, "5400", rec.Header().Get("Retry-After"))
			assert.Contains(t, rec.Body.String(), "<p>"+notify.DefaultActiveNotification+"</p>")
			if tt.wantHeading == "" {
				assert.NotContains(t, rec.Body.String(), "<h1>")
			} else {
				assert.Contains(t, rec.Body.String(), tt.wantHeading)
			}

			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept", "application/json")
			rec = serve(h, req)
			assert.Equal(t, tt.wantCode, rec.Code, "JSON")
		})
	}
}

func TestLockout_RetryAfterDate(t *testing.T) {
	tests := []struct {
		name string
		stop time.Time
		now  time.Time
		want string
	}{
		{name: "whole second", stop: at(14, 0), now: at(12, 30), want: "Tue, 24 Nov 2026 14:00:00 GMT"},
		{name: "rounded up", stop: at(14, 0).Add(1500 * time.Millisecond), now: at(12, 30), want: "Tue, 24 Nov 2026 14:00:02 GMT"},
		{name: "last millisecond", stop: at(14, 0), now: at(14, 0).Add(-time.Millisecond), want: "Tue, 24 Nov 2026 14:00:00 GMT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, window(at(12, 0), tt.stop))
			h := middleware.Lockout(m, &middleware.LockoutOptions{RetryAfter: middleware.RetryAfterDate})(&okHandler{})
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept", "application/json")
			rec := serve(h, req)
			require.Equal(t, http.StatusServiceUnavailable, rec.Code)
			assert.Equal(t, tt.want, rec.Header().Get("Retry-After"))
			parsed, err := http.ParseTime(rec.Header().Get("Retry-After"))
			require.NoError(t, err)
			assert.False(t, parsed.Before(tt.stop), "a client retrying then finds the maintenance over")
			var body lockoutBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Positive(t, body.RetryAfter, "the JSON body keeps seconds")
		})
	}
}

// TestLockout_Page renders the host's page with the documented data and
// headers, at the configured status; JSON clients keep the documented
// body.
func TestLockout_Page(t *testing.T) {
	w := window(at(12, 0), at(14, 0))
	w.NotifyMessage = "Back at 14:00 <b>sharp</b>."
	w.LoginMessage = "Only admins may log in."
	w.ShowLoginMessage = true
	m, _ := newManager(t, at(12, 30), w)
	page := template.Must(template.New("").Parse(
		`<html lang="{{.Language}}"><h1>{{.Message}}</h1><p>{{.RetryAfter}}s, {{.RetryAfterHeader}}, {{.Until.Format "15:04"}}</p>` +
			`<p>{{.Texts.LoginRefused .Viewer}}</p>{{with .LoginMessage}}<p>{{.}}</p>{{end}}</html>`))
	var got middleware.LockoutPage
	h := middleware.Lockout(m, &middleware.LockoutOptions{
		Status:     http.StatusOK,
		RetryAfter: middleware.RetryAfterDate,
		Viewer:     func(*http.Request) (notify.Viewer, bool) { return agentViewer(t, "de_AT"), true },
		Page: func(w http.ResponseWriter, r *http.Request, p middleware.LockoutPage) {
			got = p
			msg, _ := p.Texts.LoginMessage(p.Status, p.Viewer)
			require.NoError(t, page.Execute(w, struct {
				middleware.LockoutPage
				LoginMessage string
			}{p, msg}))
		},
	})(&okHandler{})

	rec := serve(h, httptest.NewRequest(http.MethodGet, "/tickets", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "Tue, 24 Nov 2026 14:00:00 GMT", rec.Header().Get("Retry-After"))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	assert.Contains(t, rec.Header().Values("Vary"), "Accept")
	assert.Equal(t, `<html lang="de-AT"><h1>Back at 14:00 &lt;b&gt;sharp&lt;/b&gt;.</h1><p>5400s, Tue, 24 Nov 2026 14:00:00 GMT, 14:00</p>`+
		`<p>Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.</p><p>Only admins may log in.</p></html>`,
		rec.Body.String())

	assert.Equal(t, http.StatusOK, got.Code)
	assert.Equal(t, w.NotifyMessage, got.Message)
	assert.Equal(t, "de-AT", got.Language)
	assert.Equal(t, int64(5400), got.RetryAfter)
	assert.Equal(t, at(14, 0), got.Until)
	assert.Equal(t, notify.NoticeActive, got.Notice.Kind)
	assert.Equal(t, w.Comment, got.Notice.Window.Comment)
	assert.True(t, got.Status.Active())
	assert.Equal(t, "de_AT", got.Viewer.Language)
	assert.NotNil(t, got.Texts)

	req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
	req.Header.Set("Accept", "application/json")
	rec = serve(h, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	var body lockoutBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	assert.Equal(t, lockoutBody{Error: "maintenance", Message: w.NotifyMessage, RetryAfter: 5400, Until: "2026-11-24T14:00:00Z"}, body)
}

// The page's status code: the configured one on the first write, the
// Page's own when it calls WriteHeader, the configured one when it writes
// nothing.
func TestLockout_PageStatus(t *testing.T) {
	tests := []struct {
		name     string
		page     func(w http.ResponseWriter, r *http.Request, p middleware.LockoutPage)
		wantCode int
		wantBody string
	}{
		{name: "write", page: func(w http.ResponseWriter, _ *http.Request, _ middleware.LockoutPage) { io.WriteString(w, "down") }, wantCode: 503, wantBody: "down"},
		{name: "own code", page: func(w http.ResponseWriter, _ *http.Request, _ middleware.LockoutPage) {
			w.WriteHeader(http.StatusTeapot)
			w.WriteHeader(http.StatusOK) // ignored, as on net/http
			io.WriteString(w, "tea")
		}, wantCode: http.StatusTeapot, wantBody: "tea"},
		{name: "nothing", page: func(http.ResponseWriter, *http.Request, middleware.LockoutPage) {}, wantCode: 503},
		{name: "controller", page: func(w http.ResponseWriter, _ *http.Request, _ middleware.LockoutPage) {
			io.WriteString(w, "flushed")
			assert.NoError(t, http.NewResponseController(w).Flush(), "the writer unwraps")
		}, wantCode: 503, wantBody: "flushed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			rec := serve(middleware.Lockout(m, &middleware.LockoutOptions{Page: tt.page})(&okHandler{}), httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Equal(t, tt.wantBody, rec.Body.String())
		})
	}
}

// The page hook is a lockout option of Maintenance too, with the texts and
// the viewer of Maintenance's options.
func TestMaintenance_LockoutPage(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	texts := notify.New(&notify.Settings{ActiveNotification: "Custom text."})
	h := middleware.Maintenance(m, &middleware.Options{
		Texts:  texts,
		Viewer: func(*http.Request) (notify.Viewer, bool) { return agentViewer(t, "en"), true },
		Lockout: &middleware.LockoutOptions{Status: http.StatusOK, Page: func(w http.ResponseWriter, _ *http.Request, p middleware.LockoutPage) {
			assert.Same(t, texts, p.Texts)
			fmt.Fprintf(w, "%s|%s", p.Message, p.Viewer.Kind)
		}},
	})(&okHandler{})
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "Custom text.|agent", rec.Body.String())
}

func TestLockout_BadOptions(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	tests := []struct {
		name string
		o    middleware.LockoutOptions
		want string
	}{
		{name: "status 204", o: middleware.LockoutOptions{Status: 204}, want: "middleware: Lockout: Status 204 is not 200 or a code from 400 to 599"},
		{name: "status 302", o: middleware.LockoutOptions{Status: 302}, want: "middleware: Lockout: Status 302 is not 200 or a code from 400 to 599"},
		{name: "status 600", o: middleware.LockoutOptions{Status: 600}, want: "middleware: Lockout: Status 600 is not 200 or a code from 400 to 599"},
		{name: "status negative", o: middleware.LockoutOptions{Status: -1}, want: "middleware: Lockout: Status -1 is not 200 or a code from 400 to 599"},
		{name: "retry-after", o: middleware.LockoutOptions{RetryAfter: 7}, want: "middleware: Lockout: unknown RetryAfterFormat(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, func() { middleware.Lockout(m, &tt.o) })
		})
	}
	assert.Equal(t, "seconds", middleware.RetryAfterSeconds.String())
	assert.Equal(t, "date", middleware.RetryAfterDate.String())
	assert.True(t, strings.HasPrefix(middleware.RetryAfterFormat(-1).String(), "RetryAfterFormat("))
}
