package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// adminRoutes are every admin route, with the path of window id.
func adminRoutes(id int64) []struct{ method, path string } {
	w := "/admin/maintenance/" + strconv.FormatInt(id, 10)
	return []struct{ method, path string }{
		{http.MethodGet, "/admin/maintenance"},
		{http.MethodGet, "/admin/maintenance/new"},
		{http.MethodGet, w},
		{http.MethodPost, "/admin/maintenance/new"},
		{http.MethodPost, "/admin/maintenance/lead"},
		{http.MethodPost, w},
		{http.MethodPost, w + "/delete"},
		{http.MethodPost, w + "/sessions/kill"},
		{http.MethodPost, w + "/sessions/killall"},
	}
}

func TestAdmin_Access(t *testing.T) {
	for _, user := range []string{"", "agent", "customer", "admin"} {
		t.Run("user="+user, func(t *testing.T) {
			h := newHarness(t)
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			c := h.client()
			if user != "" {
				c = h.login(user)
			}
			victim := h.login("agent") // a session someone might kill
			before := len(h.sessions())
			for _, r := range adminRoutes(win.ID) {
				var p page
				if r.method == http.MethodGet {
					p = c.get(r.path)
				} else {
					if user == "admin" {
						continue // the admin's POSTs are tested one by one below
					}
					f := windowForm(win)
					f.Set("Comment", "changed")
					f.Set("LeadMinutes", "5")
					f.Set("WantSessionID", victim.sid)
					p = c.postT(r.path, f)
				}
				switch {
				case user == "admin":
					assert.Equal(t, http.StatusOK, p.status, r.path)
				case user == "" && r.method == http.MethodGet:
					assertToLogin(t, p, "/login")
				default:
					assert.Equal(t, http.StatusForbidden, p.status, "%s %s", r.method, r.path)
				}
			}
			// Nothing changed.
			ws := h.windows()
			require.Len(t, ws, 1)
			assert.Equal(t, win, ws[0])
			assert.Len(t, h.sessions(), before)
			assert.Equal(t, maintenance.DefaultLead, h.app.Manager().Lead())
		})
	}
}

