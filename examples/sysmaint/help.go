package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Each command's help, after its usage line; its flags follow.
const (
	helpDown = `Start a maintenance window now, lasting --for: Laravel's "artisan down",
with an end. Users see the notify message (or the host's text) at once,
and only maintenance admins may log in until it ends.

  sysmaint --db helpdesk.db down --for 30m --comment "Upgrade the database"
  sysmaint --api https://example.com/api down --for 1h --notify "Back at 23:00" --json`
	helpUp = `End every active window now. A window that starts at this very instant is
cancelled instead. Ending nothing is no error: "up" twice is fine.

  sysmaint --db helpdesk.db up`
	helpSchedule = `Add a window for later: its start is --at TIME or --in DURATION, its stop
--for DURATION or --until TIME. Times without an offset are read in --tz;
one that a daylight-saving change skips or repeats is refused.

  sysmaint --db helpdesk.db schedule --at "2026-11-24 22:00" --for 2h --comment "Database upgrade"
  sysmaint --db helpdesk.db --tz Europe/Berlin schedule --at "2026-11-24 22:00" --until "2026-11-25 01:00"
  sysmaint --api https://example.com/api schedule --in 1h --for 30m --lead 2h`
	helpList = `List windows, sorted by start: all of them, or those the flags select. A
recurring window is listed once, at its first occurrence, with its rule
under REPEATS.

  sysmaint --db helpdesk.db list --state planned,active
  sysmaint --db helpdesk.db list --from 2026-11-01 --to 2026-12-01 --json`
	helpShow = `Show one window, with its texts, audit fields and version; for a
recurring window, its rule and zone, the occurrences skipped, and the next
occurrence (or the one in progress).

  sysmaint --db helpdesk.db show 7`
	helpExtend = `Move a window's stop later by --by. A finished window extended past now is
active again.

  sysmaint --db helpdesk.db extend 7 --by 30m`
	helpEnd = `Stop an active window now. A window that has not started is refused (exit
6): cancel it instead.

  sysmaint --db helpdesk.db end 7`
	helpCancel = `Make a window invalid: it stays listed but no longer counts. Cancelling
an invalid window changes nothing.

  sysmaint --db helpdesk.db cancel 7`
	helpStatus = `Say whether maintenance is active or coming, as the host sees it: a window
is coming once its notice has begun (its own lead time, else the host's).
The exit code says it too: 0 none, 3 active, 4 coming.

  sysmaint --db helpdesk.db status --lead 1h
  sysmaint --api https://example.com/api status >/dev/null; [ $? -eq 3 ] && echo "in maintenance"`
)

// seeMain ends a command's help.
const seeMain = `Global flags (--db, --schema, --api, --token, --actor, --tz, --json,
--timeout), times, durations and exit codes: see 'sysmaint help'.`

// exitCodes is the table of exit codes in the help.
const exitCodes = `Exit codes:
  0  done; status: no maintenance active or coming
  1  failure: the database or the API failed, refused the token, or could
     not be reached
  2  bad command line, or a window that would not be valid; nothing written
  3  status: maintenance is active
  4  status: maintenance is coming, none active
  5  no window has that ID
  6  conflict: the window's state or version does not allow it
`

// help prints the help of the tool (no args) or of the command args[0].
func help(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 || args[0] == "" {
		fmt.Fprint(stdout, mainHelp())
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok || len(args) > 1 {
		return usageFailed(stdout, stderr, "", fmt.Errorf("help takes one command name, such as 'sysmaint help down'"))
	}
	fs := newFlagSet(args[0])
	cmd.setup(fs, &call{globals: &globals{}})
	usage := "sysmaint [global flags] " + args[0] + " [flags]"
	if len(cmd.args) > 0 {
		usage += " " + strings.Join(cmd.args, " ")
	}
	fmt.Fprintf(stdout, "Usage: %s\n\n%s\n\nFlags:\n%s\n%s\n", usage, cmd.help, defaults(fs), seeMain)
	return exitOK
}

// mainHelp is the help of the tool.
func mainHelp() string {
	var b strings.Builder
	b.WriteString(`sysmaint schedules and ends maintenance windows in a host's database
(--db) or through its API (--api).

Usage: sysmaint [global flags] COMMAND [flags] [ID]

Commands:
`)
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return commandOrder(a) - commandOrder(b) })
	for _, name := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintf(&b, "  %-9s %s\n", "help", "the help of a command: help COMMAND, or COMMAND -h")
	fmt.Fprintf(&b, "\nGlobal flags:\n%s\n", globalDefaults())
	b.WriteString(`Times: "2026-11-24 22:00" (in --tz) or RFC 3339 with an offset.
Durations: 90s, 30m, 1h30m, 48h.

Environment:
  ` + envToken + `  the API's bearer token, when --token is not given
  ` + envNow + `    for tests only: the RFC 3339 instant the tool takes as now

` + exitCodes)
	return b.String()
}

// commandOrder is the place of a command in the help.
func commandOrder(name string) int {
	return strings.Index(" down up schedule list show extend end cancel status ", " "+name+" ")
}

// globalDefaults describes the global flags.
func globalDefaults() string {
	fs := newFlagSet("sysmaint")
	g := globals{tz: "Local", timeout: 30 * time.Second}
	g.register(fs)
	return defaults(fs)
}

// defaults describes the flags of fs.
func defaults(fs *flag.FlagSet) string {
	var b bytes.Buffer
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if b.Len() == 0 {
		return "  (none)\n"
	}
	// The flag package writes "-name"; both forms work, the help shows --name.
	return strings.ReplaceAll("\n"+b.String(), "\n  -", "\n  --")[1:]
}
