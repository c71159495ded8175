package pgstore_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/storebench"
	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
)

// The benchmarks below run over the same data and are meant to be read side
// by side, and beside those of adapters/sqlstore:
//
//	go test -run '^$' -bench . ./adapters/pgstore/ ./adapters/sqlstore/
//
// BenchmarkStatus is sysmaint's request-path check on the schedule a
// Manager compiled from PostgreSQL; BenchmarkZnunyQuery is Znuny's way,
// one query per request as Znuny writes it (every active window, ORDER BY
// id); BenchmarkIndexedQuery is that approach at its best, one query per
// request that an index answers (the latest valid window started, by
// start_ms DESC LIMIT 1).

// benchSizes are the window counts of the window benchmarks.
var benchSizes = []int{1, 1_000, 100_000}

// benchAt is the instant every benchmark asks about: inside the middle
// window.
var benchAt = time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC)

var benchSink bool

// seedWindows returns a database holding n valid windows of one hour, one
// every two hours, the middle one covering benchAt, inserted by one
// statement.
func seedWindows(b *testing.B, n int) *pgstore.DB {
	b.Helper()
	db := pgstoretest.Open(b, nil)
	created := benchAt.Add(-365 * 24 * time.Hour).UnixMilli()
	_, err := db.SQL().ExecContext(context.Background(), `INSERT INTO sysmaint_windows
		(start_ms, stop_ms, comment, show_login_message, validity, created_at_ms, created_by,
		 changed_at_ms, changed_by, version)
		SELECT s, s + 3600000, 'window ' || i, false, 1, $1, 'bench', $1, 'bench', 1
		FROM (SELECT i, $2::bigint + (i - $3::bigint / 2) * 7200000 - 1800000 AS s
		      FROM generate_series(0, $3::bigint - 1) AS i) AS t`,
		created, benchAt.UnixMilli(), n)
	require.NoError(b, err)
	_, err = db.SQL().ExecContext(context.Background(), "ANALYZE sysmaint_windows")
	require.NoError(b, err)
	return db
}

// BenchmarkStatus is the check on the schedule a Manager compiled from
// the store. "Run" is what a request pays: Status while Run keeps the
// status of now, one atomic load and no clock read (the Manager's clock is
// a mock standing at benchAt, so the status is that of a window in
// force). "StatusAt" is the check at an instant given, which finds its
// segment in the schedule: the same at every size.
func BenchmarkStatus(b *testing.B) {
	for _, n := range benchSizes {
		db := seedWindows(b, n)
		mock := clock.NewMock()
		mock.Set(benchAt)
		m := maintenance.New(db.Windows(), &maintenance.Options{Clock: mock})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- m.Run(ctx) }()
		for !m.Health().Running || !m.Health().Loaded {
			runtime.Gosched()
		}
		require.Equal(b, n, m.Schedule().Len())
		require.True(b, m.Status().Active(), "benchAt should be inside a window")

		b.Run(fmt.Sprintf("Run/windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var active bool
			for b.Loop() {
				active = m.Status().Active()
			}
			benchSink = active
		})
		b.Run(fmt.Sprintf("StatusAt/windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var active bool
			for b.Loop() {
				active = m.StatusAt(benchAt).Active()
			}
			benchSink = active
		})
		cancel()
		require.NoError(b, <-done)
	}
}

// benchQuery times one query per request that finds the window in force at
// benchAt.
func benchQuery(b *testing.B, q string) {
	for _, n := range benchSizes {
		db := seedWindows(b, n)
		sqlDB := db.SQL()
		ms := benchAt.UnixMilli()
		ctx := context.Background()
		var id int64
		require.NoError(b, sqlDB.QueryRowContext(ctx, q, ms).Scan(&id), "benchAt should be inside a window")

		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := sqlDB.QueryRowContext(ctx, q, ms).Scan(&id); err != nil {
					b.Fatal(err)
				}
			}
			benchSink = id > 0
		})
	}
}

func BenchmarkZnunyQuery(b *testing.B) {
	benchQuery(b, `SELECT id FROM sysmaint_windows
		WHERE start_ms <= $1 AND stop_ms > $1 AND validity = 1 ORDER BY id LIMIT 1`)
}

func BenchmarkIndexedQuery(b *testing.B) {
	benchQuery(b, `SELECT id FROM (SELECT id, stop_ms FROM sysmaint_windows
		WHERE validity = 1 AND start_ms <= $1 ORDER BY start_ms DESC LIMIT 1) AS latest
		WHERE stop_ms > $1`)
}

// benchSessions is the number of sessions in the store when "kill all
// except own" and the counters run: the caller's own and 999 999 others.
const benchSessions = 1_000_000

// seedSessions fills db's session table with benchSessions rows, half
// agents and half customers of 5 000 logins each, "own" among them, with
// one statement.
func seedSessions(b *testing.B, db *pgstore.DB) {
	b.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC).UnixMilli()
	_, err := db.SQL().ExecContext(ctx, `INSERT INTO sysmaint_sessions
		(id, kind, user_login, user_full_name, admin, remote_addr, user_agent, created_at_ms, last_request_at_ms)
		SELECT CASE WHEN i = 0 THEN 'own' ELSE 'sess-' || i END,
		       CASE WHEN i % 2 = 0 THEN 1 ELSE 2 END,
		       CASE WHEN i % 2 = 0 THEN 'agent' ELSE 'customer' END || (i % 5000),
		       'User ' || (i % 5000), i = 0, '198.51.100.7', 'Mozilla/5.0', $1::bigint + i, $1::bigint + i
		FROM generate_series(0, $2::bigint - 1) AS i ON CONFLICT (id) DO NOTHING`, t0, benchSessions)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "ANALYZE sysmaint_sessions"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkKillAllExceptOwn times DeleteAllExcept over a million sessions;
// the target is under five seconds per operation. Seeding is outside the
// timer: go test -run '^$' -bench KillAll -benchtime 3x ./adapters/pgstore/
func BenchmarkKillAllExceptOwn(b *testing.B) {
	db := pgstoretest.Open(b, nil)
	st := db.Sessions()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
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

// BenchmarkCounts times the admin screen's counters over a million
// sessions, one aggregate query; the target is under 200 ms.
func BenchmarkCounts(b *testing.B) {
	db := pgstoretest.Open(b, nil)
	seedSessions(b, db)
	st := db.Sessions()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		c, err := st.Counts(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if c.All != benchSessions || c.UniqueAgents != 2500 {
			b.Fatalf("counts %+v", c)
		}
	}
}

// seedChanges seeds n windows for the benchmarks of a change in force;
// another instance writes through a second handle on the same schema.
func seedChanges(b *testing.B, n int) (store, other storebench.Store) {
	db := seedWindows(b, n)
	return db.Windows(), db.Windows()
}

// BenchmarkManager_Write measures one change through the Manager until it
// is in force: the write over the connection and the schedule's update.
//
//	go test -run '^$' -bench 'Manager_|ReadAfterChange' ./adapters/pgstore/
func BenchmarkManager_Write(b *testing.B) { storebench.ManagerWrite(b, seedChanges) }

// BenchmarkManager_Reload measures what Run does once another instance
// changed one window: Sync reads the change and puts it in force.
func BenchmarkManager_Reload(b *testing.B) { storebench.ManagerReload(b, seedChanges) }

// BenchmarkWindowStore_ReadAfterChange measures the store's part of that
// reload: the changes since a revision beside every window.
func BenchmarkWindowStore_ReadAfterChange(b *testing.B) { storebench.ReadAfterChange(b, seedChanges) }
