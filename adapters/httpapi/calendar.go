package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sysmaint/sysmaint/maintenance"
)

// feed builds the calendar and keeps the last one built, so that polls
// between changes cost no store read and no build.
type feed struct {
	m            *maintenance.Manager
	domain, name string
	history      time.Duration
	cancelledFor time.Duration
	refresh      string // REFRESH-INTERVAL value

	cur    atomic.Pointer[feedEntry]
	mu     sync.Mutex // serializes builds
	builds atomic.Int64
}

// feedEntry is one built feed and what says when it is stale.
type feedEntry struct {
	body         []byte
	etag         string
	lastModified time.Time
	// changed is the Manager's Changed channel taken before the windows
	// were read: once closed, a window may have changed.
	changed <-chan struct{}
	// until is the first instant at which the feed's content changes with
	// time alone (a window leaves the history or a cancelled one its
	// grace); zero when never.
	until time.Time
}

// fresh reports whether e still says what a build at now would.
func (e *feedEntry) fresh(now time.Time) bool {
	select {
	case <-e.changed:
		return false
	default:
	}
	return e.until.IsZero() || now.Before(e.until)
}

// newFeed returns the feed of m with o's settings.
func newFeed(m *maintenance.Manager, o *Options) *feed {
	f := &feed{m: m, domain: o.UIDDomain, name: o.CalendarName, history: o.FeedHistory, cancelledFor: o.CancelledFor}
	if f.domain == "" {
		f.domain = DefaultUIDDomain
	}
	if f.name == "" {
		f.name = DefaultCalendarName
	}
	if f.history <= 0 {
		f.history = DefaultFeedHistory
	}
	if f.cancelledFor <= 0 {
		f.cancelledFor = DefaultCancelledFor
	}
	refresh := o.FeedRefresh
	if refresh <= 0 {
		refresh = DefaultFeedRefresh
	}
	f.refresh = icalDuration(refresh)
	return f
}

