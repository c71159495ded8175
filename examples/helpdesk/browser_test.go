package main_test

// Real-browser tests of the helpdesk: Znuny's Selenium test of the admin
// screen (scripts/test/Selenium/Agent/Admin/AdminSystemMaintenance.t), step by
// step, and what it leaves out: the login rule, the login-screen message, the
// banner of logged-in customers and killing sessions.
//
// Run them alone with
//
//	go test -run Browser ./examples/helpdesk/
//
// and write the screenshots of docs/screenshots/ with
// SYSMAINT_SCREENSHOTS=$PWD/docs/screenshots. Without Chromium they skip
// (with CI=true they fail); see internal/browsertest.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/browsertest"
	"github.com/sysmaint/sysmaint/maintenance"
)

// now is where every test sets the app's clock first.
var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// The texts the app must show, from Znuny (reference §1, §3.3) and sysmaint.
const (
	textAdded        = "System Maintenance was added successfully!"
	textUpdated      = "System Maintenance was updated successfully!"
	textStopBefore   = "Start date shouldn't be defined after Stop date!"
	textKilledAll    = "All sessions have been killed, except for your own."
	textRefused      = "We are performing scheduled maintenance. Login is temporarily not available."
	textDeleteAsk    = "Do you really want to delete this scheduled system maintenance?"
	textLoginMessage = "Selenium test SystemMaintance is progress, please log in later on"
	textNotify       = "Currently Selenium SystemMaintenance test is active"
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
	browser := browsertest.Chrome(t) // first: it skips when there is no browser
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
func (h *helpdesk) user(t *testing.T) context.Context {
	t.Helper()
	h.users++
	if h.users == 1 {
		return h.browser
	}
	return browsertest.Isolated(t, h.browser)
}

// open loads route and waits for the page to load.
func (h *helpdesk) open(t *testing.T, tab context.Context, route string) {
	t.Helper()
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(h.url+route)), "open %s", route)
}

// login logs login in through the form at route (/login or
// /customer/login) and waits for the page that the form leads to.
func (h *helpdesk) login(t *testing.T, tab context.Context, route, login string) {
	t.Helper()
	h.open(t, tab, route)
	setValue(t, tab, "User", login)
	setValue(t, tab, "Password", h.logins[login])
	clickAndLoad(t, tab, "#LoginButton")
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

func do(t *testing.T, tab context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(tab, actions...))
}

// clickAndLoad clicks the element and waits for the page it leads to.
func clickAndLoad(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	_, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
	require.NoError(t, err, "click %s and wait for the next page", sel)
}

// waitVisible waits, for at most 10 seconds, until an element matching sel
// is visible, across page loads.
func waitVisible(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("waiting for %s on %s: %v\npage text:\n%s", sel, location(t, tab), err, bodyText(tab))
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr))
	require.NoError(t, err, "evaluate %s", expr)
	return v
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func bodyText(tab context.Context) string {
	s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return err.Error()
	}
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

// location returns the URL of the page, without the server's address.
func location(t *testing.T, tab context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(tab, chromedp.Location())
	require.NoError(t, err)
	u, err := url.Parse(loc)
	require.NoError(t, err)
	u.Scheme, u.Host = "", ""
	return u.String()
}

// path returns the path of the page.
func path(t *testing.T, tab context.Context) string {
	t.Helper()
	return eval[string](t, tab, `location.pathname`)
}

// exists reports whether the page has an element matching sel. The pages are
// rendered by the server, so once a page has loaded this does not wait.
func exists(t *testing.T, tab context.Context, sel string) bool {
	t.Helper()
	return eval[bool](t, tab, `document.querySelector(`+js(sel)+`) !== null`)
}

// text returns the text of the first element matching sel, trimmed; the test
// fails at once when there is none.
func text(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	s := eval[*string](t, tab, `(() => { const e = document.querySelector(`+js(sel)+`); return e ? e.innerText : null })()`)
	if s == nil {
		t.Fatalf("no %s on %s; page text:\n%s", sel, location(t, tab), bodyText(tab))
	}
	return strings.TrimSpace(*s)
}

