package main

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// The README's curl lines stand between these markers, in a sh block.
const (
	curlBegin = "<!-- from-a-shell:curl begin"
	curlEnd   = "<!-- from-a-shell:curl end -->"
)

// TestREADME_Curl runs the README's curl lines, as an operator pastes
// them, against the helpdesk as main builds it: its API at /api/ with the
// default -api-token. Only the address is the test server's. Every line
// must succeed (curl -f fails on an HTTP error), and what the API answers
// must show the story the lines tell: down, then active, then up, then
// the window finished.
func TestREADME_Curl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("curl is not installed: the README's curl lines cannot be checked")
		}
		t.Skip("curl is not installed: skipping the README's curl lines")
	}
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	s := string(b)
	i, j := strings.Index(s, curlBegin), strings.Index(s, curlEnd)
	require.True(t, i >= 0 && j > i, "README.md has the markers %q and %q", curlBegin, curlEnd)
	block := s[i:j]
	open, end := strings.Index(block, "```sh\n"), strings.LastIndex(block, "```")
	require.True(t, open >= 0 && end > open, "the section holds a sh block")
	// One command a line, continuation lines joined.
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(block[open+len("```sh\n"):end], "\\\n", " "), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 5, "an export and four curl lines")

	// The helpdesk as main builds it, with the default -api-token.
	db, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "helpdesk.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC))
	a, err := app.New(app.Config{DB: app.SQLite(db), Clock: mock, PasswordIterations: 1,
		APITokens: map[string]string{"admin-demo-token": "admin"},
		Logger:    slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)

	script := lines[0] + "\n" // the export
	outputs := make([]string, 0, len(lines)-1)
	for k, l := range lines[1:] {
		require.Contains(t, l, "http://127.0.0.1:8080/api/", "line %d uses the demo's address", k+2)
		cmd := exec.Command("sh", "-c", script+strings.ReplaceAll(l, "http://127.0.0.1:8080", srv.URL))
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(curl)+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "line %d: %s\n%s", k+2, l, out)
		outputs = append(outputs, string(out))
		mock.Add(time.Minute)
	}

	var down struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(outputs[0]), &down), outputs[0])
	assert.Equal(t, "active", down.State, "down starts a window now")
	var status struct {
		Active bool `json:"active"`
	}
	require.NoError(t, json.Unmarshal([]byte(outputs[1]), &status), outputs[1])
	assert.True(t, status.Active, "status says active")
	var ended struct {
		Windows []struct {
			ID int64 `json:"id"`
		} `json:"windows"`
	}
	require.NoError(t, json.Unmarshal([]byte(outputs[2]), &ended), outputs[2])
	require.Len(t, ended.Windows, 1, "up ended the window")
	assert.Equal(t, down.ID, ended.Windows[0].ID)
	assert.False(t, a.Manager().Status().Active(), "the helpdesk is out of maintenance")
	var finished struct {
		Windows []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"windows"`
	}
	require.NoError(t, json.Unmarshal([]byte(outputs[3]), &finished), outputs[3])
	require.Len(t, finished.Windows, 1)
	assert.Equal(t, down.ID, finished.Windows[0].ID)
}
