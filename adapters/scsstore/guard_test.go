package scsstore_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

func newMock() *clock.Mock {
	mock := clock.NewMock()
	mock.Set(day)
	return mock
}

func TestNew_Panics(t *testing.T) {
	tests := []struct {
		name string
		sm   func() *scs.SessionManager
	}{
		{"nil manager", func() *scs.SessionManager { return nil }},
		{"no store", func() *scs.SessionManager { sm := newManager(nil); return sm }},
		{"no codec", func() *scs.SessionManager { sm := newManager(openMem(t)); sm.Codec = nil; return sm }},
		{"tokens not hashed", func() *scs.SessionManager { sm := newManager(openMem(t)); sm.HashTokenInStore = false; return sm }},
		{"store cannot iterate", func() *scs.SessionManager { return newManager(struct{ scs.Store }{openMem(t)}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, panicOf(func() { scsstore.New(tt.sm(), nil) }), func() { scsstore.New(tt.sm(), nil) })
			assert.True(t, strings.HasPrefix(panicOf(func() { scsstore.New(tt.sm(), nil) }).(string), "scsstore: New"))
		})
	}
	assert.NotPanics(t, func() { scsstore.New(newManager(openMem(t)), nil) })
}

func panicOf(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// loaded returns a context holding a new, empty scs session of sm.
func loaded(t *testing.T, sm *scs.SessionManager) context.Context {
	t.Helper()
	ctx, err := sm.Load(context.Background(), "")
	require.NoError(t, err)
	return ctx
}

func TestStore_Mark(t *testing.T) {
	mock := newMock()
	in := newInstance(t, openMem(t), mock)
	res := in.do(http.MethodPost, "/login?user=bob&zone=Europe/Berlin&lang=de", "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	id := body(res)
	cookie := res.Cookies()[0].Value
	assert.Equal(t, scsstore.ID(cookie), id, "the ID is the hash of the cookie's token")
	assert.NotContains(t, id, cookie)

	s, err := in.sessions.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, session.Session{
		ID: id, Kind: session.Agent, UserLogin: "bob", UserFullName: "BOB",
		RemoteAddr: "192.0.2.7", UserAgent: "", CreatedAt: day, LastRequestAt: day,
	}, s)

	// Logging in again renews the token: the old cookie is worth nothing.
	mock.Add(time.Minute)
	res = in.do(http.MethodPost, "/login?user=bob", cookie)
	require.Equal(t, http.StatusOK, res.StatusCode)
	again := res.Cookies()[0].Value
	require.NotEqual(t, cookie, again)
	assert.False(t, stored(t, in.sm.Store, id), "the old token's data is gone")
	assert.Equal(t, "anonymous", in.whoami(t, cookie))
	assert.Equal(t, "bob", in.whoami(t, again))
	ss, err := in.sessions.List(context.Background())
	require.NoError(t, err)
	require.Len(t, ss, 1)
	assert.Equal(t, scsstore.ID(again), ss[0].ID)
	assert.Equal(t, day.Add(time.Minute), ss[0].CreatedAt)
}

func TestStore_Mark_Invalid(t *testing.T) {
	valid := scsstore.Info{Kind: session.Agent, UserLogin: "bob"}
	tests := []struct {
		name   string
		modify func(i *scsstore.Info)
		fields []string
	}{
		{"empty login", func(i *scsstore.Info) { i.UserLogin = "" }, []string{session.FieldUserLogin}},
		{"unknown kind", func(i *scsstore.Info) { i.Kind = 0 }, []string{session.FieldKind}},
		{"admin customer", func(i *scsstore.Info) { i.Kind, i.Admin = session.Customer, true }, []string{session.FieldAdmin}},
		{"login too long", func(i *scsstore.Info) { i.UserLogin = strings.Repeat("b", session.MaxUserLoginLen+1) }, []string{session.FieldUserLogin}},
		{"unknown zone", func(i *scsstore.Info) { i.Zone = "Mars/Base" }, []string{scsstore.FieldZone}},
		{"zone too long", func(i *scsstore.Info) { i.Zone = strings.Repeat("Z", scsstore.MaxZoneLen+1) }, []string{scsstore.FieldZone}},
		{"zone with a NUL", func(i *scsstore.Info) { i.Zone = "UTC\x00" }, []string{scsstore.FieldZone}},
		{"language too long", func(i *scsstore.Info) { i.Language = strings.Repeat("x", scsstore.MaxLanguageLen+1) }, []string{scsstore.FieldLanguage}},
		{"language not UTF-8", func(i *scsstore.Info) { i.Language = "d\xffe" }, []string{scsstore.FieldLanguage}},
		{"every field at once", func(i *scsstore.Info) { *i = scsstore.Info{Zone: "Mars/Base", Language: "\x00"} },
			[]string{session.FieldKind, session.FieldUserLogin, scsstore.FieldZone, scsstore.FieldLanguage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := newManager(openMem(t))
			st := scsstore.New(sm, &scsstore.Options{Clock: newMock()})
			ctx := loaded(t, sm)
			info := valid
			tt.modify(&info)
			err := st.Mark(ctx, info)
			require.ErrorIs(t, err, session.ErrInvalid)
			var ve *session.ValidationError
			require.ErrorAs(t, err, &ve)
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			assert.Equal(t, tt.fields, got)
			assert.Equal(t, scs.Unmodified, sm.Status(ctx), "the session changed")
			assert.Empty(t, sm.Token(ctx), "the token was renewed")
		})
	}
}

func TestStore_Mark_CutsDescriptiveFields(t *testing.T) {
	sm := newManager(openMem(t))
	st := scsstore.New(sm, &scsstore.Options{Clock: newMock()})
	ctx := loaded(t, sm)
	require.NoError(t, st.Mark(ctx, scsstore.Info{
		Kind: session.Customer, UserLogin: "carol", UserAgent: strings.Repeat("Mozilla/5.0 ", 10_000) + "\xff",
	}))
	s, ok := st.Session(httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
	require.True(t, ok)
	assert.Len(t, s.UserAgent, session.MaxUserAgentLen)
	assert.NoError(t, s.Validate())
	assert.Equal(t, scsstore.ID(sm.Token(ctx)), s.ID)
}

// TestStore_Mark_AfterKillElsewhere: an instance whose copy of the kill
// record is stale still marks a new login with the current generation, so
// a kill that happened before the login does not end it.
func TestStore_Mark_AfterKillElsewhere(t *testing.T) {
	store, mock := openMem(t), newMock()
	a, b := newInstance(t, store, mock), newInstance(t, store, mock)
	root := a.login(t, "user=root&admin=1")
	bob := b.login(t, "user=bob")
	require.Equal(t, "bob", b.whoami(t, bob))
	_, err := a.sessions.KillAllExcept(context.Background(), scsstore.ID(root))
	require.NoError(t, err)

	dave := b.login(t, "user=dave")
	mock.Add(scsstore.DefaultRefresh)
	assert.Equal(t, "dave", b.whoami(t, dave))
	assert.Equal(t, "anonymous", b.whoami(t, bob))
	assert.ElementsMatch(t, []string{"root", "dave"}, listed(t, a))
}

func TestGuard_Touch(t *testing.T) {
	tests := []struct {
		name       string
		touchEvery time.Duration
		after      []time.Duration // requests, each this long after the previous
		want       time.Duration   // LastRequestAt - login
	}{
		{"not before TouchEvery", 0, []time.Duration{59 * time.Second}, 0},
		{"at TouchEvery", 0, []time.Duration{time.Minute}, time.Minute},
		{"the request that found it stale", 0, []time.Duration{30 * time.Second, 40 * time.Second, 10 * time.Second}, 70 * time.Second},
		{"a shorter TouchEvery", time.Second, []time.Duration{2 * time.Second}, 2 * time.Second},
		{"never", -1, []time.Duration{time.Hour}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock := newMock()
			sm := newManager(openMem(t))
			st := scsstore.New(sm, &scsstore.Options{Clock: mock, TouchEvery: tt.touchEvery})
			h := st.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					require.NoError(t, st.Mark(r.Context(), scsstore.Info{Kind: session.Agent, UserLogin: "bob"}))
				}
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
			cookie := rec.Result().Cookies()[0]
			for _, d := range tt.after {
				mock.Add(d)
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.AddCookie(cookie)
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
			s, err := st.Get(context.Background(), scsstore.ID(cookie.Value))
			require.NoError(t, err)
			assert.Equal(t, day.Add(tt.want), s.LastRequestAt)
			assert.Equal(t, day, s.CreatedAt)
		})
	}
}

// TestGuard_RecordUnreadable: when the kill record cannot be read, a
// request of a marked session is answered by scs's ErrorFunc rather than
// let through unchecked, and its session is left alone; requests without
// one go on. Once the store answers again, so does the guard.
func TestGuard_RecordUnreadable(t *testing.T) {
	g, mock := newGate(openMem(t)), newMock()
	in := newInstance(t, g, mock)
	bob := in.login(t, "user=bob")
	require.Equal(t, "bob", in.whoami(t, bob))

	g.fail(scsstore.RecordKey)
	assert.Equal(t, "bob", in.whoami(t, bob), "within Refresh the copy serves")
	mock.Add(scsstore.DefaultRefresh)
	res := in.do(http.MethodGet, "/whoami", bob)
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.True(t, stored(t, g, scsstore.ID(bob)), "the session is kept")
	assert.Equal(t, "anonymous", in.whoami(t, ""), "a request without a session goes on")
	_, err := in.sessions.List(context.Background())
	require.ErrorIs(t, err, errStoreDown)

	g.fail("")
	assert.Equal(t, "bob", in.whoami(t, bob), "healed")
}

// TestGuard_NotUnderstood: a session whose sysmaint data this package
// cannot read (tampered, or written by another version) is ended, not
// trusted.
func TestGuard_NotUnderstood(t *testing.T) {
	for _, v := range []any{42, "not json", `{"v":2,"serial":"x","login":"bob","kind":1}`, `{"v":1,"login":"bob","kind":1}`} {
		store, mock := openMem(t), newMock()
		in := newInstance(t, store, mock)
		bob := in.login(t, "user=bob")
		// Rewrite bob's data as scs would, with v under Key.
		b, found, err := store.Find(scsstore.ID(bob))
		require.NoError(t, err)
		require.True(t, found)
		deadline, values, err := in.sm.Codec.Decode(b)
		require.NoError(t, err)
		values[scsstore.Key] = v
		b, err = in.sm.Codec.Encode(deadline, values)
		require.NoError(t, err)
		require.NoError(t, store.Commit(scsstore.ID(bob), b, deadline))

		assert.Empty(t, listed(t, in), "value %v", v)
		assert.Equal(t, "anonymous", in.whoami(t, bob), "value %v", v)
		assert.False(t, stored(t, store, scsstore.ID(bob)), "value %v", v)
	}
}

func TestGuard_Ended(t *testing.T) {
	sm := newManager(openMem(t))
	st := scsstore.New(sm, &scsstore.Options{Clock: newMock(), Ended: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login?ended=1", http.StatusSeeOther)
	})})
	var cookie *http.Cookie
	h := st.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			require.NoError(t, st.Mark(r.Context(), scsstore.Info{Kind: session.Agent, UserLogin: "bob"}))
		}
		io.WriteString(w, "page")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	cookie = rec.Result().Cookies()[0]
	require.NoError(t, st.Delete(context.Background(), scsstore.ID(cookie.Value)))
	// Bring the data back, as a request in flight would.
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(cookie)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	assert.Equal(t, http.StatusOK, rec.Code, "the data is gone: an anonymous request")
	assert.Equal(t, "page", rec.Body.String())
}