// texts returns the trimmed texts of every element matching sel.
func texts(t *testing.T, tab context.Context, sel string) []string {
	t.Helper()
	all := eval[[]string](t, tab, `[...document.querySelectorAll(`+js(sel)+`)].map(e => e.innerText)`)
	for i := range all {
		all[i] = strings.TrimSpace(all[i])
	}
	return all
}

// count returns how many elements match sel.
func count(t *testing.T, tab context.Context, sel string) int {
	t.Helper()
	return eval[int](t, tab, `document.querySelectorAll(`+js(sel)+`).length`)
}

// number returns the first integer in the text of the element matching sel.
func number(t *testing.T, tab context.Context, sel string) int {
	t.Helper()
	s := text(t, tab, sel)
	m := regexp.MustCompile(`\d+`).FindString(s)
	require.NotEmpty(t, m, "%s holds a number, not %q", sel, s)
	n, err := strconv.Atoi(m)
	require.NoError(t, err)
	return n
}

// value returns the value of the form field with the given id.
func value(t *testing.T, tab context.Context, id string) string {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Value(chromedp.ID(id)))
	require.NoError(t, err, "value of #%s", id)
	return v
}

// hasClass reports whether the element with the given id has the class.
func hasClass(t *testing.T, tab context.Context, id, class string) bool {
	t.Helper()
	return eval[bool](t, tab, `document.getElementById(`+js(id)+`).classList.contains(`+js(class)+`)`)
}

// setValue sets a form field and fires its input and change events. For a
// long text it is much faster than typing, and it is not cut at a maxlength,
// so the server's limit is what is tested. (chromedp.SetValue cannot clear a
// field: it passes "" to the page as undefined, so the field reads
// "undefined".)
func setValue(t *testing.T, tab context.Context, id, v string) {
	t.Helper()
	got := eval[*string](t, tab, `(() => {
		const e = document.getElementById(`+js(id)+`);
		if (!e) return null;
		e.value = `+js(v)+`;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return e.value;
	})()`)
	require.NotNil(t, got, "no #%s on %s", id, location(t, tab))
	require.Equal(t, v, *got, "#%s takes the value", id)
}

// setDate sets the five selects of the date field prefix (StartDate or
// StopDate) to t, by number, whether the options are zero-padded or not.
func setDate(t *testing.T, tab context.Context, prefix string, at time.Time) {
	t.Helper()
	parts := []struct {
		suffix string
		n      int
	}{
		{"Year", at.Year()}, {"Month", int(at.Month())}, {"Day", at.Day()},
		{"Hour", at.Hour()}, {"Minute", at.Minute()},
	}
	for _, p := range parts {
		id := prefix + p.suffix
		ok := eval[bool](t, tab, `(() => {
			const s = document.getElementById(`+js(id)+`);
			if (!s) return false;
			for (const o of s.options) {
				if (parseInt(o.value, 10) === `+strconv.Itoa(p.n)+`) {
					s.value = o.value;
					s.dispatchEvent(new Event("change", {bubbles: true}));
					return true;
				}
			}
			return false;
		})()`)
		require.True(t, ok, "#%s has an option %d", id, p.n)
	}
}

// date reads the five selects of the date field prefix, in UTC.
func date(t *testing.T, tab context.Context, prefix string) time.Time {
	t.Helper()
	n := func(suffix string) int {
		v := value(t, tab, prefix+suffix)
		i, err := strconv.Atoi(v)
		require.NoError(t, err, "#%s%s = %q", prefix, suffix, v)
		return i
	}
	return time.Date(n("Year"), time.Month(n("Month")), n("Day"), n("Hour"), n("Minute"), 0, 0, time.UTC)
}

// breadcrumb returns the texts of the breadcrumb items.
func breadcrumb(t *testing.T, tab context.Context) []string {
	t.Helper()
	return texts(t, tab, ".BreadCrumb li")
}

