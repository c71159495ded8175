// Command sysmaint schedules and ends maintenance windows from a shell:
// a deploy pipeline, a cron job, a chat-ops bot or a terminal. It talks
// either to the host's database, through a [maintenance.Manager] as the
// host does, or to the host's JSON API (package
// github.com/sysmaint/sysmaint/adapters/httpapi), and behaves the same
// either way.
//
//	go install github.com/sysmaint/sysmaint/examples/sysmaint@latest
//
//	sysmaint --db helpdesk.db down --for 30m --comment "Upgrade the database"
//	sysmaint --db helpdesk.db status
//	sysmaint --db helpdesk.db up
//
//	export SYSMAINT_TOKEN=...   # the API's bearer token
//	sysmaint --api http://127.0.0.1:8080/api status
//
// Building needs cgo (a C compiler) for the SQLite driver.
//
// # Commands
//
//	down      start a window now: --for DURATION (required), --comment,
//	          --notify, --login-message, --show-login-message
//	up        end every active window now
//	schedule  add a window: --at TIME or --in DURATION, then --for
//	          DURATION or --until TIME; the texts as for down; --lead
//	list      list windows: --state, --validity, --from TIME, --to TIME
//	          (with the rule of those that recur)
//	show ID   show one window (with the rule, skipped and next occurrence
//	          of one that recurs)
//	extend ID --by DURATION: move the window's stop later
//	end ID    stop an active window now
//	cancel ID make a window invalid, so it no longer counts
//	status    say whether maintenance is active or coming (see exit codes)
//	help      the help of the tool or of a command
//
// "sysmaint help COMMAND" and "sysmaint COMMAND -h" print a command's
// flags. The global flags may come before the command or among its flags;
// flags may come before or after the ID. end, extend and cancel take
// --if-version N: act only if the window is still at version N (as shown
// by show), else exit 6.
//
// # Where the windows are
//
// --db PATH opens the host's SQLite file (it must exist: the host creates
// it); --db postgres://... opens its PostgreSQL database, --schema naming
// the schema of the sysmaint tables (default "public"; the tables must be
// there). The tool migrates an older schema as the host would, so use a
// tool built from the host's version of sysmaint, or the API. Changes are
// stamped with --actor, by default the operating system's user name.
// Status in this mode counts a window as coming --lead (default 30m)
// before its start, unless the window has a lead of its own: give the
// host's lead time.
//
// --api URL calls the API mounted at URL, with the bearer token of --token
// or, better (it stays out of the shell's history), of the environment
// variable SYSMAINT_TOKEN. The server names the actor and applies its own
// lead time. --timeout (default 30s) bounds every command.
//
// # Output
//
// Tables and lines for people by default, with times in the zone of --tz
// (an IANA name such as Europe/Berlin, "UTC" or "Local", the default) and
// the zone after each time. --json writes what the API answers, whatever
// the backend: a window (down, schedule, show, extend, end, cancel), a
// {"windows": [...]} list (list; up, the windows it ended) or the status
// (status), with RFC 3339 instants in UTC and durations in *_seconds
// fields. Errors go to standard error, never to standard output.
//
// # Times and durations
//
// A TIME is RFC 3339 with an offset ("2026-11-24T22:00:00+01:00",
// "2026-11-24T21:00:00Z") or a wall-clock time in --tz: "2026-11-24 22:00",
// "2026-11-24 22:00:30", "2026-11-24T22:00" or "2026-11-24" (midnight). A
// wall-clock time that a daylight-saving change skips, or passes twice, is
// refused: give it with its offset instead. A DURATION is Go's ("90s",
// "30m", "1h30m", "48h"): positive, whole seconds.
//
// # Exit codes
//
//	0  done; for status: no maintenance active or coming
//	1  failure: the database or the API failed, refused the credentials, or
//	   could not be reached
//	2  usage: a bad command line (unknown command or flag, bad value,
//	   missing flag) or a window that would not be valid; nothing written
//	3  status: maintenance is active
//	4  status: maintenance is coming (a window's notice has begun), none
//	   active
//	5  no window has that ID (show, extend, end, cancel)
//	6  conflict: the window's state does not allow it (ending a window that
//	   has not started or has finished), it is not at --if-version, or it
//	   kept changing under the command
//
// # Testing
//
// The environment variable SYSMAINT_NOW, an RFC 3339 instant, sets the
// tool's clock, for tests of the time-dependent commands: with --db the
// Manager's clock stands still at that instant; with --api it is the
// "now" of --in (the server uses its own clock). Leave it unset in real
// use.
package main
