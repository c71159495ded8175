package sqlstore_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func revisionOf(t *testing.T, db *sqlstore.DB) int64 {
	t.Helper()
	r, err := db.Windows().Revision(t.Context())
	require.NoError(t, err)
	return r
}

// TestWindowStore_ChangesAcrossMigration5 takes a file back to version 4
// (migration 5's Down), writes there as a build of that version would,
// and opens it again: the file answers for the changes from the revision
// of the migration on, not before, and the windows written before it come
// back when they change.
func TestWindowStore_ChangesAcrossMigration5(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "m.db")
	db := openDB(t, path)
	a, err := db.Windows().Create(ctx, window("a", 0, time.Hour))
	require.NoError(t, err)
	b, err := db.Windows().Create(ctx, window("b", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	c, err := db.Windows().Create(ctx, window("c", 2*time.Hour, 3*time.Hour))
	require.NoError(t, err)

	p, err := goose.NewProvider(goose.DialectSQLite3, db.SQL().DB, os.DirFS("migrations"),
		goose.WithTableName(sqlcore.VersionTable), goose.WithDisableGlobalRegistry(true))
	require.NoError(t, err)
	_, err = p.DownTo(ctx, 4)
	require.NoError(t, err, "migration 5 down")
	_, err = db.SQL().ExecContext(ctx, "UPDATE sysmaint_windows SET comment = 'b at version 4', version = version + 1 WHERE id = ?", b.ID)
	require.NoError(t, err)
	_, err = db.SQL().ExecContext(ctx, "DELETE FROM sysmaint_windows WHERE id = ?", a.ID)
	require.NoError(t, err)
	at4 := revisionOf(t, db)
	assert.Equal(t, int64(5), at4, "three creates, an update and a delete")

	again := openDB(t, path) // migrates up again
	cl := again.Windows()
	ch, err := cl.ChangesSince(ctx, at4)
	require.NoError(t, err)
	assert.Empty(t, ch.Windows)
	assert.Empty(t, ch.Deleted)
	assert.Equal(t, at4, ch.Revision)
	_, err = cl.ChangesSince(ctx, at4-1)
	assert.ErrorIs(t, err, maintenance.ErrRevisionUnknown, "changes before the migration are not known")

	c.Comment = "c at version 5"
	_, err = cl.Update(ctx, c)
	require.NoError(t, err)
	require.NoError(t, cl.Delete(ctx, b.ID))
	ch, err = cl.ChangesSince(ctx, at4)
	require.NoError(t, err)
	if assert.Len(t, ch.Windows, 1) {
		assert.Equal(t, "c at version 5", ch.Windows[0].Comment)
	}
	assert.Equal(t, []int64{b.ID}, ch.Deleted)
	assert.Equal(t, at4+2, ch.Revision)
}

// TestWindowStore_ChangesSincePrunesTombstones deletes 10 005 windows at
// once: the tombstones of the last 10 000 revisions stay, the store
// answers for the revisions from the oldest of them on, and a revision
// before is unknown.
func TestWindowStore_ChangesSincePrunesTombstones(t *testing.T) {
	ctx := t.Context()
	db := openDB(t, filepath.Join(t.TempDir(), "prune.db"))
	const n = 10_005
	_, err := db.SQL().ExecContext(ctx, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
		INSERT INTO sysmaint_windows (start_ms, stop_ms, comment, show_login_message, validity,
			created_at_ms, changed_at_ms, version)
		SELECT i * 1000, i * 1000 + 500, 'w', 0, 1, 0, 0, 1 FROM k`, n)
	require.NoError(t, err)
	created := revisionOf(t, db)
	require.Equal(t, int64(n), created)
	_, err = db.SQL().ExecContext(ctx, "DELETE FROM sysmaint_windows")
	require.NoError(t, err)
	last := revisionOf(t, db)
	require.Equal(t, int64(2*n), last)

	var tombstones int
	require.NoError(t, db.SQL().GetContext(ctx, &tombstones, "SELECT COUNT(*) FROM sysmaint_window_deletions"))
	assert.Equal(t, 10_000, tombstones)

	cl := db.Windows()
	_, err = cl.ChangesSince(ctx, created)
	assert.ErrorIs(t, err, maintenance.ErrRevisionUnknown, "the tombstones of the first deletions are gone")
	_, err = cl.ChangesSince(ctx, last-10_001)
	assert.ErrorIs(t, err, maintenance.ErrRevisionUnknown)
	ch, err := cl.ChangesSince(ctx, last-10_000)
	require.NoError(t, err)
	assert.Len(t, ch.Deleted, 10_000)
	assert.Equal(t, int64(n-10_000+1), ch.Deleted[0], "the windows deleted after the oldest revision answered for")
	ch, err = cl.ChangesSince(ctx, last-3)
	require.NoError(t, err)
	assert.Equal(t, []int64{n - 2, n - 1, n}, ch.Deleted)
}
