package main_test

// Real-browser tests of the helpdesk, end to end: the admin screens
// (package adminui, whose own browser tests walk Znuny's Selenium test)
// mounted in the helpdesk's layout, and what the host does around them:
// the banner a window puts on every page, the login refused during a
// window, the login-screen message, and killing every session but the
// admin's.
//
// Run them alone with
//
//	go test -run Browser ./examples/helpdesk/
//
// and write the screenshots of docs/screenshots/ with
// SYSMAINT_SCREENSHOTS=$PWD/docs/screenshots. Without Chromium they skip
// (with CI=true they fail); see package adminuitest.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui/adminuitest"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
)

// now is where every test sets the app's clock first.
var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// The texts the app must show, from Znuny (reference §1, §3.3) and sysmaint.
const (
	textAdded     = "System Maintenance was added successfully!"
	textKilledAll = "All sessions have been killed, except for your own."
	textRefused   = "We are performing scheduled maintenance. Login is temporarily not available."
	textDeleteAsk = "Do you really want to delete this scheduled system maintenance?"
)

// upcoming is the banner of a window coming within the lead time, in the
// English format and the viewer's zone (UTC for the seeded users).
func upcoming(start, stop time.Time) string {
	const layout = "01/02/2006 15:04 MST"
	return fmt.Sprintf("A system maintenance period will start at: %s and is expected to stop at: %s",
		start.UTC().Format(layout), stop.UTC().Format(layout))
}

// helpdesk is the app under test, served over HTTP, with the browser that
// drives it.
type helpdesk struct {
	app     *app.App
	clock   *clock.Mock
	url     string
	logins  map[string]string // login -> password
	browser context.Context
	users   int // tabs handed out by user
}

