package sqlstore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/session"
)

// benchSessions is the number of sessions in the store when "kill all
// except own" runs: the caller's own and 99 999 others.
const benchSessions = 100_000

// seedSessions fills db's session table up to benchSessions rows, half
// agents and half customers, with "own" among them, in one transaction
// with a prepared statement.
func seedSessions(b *testing.B, db *sqlstore.DB) {
	b.Helper()
	ctx := context.Background()
	sdb := db.SQL()
	tx, err := sdb.BeginTxx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	stmt, err := tx.PreparexContext(ctx, sdb.Rebind(`INSERT INTO sysmaint_sessions
		(id, kind, user_login, user_full_name, admin, remote_addr, user_agent, created_at_ms, last_request_at_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`))
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC).UnixMilli()
	if _, err := stmt.ExecContext(ctx, "own", 1, "root", "Admin", 1, "192.0.2.1", "bench", t0, t0); err != nil {
		b.Fatal(err)
	}
	for i := 1; i < benchSessions; i++ {
		kind, login := 1, "agent"+strconv.Itoa(i%5000)
		if i%2 == 1 {
			kind, login = 2, "customer"+strconv.Itoa(i%5000)
		}
		at := t0 + int64(i)
		if _, err := stmt.ExecContext(ctx, "sess-"+strconv.Itoa(i), kind, login, "User "+login, 0,
			"198.51.100.7", "Mozilla/5.0", at, at); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkKillAllExceptOwn times DeleteAllExcept over 100 000 sessions in
// a SQLite file; the target is under one second per operation. Seeding is
// outside the timer.
func BenchmarkKillAllExceptOwn(b *testing.B) {
	db := openSessionDB(b)
	st := db.Sessions()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		seedSessions(b, db)
		b.StartTimer()
		n, err := st.DeleteAllExcept(ctx, "own")
		if err != nil {
			b.Fatal(err)
		}
		if n != benchSessions-1 {
			b.Fatalf("deleted %d sessions, want %d", n, benchSessions-1)
		}
	}
}

// BenchmarkSessionStore_Request times what a logged-in request costs the
// store: reading the session (Get) and recording the request (Touch), a
// read and a write through the connection pool.
func BenchmarkSessionStore_Request(b *testing.B) {
	db := openSessionDB(b)
	st := db.Sessions()
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	if err := st.Create(ctx, session.Session{ID: "own", Kind: session.Agent, UserLogin: "root",
		CreatedAt: at, LastRequestAt: at}); err != nil {
		b.Fatal(err)
	}
	b.Run("Get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := st.Get(ctx, "own"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Touch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			at = at.Add(time.Millisecond)
			if err := st.Touch(ctx, "own", at); err != nil {
				b.Fatal(err)
			}
		}
	})
}
