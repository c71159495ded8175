package main_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui/adminuitest"
)

// TestMain says in one line, before the tests run, that the browser tests
// will skip because there is no Chromium (unless CI is "true", where they
// fail instead, or -short skips them on purpose): see adminuitest.Announce.
func TestMain(m *testing.M) {
	flag.Parse()
	adminuitest.Announce("examples/helpdesk")
	os.Exit(m.Run())
}

// TestMain_BrowserNotice runs this test binary again, with no tests to run
// and no Chromium to find, and reads what TestMain says.
func TestMain_BrowserNotice(t *testing.T) {
	tests := []struct {
		name       string
		env        []string
		args       []string
		wantStderr bool
		wantTTY    bool
	}{
		{"no Chromium", nil, nil, true, true},
		{"no Chromium, -v", nil, []string{"-test.v"}, true, false},
		{"no Chromium, CI", []string{"CI=true"}, nil, false, false},
		{"no Chromium, -short", nil, []string{"-test.short"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tty := filepath.Join(t.TempDir(), "tty")
			require.NoError(t, os.WriteFile(tty, nil, 0o600))
			cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$"}, tt.args...)...)
			cmd.Env = append(os.Environ(), "CI=", "CHROME_PATH="+filepath.Join(t.TempDir(), "no-chromium"), adminuitest.TTYEnv+"="+tty)
			cmd.Env = append(cmd.Env, tt.env...)
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = io.Discard, &stderr
			require.NoError(t, cmd.Run(), stderr.String())
			said, err := os.ReadFile(tty)
			require.NoError(t, err)
			const notice = "examples/helpdesk: the browser tests will SKIP: "
			assert.Equal(t, tt.wantStderr, strings.Contains(stderr.String(), notice), "stderr: %s", stderr.String())
			assert.Equal(t, tt.wantTTY, strings.Contains(string(said), notice), "tty: %s", said)
		})
	}
}
