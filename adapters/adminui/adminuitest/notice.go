package adminuitest

import (
	"fmt"
	"os"
	"testing"
)

// TTYEnv names the variable that replaces /dev/tty for Announce, so that a
// test can read what it says.
const TTYEnv = "SYSMAINT_TEST_TTY"

// Notice returns the line that says the browser tests of pkg will skip
// because there is no Chromium, or "" when they will run, fail (CI=true)
// or skip on purpose (-short). Call it from TestMain, after flag.Parse.
func Notice(pkg string) string {
	if testing.Short() || os.Getenv("CI") == "true" {
		return ""
	}
	if _, err := LookPath(); err != nil {
		return pkg + ": the browser tests will SKIP: " + err.Error() +
			". Install Chromium (Debian: apt-get install chromium) or set CHROME_PATH to run them."
	}
	return ""
}

// Announce prints Notice(pkg), if any, before the tests run: to stderr,
// and also to the terminal (/dev/tty, or $SYSMAINT_TEST_TTY) when there is
// one and stderr is not it. A skip's message shows only with go test -v,
// and go test ./... prints nothing but "ok" for a package that passes,
// whatever it wrote; the terminal is where such a run leaves a person who
// would never see the skip otherwise. Call it from TestMain, after
// flag.Parse.
func Announce(pkg string) {
	notice := Notice(pkg)
	if notice == "" {
		return
	}
	fmt.Fprintln(os.Stderr, notice)
	if testing.Verbose() || isTerminal(os.Stderr) {
		return
	}
	tty := os.Getenv(TTYEnv)
	if tty == "" {
		tty = "/dev/tty"
	}
	if f, err := os.OpenFile(tty, os.O_WRONLY|os.O_APPEND, 0); err == nil {
		fmt.Fprintln(f, notice)
		f.Close()
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