// TestStore_End ends non-admin sessions during a window through
// middleware.EndSessions, with raw request lines: the redirect stays on
// the site whatever the path.
func TestStore_End(t *testing.T) {
	mock := newMock()
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "Upgrade", Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	store := openMem(t)
	in := newInstance(t, store, mock)
	root := in.login(t, "user=root&admin=1")
	h := in.sm.LoadAndSave(in.st.Guard(middleware.EndSessions(m, &middleware.EndSessionsOptions{
		Session: in.st.Session, End: in.st.End,
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") }))))
	raw := func(line, cookie string) *httptest.ResponseRecorder {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(line + "\r\nHost: example.org\r\nCookie: session=" + cookie + "\r\n\r\n")))
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}

	tests := []struct {
		line, where string
	}{
		{"GET /tickets?id=7 HTTP/1.1", "/tickets"},
		{"POST /tickets/7/close HTTP/1.1", "/tickets/7/close"},
		{"GET //evil.example/x HTTP/1.1", "/"},
		{"GET http://evil.example//evil.example/ HTTP/1.1", "/"},
		{"GET /a/%2e%2e/b HTTP/1.1", "/a/%2e%2e/b"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			mock.Set(day)
			bob := in.login(t, "user=bob")
			assert.Equal(t, "page", raw(tt.line, bob).Body.String(), "before the window")
			mock.Set(day.Add(90 * time.Minute))
			rec := raw(tt.line, bob)
			assert.Equal(t, http.StatusSeeOther, rec.Code)
			assert.Equal(t, tt.where, rec.Header().Get("Location"))
			assert.Contains(t, rec.Header().Get("Set-Cookie"), "session=;", "the cookie is cleared")
			assert.False(t, stored(t, store, scsstore.ID(bob)))
			assert.Equal(t, "page", raw(tt.line, root).Body.String(), "an admin goes on")
			assert.Equal(t, []string{"root"}, listed(t, in))
		})
	}
}

func TestStore_Viewer(t *testing.T) {
	in := newInstance(t, openMem(t), newMock())
	bob := in.login(t, "user=bob&customer=1&zone=Europe/Berlin&lang=de-AT")
	var got []any
	h := in.st.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := in.st.Viewer(r)
		got = append(got, ok, v.Kind, v.Location.String(), v.Language)
	}))
	for _, c := range []string{bob, ""} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if c != "" {
			r.AddCookie(&http.Cookie{Name: "session", Value: c})
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	assert.Equal(t, []any{true, session.Customer, "Europe/Berlin", "de-AT", false, session.Kind(0), "UTC", ""}, got)
}