// windowID returns the ID of the overview row whose comment is comment, from
// the link of its start cell.
func windowID(t *testing.T, tab context.Context, comment string) int64 {
	t.Helper()
	href := eval[string](t, tab, `(() => {
		for (const r of document.querySelectorAll("#SystemMaintenances tbody tr")) {
			if (r.cells.length > 2 && r.cells[2].innerText.trim() === `+js(comment)+`) {
				const a = r.cells[0].querySelector("a");
				return a ? a.getAttribute("href") : "";
			}
		}
		return "";
	})()`)
	m := regexp.MustCompile(`^/admin/maintenance/(\d+)$`).FindStringSubmatch(href)
	require.NotNil(t, m, "the start cell of %q links to /admin/maintenance/{id}, not %q", comment, href)
	id, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	return id
}

// formFields are the fields of the new and edit forms (reference §1.2).
var formFields = []string{
	"StartDateDay", "StartDateMonth", "StartDateYear", "StartDateHour", "StartDateMinute",
	"StopDateDay", "StopDateMonth", "StopDateYear", "StopDateHour", "StopDateMinute",
	"Comment", "LoginMessage", "ShowLoginMessage", "NotifyMessage", "ValidID",
	"Submit", "SubmitAndContinue", "Cancel",
}

// usable reports whether the element with the given id is there, enabled and
// displayed.
func usable(t *testing.T, tab context.Context, id string) bool {
	t.Helper()
	return eval[bool](t, tab, `(() => {
		const e = document.getElementById(`+js(id)+`);
		return !!e && !e.disabled && e.getClientRects().length > 0;
	})()`)
}

// label returns the visible label of a button or a submit input.
func label(t *testing.T, tab context.Context, id string) string {
	t.Helper()
	return strings.TrimSpace(eval[string](t, tab, `(() => {
		const e = document.getElementById(`+js(id)+`);
		return e ? (e.innerText || e.value || "") : "";
	})()`))
}

