// Package sessiontest is the conformance suite for [session.Store]
// adapters. Every sentence of the Store contract is one subtest of
// [RunStoreTests], run against a fresh, empty store:
//
//	func TestConformance(t *testing.T) {
//		sessiontest.RunStoreTests(t, func(t *testing.T) session.Store {
//			return memstore.NewSessionStore()
//		})
//	}
package sessiontest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/session"
)

// base is the fixed instant the suite's sessions are created around, with
// nanoseconds and a zone other than UTC, so that normalization shows.
var base = time.Date(2026, 11, 24, 9, 30, 15, 123456789, time.FixedZone("UTC+1", 3600))

// wrapsToBase lies 2^64 milliseconds (some 584 million years) after base,
// to the millisecond: its UnixMilli wraps to exactly base's, so a store
// that keeps instants as int64 milliseconds without a check would keep it
// as base.
var wrapsToBase = time.Unix(base.Unix()+18446744073709551, 616e6+int64(base.Nanosecond()))

// RunStoreTests runs the conformance suite against the stores returned by
// newStore, which is called once per subtest and must return a new, empty
// store (cleaned up with t.Cleanup if needed).
func RunStoreTests(t *testing.T, newStore func(t *testing.T) session.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, st session.Store)
	}{
		{"Create then Get round-trips every field in UTC at millisecond precision", testRoundTrip},
		{"Create then Get round-trips zero instants as zero", testRoundTripZeroTimes},
		{"Create refuses an invalid session with ErrInvalid and writes nothing", testCreateInvalid},
		{"Create refuses an over-long ID or login with ErrInvalid and writes nothing", testCreateTooLong},
		{"Create then Get round-trips every text field at its limit", testRoundTripLimits},
		{"Create then Get round-trips instants at the ends of the years 1 to 9999", testRoundTripRangeEnds},
		{"Create refuses a duplicate ID with ErrExists and keeps the first", testCreateDuplicate},
		{"Create stores a copy the caller cannot alias", testCreateCopy},
		{"Get of an unknown ID gives ErrNotFound", testGetUnknown},
		{"an ID no session can have (not UTF-8 text, too long) is unknown to Get, Touch, Delete and DeleteAllExcept", testUnstorableIDs},
		{"List sorts by CreatedAt then ID, agents and customers alike", testListOrder},
		{"List of an empty store is an empty non-nil slice", testListEmpty},
		{"List returns values the caller cannot alias", testListCopy},
		{"Touch sets LastRequestAt in UTC at millisecond precision and nothing else", testTouch},
		{"Touch of an unknown ID gives ErrNotFound and creates nothing", testTouchUnknown},
		{"Touch refuses an instant outside the years 1 to 9999 with ErrInvalid and changes nothing", testTouchOutOfRange},
		{"Delete removes only the given session", testDelete},
		{"Delete of an unknown ID gives ErrNotFound", testDeleteUnknown},
		{"DeleteAllExcept keeps the own session and removes agents and customers", testDeleteAllExcept},
		{"DeleteAllExcept with only the own session removes nothing", testDeleteAllExceptOnlyOwn},
		{"DeleteAllExcept with an empty keepID gives ErrNoOwnSession and removes nothing", testDeleteAllExceptEmpty},
		{"DeleteAllExcept with an unknown keepID gives ErrNotFound and removes nothing", testDeleteAllExceptUnknown},
		{"DeleteAllExcept on an empty store gives ErrNotFound", testDeleteAllExceptEmptyStore},
		{"DeleteNonAdmin removes non-admin agents and customers and keeps admins", testDeleteNonAdmin},
		{"DeleteNonAdmin with no non-admin session removes nothing", testDeleteNonAdminNone},
		{"Counts of a Counter agrees with Count of List", testCounts},
		{"a done context gives the context error and changes nothing", testCanceled},
		{"an expired deadline gives DeadlineExceeded", testDeadline},
		{"concurrent creates of distinct IDs are all stored", testConcurrentCreate},
		{"concurrent creates of one ID: exactly one succeeds", testConcurrentDuplicate},
		{"concurrent deletes of one ID: exactly one succeeds", testConcurrentDelete},
		{"concurrent DeleteAllExcept with different own IDs: exactly one wins", testConcurrentDeleteAllExcept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(t)
			require.NotNil(t, st, "newStore returned nil")
			tt.fn(t, st)
		})
	}
}

