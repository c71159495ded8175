package main_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/browsertest"
)

// TestMain says in one line, before the tests run, that the browser tests
// will skip because there is no Chromium (unless CI is "true", where they
// fail instead, or -short skips them on purpose).
//
// A skip's message shows only with go test -v, and go test ./... prints
// nothing but "ok" for a package that passes, whatever it wrote: so the
// line goes to stderr, and also to the terminal (/dev/tty) when there is
// one and stderr is not it, which is where go test ./... leaves a person
// who never sees the skip otherwise.
func TestMain(m *testing.M) {
	flag.Parse()
	if notice := browserNotice(); notice != "" {
		fmt.Fprintln(os.Stderr, notice)
		if !testing.Verbose() && !isTerminal(os.Stderr) {
			if tty, err := os.OpenFile(ttyPath(), os.O_WRONLY|os.O_APPEND, 0); err == nil {
				fmt.Fprintln(tty, notice)
				tty.Close()
			}
		}
	}
	os.Exit(m.Run())
}

// browserNotice returns the line to show when the browser tests will skip,
// or "".
func browserNotice() string {
	if testing.Short() || os.Getenv("CI") == "true" {
		return ""
	}
	if _, err := browsertest.LookPath(); err != nil {
		return "examples/helpdesk: the browser tests will SKIP: " + err.Error() +
			". Install Chromium (Debian: apt-get install chromium) or set CHROME_PATH to run them."
	}
	return ""
}

// ttyEnv names the variable that replaces /dev/tty, for
// TestMain_BrowserNotice.
const ttyEnv = "HELPDESK_TEST_TTY"

func ttyPath() string {
	if p := os.Getenv(ttyEnv); p != "" {
		return p
	}
	return "/dev/tty"
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
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
			cmd.Env = append(os.Environ(), "CI=", "CHROME_PATH="+filepath.Join(t.TempDir(), "no-chromium"), ttyEnv+"="+tty)
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
