package maintenance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// getAt returns the stored window id, provided its Version is version:
// otherwise an error wrapping ErrConflict (or ErrNotFound), prefixed with
// op.
func (m *Manager) getAt(ctx context.Context, op string, id, version int64) (Window, error) {
	w, err := m.store.Get(ctx, id)
	if err != nil {
		return Window{}, fmt.Errorf("maintenance: %s: %w", op, err)
	}
	if w.Version != version {
		return Window{}, fmt.Errorf("maintenance: %s at version %d (stored %d): %w", op, version, w.Version, ErrConflict)
	}
	return w, nil
}

// notRecurring is the error for an occurrence asked of a window that does
// not recur.
var notRecurring = &ValidationError{Fields: []FieldError{{FieldRecurrence, ReasonRequired}}}

// SkipOccurrence skips one occurrence of the recurring window id, the one
// whose start the rule gives as start (the Occurrence of the window a
// Status reports for it), by adding start to the window's exceptions (an
// RFC 5545 EXDATE), stamped as changed now by actor. version must be the
// window's stored Version. It returns the stored window.
//
// A stale version gives an error wrapping ErrConflict, an unknown ID one
// wrapping ErrNotFound; a window that does not recur, or a start that is
// not one of its occurrences, a *ValidationError ([FieldRecurrence],
// [FieldExceptions]); nothing is written then. Skipping an occurrence
// already skipped writes nothing and returns the window as stored.
func (m *Manager) SkipOccurrence(ctx context.Context, id int64, start time.Time, version int64, actor string) (Window, error) {
	op := fmt.Sprintf("skip an occurrence of window %d", id)
	w, err := m.getAt(ctx, op, id, version)
	if err != nil {
		return Window{}, err
	}
	if w.Recurrence.IsZero() {
		return Window{}, notRecurring
	}
	start = normTime(start)
	if slices.ContainsFunc(w.Recurrence.Exceptions, start.Equal) {
		return w, nil
	}
	w.Recurrence.Exceptions = append(slices.Clone(w.Recurrence.Exceptions), start)
	return m.Update(ctx, w, actor)
}

// MoveOccurrence moves one occurrence of the recurring window id, the one
// whose start the rule gives as start, to [newStart, newStop): it skips
// the occurrence (an exception of the recurring window) and adds a window
// of its own over the new times, with the recurring window's texts,
// validity and lead time, created by actor. version must be the recurring
// window's stored Version. It returns the new window and the recurring
// window as stored.
//
// The errors are those of [Manager.SkipOccurrence], and a
// *ValidationError for new times that Validate refuses, or for a start
// already skipped ([FieldOccurrence]); nothing is written then. The
// recurring window is changed first (guarded by version), then the new
// window is created; should the store fail the second write, the first is
// undone and the error returned.
func (m *Manager) MoveOccurrence(ctx context.Context, id int64, start, newStart, newStop time.Time, version int64, actor string) (moved, series Window, err error) {
	op := fmt.Sprintf("move an occurrence of window %d", id)
	s, err := m.getAt(ctx, op, id, version)
	if err != nil {
		return Window{}, Window{}, err
	}
	if s.Recurrence.IsZero() {
		return Window{}, Window{}, notRecurring
	}
	now := m.clock.Now()
	one := Window{Start: newStart, Stop: newStop, Comment: s.Comment, LoginMessage: s.LoginMessage,
		ShowLoginMessage: s.ShowLoginMessage, NotifyMessage: s.NotifyMessage, Validity: s.Validity, Lead: s.Lead,
		CreatedAt: now, CreatedBy: actor, ChangedAt: now, ChangedBy: actor}
	one = one.Normalize()
	if err := one.validateBy(actor); err != nil {
		return Window{}, Window{}, err
	}
	start = normTime(start)
	if slices.ContainsFunc(s.Recurrence.Exceptions, start.Equal) {
		return Window{}, Window{}, &ValidationError{Fields: []FieldError{{FieldOccurrence, ReasonNotAnOccurrence}}}
	}
	skip := s
	skip.Recurrence.Exceptions = append(slices.Clone(s.Recurrence.Exceptions), start)
	if series, err = m.update(ctx, skip, actor); err != nil {
		return Window{}, Window{}, err
	}
	defer m.refreshAfterWrite(ctx)
	moved, err = m.store.Create(ctx, one)
	m.noteWrite(ctx, err)
	if err != nil {
		err = fmt.Errorf("maintenance: %s: add the moved occurrence: %w", op, err)
		undo := series
		undo.Recurrence.Exceptions = s.Recurrence.Exceptions
		if _, uerr := m.update(ctx, undo, actor); uerr != nil {
			err = errors.Join(err, fmt.Errorf("maintenance: %s: undo the skip: %w", op, uerr))
		}
		return Window{}, Window{}, err
	}
	return moved, series, nil
}

