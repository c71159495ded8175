package httpapi

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// List bounds: GET /windows returns at most limit windows a page.
const (
	// DefaultLimit is the page size of GET /windows without limit.
	DefaultLimit = 100
	// MaxLimit is the largest page size GET /windows accepts.
	MaxLimit = 1000
)

// windowID reads the {id} of the path: a positive decimal integer without
// sign or leading zeros. Anything else names no window: 404.
func windowID(r *http.Request) (int64, *Problem) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, problem(http.StatusNotFound, "no window has the ID "+strconv.Quote(s))
	}
	return id, nil
}

// location returns the URL path of window id, as the client sees it.
func (h *handler) location(id int64) string {
	return h.base + "/windows/" + strconv.FormatInt(id, 10)
}

// sendWindow answers with one window and its ETag.
func (h *handler) sendWindow(w http.ResponseWriter, status int, win maintenance.Window, now time.Time) {
	w.Header().Set("ETag", etag(win.Version))
	writeJSON(w, status, NewWindow(win, now).wire())
}

// listQuery is the parsed query of GET /windows.
type listQuery struct {
	validity []maintenance.Validity
	states   map[maintenance.State]bool
	from, to time.Time
	limit    int
	after    *cursor
}

// cursor is the position after which a page starts: the start (Unix ms)
// and ID of the last window of the previous page.
type cursor struct{ start, id int64 }

// String encodes c as opaque URL-safe text.
func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%d", c.start, c.id))
}

// parseCursor decodes a cursor written by cursor.String.
func parseCursor(s string) (*cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	a, z, ok := strings.Cut(string(b), ".")
	if !ok {
		return nil, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(z, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || (cursor{start, id}).String() != s {
		return nil, false
	}
	return &cursor{start, id}, true
}

// parseList reads the query of GET /windows, refusing unknown parameters,
// repeated single-valued ones and bad values with a 400 problem listing
// every bad parameter.
func parseList(raw string) (listQuery, *Problem) {
	q := listQuery{limit: DefaultLimit}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return q, malformed("the query string is not valid: " + err.Error())
	}
	var errs []FieldError
	bad := func(name, reason string) { errs = append(errs, FieldError{Field: name, Reason: reason}) }
	single := func(name string) (string, bool) {
		v := vals[name]
		switch len(v) {
		case 0:
			return "", false
		case 1:
			return v[0], true
		}
		bad(name, "is given more than once")
		return "", false
	}
	for name := range vals {
		switch name {
		case "validity", "state", "from", "to", "limit", "cursor":
		default:
			bad(name, "is not a known parameter (validity, state, from, to, limit, cursor)")
		}
	}
	for _, s := range vals["validity"] {
		v, err := maintenance.ParseValidity(s)
		if err != nil {
			bad("validity", reasonValidity)
			break
		}
		q.validity = append(q.validity, v)
	}
	if states := vals["state"]; len(states) > 0 {
		q.states = map[maintenance.State]bool{}
		for _, s := range states {
			st, ok := map[string]maintenance.State{"planned": maintenance.Planned, "active": maintenance.Active, "finished": maintenance.Finished}[s]
			if !ok {
				bad("state", "is not one of planned, active, finished")
				break
			}
			q.states[st] = true
		}
	}
	for _, it := range [...]struct {
		name string
		to   *time.Time
	}{{"from", &q.from}, {"to", &q.to}} {
		if s, ok := single(it.name); ok {
			t, err := ParseInstant(s)
			if err != nil {
				bad(it.name, reasonInstant)
			}
			*it.to = t
		}
	}
	if !q.from.IsZero() && !q.to.IsZero() && !q.from.Before(q.to) {
		bad("from", "is not before to")
	}
	if s, ok := single("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit || strconv.Itoa(n) != s {
			bad("limit", fmt.Sprintf("must be an integer from 1 to %d", MaxLimit))
		}
		q.limit = n
	}
	if s, ok := single("cursor"); ok {
		c, ok := parseCursor(s)
		if !ok {
			bad("cursor", "is not a cursor this API gave")
		}
		q.after = c
	}
	if len(errs) > 0 {
		return q, malformed("the query has bad parameters: see errors", errs...)
	}
	return q, nil
}

