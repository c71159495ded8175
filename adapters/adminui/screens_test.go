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
	"github.com/sysmaint/sysmaint/maintenance"
)

// routes are every route of the screens, with the path of window id.
func routes(id int64) []struct{ method, path string } {
	w := windowPath(id)
	return []struct{ method, path string }{
		{http.MethodGet, prefix + "/"},
		{http.MethodGet, prefix + "/new"},
		{http.MethodGet, w},
		{http.MethodGet, w + "/delete"},
		{http.MethodPost, prefix + "/new"},
		{http.MethodPost, prefix + "/lead"},
		{http.MethodPost, w},
		{http.MethodPost, w + "/delete"},
		{http.MethodPost, w + "/skip"},
		{http.MethodPost, w + "/sessions/kill"},
		{http.MethodPost, w + "/sessions/killall"},
	}
}

// mutating returns a form that would change something on every POST
// route: a window, the lead, a session.
func mutating(win maintenance.Window) url.Values {
	f := windowForm(win)
	f.Set("Comment", "changed")
	f.Set("LeadMinutes", "5")
	f.Set("WantSessionID", "session-of-bob")
	f.Set("Confirm", "1")
	return f
}

func TestNew_Panics(t *testing.T) {
	h := newHarness(t)
	admin := func(*http.Request) (adminui.Admin, bool) { return adminui.Admin{}, false }
	tests := []struct {
		name string
		m    *maintenance.Manager
		opts *adminui.Options
	}{
		{"nil Manager", nil, &adminui.Options{Admin: admin}},
		{"nil Options", h.m, nil},
		{"no Admin", h.m, &adminui.Options{}},
		{"relative prefix", h.m, &adminui.Options{Admin: admin, Prefix: "admin"}},
		{"trailing slash", h.m, &adminui.Options{Admin: admin, Prefix: "/admin/"}},
		{"root", h.m, &adminui.Options{Admin: admin, Prefix: "/"}},
		{"dot segment", h.m, &adminui.Options{Admin: admin, Prefix: "/admin/../x"}},
		{"pattern syntax", h.m, &adminui.Options{Admin: admin, Prefix: "/admin/{x}"}},
		{"space", h.m, &adminui.Options{Admin: admin, Prefix: "/ad min"}},
		{"page size too large", h.m, &adminui.Options{Admin: admin, PageSize: adminui.MaxPageSize + 1}},
		{"negative page size", h.m, &adminui.Options{Admin: admin, PageSize: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, panicMessage(t, tt.m, tt.opts), func() { adminui.New(tt.m, tt.opts) })
		})
	}
}

// panicMessage returns what New panics with, which must name the package.
func panicMessage(t *testing.T, m *maintenance.Manager, o *adminui.Options) (msg any) {
	t.Helper()
	defer func() {
		msg = recover()
		s, _ := msg.(string)
		assert.True(t, strings.HasPrefix(s, "adminui: "), "panic %v", msg)
	}()
	adminui.New(m, o)
	return nil
}

// TestAccess: a request Options.Admin refuses is answered 403, or by
// Options.Forbidden, on every route, and changes nothing.
func TestAccess(t *testing.T) {
	for _, forbidden := range []bool{false, true} {
		name := "default 403 page"
		if forbidden {
			name = "Options.Forbidden"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, func(o *adminui.Options) {
				if forbidden {
					o.Forbidden = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						http.Redirect(w, r, "/login", http.StatusSeeOther)
					})
				}
			})
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			sessions := h.sessionIDs()
			for _, who := range []string{"", "mallory"} {
				c := h.as(who)
				for _, r := range routes(win.ID) {
					var p page
					if r.method == http.MethodGet {
						p = c.get(r.path)
					} else {
						p = c.post(r.path, mutating(win))
					}
					if forbidden {
						assert.Equal(t, http.StatusSeeOther, p.status, "%s %s", r.method, r.path)
						assert.Equal(t, "/login", p.location)
					} else {
						assert.Equal(t, http.StatusForbidden, p.status, "%s %s", r.method, r.path)
						assert.Equal(t, "You are not allowed to manage system maintenance.", statusMessage(p.body))
					}
				}
			}
			assert.Equal(t, []maintenance.Window{win}, h.windows(), "nothing changed")
			assert.Equal(t, sessions, h.sessionIDs())
			assert.Equal(t, maintenance.DefaultLead, h.m.Lead())

			for _, r := range routes(win.ID) {
				if r.method == http.MethodGet {
					assert.Equal(t, http.StatusOK, h.as("alice").get(r.path).status, r.path)
				}
			}
		})
	}
}