func newHelpdesk(t *testing.T) *helpdesk {
	t.Helper()
	browser := adminuitest.Chrome(t) // first: it skips when there is no browser
	ctx := t.Context()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "helpdesk.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	mock := clock.NewMock()
	mock.Set(now)
	a, err := app.New(app.Config{
		DB:                 app.SQLite(db),
		Clock:              mock,
		Lead:               30 * time.Minute,
		PasswordIterations: 1,
		IdleTimeout:        24 * time.Hour, // the tests move the clock hours ahead
		Logger:             slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	require.NoError(t, err)
	logins, err := a.Seed(ctx)
	require.NoError(t, err)
	for _, login := range []string{"admin", "agent", "customer"} {
		require.Contains(t, logins, login, "Seed returns the demo users")
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &helpdesk{app: a, clock: mock, url: srv.URL, logins: logins, browser: browser}
}

// user returns a tab with cookies of its own: one per logged-in user. The
// first user gets the browser's first tab, which shares its cookies with no
// isolated tab; opening an isolated one costs about half a second.
func (h *helpdesk) user(t *testing.T) *adminuitest.Tab {
	t.Helper()
	h.users++
	if h.users == 1 {
		return adminuitest.NewTab(t, h.browser, h.url)
	}
	return adminuitest.NewTab(t, adminuitest.Isolated(t, h.browser), h.url)
}

// login logs login in through the form at route (/login or
// /customer/login) and waits for the page that the form leads to.
func (h *helpdesk) login(tab *adminuitest.Tab, route, login string) {
	tab.Open(route)
	tab.SetValue("User", login)
	tab.SetValue("Password", h.logins[login])
	tab.ClickAndLoad("#LoginButton")
}

// add stores a window through the app's Manager, as the admin.
func (h *helpdesk) add(t *testing.T, w maintenance.Window) maintenance.Window {
	t.Helper()
	if w.Validity == 0 {
		w.Validity = maintenance.Valid
	}
	got, err := h.app.Manager().Add(t.Context(), w, "admin")
	require.NoError(t, err)
	return got
}

// TestBrowser_AdminFlow: the admin reaches the maintenance screens from
// the helpdesk's navigation, schedules a window in them, and a plain
// agent sees its banner once the lead time reaches it (Znuny's Selenium
// test, step 7); deleting it takes the banner away.
func TestBrowser_AdminFlow(t *testing.T) {
	h := newHelpdesk(t)
	admin := h.user(t)
	dialogs := adminuitest.AcceptDialogs(admin.Ctx)

	h.login(admin, "/login", "admin")
	require.Equal(t, "/", admin.Path(), "the admin lands on the dashboard")
	assert.Equal(t, "Dashboard", admin.Text("h1"))
	admin.ClickAndLoad(`.Navigation a[href="/admin/maintenance/"]`)
	require.Equal(t, "/admin/maintenance/", admin.Path())
	assert.True(t, admin.Exists("#Logout"), "the screens sit in the helpdesk's layout")
	assert.Equal(t, "System Maintenance Management – Helpdesk", adminuitest.Eval[string](admin, "document.title"))

	// A window in an hour, scheduled through the form.
	const comment = "sysmaintenance-helpdesk"
	start, stop := now.Add(time.Hour), now.Add(2*time.Hour)
	admin.ClickAndLoad("#ScheduleNew")
	admin.SetValue("Comment", comment)
	admin.SetDate("StartDate", start)
	admin.SetDate("StopDate", stop)
	admin.ClickAndLoad("#Submit")
	require.Equal(t, "/admin/maintenance/", admin.Path())
	assert.Contains(t, admin.Messages("Notice"), textAdded)
	id := admin.WindowID(comment)
	require.NotZero(t, id)

	// The upcoming banner: not shown 60 minutes ahead with a 30-minute
	// lead, shown once the lead is 61 minutes.
	agent := h.user(t)
	h.login(agent, "/login", "agent")
	require.Equal(t, "/", agent.Path())
	assert.False(t, agent.Exists("#MaintenanceNotice"), "no banner 60 minutes ahead with a 30-minute lead")
	admin.SetValue("LeadMinutes", "61")
	admin.ClickAndLoad("#SaveLead")
	require.Equal(t, "/admin/maintenance/", admin.Path())
	assert.Equal(t, "61", admin.Value("LeadMinutes"), "the lead time shown is the one saved")
	agent.Reload()
	require.True(t, agent.Exists("#MaintenanceNotice"), "the banner shows with a 61-minute lead")
	assert.Equal(t, upcoming(start, stop), agent.Text("#MaintenanceNotice p"))
	assert.True(t, agent.Exists("#MaintenanceNotice.MessageBox.Notice"))
	agent.Screenshot("agent-dashboard-upcoming")

	// The admin sees the banner on the screens too, and deletes the window.
	admin.Reload()
	assert.Equal(t, upcoming(start, stop), admin.Text("#MaintenanceNotice p"))
	admin.Screenshot("helpdesk-admin-overview")
	admin.ClickAndLoad("#SystemMaintenances .DeleteWindow")
	select {
	case msg := <-dialogs:
		assert.Equal(t, textDeleteAsk, msg)
	case <-time.After(5 * time.Second):
		t.Error("deleting asks for a confirmation first")
	}
	_, err := h.app.Manager().Get(t.Context(), id)
	assert.ErrorIs(t, err, maintenance.ErrNotFound)
	agent.Reload()
	assert.False(t, agent.Exists("#MaintenanceNotice"), "the banner is gone with the window")
}

// TestBrowser_LoginDuringMaintenance goes beyond the Selenium test: while a
// window with a login message is active, both login screens show it, plain
// agents and customers are refused with the login error, and the
// maintenance admin gets in and sees the banner (reference §2).
func TestBrowser_LoginDuringMaintenance(t *testing.T) {
	h := newHelpdesk(t)
	agent, customer, admin := h.user(t), h.user(t), h.user(t)

	agent.Open("/login")
	assert.False(t, agent.Exists("#SystemMaintenance"), "no message box without an active window")

	const loginMessage = "Back by 11:00. Admins can still log in."
	const notifyMessage = "Maintenance in progress: save your work."
	h.add(t, maintenance.Window{
		Start: now.Add(-10 * time.Minute), Stop: now.Add(time.Hour), Comment: "OS upgrade",
		LoginMessage: loginMessage, ShowLoginMessage: true, NotifyMessage: notifyMessage,
	})

	// The login screens show the message.
	agent.Open("/login")
	require.True(t, agent.Exists("#SystemMaintenance"), "the agent login screen shows the message box")
	assert.Contains(t, agent.Text("#SystemMaintenance"), loginMessage)
	assert.True(t, agent.Usable("LoginButton"), "the form stays, for the admins")
	agent.Screenshot("agent-login-maintenance")

	// A plain agent is refused and stays on the login screen.
	h.login(agent, "/login", "agent")
	assert.Equal(t, "/login", agent.Path())
	assert.Equal(t, textRefused, agent.Text("#LoginError"))
	assert.False(t, agent.Exists("#Logout"))
	agent.Open("/")
	assert.Equal(t, "/login", agent.Path(), "the refused agent has no session")

	// So is every customer.
	customer.Open("/customer/login")
	require.True(t, customer.Exists("#SystemMaintenance"), "the customer login screen shows the message box")
	assert.Contains(t, customer.Text("#SystemMaintenance"), loginMessage)
	h.login(customer, "/customer/login", "customer")
	assert.Equal(t, "/customer/login", customer.Path())
	assert.Equal(t, textRefused, customer.Text("#LoginError"))
	customer.Screenshot("customer-login-refused")

	// The maintenance admin gets in and sees the window's notify message.
	h.login(admin, "/login", "admin")
	require.Equal(t, "/", admin.Path())
	assert.Equal(t, "Dashboard", admin.Text("h1"))
	assert.Equal(t, notifyMessage, admin.Text("#MaintenanceNotice p"))

	// Once the window is over, the box is gone and the agent gets in.
	h.clock.Set(now.Add(time.Hour))
	agent.Open("/login")
	assert.False(t, agent.Exists("#SystemMaintenance"), "the stop instant is outside the window")
	h.login(agent, "/login", "agent")
	assert.Equal(t, "/", agent.Path())
	assert.False(t, agent.Exists("#MaintenanceNotice"))
}

// TestBrowser_CustomerBanner follows a customer who logged in before a
// window through its notices: coming within the lead time, active with the
// notify message, and gone at the stop instant (reference §3.2).
func TestBrowser_CustomerBanner(t *testing.T) {
	h := newHelpdesk(t)
	start, stop := now.Add(time.Hour), now.Add(2*time.Hour)
	const notifyMessage = "Tickets are read-only until 12:00."
	h.add(t, maintenance.Window{Start: start, Stop: stop, Comment: "Storage move", NotifyMessage: notifyMessage})

	customer := h.user(t)
	h.login(customer, "/customer/login", "customer")
	require.Equal(t, "/customer/", customer.Path())
	assert.Equal(t, "My tickets", customer.Text("h1"))
	assert.False(t, customer.Exists("#MaintenanceNotice"), "60 minutes ahead, outside the 30-minute lead")

	banner := func(at time.Time) string {
		t.Helper()
		h.clock.Set(at)
		customer.Reload()
		require.Equal(t, "/customer/", customer.Path(), "the customer stays logged in at %v", at)
		if !customer.Exists("#MaintenanceNotice") {
			return ""
		}
		return customer.Text("#MaintenanceNotice p")
	}
	assert.Equal(t, upcoming(start, stop), banner(start.Add(-30*time.Minute)), "30 minutes ahead")
	assert.Equal(t, notifyMessage, banner(start), "at the start")
	customer.Screenshot("customer-home-active")
	assert.Equal(t, notifyMessage, banner(stop.Add(-time.Minute)), "a minute before the stop")
	assert.Equal(t, "", banner(stop), "at the stop")

	customer.ClickAndLoad("#Logout")
	assert.Equal(t, "/customer/login", customer.Path(), "logging out leads to the login screen")
	customer.Open("/customer/")
	assert.Equal(t, "/customer/login", customer.Path(), "the session is gone")
}

// TestBrowser_KillAllSessions goes beyond the Selenium test: users logged in
// before a window keep working during it (reference §2.4) until the admin
// kills every session but their own (§1.6); then they are back at their
// login screens.
func TestBrowser_KillAllSessions(t *testing.T) {
	h := newHelpdesk(t)
	start := now.Add(30 * time.Minute)
	const notifyMessage = "Maintenance: you will be logged out."
	w := h.add(t, maintenance.Window{Start: start, Stop: start.Add(time.Hour), Comment: "Kernel update",
		ShowLoginMessage: true, NotifyMessage: notifyMessage})

	admin, agent, customer := h.user(t), h.user(t), h.user(t)
	dialogs := adminuitest.AcceptDialogs(admin.Ctx) // in case the kill asks first
	h.login(admin, "/login", "admin")
	h.login(agent, "/login", "agent")
	h.login(customer, "/customer/login", "customer")
	require.Equal(t, "/", admin.Path())
	require.Equal(t, "/", agent.Path())
	require.Equal(t, "/customer/", customer.Path())

	// The window starts; the sessions go on, with the banner.
	h.clock.Set(start.Add(5 * time.Minute))
	agent.Reload()
	require.Equal(t, "/", agent.Path(), "a session from before the window goes on")
	assert.Equal(t, notifyMessage, agent.Text("#MaintenanceNotice p"))
	customer.Reload()
	require.Equal(t, "/customer/", customer.Path())
	assert.Equal(t, notifyMessage, customer.Text("#MaintenanceNotice p"))

	// The admin sees three sessions of two agents and one customer.
	edit := fmt.Sprintf("/admin/maintenance/%d", w.ID)
	admin.Open(edit)
	require.True(t, admin.Exists("#ManageSessions"))
	assert.Equal(t, 3, admin.Number("#AllSessions"))
	assert.Equal(t, 2, admin.Number("#UniqueAgents"))
	assert.Equal(t, 1, admin.Number("#UniqueCustomers"))
	assert.Equal(t, 2, admin.Count("#AgentSessions .KillSession"))
	assert.Equal(t, 1, admin.Count("#CustomerSessions .KillSession"))

	admin.ClickAndLoad("#KillAllSessions")
	for len(dialogs) > 0 {
		t.Logf("dialog before killing: %q", <-dialogs)
	}
	require.Equal(t, edit, admin.Path(), "back on the edit screen")
	assert.Contains(t, admin.Messages("Notice"), textKilledAll)
	assert.Equal(t, 1, admin.Number("#AllSessions"))
	assert.Equal(t, 1, admin.Number("#UniqueAgents"))
	assert.Equal(t, 0, admin.Number("#UniqueCustomers"))

	// The admin's own session survives.
	admin.Reload()
	require.Equal(t, edit, admin.Path(), "the admin is still logged in")
	assert.True(t, admin.Exists("#Logout"))

	// The others land on their login screens, which show the window.
	agent.Open("/")
	assert.Equal(t, "/login", agent.Path(), "the agent's session is gone")
	assert.True(t, agent.Exists("#SystemMaintenance"))
	customer.Open("/customer/")
	assert.Equal(t, "/customer/login", customer.Path(), "the customer's session is gone")
	assert.True(t, customer.Exists("#SystemMaintenance"))
}