// listWindows serves GET /windows. Without from and to it reads one page
// through Manager.ListPage, which a store that can (maintenance.PageLister)
// answers without reading every window; with them, it filters every window
// of the validities asked.
func (h *handler) listWindows(w http.ResponseWriter, r *http.Request, _ string) *Problem {
	q, p := parseList(r.URL.RawQuery)
	if p != nil {
		return p
	}
	if q.from.IsZero() && q.to.IsZero() {
		return h.listPage(w, r, q)
	}
	ws, err := h.m.List(r.Context(), q.validity...)
	if err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	now := h.now()
	out := WindowList{Windows: []Window{}}
	for _, win := range ws {
		start := win.Start.UnixMilli()
		switch {
		case q.after != nil && (start < q.after.start || start == q.after.start && win.ID <= q.after.id):
			continue
		case q.states != nil && !q.states[win.StateAt(now)]:
			continue
		case !q.from.IsZero() && !win.Stop.After(q.from):
			continue
		case !q.to.IsZero() && !win.Start.Before(q.to):
			continue
		}
		if len(out.Windows) == q.limit {
			last := out.Windows[len(out.Windows)-1]
			out.NextCursor = cursor{last.Start.UnixMilli(), last.ID}.String()
			break
		}
		out.Windows = append(out.Windows, NewWindow(win, now))
	}
	writeJSON(w, http.StatusOK, out.wire())
	return nil
}

// listPage serves GET /windows without from and to: one page of
// Manager.ListPage, in the same order and with the same cursors.
func (h *handler) listPage(w http.ResponseWriter, r *http.Request, q listQuery) *Problem {
	now := h.now()
	pq := maintenance.PageQuery{Validity: q.validity, At: now, Limit: q.limit}
	for _, st := range []maintenance.State{maintenance.Planned, maintenance.Active, maintenance.Finished} {
		if q.states[st] {
			pq.States = append(pq.States, st)
		}
	}
	if q.after != nil {
		pq.Cursor = &maintenance.Position{Start: time.UnixMilli(q.after.start), ID: q.after.id}
	}
	page, err := h.m.ListPage(r.Context(), pq)
	if err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	out := WindowList{Windows: make([]Window, 0, len(page.Windows))}
	for _, win := range page.Windows {
		out.Windows = append(out.Windows, NewWindow(win, now))
	}
	if page.Next && len(page.Windows) > 0 {
		last := page.Windows[len(page.Windows)-1]
		out.NextCursor = cursor{last.Start.UnixMilli(), last.ID}.String()
	}
	writeJSON(w, http.StatusOK, out.wire())
	return nil
}

// createWindow serves POST /windows.
func (h *handler) createWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	win, _, p := decodeWindow(body, true)
	if p != nil {
		return p
	}
	stored, err := h.m.Add(r.Context(), win, actor)
	if err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	w.Header().Set("Location", h.location(stored.ID))
	h.sendWindow(w, http.StatusCreated, stored, h.now())
	return nil
}

