package scsstore_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/session"
)

// day is the fixed date the tests' clocks start at.
var day = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// instance is one process of a host on scs: its SessionManager, the
// adapter, the session Manager over it, and its handler:
//
//	POST /login?user=U[&admin=1][&customer=1]  marks a session, answers its ID
//	GET  /whoami                               answers the login, or "anonymous"
//	GET  /slow                                 signals entered, waits for release, then changes the session
type instance struct {
	sm       *scs.SessionManager
	st       *scsstore.Store
	sessions *session.Manager
	handler  http.Handler
	entered  chan struct{}
	release  chan struct{}
}

func newInstance(t testing.TB, store scs.Store, mock *clock.Mock) *instance {
	t.Helper()
	return newInstanceWith(t, store, &scsstore.Options{Clock: mock})
}

func newInstanceWith(t testing.TB, store scs.Store, opts *scsstore.Options) *instance {
	t.Helper()
	sm := newManager(store)
	st := scsstore.New(sm, opts)
	mock := opts.Clock
	in := &instance{
		sm: sm, st: st,
		sessions: session.New(st, &session.Options{Clock: mock}),
		entered:  make(chan struct{}, 1),
		release:  make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		info := scsstore.Info{Kind: session.Agent, UserLogin: q.Get("user"), UserFullName: strings.ToUpper(q.Get("user")),
			Admin: q.Get("admin") == "1", Zone: q.Get("zone"), Language: q.Get("lang"),
			RemoteAddr: "192.0.2.7", UserAgent: r.UserAgent()}
		if q.Get("customer") == "1" {
			info.Kind = session.Customer
		}
		if err := st.Mark(r.Context(), info); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		io.WriteString(w, st.SessionID(r.Context()))
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		if s, ok := st.Session(r); ok {
			io.WriteString(w, s.UserLogin)
			return
		}
		io.WriteString(w, "anonymous")
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		in.entered <- struct{}{}
		<-in.release
		sm.Put(r.Context(), "cart", "one book") // the write that brings a killed session back
		io.WriteString(w, "done")
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := st.Kill(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	in.handler = st.LoadAndSave(mux)
	return in
}

// do serves one request with the given session cookie ("" for none) and
// returns the response.
func (in *instance) do(method, target, cookie string) *http.Response {
	r := httptest.NewRequest(method, target, nil)
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: "session", Value: cookie})
	}
	rec := httptest.NewRecorder()
	in.handler.ServeHTTP(rec, r)
	return rec.Result()
}

// login logs user in with the query q and returns the session cookie.
func (in *instance) login(t testing.TB, q string) string {
	t.Helper()
	res := in.do(http.MethodPost, "/login?"+q, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body(res))
	for _, c := range res.Cookies() {
		if c.Name == "session" {
			return c.Value
		}
	}
	t.Fatal("login set no session cookie")
	return ""
}

// whoami returns who the session of cookie is, seen by in.
func (in *instance) whoami(t testing.TB, cookie string) string {
	t.Helper()
	res := in.do(http.MethodGet, "/whoami", cookie)
	require.Equal(t, http.StatusOK, res.StatusCode)
	return body(res)
}

func body(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// stored reports whether the scs store holds data under id.
func stored(t testing.TB, store scs.Store, id string) bool {
	t.Helper()
	_, found, err := store.Find(id)
	require.NoError(t, err)
	return found
}

// listed returns the logins of the sessions in's Manager lists.
func listed(t testing.TB, in *instance) []string {
	t.Helper()
	ss, err := in.sessions.List(t.Context())
	require.NoError(t, err)
	out := []string{}
	for _, s := range ss {
		out = append(out, s.UserLogin)
	}
	return out
}

// gate is an scs store that can hold up its next Delete, and fail its
// reads of one key, to set up the races and faults of the tests.
type gate struct {
	scs.Store
	mu       sync.Mutex
	hold     chan struct{} // when set, the next Delete signals deleting and waits for it
	deleting chan struct{}
	failKey  string
}

var errStoreDown = errors.New("store down")

func newGate(store scs.Store) *gate { return &gate{Store: store, deleting: make(chan struct{}, 1)} }

// holdNextDelete makes the next Delete wait until the returned function
// is called.
func (g *gate) holdNextDelete() (resume func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	hold := make(chan struct{})
	g.hold = hold
	return sync.OnceFunc(func() { close(hold) })
}

func (g *gate) Delete(token string) error {
	g.mu.Lock()
	hold := g.hold
	g.hold = nil
	g.mu.Unlock()
	if hold != nil {
		g.deleting <- struct{}{}
		<-hold
	}
	return g.Store.Delete(token)
}

func (g *gate) fail(key string) {
	g.mu.Lock()
	g.failKey = key
	g.mu.Unlock()
}

func (g *gate) Find(token string) ([]byte, bool, error) {
	g.mu.Lock()
	fail := g.failKey != "" && g.failKey == token
	g.mu.Unlock()
	if fail {
		return nil, false, errStoreDown
	}
	return g.Store.Find(token)
}

func (g *gate) All() (map[string][]byte, error) { return g.Store.(scs.IterableStore).All() }