func TestAdmin_AddEditDelete(t *testing.T) {
	h := newHarness(t)
	c := h.login("admin")

	// The new form defaults to now and now + 1 h at minute precision.
	h.clock.Add(90 * time.Second)
	p := c.get("/admin/maintenance/new")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"System Maintenance Management", "Schedule New System Maintenance"}, breadcrumb(p.body))
	assert.Equal(t, "24.11.2026 10:01", selectedDate(p.body, "StartDate"))
	assert.Equal(t, "24.11.2026 11:01", selectedDate(p.body, "StopDate"))
	assert.Equal(t, "1", selected(p.body, "ValidID"))
	assert.Contains(t, p.body, `id="Comment" name="Comment" maxlength="250"`)

	// Save and finish: back to the overview with the notice.
	win := maintenance.Window{
		Start: day.Add(2 * time.Hour), Stop: day.Add(3 * time.Hour), Comment: "Database upgrade",
		LoginMessage: "Back at 13:00.", ShowLoginMessage: true, NotifyMessage: "Upgrading.", Validity: maintenance.Valid,
	}
	f := windowForm(win)
	f.Set("ContinueAfterSave", "0")
	p = c.postT("/admin/maintenance/new", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Equal(t, "/admin/maintenance?Notification=Add", p.location)
	ws := h.windows()
	require.Len(t, ws, 1)
	got := ws[0]
	assert.Equal(t, win.Start, got.Start)
	assert.Equal(t, win.Stop, got.Stop)
	assert.Equal(t, "Database upgrade", got.Comment)
	assert.Equal(t, "Back at 13:00.", got.LoginMessage)
	assert.True(t, got.ShowLoginMessage)
	assert.Equal(t, "Upgrading.", got.NotifyMessage)
	assert.Equal(t, "admin", got.CreatedBy)

	p = c.get(p.location)
	assert.Equal(t, []string{"System Maintenance was added successfully!"}, messages(p.body, "Notice"))
	row := rowWith(p.body, "Database upgrade")
	assert.Contains(t, row, `<a href="/admin/maintenance/`+strconv.FormatInt(got.ID, 10)+`">2026-11-24 12:00:00 UTC</a>`)
	assert.Contains(t, row, "<td>2026-11-24 13:00:00 UTC</td>")
	assert.Contains(t, row, ">planned<")
	assert.NotContains(t, row, "Invalid")

	// The edit form shows the stored values.
	editPath := "/admin/maintenance/" + strconv.FormatInt(got.ID, 10)
	p = c.get(editPath)
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"System Maintenance Management", "Edit System Maintenance"}, breadcrumb(p.body))
	assert.Equal(t, "24.11.2026 12:00", selectedDate(p.body, "StartDate"))
	assert.Contains(t, p.body, `value="Database upgrade"`)
	assert.Contains(t, p.body, `>Back at 13:00.</textarea>`)
	assert.Contains(t, p.body, `name="ShowLoginMessage" value="1" checked`)
	assert.Contains(t, p.body, `name="Version" value="1"`)

	// Save (stay on the form): invalid now, messages changed, flag off.
	f = windowForm(got)
	f.Set("ValidID", "2")
	f.Set("NotifyMessage", "Upgrading.-update")
	f.Del("ShowLoginMessage")
	f.Set("ContinueAfterSave", "1")
	p = c.postT(editPath, f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Equal(t, editPath+"?Notification=Update", p.location)
	p = c.get(p.location)
	assert.Equal(t, []string{"System Maintenance was updated successfully!"}, messages(p.body, "Notice"))
	assert.Equal(t, "2", selected(p.body, "ValidID"))
	updated, err := h.app.Manager().Get(context.Background(), got.ID)
	require.NoError(t, err)
	assert.Equal(t, maintenance.Invalid, updated.Validity)
	assert.False(t, updated.ShowLoginMessage)
	assert.Equal(t, "Upgrading.-update", updated.NotifyMessage)
	assert.Equal(t, int64(2), updated.Version)
	assert.Equal(t, got.Start, updated.Start, "opening and saving never shifts the window")

	p = c.get("/admin/maintenance")
	assert.Contains(t, rowWith(p.body, "Database upgrade"), `<tr class="Invalid">`)

	// Delete.
	p = c.postT(editPath+"/delete", nil)
	assertToLogin(t, p, "/admin/maintenance")
	assert.Empty(t, h.windows())
	p = c.get("/admin/maintenance")
	assert.NotContains(t, p.body, "Database upgrade")
	assert.Contains(t, p.body, "No data found.")
	assert.Equal(t, http.StatusNotFound, c.get(editPath).status)
	assert.Equal(t, http.StatusNotFound, c.postT(editPath+"/delete", nil).status)
	assert.Equal(t, http.StatusNotFound, c.postT(editPath, windowForm(got)).status)
	assert.Equal(t, http.StatusNotFound, c.get("/admin/maintenance/abc").status)
}

func TestAdmin_DeleteActiveWindow(t *testing.T) {
	h := newHarness(t)
	c := h.login("admin")
	win := h.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
	require.True(t, h.app.Manager().Status().Active())
	p := c.postT("/admin/maintenance/"+strconv.FormatInt(win.ID, 10)+"/delete", nil)
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.False(t, h.app.Manager().Status().Active(), "maintenance ends at once")
	h.login("agent")
}

