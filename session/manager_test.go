package session_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/session"
)

// day is the fixed date the mock clock is set to.
var day = time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)

func newManager(t *testing.T) (*session.Manager, *memstore.SessionStore, *clock.Mock) {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(day)
	st := memstore.NewSessionStore()
	return session.New(st, &session.Options{Clock: mock}), st, mock
}

// add records sessions through m, one minute apart, and returns their IDs.
func add(t *testing.T, m *session.Manager, mock *clock.Mock, ss ...session.Session) []string {
	t.Helper()
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		_, err := m.Add(context.Background(), s)
		require.NoError(t, err, "add %q", s.ID)
		out = append(out, s.ID)
		mock.Add(time.Minute)
	}
	return out
}

func agent(id, login string, admin bool) session.Session {
	return session.Session{ID: id, Kind: session.Agent, UserLogin: login, Admin: admin}
}

func customer(id, login string) session.Session {
	return session.Session{ID: id, Kind: session.Customer, UserLogin: login}
}

func listIDs(t *testing.T, m *session.Manager) []string {
	t.Helper()
	ss, err := m.List(context.Background())
	require.NoError(t, err)
	out := []string{}
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// staff is the usual mix: an admin, bob as an agent twice and as a
// customer once, and a customer carol.
var staff = []session.Session{
	agent("own", "root", true),
	agent("bob-1", "bob", false),
	agent("bob-2", "bob", false),
	customer("cust-bob", "bob"),
	customer("cust-carol", "carol"),
}

func TestNew(t *testing.T) {
	t.Run("nil store panics", func(t *testing.T) {
		assert.PanicsWithValue(t, "session: New called with a nil Store", func() { session.New(nil, nil) })
	})
	t.Run("nil options use the real clock", func(t *testing.T) {
		m := session.New(memstore.NewSessionStore(), nil)
		require.NotNil(t, m.Clock())
		_, isMock := m.Clock().(*clock.Mock)
		assert.False(t, isMock)
	})
	t.Run("the given clock is used", func(t *testing.T) {
		m, _, mock := newManager(t)
		assert.Same(t, mock, m.Clock())
	})
}

func TestManager_Add(t *testing.T) {
	m, st, mock := newManager(t)
	ctx := context.Background()

	t.Run("stamps CreatedAt and LastRequestAt from the clock", func(t *testing.T) {
		got, err := m.Add(ctx, agent("a", "bob", false))
		require.NoError(t, err)
		assert.Equal(t, day, got.CreatedAt)
		assert.Equal(t, day, got.LastRequestAt)
		stored, err := st.Get(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, got, stored)
	})
	t.Run("keeps given instants, normalized", func(t *testing.T) {
		created := time.Date(2026, 11, 23, 22, 0, 0, 1234567, time.FixedZone("UTC-2", -7200))
		in := customer("c", "carol")
		in.CreatedAt = created
		got, err := m.Add(ctx, in)
		require.NoError(t, err)
		want := time.Date(2026, 11, 24, 0, 0, 0, 1000000, time.UTC)
		assert.Equal(t, want, got.CreatedAt)
		assert.Equal(t, want, got.LastRequestAt, "LastRequestAt defaults to CreatedAt")
	})
	t.Run("invalid session is refused and not stored", func(t *testing.T) {
		_, err := m.Add(ctx, session.Session{ID: "bad", Kind: session.Customer, UserLogin: "x", Admin: true})
		require.ErrorIs(t, err, session.ErrInvalid)
		_, err = st.Get(ctx, "bad")
		require.ErrorIs(t, err, session.ErrNotFound)
	})
	t.Run("duplicate ID gives ErrExists", func(t *testing.T) {
		mock.Add(time.Hour)
		_, err := m.Add(ctx, agent("a", "mallory", false))
		require.ErrorIs(t, err, session.ErrExists)
		got, err := m.Get(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, "bob", got.UserLogin)
	})
}

func TestManager_AddBounds(t *testing.T) {
	ctx := context.Background()
	t.Run("descriptive fields are cut and stored", func(t *testing.T) {
		m, st, _ := newManager(t)
		in := agent("a", "bob", false)
		in.UserAgent = strings.Repeat("Mozilla/5.0 ", 80_000) // 960 KB
		in.UserFullName = strings.Repeat("Bärbel ", 100)
		in.RemoteAddr = strings.Repeat("2001:db8::1, ", 100)
		got, err := m.Add(ctx, in)
		require.NoError(t, err)
		assert.Len(t, got.UserAgent, session.MaxUserAgentLen)
		assert.True(t, strings.HasPrefix(in.UserAgent, got.UserAgent))
		assert.LessOrEqual(t, len(got.UserFullName), session.MaxUserFullNameLen)
		assert.True(t, strings.HasPrefix(in.UserFullName, got.UserFullName), "cut on a character boundary")
		assert.Len(t, got.RemoteAddr, session.MaxRemoteAddrLen)
		stored, err := st.Get(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, got, stored)
	})
	tests := []struct {
		name  string
		s     session.Session
		field string
	}{
		{"ID too long", agent(strings.Repeat("k", session.MaxIDLen+1), "bob", false), session.FieldID},
		{"login too long", agent("a", strings.Repeat("b", session.MaxUserLoginLen+1), false), session.FieldUserLogin},
		{"login not UTF-8", agent("a", "b\xffb", false), session.FieldUserLogin},
		{"created in year 10000", func() session.Session {
			s := agent("a", "bob", false)
			s.CreatedAt = session.MaxTime.Add(time.Millisecond)
			return s
		}(), session.FieldCreatedAt},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused and not stored", func(t *testing.T) {
			m, _, _ := newManager(t)
			_, err := m.Add(ctx, tt.s)
			require.ErrorIs(t, err, session.ErrInvalid)
			var ve *session.ValidationError
			require.True(t, errors.As(err, &ve))
			_, ok := ve.Reason(tt.field)
			assert.True(t, ok, "%s named in %v", tt.field, err)
			assert.Empty(t, listIDs(t, m))
		})
	}
}

