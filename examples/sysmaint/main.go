package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // --tz works where the system has no zone database

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
)

// The exit codes (see the package documentation).
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitActive   = 3
	exitUpcoming = 4
	exitNotFound = 5
	exitConflict = 6
)

// Environment variables the tool reads.
const (
	envToken = "SYSMAINT_TOKEN" // the API's bearer token, when --token is not given
	envNow   = "SYSMAINT_NOW"   // for tests: the instant the tool takes as now
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run runs the command line args and returns the exit code. Results go to
// stdout, errors to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	g := globals{tz: "Local", timeout: 30 * time.Second}
	top := newFlagSet("sysmaint")
	g.register(top)
	if err := top.Parse(args); err != nil {
		return usageFailed(stdout, stderr, "", err)
	}
	args = top.Args()
	if len(args) == 0 {
		fmt.Fprint(stderr, mainHelp())
		return exitUsage
	}
	name, args := args[0], args[1:]
	if name == "help" {
		return help(stdout, stderr, args)
	}
	cmd, ok := commands[name]
	if !ok {
		return usageFailed(stdout, stderr, "", fmt.Errorf("unknown command %q", name))
	}
	fs := newFlagSet("sysmaint " + name)
	g.register(fs)
	c := &call{globals: &g, stdout: stdout, getenv: getenv, fieldFlags: maps.Clone(defaultFieldFlags)}
	runCmd := cmd.setup(fs, c)
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != len(cmd.args) {
		err = fmt.Errorf("takes %d argument(s) (%s), got %d", len(cmd.args), cmd.usageArgs(), len(pos))
	}
	if err != nil {
		return usageFailed(stdout, stderr, name, err)
	}
	c.args = pos
	if err := c.setup(); err != nil {
		return failed(stderr, name, c, err)
	}
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	defer c.close()
	code, err := runCmd(ctx, c)
	if err != nil {
		return failed(stderr, name, c, err)
	}
	return code
}

// setup reads what every command needs before it opens anything: the zone,
// the clock and the backend's configuration.
func (c *call) setup() error {
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return usagef("--tz %q is not a time zone (use an IANA name such as Europe/Berlin, or UTC, or Local)", c.tz)
	}
	c.loc = loc
	c.clock = clock.New()
	if s := c.getenv(envNow); s != "" {
		t, err := httpapi.ParseInstant(s)
		if err != nil {
			return usagef("%s=%q is not an RFC 3339 instant", envNow, s)
		}
		mock := clock.NewMock()
		mock.Set(t)
		c.clock = mock
	}
	if c.timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	return c.globals.check(c.getenv)
}

// usageFailed reports a bad command line: the help, with exit 0, when it
// asked for it (-h); otherwise the error and where to find help.
func usageFailed(stdout, stderr io.Writer, name string, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return help(stdout, stderr, []string{name})
	}
	return failed(stderr, name, nil, usageError{err.Error()})
}

// failed reports err and returns its exit code; a usage error says where
// to find help.
func failed(stderr io.Writer, name string, c *call, err error) int {
	var flags map[string]string
	if c != nil {
		flags = c.fieldFlags
	}
	code, msg := explain(err, flags)
	fmt.Fprintf(stderr, "%s: %s\n", prefix(name), msg)
	if errors.As(err, new(usageError)) {
		hint := "sysmaint help"
		if name != "" {
			hint = "sysmaint " + name + " -h"
		}
		fmt.Fprintf(stderr, "Run '%s' for usage.\n", hint)
	}
	return code
}

// prefix is the program's name, and the command's, for error messages.
func prefix(name string) string {
	if name == "" {
		return "sysmaint"
	}
	return "sysmaint " + name
}
