package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// TestAPI: the JSON API at /api/ takes the configured bearer token, acts
// as its admin and never reads the session cookie; the feed opens to its
// key only, which survives a restart; the admin overview shows both.
func TestAPI(t *testing.T) {
	const token = "t0ken-for-tests"
	h := newHarness(t, func(c *app.Config) { c.APITokens = map[string]string{token: "admin"} })
	call := func(method, path, bearer, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := h.srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(b)
	}

	code, _ := call("GET", "/api/status", "", "")
	assert.Equal(t, http.StatusUnauthorized, code, "no token")
	code, _ = call("GET", "/api/status", "wrong", "")
	assert.Equal(t, http.StatusUnauthorized, code, "a wrong token")
	// The admin's session is no credential for the API.
	admin := h.login("admin")
	p := admin.get("/api/status")
	assert.Equal(t, http.StatusUnauthorized, p.status, "the session cookie opened the API")

	code, body := call("POST", "/api/down", token, `{"for_seconds": 1800, "comment": "Upgrade"}`)
	require.Equal(t, http.StatusCreated, code, body)
	var w httpapi.Window
	require.NoError(t, json.Unmarshal([]byte(body), &w))
	assert.Equal(t, "admin", w.CreatedBy, "the token acts as its admin")
	assert.True(t, h.app.Manager().Status().Active(), "the helpdesk's own Manager is in maintenance")
	code, body = call("GET", "/api/status", token, "")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"active":true`)

	// The feed: by its key, not by the token.
	code, _ = call("GET", "/api/calendar.ics", token, "")
	assert.Equal(t, http.StatusForbidden, code, "the feed wants its key")
	code, _ = call("GET", "/api/calendar.ics?key=wrong", "", "")
	assert.Equal(t, http.StatusForbidden, code)
	code, body = call("GET", h.app.FeedPath(), "", "")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "BEGIN:VCALENDAR")
	assert.Contains(t, body, "SUMMARY:Upgrade")

	// The overview tells the admin where both are.
	p = admin.get("/admin/maintenance/")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, h.app.FeedPath(), "the feed's URL")
	assert.Contains(t, p.body, "/api/openapi.json")

	// A restart keeps the feed's key: subscribed calendars keep working.
	again, err := app.New(app.Config{DB: app.SQLite(h.db), Clock: h.clock, PasswordIterations: 1000})
	require.NoError(t, err)
	assert.Equal(t, h.app.FeedPath(), again.FeedPath())

	// Without tokens the API is closed.
	closed := newHarness(t)
	req, err := http.NewRequestWithContext(context.Background(), "GET", closed.srv.URL+"/api/status", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := closed.srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
}
