package pgstore_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
)

var quiet = slog.New(slog.DiscardHandler)

// killListener terminates the backend of every connection listening on
// db's channel, as a server restart or a network cut would, and reports
// how many it ended.
func killListener(t *testing.T, db *pgstore.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL().GetContext(t.Context(), &n, `SELECT count(pg_terminate_backend(pid))
		FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
		`LISTEN "`+db.Channel()+`"`))
	return n
}

// receive returns the next report, failing t after five seconds.
func receive(t *testing.T, reports <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-reports:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("no report: %s", what)
		return nil
	}
}

func TestWindowStore_WatchChanges(t *testing.T) {
	db := pgstoretest.Open(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	reports := make(chan error, 100)
	done := make(chan error)
	go func() { done <- db.Windows().WatchChanges(ctx, func(err error) { reports <- err }) }()

	require.NoError(t, receive(t, reports, "listening"))
	_, err := db.Windows().Create(ctx, window("pushed", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, receive(t, reports, "a created window"))

	// The server drops the listener: it says so, reconnects by itself,
	// and says it listens again.
	require.Equal(t, 1, killListener(t, db))
	require.Error(t, receive(t, reports, "the dropped connection"))
	require.NoError(t, receive(t, reports, "listening again"))
	_, err = db.Windows().Create(ctx, window("after the reconnect", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, receive(t, reports, "a window created after the reconnect"))

	// A rolled-back change is never announced.
	tx, err := db.SQL().BeginTxx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "DELETE FROM sysmaint_windows")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	select {
	case err := <-reports:
		t.Fatalf("a rolled-back change was announced: %v", err)
	case <-time.After(100 * time.Millisecond):
	}

	cancel()
	require.NoError(t, <-done)
}

// TestManager_PushAcrossInstances: a window added through one instance is
// in force in another without any poll (the mock clocks never move), also
// when it was added while the other's listener was cut off.
func TestManager_PushAcrossInstances(t *testing.T) {
	a := pgstoretest.Open(t, nil)
	b, err := pgstore.Open(t.Context(), pgstoretest.DSN(t), &pgstore.Options{Schema: a.Schema()})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, b.Close()) })

	mock := newMock()
	opts := &maintenance.Options{Clock: mock, Logger: quiet, PollInterval: time.Hour, ResyncInterval: time.Hour}
	writer := maintenance.New(a.Windows(), opts)
	reader := maintenance.New(b.Windows(), opts)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- reader.Run(ctx) }()
	require.Eventually(t, func() bool { return reader.Health().Pushing }, 5*time.Second, time.Millisecond)

	w, err := writer.Add(ctx, window("pushed", -time.Hour, time.Hour), "alice")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return reader.Status().Active() }, 5*time.Second, time.Millisecond)

	// Cut the reader's listener, change the window before it is back: the
	// reconnect finds the revision moved.
	require.Equal(t, 1, killListener(t, b))
	require.NoError(t, writer.Delete(ctx, w.ID))
	require.Eventually(t, func() bool { return !reader.Status().Active() }, 5*time.Second, time.Millisecond,
		"a change made while the listener was cut off was missed")
	require.Eventually(t, func() bool { return reader.Health().Pushing }, 5*time.Second, time.Millisecond)

	cancel()
	require.NoError(t, <-done)
}