// get returns the feed at now, built anew only when the entry in force is
// stale. A build that fails returns its error, and the next request tries
// again: a stale feed is never served as current.
func (f *feed) get(ctx context.Context, now time.Time) (*feedEntry, error) {
	if e := f.cur.Load(); e != nil && e.fresh(now) {
		return e, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	prev := f.cur.Load()
	if prev != nil && prev.fresh(now) {
		return prev, nil // built by another request meanwhile
	}
	e, err := f.build(ctx, now, prev)
	if err != nil {
		return nil, err
	}
	f.cur.Store(e)
	return e, nil
}

// build reads every window and writes the feed of those that belong in it
// at now: every window with an occurrence whose stop is after now-history
// (a window that happens once is its own occurrence), valid ones as
// CONFIRMED, those made invalid within cancelledFor as CANCELLED. Its
// Last-Modified is prev's when the content is the same, else now.
func (f *feed) build(ctx context.Context, now time.Time, prev *feedEntry) (*feedEntry, error) {
	f.builds.Add(1)
	changed := f.m.Changed()
	ws, err := f.m.List(ctx)
	if err != nil {
		return nil, err
	}
	cal := ics.NewCalendarFor("sysmaint")
	cal.SetProductId("-//sysmaint//maintenance windows//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(f.name)
	cal.SetXWRCalName(f.name)
	cal.SetRefreshInterval(f.refresh)
	cal.SetXPublishedTTL(f.refresh)
	horizon := now.Add(-f.history)
	var until time.Time
	soonest := func(t time.Time) {
		if until.IsZero() || t.Before(until) {
			until = t
		}
	}
	for _, w := range ws {
		rc, recurs := w.Calendar()
		last := w.Stop // the stop that keeps w in the feed
		if !recurs && !w.Recurrence.IsZero() {
			continue // a rule that cannot be expanded (its zone left the database): the schedule leaves it out too
		}
		if recurs {
			next, err := w.Occurrences(horizon, 1)
			if err != nil || len(next) == 0 {
				continue // no occurrence left in the history: gone for good
			}
			// Once this occurrence leaves the history, the next one
			// (if any) keeps the window in the feed: look again then.
			last = next[0].Stop
		}
		if !last.After(horizon) {
			continue // gone from the feed for good
		}
		status := ics.ObjectStatusConfirmed
		if w.Validity != maintenance.Valid {
			gone := w.ChangedAt.Add(f.cancelledFor)
			if !gone.After(now) {
				continue
			}
			soonest(gone)
			status = ics.ObjectStatusCancelled
		}
		soonest(last.Add(f.history))
		ev := f.event(cal, w, status)
		if recurs {
			recurring(ev, rc)
		}
	}
	var b strings.Builder
	if err := cal.SerializeTo(&b, ics.WithNewLine("\r\n")); err != nil {
		return nil, fmt.Errorf("httpapi: write calendar: %w", err)
	}
	body := []byte(b.String())
	sum := sha256.Sum256(body)
	e := &feedEntry{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, changed: changed, until: until,
		lastModified: now.UTC().Truncate(time.Second)}
	if prev != nil && prev.etag == e.etag {
		e.lastModified = prev.lastModified
	}
	return e, nil
}

// event adds w to cal as a VEVENT with the given status, its DTSTART and
// DTEND those of w's Start and Stop in UTC, and returns it.
func (f *feed) event(cal *ics.Calendar, w maintenance.Window, status ics.ObjectStatus) *ics.VEvent {
	ev := cal.AddEvent("window-" + strconv.FormatInt(w.ID, 10) + "@" + f.domain)
	ev.SetDtStampTime(w.ChangedAt)
	ev.SetCreatedTime(w.CreatedAt)
	ev.SetModifiedAt(w.ChangedAt)
	ev.SetSequence(int(max(w.Version-1, 0)))
	ev.SetStartAt(w.Start)          // the library truncates to the second
	ev.SetEndAt(ceilSecond(w.Stop)) // so the event covers the whole window
	ev.SetSummary(icalText(w.Comment))
	var desc []string
	if w.NotifyMessage != "" {
		desc = append(desc, w.NotifyMessage)
	}
	if w.ShowLoginMessage && w.LoginMessage != "" {
		desc = append(desc, w.LoginMessage)
	}
	if len(desc) > 0 {
		ev.SetDescription(icalText(strings.Join(desc, "\n\n")))
	}
	ev.SetStatus(status)
	ev.SetTimeTransparency(ics.TransparencyOpaque)
	return ev
}

// recurring makes ev the event of a recurring window, as c writes it:
// DTSTART the first occurrence's wall-clock time with TZID (the IANA
// name, no VTIMEZONE), DURATION instead of DTEND (hours, minutes and
// seconds: an exact duration, the same for every occurrence), the RRULE,
// and one EXDATE with TZID per exception.
func recurring(ev *ics.VEvent, c maintenance.Calendar) {
	ev.SetProperty(ics.ComponentPropertyDtStart, c.DTStart, ics.WithTZID(c.TZID))
	ev.RemoveProperty(ics.ComponentPropertyDtEnd)
	ev.SetProperty(ics.ComponentPropertyDuration, c.Duration)
	ev.AddRrule(c.RRule)
	for _, x := range c.ExDates {
		ev.AddExdate(x, ics.WithTZID(c.TZID))
	}
}

// ceilSecond rounds t up to a whole second: iCalendar instants have no
// fraction.
func ceilSecond(t time.Time) time.Time {
	if f := t.Truncate(time.Second); !f.Equal(t) {
		return f.Add(time.Second)
	}
	return t
}

// icalText makes s fit an iCalendar TEXT value, which the library then
// escapes: line breaks become "\n" (CR LF and a lone CR as well), and the
// control characters RFC 5545 forbids in text (all but tab) become spaces.
func icalText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

// icalDuration writes d (whole seconds) as an RFC 5545 duration, such as
// "PT15M".
func icalDuration(d time.Duration) string {
	s := int64(d / time.Second)
	if s < 1 {
		s = 1
	}
	out := "PT"
	if h := s / 3600; h > 0 {
		out += strconv.FormatInt(h, 10) + "H"
	}
	if m := s % 3600 / 60; m > 0 {
		out += strconv.FormatInt(m, 10) + "M"
	}
	if sec := s % 60; sec > 0 {
		out += strconv.FormatInt(sec, 10) + "S"
	}
	return out
}

// calendar serves GET /calendar.ics, answering 304 from the cached feed
// to If-None-Match (weak comparison) or, without it, If-Modified-Since.
func (h *handler) calendar(w http.ResponseWriter, r *http.Request, _ string) *Problem {
	inm, p := parseTags(r, "If-None-Match")
	if p != nil {
		return p
	}
	e, err := h.feed.get(r.Context(), h.now())
	if err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	hd := w.Header()
	hd.Set("ETag", e.etag)
	hd.Set("Last-Modified", e.lastModified.Format(http.TimeFormat))
	hd.Set("Cache-Control", "no-cache")
	if notModified(r, inm, e) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hd.Set("Content-Type", "text/calendar; charset=utf-8")
	hd.Set("Content-Length", strconv.Itoa(len(e.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(e.body)
	return nil
}

// notModified applies RFC 9110 §13.2.2: If-None-Match when sent, else
// If-Modified-Since.
func notModified(r *http.Request, inm tagList, e *feedEntry) bool {
	if inm.present {
		return inm.matchWeak(e.etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !e.lastModified.After(t)
}
