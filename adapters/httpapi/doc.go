// Package httpapi serves maintenance windows over HTTP for operators and
// their tools: a JSON API (problem details, ETag and If-Match), the
// status, an iCalendar feed, and the API's OpenAPI 3.1 document. [New]
// returns it as one http.Handler over a [maintenance.Manager]; [Client]
// calls it from Go.
//
// # Endpoints
//
// Paths are relative to where the host mounts the handler (see [New] and
// [Options.BasePath]):
//
//	GET    /windows              list: ?validity= ?state= ?from= ?to= ?limit= ?cursor=
//	POST   /windows              create (201, Location, ETag)
//	GET    /windows/{id}         read (ETag; 304 to a matching If-None-Match)
//	PUT    /windows/{id}         replace (If-Match required)
//	DELETE /windows/{id}         delete (If-Match required; 204)
//	POST   /windows/{id}/end     stop now (If-Match optional)
//	POST   /windows/{id}/extend  {"by_seconds": N}: stop later (If-Match optional)
//	POST   /windows/{id}/cancel  make invalid (If-Match optional)
//	POST   /windows/{id}/skip    {"occurrence": T}: skip one occurrence (If-Match optional)
//	POST   /windows/{id}/move    {"occurrence": T, "start": T, "stop": T}: move one (201, the new window)
//	POST   /down                 {"for_seconds": N, ...}: a window from now (201)
//	POST   /up                   stop every active window now
//	GET    /status               what Manager.Status says now
//	GET    /calendar.ics         the feed (RFC 5545)
//	GET    /openapi.json         the OpenAPI 3.1 document
//
// The actions are those of [maintenance.Manager]: End, Extend, Cancel,
// SkipOccurrence (POST /windows/{id}/skip), MoveOccurrence (POST
// /windows/{id}/move), StartNow (POST /down) and
// EndAll (POST /up), so a tool that works on the
// store directly behaves the same.
//
// JSON names are stable and snake_case ([Window], [WindowInput],
// [DownInput], [ExtendInput], [WindowList], [Status]). Instants are RFC
// 3339: a request may give any offset and fraction; answers are in UTC,
// with milliseconds when not on a whole second. Windows keep milliseconds.
// Durations are whole seconds, in fields named *_seconds. Validity and
// state are their names ("valid", "invalid", "invalid-temporarily";
// "planned", "active", "finished"), the state taken at the response's
// instant by the Manager's clock.
//
// GET /windows answers windows sorted by start, then ID, at most limit
// (default [DefaultLimit], at most [MaxLimit]) a page; next_cursor, when
// present, fetches the next page. Filters combine: validity and state
// (repeated for any of several: ?state=planned&state=active), from and to
// (the windows overlapping [from, to)). Without from and to, the page is
// read through maintenance.Manager.ListPage, so a store that lists pages
// (the SQL stores, memstore) reads that page only, whatever the number of
// windows; with them, every window of the validities asked is read.
//
// A window's ETag is its stored version, quoted ("v3"): it does not cover
// the computed state, so a 304 to If-None-Match says the stored window is
// unchanged. PUT and DELETE require If-Match (428 without it; 412 when it
// names another version; "*" acts on any version). The actions (end,
// extend, cancel) take If-Match too but do not require it: without it they
// act on the version they read, and when another write lands before
// theirs they read again and retry, up to 3 tries in all (409 then).
// DELETE checks If-Match against the version read just before the delete,
// as the store's Delete takes no version.
//
// # Recurring windows
//
// A window may repeat: its "recurrence" member ([Recurrence]) holds an RFC
// 5545 rule ("rule", such as "FREQ=WEEKLY;BYDAY=SU"), the IANA zone it
// runs in ("zone") and the occurrences skipped ("exceptions", RFC 3339
// instants); it is null for a window that happens once. start and stop
// are then those of the first occurrence: start must be an occurrence of
// the rule, and every occurrence lasts stop - start, an exact duration
// (see package maintenance, section Daylight saving). GET /status reports
// the occurrence at hand. Errors name the members "recurrence.rule",
// "recurrence.zone", "recurrence.exceptions" (and
// "recurrence.exceptions[i]" for one that is not an instant). The
// state of a recurring window is that of its series: active during an
// occurrence, planned before the first and between two, finished after
// the last (see maintenance.Window.StateAt), and the state filter of
// GET /windows goes by it; the from and to filters go by start and stop,
// those of the first occurrence. End and extend act on one occurrence (the
// one in progress; for extend, else the next) and the series goes on: the
// occurrence becomes a window of its own with the new stop and an
// exception of the series, which the answer carries
// (maintenance.Manager.End, maintenance.Manager.Extend).
//
// PUT replaces the recurrence with what the body says: null makes the
// window happen once. A body without the member at all, as a client that
// does not know recurrences sends, is refused (422 naming "recurrence")
// when the stored window recurs, so that such a client cannot silently
// make a weekly window a one-off; for a window that happens once, the
// member may be left out. [Window.Input] carries the recurrence, and
// [WindowInput] always sends the member.
//
// POST /windows/{id}/skip skips one occurrence, named by its start
// ("occurrence", the start GET /status reports for it): it becomes an
// exception. Skipping one already skipped changes nothing; an instant
// that is not an occurrence is 422 ("occurrence"), a window that does not
// repeat 409.
//
// # Authentication
//
// Every request passes the host's [AuthorizeFunc], which names the actor
// written into CreatedBy and ChangedBy, or refuses with 401 (wrapping
// [ErrUnauthenticated]; WWW-Authenticate from [Options.Challenge]) or 403
// ([ErrForbidden]). It sees the request the API routes: method and path
// below the mount point. [BearerTokens] is a ready one. No cookie is read,
// so a browser's ambient credentials give no access and there is no CSRF
// surface. The calendar feed, which calendar clients fetch without the
// API's credentials, may have a check of its own ([Options.AuthorizeFeed]).
//
// # Errors
//
// Every answer with a status of 400 or more is an RFC 9457 problem
// (application/problem+json, [Problem]); a refused request writes
// nothing. 400 ([TypeMalformed]): a body that is not one JSON object in
// UTF-8, trailing data, an unknown, repeated or mistyped member (null
// included, but for "recurrence"), a bad query parameter or precondition header; every bad
// member or parameter is listed in errors. 404: no such window or path
// (an ID that is not a positive decimal names none). 405 with Allow. 409
// ([TypeConflict]): an action that does not fit the window (ending one
// that has not started), or a window that kept changing. 412, 428 as
// above. 413: a body over [Options.MaxBody]. 415: a body that is not
// application/json, or is content-encoded. 422 ([TypeInvalid]): a window
// that would not be valid, every bad field listed by its JSON name with
// the reason (the domain's *[maintenance.ValidationError], plus
// instants that are not RFC 3339 and unknown validities). 503: the store
// (or the host's authorization check) failed; the error is logged, not
// sent.
//
// # Concurrency
//
// The handler is safe for concurrent use and starts no goroutine. Writes
// go through the Manager, whose store enforces versions; GET /status
// reads the Manager's compiled schedule, no store. Changes made by other
// processes are seen as the Manager sees them ([maintenance.Manager.Run]).
// All time comes from the Manager's clock.
//
// # Calendar
//
// GET /calendar.ics is an RFC 5545 calendar (METHOD:PUBLISH) written with
// github.com/arran4/golang-ical. It holds every window whose stop is after
// now minus [Options.FeedHistory] (30 days by default): valid ones as
// STATUS:CONFIRMED, and those made invalid within [Options.CancelledFor]
// (30 days by default, counted from their last change) as
// STATUS:CANCELLED, so subscribed calendars drop them; deleted windows
// leave the feed. Each event has UID "window-ID@DOMAIN"
// ([Options.UIDDomain]), SEQUENCE the version minus one, DTSTAMP and
// LAST-MODIFIED its last change, CREATED, DTSTART and DTEND in UTC
// (iCalendar has whole seconds: DTSTART is rounded down and DTEND up),
// SUMMARY the comment and DESCRIPTION the notify message and the login
// message, when shown.
//
// A recurring window is one event ([maintenance.Window.Calendar]):
// DTSTART is the first occurrence's wall-clock time with TZID, the zone's
// IANA name ("DTSTART;TZID=Europe/Berlin:20261129T020000"); DURATION, in
// hours, minutes and seconds, replaces DTEND: an exact duration, the same
// for every occurrence, as the schedule has it; RRULE is the rule; each
// exception is an EXDATE with TZID. No VTIMEZONE is written: Google
// Calendar, Apple Calendar and Outlook on the web resolve IANA names
// themselves, and Go's zone database holds transitions, not the rules a
// VTIMEZONE states, so a generated one would be a guess or end at some
// year. An occurrence moved with [maintenance.Manager.MoveOccurrence] is
// an EXDATE of the series and a window, and so an event, of its own (its
// own UID, no RECURRENCE-ID). A recurring window is in the feed while one
// of its occurrences stops within the history.
//
// The built feed is kept until the Manager's schedule changes
// ([maintenance.Manager.Changed]) or time moves a window out of it, so
// polls in between read no store and build nothing. Its ETag is a digest
// of its content and its Last-Modified the time this process first built
// that content; If-None-Match (or, without it, If-Modified-Since) answers
// 304 from the kept feed.
package httpapi
