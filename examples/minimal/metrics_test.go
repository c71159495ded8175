package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/notify"
)

// TestMetrics: /metrics graphs the lockout's refusals for a Prometheus on
// this machine, stays open during the window, and is refused to others.
func TestMetrics(t *testing.T) {
	m := duringWindow(t)
	h := newHandler(m, notify.New(nil), "", lockoutOptions("", nil))

	get := func(path, from string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = from
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for range 2 {
		assert.Equal(t, http.StatusServiceUnavailable, get("/", "192.0.2.7:40000").Code)
	}
	assert.Equal(t, http.StatusForbidden, get("/metrics", "192.0.2.7:40000").Code, "not from this machine")
	for _, from := range []string{"127.0.0.1:40000", "[::1]:40000"} {
		rec := get("/metrics", from)
		require.Equal(t, http.StatusOK, rec.Code, "open during the window, from %s", from)
		assert.Contains(t, rec.Body.String(), "sysmaint_maintenance_active 1\n")
		assert.Contains(t, rec.Body.String(), "sysmaint_lockout_refused_total 2\n")
	}
}