func TestAddEditDelete(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")

	// The new form defaults to now and now + 1 h at minute precision.
	h.clock.Add(90 * time.Second)
	p := c.get(prefix + "/new")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"System Maintenance Management", "Schedule New System Maintenance"}, breadcrumb(p.body))
	assert.Equal(t, "24.11.2026 10:01", selectedDate(p.body, "StartDate"))
	assert.Equal(t, "24.11.2026 11:01", selectedDate(p.body, "StopDate"))
	assert.Equal(t, "1", selected(p.body, "ValidID"))
	assert.Contains(t, p.body, `id="Comment" name="Comment" maxlength="250"`)
	assert.NotContains(t, p.body, `id="ManageSessions"`, "no sessions on the new form")
	assert.NotContains(t, p.body, `id="Preview"`)

	// Save and finish: back to the overview with the notice.
	win := maintenance.Window{
		Start: day.Add(2 * time.Hour), Stop: day.Add(3 * time.Hour), Comment: "Database upgrade",
		LoginMessage: "Back at 13:00.", ShowLoginMessage: true, NotifyMessage: "Upgrading.", Validity: maintenance.Valid,
	}
	f := windowForm(win)
	f.Set("ContinueAfterSave", "0")
	p = c.postT(prefix+"/new", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Equal(t, prefix+"/?Notification=Add", p.location)
	ws := h.windows()
	require.Len(t, ws, 1)
	got := ws[0]
	assert.Equal(t, win.Start, got.Start)
	assert.Equal(t, win.Stop, got.Stop)
	assert.Equal(t, "Database upgrade", got.Comment)
	assert.Equal(t, "Back at 13:00.", got.LoginMessage)
	assert.True(t, got.ShowLoginMessage)
	assert.Equal(t, "Upgrading.", got.NotifyMessage)
	assert.Equal(t, "alice", got.CreatedBy, "the actor comes from Options.Admin")

	p = c.get(p.location)
	assert.Equal(t, []string{"System Maintenance was added successfully!"}, messages(p.body, "Notice"))
	row := rowWith(p.body, "Database upgrade")
	assert.Contains(t, row, `<a href="`+windowPath(got.ID)+`">2026-11-24 12:00:00 UTC</a>`)
	assert.Contains(t, row, "<td>2026-11-24 13:00:00 UTC</td>")
	assert.Contains(t, row, ">planned<")
	assert.NotContains(t, row, "Invalid")

	// The edit form shows the stored values.
	editPath := windowPath(got.ID)
	p = c.get(editPath)
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"System Maintenance Management", "Edit System Maintenance"}, breadcrumb(p.body))
	assert.Equal(t, "24.11.2026 12:00", selectedDate(p.body, "StartDate"))
	assert.Contains(t, p.body, `value="Database upgrade"`)
	assert.Contains(t, p.body, `>Back at 13:00.</textarea>`)
	assert.Contains(t, p.body, `name="ShowLoginMessage" value="1" checked`)
	assert.Contains(t, p.body, `name="Version" value="1"`)

	// Save (stay on the form): invalid now, messages changed, flag off;
	// by another admin.
	f = windowForm(got)
	f.Set("ValidID", "2")
	f.Set("NotifyMessage", "Upgrading.-update")
	f.Del("ShowLoginMessage")
	f.Set("ContinueAfterSave", "1")
	p = h.as("bob").postT(editPath, f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Equal(t, editPath+"?Notification=Update", p.location)
	p = c.get(p.location)
	assert.Equal(t, []string{"System Maintenance was updated successfully!"}, messages(p.body, "Notice"))
	assert.Equal(t, "2", selected(p.body, "ValidID"))
	assert.NotContains(t, p.body, `value="1" checked`)
	updated := h.get(got.ID)
	assert.Equal(t, maintenance.Invalid, updated.Validity)
	assert.Equal(t, "Upgrading.-update", updated.NotifyMessage)
	assert.False(t, updated.ShowLoginMessage)
	assert.Equal(t, "bob", updated.ChangedBy)
	assert.Equal(t, "alice", updated.CreatedBy)
	assert.Equal(t, int64(2), updated.Version)

	p = c.get(prefix + "/")
	assert.Contains(t, rowWith(p.body, "Database upgrade"), `class="Invalid"`)

	// Delete, confirmed.
	p = c.postT(editPath+"/delete", url.Values{"Confirm": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, prefix+"/?Notification=Delete", p.location)
	assert.Empty(t, h.windows())
	p = c.get(p.location)
	assert.Equal(t, []string{"System Maintenance was deleted."}, messages(p.body, "Notice"))
	assert.Equal(t, http.StatusNotFound, c.get(editPath).status)
}

// TestDelete_Confirmation: without JavaScript, deleting goes through a
// confirmation page; nothing is deleted before Confirm=1 is posted.
func TestDelete_Confirmation(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")
	win := h.addWindow(day.Add(-time.Minute), day.Add(time.Hour), func(w *maintenance.Window) { w.Comment = "<b>kernel</b>" })
	path := windowPath(win.ID) + "/delete"

	for _, p := range []page{c.get(path), c.postT(path, nil), c.postT(path, url.Values{"Confirm": {"yes"}})} {
		require.Equal(t, http.StatusOK, p.status)
		q, _ := textOf(p.body, "DeleteQuestion")
		assert.Equal(t, "Do you really want to delete this scheduled system maintenance?", q)
		comment, _ := textOf(p.body, "DeleteComment")
		assert.Equal(t, "<b>kernel</b>", comment, "escaped, shown as text")
		assert.Equal(t, []string{"This system maintenance is active: deleting it ends it at once."}, messages(p.body, "Warning"))
		f := formValues(p.body, "Buttons")
		assert.Equal(t, "1", f.Get("Confirm"))
		assert.Equal(t, "token-alice", f.Get(adminui.DefaultCSRFField))
		assert.Equal(t, []maintenance.Window{win}, h.windows(), "nothing deleted yet")
	}
	assert.True(t, h.m.Status().Active())

	// The confirmation page's own form deletes.
	f := formValues(c.get(path).body, "Buttons")
	p := c.post(path, f)
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Empty(t, h.windows())
	assert.False(t, h.m.Status().Active(), "maintenance ends at once")

	// Gone: 404, on either method.
	assert.Equal(t, http.StatusNotFound, c.get(path).status)
	p = c.postT(path, url.Values{"Confirm": {"1"}})
	assert.Equal(t, http.StatusNotFound, p.status)
	assert.Equal(t, "No such system maintenance.", statusMessage(p.body))
}

func TestOverview(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")
	p := c.get(prefix + "/")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"System Maintenance Management"}, breadcrumb(p.body))
	assert.Contains(t, p.body, `<table id="SystemMaintenances"`)
	assert.Regexp(t, `<th scope="col">Start date</th><th scope="col">Stop date</th><th scope="col">Comment</th>`+
		`<th scope="col">Validity</th><th scope="col">State</th><th scope="col">Delete</th>`, p.body)
	assert.Contains(t, p.body, "No data found.")
	for _, id := range []string{"FilterSystemMaintenances", "ScheduleNew", "LeadMinutes", "SaveLead", "FilterForm", "ApplyFilter"} {
		assert.Contains(t, p.body, `id="`+id+`"`)
	}
	assert.NotContains(t, p.body, `class="Pager"`, "one page: no paging links")

	long := strings.Repeat("x", 85)
	h.addWindow(day.Add(24*time.Hour), day.Add(25*time.Hour), func(w *maintenance.Window) { w.Comment = "tomorrow" })
	h.addWindow(day.Add(-7*24*time.Hour), day.Add(-7*24*time.Hour+time.Hour), func(w *maintenance.Window) { w.Comment = "last week" })
	h.addWindow(day.Add(-time.Minute), day.Add(time.Hour), func(w *maintenance.Window) { w.Comment = long })
	h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour), func(w *maintenance.Window) {
		w.Comment, w.Validity = "temporarily off", maintenance.InvalidTemporarily
	})
	p = c.get(prefix + "/")
	assert.NotContains(t, p.body, "No data found.")
	rows := rowsOf(p.body, "SystemMaintenances")
	require.Len(t, rows, 4)
	assert.Contains(t, rows[0], "last week")
	assert.Contains(t, rows[0], ">finished<")
	assert.Contains(t, rows[1], strings.Repeat("x", 80)+"…</td>", "truncated to 80")
	assert.NotContains(t, rows[1], "<td>"+strings.Repeat("x", 81))
	assert.Contains(t, rows[1], ">active<")
	assert.Contains(t, rows[2], "temporarily off")
	assert.Contains(t, rows[2], `class="Invalid"`)
	assert.Contains(t, rows[2], "<td>invalid-temporarily</td>")
	assert.Contains(t, rows[3], "tomorrow")
	assert.Contains(t, rows[3], ">planned<")
	for _, r := range rows {
		assert.Contains(t, r, `class="DeleteWindow"`)
		assert.Contains(t, r, `data-confirm="Do you really want to delete this scheduled system maintenance?"`)
		assert.Contains(t, r, `name="csrf_token" value="token-alice"`)
	}
}