func TestAdmin_Overview(t *testing.T) {
	h := newHarness(t)
	c := h.login("admin")
	p := c.get("/admin/maintenance")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"System Maintenance Management"}, breadcrumb(p.body))
	assert.Contains(t, p.body, `<table id="SystemMaintenances"`)
	assert.Contains(t, p.body, "<th>Start date</th><th>Stop date</th><th>Comment</th><th>Validity</th><th>State</th><th>Delete</th>")
	assert.Contains(t, p.body, "No data found.")
	for _, id := range []string{"FilterSystemMaintenances", "ScheduleNew", "LeadMinutes", "SaveLead"} {
		assert.Contains(t, p.body, `id="`+id+`"`)
	}

	long := strings.Repeat("x", 85)
	h.addWindow(day.Add(24*time.Hour), day.Add(25*time.Hour), func(w *maintenance.Window) { w.Comment = "tomorrow" })
	h.addWindow(day.Add(-7*24*time.Hour), day.Add(-7*24*time.Hour+time.Hour), func(w *maintenance.Window) { w.Comment = "last week" })
	h.addWindow(day.Add(-time.Minute), day.Add(time.Hour), func(w *maintenance.Window) { w.Comment = long })
	h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour), func(w *maintenance.Window) {
		w.Comment, w.Validity = "temporarily off", maintenance.InvalidTemporarily
	})
	p = c.get("/admin/maintenance")
	assert.NotContains(t, p.body, "No data found.")
	rows := rowsOf(p.body, "SystemMaintenances")
	require.Len(t, rows, 4)
	assert.Contains(t, rows[0], "last week")
	assert.Contains(t, rows[0], ">finished<")
	assert.Contains(t, rows[1], strings.Repeat("x", 80)+"…</td>", "truncated to 80")
	assert.NotContains(t, rows[1], strings.Repeat("x", 81))
	assert.Contains(t, rows[1], ">active<")
	assert.Contains(t, rows[2], "temporarily off")
	assert.Contains(t, rows[2], `class="Invalid"`)
	assert.Contains(t, rows[2], "<td>invalid-temporarily</td>")
	assert.Contains(t, rows[3], "tomorrow")
	assert.Contains(t, rows[3], ">planned<")
	for _, r := range rows {
		assert.Contains(t, r, `class="DeleteWindow"`)
		assert.Contains(t, r, `data-confirm="Do you really want to delete this scheduled system maintenance?"`)
	}
}

func TestAdmin_TimeZone(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	require.NoError(t, h.app.AddUser(ctx, app.User{
		Login: "berlin", FullName: "Berta", Kind: session.Agent, TimeZone: "Europe/Berlin",
		Groups: map[string][]string{"admin": {"move_into"}},
	}, "pw"))
	c := h.client()
	require.Equal(t, http.StatusSeeOther, c.post("/login", url.Values{"User": {"berlin"}, "Password": {"pw"}}).status)

	p := c.get("/admin/maintenance/new")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "24.11.2026 11:00", selectedDate(p.body, "StartDate"), "now in Berlin")

	// 12:00 in Berlin is 11:00 UTC.
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	p = c.get("/admin/maintenance")
	assert.Contains(t, p.body, ">2026-11-24 12:00:00 CET</a>")
	p = c.get("/admin/maintenance/" + strconv.FormatInt(win.ID, 10))
	assert.Equal(t, "24.11.2026 12:00", selectedDate(p.body, "StartDate"))

	// Saving the form unchanged keeps the instants (Znuny shifted them).
	f := app.FormatWindowForm(win, mustZone(t, "Europe/Berlin"))
	p = c.postT("/admin/maintenance/"+strconv.FormatInt(win.ID, 10), f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	got, err := h.app.Manager().Get(ctx, win.ID)
	require.NoError(t, err)
	assert.Equal(t, win.Start, got.Start)
	assert.Equal(t, win.Stop, got.Stop)

	// Local times that do not exist or happen twice are field errors.
	tests := []struct {
		name, day, month, hour, min string
		want                        string
	}{
		{"spring forward gap", "29", "03", "02", "30", app.MsgDateNotExist},
		{"fall back overlap", "25", "10", "02", "30", app.MsgDateAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{
				"StartDateDay": {tt.day}, "StartDateMonth": {tt.month}, "StartDateYear": {"2027"},
				"StartDateHour": {tt.hour}, "StartDateMinute": {tt.min},
				"StopDateDay": {"31"}, "StopDateMonth": {"12"}, "StopDateYear": {"2027"},
				"StopDateHour": {"00"}, "StopDateMinute": {"00"},
				"Comment": {"dst"}, "ValidID": {"1"},
			}
			if tt.month == "10" {
				f.Set("StartDateDay", "31") // 2027-10-31 is the fall-back day
			} else {
				f.Set("StartDateDay", "28") // 2027-03-28 is the spring-forward day
			}
			before := h.windows()
			p := c.postT("/admin/maintenance/new", f)
			assert.Equal(t, http.StatusUnprocessableEntity, p.status)
			msg, ok := textOf(p.body, "StartDateServerError")
			assert.True(t, ok)
			assert.Equal(t, tt.want, msg)
			assert.True(t, hasErrorClass(p.body, "StartDateDay"))
			assert.Equal(t, before, h.windows(), "nothing written")
		})
	}
}

