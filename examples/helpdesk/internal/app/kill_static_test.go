package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdmin_KillMessages: killing a session says what happened: killed, no
// session selected (400), or already ended (404); only the first kills.
func TestAdmin_KillMessages(t *testing.T) {
	tests := []struct {
		name       string
		sid        func(victim *client) url.Values
		wantStatus int
		wantError  string
		killed     bool
	}{
		{"a live session", func(v *client) url.Values { return url.Values{"WantSessionID": {v.sid}} }, http.StatusSeeOther, "", true},
		{"no session ID", func(*client) url.Values { return url.Values{"WantSessionID": {""}} }, http.StatusBadRequest,
			"No session selected: nothing was killed.", false},
		{"no field at all", func(*client) url.Values { return nil }, http.StatusBadRequest,
			"No session selected: nothing was killed.", false},
		{"an unknown session", func(*client) url.Values { return url.Values{"WantSessionID": {strings.Repeat("f", 64)}} }, http.StatusNotFound,
			"That session had already ended: nothing was killed.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			admin, victim := h.login("admin"), h.login("agent")
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)
			p := admin.postT(path+"/sessions/kill", tt.sid(victim))
			require.Equal(t, tt.wantStatus, p.status)
			if tt.killed {
				assert.Equal(t, []string{"Session has been killed!"}, messages(admin.get(p.location).body, "Notice"))
				assert.Len(t, h.sessions(), 1)
				assertToLogin(t, victim.get("/"), "/login")
				return
			}
			assert.Equal(t, []string{tt.wantError}, messages(p.body, "Error"))
			assert.Empty(t, messages(p.body, "Notice"), "no success notice")
			assert.Contains(t, p.body, `id="ManageSessions"`, "the edit screen, with its sessions")
			assert.Len(t, h.sessions(), 2)
			assert.Equal(t, http.StatusOK, victim.get("/").status)
		})
	}

	t.Run("the same session twice", func(t *testing.T) {
		h := newHarness(t)
		admin, victim := h.login("admin"), h.login("agent")
		win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
		path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10) + "/sessions/kill"
		require.Equal(t, http.StatusSeeOther, admin.postT(path, url.Values{"WantSessionID": {victim.sid}}).status)
		p := admin.postT(path, url.Values{"WantSessionID": {victim.sid}})
		assert.Equal(t, http.StatusNotFound, p.status)
		assert.Equal(t, []string{"That session had already ended: nothing was killed."}, messages(p.body, "Error"))
	})
}

// TestStatic: /static/ serves its files and nothing else: no directory
// listing.
func TestStatic(t *testing.T) {
	tests := []struct {
		path       string
		wantStatus int
		wantType   string
	}{
		{"/static/style.css", http.StatusOK, "text/css; charset=utf-8"},
		{"/static/app.js", http.StatusOK, "text/javascript; charset=utf-8"},
		{"/static/", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/nope.css", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/style.css/", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static//", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/.", http.StatusNotFound, "text/html; charset=utf-8"},
	}
	h := newHarness(t)
	hc := &http.Client{} // follows redirects, as a browser does
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := hc.Get(h.srv.URL + tt.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantType, resp.Header.Get("Content-Type"))
			b := make([]byte, 4096)
			n, _ := resp.Body.Read(b)
			assert.NotContains(t, string(b[:n]), `<a href="style.css">`, "no listing")
		})
	}
}