// getWindow serves GET /windows/{id}, answering 304 to an If-None-Match
// that names the stored version.
func (h *handler) getWindow(w http.ResponseWriter, r *http.Request, _ string) *Problem {
	id, p := windowID(r)
	if p != nil {
		return p
	}
	inm, p := parseTags(r, "If-None-Match")
	if p != nil {
		return p
	}
	win, err := h.m.Get(r.Context(), id)
	if err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	w.Header().Set("Cache-Control", "private, no-cache")
	if inm.present && inm.matchWeak(etag(win.Version)) {
		w.Header().Set("ETag", etag(win.Version))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.sendWindow(w, http.StatusOK, win, h.now())
	return nil
}

// ifMatch reads If-Match; required says a missing one is a 428.
func ifMatch(r *http.Request, required bool) (tagList, *Problem) {
	l, p := parseTags(r, "If-Match")
	if p == nil && required && !l.present {
		p = problem(http.StatusPreconditionRequired, `send If-Match with the window's ETag (such as "v3"), or "*" to act on any version`)
	}
	return l, p
}

// errPrecondition stops a Manager.Modify whose change found a problem to
// answer; the problem itself is kept by the caller.
var errPrecondition = errors.New("httpapi: precondition failed")

// expected returns the version an action's If-Match list names: 0 without
// one or for "*" (the action applies to whatever version is stored, and
// the Manager retries when another write lands first), else the stored
// version when the list names it, and 412 when it does not.
func (h *handler) expected(ctx context.Context, id int64, cond tagList) (int64, *Problem) {
	if !cond.present || cond.any {
		return 0, nil
	}
	cur, err := h.m.Get(ctx, id)
	if err != nil {
		return 0, h.problemFor(ctx, err, nil)
	}
	if !cond.matchStrong(etag(cur.Version)) {
		return 0, stale(cur)
	}
	return cur.Version, nil
}

// stale is the 412 for an If-Match that does not name cur's version.
func stale(cur maintenance.Window) *Problem {
	return problem(http.StatusPreconditionFailed, fmt.Sprintf("the window is at version %d, ETag %s", cur.Version, etag(cur.Version)))
}

// actionProblem turns the error of a Manager action into the answer:
// ErrConflict is 412 when the caller named a version (another write came
// first) and 409 when it did not (the window kept changing); a window that
// is not active is 409; the rest as problemFor says, with rename.
func (h *handler) actionProblem(ctx context.Context, err error, version int64, rename map[string]string) *Problem {
	var nae *maintenance.NotActiveError
	switch {
	case errors.As(err, &nae) && !nae.Window.Recurrence.IsZero():
		return conflict(strings.TrimPrefix(nae.Error(), "maintenance: "))
	case errors.As(err, &nae) && nae.State == maintenance.Planned:
		return conflict(fmt.Sprintf("window %d has not started (it starts at %s): cancel or delete it instead", nae.Window.ID, FormatInstant(nae.Window.Start)))
	case errors.As(err, &nae):
		return conflict(fmt.Sprintf("window %d has finished already (at %s)", nae.Window.ID, FormatInstant(nae.Window.Stop)))
	case errors.As(err, new(notRecurringError)):
		return conflict(err.Error())
	case errors.Is(err, maintenance.ErrConflict) && version != 0:
		return problem(http.StatusPreconditionFailed, "the window changed while this request was served")
	case errors.Is(err, maintenance.ErrConflict):
		return conflict(fmt.Sprintf("the window kept changing; gave up after %d tries", maintenance.ModifyAttempts))
	}
	return h.problemFor(ctx, err, rename)
}

// replaceWindow serves PUT /windows/{id}.
func (h *handler) replaceWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	id, p := windowID(r)
	if p != nil {
		return p
	}
	cond, p := ifMatch(r, true)
	if p != nil {
		return p
	}
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	in, given, p := decodeWindow(body, false)
	if p != nil {
		return p
	}
	var pre *Problem
	stored, _, err := h.m.Modify(r.Context(), id, actor, func(_ time.Time, cur maintenance.Window) (maintenance.Window, bool, error) {
		switch {
		case !cond.matchStrong(etag(cur.Version)):
			pre = stale(cur)
			return cur, false, errPrecondition
		case !given && !cur.Recurrence.IsZero():
			// A body without "recurrence", from a client that does not
			// know it, would make the window happen once: refuse.
			pre = invalid([]FieldError{{Field: "recurrence", Reason: reasonKeepRecurrence}})
			return cur, false, errPrecondition
		}
		return in, true, nil
	})
	named := int64(1) // If-Match names versions: a conflict is 412
	if cond.any {
		named = 0 // "*": the window kept changing is 409
	}
	switch {
	case pre != nil:
		return pre
	case err != nil:
		return h.actionProblem(r.Context(), err, named, nil)
	}
	h.sendWindow(w, http.StatusOK, stored, h.now())
	return nil
}