// TestBrowser_AdminFlow walks Znuny's Selenium test of the admin screen
// (reference §6.2, steps 1 to 13): overview, new form and its errors, add,
// the upcoming banner and the lead time, edit, invalidate, delete.
func TestBrowser_AdminFlow(t *testing.T) {
	h := newHelpdesk(t)
	admin := h.user(t)
	dialogs := browsertest.AcceptDialogs(admin)

	h.login(t, admin, "/login", "admin")
	require.Equal(t, "/", path(t, admin), "the admin lands on the dashboard")
	assert.Equal(t, "Dashboard", text(t, admin, "h1"))
	assert.True(t, exists(t, admin, "#Logout"))

	// 1. The overview: a table with header cells, a body and a breadcrumb.
	h.open(t, admin, "/admin/maintenance")
	require.True(t, exists(t, admin, "table#SystemMaintenances"))
	assert.Equal(t, []string{"Start date", "Stop date", "Comment", "Validity", "State", "Delete"},
		texts(t, admin, "table#SystemMaintenances thead tr th"))
	assert.NotZero(t, count(t, admin, "table#SystemMaintenances tbody tr td"), "an empty list has a 'No data found.' cell")
	assert.NotEmpty(t, breadcrumb(t, admin))

	// 2. The new form: every field there, enabled and shown.
	clickAndLoad(t, admin, "#ScheduleNew")
	require.Equal(t, "/admin/maintenance/new", path(t, admin))
	for _, id := range formFields {
		assert.True(t, usable(t, admin, id), "#%s is there, enabled and displayed", id)
	}
	assert.Equal(t, "Save and finish", label(t, admin, "Submit"))
	assert.Equal(t, "Save", label(t, admin, "SubmitAndContinue"))
	if crumbs := breadcrumb(t, admin); assert.NotEmpty(t, crumbs) {
		assert.Equal(t, "Schedule New System Maintenance", crumbs[len(crumbs)-1])
	}

	// 3. A blank comment is refused.
	require.False(t, hasClass(t, admin, "Comment", "Error"))
	setValue(t, admin, "Comment", "")
	do(t, admin, chromedp.Click(chromedp.ID("Submit")))
	waitVisible(t, admin, "#Comment.Error")

	// 4. A stop before the start is refused with a message.
	const comment = "sysmaintenance-selenium" // Znuny adds a random ID: its database is shared
	setValue(t, admin, "Comment", comment)
	setDate(t, admin, "StartDate", now)
	setDate(t, admin, "StopDate", now.Add(-time.Hour))
	do(t, admin, chromedp.Click(chromedp.ID("Submit")))
	waitVisible(t, admin, ".MessageBox.Error p")
	assert.Contains(t, text(t, admin, ".MessageBox.Error p"), textStopBefore)

	// 5. 251 characters are one too many for both messages.
	start, stop := now.Add(time.Hour), now.Add(2*time.Hour)
	setValue(t, admin, "Comment", comment)
	setDate(t, admin, "StartDate", start)
	setDate(t, admin, "StopDate", stop)
	assert.False(t, hasClass(t, admin, "LoginMessage", "Error"))
	assert.False(t, hasClass(t, admin, "NotifyMessage", "Error"))
	setValue(t, admin, "LoginMessage", strings.Repeat("a", 251))
	setValue(t, admin, "NotifyMessage", strings.Repeat("b", 251))
	do(t, admin, chromedp.Click(chromedp.ID("Submit")))
	waitVisible(t, admin, "#LoginMessage.Error")
	waitVisible(t, admin, "#NotifyMessage.Error")
	browsertest.Screenshot(t, admin, "admin-new-form-errors")

	// 6. A valid window is added; "Save and finish" goes to the overview.
	setValue(t, admin, "Comment", comment)
	setDate(t, admin, "StartDate", start)
	setDate(t, admin, "StopDate", stop)
	setValue(t, admin, "LoginMessage", textLoginMessage)
	setValue(t, admin, "NotifyMessage", textNotify)
	clickAndLoad(t, admin, "#Submit")
	require.Equal(t, "/admin/maintenance", path(t, admin), "Save and finish returns to the overview")
	assert.Contains(t, texts(t, admin, ".MessageBox.Notice p"), textAdded)

	// 8. The overview lists it; its start links to the edit screen.
	assert.Contains(t, text(t, admin, "table#SystemMaintenances"), comment)
	id := windowID(t, admin, comment)

	// 7. The upcoming banner: not shown 60 minutes ahead with a 30-minute
	// lead, shown once the lead is 61 minutes. The plain agent sees it.
	agent := h.user(t)
	h.login(t, agent, "/login", "agent")
	require.Equal(t, "/", path(t, agent))
	assert.False(t, exists(t, agent, "#MaintenanceNotice"), "no banner 60 minutes ahead with a 30-minute lead")

	setValue(t, admin, "LeadMinutes", "61")
	clickAndLoad(t, admin, "#SaveLead")
	require.Equal(t, "/admin/maintenance", path(t, admin))
	assert.Equal(t, "61", value(t, admin, "LeadMinutes"), "the lead time shown is the one saved")

	do(t, agent, chromedp.Reload())
	require.True(t, exists(t, agent, "#MaintenanceNotice"), "the banner shows with a 61-minute lead")
	assert.Equal(t, upcoming(start, stop), text(t, agent, "#MaintenanceNotice p"))
	assert.True(t, exists(t, agent, "#MaintenanceNotice.MessageBox.Notice"))
	browsertest.Screenshot(t, agent, "agent-dashboard-upcoming")

	// 9. The edit screen shows the stored values.
	h.open(t, admin, fmt.Sprintf("/admin/maintenance/%d", id))
	assert.Equal(t, comment, value(t, admin, "Comment"))
	assert.Equal(t, textLoginMessage, value(t, admin, "LoginMessage"))
	assert.Equal(t, textNotify, value(t, admin, "NotifyMessage"))
	assert.Equal(t, "1", value(t, admin, "ValidID"))
	assert.Equal(t, start, date(t, admin, "StartDate"))
	assert.Equal(t, stop, date(t, admin, "StopDate"))
	if crumbs := breadcrumb(t, admin); assert.NotEmpty(t, crumbs) {
		assert.Equal(t, "Edit System Maintenance", crumbs[len(crumbs)-1])
	}

	// 10. 251 characters are refused on edit too.
	assert.False(t, hasClass(t, admin, "LoginMessage", "Error"))
	assert.False(t, hasClass(t, admin, "NotifyMessage", "Error"))
	setValue(t, admin, "LoginMessage", strings.Repeat("a", 251))
	setValue(t, admin, "NotifyMessage", strings.Repeat("b", 251))
	do(t, admin, chromedp.Click(chromedp.ID("Submit")))
	waitVisible(t, admin, "#LoginMessage.Error")
	waitVisible(t, admin, "#NotifyMessage.Error")

	// 11. Update and invalidate. "Save" stays on the edit screen; "Save and
	// finish" goes to the overview, where the row is marked invalid.
	setValue(t, admin, "LoginMessage", textLoginMessage+"-update")
	setValue(t, admin, "NotifyMessage", textNotify+"-update")
	setValue(t, admin, "ValidID", "2")
	clickAndLoad(t, admin, "#SubmitAndContinue")
	require.Equal(t, fmt.Sprintf("/admin/maintenance/%d", id), path(t, admin), "Save stays on the edit screen")
	assert.Contains(t, texts(t, admin, ".MessageBox.Notice p"), textUpdated)
	assert.Equal(t, "2", value(t, admin, "ValidID"))
	clickAndLoad(t, admin, "#Submit")
	require.Equal(t, "/admin/maintenance", path(t, admin))
	assert.Contains(t, texts(t, admin, ".MessageBox.Notice p"), textUpdated)
	assert.Contains(t, text(t, admin, "#SystemMaintenances tr.Invalid"), comment)

	do(t, agent, chromedp.Reload())
	assert.False(t, exists(t, agent, "#MaintenanceNotice"), "an invalid window is never coming")

	// 12. The changes were stored.
	h.open(t, admin, fmt.Sprintf("/admin/maintenance/%d", id))
	assert.Equal(t, textLoginMessage+"-update", value(t, admin, "LoginMessage"))
	assert.Equal(t, textNotify+"-update", value(t, admin, "NotifyMessage"))
	assert.Equal(t, "2", value(t, admin, "ValidID"))
	assert.Equal(t, start, date(t, admin, "StartDate"), "opening and saving does not shift the dates")
	assert.Equal(t, stop, date(t, admin, "StopDate"))

	// 13. Delete, after the confirmation.
	h.open(t, admin, "/admin/maintenance")
	require.Equal(t, 1, count(t, admin, "#SystemMaintenances .DeleteWindow"))
	clickAndLoad(t, admin, "#SystemMaintenances .DeleteWindow")
	select {
	case msg := <-dialogs:
		assert.Equal(t, textDeleteAsk, msg)
	case <-time.After(5 * time.Second):
		t.Error("deleting asks for a confirmation first")
	}
	require.Equal(t, "/admin/maintenance", path(t, admin))
	assert.NotContains(t, text(t, admin, "table#SystemMaintenances"), comment)
	_, err := h.app.Manager().Get(t.Context(), id)
	assert.ErrorIs(t, err, maintenance.ErrNotFound)
}

