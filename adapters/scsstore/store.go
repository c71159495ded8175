package scsstore

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"
	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/session"
)

// Defaults of [Options].
const (
	// DefaultRefresh is how long the guard trusts its copy of the kill
	// record, unless Options.Refresh says otherwise.
	DefaultRefresh = time.Second
	// DefaultTouchEvery is how stale a session's LastRequestAt may get
	// before the guard records a request, unless Options.TouchEvery says
	// otherwise.
	DefaultTouchEvery = time.Minute
)

// Options configures a [Store]. A nil *Options, and every zero field,
// means the default.
type Options struct {
	// Clock stamps CreatedAt ([Store.Mark]) and LastRequestAt (the guard),
	// orders kills, and times the guard's copy of the kill record. It does
	// not time expiry: scs and its stores expire sessions by the real
	// clock (see the package documentation, "Time and expiry"). Default:
	// the real clock. Tests pass a *clock.Mock.
	Clock clock.Clock
	// Refresh is how long the guard ([Store.LoadAndSave]) uses its copy of
	// the kill record before reading it again: the bound on how late
	// another instance's kill is seen. Default: DefaultRefresh; negative:
	// the record is read on every request of a marked session.
	Refresh time.Duration
	// TouchEvery is how stale a session's LastRequestAt may get before the
	// guard records a request in it (a write of the session by scs at the
	// end of the request). Default: DefaultTouchEvery; negative: never.
	TouchEvery time.Duration
	// Ended answers a request whose session this package has just ended:
	// by the guard (the session was killed) or by [Store.End] (a window
	// began). Default: nil; the guard passes the request on to the host's
	// handler with an empty session, as if its cookie had expired, and
	// End redirects (303 See Other) to the request's path.
	Ended http.Handler
}

// Store is a session.Store over an scs SessionManager and its store: the
// sessions sysmaint lists, counts and ends are the scs sessions that the
// host marked at login ([Store.Mark]), and the guard
// ([Store.LoadAndSave]) makes every kill stick. See the package
// documentation for the IDs, the guarantees and their costs.
//
// A Store is safe for concurrent use; it starts no goroutine.
type Store struct {
	sm         *scs.SessionManager
	clock      clock.Clock
	expiry     clock.Clock // the real clock, as scs's stores compare expiries with it
	refresh    time.Duration
	touchEvery time.Duration
	ended      http.Handler

	// mu serializes this process's writes of the kill record and the
	// read-check-write of sessions (Create, Touch), which scs's stores
	// cannot do atomically.
	mu sync.Mutex
	// cache is the guard's copy of the kill record; refreshMu lets one
	// request read it again while the others wait for the result.
	cache     atomic.Pointer[cached]
	refreshMu sync.Mutex
}

// cached is a kill record and when it was read (by the Store's clock).
type cached struct {
	rec *record
	at  time.Time
}

var _ session.Store = (*Store)(nil)

// New returns a Store over sm, whose Store must be able to iterate (an
// scs.IterableStore or scs.IterableCtxStore: memstore, sqlite3store,
// postgresstore, pgxstore, redisstore, ...). It does no I/O and starts no
// goroutine.
//
// sm.HashTokenInStore must be true: a session's ID is its key in the
// store, and with hashing that key is the SHA-256 of the cookie's token,
// which cannot be replayed as a cookie. Without it the key is the token
// itself, and an admin screen listing sessions would show every user's
// cookie. (Turning it on in a running host ends the existing sessions
// once: scs no longer finds them under their tokens.)
//
// New panics if sm or sm.Store is nil, if sm.Store cannot iterate, if
// sm.Codec is nil, or if sm.HashTokenInStore is false.
func New(sm *scs.SessionManager, opts *Options) *Store {
	switch {
	case sm == nil:
		panic("scsstore: New called with a nil *scs.SessionManager")
	case sm.Store == nil:
		panic("scsstore: New: the SessionManager has no Store")
	case sm.Codec == nil:
		panic("scsstore: New: the SessionManager has no Codec")
	case !sm.HashTokenInStore:
		panic("scsstore: New: set HashTokenInStore on the SessionManager; without it session IDs are the cookies' tokens")
	}
	switch sm.Store.(type) {
	case scs.IterableCtxStore, scs.IterableStore:
	default:
		panic(fmt.Sprintf("scsstore: New: the scs store %T cannot iterate (it is no scs.IterableStore)", sm.Store))
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = clock.New()
	}
	if o.Refresh == 0 {
		o.Refresh = DefaultRefresh
	}
	if o.TouchEvery == 0 {
		o.TouchEvery = DefaultTouchEvery
	}
	return &Store{
		sm:         sm,
		clock:      o.Clock,
		expiry:     clock.New(),
		refresh:    o.Refresh,
		touchEvery: o.TouchEvery,
		ended:      o.Ended,
	}
}

