package main

import (
	"os/user"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCLI_BadInput runs command lines that must be refused, on every
// backend: each gives its documented exit code and a message on stderr
// naming what is wrong, writes nothing to stdout, and changes no window.
func TestCLI_BadInput(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown command", []string{"downn"}, exitUsage, `unknown command "downn"`},
		{"unknown flag", []string{"down", "--for", "30m", "--bogus"}, exitUsage, "flag provided but not defined: -bogus"},
		{"bad duration", []string{"down", "--for", "30x"}, exitUsage, `invalid value "30x" for flag -for: not a duration`},
		{"zero duration", []string{"down", "--for", "0s"}, exitUsage, "must be at least 1s"},
		{"negative duration", []string{"extend", "1", "--by", "-5m"}, exitUsage, "must be at least 1s"},
		{"duration in fractions of a second", []string{"down", "--for", "1500ms"}, exitUsage, "must be whole seconds"},
		{"down without --for", []string{"down"}, exitUsage, "--for is required"},
		{"extend without --by", []string{"extend", "1"}, exitUsage, "--by is required"},
		{"DST gap", []string{"--tz", "Europe/Berlin", "schedule", "--at", "2026-03-29 02:30", "--for", "1h"}, exitUsage,
			`--at "2026-03-29 02:30": that local time does not exist in Europe/Berlin`},
		{"DST overlap", []string{"schedule", "--tz", "Europe/Berlin", "--at", "2026-11-24 22:00", "--until", "2026-10-25 02:30"}, exitUsage,
			`--until "2026-10-25 02:30": that local time occurs twice in Europe/Berlin (the clocks go back): give its offset, 2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00`},
		{"not a time", []string{"schedule", "--at", "tomorrow", "--for", "1h"}, exitUsage, `--at "tomorrow" is not a time`},
		{"no start", []string{"schedule", "--for", "1h"}, exitUsage, "--at TIME or --in DURATION"},
		{"two starts", []string{"schedule", "--at", "2026-11-24 12:00", "--in", "1h", "--for", "1h"}, exitUsage, "--at TIME or --in DURATION"},
		{"no stop", []string{"schedule", "--in", "1h"}, exitUsage, "--for DURATION or --until TIME"},
		{"stop before start", []string{"schedule", "--at", "2026-11-24 12:00", "--until", "2026-11-24 11:00"}, exitUsage,
			"the window would not be valid: start (--at) is not before the stop"},
		{"comment too long", []string{"down", "--for", "1h", "--comment", strings.Repeat("x", 251)}, exitUsage,
			"the window would not be valid: comment (--comment) is longer than 250 characters"},
		{"start outside the years", []string{"schedule", "--at", "0000-06-01 00:00", "--for", "1h"}, exitUsage,
			"start (--at) is outside the years 1 to 9999"},
		{"unknown state", []string{"list", "--state", "running"}, exitUsage, `"running" is not one of planned, active, finished`},
		{"from after to", []string{"list", "--from", "2026-11-25", "--to", "2026-11-24"}, exitUsage, "--from must be before --to"},
		{"unknown zone", []string{"--tz", "Mars/Olympus", "status"}, exitUsage, `--tz "Mars/Olympus" is not a time zone`},
		{"ID missing", []string{"show"}, exitUsage, "takes 1 argument(s) (ID), got 0"},
		{"two IDs", []string{"show", "1", "2"}, exitUsage, "takes 1 argument(s) (ID), got 2"},
		{"argument to a command without", []string{"status", "now"}, exitUsage, "takes 0 argument(s) (none), got 1"},
		{"ID not a number", []string{"show", "abc"}, exitUsage, `"abc" is not a window ID`},
		{"ID zero", []string{"end", "0"}, exitUsage, `"0" is not a window ID`},
		{"negative version", []string{"cancel", "1", "--if-version", "-1"}, exitUsage, "--if-version must be a positive version"},
		{"show an unknown ID", []string{"show", "99"}, exitNotFound, "no window has the ID 99"},
		{"end an unknown ID", []string{"end", "99"}, exitNotFound, "no window has the ID 99"},
		{"extend an unknown ID", []string{"extend", "99", "--by", "1m"}, exitNotFound, "no window has the ID 99"},
		{"cancel an unknown ID", []string{"cancel", "99"}, exitNotFound, "no window has the ID 99"},
		{"end a planned window", []string{"end", "1"}, exitConflict, "window 1 has not started"},
		{"cancel at another version", []string{"cancel", "1", "--if-version", "5"}, exitConflict, "version"},
		{"bad SYSMAINT_NOW", nil, exitUsage, `SYSMAINT_NOW="yesterday" is not an RFC 3339 instant`},
	}
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			seed := tg.run(t, t0, "schedule", "--in", "2h", "--for", "1h")
			require.Equal(t, exitOK, seed.code, seed.stderr)
			before := tg.windows(t)
			require.Len(t, before, 1)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var res result
					if tt.args == nil {
						res = runTool(t, append([]string{envNow + "=yesterday"}, tg.env...), append(tg.flags, "status")...)
					} else {
						res = tg.run(t, t0, tt.args...)
					}
					assert.Equal(t, tt.code, res.code, "stderr: %s", res.stderr)
					assert.Empty(t, res.stdout)
					assert.Contains(t, res.stderr, tt.stderr)
					assert.True(t, strings.HasPrefix(res.stderr, "sysmaint"), "the message names the tool: %q", res.stderr)
					assert.Equal(t, before, tg.windows(t), "nothing written")
				})
			}
		})
	}
}