// mk returns a valid session with the given ID, kind and login, created i
// seconds after base.
func mk(id string, k session.Kind, login string, i int) session.Session {
	at := base.Add(time.Duration(i) * time.Second)
	return session.Session{
		ID:            id,
		Kind:          k,
		UserLogin:     login,
		UserFullName:  "Full " + login,
		RemoteAddr:    "192.0.2.1",
		UserAgent:     "sessiontest/1",
		CreatedAt:     at,
		LastRequestAt: at.Add(time.Minute),
	}
}

func create(t *testing.T, st session.Store, ss ...session.Session) {
	t.Helper()
	for _, s := range ss {
		require.NoError(t, st.Create(context.Background(), s), "create %q", s.ID)
	}
}

func ids(t *testing.T, st session.Store) []string {
	t.Helper()
	list, err := st.List(context.Background())
	require.NoError(t, err)
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

// mixed stores two agents (one admin) and two customers and returns them
// in List order.
func mixed(t *testing.T, st session.Store) []session.Session {
	t.Helper()
	admin := mk("a-admin", session.Agent, "root", 0)
	admin.Admin = true
	ss := []session.Session{
		admin,
		mk("a-bob", session.Agent, "bob", 1),
		mk("c-bob", session.Customer, "bob", 2),
		mk("c-carol", session.Customer, "carol", 3),
	}
	create(t, st, ss...)
	return ss
}

func testRoundTrip(t *testing.T, st session.Store) {
	ctx := context.Background()
	tests := []session.Session{
		{
			ID: "agent-7f3a", Kind: session.Agent, UserLogin: "root@localhost",
			UserFullName: "Admin Ünïcödé", Admin: true,
			RemoteAddr: "2001:db8::1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64)",
			CreatedAt:     base,
			LastRequestAt: base.Add(90*time.Minute + 999999*time.Nanosecond),
		},
		{
			ID: "customer-01", Kind: session.Customer, UserLogin: "carol",
			UserFullName: "Carol", RemoteAddr: "198.51.100.7", UserAgent: "curl/8",
			CreatedAt:     base.Add(-48 * time.Hour).In(time.FixedZone("UTC-7", -7*3600)),
			LastRequestAt: base.Add(-47 * time.Hour),
		},
	}
	for _, in := range tests {
		require.NoError(t, st.Create(ctx, in))
		got, err := st.Get(ctx, in.ID)
		require.NoError(t, err)
		want := in
		want.CreatedAt = time.UnixMilli(in.CreatedAt.UnixMilli()).UTC()
		want.LastRequestAt = time.UnixMilli(in.LastRequestAt.UnixMilli()).UTC()
		assert.Equal(t, want, got, "session %q", in.ID)
		assert.Equal(t, time.UTC, got.CreatedAt.Location())
		assert.Equal(t, time.UTC, got.LastRequestAt.Location())
		assert.Zero(t, got.CreatedAt.Nanosecond()%int(time.Millisecond), "sub-millisecond part kept")
	}
}

func testRoundTripZeroTimes(t *testing.T, st session.Store) {
	in := mk("z", session.Agent, "zed", 0)
	in.CreatedAt, in.LastRequestAt = time.Time{}, time.Time{}
	create(t, st, in)
	got, err := st.Get(context.Background(), "z")
	require.NoError(t, err)
	assert.True(t, got.CreatedAt.IsZero(), "CreatedAt = %v", got.CreatedAt)
	assert.True(t, got.LastRequestAt.IsZero(), "LastRequestAt = %v", got.LastRequestAt)
}

func testCreateInvalid(t *testing.T, st session.Store) {
	valid := mk("x", session.Agent, "bob", 0)
	tests := []struct {
		name   string
		modify func(s *session.Session)
	}{
		{"empty ID", func(s *session.Session) { s.ID = "" }},
		{"zero kind", func(s *session.Session) { s.Kind = 0 }},
		{"unknown kind", func(s *session.Session) { s.Kind = 3 }},
		{"empty login", func(s *session.Session) { s.UserLogin = "" }},
		{"admin customer", func(s *session.Session) { s.Kind, s.Admin = session.Customer, true }},
		{"full name over its limit", func(s *session.Session) { s.UserFullName = strings.Repeat("n", session.MaxUserFullNameLen+1) }},
		{"remote address over its limit", func(s *session.Session) { s.RemoteAddr = strings.Repeat("1", session.MaxRemoteAddrLen+1) }},
		{"user agent of 900 KB", func(s *session.Session) { s.UserAgent = strings.Repeat("Mozilla/5.0 ", 75<<10) }},
		{"user agent not UTF-8", func(s *session.Session) { s.UserAgent = "curl/\xff" }},
		{"user agent with a NUL", func(s *session.Session) { s.UserAgent = "curl/\x00" }},
		{"full name with a NUL", func(s *session.Session) { s.UserFullName = "Bob\x00" }},
		{"CreatedAt in year 10000", func(s *session.Session) { s.CreatedAt = session.MaxTime.Add(time.Millisecond) }},
		{"LastRequestAt in year 0", func(s *session.Session) { s.LastRequestAt = session.MinTime.Add(-time.Millisecond) }},
		{"LastRequestAt at UnixMilli MaxInt64", func(s *session.Session) { s.LastRequestAt = time.UnixMilli(math.MaxInt64) }},
		{"CreatedAt whose milliseconds wrap to today", func(s *session.Session) { s.CreatedAt = wrapsToBase }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid
			tt.modify(&s)
			err := st.Create(context.Background(), s)
			require.ErrorIs(t, err, session.ErrInvalid)
			assert.Empty(t, ids(t, st))
		})
	}
}

