package adminuitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Timeout bounds the browser work of one test: the context that Chrome
// returns ends this long after the browser started.
const Timeout = 60 * time.Second

// ScreenshotsEnv names the environment variable that holds the directory
// Screenshot writes to.
const ScreenshotsEnv = "SYSMAINT_SCREENSHOTS"

// Candidates are the programs LookPath tries in PATH, in order, after
// $CHROME_PATH.
var Candidates = []string{"chromium", "chromium-browser", "google-chrome"}

// ErrNotFound is returned by LookPath when no browser is found.
var ErrNotFound = errors.New("adminuitest: no Chromium found")

// LookPath returns the path of the browser to run: $CHROME_PATH when it is
// set (a path or a program in PATH; an error when it is neither), else the
// first of Candidates found in PATH. It returns an error wrapping ErrNotFound
// when there is none.
func LookPath() (string, error) {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("adminuitest: CHROME_PATH=%s: %w", p, err)
		}
		return path, nil
	}
	for _, name := range Candidates {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w (tried $CHROME_PATH and %v in PATH)", ErrNotFound, Candidates)
}

// Flags are the Chromium switches Chrome adds to chromedp's defaults, which
// already run it headless. They keep a browser in a container or CI runner
// quiet: no sandbox (CI runs as root), no GPU, no /dev/shm, no QUIC, and no
// background traffic to Google.
var Flags = []string{
	"no-sandbox",
	"disable-gpu",
	"disable-dev-shm-usage",
	"disable-quic",
	"no-first-run",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
}

// Chrome starts a headless Chromium for t and returns the context of its
// first tab. The browser runs until t ends; the context ends after Timeout.
//
// Without a browser, Chrome skips t, or fails it when $CI is "true". It skips
// t under go test -short.
func Chrome(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("adminuitest: browser tests do not run with -short")
	}
	path, err := LookPath()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no Chromium found: run .ci/install-browser (%v)", err)
		}
		t.Skipf("%v: install Chromium (Debian: apt-get install chromium, or run .ci/install-browser) or set CHROME_PATH to run the browser tests", err)
	}

	// The profile lives in t.TempDir(). Its cleanup was registered first, so it
	// runs after ours below, once the browser has exited.
	profile := filepath.Join(t.TempDir(), "chromium-profile")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	out := &lockedBuffer{}
	opts = append(opts, chromedp.CombinedOutput(out))

	// The browser's life is bound to the context of the first Run, so that
	// context has no deadline; the deadline goes on the context returned.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// Close gracefully, so that Chromium's helper processes exit with it
		// and stop writing to the profile, then wait for the process.
		cctx, cancel := context.WithTimeout(browserCtx, 10*time.Second)
		defer cancel()
		if err := chromedp.Cancel(cctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("adminuitest: closing the browser: %v", err)
		}
		cancelBrowser()
		cancelAlloc() // waits for the process
	})
	start := time.Now()
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("adminuitest: starting %s: %v\nbrowser output:\n%s", path, err, out.String())
	}
	t.Logf("adminuitest: %s started in %v", path, time.Since(start).Round(time.Millisecond))

	timeout := Timeout
	if d, ok := deadline(t); ok {
		// Leave the test binary time to report which test hung.
		timeout = min(timeout, time.Until(d)-5*time.Second)
	}
	ctx, cancel := context.WithTimeout(browserCtx, timeout)
	t.Cleanup(cancel)
	return ctx
}

// deadline returns the deadline of t when t is a *testing.T that has one.
func deadline(t testing.TB) (time.Time, bool) {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		return d.Deadline()
	}
	return time.Time{}, false
}

// Isolated returns the context of a new tab, in the browser of ctx, that sits
// in a browser context of its own: its cookies and storage are shared with no
// other tab. Use one per simulated user. The tab closes when t ends.
func Isolated(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("adminuitest: opening an isolated tab: %v", err)
	}
	return tab
}

// AcceptDialogs accepts every JavaScript dialog (alert, confirm, prompt,
// beforeunload) that the tab of ctx opens from now on, and sends its message
// on the returned channel, which keeps up to 16 unread messages and drops
// the rest. An action that opens a dialog blocks until the dialog is closed,
// so if accepting fails, that action fails when ctx ends.
func AcceptDialogs(ctx context.Context) <-chan string {
	messages := make(chan string, 16)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return // the context ended
			}
			// The error has nowhere to go: the goroutine may outlive the test.
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			select {
			case messages <- ev.Message:
			default:
			}
		}
	}()
	return messages
}

// Screenshot writes a full-page PNG of the tab of ctx to name+".png" in the
// directory $SYSMAINT_SCREENSHOTS, creating it if needed. It does nothing when
// the variable is unset.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("adminuitest: screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("adminuitest: screenshot %s: %v", name, err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Fatalf("adminuitest: screenshot %s: %v", name, err)
	}
	t.Logf("adminuitest: wrote %s", file)
}

// lockedBuffer collects the browser's output, written from chromedp's
// goroutines and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil // enough to diagnose a failed start
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