// TestCLI_Backends checks the choice of the backend and its flags: what is
// refused before anything is opened, and how a wrong database or API is
// reported.
func TestCLI_Backends(t *testing.T) {
	sqlite, api := sqliteTarget(t), apiTarget(t)
	missing := t.TempDir() + "/missing.db"
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{"no backend", nil, []string{"status"}, exitUsage, "say where the windows are: --db PATH (SQLite), --db postgres://... or --api URL"},
		{"two backends", nil, []string{"--db", "x.db", "--api", "http://127.0.0.1:1/api", "status"}, exitUsage, "give --db or --api, not both"},
		{"actor with the API", nil, append(api.flags, "--actor", "me", "status"), exitUsage, "--actor applies to --db only"},
		{"schema with the API", nil, append(api.flags, "--schema", "s", "status"), exitUsage, "--schema applies to a postgres:// --db only"},
		{"schema with SQLite", nil, append(sqlite.flags, "--schema", "s", "status"), exitUsage, "--schema applies to a postgres:// --db only"},
		{"token with a database", nil, append(sqlite.flags, "--token", "t", "status"), exitUsage, "--token applies to --api only"},
		{"lead with the API", api.env, append(api.flags, "status", "--lead", "1h"), exitUsage, "--lead applies to --db only"},
		{"blank actor", nil, append(sqlite.flags, "--actor", " ", "status"), exitUsage, "--actor is required"},
		{"API URL not http", nil, []string{"--api", "ftp://example.com/api", "status"}, exitUsage, `--api "ftp://example.com/api" is not an http:// or https:// URL`},
		{"missing SQLite file", nil, []string{"--db", missing, "down", "--for", "1h"}, exitFailure, "no such file: check the path"},
		{"wrong token", []string{envToken + "=wrong"}, append(api.flags, "status"), exitFailure, "401 Unauthorized"},
		{"no token", nil, append(api.flags, "status"), exitFailure, "give the API's token in SYSMAINT_TOKEN or --token"},
		{"wrong API URL", api.env, []string{"--api", strings.TrimSuffix(api.flags[1], "/api"), "show", "1"}, exitFailure, "is --api"},
		{"API not reachable", api.env, []string{"--api", "http://127.0.0.1:1/api", "status"}, exitFailure, "connection refused"},
		{"timeout", api.env, append(api.flags, "--timeout", "1ns", "status"), exitFailure, "see --timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runTool(t, tt.env, tt.args...)
			assert.Equal(t, tt.code, res.code, "stderr: %s", res.stderr)
			assert.Empty(t, res.stdout)
			assert.Contains(t, res.stderr, tt.stderr)
		})
	}
	assert.NoFileExists(t, missing, "a missing database is not created")

	t.Run("PostgreSQL schema without tables", func(t *testing.T) {
		pg := postgresTarget(t)
		flags := append([]string{}, pg.flags...)
		flags[3] = "sysmaint_no_such_schema"
		res := runTool(t, nil, append(flags, "status")...)
		assert.Equal(t, exitFailure, res.code)
		assert.Contains(t, res.stderr, `schema "sysmaint_no_such_schema" of that database has no sysmaint tables`)
	})
}

// TestCLI_Actor checks who a change made through the database is
// recorded as: --actor, or else the operating system's user.
func TestCLI_Actor(t *testing.T) {
	tg := sqliteTarget(t)
	flags := tg.flags[:2] // --db PATH, without --actor
	res := runTool(t, []string{envNow + "=" + t0.Format(time.RFC3339)}, append(flags, "down", "--for", "1m", "--json")...)
	require.Equal(t, exitOK, res.code, res.stderr)
	me, err := user.Current()
	require.NoError(t, err)
	assert.Equal(t, me.Username, decode[struct {
		CreatedBy string `json:"created_by"`
	}](t, res.stdout).CreatedBy)

	res = runTool(t, []string{envNow + "=" + t0.Add(time.Second).Format(time.RFC3339)}, append(flags, "--actor", "deploy-bot", "up", "--json")...)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"changed_by": "deploy-bot"`)
}
