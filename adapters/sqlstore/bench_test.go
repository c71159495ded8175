package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/storebench"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// The two benchmark families below run over the same data and are meant to
// be read side by side: BenchmarkStatus is sysmaint's request-path check
// (an atomic load and two comparisons on the compiled schedule),
// BenchmarkZnunyQuery the Znuny approach, one SQL query per request on the
// same SQLite file.
//
//	go test -run '^$' -bench . -benchtime=1s ./adapters/sqlstore/

// benchSizes are the window counts of both families.
var benchSizes = []int{1, 1_000, 100_000}

// benchAt is the instant both families ask about: inside the middle window.
var benchAt = time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC)

var benchSink bool

// seedWindows opens a new file under b.TempDir holding n valid windows of
// one hour, one every two hours, the middle one covering benchAt. It writes
// them in one transaction through one prepared statement.
func seedWindows(b *testing.B, n int) *sqlstore.DB {
	b.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })

	tx, err := db.SQL().BeginTx(ctx, nil)
	require.NoError(b, err)
	defer func() { _ = tx.Rollback() }()
	stmt, err := tx.PrepareContext(ctx, db.SQL().Rebind(`INSERT INTO sysmaint_windows
		(start_ms, stop_ms, comment, login_message, show_login_message, notify_message,
		 validity, lead_ms, created_at_ms, created_by, changed_at_ms, changed_by, version)
		VALUES (?, ?, ?, '', 0, '', 1, 0, ?, 'bench', ?, 'bench', 1)`))
	require.NoError(b, err)
	defer func() { _ = stmt.Close() }()
	created := benchAt.Add(-365 * 24 * time.Hour).UnixMilli()
	for i := range n {
		start := benchAt.Add(time.Duration(i-n/2)*2*time.Hour - 30*time.Minute)
		_, err := stmt.ExecContext(ctx, start.UnixMilli(), start.Add(time.Hour).UnixMilli(),
			fmt.Sprintf("window %d", i), created, created)
		require.NoError(b, err)
	}
	require.NoError(b, tx.Commit())
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
// benchAt; q takes benchAt in Unix ms twice.
func benchQuery(b *testing.B, q string) {
	for _, n := range benchSizes {
		db := seedWindows(b, n)
		sqlDB := db.SQL()
		q := sqlDB.Rebind(q)
		ms := benchAt.UnixMilli()
		ctx := context.Background()
		var id int64
		require.NoError(b, sqlDB.QueryRowContext(ctx, q, ms, ms).Scan(&id), "benchAt should be inside a window")

		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := sqlDB.QueryRowContext(ctx, q, ms, ms).Scan(&id); err != nil {
					b.Fatal(err)
				}
			}
			benchSink = id > 0
		})
	}
}

// BenchmarkZnunyQuery is Znuny's way: one query per request as Znuny
// writes it, every active window ordered by id.
func BenchmarkZnunyQuery(b *testing.B) {
	benchQuery(b, `SELECT id FROM sysmaint_windows
		WHERE start_ms <= ? AND stop_ms > ? AND validity = 1 ORDER BY id LIMIT 1`)
}

// BenchmarkIndexedQuery is the per-request query at its best: the latest
// valid window started, which the (validity, start_ms) index answers, then
// whether it is still running (pgstore's benchmark of the same name).
func BenchmarkIndexedQuery(b *testing.B) {
	benchQuery(b, `SELECT id FROM (SELECT id, stop_ms FROM sysmaint_windows
		WHERE validity = 1 AND start_ms <= ? ORDER BY start_ms DESC LIMIT 1) AS latest
		WHERE stop_ms > ?`)
}

// seedChanges seeds n windows for the benchmarks of a change in force;
// another process writes through a second handle on the same file.
func seedChanges(b *testing.B, n int) (store, other storebench.Store) {
	db := seedWindows(b, n)
	return db.Windows(), db.Windows()
}

// BenchmarkManager_Write measures one change through the Manager until it
// is in force: the write to the file and the schedule's update.
//
//	go test -run '^$' -bench 'Manager_|ReadAfterChange' ./adapters/sqlstore/
func BenchmarkManager_Write(b *testing.B) { storebench.ManagerWrite(b, seedChanges) }

// BenchmarkManager_Reload measures what Run does after another process
// changed one window in the file: Sync reads the change and puts it in
// force.
func BenchmarkManager_Reload(b *testing.B) { storebench.ManagerReload(b, seedChanges) }

// BenchmarkWindowStore_ReadAfterChange measures the store's part of that
// reload: the changes since a revision beside every window.
func BenchmarkWindowStore_ReadAfterChange(b *testing.B) { storebench.ReadAfterChange(b, seedChanges) }