func TestAdmin_BadInput(t *testing.T) {
	good := func() url.Values {
		return windowForm(maintenance.Window{
			Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "ok", Validity: maintenance.Valid,
		})
	}
	long := strings.Repeat("a", 251)
	tests := []struct {
		name        string
		mod         func(url.Values)
		wantFields  map[string]string // field -> message; the field's inputs get class Error
		wantMessage string
	}{
		{"comment missing", func(f url.Values) { f.Del("Comment") },
			map[string]string{"Comment": "This field is required."}, ""},
		{"comment blank", func(f url.Values) { f.Set("Comment", "   ") },
			map[string]string{"Comment": "This field is required."}, ""},
		{"comment too long", func(f url.Values) { f.Set("Comment", strings.Repeat("c", 251)) },
			map[string]string{"Comment": "This field must have at most 250 characters."}, ""},
		{"messages too long", func(f url.Values) { f.Set("LoginMessage", long); f.Set("NotifyMessage", strings.Repeat("b", 251)) },
			map[string]string{"LoginMessage": "This field must have at most 250 characters.", "NotifyMessage": "This field must have at most 250 characters."}, ""},
		{"non-numeric day", func(f url.Values) { f.Set("StartDateDay", "x1") },
			map[string]string{"StartDate": "Date invalid!"}, ""},
		{"February 30", func(f url.Values) { f.Set("StopDateDay", "30"); f.Set("StopDateMonth", "02") },
			map[string]string{"StopDate": "Date invalid!"}, ""},
		{"missing minute", func(f url.Values) { f.Del("StopDateMinute") },
			map[string]string{"StopDate": "Date invalid!"}, ""},
		{"unknown validity", func(f url.Values) { f.Set("ValidID", "4") },
			map[string]string{"ValidID": app.MsgUnknownValidity}, ""},
		{"start equals stop", func(f url.Values) {
			for _, p := range []string{"Day", "Month", "Year", "Hour", "Minute"} {
				f.Set("StopDate"+p, f.Get("StartDate"+p))
			}
		}, map[string]string{"StartDate": app.MsgStartAfterStop}, app.MsgStartAfterStop},
		{"start after stop", func(f url.Values) { f.Set("StopDateHour", "09") },
			map[string]string{"StartDate": app.MsgStartAfterStop}, app.MsgStartAfterStop},
		{"everything at once", func(f url.Values) {
			f.Set("StartDateDay", "ab")
			f.Set("StopDateDay", "30")
			f.Set("StopDateMonth", "02")
			f.Del("Comment")
			f.Set("LoginMessage", long)
			f.Set("NotifyMessage", long)
			f.Set("ValidID", "zz")
		}, map[string]string{
			"StartDate": "Date invalid!", "StopDate": "Date invalid!", "Comment": "This field is required.",
			"LoginMessage": "This field must have at most 250 characters.", "NotifyMessage": "This field must have at most 250 characters.",
			"ValidID": app.MsgUnknownValidity,
		}, ""},
	}
	fieldInput := map[string]string{"StartDate": "StartDateDay", "StopDate": "StopDateDay"}
	for _, edit := range []bool{false, true} {
		for _, tt := range tests {
			name := "new/" + tt.name
			if edit {
				name = "edit/" + tt.name
			}
			t.Run(name, func(t *testing.T) {
				h := newHarness(t)
				c := h.login("admin")
				path := "/admin/maintenance/new"
				if edit {
					w := h.addWindow(day.Add(-time.Hour), day.Add(3*time.Hour), func(w *maintenance.Window) { w.Comment = "stored" })
					path = "/admin/maintenance/" + strconv.FormatInt(w.ID, 10)
				}
				before := h.windows()
				f := good()
				f.Set("Version", "1")
				f.Set("LoginMessage", "kept <i>as typed</i>")
				tt.mod(f)
				p := c.postT(path, f)
				assert.Equal(t, http.StatusUnprocessableEntity, p.status)
				assert.Equal(t, before, h.windows(), "nothing written")

				for field, msg := range tt.wantFields {
					got, ok := textOf(p.body, field+"ServerError")
					assert.True(t, ok, field)
					assert.Equal(t, msg, got, field)
					input := field
					if in, ok := fieldInput[field]; ok {
						input = in
					}
					assert.True(t, hasErrorClass(p.body, input), "%s has class Error", input)
				}
				for _, field := range []string{"StartDate", "StopDate", "Comment", "LoginMessage", "NotifyMessage", "ValidID"} {
					if _, bad := tt.wantFields[field]; !bad {
						_, ok := textOf(p.body, field+"ServerError")
						assert.False(t, ok, "%s has no error", field)
					}
				}
				if tt.wantMessage != "" {
					assert.Equal(t, []string{tt.wantMessage}, messages(p.body, "Error"))
				} else {
					assert.Empty(t, messages(p.body, "Error"))
				}
				// The posted values are shown again.
				if f.Get("LoginMessage") != long {
					assert.Contains(t, p.body, ">kept &lt;i&gt;as typed&lt;/i&gt;</textarea>")
				}
				if c := f.Get("Comment"); c != "" {
					assert.Contains(t, p.body, `value="`+c+`"`)
				}
			})
		}
	}
}

