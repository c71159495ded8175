// Package pgstoretest gives tests a PostgreSQL database of their own: a
// fresh schema in the server named by the environment variable
// SYSMAINT_POSTGRES_DSN, dropped when the test ends, so that tests and
// packages run in parallel on one server without seeing each other.
//
//	func TestSomething(t *testing.T) {
//		db := pgstoretest.Open(t, nil) // skips without SYSMAINT_POSTGRES_DSN
//		m := maintenance.New(db.Windows(), nil)
//		...
//	}
//
// Without the variable the tests skip with a message saying how to run
// them; under CI=true they fail instead, so a missing server never passes
// for a green run.
package pgstoretest

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
)

// EnvDSN names the environment variable that holds the DSN of the server
// the tests use, such as "postgres://postgres@127.0.0.1:5432/test".
const EnvDSN = "SYSMAINT_POSTGRES_DSN"

// DSN returns the DSN of the test server. Without one it skips t with a
// message, or fails it when the environment variable CI is "true".
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		msg := EnvDSN + " is not set: the PostgreSQL tests need a server, e.g. " +
			EnvDSN + "=postgres://postgres@127.0.0.1:5432/test"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dsn
}

// Schema returns a fresh schema name for the test server, of a schema that
// does not exist yet ([pgstore.Open] creates it, as may the test), and
// drops the schema with everything in it when t ends.
func Schema(t testing.TB) string {
	t.Helper()
	dsn := DSN(t)
	name := "sysmaint_test_" + strings.ToLower(rand.Text()[:12])
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("pgstoretest: drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("pgstoretest: drop schema %s: %v", name, err)
		}
	})
	return name
}

// Open opens the test server with opts, in a new schema of its own (opts's
// Schema is replaced), and closes it when t ends.
func Open(t testing.TB, opts *pgstore.Options) *pgstore.DB {
	t.Helper()
	var o pgstore.Options
	if opts != nil {
		o = *opts
	}
	o.Schema = Schema(t)
	db, err := pgstore.Open(context.Background(), DSN(t), &o)
	require.NoError(t, err, "pgstore.Open")
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("pgstoretest: %v", err)
		}
	})
	return db
}
