package adminui_test

// Real-browser tests of the screens, in headless Chromium: Znuny's
// Selenium test of the admin screen
// (scripts/test/Selenium/Agent/Admin/AdminSystemMaintenance.t) step by
// step, and what it leaves out: field errors at daylight-saving changes,
// paging and filters, sessions, every action without JavaScript, and the
// keyboard.
//
// Run them alone with
//
//	go test -run Browser ./adapters/adminui/
//
// and write the screenshots of docs/screenshots/ with
// SYSMAINT_SCREENSHOTS=$PWD/docs/screenshots. Without Chromium they skip
// (with CI=true they fail); see package adminuitest.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/adminui/adminuitest"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// browse starts the browser (first: it skips when there is none), then a
// harness, and logs who in; it returns the harness and who's tab.
func browse(t *testing.T, who string, mod ...func(*adminui.Options)) (*harness, *adminuitest.Tab) {
	t.Helper()
	ctx := adminuitest.Chrome(t)
	h := newHarness(t, mod...)
	tab := adminuitest.NewTab(t, ctx, h.srv.URL)
	tab.Open("/login?who=" + who)
	require.Equal(t, prefix+"/", tab.Path(), "logged in, on the overview")
	return h, tab
}

// TestBrowser_ZnunyFlow walks Znuny's Selenium test of the admin screen
// (steps 1 to 13, but the banner, which is the host's: see the helpdesk):
// overview, new form and its errors, add, edit, invalidate, delete.
func TestBrowser_ZnunyFlow(t *testing.T) {
	h, tab := browse(t, "alice")
	dialogs := adminuitest.AcceptDialogs(tab.Ctx)
	now := day

	// 1. The overview: a table with header cells, a body and a breadcrumb.
	require.True(t, tab.Exists("table#SystemMaintenances"))
	assert.Equal(t, []string{"Start date", "Stop date", "Comment", "Validity", "State", "Delete"},
		tab.Texts("table#SystemMaintenances thead tr th"))
	assert.NotZero(t, tab.Count("table#SystemMaintenances tbody tr td"), "an empty list has a 'No data found.' cell")
	assert.Equal(t, []string{"System Maintenance Management"}, tab.Breadcrumb())

	// 2. The new form: every field there, enabled and shown.
	tab.ClickAndLoad("#ScheduleNew")
	require.Equal(t, prefix+"/new", tab.Path())
	for _, id := range adminuitest.FormFields {
		assert.True(t, tab.Usable(id), "#%s is there, enabled and displayed", id)
	}
	assert.Equal(t, "Save and finish", tab.Label("Submit"))
	assert.Equal(t, "Save", tab.Label("SubmitAndContinue"))
	assert.Equal(t, []string{"System Maintenance Management", "Schedule New System Maintenance"}, tab.Breadcrumb())

	// 3. A blank comment is refused, next to the field, which gets the
	// focus.
	require.False(t, tab.HasClass("Comment", "Error"))
	tab.SetValue("Comment", "")
	tab.ClickAndLoad("#Submit")
	tab.WaitVisible("#Comment.Error")
	assert.Equal(t, adminui.MsgRequired, tab.FieldError("Comment"))
	assert.Equal(t, "Comment", tab.Focused(), "the field in error has the focus")
	inv, _ := tab.Attr("Comment", "aria-invalid")
	assert.Equal(t, "true", inv)
	desc, _ := tab.Attr("Comment", "aria-describedby")
	assert.Equal(t, "CommentServerError", desc)
	assert.Equal(t, []string{"Comment: " + adminui.MsgRequired}, tab.Texts("#ErrorSummary li"))

	// 4. Stop before start is refused; the input is kept.
	const comment = "sysmaintenance-selenium" // Znuny adds a random ID: its database is shared
	tab.SetValue("Comment", comment)
	tab.SetDate("StartDate", now)
	tab.SetDate("StopDate", now.Add(-time.Hour))
	tab.ClickAndLoad("#Submit")
	tab.WaitVisible(".MessageBox.Error p")
	assert.Contains(t, tab.Messages("Error"), adminui.MsgStartAfterStop)
	assert.Equal(t, adminui.MsgStartAfterStop, tab.FieldError("StartDate"))
	assert.Equal(t, comment, tab.Value("Comment"), "the input is kept")
	assert.Equal(t, now.Add(-time.Hour), tab.Date("StopDate", time.UTC))

	// 5. 251 characters are one too many for both messages.
	start, stop := now.Add(time.Hour), now.Add(2*time.Hour)
	tab.SetDate("StartDate", start)
	tab.SetDate("StopDate", stop)
	assert.False(t, tab.HasClass("LoginMessage", "Error"))
	assert.False(t, tab.HasClass("NotifyMessage", "Error"))
	tab.SetValue("LoginMessage", strings.Repeat("a", 251))
	tab.SetValue("NotifyMessage", strings.Repeat("b", 251))
	tab.ClickAndLoad("#Submit")
	tab.WaitVisible("#LoginMessage.Error")
	tab.WaitVisible("#NotifyMessage.Error")
	assert.Equal(t, 2, tab.Count("#ErrorSummary li a"))
	tab.Screenshot("admin-new-form-errors")

	// 6. A valid window is added; "Save and finish" goes to the overview.
	const loginMessage = "Selenium test SystemMaintance is progress, please log in later on"
	const notifyMessage = "Currently Selenium SystemMaintenance test is active"
	tab.SetValue("LoginMessage", loginMessage)
	tab.SetValue("NotifyMessage", notifyMessage)
	tab.ClickAndLoad("#Submit")
	require.Equal(t, prefix+"/", tab.Path(), "Save and finish returns to the overview")
	assert.Contains(t, tab.Messages("Notice"), "System Maintenance was added successfully!")

	// 8. The overview lists it; its start links to the edit screen.
	assert.Contains(t, tab.Text("table#SystemMaintenances"), comment)
	id := tab.WindowID(comment)
	require.NotZero(t, id)
	stored := h.get(id)
	assert.Equal(t, start, stored.Start)
	assert.Equal(t, "alice", stored.CreatedBy)

	// 9. The edit screen shows the stored values.
	tab.Open(windowPath(id))
	assert.Equal(t, comment, tab.Value("Comment"))
	assert.Equal(t, loginMessage, tab.Value("LoginMessage"))
	assert.Equal(t, notifyMessage, tab.Value("NotifyMessage"))
	assert.Equal(t, "1", tab.Value("ValidID"))
	assert.Equal(t, start, tab.Date("StartDate", time.UTC))
	assert.Equal(t, stop, tab.Date("StopDate", time.UTC))
	assert.Equal(t, []string{"System Maintenance Management", "Edit System Maintenance"}, tab.Breadcrumb())

	// 10. 251 characters are refused on edit too.
	tab.SetValue("LoginMessage", strings.Repeat("a", 251))
	tab.SetValue("NotifyMessage", strings.Repeat("b", 251))
	tab.ClickAndLoad("#Submit")
	tab.WaitVisible("#LoginMessage.Error")
	tab.WaitVisible("#NotifyMessage.Error")

	// 11. Update and invalidate. "Save" stays on the edit screen; "Save
	// and finish" goes to the overview, where the row is marked invalid.
	tab.SetValue("LoginMessage", loginMessage+"-update")
	tab.SetValue("NotifyMessage", notifyMessage+"-update")
	tab.SetValue("ValidID", "2")
	tab.ClickAndLoad("#SubmitAndContinue")
	require.Equal(t, windowPath(id), tab.Path(), "Save stays on the edit screen")
	assert.Contains(t, tab.Messages("Notice"), "System Maintenance was updated successfully!")
	assert.Equal(t, "2", tab.Value("ValidID"))
	tab.ClickAndLoad("#Submit")
	require.Equal(t, prefix+"/", tab.Path())
	assert.Contains(t, tab.Messages("Notice"), "System Maintenance was updated successfully!")
	assert.Contains(t, tab.Text("#SystemMaintenances tr.Invalid"), comment)

	// 12. The changes were stored, and opening and saving moved nothing.
	tab.Open(windowPath(id))
	assert.Equal(t, loginMessage+"-update", tab.Value("LoginMessage"))
	assert.Equal(t, notifyMessage+"-update", tab.Value("NotifyMessage"))
	assert.Equal(t, "2", tab.Value("ValidID"))
	assert.Equal(t, start, h.get(id).Start)
	assert.Equal(t, stop, h.get(id).Stop)

	// 13. Delete, after the confirmation dialog.
	tab.Open(prefix + "/")
	require.Equal(t, 1, tab.Count("#SystemMaintenances .DeleteWindow"))
	tab.ClickAndLoad("#SystemMaintenances .DeleteWindow")
	select {
	case msg := <-dialogs:
		assert.Equal(t, "Do you really want to delete this scheduled system maintenance?", msg)
	case <-time.After(5 * time.Second):
		t.Error("deleting asks for a confirmation first")
	}
	require.Equal(t, prefix+"/", tab.Path(), "deleted at once after the dialog, no confirmation page")
	assert.Contains(t, tab.Messages("Notice"), "System Maintenance was deleted.")
	assert.NotContains(t, tab.Text("table#SystemMaintenances"), comment)
	_, err := h.m.Get(t.Context(), id)
	assert.ErrorIs(t, err, maintenance.ErrNotFound)
}