func TestTimeZone(t *testing.T) {
	h := newHarness(t)
	c := h.as("berta") // Europe/Berlin

	p := c.get(prefix + "/new")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "24.11.2026 11:00", selectedDate(p.body, "StartDate"), "now in Berlin")

	// 12:00 in Berlin is 11:00 UTC.
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	p = c.get(prefix + "/")
	assert.Contains(t, p.body, ">2026-11-24 12:00:00 CET</a>")
	p = c.get(windowPath(win.ID))
	assert.Equal(t, "24.11.2026 12:00", selectedDate(p.body, "StartDate"))

	// Saving the form unchanged keeps the instants (Znuny shifted them).
	f := adminui.FormatWindowForm(win, mustZone(t, "Europe/Berlin"))
	p = c.postT(windowPath(win.ID), f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	got := h.get(win.ID)
	assert.Equal(t, win.Start, got.Start)
	assert.Equal(t, win.Stop, got.Stop)

	// Local times that do not exist or happen twice are field errors.
	tests := []struct {
		name, day, month string
		want             string
	}{
		{"spring forward gap", "28", "03", adminui.MsgDateNotExist},
		{"fall back overlap", "31", "10", adminui.MsgDateAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{
				"StartDateDay": {tt.day}, "StartDateMonth": {tt.month}, "StartDateYear": {"2027"},
				"StartDateHour": {"02"}, "StartDateMinute": {"30"},
				"StopDateDay": {"31"}, "StopDateMonth": {"12"}, "StopDateYear": {"2027"},
				"StopDateHour": {"00"}, "StopDateMinute": {"00"},
				"Comment": {"dst"}, "ValidID": {"1"},
			}
			before := h.windows()
			p := c.postT(prefix+"/new", f)
			assert.Equal(t, http.StatusUnprocessableEntity, p.status)
			msg, ok := textOf(p.body, "StartDateServerError")
			assert.True(t, ok)
			assert.Equal(t, tt.want, msg)
			assert.True(t, hasErrorClass(p.body, "StartDateDay"))
			assert.Equal(t, "28.03.2027 02:30"[:0]+tt.day+"."+tt.month+".2027 02:30", selectedDate(p.body, "StartDate"), "the input is kept")
			assert.Equal(t, before, h.windows(), "nothing written")
		})
	}
}

