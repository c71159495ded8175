package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/gofrs/flock"
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
)

// migrationFS holds the schema: goose SQL files, one per step, named
// NNNN_description.sql and applied in version order. Adding a step is adding
// a file; applied files must never change.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrSchemaNewer is wrapped by the error [Open] returns for a file whose
// schema a newer build of sysmaint migrated: this build refuses to work on
// it rather than guess what changed.
var ErrSchemaNewer = sqlcore.ErrSchemaNewer

// legacyTable is where builds before goose recorded the applied versions
// (1 and 2, the same steps as goose's 1 and 2). It is read once, to carry
// its versions over to goose's table, and left in place, unchanged.
const legacyTable = "sysmaint_schema_migrations"

// lockForOpen takes an exclusive lock on the file path+".lock" (flock on
// Unix, LockFileEx on Windows) and returns its release: Open holds it from
// the first connection to the last migration, so that processes opening a
// new file at once take turns (the first connection switches a new file
// to WAL, which SQLite may refuse a concurrent twin without waiting on the
// busy timeout) and the second finds everything done; the operating system
// drops the lock of a process that dies. ctx bounds the wait.
func lockForOpen(ctx context.Context, path string) (func(), error) {
	lock := flock.New(path + ".lock")
	ok, err := lock.TryLockContext(ctx, 10*time.Millisecond)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), ctx.Err())
	}
	return func() { _ = lock.Unlock() }, nil
}

// migrate brings the file up to date with the embedded migrations; the
// caller holds the lock of lockForOpen.
func migrate(ctx context.Context, db *sqlx.DB) error {
	if err := adoptLegacy(ctx, db); err != nil {
		return err
	}
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		return err
	}
	return sqlcore.Migrate(ctx, db.DB, goose.DialectSQLite3, sub)
}

// adoptLegacy records in goose's table the versions a build before goose
// recorded in legacyTable, in one transaction, when goose's table does not
// exist yet; goose then applies only the steps that came later.
func adoptLegacy(ctx context.Context, db *sqlx.DB) error {
	var tables []string
	if err := db.SelectContext(ctx, &tables,
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (?, ?)`,
		legacyTable, sqlcore.VersionTable); err != nil {
		return fmt.Errorf("look for the migration tables: %w", err)
	}
	if len(tables) != 1 || tables[0] != legacyTable {
		return nil // a new file, or one goose already keeps
	}
	var versions []int64
	if err := db.SelectContext(ctx, &versions, "SELECT version FROM "+legacyTable+" ORDER BY version"); err != nil {
		return fmt.Errorf("read %s: %w", legacyTable, err)
	}
	store, err := database.NewStore(database.DialectSQLite3, sqlcore.VersionTable)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("adopt %s: %w", legacyTable, err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if err := store.CreateVersionTable(ctx, tx); err != nil {
		return fmt.Errorf("adopt %s: %w", legacyTable, err)
	}
	for _, v := range append([]int64{0}, versions...) {
		if err := store.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return fmt.Errorf("adopt %s: version %d: %w", legacyTable, v, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("adopt %s: %w", legacyTable, err)
	}
	return nil
}
