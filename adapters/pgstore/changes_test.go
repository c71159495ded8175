package pgstore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
)

func revisionOf(t *testing.T, db *pgstore.DB) int64 {
	t.Helper()
	r, err := db.Windows().Revision(t.Context())
	require.NoError(t, err)
	return r
}

// TestWindowStore_ChangesAcrossMigration5 takes a schema back to version
// 4 (migration 5's Down), writes there as a build of that version would,
// and opens it again: the schema answers for the changes from the
// revision of the migration on, not before, and the windows written
// before it come back when they change.
func TestWindowStore_ChangesAcrossMigration5(t *testing.T) {
	ctx := t.Context()
	db := pgstoretest.Open(t, nil)
	a, err := db.Windows().Create(ctx, window("a", 0, time.Hour))
	require.NoError(t, err)
	b, err := db.Windows().Create(ctx, window("b", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	c, err := db.Windows().Create(ctx, window("c", 2*time.Hour, 3*time.Hour))
	require.NoError(t, err)

	p, err := goose.NewProvider(goose.DialectPostgres, db.SQL().DB, os.DirFS("migrations"),
		goose.WithTableName(sqlcore.VersionTable), goose.WithDisableGlobalRegistry(true))
	require.NoError(t, err)
	_, err = p.DownTo(ctx, 4)
	require.NoError(t, err, "migration 5 down")
	_, err = db.SQL().ExecContext(ctx, "UPDATE sysmaint_windows SET comment = 'b at version 4', version = version + 1 WHERE id = $1", b.ID)
	require.NoError(t, err)
	_, err = db.SQL().ExecContext(ctx, "DELETE FROM sysmaint_windows WHERE id = $1", a.ID)
	require.NoError(t, err)
	at4 := revisionOf(t, db)
	assert.Equal(t, int64(5), at4, "three creates, an update and a delete")

	again, err := pgstore.Open(ctx, pgstoretest.DSN(t), &pgstore.Options{Schema: db.Schema()}) // migrates up again
	require.NoError(t, err)
	t.Cleanup(func() { _ = again.Close() })
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

// TestWindowStore_OneRevisionPerTransaction: a statement or transaction
// writing many windows takes one revision, which stamps every row and
// keys every tombstone, so its cost grows with the rows and not with
// their square (the revision row is bumped once); the changes after the
// revision before it are all there.
func TestWindowStore_OneRevisionPerTransaction(t *testing.T) {
	ctx := t.Context()
	db := pgstoretest.Open(t, nil)
	const n = 5_000
	before := revisionOf(t, db)
	_, err := db.SQL().ExecContext(ctx, `INSERT INTO sysmaint_windows (start_ms, stop_ms, comment, show_login_message,
			validity, created_at_ms, changed_at_ms, version)
		SELECT i * 1000, i * 1000 + 500, 'w', false, 1, 0, 0, 1 FROM generate_series(1, $1) AS i`, n)
	require.NoError(t, err)
	inserted := revisionOf(t, db)
	assert.Equal(t, before+1, inserted, "one statement, one revision")
	var stamps []int64
	require.NoError(t, db.SQL().SelectContext(ctx, &stamps, "SELECT DISTINCT revision FROM sysmaint_windows"))
	assert.Equal(t, []int64{inserted}, stamps, "every row stamped with it")
	cl := db.Windows()
	ch, err := cl.ChangesSince(ctx, before)
	require.NoError(t, err)
	assert.Len(t, ch.Windows, n)

	// A transaction of several statements: one revision too, and a
	// savepoint rolled back takes its writes back, not the revision.
	tx, err := db.SQL().BeginTxx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "UPDATE sysmaint_windows SET comment = 'changed' WHERE id <= 10")
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "SAVEPOINT s")
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "DELETE FROM sysmaint_windows WHERE id = 11")
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT s")
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "DELETE FROM sysmaint_windows WHERE id > 10 AND id <= 110")
	require.NoError(t, err)
	require.NoError(t, tx.Commit())
	after := revisionOf(t, db)
	assert.Equal(t, inserted+1, after, "one transaction, one revision")
	ch, err = cl.ChangesSince(ctx, inserted)
	require.NoError(t, err)
	assert.Len(t, ch.Windows, 10, "the windows updated")
	assert.Len(t, ch.Deleted, 100, "the windows deleted, each a tombstone under the one revision")
	assert.Equal(t, after, ch.Revision)

	// The next transaction takes the next revision: the setting is the
	// transaction's own.
	w, err := cl.Create(ctx, window("next", 0, time.Hour))
	require.NoError(t, err)
	assert.Equal(t, after+1, revisionOf(t, db))
	ch, err = cl.ChangesSince(ctx, after)
	require.NoError(t, err)
	if assert.Len(t, ch.Windows, 1) {
		assert.Equal(t, w.ID, ch.Windows[0].ID)
	}
}

// TestWindowStore_ChangesSincePrunesTombstones deletes 10 005 windows,
// each in a transaction of its own: the tombstones of the last 10 000
// revisions stay, the store answers for the revisions from the oldest of
// them on, and a revision before is unknown. TRUNCATE, which leaves no
// tombstones, makes every earlier revision unknown.
func TestWindowStore_ChangesSincePrunesTombstones(t *testing.T) {
	ctx := t.Context()
	db := pgstoretest.Open(t, nil)
	const n = 10_005
	_, err := db.SQL().ExecContext(ctx, `INSERT INTO sysmaint_windows (start_ms, stop_ms, comment, show_login_message,
			validity, created_at_ms, changed_at_ms, version)
		SELECT i * 1000, i * 1000 + 500, 'w', false, 1, 0, 0, 1 FROM generate_series(1, $1) AS i`, n)
	require.NoError(t, err)
	created := revisionOf(t, db)
	require.Equal(t, int64(1), created)
	// One transaction per deletion, committed inside one DO block.
	_, err = db.SQL().ExecContext(ctx, `DO $$
		DECLARE w bigint;
		BEGIN
			FOR w IN SELECT id FROM sysmaint_windows ORDER BY id LOOP
				DELETE FROM sysmaint_windows WHERE id = w;
				COMMIT;
			END LOOP;
		END $$`)
	require.NoError(t, err)
	last := revisionOf(t, db)
	require.Equal(t, int64(1+n), last)

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
	ch, err = cl.ChangesSince(ctx, last-3)
	require.NoError(t, err)
	assert.Len(t, ch.Deleted, 3)

	w, err := cl.Create(ctx, window("kept", 0, time.Hour))
	require.NoError(t, err)
	before := revisionOf(t, db)
	_, err = db.SQL().ExecContext(ctx, "TRUNCATE sysmaint_windows")
	require.NoError(t, err)
	_, err = cl.ChangesSince(ctx, before)
	assert.ErrorIs(t, err, maintenance.ErrRevisionUnknown, "TRUNCATE left no tombstone of window %d", w.ID)
	ch, err = cl.ChangesSince(context.Background(), revisionOf(t, db))
	require.NoError(t, err)
	assert.Empty(t, ch.Deleted)
}