func TestStaleVersion(t *testing.T) {
	h := newHarness(t)
	alice, bob := h.as("alice"), h.as("bob")
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	path := windowPath(win.ID)
	require.Equal(t, http.StatusOK, alice.get(path).status)
	require.Equal(t, http.StatusOK, bob.get(path).status)

	fa := windowForm(win)
	fa.Set("Comment", "alice")
	require.Equal(t, http.StatusSeeOther, alice.postT(path, fa).status)

	fb := windowForm(win) // still version 1
	fb.Set("Comment", "bob")
	p := bob.postT(path, fb)
	assert.Equal(t, http.StatusConflict, p.status)
	assert.Equal(t, []string{adminui.MsgConflict}, messages(p.body, "Error"))
	assert.Contains(t, p.body, `value="bob"`, "bob's input is shown, not lost")
	href, ok := attr(p.body, "ReloadWindow", "href")
	assert.True(t, ok, "a way to load the current version")
	assert.Equal(t, path, href)
	got := h.get(win.ID)
	assert.Equal(t, "alice", got.Comment)
	assert.Equal(t, int64(2), got.Version)

	// The link shows the current version, which saves.
	f := formValues(bob.get(href).body, "WindowForm")
	assert.Equal(t, "alice", f.Get("Comment"))
	f.Set("Comment", "bob again")
	assert.Equal(t, http.StatusSeeOther, bob.post(path, f).status)
	assert.Equal(t, "bob again", h.get(win.ID).Comment)

	// A form without a version is stale too.
	fb.Del("Version")
	assert.Equal(t, http.StatusConflict, bob.postT(path, fb).status)
}

