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

// listWindows serves GET /windows.
func (h *handler) listWindows(w http.ResponseWriter, r *http.Request, _ string) *Problem {
	q, p := parseList(r.URL.RawQuery)
	if p != nil {
		return p
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

// createWindow serves POST /windows.
func (h *handler) createWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	win, p := decodeWindow(body, true)
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

// change computes the window to write from the current one, read at now.
// It returns write false to leave the window as it is, or a problem.
type change func(now time.Time, cur maintenance.Window) (next maintenance.Window, write bool, p *Problem)

// mutate reads window id, checks it against the If-Match list cond,
// applies fn and writes the result as actor. Without If-Match (or with
// "*") it acts on the version it reads and, when another write lands
// between its read and its write, tries again, up to maxAttempts times in
// all, then answers 409; with entity tags, a version they do not name, read
// or met at the write, answers 412. rename maps the domain's field names
// in a validation error to the request's. It returns the window as it
// stands after, and whether it wrote.
func (h *handler) mutate(ctx context.Context, id int64, cond tagList, actor string, rename map[string]string, fn change) (maintenance.Window, bool, *Problem) {
	tags := cond.present && !cond.any
	for attempt := 1; ; attempt++ {
		cur, err := h.m.Get(ctx, id)
		if err != nil {
			return cur, false, h.problemFor(ctx, err, rename)
		}
		if tags && !cond.matchStrong(etag(cur.Version)) {
			return cur, false, problem(http.StatusPreconditionFailed, fmt.Sprintf("the window is at version %d, ETag %s", cur.Version, etag(cur.Version)))
		}
		next, write, p := fn(h.now(), cur)
		if p != nil || !write {
			return cur, false, p
		}
		stored, err := h.m.Update(ctx, next, actor)
		switch {
		case err == nil:
			return stored, true, nil
		case !errors.Is(err, maintenance.ErrConflict):
			return cur, false, h.problemFor(ctx, err, rename)
		case tags:
			return cur, false, problem(http.StatusPreconditionFailed, "the window changed while this request was served")
		case attempt == maxAttempts:
			return cur, false, conflict(fmt.Sprintf("the window kept changing; gave up after %d tries", maxAttempts))
		}
	}
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
	in, p := decodeWindow(body, false)
	if p != nil {
		return p
	}
	stored, _, p := h.mutate(r.Context(), id, cond, actor, nil, func(_ time.Time, cur maintenance.Window) (maintenance.Window, bool, *Problem) {
		in.ID, in.Version = cur.ID, cur.Version
		return in, true, nil
	})
	if p != nil {
		return p
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
// read by decode, the change made by fn.
func (h *handler) action(w http.ResponseWriter, r *http.Request, actor string, rename map[string]string,
	decode func([]byte) *Problem, fn change) *Problem {
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
	stored, _, p := h.mutate(r.Context(), id, cond, actor, rename, fn)
	if p != nil {
		return p
	}
	h.sendWindow(w, http.StatusOK, stored, h.now())
	return nil
}

// endWindow serves POST /windows/{id}/end: the window stops now. It must
// be active: started before now and not yet stopped (409 otherwise).
func (h *handler) endWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	return h.action(w, r, actor, nil, decodeEmpty, func(now time.Time, cur maintenance.Window) (maintenance.Window, bool, *Problem) {
		switch {
		case !cur.Start.Before(now):
			return cur, false, conflict(fmt.Sprintf("window %d has not started (it starts at %s): cancel or delete it instead", cur.ID, FormatInstant(cur.Start)))
		case !now.Before(cur.Stop):
			return cur, false, conflict(fmt.Sprintf("window %d has finished already (at %s)", cur.ID, FormatInstant(cur.Stop)))
		}
		cur.Stop = now
		return cur, true, nil
	})
}

// extendWindow serves POST /windows/{id}/extend: the stop moves by
// by_seconds.
func (h *handler) extendWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	var by time.Duration
	decode := func(body []byte) *Problem {
		var p *Problem
		by, p = decodeExtend(body)
		return p
	}
	rename := map[string]string{maintenance.FieldStop: "by_seconds", maintenance.FieldStart: "by_seconds"}
	return h.action(w, r, actor, rename, decode, func(_ time.Time, cur maintenance.Window) (maintenance.Window, bool, *Problem) {
		cur.Stop = cur.Stop.Add(by)
		return cur, true, nil
	})
}

// cancelWindow serves POST /windows/{id}/cancel: the window becomes
// invalid. A window already invalid is left as it is.
func (h *handler) cancelWindow(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	return h.action(w, r, actor, nil, decodeEmpty, func(_ time.Time, cur maintenance.Window) (maintenance.Window, bool, *Problem) {
		if cur.Validity == maintenance.Invalid {
			return cur, false, nil
		}
		cur.Validity = maintenance.Invalid
		return cur, true, nil
	})
}

// down serves POST /down: a valid window from now for for_seconds.
func (h *handler) down(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	win, d, p := decodeDown(body)
	if p != nil {
		return p
	}
	now := h.now()
	win.Start, win.Stop = now, now.Add(d)
	stored, err := h.m.Add(r.Context(), win, actor)
	if err != nil {
		return h.problemFor(r.Context(), err, map[string]string{maintenance.FieldStop: "for_seconds", maintenance.FieldStart: "for_seconds"})
	}
	w.Header().Set("Location", h.location(stored.ID))
	h.sendWindow(w, http.StatusCreated, stored, now)
	return nil
}

// up serves POST /up: every valid window active now stops now (one that
// starts at this very instant is cancelled instead, as it cannot stop
// before it starts). It answers the windows it changed. Each is changed
// on its own, as POST /windows/{id}/end does: after a store failure, some
// may have ended and the others not; sending /up again ends the rest.
func (h *handler) up(w http.ResponseWriter, r *http.Request, actor string) *Problem {
	body, p := h.readBody(w, r)
	if p != nil {
		return p
	}
	if p := decodeEmpty(body); p != nil {
		return p
	}
	ctx := r.Context()
	ws, err := h.m.List(ctx, maintenance.Valid)
	if err != nil {
		return h.problemFor(ctx, err, nil)
	}
	now := h.now()
	out := WindowList{Windows: []Window{}}
	for _, win := range ws {
		if !win.ActiveAt(now) {
			continue
		}
		stored, wrote, p := h.mutate(ctx, win.ID, tagList{}, actor, nil, func(now time.Time, cur maintenance.Window) (maintenance.Window, bool, *Problem) {
			switch {
			case !cur.ActiveAt(now):
				return cur, false, nil // changed meanwhile: not in force any more
			case cur.Start.Equal(now):
				cur.Validity = maintenance.Invalid
			default:
				cur.Stop = now
			}
			return cur, true, nil
		})
		switch {
		case p != nil && p.Status == http.StatusNotFound:
			continue // deleted meanwhile
		case p != nil:
			return p
		case wrote:
			out.Windows = append(out.Windows, NewWindow(stored, h.now()))
		}
	}
	writeJSON(w, http.StatusOK, out.wire())
	return nil
}
