package sqlcore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// VersionTable is goose's table of applied schema versions, under a name of
// sysmaint's own, so that a host using goose for its own tables in the same
// database keeps its goose_db_version to itself.
const VersionTable = "sysmaint_goose_db_version"

// ErrSchemaNewer means the database holds schema versions this build does
// not know: a newer build migrated it. The stores refuse to work on it
// rather than guess what changed.
var ErrSchemaNewer = errors.New("database schema is newer than this build of sysmaint")

// Migrate applies the migrations of fsys (goose SQL files named
// NNNN_description.sql at its root) that db has not recorded in
// VersionTable, in version order, each in a transaction of its own
// together with its record. The caller serializes Migrate among processes
// (a file lock, an advisory lock): goose applies each step once only when
// no other migrator runs at the same time.
//
// A database that records a version above the highest in fsys gives an
// error wrapping ErrSchemaNewer and is left as it is.
func Migrate(ctx context.Context, db *sql.DB, dialect goose.Dialect, fsys fs.FS) error {
	p, err := goose.NewProvider(dialect, db, fsys,
		goose.WithTableName(VersionTable),
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// Not p.Close: it would close db, which belongs to the caller.
	var known int64 // the highest version of fsys
	for _, src := range p.ListSources() {
		known = max(known, src.Version)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if current > known {
		return fmt.Errorf("%w: the database is at version %d, this build knows versions up to %d; upgrade sysmaint",
			ErrSchemaNewer, current, known)
	}
	return nil
}
