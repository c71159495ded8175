// Package adminuitest browser-tests the admin screens of package adminui,
// in adminui's own tests and in a host's: it finds a Chromium, starts it
// headless for one test with chromedp, gives each simulated user a
// browser context of its own, accepts JavaScript dialogs, writes
// screenshots, and drives a tab (Tab) by the screens' element IDs.
//
//	func TestAdminScreens(t *testing.T) {
//		ctx := adminuitest.Chrome(t) // skips (or, with CI=true, fails) without a browser
//		tab := adminuitest.NewTab(t, ctx, srv.URL)
//		tab.Open("/admin/maintenance/new")
//		tab.SetValue("Comment", "")
//		tab.ClickAndLoad("#Submit")
//		if got := tab.FieldError("Comment"); got != adminui.MsgRequired { ... }
//		tab.Screenshot("new-form-errors")
//	}
//
// It is a package of its own, not an internal one, so that the helpdesk
// example (and any host) can use it: its tests run the screens mounted in
// their own layout.
//
// # Finding the browser
//
// LookPath tries $CHROME_PATH, then chromium, chromium-browser and
// google-chrome in PATH. When none is found, Chrome skips the test and
// names what to install; with CI=true it fails it instead, so that a CI
// run cannot pass by skipping every browser test. The script
// .ci/install-browser installs Debian's chromium when none is found.
// Chrome also skips under go test -short.
//
// # Lifetime
//
// Chrome starts one browser per test, headless, with a fresh profile
// under t.TempDir(), and closes it gracefully when the test ends. The
// returned context ends after Timeout (sooner when the test binary's
// -timeout is nearer), so a hung page fails the test instead of the whole
// run.
//
// # Users
//
// Tabs made with chromedp.NewContext on the same parent share cookies.
// Isolated makes a tab in a new browser context, with its own cookies and
// storage: one per logged-in user.
//
// # Screenshots
//
// Screenshot writes a full-page PNG named after the shot into the
// directory that $SYSMAINT_SCREENSHOTS names, and does nothing when it is
// unset.
package adminuitest