// TestBrowser_Filter is step 14 of Znuny's Selenium test: the overview
// lists past, active and planned windows by start, and the filter box
// narrows the page as you type.
func TestBrowser_Filter(t *testing.T) {
	h, tab := browse(t, "alice")
	const comment = "sysmaintenance-filter"
	name := func(n int) string { return fmt.Sprintf("%s maintenance period #%d", comment, n) }
	// Added in the order #1..#10; #10 starts a week ago.
	for n := 1; n <= 10; n++ {
		start := day.AddDate(0, 0, n-1)
		if n == 10 {
			start = day.AddDate(0, 0, -7)
		}
		h.addWindow(start, start.Add(2*time.Hour), func(w *maintenance.Window) { w.Comment = name(n) })
	}
	h.addWindow(day.Add(3*time.Hour), day.Add(4*time.Hour), func(w *maintenance.Window) {
		w.Comment, w.Validity = "Database upgrade", maintenance.InvalidTemporarily
	})

	tab.Open(prefix + "/")
	require.Equal(t, 11, tab.Count("#SystemMaintenances tbody tr"))
	assert.Equal(t, 1, tab.Count("#SystemMaintenances tbody tr.Invalid"))
	assert.False(t, tab.Exists(".Pager"), "one page")
	tab.Screenshot("admin-overview")

	require.True(t, tab.Usable("FilterSystemMaintenances"), "the script shows the filter box")
	tab.Do(chromedp.SendKeys(chromedp.ID("FilterSystemMaintenances"), comment+" maintenance"))
	ctx, cancel := context.WithTimeout(tab.Ctx, 10*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll("#SystemMaintenances tbody tr")].filter(r => r.getClientRects().length > 0).length === 10`))
	require.NoError(t, err, "the filter leaves the 10 matching rows:\n%s", tab.BodyText())
	want := []string{name(10)}
	for n := 1; n <= 9; n++ {
		want = append(want, name(n))
	}
	assert.Equal(t, want, tab.Comments(), "sorted by start: the past one first, then the active one, then the planned ones")
}

// TestBrowser_DSTFieldErrors: in Europe/Berlin, a local time that the
// spring change skips or the autumn change repeats is a field error next
// to the start date, which gets the focus and keeps its input; a time that
// exists is saved with its zone.
func TestBrowser_DSTFieldErrors(t *testing.T) {
	h, tab := browse(t, "berta")
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name  string
		start time.Time // wall clock in Berlin
		want  string
	}{
		{"spring forward gap", time.Date(2027, 3, 28, 2, 30, 0, 0, time.UTC), adminui.MsgDateNotExist},
		{"fall back overlap", time.Date(2027, 10, 31, 2, 30, 0, 0, time.UTC), adminui.MsgDateAmbiguous},
	}
	for _, tt := range tests {
		tab.Open(prefix + "/new")
		tab.SetValue("Comment", "DST "+tt.name)
		tab.SetDate("StartDate", tt.start)
		tab.SetDate("StopDate", tt.start.Add(3*time.Hour))
		tab.ClickAndLoad("#Submit")
		tab.WaitVisible("#StartDateServerError")
		assert.Equal(t, tt.want, tab.FieldError("StartDate"), tt.name)
		assert.Equal(t, "StartDateDay", tab.Focused(), "%s: the date in error has the focus", tt.name)
		assert.True(t, tab.HasClass("StartDateDay", "Error"), tt.name)
		desc, _ := tab.Attr("StartDateHour", "aria-describedby")
		assert.Contains(t, strings.Fields(desc), "StartDateServerError", tt.name)
		assert.Equal(t, tt.start, tab.Date("StartDate", time.UTC), "%s: the input is kept", tt.name)
		assert.Equal(t, "DST "+tt.name, tab.Value("Comment"))
		assert.Equal(t, "", tab.FieldError("StopDate"))
		if tt.want == adminui.MsgDateNotExist {
			tab.Screenshot("admin-dst-field-error")
		}
	}
	assert.Empty(t, h.windows(), "nothing saved")

	// Half an hour later, the time exists: saved, shown in summer time.
	tab.SetDate("StartDate", time.Date(2027, 10, 31, 3, 30, 0, 0, time.UTC))
	tab.ClickAndLoad("#SubmitAndContinue")
	ws := h.windows()
	require.Len(t, ws, 1)
	assert.Equal(t, time.Date(2027, 10, 31, 3, 30, 0, 0, berlin), ws[0].Start.In(berlin))
	assert.Equal(t, "CET", tab.Text("#StartDateZone"))
	tab.Open(prefix + "/")
	assert.Contains(t, tab.Text("#SystemMaintenances"), "2027-10-31 03:30:00 CET")
}

// TestBrowser_Paging: the overview of 120 windows shows 50 at a time; the
// links page forward, back, to the last and the first page; a filter is
// kept while paging.
func TestBrowser_Paging(t *testing.T) {
	h, tab := browse(t, "alice")
	for i := range 120 {
		start := day.Add(time.Duration(i-60) * time.Hour)
		_, err := h.m.Add(t.Context(), maintenance.Window{Start: start, Stop: start.Add(30 * time.Minute),
			Comment: fmt.Sprintf("w%03d", i), Validity: maintenance.Valid}, "test")
		require.NoError(t, err)
	}
	tab.Open(prefix + "/")
	comments := tab.Comments()
	require.Len(t, comments, adminui.DefaultPageSize)
	assert.Equal(t, "w000", comments[0])
	assert.False(t, tab.Exists("#PagePrev"))
	tab.ClickAndLoad("#PageNext")
	assert.Equal(t, "w050", tab.Comments()[0])
	tab.ClickAndLoad("#PageNext")
	assert.Equal(t, []string{"w100", "w119"}, []string{tab.Comments()[0], tab.Comments()[19]})
	assert.Len(t, tab.Comments(), 20)
	assert.False(t, tab.Exists("#PageNext"), "the last page")
	tab.ClickAndLoad("#PagePrev")
	assert.Equal(t, "w050", tab.Comments()[0])
	tab.ClickAndLoad("#PageLast")
	assert.Equal(t, "w070", tab.Comments()[0], "the last 50")
	tab.ClickAndLoad("#PageFirst")
	assert.Equal(t, "w000", tab.Comments()[0])

	// Planned windows only (after day, the 60th on), through the filter
	// form, then paged.
	tab.SetChecked("FilterState-planned", true)
	tab.ClickAndLoad("#ApplyFilter")
	assert.Contains(t, tab.Location(), "state=planned")
	assert.Equal(t, "w061", tab.Comments()[0])
	tab.ClickAndLoad("#PageNext")
	assert.Contains(t, tab.Location(), "state=planned", "the filter is kept")
	assert.Equal(t, []string{"w111", "w119"}, []string{tab.Comments()[0], tab.Comments()[8]})
	tab.Screenshot("admin-overview-paged")
	tab.ClickAndLoad("#ResetFilter")
	assert.Equal(t, "w000", tab.Comments()[0])
}

// TestBrowser_Sessions: the edit screen counts and lists the sessions;
// killing one, then all but the admin's own, shows in the counters.
func TestBrowser_Sessions(t *testing.T) {
	h, tab := browse(t, "alice")
	for _, id := range []string{"agent-1", "agent-2"} {
		h.addSession(id, "agent", session.Agent)
	}
	h.addSession("customer-1", "customer", session.Customer)
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))

	tab.Open(windowPath(win.ID))
	require.True(t, tab.Exists("#ManageSessions"))
	assert.Equal(t, 7, tab.Number("#AllSessions"))
	assert.Equal(t, 5, tab.Number("#UniqueAgents"))
	assert.Equal(t, 1, tab.Number("#UniqueCustomers"))
	assert.Equal(t, 6, tab.Count("#AgentSessions .KillSession"))
	assert.Equal(t, 1, tab.Count("#CustomerSessions .KillSession"))
	assert.Contains(t, tab.Text("#AgentSessions tr.Own"), "(your session)")
	tab.Screenshot("admin-edit-sessions")

	tab.ClickAndLoad(`#CustomerSessions .KillSession`)
	assert.Contains(t, tab.Messages("Notice"), "Session has been killed!")
	assert.Equal(t, 6, tab.Number("#AllSessions"))
	assert.Equal(t, 0, tab.Number("#UniqueCustomers"))

	tab.ClickAndLoad("#KillAllSessions")
	require.Equal(t, windowPath(win.ID), tab.Path(), "back on the edit screen")
	assert.Contains(t, tab.Messages("Notice"), "All sessions have been killed, except for your own.")
	assert.Equal(t, 1, tab.Number("#AllSessions"))
	assert.Equal(t, []string{"session-of-alice"}, h.sessionIDs())
}

