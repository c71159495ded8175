package session_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/session"
)

func TestKind_String(t *testing.T) {
	tests := []struct {
		kind  session.Kind
		want  string
		known bool
	}{
		{session.Agent, "agent", true},
		{session.Customer, "customer", true},
		{0, "Kind(0)", false},
		{7, "Kind(7)", false},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.kind.String())
			assert.Equal(t, tt.known, tt.kind.Known())
		})
	}
}

func TestSession_Validate(t *testing.T) {
	valid := session.Session{ID: "s1", Kind: session.Agent, UserLogin: "bob"}
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		modify func(s *session.Session)
		want   map[string]session.Reason // nil: valid
	}{
		{"valid agent", func(*session.Session) {}, nil},
		{"valid admin agent", func(s *session.Session) { s.Admin = true }, nil},
		{"valid customer", func(s *session.Session) { s.Kind = session.Customer }, nil},
		{"times are optional", func(s *session.Session) { s.CreatedAt, s.LastRequestAt = time.Time{}, time.Time{} }, nil},
		{"empty ID", func(s *session.Session) { s.ID = "" },
			map[string]session.Reason{session.FieldID: session.ReasonRequired}},
		{"zero kind", func(s *session.Session) { s.Kind = 0 },
			map[string]session.Reason{session.FieldKind: session.ReasonUnknownKind}},
		{"unknown kind", func(s *session.Session) { s.Kind = 9 },
			map[string]session.Reason{session.FieldKind: session.ReasonUnknownKind}},
		{"empty login", func(s *session.Session) { s.UserLogin = "" },
			map[string]session.Reason{session.FieldUserLogin: session.ReasonRequired}},
		{"admin customer", func(s *session.Session) { s.Kind, s.Admin = session.Customer, true },
			map[string]session.Reason{session.FieldAdmin: session.ReasonCustomerAdmin}},
		{"every field at its limit", func(s *session.Session) {
			s.ID, s.UserLogin, s.UserFullName = long(session.MaxIDLen), long(session.MaxUserLoginLen), long(session.MaxUserFullNameLen)
			s.RemoteAddr, s.UserAgent = long(session.MaxRemoteAddrLen), long(session.MaxUserAgentLen)
		}, nil},
		{"ID one byte too long", func(s *session.Session) { s.ID = long(session.MaxIDLen + 1) },
			map[string]session.Reason{session.FieldID: session.ReasonTooLong}},
		{"login one byte too long", func(s *session.Session) { s.UserLogin = long(session.MaxUserLoginLen + 1) },
			map[string]session.Reason{session.FieldUserLogin: session.ReasonTooLong}},
		{"limits count bytes: 129 two-byte characters", func(s *session.Session) { s.UserLogin = strings.Repeat("é", 129) },
			map[string]session.Reason{session.FieldUserLogin: session.ReasonTooLong}},
		{"full name too long", func(s *session.Session) { s.UserFullName = long(session.MaxUserFullNameLen + 1) },
			map[string]session.Reason{session.FieldUserFullName: session.ReasonTooLong}},
		{"remote address too long", func(s *session.Session) { s.RemoteAddr = long(session.MaxRemoteAddrLen + 1) },
			map[string]session.Reason{session.FieldRemoteAddr: session.ReasonTooLong}},
		{"user agent of 900 KB", func(s *session.Session) { s.UserAgent = long(900 << 10) },
			map[string]session.Reason{session.FieldUserAgent: session.ReasonTooLong}},
		{"ID not UTF-8", func(s *session.Session) { s.ID = "s\xff1" },
			map[string]session.Reason{session.FieldID: session.ReasonNotText}},
		{"user agent not UTF-8", func(s *session.Session) { s.UserAgent = "curl\xc3" },
			map[string]session.Reason{session.FieldUserAgent: session.ReasonNotText}},
		{"created in year 10000", func(s *session.Session) { s.CreatedAt = session.MaxTime.Add(time.Nanosecond) },
			map[string]session.Reason{session.FieldCreatedAt: session.ReasonOutOfRange}},
		{"last request in year 0", func(s *session.Session) { s.LastRequestAt = session.MinTime.Add(-time.Millisecond) },
			map[string]session.Reason{session.FieldLastRequestAt: session.ReasonOutOfRange}},
		{"instants at the ends of the range", func(s *session.Session) {
			s.CreatedAt, s.LastRequestAt = session.MinTime.Add(time.Millisecond), session.MaxTime
		}, nil},
		{"every field at once", func(s *session.Session) {
			*s = session.Session{Kind: session.Customer, Admin: true, UserFullName: long(257), RemoteAddr: "\xff",
				UserAgent: long(513), CreatedAt: session.MaxTime.AddDate(1, 0, 0), LastRequestAt: session.MinTime.AddDate(-1, 0, 0)}
		}, map[string]session.Reason{
			session.FieldID:            session.ReasonRequired,
			session.FieldUserLogin:     session.ReasonRequired,
			session.FieldUserFullName:  session.ReasonTooLong,
			session.FieldAdmin:         session.ReasonCustomerAdmin,
			session.FieldRemoteAddr:    session.ReasonNotText,
			session.FieldUserAgent:     session.ReasonTooLong,
			session.FieldCreatedAt:     session.ReasonOutOfRange,
			session.FieldLastRequestAt: session.ReasonOutOfRange,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid
			tt.modify(&s)
			err := s.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, session.ErrInvalid)
			var ve *session.ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %v", err)
			assert.Equal(t, s.ID, ve.ID)
			got := map[string]session.Reason{}
			for _, f := range ve.Fields {
				_, dup := got[f.Field]
				assert.False(t, dup, "%s named twice", f.Field)
				got[f.Field] = f.Reason
			}
			assert.Equal(t, tt.want, got)
			for field, reason := range tt.want {
				r, ok := ve.Reason(field)
				assert.True(t, ok)
				assert.Equal(t, reason, r)
				assert.Contains(t, err.Error(), field, "the message names the field")
			}
			assert.Less(t, len(err.Error()), 1024, "the message is bounded")
		})
	}
}