// TestBrowser_Filter is step 14 of Znuny's Selenium test: the overview lists
// past, active and planned windows by start, and the filter box narrows it.
func TestBrowser_Filter(t *testing.T) {
	h := newHelpdesk(t)
	const comment = "sysmaintenance-filter"
	name := func(n int) string { return fmt.Sprintf("%s maintenance period #%d", comment, n) }
	// Added in the order #1..#10; #10 starts a week ago.
	for n := 1; n <= 10; n++ {
		start := now.AddDate(0, 0, n-1)
		if n == 10 {
			start = now.AddDate(0, 0, -7)
		}
		h.add(t, maintenance.Window{Start: start, Stop: start.Add(2 * time.Hour), Comment: name(n)})
	}
	h.add(t, maintenance.Window{Start: now.Add(3 * time.Hour), Stop: now.Add(4 * time.Hour),
		Comment: "Database upgrade", Validity: maintenance.InvalidTemporarily})

	admin := h.user(t)
	h.login(t, admin, "/login", "admin")
	h.open(t, admin, "/admin/maintenance")
	require.Equal(t, 11, count(t, admin, "#SystemMaintenances tbody tr"))
	assert.Equal(t, 1, count(t, admin, "#SystemMaintenances tbody tr.Invalid"))
	browsertest.Screenshot(t, admin, "admin-overview")

	do(t, admin, chromedp.SendKeys(chromedp.ID("FilterSystemMaintenances"), comment+" maintenance"))
	visible := `[...document.querySelectorAll("#SystemMaintenances tbody tr")].filter(r => r.getClientRects().length > 0)`
	ctx, cancel := context.WithTimeout(admin, 10*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](visible+`.length === 10`))
	require.NoError(t, err, "the filter leaves the 10 matching rows:\n%s", bodyText(admin))

	got := eval[[]string](t, admin, visible+`.map(r => r.cells[2].innerText.trim())`)
	want := []string{name(10)}
	for n := 1; n <= 9; n++ {
		want = append(want, name(n))
	}
	assert.Equal(t, want, got, "sorted by start: the past one first, then the active one, then the planned ones")
}