// deleteWindow serves DELETE /windows/{id}. The store's Delete takes no
// version, so the If-Match check is made on the version read just before:
// a write landing between that read and the delete is not seen.
func (h *handler) deleteWindow(w http.ResponseWriter, r *http.Request, _ string) *Problem {
	id, p := windowID(r)
	if p != nil {
		return p
	}
	cond, p := ifMatch(r, true)
	if p != nil {
		return p
	}
	cur, err := h.m.Get(r.Context(), id)
	if err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	if !cond.matchStrong(etag(cur.Version)) {
		return problem(http.StatusPreconditionFailed, fmt.Sprintf("the window is at version %d, ETag %s", cur.Version, etag(cur.Version)))
	}
	if err := h.m.Delete(r.Context(), id); err != nil {
		return h.problemFor(r.Context(), err, nil)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// action serves POST /windows/{id}/ACTION: If-Match optional, the body
// read by decode, the change made by do with the version If-Match names
// (0 without one), answered 200 with the window do returns. rename maps
// the domain's field names in a validation error to the request's.
func (h *handler) action(w http.ResponseWriter, r *http.Request, rename map[string]string,
	decode func([]byte) *Problem, do func(ctx context.Context, id, version int64) (maintenance.Window, error)) *Problem {
	return h.act(w, r, http.StatusOK, rename, decode, do)
}

// act is action answered with status; 201 Created adds the Location of the
// window do returns, a new one.
func (h *handler) act(w http.ResponseWriter, r *http.Request, status int, rename map[string]string,
	decode func([]byte) *Problem, do func(ctx context.Context, id, version int64) (maintenance.Window, error)) *Problem {
	id, p := windowID(r)
	if p != nil {
		return p
	}
	cond, p := ifMatch(r, false)
	if p != nil {
		return p
	}
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	if p := decode(body); p != nil {
		return p
	}
	version, p := h.expected(r.Context(), id, cond)
	if p != nil {
		return p
	}
	stored, err := do(r.Context(), id, version)
	if err != nil {
		return h.actionProblem(r.Context(), err, version, rename)
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", h.location(stored.ID))
	}
	h.sendWindow(w, status, stored, h.now())
	return nil
}

// endWindow serves POST /windows/{id}/end: the window stops now
// (maintenance.Manager.End). It must be active (409 otherwise).
func (h *handler) endWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	return h.action(w, r, nil, decodeEmpty, func(ctx context.Context, id, version int64) (maintenance.Window, error) {
		return h.m.End(ctx, id, version, actor)
	})
}

// extendWindow serves POST /windows/{id}/extend: the stop moves by
// by_seconds (maintenance.Manager.Extend).
func (h *handler) extendWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	var by time.Duration
	decode := func(body []byte) *Problem {
		var p *Problem
		by, p = decodeExtend(body)
		return p
	}
	rename := map[string]string{maintenance.FieldStop: "by_seconds", maintenance.FieldStart: "by_seconds"}
	return h.action(w, r, rename, decode, func(ctx context.Context, id, version int64) (maintenance.Window, error) {
		return h.m.Extend(ctx, id, version, by, actor)
	})
}

// cancelWindow serves POST /windows/{id}/cancel: the window becomes
// invalid (maintenance.Manager.Cancel). A window already invalid is left
// as it is.
func (h *handler) cancelWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	return h.action(w, r, nil, decodeEmpty, func(ctx context.Context, id, version int64) (maintenance.Window, error) {
		return h.m.Cancel(ctx, id, version, actor)
	})
}

// notRecurringError is the error of an occurrence asked of a window that
// does not repeat.
type notRecurringError struct{ id int64 }

func (e notRecurringError) Error() string {
	return fmt.Sprintf("window %d does not repeat: it has no occurrence to skip or move", e.id)
}

