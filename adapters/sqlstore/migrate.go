package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// migrationFS holds the schema: one file per step, named
// NNNN_description.sql, applied in version order. Adding a step is adding a
// file; applied files must never change.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationsTable records the applied versions. It is not called
// schema_migrations because the host may keep its own tables in the same
// file, and popular migration tools (golang-migrate, Rails, goose's
// variants) use that name with other columns and other version numbers.
const migrationsTable = "sysmaint_schema_migrations"

type migration struct {
	version int64
	name    string
	sql     string
}

// loadMigrations reads migrations/*.sql from fsys, sorted by version. The
// version is the number before the first underscore of the file name.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: migration %s: name does not start with a positive version and an underscore", base)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("sqlstore: migrations %s and %s have the same version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrate applies the migrations of fsys that db has not recorded yet, in
// version order, each in a transaction of its own together with its record,
// so a failed step leaves nothing behind and a repeated call applies
// nothing twice. Versions recorded in db but unknown to fsys (written by a
// newer build) are left alone.
func migrate(ctx context.Context, db *sqlx.DB, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx,
		"CREATE TABLE IF NOT EXISTS "+migrationsTable+" (version INTEGER PRIMARY KEY)"); err != nil {
		return fmt.Errorf("sqlstore: create %s: %w", migrationsTable, err)
	}
	var applied []int64
	if err := db.SelectContext(ctx, &applied, "SELECT version FROM "+migrationsTable); err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", migrationsTable, err)
	}
	for _, m := range ms {
		if slices.Contains(applied, m.version) {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
	}
	return nil
}

// apply runs one migration and records it, in one transaction. The check
// is repeated inside the transaction (which holds the write lock from its
// start: the DSN asks for BEGIN IMMEDIATE), so two processes opening a new
// file at once apply each step once.
func apply(ctx context.Context, db *sqlx.DB, m migration) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var v int64
	err = tx.GetContext(ctx, &v, db.Rebind("SELECT version FROM "+migrationsTable+" WHERE version = ?"), m.version)
	switch {
	case err == nil:
		return tx.Rollback() // applied meanwhile by another process
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err = tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, db.Rebind("INSERT INTO "+migrationsTable+" (version) VALUES (?)"), m.version); err != nil {
		return err
	}
	return tx.Commit()
}