// TestBrowser_NoJavaScript: with scripts off, every action still works:
// a delete goes through the confirmation page, the filters through the
// form; the script-only filter box stays hidden.
func TestBrowser_NoJavaScript(t *testing.T) {
	h, tab := browse(t, "alice")
	_, err := chromedp.Call(tab.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	require.NoError(t, err)
	keep := h.addWindow(day.Add(-48*time.Hour), day.Add(-47*time.Hour), func(w *maintenance.Window) { w.Comment = "last week" })
	gone := h.addWindow(day.Add(-time.Minute), day.Add(time.Hour), func(w *maintenance.Window) { w.Comment = "kernel update" })

	tab.Open(prefix + "/")
	assert.False(t, tab.Usable("FilterSystemMaintenances"), "no script, no filter box")
	tab.SetChecked("FilterState-active", true)
	tab.ClickAndLoad("#ApplyFilter")
	assert.Equal(t, []string{"kernel update"}, tab.Comments())

	// The overview's delete button leads to the confirmation page.
	tab.ClickAndLoad("#SystemMaintenances .DeleteWindow")
	require.Equal(t, windowPath(gone.ID)+"/delete", tab.Path())
	assert.Equal(t, "Do you really want to delete this scheduled system maintenance?", tab.Text("#DeleteQuestion"))
	assert.Equal(t, []string{"This system maintenance is active: deleting it ends it at once."}, tab.Messages("Warning"))
	assert.Len(t, h.windows(), 2, "nothing deleted yet")
	tab.Screenshot("admin-delete-confirm")
	tab.ClickAndLoad("#ConfirmDelete")
	require.Equal(t, prefix+"/", tab.Path())
	assert.Equal(t, []maintenance.Window{keep}, h.windows())
	assert.False(t, h.m.Status().Active())

	// So does the edit screen's delete link; Cancel keeps the window.
	tab.Open(windowPath(keep.ID))
	tab.ClickAndLoad("#DeleteThisWindow")
	tab.ClickAndLoad("#CancelDelete")
	assert.Equal(t, prefix+"/", tab.Path())
	assert.Len(t, h.windows(), 1)
}

// TestBrowser_Keyboard: the form is used with the keyboard alone: Tab
// moves through the fields in order (the repeat choices are one stop, and
// the script hides the options of those not chosen), and Enter in a text
// field saves.
func TestBrowser_Keyboard(t *testing.T) {
	h, tab := browse(t, "alice")
	tab.Open(prefix + "/new")
	tab.Do(chromedp.Focus(chromedp.ID("StopDateMinute")))
	for _, next := range []string{"Repeat-none", "Comment", "LoginMessage", "ShowLoginMessage", "NotifyMessage", "ValidID", "SubmitAndContinue"} {
		tab.Press("\t", false)
		assert.Equal(t, next, tab.Focused())
	}
	tab.Do(chromedp.Focus(chromedp.ID("Comment")))
	tab.Do(chromedp.KeyEvent("Typed on the keyboard"))
	tab.Press("\r", true)
	ws := h.windows()
	require.Len(t, ws, 1)
	assert.Equal(t, "Typed on the keyboard", ws[0].Comment)
	assert.Equal(t, windowPath(ws[0].ID), tab.Path(), "Enter presses the first button, Save")
}

// TestBrowser_RecurringPreview: a weekly window is made through the form:
// "weekly on Sunday", previewed (the next five occurrences in the admin's
// zone, across the spring change, nothing saved), then saved; the
// overview shows how it repeats and its next occurrence.
func TestBrowser_RecurringPreview(t *testing.T) {
	h, tab := browse(t, "berta")
	berlin := mustZone(t, "Europe/Berlin")
	h.clock.Set(time.Date(2027, 3, 10, 12, 0, 0, 0, berlin))

	tab.Open(prefix + "/new")
	tab.SetValue("Comment", "Weekly patching")
	start := time.Date(2027, 3, 12, 2, 0, 0, 0, time.UTC) // a Friday, wall clock in Berlin
	tab.SetDate("StartDate", start)
	tab.SetDate("StopDate", start.Add(2*time.Hour))
	tab.SetChecked("Repeat-weekly", true)
	tab.SetChecked("RepeatDays-WE", false) // preset from the day the form opened with
	tab.SetChecked("RepeatDays-SU", true)
	assert.Contains(t, tab.Text("#RepeatHint"), "Europe/Berlin")
	tab.ClickAndLoad("#PreviewOccurrences")

	require.True(t, tab.Exists("#Occurrences"), "the preview is shown:\n%s", tab.BodyText())
	assert.Equal(t, []string{
		"Sunday, 2027-03-14 02:00 CET to 04:00 CET",
		"Sunday, 2027-03-21 02:00 CET to 04:00 CET",
		"Sunday, 2027-03-28 03:00 CEST to 05:00 CEST",
		"Sunday, 2027-04-04 02:00 CEST to 04:00 CEST",
		"Sunday, 2027-04-11 02:00 CEST to 04:00 CEST",
	}, tab.Texts("#Occurrences .Occurrence"), "five occurrences in the admin's zone; 02:00 on the day the clocks skip it is 03:00")
	assert.Contains(t, tab.Location(), "#Occurrences", "the page opens at the preview")
	assert.Empty(t, h.windows(), "a preview writes nothing")
	assert.True(t, tab.Usable("Repeat-weekly"))
	assert.Equal(t, "Weekly patching", tab.Value("Comment"), "the input is kept")
	tab.Screenshot("admin-repeat-preview")

	tab.ClickAndLoad("#Submit")
	require.Equal(t, prefix+"/", tab.Path(), "%s", tab.BodyText())
	ws := h.windows()
	require.Len(t, ws, 1)
	assert.Equal(t, maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"}, ws[0].Recurrence)
	assert.Equal(t, time.Date(2027, 3, 14, 2, 0, 0, 0, berlin), ws[0].Start.In(berlin), "the start is the first Sunday")
	assert.Equal(t, "Weekly on Sun", tab.Text("#SystemMaintenances .Repeats"))
	assert.Equal(t, "Next: Sunday, 2027-03-14 02:00 CET to 04:00 CET", tab.Text("#SystemMaintenances .NextOccurrence"))

	// The edit screen lists the next occurrences; skipping one takes it
	// out.
	tab.Open(windowPath(ws[0].ID))
	assert.True(t, tab.Exists("#Repeat-weekly:checked"))
	require.Equal(t, 5, tab.Count("#Occurrences .SkipOccurrence"))
	tab.ClickAndLoad("#Occurrences li:nth-child(2) .SkipOccurrence")
	assert.Contains(t, tab.Messages("Notice"), "The occurrence was skipped.")
	assert.Equal(t, "Sunday, 2027-03-28 03:00 CEST to 05:00 CEST", tab.Texts("#Occurrences .Occurrence")[1])
	assert.Equal(t, []time.Time{time.Date(2027, 3, 21, 2, 0, 0, 0, berlin).UTC()}, h.get(ws[0].ID).Recurrence.Exceptions)
	tab.Screenshot("admin-repeat-edit")
}
