package maintenance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// MaxPageLimit is the most windows a [PageQuery] may ask for at once.
const MaxPageLimit = 1000

// ErrBadQuery is wrapped by the error of a [PageQuery] that cannot be
// answered: a limit out of range, an unknown validity or state, a state
// filter without an instant, a cursor without an ID.
var ErrBadQuery = errors.New("maintenance: bad page query")

// Position is a place in the order of [Store.List]: by Start, then ID.
// A page starts or ends next to one (see [PageQuery]).
type Position struct {
	Start time.Time
	ID    int64
}

// PositionOf returns the position of w.
func PositionOf(w Window) Position { return Position{Start: w.Start, ID: w.ID} }

// compare orders w against p as Store.List orders windows, with instants
// read at millisecond precision as stores keep them.
func (p Position) compare(w Window) int {
	if c := cmp.Compare(w.Start.UnixMilli(), p.Start.UnixMilli()); c != 0 {
		return c
	}
	return cmp.Compare(w.ID, p.ID)
}

// PageQuery selects one page of windows, in the order of [Store.List]
// (Start, then ID), for screens and APIs that must not read every window.
//
// A window matches when its validity is one of Validity (any when empty)
// and its state at At ([Window.StateAt]) is one of States (any when
// empty). The page holds at most Limit matching windows:
//
//   - going forward (Backward false), the first ones after Cursor, or the
//     first ones of all when Cursor is nil;
//   - going backward, the last ones before Cursor, or the last ones of all
//     when Cursor is nil; they are still returned in ascending order.
//
// Cursor itself is never part of the page, so a page's first or last
// window, as a cursor, leads to the page before or after it, and a
// window deleted meanwhile does not disturb the walk.
type PageQuery struct {
	// Validity keeps the windows whose validity is one of these. Empty:
	// every validity.
	Validity []Validity
	// States keeps the windows whose state at At is one of these. Empty:
	// every state.
	States []State
	// At is the instant States are judged at. Required when States is
	// not empty; it is read at millisecond precision, rounded down.
	At time.Time
	// Cursor is where the page starts (after it) or, going backward, ends
	// (before it). nil: the first page, or going backward the last.
	Cursor *Position
	// Backward asks for the windows before Cursor instead of after it.
	Backward bool
	// Limit is the most windows on the page: 1 to MaxPageLimit.
	Limit int
}

// Validate returns an error wrapping ErrBadQuery that names what is wrong
// with q, or nil.
func (q PageQuery) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrBadQuery}, args...)...)
	}
	if q.Limit < 1 || q.Limit > MaxPageLimit {
		return bad("limit %d is not from 1 to %d", q.Limit, MaxPageLimit)
	}
	for _, v := range q.Validity {
		if !v.Known() {
			return bad("unknown validity %d", v)
		}
	}
	for _, s := range q.States {
		if s < Planned || s > Finished {
			return bad("unknown state %d", s)
		}
	}
	if len(q.States) > 0 && q.At.IsZero() {
		return bad("a state filter needs the instant At")
	}
	if q.Cursor != nil && q.Cursor.ID < 1 {
		return bad("cursor ID %d is not positive", q.Cursor.ID)
	}
	return nil
}

// Matches reports whether w passes the filters of q (Validity, States at
// At), wherever it lies.
func (q PageQuery) Matches(w Window) bool {
	if len(q.Validity) > 0 && !slices.Contains(q.Validity, w.Validity) {
		return false
	}
	if len(q.States) > 0 {
		at := time.UnixMilli(q.At.UnixMilli())
		if !slices.Contains(q.States, w.StateAt(at)) {
			return false
		}
	}
	return true
}

// Page is one page of windows and whether there are more on either side.
type Page struct {
	// Windows are the windows of the page in ascending order. Never nil.
	Windows []Window
	// Prev reports whether a matching window lies before the page: before
	// its first window, or, for an empty page reached forward, at or
	// before the cursor.
	Prev bool
	// Next reports whether a matching window lies after the page: after
	// its last window, or, for an empty page reached backward, at or after
	// the cursor.
	Next bool
}

// PageLister is implemented by stores that can read one page of windows
// without reading them all, usually with an indexed query.
// [Manager.ListPage] uses it when the store has it; the conformance suite
// in package maintenancetest checks it against [SelectPage] over
// [Store.List].
type PageLister interface {
	// ListPage returns the page q selects (see PageQuery and Page), or an
	// error wrapping ErrBadQuery when q.Validate fails. Like List, it
	// returns windows in UTC at millisecond precision, never aliased.
	ListPage(ctx context.Context, q PageQuery) (Page, error)
}

// SelectPage returns the page q selects from ws, which must be sorted as
// [Store.List] sorts (by Start, then ID). It is the reference meaning of
// PageQuery: stores implementing PageLister must agree with it. It costs
// one pass over ws. q must be valid (PageQuery.Validate).
func SelectPage(ws []Window, q PageQuery) Page {
	p := Page{Windows: []Window{}}
	if !q.Backward {
		i := 0
		if q.Cursor != nil {
			for ; i < len(ws) && q.Cursor.compare(ws[i]) <= 0; i++ {
				p.Prev = p.Prev || q.Matches(ws[i])
			}
		}
		for ; i < len(ws); i++ {
			if !q.Matches(ws[i]) {
				continue
			}
			if len(p.Windows) == q.Limit {
				p.Next = true
				break
			}
			p.Windows = append(p.Windows, ws[i])
		}
		return p
	}
	i := len(ws) - 1
	if q.Cursor != nil {
		for ; i >= 0 && q.Cursor.compare(ws[i]) >= 0; i-- {
			p.Next = p.Next || q.Matches(ws[i])
		}
	}
	for ; i >= 0; i-- {
		if !q.Matches(ws[i]) {
			continue
		}
		if len(p.Windows) == q.Limit {
			p.Prev = true
			break
		}
		p.Windows = append(p.Windows, ws[i])
	}
	slices.Reverse(p.Windows)
	return p
}

// ListPage returns the page of windows q selects (see PageQuery). With a
// store that implements PageLister it reads that page only; otherwise it
// lists the windows of the validities asked for and selects the page in
// memory, which costs a read of all of them. An invalid q gives an error
// wrapping ErrBadQuery, and no read.
func (m *Manager) ListPage(ctx context.Context, q PageQuery) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	if pl, ok := m.store.(PageLister); ok {
		return pl.ListPage(ctx, q)
	}
	ws, err := m.store.List(ctx, q.Validity...)
	if err != nil {
		return Page{}, err
	}
	return SelectPage(ws, q), nil
}
