package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
)

// TestStores_PostgreSQL runs an operator's session through the API over
// PostgreSQL (skipped without SYSMAINT_POSTGRES_DSN, failed under CI).
func TestStores_PostgreSQL(t *testing.T) {
	db := pgstoretest.Open(t, nil)
	operate(t, newEnv(t, withStore(db.Windows())))
}

// TestStores_SQLite runs an operator's session through the API over a
// SQLite file.
func TestStores_SQLite(t *testing.T) {
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "sysmaint.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	operate(t, newEnv(t, withStore(db.Windows())))
}

// operate schedules, lists, starts, extends, ends, cancels and deletes
// windows through the client, checking the store and the feed at each
// step.
func operate(t *testing.T, e *env) {
	ctx := t.Context()
	c := e.client
	w, err := c.Create(ctx, httpapi.WindowInput{Start: at(time.Hour + 250*time.Millisecond), Stop: at(2 * time.Hour), Comment: "schema migration", NotifyMessage: "Read-only, ünïcode, 10:00–11:00"})
	require.NoError(t, err)
	stored, err := e.store.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, at(time.Hour+250*time.Millisecond), stored.Start, "milliseconds survive the store")
	assert.Equal(t, "Read-only, ünïcode, 10:00–11:00", stored.NotifyMessage)

	dn, err := c.Down(ctx, httpapi.DownInput{ForSeconds: 1800})
	require.NoError(t, err)
	st, err := c.Status(ctx)
	require.NoError(t, err)
	require.True(t, st.Active)
	assert.Equal(t, dn.ID, st.Window.ID)
	assert.Equal(t, int64(1800), st.RetryAfterSeconds)

	_, err = c.Extend(ctx, dn.ID, 15*time.Minute, dn.Version)
	require.NoError(t, err)
	_, err = c.Extend(ctx, dn.ID, 15*time.Minute, dn.Version)
	var p *httpapi.Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusPreconditionFailed, p.Status, "the store refuses the stale version")

	e.clock.Add(10 * time.Minute)
	ended, err := c.Up(ctx)
	require.NoError(t, err)
	require.Len(t, ended, 1)
	assert.Equal(t, e.clock.Now(), ended[0].Stop)
	assert.False(t, e.m.Status().Active())

	l, err := c.List(ctx, httpapi.ListOptions{State: []string{"planned"}})
	require.NoError(t, err)
	require.Len(t, l.Windows, 1)
	assert.Equal(t, w.ID, l.Windows[0].ID)

	r := e.do(req{method: "GET", path: "/calendar.ics"})
	require.Equal(t, http.StatusOK, r.status)
	events := parseFeedDomain(t, r.body)
	assert.Equal(t, "CONFIRMED", events[w.ID].status)
	tag := r.header.Get("ETag")

	_, err = c.Cancel(ctx, w.ID, 0)
	require.NoError(t, err)
	r = e.do(req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": tag}})
	require.Equal(t, http.StatusOK, r.status)
	events = parseFeedDomain(t, r.body)
	assert.Equal(t, "CANCELLED", events[w.ID].status)
	assert.Equal(t, 1, events[w.ID].sequence)

	got, err := c.Get(ctx, w.ID)
	require.NoError(t, err)
	require.NoError(t, c.Delete(ctx, w.ID, got.Version))
	_, err = c.Get(ctx, w.ID)
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusNotFound, p.Status)
}

// parseFeedDomain is parseFeed with the events by window ID, for the
// default UID domain.
func parseFeedDomain(t *testing.T, body []byte) map[int64]event {
	_, events := parseFeed(t, body)
	out := map[int64]event{}
	for uid, ev := range events {
		var id int64
		_, err := fmt.Sscanf(uid, "window-%d@sysmaint", &id)
		require.NoError(t, err, uid)
		out[id] = ev
	}
	return out
}