// skipOccurrence serves POST /windows/{id}/skip: one occurrence of a
// recurring window does not happen (maintenance.Manager.SkipOccurrence, an
// exception). Skipping one already skipped changes nothing. Without
// If-Match it acts on the current version, retrying a bounded number of
// times when the window changes meanwhile.
func (h *handler) skipOccurrence(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	var occ time.Time
	decode := func(body []byte) *Problem {
		var p *Problem
		occ, p = decodeSkip(body)
		return p
	}
	rename := map[string]string{maintenance.FieldExceptions: "occurrence"}
	return h.action(w, r, rename, decode, func(ctx context.Context, id, version int64) (maintenance.Window, error) {
		return h.onOccurrence(ctx, id, version, func(at int64) (maintenance.Window, error) {
			return h.m.SkipOccurrence(ctx, id, occ, at, actor)
		})
	})
}

// moveOccurrence serves POST /windows/{id}/move: one occurrence of a
// recurring window becomes a window of its own over new times, and an
// exception of the recurring window (maintenance.Manager.MoveOccurrence).
// It answers 201 with the new window and its Location. Without If-Match
// it acts on the current version, retrying as skipOccurrence does.
func (h *handler) moveOccurrence(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	var in MoveInput
	decode := func(body []byte) *Problem {
		var p *Problem
		in, p = decodeMove(body)
		return p
	}
	rename := map[string]string{maintenance.FieldExceptions: "occurrence", maintenance.FieldOccurrence: "occurrence",
		maintenance.FieldStart: "start", maintenance.FieldStop: "stop"}
	return h.act(w, r, http.StatusCreated, rename, decode, func(ctx context.Context, id, version int64) (maintenance.Window, error) {
		return h.onOccurrence(ctx, id, version, func(at int64) (maintenance.Window, error) {
			moved, _, err := h.m.MoveOccurrence(ctx, id, in.Occurrence, in.Start, in.Stop, at, actor)
			return moved, err
		})
	})
}

// onOccurrence runs change, a write to an occurrence of window id at the
// version it is given: version when not 0; otherwise the version stored,
// read again and retried up to maintenance.ModifyAttempts times while
// other writes land in between. A window that does not recur gives a
// notRecurringError.
func (h *handler) onOccurrence(ctx context.Context, id, version int64, change func(at int64) (maintenance.Window, error)) (maintenance.Window, error) {
	for attempt := 1; ; attempt++ {
		at := version
		if at == 0 {
			cur, err := h.m.Get(ctx, id)
			if err != nil {
				return maintenance.Window{}, err
			}
			at = cur.Version
		}
		out, err := change(at)
		var ve *maintenance.ValidationError
		if errors.As(err, &ve) {
			if _, ok := ve.Reason(maintenance.FieldRecurrence); ok {
				return maintenance.Window{}, notRecurringError{id}
			}
		}
		if version != 0 || !errors.Is(err, maintenance.ErrConflict) || attempt == maintenance.ModifyAttempts {
			return out, err
		}
	}
}

// down serves POST /down: a valid window from now for for_seconds
// (maintenance.Manager.StartNow).
func (h *handler) down(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	win, d, p := decodeDown(body)
	if p != nil {
		return p
	}
	stored, err := h.m.StartNow(r.Context(), win, d, actor)
	if err != nil {
		return h.problemFor(r.Context(), err, map[string]string{maintenance.FieldStop: "for_seconds", maintenance.FieldStart: "for_seconds"})
	}
	w.Header().Set("Location", h.location(stored.ID))
	h.sendWindow(w, http.StatusCreated, stored, h.now())
	return nil
}

// up serves POST /up: every valid window active now stops now, as
// maintenance.Manager.EndAll does (one that starts at this very instant is
// cancelled instead). It answers the windows it changed. Each is changed
// on its own: after a store failure, some may have ended and the others
// not; sending /up again ends the rest.
func (h *handler) up(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	if p := decodeEmpty(body); p != nil {
		return p
	}
	changed, err := h.m.EndAll(r.Context(), actor)
	if err != nil {
		return h.actionProblem(r.Context(), err, 0, nil)
	}
	now := h.now()
	out := WindowList{Windows: make([]Window, 0, len(changed))}
	for _, win := range changed {
		out.Windows = append(out.Windows, NewWindow(win, now))
	}
	writeJSON(w, http.StatusOK, out.wire())
	return nil
}
