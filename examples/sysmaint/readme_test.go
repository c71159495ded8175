package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// The README's "From a shell" lines for the tool stand between these
// markers, in a sh block.
const (
	readmeBegin = "<!-- from-a-shell:cli begin"
	readmeEnd   = "<!-- from-a-shell:cli end -->"
	demoAddr    = "http://127.0.0.1:8080" // the demo's address in the README
)

// readmeLines returns the shell lines of the README's section, without
// blank lines.
func readmeLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	s := string(b)
	i, j := strings.Index(s, readmeBegin), strings.Index(s, readmeEnd)
	require.True(t, i >= 0 && j > i, "README.md has the markers %q and %q", readmeBegin, readmeEnd)
	block := s[i:j]
	open, close := strings.Index(block, "```sh\n"), strings.LastIndex(block, "```")
	require.True(t, open >= 0 && close > open, "the section holds a sh block")
	var lines []string
	for _, l := range strings.Split(block[open+len("```sh\n"):close], "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestREADME_FromAShell runs the README's command lines for the tool, in
// a shell, as an operator pastes them: on a SQLite file made as the demo
// makes it, and on the API served as the demo serves it, at the README's
// token; only the demo's address is replaced by the test server's. The
// go install line is checked, not run (it needs the network): a sysmaint
// on PATH stands for what it installs. A line whose comment says "exit
// code N" must exit N, every other 0; each runs at a later minute.
func TestREADME_FromAShell(t *testing.T) {
	lines := readmeLines(t)
	require.NotEmpty(t, lines)
	mod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	wd, err := os.Getwd()
	require.NoError(t, err)
	pkg := strings.TrimPrefix(strings.SplitN(string(mod), "\n", 2)[0], "module ") + "/examples/" + filepath.Base(wd)
	assert.Equal(t, "go install "+pkg+"@latest", lines[0], "the first line installs this command")

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	require.NoError(t, os.Symlink(exe(t), filepath.Join(bin, "sysmaint")))
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "helpdesk.db"), nil) // what the demo does at start
	require.NoError(t, err)
	defer db.Close()

	var token string
	tokenLine := regexp.MustCompile(`^export ` + envToken + `=(\S+)`)
	for _, l := range lines {
		if m := tokenLine.FindStringSubmatch(l); m != nil {
			token = m[1]
		}
	}
	require.NotEmpty(t, token, "the section sets %s", envToken)
	mock := clock.NewMock()
	apiStore := memstore.NewWindowStore()
	m := maintenance.New(apiStore, &maintenance.Options{Clock: mock})
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", httpapi.New(m, httpapi.BearerTokens(map[string]string{token: "admin"}), &httpapi.Options{BasePath: "/api"})))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	exitCode := regexp.MustCompile(`# exit code (\d+)`)
	var exports []string // the export lines run so far, run again before each line
	for k, line := range lines[1:] {
		now := t0.Add(time.Duration(k) * time.Minute)
		mock.Set(now)
		script := strings.Join(append(append([]string{}, exports...), strings.ReplaceAll(line, demoAddr, srv.URL)), "\n")
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir = dir
		cmd.Env = append(baseEnv(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), envNow+"="+httpapi.FormatInstant(now))
		out, err := cmd.Output()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
			out = append(out, exit.Stderr...)
		} else {
			require.NoError(t, err, line)
		}
		want := 0
		if m := exitCode.FindStringSubmatch(line); m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		assert.Equal(t, want, code, "%s\n%s", line, out)
		if strings.HasPrefix(line, "export ") {
			exports = append(exports, line)
		}
		if strings.Contains(line, " --json") {
			assert.True(t, json.Valid(out), "%s writes JSON: %s", line, out)
		}
	}

	// Both ways, the demo went down and came up again: a window was
	// active and has ended.
	for name, store := range map[string]maintenance.Store{"SQLite file": db.Windows(), "API": apiStore} {
		ws, err := store.List(context.Background())
		require.NoError(t, err)
		require.NotEmpty(t, ws, "%s: the lines made a window", name)
		for _, w := range ws {
			assert.Equal(t, maintenance.Valid, w.Validity, name)
			assert.True(t, w.Stop.Before(w.Start.Add(30*time.Minute)), "%s: window %d was ended early", name, w.ID)
			assert.Equal(t, maintenance.Finished, w.StateAt(mock.Now()), name)
		}
	}
}
