package main

import (
	"context"
	"io"
	"strings"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// isPostgres reports whether the -db value names a PostgreSQL database
// rather than a SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openDatabase opens the database named by db: a postgres:// URL, whose
// sysmaint and helpdesk tables live in schema, or else the path of a
// SQLite file (created if missing).
func openDatabase(ctx context.Context, db, schema string) (app.Database, io.Closer, error) {
	if isPostgres(db) {
		pg, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: schema})
		if err != nil {
			return app.Database{}, nil, err
		}
		return app.Postgres(pg), pg, nil
	}
	lite, err := sqlstore.Open(ctx, db, nil)
	if err != nil {
		return app.Database{}, nil, err
	}
	return app.SQLite(lite), lite, nil
}