func TestAdmin_StaleVersion(t *testing.T) {
	h := newHarness(t)
	alice, bob := h.login("admin"), h.login("admin")
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)
	require.Equal(t, http.StatusOK, alice.get(path).status)
	require.Equal(t, http.StatusOK, bob.get(path).status)

	fa := windowForm(win)
	fa.Set("Comment", "alice")
	p := alice.postT(path, fa)
	require.Equal(t, http.StatusSeeOther, p.status)

	fb := windowForm(win) // still version 1
	fb.Set("Comment", "bob")
	p = bob.postT(path, fb)
	assert.Equal(t, http.StatusConflict, p.status)
	assert.Equal(t, []string{app.MsgConflict}, messages(p.body, "Error"))
	assert.Contains(t, p.body, `value="bob"`, "bob's input is shown, not lost")
	got, err := h.app.Manager().Get(context.Background(), win.ID)
	require.NoError(t, err)
	assert.Equal(t, "alice", got.Comment)
	assert.Equal(t, int64(2), got.Version)

	// A form without a version is stale too.
	fb.Del("Version")
	assert.Equal(t, http.StatusConflict, bob.postT(path, fb).status)
}

func TestAdmin_CSRF(t *testing.T) {
	tests := []struct {
		name    string
		token   func(admin, other *client) string
		headers []string
	}{
		{"no token", func(*client, *client) string { return "" }, nil},
		{"wrong token", func(*client, *client) string { return strings.Repeat("0", 64) }, nil},
		{"another session's token", func(_, other *client) string { return other.token }, nil},
		{"cross-site with a valid token", func(a, _ *client) string { return a.token }, []string{"Sec-Fetch-Site", "cross-site"}},
		{"foreign origin with a valid token", func(a, _ *client) string { return a.token }, []string{"Origin", "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			admin, other := h.login("admin"), h.login("agent")
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			sessions := h.sessions()
			for _, r := range adminRoutes(win.ID) {
				if r.method != http.MethodPost {
					continue
				}
				f := windowForm(win)
				f.Set("Comment", "changed")
				f.Set("LeadMinutes", "5")
				f.Set("WantSessionID", other.sid)
				if tok := tt.token(admin, other); tok != "" {
					f.Set("ChallengeToken", tok)
				}
				p := admin.post(r.path, f, tt.headers...)
				assert.Equal(t, http.StatusForbidden, p.status, r.path)
			}
			p := admin.post("/logout", url.Values{"ChallengeToken": {tt.token(admin, other)}}, tt.headers...)
			assert.Equal(t, http.StatusForbidden, p.status, "/logout")

			assert.Equal(t, []maintenance.Window{win}, h.windows(), "nothing changed")
			assert.Equal(t, sessions, h.sessions())
			assert.Equal(t, maintenance.DefaultLead, h.app.Manager().Lead())
		})
	}

	t.Run("cross-site login refused", func(t *testing.T) {
		h := newHarness(t)
		p := h.client().post("/login", url.Values{"User": {"agent"}, "Password": {"agent-demo"}}, "Sec-Fetch-Site", "cross-site")
		assert.Equal(t, http.StatusForbidden, p.status)
		assert.Empty(t, h.sessions())
	})

	t.Run("same-origin browser request passes", func(t *testing.T) {
		h := newHarness(t)
		admin := h.login("admin")
		f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "ok", Validity: maintenance.Valid})
		f.Set("ChallengeToken", admin.token)
		p := admin.post("/admin/maintenance/new", f, "Sec-Fetch-Site", "same-origin")
		assert.Equal(t, http.StatusSeeOther, p.status)
		assert.Len(t, h.windows(), 1)
	})
}