func testCreateTooLong(t *testing.T, st session.Store) {
	tests := []struct {
		name   string
		modify func(s *session.Session)
	}{
		{"ID one byte over its limit", func(s *session.Session) { s.ID = strings.Repeat("k", session.MaxIDLen+1) }},
		{"ID of 1 MB", func(s *session.Session) { s.ID = strings.Repeat("k", 1<<20) }},
		{"ID not UTF-8", func(s *session.Session) { s.ID = "k\xffk" }},
		{"ID with a NUL", func(s *session.Session) { s.ID = "k\x00k" }},
		{"login with a NUL", func(s *session.Session) { s.UserLogin = "b\x00b" }},
		{"login one byte over its limit", func(s *session.Session) { s.UserLogin = strings.Repeat("b", session.MaxUserLoginLen+1) }},
		{"login of 129 two-byte characters", func(s *session.Session) { s.UserLogin = strings.Repeat("ü", 129) }},
		{"login not UTF-8", func(s *session.Session) { s.UserLogin = "b\xc3" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mk("x", session.Agent, "bob", 0)
			tt.modify(&s)
			err := st.Create(context.Background(), s)
			require.ErrorIs(t, err, session.ErrInvalid)
			assert.Empty(t, ids(t, st))
			// Nothing under a cut ID either.
			_, err = st.Get(context.Background(), s.ID[:min(len(s.ID), session.MaxIDLen)])
			require.ErrorIs(t, err, session.ErrNotFound)
		})
	}
}