func TestValidationError_Error(t *testing.T) {
	tests := []struct {
		name string
		s    session.Session
		want string
	}{
		{"one field", session.Session{ID: "c1", Kind: session.Customer, UserLogin: "carol", Admin: true},
			`session: invalid session "c1": Admin is set on a customer session`},
		{"a limit is named", session.Session{ID: "a1", Kind: session.Agent, UserLogin: "bob", UserAgent: strings.Repeat("x", 600)},
			`session: invalid session "a1": UserAgent is too long (over 512 bytes)`},
		{"an over-long ID is quoted in part", session.Session{ID: strings.Repeat("é", 200), Kind: session.Agent, UserLogin: "bob"},
			`session: invalid session "` + strings.Repeat("é", 32) + `"...: ID is too long (over 256 bytes)`},
		{"an ID that is not UTF-8 is escaped", session.Session{ID: "\xff", Kind: session.Agent, UserLogin: "bob"},
			`session: invalid session "\xff": ID is not valid UTF-8 text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.EqualError(t, tt.s.Validate(), tt.want)
		})
	}
}

func TestValidateTouch(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"today", time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), true},
		{"zero", time.Time{}, true},
		{"last instant of 9999", session.MaxTime, true},
		{"year 10000", session.MaxTime.Add(time.Nanosecond), false},
		{"year 0", session.MinTime.Add(-time.Nanosecond), false},
		{"UnixMilli MaxInt64", time.UnixMilli(math.MaxInt64), false},
		{"UnixMilli wraps to today", time.Unix(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC).Unix()+18446744073709551, 616e6), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := session.ValidateTouch("s1", tt.at)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, session.ErrInvalid)
			var ve *session.ValidationError
			require.True(t, errors.As(err, &ve))
			r, ok := ve.Reason(session.FieldLastRequestAt)
			assert.True(t, ok)
			assert.Equal(t, session.ReasonOutOfRange, r)
		})
	}
}

func TestSession_Normalize(t *testing.T) {
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	in := session.Session{
		ID:            "s",
		CreatedAt:     time.Date(2026, 11, 24, 15, 0, 0, 987654321, zone),
		LastRequestAt: time.Time{},
	}
	got := in.Normalize()
	assert.Equal(t, time.Date(2026, 11, 24, 9, 30, 0, 987000000, time.UTC), got.CreatedAt)
	assert.Equal(t, time.UTC, got.CreatedAt.Location())
	assert.True(t, got.LastRequestAt.IsZero())
	assert.Equal(t, "s", got.ID)
	assert.Equal(t, got, got.Normalize(), "idempotent")
}

func TestSession_NormalizeText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "curl/8.5", "curl/8.5"},
		{"exactly the limit", strings.Repeat("a", 512), strings.Repeat("a", 512)},
		{"one byte over", strings.Repeat("a", 513), strings.Repeat("a", 512)},
		{"900 KB", strings.Repeat("Mozilla ", 900<<7), strings.Repeat("Mozilla ", 64)},
		{"a two-byte character across the limit is dropped", strings.Repeat("a", 511) + "é", strings.Repeat("a", 511)},
		{"a four-byte character across the limit is dropped", strings.Repeat("a", 510) + "🛠️", strings.Repeat("a", 510)},
		{"a character ending at the limit is kept", strings.Repeat("a", 510) + "é" + "tail", strings.Repeat("a", 510) + "é"},
		{"invalid bytes become U+FFFD", "curl\xff/8\xc3", "curl\uFFFD/8\uFFFD"},
		{"U+FFFD that would cross the limit is dropped", strings.Repeat("a", 510) + "\xff", strings.Repeat("a", 510)},
		{"a run of continuation bytes", strings.Repeat("\x80", 600), "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := session.Session{UserAgent: tt.in, UserFullName: tt.in, RemoteAddr: tt.in, ID: tt.in, UserLogin: tt.in}.Normalize()
			assert.Equal(t, tt.want, got.UserAgent)
			assert.True(t, utf8.ValidString(got.UserAgent))
			assert.LessOrEqual(t, len(got.UserFullName), session.MaxUserFullNameLen)
			assert.LessOrEqual(t, len(got.RemoteAddr), session.MaxRemoteAddrLen)
			assert.Equal(t, tt.in, got.ID, "identity fields are never cut")
			assert.Equal(t, tt.in, got.UserLogin, "identity fields are never cut")
			assert.Equal(t, got, got.Normalize(), "idempotent")
		})
	}
}

func TestSession_NormalizeExtremeInstants(t *testing.T) {
	// An instant whose Unix milliseconds wrap must stay out of range, not
	// land in a valid year.
	today := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	wraps := time.Unix(today.Unix()+18446744073709551, 616e6)
	require.Equal(t, today.UnixMilli(), wraps.UnixMilli(), "precondition: wraps to today")
	s := session.Session{ID: "s", Kind: session.Agent, UserLogin: "bob", CreatedAt: wraps, LastRequestAt: time.UnixMilli(math.MaxInt64)}.Normalize()
	assert.True(t, s.CreatedAt.After(session.MaxTime), "CreatedAt %v", s.CreatedAt)
	assert.True(t, s.LastRequestAt.After(session.MaxTime), "LastRequestAt %v", s.LastRequestAt)
	var ve *session.ValidationError
	require.True(t, errors.As(s.Validate(), &ve))
	assert.Len(t, ve.Fields, 2)
}

// FuzzSession_Normalize checks the contract of Normalize and Validate for
// any text: Normalize cuts the descriptive fields to valid UTF-8 within
// their limits, keeps a valid prefix of what it was given, never touches
// the identity fields, and is idempotent; Validate then refuses a session
// for its identity fields only.
func FuzzSession_Normalize(f *testing.F) {
	f.Add("s1", "bob", "Bob", "192.0.2.1", "curl/8")
	f.Add(strings.Repeat("x", 257), "bob", strings.Repeat("é", 200), "\xff", strings.Repeat("🛠️", 200))
	f.Add("s\xff", "", "\x80\x80", "", strings.Repeat("a", 511)+"é")
	f.Fuzz(func(t *testing.T, id, login, fullName, addr, agent string) {
		in := session.Session{ID: id, Kind: session.Agent, UserLogin: login, UserFullName: fullName, RemoteAddr: addr, UserAgent: agent}
		got := in.Normalize()
		for _, f := range []struct {
			name    string
			in, got string
			limit   int
		}{
			{session.FieldUserFullName, fullName, got.UserFullName, session.MaxUserFullNameLen},
			{session.FieldRemoteAddr, addr, got.RemoteAddr, session.MaxRemoteAddrLen},
			{session.FieldUserAgent, agent, got.UserAgent, session.MaxUserAgentLen},
		} {
			assert.True(t, utf8.ValidString(f.got), "%s is not UTF-8", f.name)
			assert.NotContains(t, f.got, "\x00", "%s holds a NUL", f.name)
			assert.LessOrEqual(t, len(f.got), f.limit, f.name)
			if utf8.ValidString(f.in) && !strings.Contains(f.in, "\x00") {
				assert.True(t, strings.HasPrefix(f.in, f.got), "%s is not a prefix", f.name)
				assert.Greater(t, len(f.got), min(len(f.in), f.limit)-utf8.UTFMax, "%s cut too short", f.name)
			}
		}
		assert.Equal(t, id, got.ID)
		assert.Equal(t, login, got.UserLogin)
		assert.Equal(t, got, got.Normalize(), "idempotent")

		text := func(s string) bool { return utf8.ValidString(s) && !strings.Contains(s, "\x00") }
		identityOK := id != "" && len(id) <= session.MaxIDLen && text(id) &&
			login != "" && len(login) <= session.MaxUserLoginLen && text(login)
		err := got.Validate()
		assert.Equal(t, identityOK, err == nil, "Validate: %v", err)
		if err != nil {
			var ve *session.ValidationError
			require.True(t, errors.As(err, &ve))
			for _, fe := range ve.Fields {
				assert.Contains(t, []string{session.FieldID, session.FieldUserLogin}, fe.Field)
			}
		}
	})
}

func TestCount(t *testing.T) {
	s := func(k session.Kind, login string) session.Session {
		return session.Session{Kind: k, UserLogin: login}
	}
	tests := []struct {
		name string
		in   []session.Session
		want session.Counts
	}{
		{"none", nil, session.Counts{}},
		{"one agent", []session.Session{s(session.Agent, "bob")}, session.Counts{All: 1, Agents: 1, UniqueAgents: 1}},
		{
			"bob twice as agent and once as customer",
			[]session.Session{s(session.Agent, "bob"), s(session.Agent, "bob"), s(session.Customer, "bob")},
			session.Counts{All: 3, Agents: 2, Customers: 1, UniqueAgents: 1, UniqueCustomers: 1},
		},
		{
			"mixed with repeated logins",
			[]session.Session{
				s(session.Agent, "root"), s(session.Agent, "bob"), s(session.Agent, "root"),
				s(session.Customer, "carol"), s(session.Customer, "dave"), s(session.Customer, "carol"),
				s(session.Customer, "root"),
			},
			session.Counts{All: 7, Agents: 3, Customers: 4, UniqueAgents: 2, UniqueCustomers: 3},
		},
		{
			"logins compare exactly",
			[]session.Session{s(session.Agent, "Bob"), s(session.Agent, "bob")},
			session.Counts{All: 2, Agents: 2, UniqueAgents: 2},
		},
		{
			"unknown kind counts in All only",
			[]session.Session{s(0, "ghost"), s(session.Customer, "ghost")},
			session.Counts{All: 2, Customers: 1, UniqueCustomers: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, session.Count(tt.in))
		})
	}
}

func TestNewOverview(t *testing.T) {
	t.Run("empty lists are not nil", func(t *testing.T) {
		o := session.NewOverview(nil)
		assert.NotNil(t, o.Agents)
		assert.NotNil(t, o.Customers)
		assert.Empty(t, o.Agents)
		assert.Empty(t, o.Customers)
		assert.Equal(t, session.Counts{}, o.Counts)
	})
	t.Run("split keeps order", func(t *testing.T) {
		in := []session.Session{
			{ID: "1", Kind: session.Customer, UserLogin: "c"},
			{ID: "2", Kind: session.Agent, UserLogin: "a"},
			{ID: "3", Kind: session.Customer, UserLogin: "c"},
			{ID: "4", Kind: session.Agent, UserLogin: "b"},
		}
		o := session.NewOverview(in)
		require.Len(t, o.Agents, 2)
		require.Len(t, o.Customers, 2)
		assert.Equal(t, "2", o.Agents[0].ID)
		assert.Equal(t, "4", o.Agents[1].ID)
		assert.Equal(t, "1", o.Customers[0].ID)
		assert.Equal(t, "3", o.Customers[1].ID)
		assert.Equal(t, session.Counts{All: 4, Agents: 2, Customers: 2, UniqueAgents: 2, UniqueCustomers: 1}, o.Counts)
	})
}
