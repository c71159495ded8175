package scsstore

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// Mark records the session of ctx's request as a session of the user info
// describes, right after a successful login: it renews the session's
// token, as every login must (it guards against session fixation; a host
// that already calls sm.RenewToken may go on doing so, which costs one
// more store delete), and puts info, with CreatedAt and LastRequestAt set
// to now by the Store's clock, into the session data under [Key]. scs
// writes the session at the end of the request. From then on, the session
// is listed, counted and ended by sysmaint, and its ID is [Store.SessionID].
//
// Check the login rule first (maintenance.Manager.CheckLogin with
// info.Principal()), so that a refused user leaves no marked session.
//
// Mark reads the kill record, so that a kill that has already happened
// does not end the new session. It must run inside sm.LoadAndSave (or
// [Store.LoadAndSave]); scs panics otherwise. Bad info gives a
// *session.ValidationError (wrapping session.ErrInvalid) naming every bad
// field, Zone and Language among them, and nothing changes; so does a
// failure to read the kill record or to renew the token.
func (st *Store) Mark(ctx context.Context, info Info) error {
	s, err := info.check(st.clock.Now())
	if err != nil {
		return fmt.Errorf("scsstore: mark session: %w", err)
	}
	rec, err := st.readRecord(ctx)
	if err != nil {
		return err
	}
	if err := st.sm.RenewToken(ctx); err != nil {
		return fmt.Errorf("scsstore: mark session: renew the token: %w", err)
	}
	w := newWire(s, info.Zone, info.Language)
	w.Gen = rec.Gen
	st.sm.Put(ctx, Key, w.encode())
	return nil
}

// SessionID returns the ID of the session of ctx's request, as [ID] of its
// token; "" when the session has no token yet (scs gives one at Mark, or
// when it first writes a new session). It must run inside sm.LoadAndSave.
func (st *Store) SessionID(ctx context.Context) string {
	return ID(st.sm.Token(ctx))
}

// guardKey is the context key under which the guard leaves the request's
// sysmaint data, for Session and Viewer.
type guardKey struct{ st *Store }

// LoadAndSave is sm.LoadAndSave with the guard inside it: use it instead,
// as the outermost session middleware. See [Store.Guard].
func (st *Store) LoadAndSave(next http.Handler) http.Handler {
	return st.sm.LoadAndSave(st.Guard(next))
}