// UpdateFollowing changes the recurring window w.ID from the occurrence
// that starts at w.Start on, and keeps the occurrences before it as they
// were: the history of a series is not rewritten. The stored window ends
// before w.Start (its rule gets an UNTIL, which replaces a COUNT; its
// exceptions from w.Start on are dropped), and w is added as a new window
// (recurring or not) created by actor. w.Version must be the stored
// version. It returns both windows as stored.
//
// When no occurrence of the stored window starts before w.Start, or it
// does not recur, there is nothing to keep: UpdateFollowing is Update, and
// ended is the zero Window. When the stored window ends before w.Start
// anyway, it is left as it is and returned as ended.
//
// The errors are those of Update, for either window; nothing is written
// then. The stored window is changed first (guarded by its version), then
// the new one is created; should the store fail the second write, the
// first is undone and the error returned.
func (m *Manager) UpdateFollowing(ctx context.Context, w Window, actor string) (ended, following Window, err error) {
	op := fmt.Sprintf("update window %d from %s on", w.ID, w.Start.UTC().Format(time.RFC3339))
	now := m.clock.Now()
	w.CreatedAt, w.CreatedBy, w.ChangedAt, w.ChangedBy = now, actor, now, actor
	w = w.Normalize()
	if err := w.validateBy(actor); err != nil {
		return Window{}, Window{}, err
	}
	s, err := m.getAt(ctx, op, w.ID, w.Version)
	if err != nil {
		return Window{}, Window{}, err
	}
	sr, bad := newSeries(s)
	if s.Recurrence.IsZero() || bad != nil || !s.Start.Before(w.Start) {
		following, err = m.Update(ctx, w, actor)
		return Window{}, following, err
	}
	res := &resolver{loc: sr.loc}
	endAt := w.Start.Add(-time.Millisecond).Truncate(time.Second) // the last start kept
	rule := sr.rule
	cut := true
	switch {
	case rule.Count > 0:
		if last := res.resolve(sr.last) * 1000; last < unixMS(w.Start) {
			cut = false
		}
		rule.Count = 0
	case !rule.Until.IsZero() && rule.Until.Before(w.Start):
		cut = false
	}
	ended = s
	if cut {
		rule.Until = endAt
		ended.Recurrence.Rule = rule.String()
		ended.Recurrence.Exceptions = slices.DeleteFunc(slices.Clone(s.Recurrence.Exceptions),
			func(t time.Time) bool { return !t.Before(w.Start) })
		if ended, err = m.update(ctx, ended, actor); err != nil {
			return Window{}, Window{}, err
		}
	}
	defer m.refreshAfterWrite(ctx)
	w.ID, w.Version = 0, 0
	following, err = m.store.Create(ctx, w)
	m.noteWrite(ctx, err)
	if err != nil {
		err = fmt.Errorf("maintenance: %s: add the following window: %w", op, err)
		if cut {
			undo := s
			undo.Version = ended.Version
			if _, uerr := m.update(ctx, undo, actor); uerr != nil {
				err = errors.Join(err, fmt.Errorf("maintenance: %s: undo the end: %w", op, uerr))
			}
		}
		return Window{}, Window{}, err
	}
	return ended, following, nil
}
