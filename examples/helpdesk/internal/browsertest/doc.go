// Package browsertest runs real-browser tests: it finds a Chromium, starts it
// headless for one test with chromedp, gives each simulated user a browser
// context of its own, accepts JavaScript dialogs and writes screenshots.
//
//	func TestLogin(t *testing.T) {
//		ctx := browsertest.Chrome(t) // skips (or, with CI=true, fails) without a browser
//		err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login"))
//		...
//		browsertest.Screenshot(t, ctx, "login")
//	}
//
// # Finding the browser
//
// LookPath tries $CHROME_PATH, then chromium, chromium-browser and
// google-chrome in PATH. When none is found, Chrome skips the test and names
// what to install; with CI=true it fails it instead, so that a CI run cannot
// pass by skipping every browser test. The script .ci/install-browser installs
// Debian's chromium when none is found. Chrome also skips under go test -short.
//
// # Lifetime
//
// Chrome starts one browser per test, headless, with a fresh profile under
// t.TempDir(), and closes it gracefully when the test ends. The returned
// context ends after Timeout (sooner when the test binary's -timeout is
// nearer), so a hung page fails the test instead of the whole run.
//
// # Users
//
// Tabs made with chromedp.NewContext on the same parent share cookies. Isolated
// makes a tab in a new browser context, with its own cookies and storage: one
// per logged-in user.
//
// # Screenshots
//
// Screenshot writes a full-page PNG named after the shot into the directory
// that $SYSMAINT_SCREENSHOTS names, and does nothing when it is unset.
package browsertest