func TestManager_TouchOutOfRange(t *testing.T) {
	m, _, mock := newManager(t)
	ctx := context.Background()
	add(t, m, mock, agent("a", "bob", false))
	before, err := m.Get(ctx, "a")
	require.NoError(t, err)
	for _, at := range []time.Time{session.MaxTime.Add(time.Millisecond), time.UnixMilli(math.MaxInt64)} {
		mock.Set(at)
		require.ErrorIs(t, m.Touch(ctx, "a"), session.ErrInvalid, "at %v", at)
		got, err := m.Get(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, before, got, "nothing changed")
	}
}

func TestManager_Touch(t *testing.T) {
	m, _, mock := newManager(t)
	ctx := context.Background()
	add(t, m, mock, agent("a", "bob", false))
	mock.Set(day.Add(2*time.Hour + 1500*time.Microsecond))

	require.NoError(t, m.Touch(ctx, "a"))
	got, err := m.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, day, got.CreatedAt)
	assert.Equal(t, day.Add(2*time.Hour+time.Millisecond), got.LastRequestAt)

	require.ErrorIs(t, m.Touch(ctx, "ghost"), session.ErrNotFound)
	_, err = m.Get(ctx, "ghost")
	require.ErrorIs(t, err, session.ErrNotFound)
}

func TestManager_Counts(t *testing.T) {
	tests := []struct {
		name string
		in   []session.Session
		want session.Counts
	}{
		{"no sessions", nil, session.Counts{}},
		{
			"bob twice as agent and once as customer",
			[]session.Session{agent("1", "bob", false), agent("2", "bob", false), customer("3", "bob")},
			session.Counts{All: 3, Agents: 2, Customers: 1, UniqueAgents: 1, UniqueCustomers: 1},
		},
		{
			"staff",
			staff,
			session.Counts{All: 5, Agents: 3, Customers: 2, UniqueAgents: 2, UniqueCustomers: 2},
		},
		{
			"customers only",
			[]session.Session{customer("1", "carol"), customer("2", "carol"), customer("3", "dave")},
			session.Counts{All: 3, Customers: 3, UniqueCustomers: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, mock := newManager(t)
			add(t, m, mock, tt.in...)
			got, err := m.Counts(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			o, err := m.Overview(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.want, o.Counts)
		})
	}
}

func TestManager_AgentsCustomers(t *testing.T) {
	ctx := context.Background()
	t.Run("empty lists are not nil", func(t *testing.T) {
		m, _, _ := newManager(t)
		a, err := m.Agents(ctx)
		require.NoError(t, err)
		assert.NotNil(t, a)
		assert.Empty(t, a)
		c, err := m.Customers(ctx)
		require.NoError(t, err)
		assert.NotNil(t, c)
		assert.Empty(t, c)
	})
	t.Run("split by kind in creation order", func(t *testing.T) {
		m, _, mock := newManager(t)
		// Creation order differs from ID order.
		add(t, m, mock, customer("z-cust", "carol"), agent("y-agent", "bob", false),
			customer("a-cust", "dave"), agent("b-agent", "root", true))
		a, err := m.Agents(ctx)
		require.NoError(t, err)
		c, err := m.Customers(ctx)
		require.NoError(t, err)
		var aIDs, cIDs []string
		for _, s := range a {
			assert.Equal(t, session.Agent, s.Kind)
			aIDs = append(aIDs, s.ID)
		}
		for _, s := range c {
			assert.Equal(t, session.Customer, s.Kind)
			cIDs = append(cIDs, s.ID)
		}
		assert.Equal(t, []string{"y-agent", "b-agent"}, aIDs)
		assert.Equal(t, []string{"z-cust", "a-cust"}, cIDs)
	})
}

func TestManager_Kill(t *testing.T) {
	m, _, mock := newManager(t)
	add(t, m, mock, staff...)
	require.NoError(t, m.Kill(context.Background(), "cust-bob"))
	assert.Equal(t, []string{"own", "bob-1", "bob-2", "cust-carol"}, listIDs(t, m))
	require.ErrorIs(t, m.Kill(context.Background(), "cust-bob"), session.ErrNotFound)
	require.ErrorIs(t, m.Kill(context.Background(), ""), session.ErrNotFound)
	assert.Len(t, listIDs(t, m), 4)
}

// countingStore counts DeleteAllExcept calls, to show that the Manager
// refuses an empty own ID before it reaches the store.
type countingStore struct {
	*memstore.SessionStore
	deleteAllCalls int
}

func (s *countingStore) DeleteAllExcept(ctx context.Context, keepID string) (int, error) {
	s.deleteAllCalls++
	return s.SessionStore.DeleteAllExcept(ctx, keepID)
}

func TestManager_KillAllExcept(t *testing.T) {
	all := []string{"own", "bob-1", "bob-2", "cust-bob", "cust-carol"}
	tests := []struct {
		name      string
		sessions  []session.Session
		ownID     string
		wantErr   error
		wantN     int
		wantLeft  []string
		wantCalls int
	}{
		{"own present: agents and customers killed", staff, "own", nil, 4, []string{"own"}, 1},
		{"own is a customer", staff, "cust-carol", nil, 4, []string{"cust-carol"}, 1},
		{"own ID empty: refused, nothing killed", staff, "", session.ErrNoOwnSession, 0, all, 0},
		{"own ID unknown: refused, nothing killed", staff, "expired", session.ErrNotFound, 0, all, 1},
		{"own absent from an empty store", nil, "own", session.ErrNotFound, 0, []string{}, 1},
		{"only own", staff[:1], "own", nil, 0, []string{"own"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock := clock.NewMock()
			mock.Set(day)
			st := &countingStore{SessionStore: memstore.NewSessionStore()}
			m := session.New(st, &session.Options{Clock: mock})
			add(t, m, mock, tt.sessions...)

			n, err := m.KillAllExcept(context.Background(), tt.ownID)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.wantN, n)
			assert.Equal(t, tt.wantLeft, listIDs(t, m))
			assert.Equal(t, tt.wantCalls, st.deleteAllCalls, "store calls")
		})
	}
}

