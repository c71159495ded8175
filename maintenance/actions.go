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
}

// Error names the window, its state and the instant that makes it so.
func (e *NotActiveError) Error() string {
	if e.State == Planned {
		return fmt.Sprintf("maintenance: window %d has not started (it starts at %s)", e.Window.ID, e.Window.Start.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("maintenance: window %d has finished (at %s)", e.Window.ID, e.Window.Stop.UTC().Format(time.RFC3339))
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
	for attempt := 1; ; attempt++ {
		cur, err := m.Get(ctx, id)
		if err != nil {
			return Window{}, false, err
		}
		next, write, err := change(m.clock.Now(), cur)
		if err != nil || !write {
			return cur, false, err
		}
		next.ID, next.Version = cur.ID, cur.Version
		stored, err := m.Update(ctx, next, actor)
		switch {
		case err == nil:
			return stored, true, nil
		case !errors.Is(err, ErrConflict) || attempt == ModifyAttempts:
			return cur, false, err
		}
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
func (m *Manager) End(ctx context.Context, id, version int64, actor string) (Window, error) {
	check := expect(version)
	w, _, err := m.Modify(ctx, id, actor, func(now time.Time, cur Window) (Window, bool, error) {
		if err := check(cur); err != nil {
			return cur, false, err
		}
		if st := cur.StateAt(now); st != Active {
			return cur, false, &NotActiveError{Window: cur, State: st}
		}
		return endAt(cur, now), true, nil
	})
	return w, err
}

// endAt returns w ended at now, an instant at which it is active: stopped
// then, or cancelled when it starts then.
func endAt(w Window, now time.Time) Window {
	if w.Start.Equal(now) {
		w.Validity = Invalid
	} else {
		w.Stop = now
	}
	return w
}

// Extend moves the Stop of window id later by by (earlier when by is
// negative), as actor; a Stop that would not be after the Start gives a
// *ValidationError. version is as for [Manager.End].
func (m *Manager) Extend(ctx context.Context, id, version int64, by time.Duration, actor string) (Window, error) {
	check := expect(version)
	w, _, err := m.Modify(ctx, id, actor, func(_ time.Time, cur Window) (Window, bool, error) {
		if err := check(cur); err != nil {
			return cur, false, err
		}
		cur.Stop = cur.Stop.Add(by)
		return cur, true, nil
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
// is cancelled instead. It returns the windows it changed, sorted by
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
		ended, wrote, err := m.Modify(ctx, w.ID, actor, func(now time.Time, cur Window) (Window, bool, error) {
			if !cur.ActiveAt(now) {
				return cur, false, nil // changed meanwhile: not in force any more
			}
			return endAt(cur, now), true, nil
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