func testRoundTripLimits(t *testing.T, st session.Store) {
	// Multi-byte characters up to each limit: the limits count bytes, and
	// a store keeps every byte.
	fill := func(s string, n int) string { return strings.Repeat(s, n/len(s)) + strings.Repeat("x", n%len(s)) }
	in := mk(fill("🔑", session.MaxIDLen), session.Agent, fill("ü", session.MaxUserLoginLen), 0)
	in.UserFullName = fill("日本", session.MaxUserFullNameLen)
	in.RemoteAddr = fill("2001:db8::1,", session.MaxRemoteAddrLen)
	in.UserAgent = fill("Mozilla/5.0 (X11; Linux x86_64) ", session.MaxUserAgentLen)
	for _, f := range []string{in.ID, in.UserLogin, in.UserFullName, in.RemoteAddr, in.UserAgent} {
		require.True(t, utf8.ValidString(f), "fixture is UTF-8")
	}
	require.NoError(t, in.Validate(), "fixture is valid")
	create(t, st, in)
	got, err := st.Get(context.Background(), in.ID)
	require.NoError(t, err)
	assert.Equal(t, in.Normalize(), got)
}

func testRoundTripRangeEnds(t *testing.T, st session.Store) {
	in := mk("ends", session.Customer, "carol", 0)
	in.CreatedAt = session.MinTime.Add(time.Millisecond)
	in.LastRequestAt = session.MaxTime
	require.NoError(t, in.Validate(), "fixture is valid")
	create(t, st, in)
	got, err := st.Get(context.Background(), "ends")
	require.NoError(t, err)
	assert.Equal(t, in.Normalize(), got)
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC), got.LastRequestAt)
}

func testCreateDuplicate(t *testing.T, st session.Store) {
	first := mk("dup", session.Agent, "bob", 0)
	create(t, st, first)
	second := mk("dup", session.Customer, "carol", 5)
	err := st.Create(context.Background(), second)
	require.ErrorIs(t, err, session.ErrExists)
	got, err := st.Get(context.Background(), "dup")
	require.NoError(t, err)
	assert.Equal(t, first.Normalize(), got)
	assert.Equal(t, []string{"dup"}, ids(t, st))
}