func TestManager_EndNonAdmin(t *testing.T) {
	tests := []struct {
		name     string
		sessions []session.Session
		wantN    int
		wantLeft []string
	}{
		{"no sessions", nil, 0, []string{}},
		{"staff: every non-admin agent and customer", staff, 4, []string{"own"}},
		{"admins only", []session.Session{agent("r1", "root", true), agent("r2", "root", true)}, 0, []string{"r1", "r2"}},
		{"non-admins only", []session.Session{agent("b", "bob", false), customer("c", "carol")}, 2, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, mock := newManager(t)
			add(t, m, mock, tt.sessions...)
			n, err := m.EndNonAdmin(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.wantN, n)
			assert.Equal(t, tt.wantLeft, listIDs(t, m))
		})
	}
}

// failingStore fails List and Counts, to show that the Manager passes
// store errors through, wrapped.
type failingStore struct {
	*memstore.SessionStore
	err error
}

func (s failingStore) List(context.Context) ([]session.Session, error) { return nil, s.err }

func (s failingStore) Counts(context.Context) (session.Counts, error) { return session.Counts{}, s.err }

func TestManager_errors(t *testing.T) {
	boom := errors.New("disk on fire")
	m := session.New(failingStore{SessionStore: memstore.NewSessionStore(), err: boom}, nil)
	ctx := context.Background()
	_, err := m.Counts(ctx)
	require.ErrorIs(t, err, boom)
	_, err = m.Overview(ctx)
	require.ErrorIs(t, err, boom)
	_, err = m.Agents(ctx)
	require.ErrorIs(t, err, boom)
	_, err = m.Customers(ctx)
	require.ErrorIs(t, err, boom)

	t.Run("context errors pass through", func(t *testing.T) {
		m, _, mock := newManager(t)
		add(t, m, mock, staff...)
		done, cancel := context.WithCancel(context.Background())
		cancel()
		calls := map[string]func() error{
			"Add":           func() error { _, err := m.Add(done, agent("new", "eve", false)); return err },
			"Get":           func() error { _, err := m.Get(done, "own"); return err },
			"Touch":         func() error { return m.Touch(done, "own") },
			"List":          func() error { _, err := m.List(done); return err },
			"Counts":        func() error { _, err := m.Counts(done); return err },
			"Kill":          func() error { return m.Kill(done, "bob-1") },
			"KillAllExcept": func() error { _, err := m.KillAllExcept(done, "own"); return err },
			"EndNonAdmin":   func() error { _, err := m.EndNonAdmin(done); return err },
		}
		for name, call := range calls {
			assert.ErrorIs(t, call(), context.Canceled, name)
		}
		assert.Len(t, listIDs(t, m), len(staff), "nothing changed")
	})
}