// ID returns the session ID of a token: what scs keys the session by in
// its store when HashTokenInStore is set (the SHA-256 of the token, in
// unpadded base64url). The ID does not give the token back.
func ID(token string) string {
	if token == "" {
		return ""
	}
	h := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// The scs store, called with the context when it takes one.

func (st *Store) find(ctx context.Context, key string) ([]byte, bool, error) {
	if c, ok := st.sm.Store.(interface {
		FindCtx(context.Context, string) ([]byte, bool, error)
	}); ok {
		return c.FindCtx(ctx, key)
	}
	return st.sm.Store.Find(key)
}

func (st *Store) commit(ctx context.Context, key string, b []byte, expiry time.Time) error {
	if c, ok := st.sm.Store.(interface {
		CommitCtx(context.Context, string, []byte, time.Time) error
	}); ok {
		return c.CommitCtx(ctx, key, b, expiry)
	}
	return st.sm.Store.Commit(key, b, expiry)
}

func (st *Store) remove(ctx context.Context, key string) error {
	if c, ok := st.sm.Store.(interface {
		DeleteCtx(context.Context, string) error
	}); ok {
		return c.DeleteCtx(ctx, key)
	}
	return st.sm.Store.Delete(key)
}

func (st *Store) all(ctx context.Context) (map[string][]byte, error) {
	if c, ok := st.sm.Store.(scs.IterableCtxStore); ok {
		return c.AllCtx(ctx)
	}
	return st.sm.Store.(scs.IterableStore).All()
}

// storeExpiry returns when the store should expire a session whose
// absolute deadline is deadline, written now: the deadline, or sooner
// with an idle timeout, as scs itself computes it.
func (st *Store) storeExpiry(deadline time.Time) time.Time {
	if st.sm.IdleTimeout > 0 {
		if ie := st.expiry.Now().Add(st.sm.IdleTimeout).UTC(); ie.Before(deadline) {
			return ie
		}
	}
	return deadline
}

// tombstoneUntil returns until when a session with the given deadline,
// killed now, must stay buried.
func (st *Store) tombstoneUntil(deadline time.Time) time.Time {
	now := st.expiry.Now()
	return later(deadline, now.Add(st.sm.Lifetime)).Add(tombstoneSlack)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// entry is one scs session read from the store: its deadline and data,
// and the sysmaint data when it is marked (w nil otherwise).
type entry struct {
	deadline time.Time
	values   map[string]any
	w        *wire
	marked   bool // a value is under Key, understood (w) or not
}

// load reads the session stored under id. found is false for no session
// or one the codec cannot decode, which scs cannot load either.
func (st *Store) load(ctx context.Context, id string) (e entry, found bool, err error) {
	b, found, err := st.find(ctx, id)
	if err != nil || !found {
		return entry{}, false, err
	}
	e, ok := st.decode(b)
	return e, ok, nil
}

// decode decodes one session's data; ok is false when the codec cannot.
func (st *Store) decode(b []byte) (e entry, ok bool) {
	deadline, values, err := st.sm.Codec.Decode(b)
	if err != nil {
		return entry{}, false
	}
	e = entry{deadline: deadline, values: values}
	if v, ok := values[Key]; ok {
		e.marked = true
		e.w, _ = parse(v)
	}
	return e, true
}

// readRecord reads the kill record from the store; a store without one
// has the empty record. The record read becomes the guard's copy, unless
// a write of this process replaced the copy meanwhile.
func (st *Store) readRecord(ctx context.Context) (*record, error) {
	old, at := st.cache.Load(), st.clock.Now()
	b, found, err := st.find(ctx, RecordKey)
	if err != nil {
		return nil, fmt.Errorf("scsstore: read the kill record: %w", err)
	}
	r := &record{}
	if found {
		_, values, err := st.sm.Codec.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("scsstore: decode the kill record %q: %w", RecordKey, err)
		}
		if r, err = decodeRecord(values[RecordKey]); err != nil {
			return nil, err
		}
	}
	st.cache.CompareAndSwap(old, &cached{rec: r, at: at})
	return r, nil
}

// writeRecord writes r, without the tombstones that have expired, and
// makes it the guard's copy. The caller holds st.mu.
func (st *Store) writeRecord(ctx context.Context, r *record) error {
	now := st.expiry.Now()
	r.prune(now)
	expiry := now.Add(recordLifetime).UTC()
	b, err := st.sm.Codec.Encode(expiry, map[string]any{RecordKey: r.encode()})
	if err != nil {
		return fmt.Errorf("scsstore: encode the kill record: %w", err)
	}
	if err := st.commit(ctx, RecordKey, b, expiry); err != nil {
		return fmt.Errorf("scsstore: write the kill record: %w", err)
	}
	st.cache.Store(&cached{rec: r, at: st.clock.Now()})
	return nil
}

// current returns the guard's copy of the kill record, reading it again
// when it is older than st.refresh.
func (st *Store) current(ctx context.Context) (*record, error) {
	if st.refresh < 0 {
		return st.readRecord(ctx) // no copy: every request reads, none waits for another
	}
	if c := st.cache.Load(); c != nil && st.fresh(c) {
		return c.rec, nil
	}
	st.refreshMu.Lock()
	defer st.refreshMu.Unlock()
	if c := st.cache.Load(); c != nil && st.fresh(c) {
		return c.rec, nil // another request read it while this one waited
	}
	return st.readRecord(ctx)
}

func (st *Store) fresh(c *cached) bool {
	return st.clock.Now().Sub(c.at) < st.refresh
}

// storable reports whether a session can be stored under id: the IDs
// session.Validate accepts, except RecordKey.
func storable(id string) bool {
	return id != "" && len(id) <= session.MaxIDLen && utf8.ValidString(id) &&
		strings.IndexByte(id, 0) < 0 && id != RecordKey
}

// Create implements session.Store: it stores s as a marked scs session
// under the key s.ID, expiring Lifetime from now (the real now) like a
// new scs session. Hosts mark their sessions with [Store.Mark] instead;
// Create serves tests and imports. Two Creates of one ID are told apart
// within this process only: scs's stores cannot insert only when absent.
// An existing entry under s.ID, marked or not, gives ErrExists, and so
// does RecordKey.
func (st *Store) Create(ctx context.Context, s session.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("scsstore: create session: %w", err)
	}
	if s.ID == RecordKey {
		return fmt.Errorf("scsstore: create session %q: the key is the kill record's: %w", s.ID, session.ErrExists)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	_, found, err := st.find(ctx, s.ID)
	if err != nil {
		return fmt.Errorf("scsstore: create session %q: %w", s.ID, err)
	}
	if found {
		return fmt.Errorf("scsstore: create session %q: %w", s.ID, session.ErrExists)
	}
	rec, err := st.readRecord(ctx)
	if err != nil {
		return err
	}
	w := newWire(s, "", "")
	w.Gen = rec.Gen
	deadline := st.expiry.Now().Add(st.sm.Lifetime).UTC()
	b, err := st.sm.Codec.Encode(deadline, map[string]any{Key: w.encode()})
	if err != nil {
		return fmt.Errorf("scsstore: create session %q: %w", s.ID, err)
	}
	if err := st.commit(ctx, s.ID, b, st.storeExpiry(deadline)); err != nil {
		return fmt.Errorf("scsstore: create session %q: %w", s.ID, err)
	}
	return nil
}

// Get implements session.Store. A session that is not marked, that the
// codec cannot decode, or that a kill has ended while its data is still
// in the store is not found. It reads the session and the kill record.
func (st *Store) Get(ctx context.Context, id string) (session.Session, error) {
	if err := ctx.Err(); err != nil {
		return session.Session{}, err
	}
	if !storable(id) {
		return session.Session{}, fmt.Errorf("scsstore: get session: %w", session.ErrNotFound)
	}
	e, found, err := st.load(ctx, id)
	if err != nil {
		return session.Session{}, fmt.Errorf("scsstore: get session %q: %w", id, err)
	}
	if !found || e.w == nil {
		return session.Session{}, fmt.Errorf("scsstore: get session %q: %w", id, session.ErrNotFound)
	}
	rec, err := st.readRecord(ctx)
	if err != nil {
		return session.Session{}, err
	}
	if rec.dead(e.w) {
		return session.Session{}, fmt.Errorf("scsstore: get session %q: %w", id, session.ErrNotFound)
	}
	return e.w.session(id), nil
}

// List implements session.Store: every marked session that no kill has
// ended, sorted by CreatedAt, then ID. It reads every entry of the scs
// store (its All) and decodes each with the codec, then the kill record.
func (st *Store) List(ctx context.Context) ([]session.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := st.all(ctx)
	if err != nil {
		return nil, fmt.Errorf("scsstore: list sessions: %w", err)
	}
	rec, err := st.readRecord(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]session.Session, 0, len(entries))
	for id, b := range entries {
		if id == RecordKey {
			continue
		}
		if e, ok := st.decode(b); ok && e.w != nil && !rec.dead(e.w) {
			out = append(out, e.w.session(id))
		}
	}
	slices.SortFunc(out, func(a, b session.Session) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Touch implements session.Store: it rewrites the session with the new
// LastRequestAt, and its store expiry as a request would (the idle
// timeout). Hosts on scs leave it to the guard, which records requests
// inside them (Options.TouchEvery): a Touch outside a request rewrites the
// whole session, so a request of that session writing at the same moment
// may undo it, or be undone by it.
func (st *Store) Touch(ctx context.Context, id string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := session.ValidateTouch(id, at); err != nil {
		return fmt.Errorf("scsstore: touch session: %w", err)
	}
	if !storable(id) {
		return fmt.Errorf("scsstore: touch session: %w", session.ErrNotFound)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	e, found, err := st.load(ctx, id)
	if err != nil {
		return fmt.Errorf("scsstore: touch session %q: %w", id, err)
	}
	if !found || e.w == nil {
		return fmt.Errorf("scsstore: touch session %q: %w", id, session.ErrNotFound)
	}
	rec, err := st.readRecord(ctx)
	if err != nil {
		return err
	}
	if rec.dead(e.w) {
		return fmt.Errorf("scsstore: touch session %q: %w", id, session.ErrNotFound)
	}
	e.w.Last = session.NormalizeTime(at).UnixMilli()
	e.values[Key] = e.w.encode()
	b, err := st.sm.Codec.Encode(e.deadline, e.values)
	if err != nil {
		return fmt.Errorf("scsstore: touch session %q: %w", id, err)
	}
	if err := st.commit(ctx, id, b, st.storeExpiry(e.deadline)); err != nil {
		return fmt.Errorf("scsstore: touch session %q: %w", id, err)
	}
	return nil
}

// Delete implements session.Store: it ends the session for good, then
// removes its data. The session is ended once its serial is in the kill
// record: the guard of every instance refuses it from then on (within
// Options.Refresh), even when a request of it in flight writes it back.
// Removing the data is cleanup: a failure there is no error, since the
// guard removes the data at the session's next request, and the store at
// its expiry.
func (st *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !storable(id) {
		return fmt.Errorf("scsstore: delete session: %w", session.ErrNotFound)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, err := st.readRecord(ctx)
	if err != nil {
		return err
	}
	e, found, err := st.load(ctx, id)
	if err != nil {
		return fmt.Errorf("scsstore: delete session %q: %w", id, err)
	}
	if !found || e.w == nil || rec.dead(e.w) {
		return fmt.Errorf("scsstore: delete session %q: %w", id, session.ErrNotFound)
	}
	rec = rec.clone()
	rec.bury(e.w.Serial, st.tombstoneUntil(e.deadline))
	if err := st.writeRecord(ctx, rec); err != nil {
		return err
	}
	_ = st.remove(context.WithoutCancel(ctx), id)
	return nil
}

// DeleteAllExcept implements session.Store: it ends every marked session
// except keepID's, and returns how many it ended. The kill is one write
// (the kill record's generation), in force on this instance at once and
// on every other within Options.Refresh, whatever the store; the data of
// the ended sessions is then removed one by one, as cleanup (see Delete).
// See the package documentation for what holds across processes.
func (st *Store) DeleteAllExcept(ctx context.Context, keepID string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if keepID == "" {
		return 0, fmt.Errorf("scsstore: delete sessions except own: %w", session.ErrNoOwnSession)
	}
	if !storable(keepID) {
		return 0, fmt.Errorf("scsstore: delete sessions except own: %w", session.ErrNotFound)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, err := st.readRecord(ctx)
	if err != nil {
		return 0, err
	}
	own, found, err := st.load(ctx, keepID)
	if err != nil {
		return 0, fmt.Errorf("scsstore: delete sessions except %q: %w", keepID, err)
	}
	if !found || own.w == nil || rec.dead(own.w) {
		return 0, fmt.Errorf("scsstore: delete sessions except %q: %w", keepID, session.ErrNotFound)
	}
	return st.killMany(ctx, rec, func(next *record, gen int64) {
		next.AllBefore, next.Except = gen, own.w.Serial
	})
}

// DeleteNonAdmin implements session.Store: it ends every marked session
// whose Admin flag is false, and returns how many it ended, the same way
// as DeleteAllExcept.
func (st *Store) DeleteNonAdmin(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, err := st.readRecord(ctx)
	if err != nil {
		return 0, err
	}
	return st.killMany(ctx, rec, func(next *record, gen int64) {
		next.NonAdminBefore = gen
	})
}

// killMany raises the kill record's generation, lets set say which
// sessions marked before it end, and writes the record. Then it removes
// the data of every marked session the new record ends, and returns how
// many of them the old record had not ended. The caller holds st.mu; rec
// is the record as read under it.
func (st *Store) killMany(ctx context.Context, rec *record, set func(next *record, gen int64)) (int, error) {
	entries, err := st.all(ctx)
	if err != nil {
		return 0, fmt.Errorf("scsstore: end sessions: %w", err)
	}
	next := rec.clone()
	next.Gen = rec.next(st.clock.Now())
	set(next, next.Gen)
	var n int
	var doomed []string
	for id, b := range entries {
		if id == RecordKey {
			continue
		}
		e, ok := st.decode(b)
		if !ok || !e.marked {
			continue // not a sysmaint session
		}
		if e.w == nil || next.dead(e.w) {
			doomed = append(doomed, id)
			if e.w != nil && !rec.dead(e.w) {
				n++
			}
		}
	}
	if err := st.writeRecord(ctx, next); err != nil {
		return 0, err
	}
	cleanup := context.WithoutCancel(ctx)
	for _, id := range doomed {
		_ = st.remove(cleanup, id)
	}
	return n, nil
}
