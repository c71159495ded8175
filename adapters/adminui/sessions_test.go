package adminui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/session"
)

// addSession logs a user in, as far as the session store knows.
func (h *harness) addSession(id, login string, kind session.Kind) {
	h.t.Helper()
	_, err := h.sessions.Add(context.Background(), session.Session{ID: id, Kind: kind, UserLogin: login, UserFullName: strings.ToUpper(login)})
	require.NoError(h.t, err)
}

func TestSessions(t *testing.T) {
	h := newHarness(t)
	h.addSession("agent-1", "agent", session.Agent)
	h.addSession("agent-2", "agent", session.Agent)
	h.addSession("customer-1", "customer", session.Customer)
	c := h.as("alice")
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	path := windowPath(win.ID)

	p := c.get(path)
	require.Equal(t, http.StatusOK, p.status)
	count := func(body, id string) string { s, _ := textOf(body, id); return s }
	assert.Equal(t, "7", count(p.body, "AllSessions"))
	assert.Equal(t, "5", count(p.body, "UniqueAgents"), "the four admins and agent")
	assert.Equal(t, "1", count(p.body, "UniqueCustomers"))
	assert.Len(t, rowsOf(p.body, "AgentSessions"), 6)
	assert.Len(t, rowsOf(p.body, "CustomerSessions"), 1)
	assert.Equal(t, 7, strings.Count(p.body, `class="KillSession"`))
	var own string
	for _, r := range rowsOf(p.body, "AgentSessions") {
		if strings.Contains(r, `value="session-of-alice"`) {
			own = r
		} else {
			assert.NotContains(t, r, "(your session)")
		}
	}
	assert.Contains(t, own, `class="Own"`)
	assert.Contains(t, own, "(your session)")
	assert.Contains(t, own, "session-of-alice")

	// Kill one.
	p = c.postT(path+"/sessions/kill", url.Values{"WantSessionID": {"agent-1"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, path+"?Kill=1", p.location)
	p = c.get(p.location)
	assert.Equal(t, []string{"Session has been killed!"}, messages(p.body, "Notice"))
	assert.NotContains(t, h.sessionIDs(), "agent-1")
	assert.Contains(t, h.sessionIDs(), "agent-2", "the other session of the same user lives")

	// Kill all except own: the own session comes from Options.Admin,
	// whatever the form says.
	p = c.postT(path+"/sessions/killall", url.Values{"WantSessionID": {"agent-2"}, "SessionID": {"agent-2"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, path+"?KillAll=1", p.location)
	assert.Equal(t, []string{"session-of-alice"}, h.sessionIDs())
	p = c.get(p.location)
	assert.Equal(t, []string{"All sessions have been killed, except for your own."}, messages(p.body, "Notice"))
	assert.Equal(t, "1", count(p.body, "AllSessions"))
	assert.Contains(t, p.body, "No data found.", "no customer sessions left")

	// Killing one's own session works too.
	assert.Equal(t, http.StatusSeeOther, c.postT(path+"/sessions/kill", url.Values{"WantSessionID": {"session-of-alice"}}).status)
	assert.Empty(t, h.sessionIDs())
}

// TestSessions_NoOwnSession: an admin whose session the host does not
// know cannot kill all: the button is disabled and says why, and a post
// kills nothing.
func TestSessions_NoOwnSession(t *testing.T) {
	for _, sid := range []string{"", "session-that-ended"} {
		t.Run("SessionID="+sid, func(t *testing.T) {
			h := newHarness(t)
			h.admins["nosession"] = &adminui.Admin{Actor: "nosession", SessionID: sid}
			c := h.as("nosession")
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			before := h.sessionIDs()
			if sid == "" {
				p := c.get(windowPath(win.ID))
				_, disabled := attr(p.body, "KillAllSessions", "disabled")
				assert.True(t, disabled)
				why, _ := textOf(p.body, "KillAllDisabled")
				assert.Equal(t, "Your own session is not known, so it could not be spared: nothing was killed.", why)
			}
			p := c.postT(windowPath(win.ID)+"/sessions/killall", nil)
			assert.Equal(t, http.StatusConflict, p.status)
			assert.Equal(t, []string{"Your own session is not known, so it could not be spared: nothing was killed."}, messages(p.body, "Error"))
			assert.Equal(t, before, h.sessionIDs(), "nothing killed")
		})
	}
}

// TestKillMessages: killing a session says what happened: killed, no
// session selected (400), or already ended (404); only the first kills.
func TestKillMessages(t *testing.T) {
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantError  string
		killed     bool
	}{
		{"a live session", url.Values{"WantSessionID": {"victim"}}, http.StatusSeeOther, "", true},
		{"no session ID", url.Values{"WantSessionID": {""}}, http.StatusBadRequest, "No session selected: nothing was killed.", false},
		{"no field at all", nil, http.StatusBadRequest, "No session selected: nothing was killed.", false},
		{"an unknown session", url.Values{"WantSessionID": {strings.Repeat("f", 64)}}, http.StatusNotFound,
			"That session had already ended: nothing was killed.", false},
		{"a session ID no store can hold", url.Values{"WantSessionID": {strings.Repeat("f", 4000)}}, http.StatusNotFound,
			"That session had already ended: nothing was killed.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.addSession("victim", "agent", session.Agent)
			c := h.as("alice")
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			before := len(h.sessionIDs())
			p := c.postT(windowPath(win.ID)+"/sessions/kill", tt.form)
			require.Equal(t, tt.wantStatus, p.status)
			if tt.killed {
				assert.Equal(t, []string{"Session has been killed!"}, messages(c.get(p.location).body, "Notice"))
				assert.Len(t, h.sessionIDs(), before-1)
				return
			}
			assert.Equal(t, []string{tt.wantError}, messages(p.body, "Error"))
			assert.Empty(t, messages(p.body, "Notice"), "no success notice")
			assert.Contains(t, p.body, `id="ManageSessions"`, "the edit screen, with its sessions")
			assert.Len(t, h.sessionIDs(), before)
		})
	}

	t.Run("the same session twice", func(t *testing.T) {
		h := newHarness(t)
		h.addSession("victim", "agent", session.Agent)
		c := h.as("alice")
		win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
		path := windowPath(win.ID) + "/sessions/kill"
		require.Equal(t, http.StatusSeeOther, c.postT(path, url.Values{"WantSessionID": {"victim"}}).status)
		p := c.postT(path, url.Values{"WantSessionID": {"victim"}})
		assert.Equal(t, http.StatusNotFound, p.status)
		assert.Equal(t, []string{"That session had already ended: nothing was killed."}, messages(p.body, "Error"))
	})
}

// TestSessions_None: without Options.Sessions there is no session part,
// and its routes are 404 pages that kill nothing.
func TestSessions_None(t *testing.T) {
	h := newHarness(t, func(o *adminui.Options) { o.Sessions = nil })
	c := h.as("alice")
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	p := c.get(windowPath(win.ID))
	require.Equal(t, http.StatusOK, p.status)
	assert.NotContains(t, p.body, `id="ManageSessions"`)
	for _, r := range []string{"/sessions/kill", "/sessions/killall"} {
		p := c.postT(windowPath(win.ID)+r, url.Values{"WantSessionID": {"session-of-bob"}})
		assert.Equal(t, http.StatusNotFound, p.status, r)
	}
	assert.Len(t, h.sessionIDs(), len(hostAdmins))
}
