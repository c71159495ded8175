package session_test

import (
	"testing"
	"time"

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
	tests := []struct {
		name    string
		modify  func(s *session.Session)
		wantErr bool
	}{
		{"valid agent", func(*session.Session) {}, false},
		{"valid admin agent", func(s *session.Session) { s.Admin = true }, false},
		{"valid customer", func(s *session.Session) { s.Kind = session.Customer }, false},
		{"times are optional", func(s *session.Session) { s.CreatedAt, s.LastRequestAt = time.Time{}, time.Time{} }, false},
		{"empty ID", func(s *session.Session) { s.ID = "" }, true},
		{"zero kind", func(s *session.Session) { s.Kind = 0 }, true},
		{"unknown kind", func(s *session.Session) { s.Kind = 9 }, true},
		{"empty login", func(s *session.Session) { s.UserLogin = "" }, true},
		{"admin customer", func(s *session.Session) { s.Kind, s.Admin = session.Customer, true }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid
			tt.modify(&s)
			err := s.Validate()
			if !tt.wantErr {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, session.ErrInvalid)
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