func TestCSRF(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		headers []string
	}{
		{"no token", "", nil},
		{"wrong token", "token-mallory", nil},
		{"another admin's token", "token-bob", nil},
		{"the token in the URL only", "in-url", nil},
		{"cross-site with a valid token", "token-alice", []string{"Sec-Fetch-Site", "cross-site"}},
		{"foreign origin with a valid token", "token-alice", []string{"Origin", "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.as("alice")
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			sessions := h.sessionIDs()
			for _, r := range routes(win.ID) {
				if r.method != http.MethodPost {
					continue
				}
				f := mutating(win)
				path := r.path
				switch tt.token {
				case "":
				case "in-url":
					path += "?csrf_token=token-alice"
				default:
					f.Set(adminui.DefaultCSRFField, tt.token)
				}
				p := c.post(path, f, tt.headers...)
				assert.Equal(t, http.StatusForbidden, p.status, r.path)
			}
			assert.Equal(t, []maintenance.Window{win}, h.windows(), "nothing changed")
			assert.Equal(t, sessions, h.sessionIDs())
			assert.Equal(t, maintenance.DefaultLead, h.m.Lead())
		})
	}

	t.Run("without a token hook, cross-origin is still refused", func(t *testing.T) {
		h := newHarness(t, func(o *adminui.Options) { o.CSRFToken = nil })
		c := h.as("alice")
		f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "x", Validity: maintenance.Valid})
		assert.Equal(t, http.StatusForbidden, c.post(prefix+"/new", f, "Sec-Fetch-Site", "cross-site").status)
		assert.Empty(t, h.windows())
		p := c.get(prefix + "/new")
		assert.NotContains(t, p.body, "csrf_token", "no token field without a token")
		assert.Equal(t, http.StatusSeeOther, c.post(prefix+"/new", f, "Sec-Fetch-Site", "same-origin").status)
		assert.Len(t, h.windows(), 1)
	})

	t.Run("a field name of the host's", func(t *testing.T) {
		h := newHarness(t, func(o *adminui.Options) { o.CSRFField = "ChallengeToken" })
		c := h.as("alice")
		p := c.get(prefix + "/")
		assert.Contains(t, p.body, `name="ChallengeToken" value="token-alice"`)
		f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "x", Validity: maintenance.Valid})
		f.Set("csrf_token", "token-alice")
		assert.Equal(t, http.StatusForbidden, c.post(prefix+"/new", f).status)
		f.Set("ChallengeToken", "token-alice")
		assert.Equal(t, http.StatusSeeOther, c.post(prefix+"/new", f).status)
	})

	t.Run("an empty expected token refuses", func(t *testing.T) {
		h := newHarness(t, func(o *adminui.Options) { o.CSRFToken = func(*http.Request) string { return "" } })
		f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "x", Validity: maintenance.Valid})
		f.Set(adminui.DefaultCSRFField, "")
		assert.Equal(t, http.StatusForbidden, h.as("alice").post(prefix+"/new", f).status)
		assert.Empty(t, h.windows())
	})
}