// TestBrowser_LoginDuringMaintenance goes beyond the Selenium test: while a
// window with a login message is active, both login screens show it, plain
// agents and customers are refused with the login error, and the
// maintenance admin gets in and sees the banner (reference §2).
func TestBrowser_LoginDuringMaintenance(t *testing.T) {
	h := newHelpdesk(t)
	agent, customer, admin := h.user(t), h.user(t), h.user(t)

	h.open(t, agent, "/login")
	assert.False(t, exists(t, agent, "#SystemMaintenance"), "no message box without an active window")

	const loginMessage = "Back by 11:00. Admins can still log in."
	const notifyMessage = "Maintenance in progress: save your work."
	h.add(t, maintenance.Window{
		Start: now.Add(-10 * time.Minute), Stop: now.Add(time.Hour), Comment: "OS upgrade",
		LoginMessage: loginMessage, ShowLoginMessage: true, NotifyMessage: notifyMessage,
	})

	// The login screens show the message.
	h.open(t, agent, "/login")
	require.True(t, exists(t, agent, "#SystemMaintenance"), "the agent login screen shows the message box")
	assert.Contains(t, text(t, agent, "#SystemMaintenance"), loginMessage)
	assert.True(t, usable(t, agent, "LoginButton"), "the form stays, for the admins")
	browsertest.Screenshot(t, agent, "agent-login-maintenance")

	// A plain agent is refused and stays on the login screen.
	h.login(t, agent, "/login", "agent")
	assert.Equal(t, "/login", path(t, agent))
	assert.Equal(t, textRefused, text(t, agent, "#LoginError"))
	assert.False(t, exists(t, agent, "#Logout"))
	h.open(t, agent, "/")
	assert.Equal(t, "/login", path(t, agent), "the refused agent has no session")

	// So is every customer.
	h.open(t, customer, "/customer/login")
	require.True(t, exists(t, customer, "#SystemMaintenance"), "the customer login screen shows the message box")
	assert.Contains(t, text(t, customer, "#SystemMaintenance"), loginMessage)
	h.login(t, customer, "/customer/login", "customer")
	assert.Equal(t, "/customer/login", path(t, customer))
	assert.Equal(t, textRefused, text(t, customer, "#LoginError"))
	browsertest.Screenshot(t, customer, "customer-login-refused")

	// The maintenance admin gets in and sees the window's notify message.
	h.login(t, admin, "/login", "admin")
	require.Equal(t, "/", path(t, admin))
	assert.Equal(t, "Dashboard", text(t, admin, "h1"))
	assert.Equal(t, notifyMessage, text(t, admin, "#MaintenanceNotice p"))

	// Once the window is over, the box is gone and the agent gets in.
	h.clock.Set(now.Add(time.Hour))
	h.open(t, agent, "/login")
	assert.False(t, exists(t, agent, "#SystemMaintenance"), "the stop instant is outside the window")
	h.login(t, agent, "/login", "agent")
	assert.Equal(t, "/", path(t, agent))
	assert.False(t, exists(t, agent, "#MaintenanceNotice"))
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
	h.login(t, customer, "/customer/login", "customer")
	require.Equal(t, "/customer/", path(t, customer))
	assert.Equal(t, "My tickets", text(t, customer, "h1"))
	assert.False(t, exists(t, customer, "#MaintenanceNotice"), "60 minutes ahead, outside the 30-minute lead")

	banner := func(at time.Time) string {
		t.Helper()
		h.clock.Set(at)
		do(t, customer, chromedp.Reload())
		require.Equal(t, "/customer/", path(t, customer), "the customer stays logged in at %v", at)
		if !exists(t, customer, "#MaintenanceNotice") {
			return ""
		}
		return text(t, customer, "#MaintenanceNotice p")
	}
	assert.Equal(t, upcoming(start, stop), banner(start.Add(-30*time.Minute)), "30 minutes ahead")
	assert.Equal(t, notifyMessage, banner(start), "at the start")
	browsertest.Screenshot(t, customer, "customer-home-active")
	assert.Equal(t, notifyMessage, banner(stop.Add(-time.Minute)), "a minute before the stop")
	assert.Equal(t, "", banner(stop), "at the stop")

	clickAndLoad(t, customer, "#Logout")
	assert.Equal(t, "/customer/login", path(t, customer), "logging out leads to the login screen")
	h.open(t, customer, "/customer/")
	assert.Equal(t, "/customer/login", path(t, customer), "the session is gone")
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
	dialogs := browsertest.AcceptDialogs(admin) // in case the kill asks first
	h.login(t, admin, "/login", "admin")
	h.login(t, agent, "/login", "agent")
	h.login(t, customer, "/customer/login", "customer")
	require.Equal(t, "/", path(t, admin))
	require.Equal(t, "/", path(t, agent))
	require.Equal(t, "/customer/", path(t, customer))

	// The window starts; the sessions go on, with the banner.
	h.clock.Set(start.Add(5 * time.Minute))
	do(t, agent, chromedp.Reload())
	require.Equal(t, "/", path(t, agent), "a session from before the window goes on")
	assert.Equal(t, notifyMessage, text(t, agent, "#MaintenanceNotice p"))
	do(t, customer, chromedp.Reload())
	require.Equal(t, "/customer/", path(t, customer))
	assert.Equal(t, notifyMessage, text(t, customer, "#MaintenanceNotice p"))

	// The admin sees three sessions of two agents and one customer.
	edit := fmt.Sprintf("/admin/maintenance/%d", w.ID)
	h.open(t, admin, edit)
	require.True(t, exists(t, admin, "#ManageSessions"))
	assert.Equal(t, 3, number(t, admin, "#AllSessions"))
	assert.Equal(t, 2, number(t, admin, "#UniqueAgents"))
	assert.Equal(t, 1, number(t, admin, "#UniqueCustomers"))
	assert.Equal(t, 2, count(t, admin, "#AgentSessions .KillSession"))
	assert.Equal(t, 1, count(t, admin, "#CustomerSessions .KillSession"))
	browsertest.Screenshot(t, admin, "admin-edit-sessions")

	clickAndLoad(t, admin, "#KillAllSessions")
	for len(dialogs) > 0 {
		t.Logf("dialog before killing: %q", <-dialogs)
	}
	require.Equal(t, edit, path(t, admin), "back on the edit screen")
	assert.Contains(t, texts(t, admin, ".MessageBox.Notice p"), textKilledAll)
	assert.Equal(t, 1, number(t, admin, "#AllSessions"))
	assert.Equal(t, 1, number(t, admin, "#UniqueAgents"))
	assert.Equal(t, 0, number(t, admin, "#UniqueCustomers"))

	// The admin's own session survives.
	do(t, admin, chromedp.Reload())
	require.Equal(t, edit, path(t, admin), "the admin is still logged in")
	assert.True(t, exists(t, admin, "#Logout"))

	// The others land on their login screens, which show the window.
	h.open(t, agent, "/")
	assert.Equal(t, "/login", path(t, agent), "the agent's session is gone")
	assert.True(t, exists(t, agent, "#SystemMaintenance"))
	h.open(t, customer, "/customer/")
	assert.Equal(t, "/customer/login", path(t, customer), "the customer's session is gone")
	assert.True(t, exists(t, customer, "#SystemMaintenance"))
}
