package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/session"
	"github.com/sysmaint/sysmaint/session/sessiontest"
)

// openSessionDB opens a new SQLite file under t.TempDir(), closed when the
// test ends.
func openSessionDB(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "sessions.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

func TestSessionStore_Conformance(t *testing.T) {
	sessiontest.RunStoreTests(t, func(t *testing.T) session.Store {
		return openSessionDB(t).Sessions()
	})
}

func TestSessionStore_sharedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *sqlstore.DB {
		db, err := sqlstore.Open(ctx, path, nil)
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, db.Close()) })
		return db
	}
	// Two handles on one file stand for two processes sharing it.
	a, b := open().Sessions(), open().Sessions()
	day := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i, s := range []session.Session{
		{ID: "own", Kind: session.Agent, UserLogin: "root", Admin: true},
		{ID: "bob", Kind: session.Agent, UserLogin: "bob"},
		{ID: "carol", Kind: session.Customer, UserLogin: "carol"},
	} {
		s.CreatedAt = day.Add(time.Duration(i) * time.Minute)
		s.LastRequestAt = s.CreatedAt
		require.NoError(t, a.Create(ctx, s))
	}

	got, err := b.Get(ctx, "carol")
	require.NoError(t, err)
	assert.Equal(t, session.Customer, got.Kind)

	n, err := b.DeleteAllExcept(ctx, "own")
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	list, err := a.List(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "own", list[0].ID)

	// The other handle's own session is gone: it removes nothing.
	require.NoError(t, a.Delete(ctx, "own"))
	require.NoError(t, a.Create(ctx, session.Session{ID: "x", Kind: session.Agent, UserLogin: "x", CreatedAt: day}))
	_, err = b.DeleteAllExcept(ctx, "own")
	require.ErrorIs(t, err, session.ErrNotFound)
	_, err = a.Get(ctx, "x")
	require.NoError(t, err)
}

func TestSessionStore_reopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reopen.db")
	in := session.Session{
		ID: "s1", Kind: session.Agent, UserLogin: "root", UserFullName: "Root", Admin: true,
		RemoteAddr: "192.0.2.1", UserAgent: "test",
		CreatedAt:     time.Date(2026, 11, 24, 9, 0, 0, 5_000_000, time.UTC),
		LastRequestAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC),
	}
	db, err := sqlstore.Open(ctx, path, nil)
	require.NoError(t, err)
	require.NoError(t, db.Sessions().Create(ctx, in))
	require.NoError(t, db.Close())

	db, err = sqlstore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer db.Close()
	got, err := db.Sessions().Get(ctx, "s1")
	require.NoError(t, err)
	assert.Equal(t, in, got)
}

// TestSessionStore_schema checks the table's own guards, for rows written
// around the store (by hand, or by another program).
func TestSessionStore_schema(t *testing.T) {
	db := openSessionDB(t).SQL()
	insert := db.Rebind(`INSERT INTO sysmaint_sessions (id, kind, user_login, admin, created_at_ms, last_request_at_ms)
		VALUES (?, ?, ?, ?, 0, 0)`)
	tests := []struct {
		name    string
		id      string
		kind    int
		login   string
		admin   int
		wantErr bool
	}{
		{"admin agent", "a", 1, "root", 1, false},
		{"customer", "c", 2, "carol", 0, false},
		{"empty ID", "", 1, "bob", 0, true},
		{"unknown kind", "k", 3, "bob", 0, true},
		{"empty login", "l", 1, "", 0, true},
		{"admin customer", "ac", 2, "carol", 1, true},
		{"admin not 0 or 1", "a2", 1, "root", 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.Exec(insert, tt.id, tt.kind, tt.login, tt.admin)
			if tt.wantErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