// Guard is the middleware that makes every kill stick; it must run inside
// sm.LoadAndSave ([Store.LoadAndSave] does both). For a request whose
// session is marked, it checks the session against its copy of the kill
// record (read again when older than Options.Refresh). A session that a
// kill has ended (on any instance, even one whose request in flight wrote
// it back afterwards), or whose sysmaint data is not understood, is
// destroyed (its data removed from the store, its cookie cleared), and the
// request goes to Options.Ended, or else on to next with an empty session,
// as if its cookie had expired. Other requests go on to next; a request of
// a marked session records itself in LastRequestAt when the recorded one
// is Options.TouchEvery old. When the kill record cannot be read, the
// request is answered by sm.ErrorFunc (500 by default) and the session is
// left as it is: no marked session is let through unchecked.
//
// A request without a marked session costs one lookup in the session
// data; one with, a parse of its sysmaint data (about a microsecond) and,
// once per Options.Refresh per instance, one read of the kill record.
func (st *Store) Guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		v := st.sm.Get(ctx, Key)
		if v == nil {
			next.ServeHTTP(w, r)
			return
		}
		wi, err := parse(v)
		if err == nil {
			rec, err := st.current(ctx)
			if err != nil {
				st.fail(w, r, err)
				return
			}
			if !rec.dead(wi) {
				if now := st.clock.Now(); st.touchEvery >= 0 && now.Sub(fromMilli(wi.Last)) >= st.touchEvery {
					wi.Last = session.NormalizeTime(now).UnixMilli()
					st.sm.Put(ctx, Key, wi.encode())
				}
				next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, guardKey{st}, wi)))
				return
			}
		}
		if err := st.sm.Destroy(ctx); err != nil {
			st.fail(w, r, fmt.Errorf("scsstore: end a killed session: %w", err))
			return
		}
		if st.ended != nil {
			st.ended.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fail answers r with the SessionManager's ErrorFunc.
func (st *Store) fail(w http.ResponseWriter, r *http.Request, err error) {
	if st.sm.ErrorFunc != nil {
		st.sm.ErrorFunc(w, r, err)
		return
	}
	log.Print(err)
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

// marked returns the sysmaint data of ctx's session: the guard's, or else
// parsed from the session data.
func (st *Store) marked(ctx context.Context) (*wire, bool) {
	if w, ok := ctx.Value(guardKey{st}).(*wire); ok {
		return w, true
	}
	w, err := parse(st.sm.Get(ctx, Key))
	return w, err == nil
}

// Session returns the session of r, and false when r has no marked
// session. It reads nothing from the store. Its signature is that of
// middleware.EndSessionsOptions.Session; it must run inside
// sm.LoadAndSave.
func (st *Store) Session(r *http.Request) (session.Session, bool) {
	w, ok := st.marked(r.Context())
	if !ok {
		return session.Session{}, false
	}
	return w.session(st.SessionID(r.Context())), true
}

// Viewer returns the viewer of r's marked session for the maintenance
// banner: its kind, the time zone and the language given to Mark; false
// when r has no marked session. Its signature is that of
// middleware.ViewerFunc; it must run inside sm.LoadAndSave.
func (st *Store) Viewer(r *http.Request) (notify.Viewer, bool) {
	w, ok := st.marked(r.Context())
	if !ok {
		return notify.Viewer{}, false
	}
	return notify.Viewer{Kind: w.Kind, Location: location(w.Zone), Language: w.Lang}, true
}

// Kill ends the session of ctx's request for good: it buries the
// session's serial in the kill record, then destroys the session as
// sm.Destroy does (data removed, cookie cleared at the end of the
// request). Unlike sm.Destroy alone, another request of the same session
// in flight cannot bring it back. Use it for logout. A session that is not
// marked is only destroyed. It must run inside sm.LoadAndSave.
func (st *Store) Kill(ctx context.Context) error {
	if w, ok := st.marked(ctx); ok {
		if err := st.bury(ctx, w.Serial, st.sm.Deadline(ctx)); err != nil {
			return err
		}
	}
	if err := st.sm.Destroy(ctx); err != nil {
		return fmt.Errorf("scsstore: kill session: %w", err)
	}
	return nil
}

// bury adds serial to the kill record's dead.
func (st *Store) bury(ctx context.Context, serial string, deadline time.Time) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, err := st.readRecord(ctx)
	if err != nil {
		return err
	}
	rec = rec.clone()
	rec.bury(serial, st.tombstoneUntil(deadline))
	return st.writeRecord(ctx, rec)
}

// End ends the session s of r with [Store.Kill] and answers r: with
// Options.Ended, or else a redirect (303 See Other) to r's path, which
// then arrives without a session. Its signature is that of
// middleware.EndSessionsOptions.End, for ending non-admin sessions during
// a window:
//
//	Sessions: &middleware.EndSessionsOptions{Session: st.Session, End: st.End}
func (st *Store) End(w http.ResponseWriter, r *http.Request, _ session.Session) {
	if err := st.Kill(r.Context()); err != nil {
		st.fail(w, r, err)
		return
	}
	if st.ended != nil {
		st.ended.ServeHTTP(w, r)
		return
	}
	http.Redirect(w, r, localPath(r), http.StatusSeeOther)
}

// localPath returns r's path when it is a path on this host, "/" else: a
// redirect to "//evil.example/" would leave the site.
func localPath(r *http.Request) string {
	p := r.URL.EscapedPath()
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return "/"
	}
	return p
}
