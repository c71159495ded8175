package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/proptest"
	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestMain(m *testing.M) {
	if schema := os.Getenv(proptest.EnvChild); schema != "" {
		os.Exit(childFollow(schema))
	}
	if name := os.Getenv(envRelayChild); name != "" {
		os.Exit(relayChild(name)) // an instance of TestRelay_ThreeProcessesEachEventOnce
	}
	os.Exit(m.Run())
}

// childFollow is a reader process of TestPropagation: it follows the
// windows of schema.
func childFollow(schema string) int {
	db, err := pgstore.Open(context.Background(), os.Getenv(pgstoretest.EnvDSN), &pgstore.Options{Schema: schema})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	return proptest.Child(db.Windows())
}

// TestPropagation measures how fast a window added by one instance is in
// force in two others, three processes on one database, pushed by
// LISTEN/NOTIFY (the target: p99 <= 50 ms). It prints the figure:
//
//	go test -run Propagation -v ./adapters/pgstore/
func TestPropagation(t *testing.T) {
	db := pgstoretest.Open(t, nil)
	writer := maintenance.New(db.Windows(), &maintenance.Options{Logger: quiet})
	require.NoError(t, writer.Refresh(t.Context()))
	res := proptest.Measure(t, db.Schema(), writer, 2, 100)
	t.Logf("PostgreSQL, pushed, 3 processes, 100 changes × 2 readers: %s", res)
}