func testCreateCopy(t *testing.T, st session.Store) {
	in := mk("copy", session.Agent, "bob", 0)
	create(t, st, in)
	want := in.Normalize()
	in.UserLogin, in.UserFullName, in.CreatedAt = "mallory", "Mallory", base.Add(time.Hour)
	got, err := st.Get(context.Background(), "copy")
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func testGetUnknown(t *testing.T, st session.Store) {
	create(t, st, mk("known", session.Agent, "bob", 0))
	_, err := st.Get(context.Background(), "unknown")
	require.ErrorIs(t, err, session.ErrNotFound)
	_, err = st.Get(context.Background(), "")
	require.ErrorIs(t, err, session.ErrNotFound)
}

func testListOrder(t *testing.T, st session.Store) {
	// Created out of order; b and a share an instant, so ID breaks the tie.
	create(t, st,
		mk("late", session.Customer, "carol", 3),
		mk("b", session.Agent, "bob", 1),
		mk("early", session.Customer, "bob", 0),
		mk("a", session.Agent, "alice", 1),
		// Same millisecond as "early" once normalized, but a later nanosecond.
		func() session.Session {
			s := mk("0-same-ms", session.Agent, "dave", 0)
			s.CreatedAt = s.CreatedAt.Add(500 * time.Microsecond)
			return s
		}(),
	)
	assert.Equal(t, []string{"0-same-ms", "early", "a", "b", "late"}, ids(t, st))
}

func testListEmpty(t *testing.T, st session.Store) {
	list, err := st.List(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, list)
	assert.Empty(t, list)
}

func testListCopy(t *testing.T, st session.Store) {
	want := mixed(t, st)
	list, err := st.List(context.Background())
	require.NoError(t, err)
	require.Len(t, list, len(want))
	for i := range list {
		list[i].UserLogin = "mallory"
		list[i].Admin = !list[i].Admin
	}
	list, err = st.List(context.Background())
	require.NoError(t, err)
	for i, s := range list {
		assert.Equal(t, want[i].Normalize(), s)
	}
}

func testTouch(t *testing.T, st session.Store) {
	in := mk("t", session.Customer, "carol", 0)
	create(t, st, in, mk("other", session.Agent, "bob", 1))
	at := base.Add(3*time.Hour + 456789*time.Nanosecond).In(time.FixedZone("UTC+9", 9*3600))
	require.NoError(t, st.Touch(context.Background(), "t", at))
	got, err := st.Get(context.Background(), "t")
	require.NoError(t, err)
	want := in.Normalize()
	want.LastRequestAt = time.UnixMilli(at.UnixMilli()).UTC()
	assert.Equal(t, want, got)
	other, err := st.Get(context.Background(), "other")
	require.NoError(t, err)
	assert.Equal(t, mk("other", session.Agent, "bob", 1).Normalize(), other)
}

func testTouchUnknown(t *testing.T, st session.Store) {
	err := st.Touch(context.Background(), "ghost", base)
	require.ErrorIs(t, err, session.ErrNotFound)
	assert.Empty(t, ids(t, st))
}

func testTouchOutOfRange(t *testing.T, st session.Store) {
	want := mk("t", session.Agent, "bob", 0)
	create(t, st, want)
	for _, at := range []time.Time{
		session.MaxTime.Add(time.Millisecond),  // year 10000
		session.MinTime.Add(-time.Millisecond), // year 0
		time.UnixMilli(math.MaxInt64),
		wrapsToBase,
	} {
		err := st.Touch(context.Background(), "t", at)
		require.ErrorIs(t, err, session.ErrInvalid, "Touch at %v", at)
		got, err := st.Get(context.Background(), "t")
		require.NoError(t, err)
		assert.Equal(t, want.Normalize(), got, "Touch at %v changed the session", at)
	}
}

func testDelete(t *testing.T, st session.Store) {
	mixed(t, st)
	require.NoError(t, st.Delete(context.Background(), "c-bob"))
	_, err := st.Get(context.Background(), "c-bob")
	require.ErrorIs(t, err, session.ErrNotFound)
	assert.Equal(t, []string{"a-admin", "a-bob", "c-carol"}, ids(t, st))
	err = st.Delete(context.Background(), "c-bob")
	require.ErrorIs(t, err, session.ErrNotFound, "second delete")
}

func testDeleteUnknown(t *testing.T, st session.Store) {
	mixed(t, st)
	err := st.Delete(context.Background(), "ghost")
	require.ErrorIs(t, err, session.ErrNotFound)
	assert.Len(t, ids(t, st), 4)
}

func testDeleteAllExcept(t *testing.T, st session.Store) {
	tests := []struct {
		name string
		keep string
	}{
		{"own is an admin agent", "a-admin"},
		{"own is a plain agent", "a-bob"},
		{"own is a customer", "c-bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, id := range ids(t, st) {
				require.NoError(t, st.Delete(context.Background(), id))
			}
			all := mixed(t, st)
			var want session.Session
			for _, s := range all {
				if s.ID == tt.keep {
					want = s.Normalize()
				}
			}
			n, err := st.DeleteAllExcept(context.Background(), tt.keep)
			require.NoError(t, err)
			assert.Equal(t, 3, n)
			list, err := st.List(context.Background())
			require.NoError(t, err)
			assert.Equal(t, []session.Session{want}, list)
		})
	}
}

func testDeleteAllExceptOnlyOwn(t *testing.T, st session.Store) {
	create(t, st, mk("own", session.Agent, "root", 0))
	n, err := st.DeleteAllExcept(context.Background(), "own")
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, []string{"own"}, ids(t, st))
}

func testDeleteAllExceptEmpty(t *testing.T, st session.Store) {
	mixed(t, st)
	n, err := st.DeleteAllExcept(context.Background(), "")
	require.ErrorIs(t, err, session.ErrNoOwnSession)
	assert.Zero(t, n)
	assert.Len(t, ids(t, st), 4)
}

