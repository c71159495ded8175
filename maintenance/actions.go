package maintenance

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ModifyAttempts bounds the tries of [Manager.Modify] when other writes
// keep landing between its read and its write.
const ModifyAttempts = 3

// ErrNotActive is matched (errors.Is) by every *NotActiveError.
var ErrNotActive = errors.New("maintenance: window is not active")

// NotActiveError refuses [Manager.End] of a window that is not active at
// the Manager's now: it has not started (end it by cancelling or deleting
// it) or has finished.
type NotActiveError struct {
	// Window is the window as it stands.
	Window Window
	// State is where it stands now: Planned or Finished.
	State State
	// At is the instant it was judged at, the Manager's now.
	At time.Time
}

// Error names the window, its state and the instant that makes it so:
// for a recurring window, its next occurrence, or that none is to come.
func (e *NotActiveError) Error() string {
	if !e.Window.Recurrence.IsZero() {
		if next := e.Next(); !next.IsZero() {
			return fmt.Sprintf("maintenance: window %d has no occurrence in progress (the next starts at %s)", e.Window.ID, next.UTC().Format(time.RFC3339))
		}
		return fmt.Sprintf("maintenance: window %d has no occurrence to come", e.Window.ID)
	}
	if e.State == Planned {
		return fmt.Sprintf("maintenance: window %d has not started (it starts at %s)", e.Window.ID, e.Window.Start.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("maintenance: window %d has finished (at %s)", e.Window.ID, e.Window.Stop.UTC().Format(time.RFC3339))
}

// Next returns the start of the window's next occurrence after At, or the
// zero time when none is to come: its Start for a window that happens once
// and has not started.
func (e *NotActiveError) Next() time.Time {
	if next, err := e.Window.Occurrences(e.At, 1); err == nil && len(next) > 0 && next[0].Start.After(e.At) {
		return next[0].Start
	}
	return time.Time{}
}

// Is reports whether target is ErrNotActive.
func (e *NotActiveError) Is(target error) bool { return target == ErrNotActive }

// ChangeFunc computes the window to write from cur, the window as stored,
// at now, the Manager's instant. It returns write false to leave the
// window as it is, or an error that stops [Manager.Modify].
type ChangeFunc func(now time.Time, cur Window) (next Window, write bool, err error)

// Modify reads window id, lets change compute the window to write from it
// and writes that as actor, as [Manager.Update] does. When another write
// lands between the read and the write, Modify reads again and retries, up
// to ModifyAttempts times in all, then gives up with an error wrapping
// ErrConflict. change sees every read, so a precondition it checks (say, a
// Version the caller expects) is checked again against the window a retry
// reads. It returns the window as it stands after, and whether it wrote;
// an unknown ID gives an error wrapping ErrNotFound.
func (m *Manager) Modify(ctx context.Context, id int64, actor string, change ChangeFunc) (Window, bool, error) {
	return m.modify(ctx, id, func(now time.Time, cur Window) (Window, bool, error) {
		next, write, err := change(now, cur)
		if err != nil || !write {
			return cur, false, err
		}
		next.ID, next.Version = cur.ID, cur.Version
		return written(cur)(m.Update(ctx, next, actor))
	})
}

// modify reads window id and lets apply write what it computes from it at
// the Manager's now. While apply's write loses a race (apply returns a
// conflict error, see written), modify reads again and retries, up to
// ModifyAttempts times in all; any other outcome of apply is returned as
// it is.
func (m *Manager) modify(ctx context.Context, id int64, apply func(now time.Time, cur Window) (Window, bool, error)) (Window, bool, error) {
	for attempt := 1; ; attempt++ {
		cur, err := m.Get(ctx, id)
		if err != nil {
			return Window{}, false, err
		}
		w, wrote, err := apply(m.clock.Now(), cur)
		var c conflict
		if !errors.As(err, &c) {
			return w, wrote, err
		}
		if attempt == ModifyAttempts {
			return w, false, c.err
		}
	}
}

// conflict is the error of a write that lost a race (ErrConflict), which
// modify retries.
type conflict struct{ err error }

func (c conflict) Error() string { return c.err.Error() }
func (c conflict) Unwrap() error { return c.err }

// written returns a function that turns the outcome of a write of cur into
// apply's for modify: the window written, or cur and the error, marked for
// a retry when it wraps ErrConflict.
func written(cur Window) func(Window, error) (Window, bool, error) {
	return func(w Window, err error) (Window, bool, error) {
		switch {
		case err == nil:
			return w, true, nil
		case errors.Is(err, ErrConflict):
			return cur, false, conflict{err}
		}
		return cur, false, err
	}
}

// expect returns a check that the window is at version, or passes every
// window when version is 0.
func expect(version int64) func(Window) error {
	return func(w Window) error {
		if version != 0 && w.Version != version {
			return fmt.Errorf("maintenance: window %d is at version %d, not %d: %w", w.ID, w.Version, version, ErrConflict)
		}
		return nil
	}
}

// End stops window id now, as actor: its Stop becomes the Manager's now.
// A window that starts at this very instant cannot stop before it starts,
// so it is cancelled instead (made [Invalid]), as [Manager.EndAll] does. A
// window that is not active now gives a *NotActiveError. version, when not
// 0, is the version the caller expects (ErrConflict otherwise); with 0 the
// End applies to whatever version is stored (see [Manager.Modify]).
//
// A recurring window is ended in the occurrence in progress, and the
// series goes on: that occurrence is moved to a window of its own that
// stops now, as [Manager.MoveOccurrence] does (or skipped, when it starts
// at this very instant), and End returns the recurring window as stored,
// with the occurrence among its exceptions.
func (m *Manager) End(ctx context.Context, id, version int64, actor string) (Window, error) {
	check := expect(version)
	w, _, err := m.modify(ctx, id, func(now time.Time, cur Window) (Window, bool, error) {
		if err := check(cur); err != nil {
			return cur, false, err
		}
		if st := cur.StateAt(now); st != Active {
			return cur, false, &NotActiveError{Window: cur, State: st, At: now}
		}
		return m.endAt(ctx, cur, now, actor)
	})
	return w, err
}

// endAt ends cur, active at now, as actor: stopped then, or cancelled
// when it starts then; a recurring window in its occurrence in progress.
func (m *Manager) endAt(ctx context.Context, cur Window, now time.Time, actor string) (Window, bool, error) {
	if !cur.Recurrence.IsZero() {
		occ, err := cur.Occurrences(now, 1)
		if err != nil {
			return cur, false, err
		}
		if len(occ) == 0 || occ[0].Start.After(now) {
			return cur, false, &NotActiveError{Window: cur, State: cur.StateAt(now), At: now}
		}
		if occ[0].Start.Equal(now) {
			return written(cur)(m.SkipOccurrence(ctx, cur.ID, occ[0].Occurrence, cur.Version, actor))
		}
		_, series, err := m.MoveOccurrence(ctx, cur.ID, occ[0].Occurrence, occ[0].Start, now, cur.Version, actor)
		return written(cur)(series, err)
	}
	next := cur
	if next.Start.Equal(now) {
		next.Validity = Invalid
	} else {
		next.Stop = now
	}
	return written(cur)(m.Update(ctx, next, actor))
}

// Extend moves the Stop of window id later by by (earlier when by is
// negative), as actor; a Stop that would not be after the Start gives a
// *ValidationError. version is as for [Manager.End].
//
// A recurring window is extended in one occurrence, the one in progress
// or else the next, and the series goes on as it was: that occurrence is
// moved to a window of its own with the new Stop, as
// [Manager.MoveOccurrence] does, and Extend returns the recurring window
// as stored, with the occurrence among its exceptions. A series with no
// occurrence to come gives a *NotActiveError.
func (m *Manager) Extend(ctx context.Context, id, version int64, by time.Duration, actor string) (Window, error) {
	check := expect(version)
	w, _, err := m.modify(ctx, id, func(now time.Time, cur Window) (Window, bool, error) {
		if err := check(cur); err != nil {
			return cur, false, err
		}
		if cur.Recurrence.IsZero() {
			next := cur
			next.Stop = next.Stop.Add(by)
			return written(cur)(m.Update(ctx, next, actor))
		}
		occ, err := cur.Occurrences(now, 1)
		if err != nil {
			return cur, false, err
		}
		if len(occ) == 0 {
			return cur, false, &NotActiveError{Window: cur, State: Finished, At: now}
		}
		_, series, err := m.MoveOccurrence(ctx, cur.ID, occ[0].Occurrence, occ[0].Start, occ[0].Stop.Add(by), cur.Version, actor)
		return written(cur)(series, err)
	})
	return w, err
}

// Cancel makes window id [Invalid], as actor, so it takes no part in the
// schedule; a window already Invalid is left as it is. version is as for
// [Manager.End].
func (m *Manager) Cancel(ctx context.Context, id, version int64, actor string) (Window, error) {
	check := expect(version)
	w, _, err := m.Modify(ctx, id, actor, func(_ time.Time, cur Window) (Window, bool, error) {
		if err := check(cur); err != nil {
			return cur, false, err
		}
		write := cur.Validity != Invalid
		cur.Validity = Invalid
		return cur, write, nil
	})
	return w, err
}

// StartNow adds w as a window that starts now, by the Manager's clock, and
// lasts d, as actor: "down for d". w's Start and Stop are ignored; its
// texts, validity and lead are kept. A d of zero or less gives a
// *ValidationError naming Stop.
func (m *Manager) StartNow(ctx context.Context, w Window, d time.Duration, actor string) (Window, error) {
	now := m.clock.Now()
	w.Start, w.Stop = now, now.Add(d)
	return m.Add(ctx, w, actor)
}

// EndAll ends every valid window active now, as actor ("up"): each one's
// Stop becomes the Manager's now, as [Manager.End] does, except a window
// that starts at this very instant, which cannot stop before it starts and
// is cancelled instead, and a recurring window, which is ended in its
// occurrence in progress while the series goes on. It returns the windows
// it changed (a recurring one as stored, with the occurrence among its
// exceptions), sorted by
// Start, then ID. Each window is changed on its own: after a store failure
// some may have ended and the others not, and EndAll again ends the rest;
// a window deleted or changed meanwhile so that it is not active any more
// is passed over.
func (m *Manager) EndAll(ctx context.Context, actor string) ([]Window, error) {
	ws, err := m.List(ctx, Valid)
	if err != nil {
		return nil, err
	}
	out := []Window{}
	for _, w := range ws {
		if !w.ActiveAt(m.clock.Now()) {
			continue
		}
		ended, wrote, err := m.modify(ctx, w.ID, func(now time.Time, cur Window) (Window, bool, error) {
			if !cur.ActiveAt(now) {
				return cur, false, nil // changed meanwhile: not in force any more
			}
			return m.endAt(ctx, cur, now, actor)
		})
		switch {
		case errors.Is(err, ErrNotFound):
			continue // deleted meanwhile
		case err != nil:
			return out, err
		case wrote:
			out = append(out, ended)
		}
	}
	return out, nil
}