// TestStore_TombstonesExpire: the kill record forgets a killed session's
// serial once no session can hold it (its deadline, or Lifetime after the
// kill, plus an hour), so the record stays small.
func TestStore_TombstonesExpire(t *testing.T) {
	in := newInstance(t, openMem(t), newMock())
	expiry := clock.NewMock()
	expiry.Set(time.Now()) // expiries are on the real clock (memstore compares them with time.Now)
	scsstore.SetExpiryClock(in.st, expiry)
	for _, u := range []string{"bob", "carol"} {
		require.NoError(t, in.sessions.Kill(context.Background(), scsstore.ID(in.login(t, "user="+u))))
	}
	require.Equal(t, 2, scsstore.Tombstones(in.st))
	expiry.Add(in.sm.Lifetime + time.Hour - time.Second)
	require.NoError(t, in.sessions.Kill(context.Background(), scsstore.ID(in.login(t, "user=dave"))))
	assert.Equal(t, 3, scsstore.Tombstones(in.st), "not yet")
	expiry.Add(2 * time.Second)
	require.NoError(t, in.sessions.Kill(context.Background(), scsstore.ID(in.login(t, "user=erin"))))
	assert.Equal(t, 2, scsstore.Tombstones(in.st), "bob's and carol's are gone")
}

// TestGuard_RefreshNegative: with a negative Refresh the guard reads the
// kill record at every request, so another instance's kill is seen at
// once, with no copy to age; with the default, the copy serves until it
// is Refresh old.
func TestGuard_RefreshNegative(t *testing.T) {
	for _, refresh := range []time.Duration{-1, 0} {
		store, mock := openMem(t), newMock()
		a := newInstance(t, store, mock)
		other := newInstanceWith(t, store, &scsstore.Options{Clock: mock, Refresh: refresh})
		bob := other.login(t, "user=bob")
		require.Equal(t, "bob", other.whoami(t, bob))
		data, found, err := store.Find(scsstore.ID(bob))
		require.NoError(t, err)
		require.True(t, found)
		n, err := a.sessions.EndNonAdmin(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		// A request in flight writes bob's session back.
		deadline, _, err := other.sm.Codec.Decode(data)
		require.NoError(t, err)
		require.NoError(t, store.Commit(scsstore.ID(bob), data, deadline))
		want := "anonymous"
		if refresh == 0 {
			want = "bob"
		}
		assert.Equal(t, want, other.whoami(t, bob), "Refresh %v", refresh)
	}
}