func testDeleteAllExceptUnknown(t *testing.T, st session.Store) {
	mixed(t, st)
	n, err := st.DeleteAllExcept(context.Background(), "gone")
	require.ErrorIs(t, err, session.ErrNotFound)
	assert.Zero(t, n)
	assert.Equal(t, []string{"a-admin", "a-bob", "c-bob", "c-carol"}, ids(t, st))
}

func testDeleteAllExceptEmptyStore(t *testing.T, st session.Store) {
	n, err := st.DeleteAllExcept(context.Background(), "own")
	require.ErrorIs(t, err, session.ErrNotFound)
	assert.Zero(t, n)
}

func testDeleteNonAdmin(t *testing.T, st session.Store) {
	all := mixed(t, st)
	admin2 := mk("a-root2", session.Agent, "root", 9)
	admin2.Admin = true
	create(t, st, admin2)
	n, err := st.DeleteNonAdmin(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	list, err := st.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []session.Session{all[0].Normalize(), admin2.Normalize()}, list)
	n, err = st.DeleteNonAdmin(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n, "second call")
}

func testDeleteNonAdminNone(t *testing.T, st session.Store) {
	n, err := st.DeleteNonAdmin(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n, "empty store")
	admin := mk("a", session.Agent, "root", 0)
	admin.Admin = true
	create(t, st, admin)
	n, err = st.DeleteNonAdmin(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, []string{"a"}, ids(t, st))
}

// calls are every Store method, each a write or read that must fail on a
// done context.
var calls = []struct {
	name string
	call func(ctx context.Context, st session.Store) error
}{
	{"Create", func(ctx context.Context, st session.Store) error {
		return st.Create(ctx, mk("new", session.Agent, "eve", 7))
	}},
	{"Get", func(ctx context.Context, st session.Store) error {
		_, err := st.Get(ctx, "a-bob")
		return err
	}},
	{"List", func(ctx context.Context, st session.Store) error {
		_, err := st.List(ctx)
		return err
	}},
	{"Touch", func(ctx context.Context, st session.Store) error {
		return st.Touch(ctx, "a-bob", base.Add(time.Hour))
	}},
	{"Delete", func(ctx context.Context, st session.Store) error {
		return st.Delete(ctx, "a-bob")
	}},
	{"DeleteAllExcept", func(ctx context.Context, st session.Store) error {
		_, err := st.DeleteAllExcept(ctx, "a-admin")
		return err
	}},
	{"DeleteNonAdmin", func(ctx context.Context, st session.Store) error {
		_, err := st.DeleteNonAdmin(ctx)
		return err
	}},
}

func testCanceled(t *testing.T, st session.Store) {
	all := mixed(t, st)
	want := make([]session.Session, len(all))
	for i, s := range all {
		want[i] = s.Normalize()
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := tt.call(ctx, st)
			require.ErrorIs(t, err, context.Canceled)
			list, err := st.List(context.Background())
			require.NoError(t, err)
			assert.Equal(t, want, list, "store changed")
		})
	}
}

func testDeadline(t *testing.T, st session.Store) {
	mixed(t, st)
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
			defer cancel()
			err := tt.call(ctx, st)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Len(t, ids(t, st), 4, "store changed")
		})
	}
}

const workers = 16

func testConcurrentCreate(t *testing.T, st session.Store) {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			k := session.Agent
			if i%2 == 1 {
				k = session.Customer
			}
			errs[i] = st.Create(context.Background(), mk(fmt.Sprintf("s%02d", i), k, "bob", i))
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "worker %d", i)
	}
	got := ids(t, st)
	require.Len(t, got, workers)
	for i := range workers {
		assert.Equal(t, fmt.Sprintf("s%02d", i), got[i])
	}
}

func testConcurrentDuplicate(t *testing.T, st session.Store) {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			errs[i] = st.Create(context.Background(), mk("same", session.Agent, fmt.Sprintf("user%d", i), i))
		})
	}
	wg.Wait()
	assertOneWins(t, errs, session.ErrExists, "successful creates")
	assert.Equal(t, []string{"same"}, ids(t, st))
}

