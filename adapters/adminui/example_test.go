package adminui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// user is what a host knows of the user of a request; here, a demo.
type user struct {
	Name, SessionID  string
	Zone             *time.Location
	MaintenanceAdmin bool
}

// currentUser stands for the host's login: the user whose session cookie
// the request carries.
func currentUser(r *http.Request) (user, bool) {
	if c, err := r.Cookie("session"); err == nil && c.Value == "s1" {
		return user{Name: "alice", SessionID: "s1", Zone: time.UTC, MaintenanceAdmin: true}, true
	}
	return user{}, false
}

// csrfToken stands for the host's per-session CSRF token.
func csrfToken(r *http.Request) string { return "token-of-" + r.Header.Get("Cookie") }

// saveLead stands for the host's settings store.
func saveLead(ctx context.Context, lead time.Duration) error { return nil }

// Example_mount is the README's "Admin screens": a host mounts the screens
// in a few lines, with its own login, sessions and CSRF token.
func Example_mount() {
	m := maintenance.New(memstore.NewWindowStore(), nil)
	sessions := session.New(memstore.NewSessionStore(), nil)
	mux := http.NewServeMux()

	// README: mount
	ui := adminui.New(m, &adminui.Options{
		Admin: func(r *http.Request) (adminui.Admin, bool) {
			u, ok := currentUser(r) // your login
			return adminui.Admin{Actor: u.Name, Location: u.Zone, SessionID: u.SessionID}, ok && u.MaintenanceAdmin
		},
		Sessions:  sessions,  // optional: counts, list, kill
		CSRFToken: csrfToken, // optional: your per-session token
		SaveLead:  saveLead,  // optional: persist the lead time
	})
	mux.Handle("/admin/maintenance/", ui)
	// README: end

	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, cookie := range []string{"session=s1", ""} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin/maintenance/", nil)
		req.Header.Set("Cookie", cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.Contains(string(body), `<table id="SystemMaintenances"`))
	}
	// Output:
	// 200 true
	// 403 false
}

// TestREADME_Mount: the README's "Admin screens" snippet is the code of
// Example_mount, line for line, so the snippet compiles and serves, and
// it is at most 15 lines.
func TestREADME_Mount(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Admin screens\n")
	require.True(t, ok, "the README has a section \"Admin screens\"")
	_, block, ok := strings.Cut(section, "```go\n")
	require.True(t, ok, "with a Go block")
	block, _, ok = strings.Cut(block, "```")
	require.True(t, ok)

	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	_, code, _ := strings.Cut(string(src), "\t// README: mount\n")
	code, _, _ = strings.Cut(code, "\t// README: end\n")
	var want []string
	for _, line := range strings.Split(strings.TrimSuffix(code, "\n"), "\n") {
		want = append(want, strings.TrimPrefix(line, "\t"))
	}
	got := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	assert.Equal(t, want, got, "the README shows Example_mount's code")
	assert.LessOrEqual(t, len(got), 15)
}

// ParseWindowForm reads the dates in the admin's zone and refuses a local
// time that a daylight-saving change skips, instead of shifting it.
func ExampleParseWindowForm() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	f := url.Values{
		"StartDateDay": {"29"}, "StartDateMonth": {"03"}, "StartDateYear": {"2026"}, "StartDateHour": {"02"}, "StartDateMinute": {"30"},
		"StopDateDay": {"29"}, "StopDateMonth": {"03"}, "StopDateYear": {"2026"}, "StopDateHour": {"04"}, "StopDateMinute": {"00"},
		"Comment": {"Storage move"}, "ValidID": {"1"},
	}
	_, errs := adminui.ParseWindowForm(f, berlin)
	fmt.Println(errs.Fields[adminui.FormStartDate])

	f.Set("StartDateHour", "03")
	w, errs := adminui.ParseWindowForm(f, berlin)
	fmt.Println(errs.OK(), w.Start, w.Stop)
	// Output:
	// This local time does not exist in your time zone (daylight saving time change).
	// true 2026-03-29 01:30:00 +0000 UTC 2026-03-29 02:00:00 +0000 UTC
}
