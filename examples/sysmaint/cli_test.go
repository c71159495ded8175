package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
)

// step is one command line of a session, run at t0+at.
type step struct {
	name   string
	at     time.Duration
	args   []string
	code   int
	stderr string                         // a part of the error message, when code is not 0
	check  func(t *testing.T, out string) // checks stdout
}

// decode parses the --json output of a command into v.
func decode[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(out), &v), "stdout: %s", out)
	return v
}

// ids returns the IDs of ws.
func ids(ws []httpapi.Window) []int64 {
	out := []int64{}
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

// session is an operator's session: each command line with the exit code
// and output it must give, on every backend alike.
var session = []step{
	{name: "status before anything", args: []string{"status", "--json"}, check: func(t *testing.T, out string) {
		st := decode[httpapi.Status](t, out)
		assert.False(t, st.Active)
		assert.Nil(t, st.Upcoming)
		assert.True(t, st.Now.Equal(t0))
	}},
	{name: "status in words", args: []string{"status"}, check: func(t *testing.T, out string) {
		assert.Equal(t, "No maintenance is active or coming.\n", out)
	}},
	{name: "down", args: []string{"down", "--for", "30m", "--comment", "Upgrade the database", "--notify", "Back soon", "--json"}, check: func(t *testing.T, out string) {
		w := decode[httpapi.Window](t, out)
		assert.Equal(t, int64(1), w.ID)
		assert.True(t, w.Start.Equal(t0))
		assert.True(t, w.Stop.Equal(t0.Add(30*time.Minute)))
		assert.Equal(t, "Upgrade the database", w.Comment)
		assert.Equal(t, "Back soon", w.NotifyMessage)
		assert.False(t, w.ShowLoginMessage)
		assert.Equal(t, "active", w.State)
		assert.Equal(t, "valid", w.Validity)
		assert.Equal(t, "ops", w.CreatedBy)
	}},
	{name: "status while down", at: 5 * time.Minute, args: []string{"status", "--json"}, code: exitActive, check: func(t *testing.T, out string) {
		st := decode[httpapi.Status](t, out)
		assert.True(t, st.Active)
		require.NotNil(t, st.Window)
		assert.Equal(t, int64(1), st.Window.ID)
		assert.Equal(t, int64(25*60), st.RetryAfterSeconds)
	}},
	{name: "status while down, in words", at: 5 * time.Minute, args: []string{"status"}, code: exitActive, check: func(t *testing.T, out string) {
		assert.Equal(t, "Maintenance is active until 2026-11-24 10:30 CET (Retry-After: 1500 s).\n"+
			"Window 1, since 2026-11-24 10:00 CET: Upgrade the database\n"+
			"Next change: 2026-11-24 10:30 CET\n", out)
	}},
	{name: "extend", at: 10 * time.Minute, args: []string{"extend", "1", "--by", "15m", "--json"}, check: func(t *testing.T, out string) {
		w := decode[httpapi.Window](t, out)
		assert.True(t, w.Stop.Equal(t0.Add(45*time.Minute)))
		assert.Equal(t, int64(2), w.Version)
	}},
	{name: "up", at: 20 * time.Minute, args: []string{"up", "--json"}, check: func(t *testing.T, out string) {
		l := decode[httpapi.WindowList](t, out)
		require.Len(t, l.Windows, 1)
		assert.True(t, l.Windows[0].Stop.Equal(t0.Add(20*time.Minute)))
		assert.Equal(t, "finished", l.Windows[0].State)
	}},
	{name: "up again ends nothing", at: 20 * time.Minute, args: []string{"up"}, check: func(t *testing.T, out string) {
		assert.Equal(t, "No window was active.\n", out)
	}},
	{name: "status after up", at: 20 * time.Minute, args: []string{"status"}},
	{name: "schedule at a wall-clock time", at: 30 * time.Minute,
		args: []string{"--tz", "Europe/Berlin", "schedule", "--at", "2026-11-24 12:00", "--for", "1h", "--comment", "Deploy", "--login-message", "Back at 13:00", "--json"},
		check: func(t *testing.T, out string) {
			w := decode[httpapi.Window](t, out)
			assert.Equal(t, int64(2), w.ID)
			assert.Equal(t, "2026-11-24T11:00:00Z", httpapi.FormatInstant(w.Start))
			assert.Equal(t, "2026-11-24T12:00:00Z", httpapi.FormatInstant(w.Stop))
			assert.True(t, w.ShowLoginMessage, "--login-message shows it")
			assert.Equal(t, "planned", w.State)
		}},
	{name: "status when coming", at: 105 * time.Minute, args: []string{"status", "--json"}, code: exitUpcoming, check: func(t *testing.T, out string) {
		st := decode[httpapi.Status](t, out)
		assert.False(t, st.Active)
		require.NotNil(t, st.Upcoming)
		assert.Equal(t, int64(2), st.Upcoming.ID)
	}},
	{name: "list planned", at: 105 * time.Minute, args: []string{"list", "--state", "planned", "--json"}, check: func(t *testing.T, out string) {
		assert.Equal(t, []int64{2}, ids(decode[httpapi.WindowList](t, out).Windows))
	}},
	{name: "list all", at: 105 * time.Minute, args: []string{"list", "--json"}, check: func(t *testing.T, out string) {
		assert.Equal(t, []int64{1, 2}, ids(decode[httpapi.WindowList](t, out).Windows))
	}},
	{name: "list by time", at: 105 * time.Minute, args: []string{"list", "--from", "2026-11-24 11:00", "--to", "2026-11-24T12:30:00+01:00", "--json"}, check: func(t *testing.T, out string) {
		assert.Equal(t, []int64{2}, ids(decode[httpapi.WindowList](t, out).Windows))
	}},
	{name: "list invalid", at: 105 * time.Minute, args: []string{"list", "--validity", "invalid"}, check: func(t *testing.T, out string) {
		assert.Equal(t, "No windows.\n", out)
	}},
	{name: "list in words", at: 105 * time.Minute, args: []string{"--tz", "UTC", "list"}, check: func(t *testing.T, out string) {
		assert.Equal(t, ""+
			"ID  STATE     VALIDITY  START                 STOP                  COMMENT\n"+
			"1   finished  valid     2026-11-24 09:00 UTC  2026-11-24 09:20 UTC  Upgrade the database\n"+
			"2   planned   valid     2026-11-24 11:00 UTC  2026-11-24 12:00 UTC  Deploy\n", out)
	}},
	{name: "end a window that has not started", at: 105 * time.Minute, args: []string{"end", "2"}, code: exitConflict, stderr: "has not started"},
	{name: "cancel", at: 105 * time.Minute, args: []string{"cancel", "2", "--json"}, check: func(t *testing.T, out string) {
		w := decode[httpapi.Window](t, out)
		assert.Equal(t, "invalid", w.Validity)
		assert.Equal(t, int64(2), w.Version)
	}},
	{name: "status after cancel", at: 105 * time.Minute, args: []string{"status"}},
	{name: "show", at: 105 * time.Minute, args: []string{"show", "2"}, check: func(t *testing.T, out string) {
		assert.Equal(t, ""+
			"ID:              2\n"+
			"State:           planned (invalid)\n"+
			"Start:           2026-11-24 12:00 CET\n"+
			"Stop:            2026-11-24 13:00 CET\n"+
			"Comment:         Deploy\n"+
			"Notify message:  (the host's default)\n"+
			"Login message:   Back at 13:00 (shown during the window)\n"+
			"Notice lead:     the host's\n"+
			"Created:         2026-11-24 10:30 CET by ops\n"+
			"Changed:         2026-11-24 11:45 CET by ops\n"+
			"Version:         2\n", out)
	}},
	{name: "show an unknown window", at: 105 * time.Minute, args: []string{"show", "99"}, code: exitNotFound, stderr: "no window has the ID 99"},
	{name: "schedule in and until", at: 105 * time.Minute,
		args: []string{"schedule", "--in", "2h", "--until", "2026-11-24 14:00", "--lead", "1h", "--json"}, check: func(t *testing.T, out string) {
			w := decode[httpapi.Window](t, out)
			assert.Equal(t, int64(3), w.ID)
			assert.Equal(t, "2026-11-24T12:45:00Z", httpapi.FormatInstant(w.Start))
			assert.Equal(t, "2026-11-24T13:00:00Z", httpapi.FormatInstant(w.Stop))
			assert.Equal(t, int64(3600), w.LeadSeconds)
		}},
	{name: "extend at a stale version", at: 110 * time.Minute, args: []string{"extend", "3", "--by", "1m", "--if-version", "7"}, code: exitConflict, stderr: "version"},
	{name: "status outside the window's own lead", at: 164 * time.Minute, args: []string{"status"}},
	{name: "status within the window's own lead", at: 165 * time.Minute, args: []string{"status"}, code: exitUpcoming, check: func(t *testing.T, out string) {
		assert.Equal(t, "Maintenance is coming: window 3, from 2026-11-24 13:45 CET to 2026-11-24 14:00 CET: Maintenance\n"+
			"Next change: 2026-11-24 13:45 CET\n", out)
	}},
	{name: "end at its version", at: 230 * time.Minute, args: []string{"end", "3", "--if-version", "1", "--json"}, check: func(t *testing.T, out string) {
		w := decode[httpapi.Window](t, out)
		assert.True(t, w.Stop.Equal(t0.Add(230*time.Minute)))
	}},
	{name: "end a finished window", at: 240 * time.Minute, args: []string{"end", "3"}, code: exitConflict, stderr: "finished"},
	{name: "a login message kept hidden", at: 240 * time.Minute,
		args: []string{"down", "--for", "1m", "--login-message", "Later", "--show-login-message=false", "--json"}, check: func(t *testing.T, out string) {
			w := decode[httpapi.Window](t, out)
			assert.Equal(t, "Later", w.LoginMessage)
			assert.False(t, w.ShowLoginMessage)
			assert.Equal(t, httpapi.DefaultDownComment, w.Comment)
		}},
	{name: "the host's login message shown", at: 241 * time.Minute, args: []string{"down", "--for", "1m", "--show-login-message", "--json"}, check: func(t *testing.T, out string) {
		w := decode[httpapi.Window](t, out)
		assert.Empty(t, w.LoginMessage)
		assert.True(t, w.ShowLoginMessage)
	}},
}

// TestCLI_Session runs an operator's session on every backend: each
// command's exit code and output, and the same output, byte for byte,
// from the database and from the API.
func TestCLI_Session(t *testing.T) {
	outputs := map[string][]string{}
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			for _, st := range session {
				res := tg.run(t, t0.Add(st.at), st.args...)
				require.Equal(t, st.code, res.code, "%s: %v\nstdout: %s\nstderr: %s", st.name, st.args, res.stdout, res.stderr)
				if st.code != exitOK && st.code != exitActive && st.code != exitUpcoming {
					assert.Empty(t, res.stdout, st.name)
					assert.Contains(t, res.stderr, st.stderr, st.name)
				} else {
					assert.Empty(t, res.stderr, st.name)
				}
				if st.check != nil {
					t.Run(st.name, func(t *testing.T) { st.check(t, res.stdout) })
				}
				outputs[tg.name] = append(outputs[tg.name], res.stdout)
			}
		})
	}
	for name, outs := range outputs {
		assert.Equal(t, outputs["sqlite"], outs, "%s writes what sqlite writes", name)
	}
}