func testConcurrentDelete(t *testing.T, st session.Store) {
	mixed(t, st)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() { errs[i] = st.Delete(context.Background(), "a-bob") })
	}
	wg.Wait()
	assertOneWins(t, errs, session.ErrNotFound, "successful deletes")
	assert.Equal(t, []string{"a-admin", "c-bob", "c-carol"}, ids(t, st))
}

// Two admins each end "everyone but me" at once: one of them wins, the
// other's own session is gone by the time its call runs, so it removes
// nothing. Exactly the winner's session is left.
func testConcurrentDeleteAllExcept(t *testing.T, st session.Store) {
	const n = 8
	for i := range n {
		create(t, st, mk(fmt.Sprintf("own%d", i), session.Agent, fmt.Sprintf("admin%d", i), i))
	}
	create(t, st, mk("c", session.Customer, "carol", n))
	var wg sync.WaitGroup
	counts := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { counts[i], errs[i] = st.DeleteAllExcept(context.Background(), fmt.Sprintf("own%d", i)) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(t, -1, winner, "two winners: %d and %d", winner, i)
			winner = i
			continue
		}
		require.ErrorIs(t, err, session.ErrNotFound, "caller %d", i)
		assert.Zero(t, counts[i], "caller %d", i)
	}
	require.NotEqual(t, -1, winner, "no winner")
	assert.Equal(t, n, counts[winner], "winner's count")
	assert.Equal(t, []string{fmt.Sprintf("own%d", winner)}, ids(t, st))
}

// assertOneWins checks that exactly one of errs is nil and that every other
// wraps lost: one of several concurrent writers of the same thing wins.
func assertOneWins(t *testing.T, errs []error, lost error, what string) {
	t.Helper()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		require.ErrorIs(t, err, lost)
	}
	assert.Equal(t, 1, ok, what)
}

func testUnstorableIDs(t *testing.T, st session.Store) {
	ctx := context.Background()
	require.NoError(t, st.Create(ctx, mk("kept", session.Agent, "bob", 0)))
	for _, id := range []string{"k\xffk", "k\x00k", strings.Repeat("k", session.MaxIDLen+1)} {
		_, err := st.Get(ctx, id)
		assert.ErrorIs(t, err, session.ErrNotFound, "Get %q", id)
		assert.ErrorIs(t, st.Touch(ctx, id, base), session.ErrNotFound, "Touch %q", id)
		assert.ErrorIs(t, st.Delete(ctx, id), session.ErrNotFound, "Delete %q", id)
		_, err = st.DeleteAllExcept(ctx, id)
		assert.ErrorIs(t, err, session.ErrNotFound, "DeleteAllExcept %q", id)
	}
	assert.Equal(t, []string{"kept"}, ids(t, st), "a session was removed")
}

func testCounts(t *testing.T, st session.Store) {
	c, ok := st.(session.Counter)
	if !ok {
		t.Skip("the store is no session.Counter")
	}
	ctx := context.Background()
	got, err := c.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, session.Counts{}, got, "an empty store")
	for i, s := range []session.Session{
		mk("a1", session.Agent, "bob", 1), mk("a2", session.Agent, "bob", 2), mk("a3", session.Agent, "eve", 3),
		mk("c1", session.Customer, "bob", 4), mk("c2", session.Customer, "carol", 5),
		mk("c3", session.Customer, "dave", 6), mk("c4", session.Customer, "dave", 7),
	} {
		s.Admin = i == 0
		require.NoError(t, st.Create(ctx, s))
	}
	ss, err := st.List(ctx)
	require.NoError(t, err)
	got, err = c.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, session.Count(ss), got)
	assert.Equal(t, session.Counts{All: 7, Agents: 3, Customers: 4, UniqueAgents: 2, UniqueCustomers: 3}, got)
}