func TestLead(t *testing.T) {
	var saved []time.Duration
	fail := false
	h := newHarness(t, func(o *adminui.Options) {
		o.SaveLead = func(_ context.Context, d time.Duration) error {
			if fail {
				return context.DeadlineExceeded
			}
			saved = append(saved, d)
			return nil
		}
	})
	h.m.SetLead(45 * time.Minute)
	c := h.as("alice")
	p := c.get(prefix + "/")
	assert.Contains(t, p.body, `id="LeadMinutes" name="LeadMinutes" min="1" max="527040" value="45"`)

	for _, bad := range []string{"", "0", "-5", "abc", "123456789", "1.5", "527041", " 5", "５"} {
		p = c.postT(prefix+"/lead", url.Values{"LeadMinutes": {bad}})
		assert.Equal(t, http.StatusUnprocessableEntity, p.status, bad)
		assert.True(t, hasErrorClass(p.body, "LeadMinutes"), bad)
		inv, _ := attr(p.body, "LeadMinutes", "aria-invalid")
		assert.Equal(t, "true", inv, bad)
		desc, _ := attr(p.body, "LeadMinutes", "aria-describedby")
		assert.Contains(t, desc, "LeadMinutesServerError", bad)
		msg, _ := textOf(p.body, "LeadMinutesServerError")
		assert.Equal(t, "The lead time must be a whole number of minutes from 1 to 527040.", msg)
		assert.Equal(t, 45*time.Minute, h.m.Lead(), bad)
	}
	assert.Empty(t, saved)

	p = c.postT(prefix+"/lead", url.Values{"LeadMinutes": {"61"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, prefix+"/?Notification=Lead", p.location)
	assert.Equal(t, 61*time.Minute, h.m.Lead())
	assert.Equal(t, []time.Duration{61 * time.Minute}, saved)
	p = c.get(p.location)
	assert.Equal(t, []string{"The notice lead time was saved."}, messages(p.body, "Notice"))
	assert.Contains(t, p.body, `value="61"`)

	p = c.postT(prefix+"/lead", url.Values{"LeadMinutes": {"527040"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, maintenance.MaxLead, h.m.Lead())

	// A failing SaveLead leaves the lead as it was, and says so.
	fail = true
	p = c.postT(prefix+"/lead", url.Values{"LeadMinutes": {"5"}})
	assert.Equal(t, http.StatusInternalServerError, p.status)
	assert.Equal(t, maintenance.MaxLead, h.m.Lead())
	msg, _ := textOf(p.body, "LeadMinutesServerError")
	assert.Equal(t, "The lead time could not be saved; it was not changed. Please try again.", msg)

	t.Run("without SaveLead, in memory", func(t *testing.T) {
		h := newHarness(t)
		require.Equal(t, http.StatusSeeOther, h.as("alice").postT(prefix+"/lead", url.Values{"LeadMinutes": {"90"}}).status)
		assert.Equal(t, 90*time.Minute, h.m.Lead())
	})
}

// TestEscaping: every text a window holds, and every reflected parameter,
// is shown as text.
func TestEscaping(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")
	const evil = `<script>alert("x")</script>`
	f := windowForm(maintenance.Window{
		Start: day.Add(-time.Minute).Truncate(time.Minute), Stop: day.Add(time.Hour), Comment: evil,
		LoginMessage: evil, ShowLoginMessage: true, NotifyMessage: evil, Validity: maintenance.Valid,
	})
	p := c.postT(prefix+"/new", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	id := h.windows()[0].ID
	for _, path := range []string{prefix + "/", windowPath(id), windowPath(id) + "/delete"} {
		p := c.get(path)
		require.Equal(t, http.StatusOK, p.status, path)
		assert.NotContains(t, p.body, "<script>alert", path)
		assert.Contains(t, p.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", path)
	}
	p = c.get(prefix + "/?validity=" + url.QueryEscape(evil) + "&state=" + url.QueryEscape(`"><img src=x onerror=alert(1)>`))
	assert.Equal(t, http.StatusBadRequest, p.status)
	assert.NotContains(t, p.body, "<script>alert")
	assert.NotContains(t, p.body, "<img src=x")
	// The invalid form, shown again, escapes the input too.
	f.Set("Comment", "")
	p = c.postT(prefix+"/new", f)
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.NotContains(t, p.body, "<script>alert")
}

// TestNotFound: unknown windows, malformed IDs and unknown paths are 404
// pages in the frame, never 500s.
func TestNotFound(t *testing.T) {
	h := newHarness(t)
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	c := h.as("alice")
	ids := []string{"999", "0", "-1", "abc", "01", "+1", "1e3", "99999999999999999999", itoa(win.ID) + ".0"}
	for _, id := range ids {
		for _, r := range []struct{ method, suffix string }{
			{http.MethodGet, ""}, {http.MethodGet, "/delete"}, {http.MethodPost, ""}, {http.MethodPost, "/delete"},
			{http.MethodPost, "/sessions/kill"}, {http.MethodPost, "/sessions/killall"},
		} {
			path := prefix + "/" + id + r.suffix
			var p page
			if r.method == http.MethodGet {
				p = c.get(path)
			} else {
				f := mutating(win)
				f.Set("Version", "1")
				p = c.postT(path, f)
			}
			assert.Equal(t, http.StatusNotFound, p.status, "%s %s", r.method, path)
			assert.Equal(t, "text/html; charset=utf-8", p.header.Get("Content-Type"))
			assert.Contains(t, []string{"No such system maintenance.", "No such system maintenance: it may have been deleted meanwhile.", "Page not found."}, statusMessage(p.body), path)
		}
	}
	for _, path := range []string{prefix + "/nope/deeper", prefix + "/1/sessions", prefix + "/1/edit", prefix + "/static/"} {
		p := c.get(path)
		assert.Equal(t, http.StatusNotFound, p.status, path)
		assert.Equal(t, "Page not found.", statusMessage(p.body), path)
	}
	assert.Equal(t, []maintenance.Window{win}, h.windows(), "nothing changed")
	assert.Len(t, h.sessionIDs(), len(hostAdmins))
}

func TestOverview_Links(t *testing.T) {
	h := newHarness(t, func(o *adminui.Options) {
		o.Links = []adminui.Link{
			{Label: "Calendar feed", URL: "https://example.com/api/calendar.ics?key=k&x=<y>"},
			{Label: "JSON API", URL: "/api/openapi.json", Note: "bearer token <from the operator>"},
		}
	})
	p := h.as("alice").get(prefix + "/")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `id="Links"`, "the overview lists the links")
	assert.Contains(t, p.body, `>Calendar feed</a> <code>https://example.com/api/calendar.ics?key=k&amp;x=&lt;y&gt;</code>`,
		"a URL without a note is shown, to copy")
	assert.Contains(t, p.body, `>JSON API</a> <span class="Hint">bearer token &lt;from the operator&gt;</span>`)
	assert.NotContains(t, p.body, "<from the operator>", "notes are text, escaped")

	p = newHarness(t).as("alice").get(prefix + "/")
	assert.NotContains(t, p.body, `id="Links"`, "no links, no section")
}
