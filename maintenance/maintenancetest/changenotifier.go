package maintenancetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// ChangeNotifier: report(nil) once listening, then after every write; nil
// returned once the context is done. The waits are for a store's real
// listener (a database connection): they bound how long the suite waits
// for a report, never how fast it must come.

const notifierWait = 10 * time.Second

func notifier(t *testing.T, s maintenance.Store) maintenance.ChangeNotifier {
	t.Helper()
	cn, ok := s.(maintenance.ChangeNotifier)
	if !ok {
		t.Skipf("%T does not implement maintenance.ChangeNotifier", s)
	}
	return cn
}

// watch runs WatchChanges until t ends and returns its reports.
func watch(t *testing.T, cn maintenance.ChangeNotifier) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reports := make(chan error, 64)
	done := make(chan error, 1)
	go func() { done <- cn.WatchChanges(ctx, func(err error) { reports <- err }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "WatchChanges")
		case <-time.After(notifierWait):
			t.Error("WatchChanges did not return after its context was done")
		}
	})
	return reports
}

func nextReport(t *testing.T, reports <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-reports:
		return err
	case <-time.After(notifierWait):
		t.Fatalf("no report after %s", what)
		return nil
	}
}

func testNotifierReportsWrites(t *testing.T, s maintenance.Store) {
	reports := watch(t, notifier(t, s))
	require.NoError(t, nextReport(t, reports, "starting"), "the first report says it listens")
	w := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	require.NoError(t, nextReport(t, reports, "Create"))
	w.Comment = "changed"
	w = mustUpdate(t, s, w)
	require.NoError(t, nextReport(t, reports, "Update"))
	require.NoError(t, s.Delete(t.Context(), w.ID))
	require.NoError(t, nextReport(t, reports, "Delete"))
}

func testNotifierReturns(t *testing.T, s maintenance.Store) {
	cn := notifier(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	listening := make(chan struct{}, 1)
	go func() {
		done <- cn.WatchChanges(ctx, func(err error) {
			if err == nil {
				select {
				case listening <- struct{}{}:
				default:
				}
			}
		})
	}()
	select {
	case <-listening:
	case <-time.After(notifierWait):
		t.Fatal("WatchChanges never reported that it listens")
	}
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(notifierWait):
		t.Fatal("WatchChanges did not return after its context was done")
	}
}
