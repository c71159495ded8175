package middleware_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/notify"
)

// A locked-out request allocates nothing of its own, as HTML or JSON, for
// an anonymous viewer and a German one, with Lockout and Maintenance:
// what remains is net/http's (its header map, its copy of it).
func TestLockout_NoAllocs(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	viewers := map[string]middleware.ViewerFunc{
		"anonymous": nil,
		"de_AT":     func(*http.Request) (notify.Viewer, bool) { return agentViewer(t, "de_AT"), true },
	}
	trivial := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("next called") })
	for name, viewer := range viewers {
		hosts := map[string]http.Handler{
			"lockout": middleware.Lockout(m, &middleware.LockoutOptions{Allow: []string{"/login"}, Viewer: viewer})(trivial),
			"maintenance": middleware.Maintenance(m, &middleware.Options{Viewer: viewer,
				Lockout: &middleware.LockoutOptions{Allow: []string{"/login"}}})(trivial),
		}
		for host, h := range hosts {
			for _, accept := range []string{"text/html", "application/json"} {
				req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
				req.Header.Set("Accept", accept)
				w := stringHeaderWriter{headerWriter{h: http.Header{}}}
				allocs := testing.AllocsPerRun(100, func() {
					clear(w.h)
					h.ServeHTTP(w, req)
				})
				assert.Zero(t, allocs, "%s, %s, %s", name, host, accept)
			}
		}
	}
}

// A window changed through the Manager shows in the next 503 at once.
func TestLockout_ChangedWindow(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, nil)(&okHandler{})
	get := func() lockoutBody {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept", "application/json")
		rec := serve(h, req)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		var body lockoutBody
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		return body
	}
	assert.Equal(t, notify.DefaultActiveNotification, get().Message)

	st := m.Status()
	w, ok := st.Window()
	require.True(t, ok)
	w.NotifyMessage = "Back at three."
	w.Stop = at(15, 0)
	_, err := m.Update(ctx, w, "admin")
	require.NoError(t, err)
	body := get()
	assert.Equal(t, "Back at three.", body.Message)
	assert.Equal(t, "2026-11-24T15:00:00Z", body.Until)
	assert.Equal(t, int64(9000), body.RetryAfter)
}
