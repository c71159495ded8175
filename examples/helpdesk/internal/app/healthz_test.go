package app_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestHealthz_Database moves the database file away while the app runs:
// /healthz answers 503 while writes fail, and "ok" again once the file is
// back and the Manager's Run loop has seen writes work, without a restart.
func TestHealthz_Database(t *testing.T) {
	h := newHarness(t)
	health := func() page { t.Helper(); return h.client().get("/healthz") }
	require.Equal(t, http.StatusOK, health().status)

	var path string
	require.NoError(t, h.db.SQL().QueryRowContext(context.Background(),
		"SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path))
	away := path + ".away"
	require.NoError(t, os.Rename(path, away))
	p := health()
	assert.Equal(t, http.StatusServiceUnavailable, p.status)
	assert.Equal(t, "database file gone\n", p.body)

	_, err := h.app.Manager().Add(context.Background(), maintenance.Window{
		Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "lost?", Validity: maintenance.Valid,
	}, "admin")
	require.ErrorIs(t, err, sqlstore.ErrFileGone, "a write while the file is away is refused, not acknowledged")
	assert.Equal(t, "window writes failing\n", health().body)

	require.NoError(t, os.Rename(away, path))
	p = health()
	assert.Equal(t, http.StatusServiceUnavailable, p.status, "the Manager has not seen a write work yet")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.app.Manager().Run(ctx) }()
	t.Cleanup(func() { cancel(); assert.NoError(t, <-done) })
	require.Eventually(t, func() bool {
		h.clock.Add(maintenance.DefaultPollInterval)
		return health().status == http.StatusOK
	}, 10*time.Second, 5*time.Millisecond, "/healthz does not heal")
	assert.Equal(t, "ok", health().body)
	h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
}
