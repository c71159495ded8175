package adminuitest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui/adminuitest"
)

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "my-chrome")
	require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755))
	chromium := filepath.Join(dir, "chromium-browser")
	require.NoError(t, os.WriteFile(chromium, []byte("#!/bin/sh\n"), 0o755))
	empty := t.TempDir()

	tests := []struct {
		name       string
		chromePath string
		path       string
		want       string
		notFound   bool
		fails      bool
	}{
		{name: "CHROME_PATH wins over PATH", chromePath: fake, path: dir, want: fake},
		{name: "CHROME_PATH as a program name", chromePath: "my-chrome", path: dir, want: fake},
		{name: "bad CHROME_PATH is an error, not a fallback", chromePath: filepath.Join(empty, "nope"), path: dir, fails: true},
		{name: "candidate in PATH", path: dir, want: chromium},
		{name: "nothing found", path: empty, fails: true, notFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CHROME_PATH", tt.chromePath)
			t.Setenv("PATH", tt.path)
			got, err := adminuitest.LookPath()
			if tt.fails {
				require.Error(t, err)
				assert.Equal(t, tt.notFound, errors.Is(err, adminuitest.ErrNotFound))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestChrome drives the harness against a tiny site: navigation, isolated
// cookies, a confirm dialog and a screenshot.
func TestChrome(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: r.URL.Query().Get("who"), Path: "/"})
		fmt.Fprint(w, `<!doctype html><title>set</title><p id="done">set</p>`)
	})
	mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
		who := "nobody"
		if c, err := r.Cookie("who"); err == nil {
			who = c.Value
		}
		fmt.Fprintf(w, `<!doctype html><title>who</title><p id="who">%s</p>`, who)
	})
	mux.HandleFunc("/confirm", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>confirm</title>
<form action="/who" onsubmit="return confirm('Really?')"><button id="go">Go</button></form>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx := adminuitest.Chrome(t)
	alice := adminuitest.Isolated(t, ctx)
	bob := adminuitest.Isolated(t, ctx)
	require.NoError(t, chromedp.Do(alice, chromedp.Navigate(srv.URL+"/set?who=alice")))
	require.NoError(t, chromedp.Do(bob, chromedp.Navigate(srv.URL+"/set?who=bob")))

	who := func(ctx2 context.Context) string {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx2, chromedp.Navigate(srv.URL+"/who")))
		s, err := chromedp.Run(ctx2, chromedp.Text(chromedp.ID("who")))
		require.NoError(t, err)
		return s
	}
	assert.Equal(t, "alice", who(alice))
	assert.Equal(t, "bob", who(bob))
	assert.Equal(t, "nobody", who(ctx), "the first tab shares no cookies with isolated ones")

	dialogs := adminuitest.AcceptDialogs(alice)
	require.NoError(t, chromedp.Do(alice, chromedp.Navigate(srv.URL+"/confirm")))
	_, err := chromedp.Run(alice, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID("go"))))
	require.NoError(t, err)
	assert.Equal(t, "Really?", <-dialogs)
	got, err := chromedp.Run(alice, chromedp.Text(chromedp.ID("who")))
	require.NoError(t, err)
	assert.Equal(t, "alice", got, "accepting the confirm submitted the form")

	shots := t.TempDir()
	t.Setenv(adminuitest.ScreenshotsEnv, shots)
	adminuitest.Screenshot(t, alice, "who")
	png, err := os.ReadFile(filepath.Join(shots, "who.png"))
	require.NoError(t, err)
	assert.Equal(t, "\x89PNG", string(png[:4]))
}