func TestAdmin_Sessions(t *testing.T) {
	h := newHarness(t)
	admin, agent, customer := h.login("admin"), h.login("agent"), h.login("customer")
	agent2 := h.login("agent")
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)

	p := admin.get(path)
	require.Equal(t, http.StatusOK, p.status)
	count := func(body, id string) string { s, _ := textOf(body, id); return s }
	assert.Equal(t, "4", count(p.body, "AllSessions"))
	assert.Equal(t, "2", count(p.body, "UniqueAgents"))
	assert.Equal(t, "1", count(p.body, "UniqueCustomers"))
	assert.Len(t, rowsOf(p.body, "AgentSessions"), 3)
	assert.Len(t, rowsOf(p.body, "CustomerSessions"), 1)
	assert.Contains(t, p.body, `id="KillAllSessions"`)
	assert.Contains(t, p.body, "Kill all Sessions, except for your own")
	assert.Equal(t, 4, strings.Count(p.body, `class="KillSession"`))

	// Kill one: the agent's first session.
	agentSID := agent.sid
	p = admin.postT(path+"/sessions/kill", url.Values{"WantSessionID": {agentSID}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, path+"?Kill=1", p.location)
	p = admin.get(p.location)
	assert.Equal(t, []string{"Session has been killed!"}, messages(p.body, "Notice"))
	assert.Len(t, h.sessions(), 3)
	assertToLogin(t, agent.get("/"), "/login")
	assert.Equal(t, http.StatusOK, agent2.get("/").status, "the other session of the same user lives")

	// Kill all except own: the own session comes from the server, whatever
	// the form says.
	adminSID := admin.sid
	p = admin.postT(path+"/sessions/killall", url.Values{"WantSessionID": {agentSID}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, path+"?KillAll=1", p.location)
	ss := h.sessions()
	require.Len(t, ss, 1)
	assert.Equal(t, adminSID, ss[0].ID)
	p = admin.get(p.location)
	require.Equal(t, http.StatusOK, p.status, "the admin stays logged in")
	assert.Equal(t, []string{"All sessions have been killed, except for your own."}, messages(p.body, "Notice"))
	assert.Equal(t, "1", count(p.body, "AllSessions"))
	assert.Contains(t, p.body, "No data found.", "no customer sessions left")
	assertToLogin(t, agent2.get("/"), "/login")
	assertToLogin(t, customer.get("/customer/"), "/customer/login")
	assert.Equal(t, http.StatusForbidden, customer.postT("/logout", nil).status, "a dead session changes nothing")

	// Killing an unknown session changes nothing (TestAdmin_KillMessages);
	// killing one's own logs out.
	assert.Equal(t, http.StatusNotFound, admin.postT(path+"/sessions/kill", url.Values{"WantSessionID": {"nope"}}).status)
	assert.Equal(t, http.StatusSeeOther, admin.postT(path+"/sessions/kill", url.Values{"WantSessionID": {adminSID}}).status)
	assertToLogin(t, admin.get("/admin/maintenance"), "/login")
}

func TestAdmin_Lead(t *testing.T) {
	h := newHarness(t, func(c *app.Config) { c.Lead = 45 * time.Minute })
	c := h.login("admin")
	p := c.get("/admin/maintenance")
	assert.Contains(t, p.body, `id="LeadMinutes" name="LeadMinutes" min="1" max="99999999" value="45"`)

	// Znuny's Selenium test: a window 61 minutes away is announced only once
	// the lead is 61 minutes.
	h.addWindow(day.Add(61*time.Minute), day.Add(2*time.Hour))
	_, ok := textOf(c.get("/").body, "MaintenanceNotice")
	assert.False(t, ok)

	for _, bad := range []string{"", "0", "-5", "abc", "123456789", "1.5"} {
		p = c.postT("/admin/maintenance/lead", url.Values{"LeadMinutes": {bad}})
		assert.Equal(t, http.StatusUnprocessableEntity, p.status, bad)
		assert.True(t, hasErrorClass(p.body, "LeadMinutes"), bad)
		assert.Equal(t, 45*time.Minute, h.app.Manager().Lead(), bad)
	}

	p = c.postT("/admin/maintenance/lead", url.Values{"LeadMinutes": {"61"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/admin/maintenance?Notification=Lead", p.location)
	assert.Equal(t, 61*time.Minute, h.app.Manager().Lead())
	text, ok := textOf(c.get("/").body, "MaintenanceNotice")
	assert.True(t, ok)
	assert.Contains(t, text, "11/24/2026 11:01")

	// Saved: a new App over the same file starts with it.
	a2, err := app.New(app.Config{DB: app.SQLite(h.db), Clock: h.clock, Lead: 5 * time.Minute, PasswordIterations: 1000})
	require.NoError(t, err)
	assert.Equal(t, 61*time.Minute, a2.Manager().Lead())
}

func TestAdmin_Escaping(t *testing.T) {
	h := newHarness(t)
	admin, customer := h.login("admin"), h.login("customer")
	const evil = `<script>alert("x")</script>`
	f := windowForm(maintenance.Window{
		Start: day.Add(-time.Minute).Truncate(time.Minute), Stop: day.Add(time.Hour), Comment: evil,
		LoginMessage: evil, ShowLoginMessage: true, NotifyMessage: evil, Validity: maintenance.Valid,
	})
	p := admin.postT("/admin/maintenance/new", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	id := h.windows()[0].ID

	for _, pg := range []struct {
		c    *client
		path string
	}{
		{admin, "/admin/maintenance"},
		{admin, "/admin/maintenance/" + strconv.FormatInt(id, 10)},
		{admin, "/"},
		{customer, "/customer/"},
		{h.client(), "/login"},
		{h.client(), "/customer/login"},
	} {
		p := pg.c.get(pg.path)
		require.Equal(t, http.StatusOK, p.status, pg.path)
		assert.NotContains(t, p.body, "<script>alert", pg.path)
		assert.Contains(t, p.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", pg.path)
	}
	text, _ := textOf(customer.get("/customer/").body, "MaintenanceNotice")
	assert.Equal(t, evil, text, "shown as written, as text")
}

// breadcrumb returns the texts of the .BreadCrumb items.
func breadcrumb(body string) []string {
	i := strings.Index(body, `<ul class="BreadCrumb">`)
	if i < 0 {
		return nil
	}
	block := body[i : i+strings.Index(body[i:], "</ul>")]
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<li>(.*?)</li>`).FindAllStringSubmatch(block, -1) {
		out = append(out, regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
	}
	return out
}

// selected returns the value of the selected option of the select id.
func selected(body, id string) string {
	i := strings.Index(body, `<select id="`+id+`"`)
	if i < 0 {
		return ""
	}
	block := body[i : i+strings.Index(body[i:], "</select>")]
	m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(block)
	if m == nil {
		return ""
	}
	return m[1]
}

// selectedDate returns the date selects of name as "DD.MM.YYYY hh:mm".
func selectedDate(body, name string) string {
	return selected(body, name+"Day") + "." + selected(body, name+"Month") + "." + selected(body, name+"Year") +
		" " + selected(body, name+"Hour") + ":" + selected(body, name+"Minute")
}

// rowsOf returns the <tr> elements of the body of table id, "No data found."
// rows excluded.
func rowsOf(body, id string) []string {
	i := strings.Index(body, `<table id="`+id+`"`)
	if i < 0 {
		return nil
	}
	block := body[i : i+strings.Index(body[i:], "</table>")]
	block = block[strings.Index(block, "<tbody>"):]
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<tr[ >].*?</tr>`).FindAllString(block, -1) {
		if !strings.Contains(m, "No data found.") {
			out = append(out, m)
		}
	}
	return out
}

// rowWith returns the row of the overview containing s.
func rowWith(body, s string) string {
	for _, r := range rowsOf(body, "SystemMaintenances") {
		if strings.Contains(r, s) {
			return r
		}
	}
	return ""
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	require.NoError(t, err)
	return l
}
