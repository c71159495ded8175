package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// childEnv names the SQLite file a re-executed test binary writes a window
// to, acting as a second process sharing the store.
const childEnv = "SYSMAINT_TEST_CHILD_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(writeFromChild(path))
	}
	os.Exit(m.Run())
}

// writeFromChild adds one window active at monday to the file at path and
// prints its ID.
func writeFromChild(path string) int {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	m := maintenance.New(db.Windows(), &maintenance.Options{Clock: newMock(), Logger: quiet})
	w, err := m.Add(ctx, window("added by another process", -time.Hour, time.Hour), "child")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(w.ID)
	return 0
}

// TestManager_FollowsOtherProcess checks the propagation target: a window
// added by another process sharing the file is in force after one poll of
// Run (DefaultPollInterval, 500 ms), so within a second.
func TestManager_FollowsOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	mock := newMock()
	m := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	runInBackground(t, m)
	require.Eventually(t, func() bool { return m.Health().Loaded }, 10*time.Second, time.Millisecond, "first load")

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.Output()
	require.NoError(t, err, "child process: %s", out)
	id, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	require.NoError(t, err, "child printed %q", out)

	assert.False(t, m.Status().Active(), "not in force before the next poll")
	mock.Add(maintenance.DefaultPollInterval) // one poll, no more
	require.Eventually(t, func() bool {
		w, ok := m.Status().Window()
		return ok && w.ID == id
	}, 10*time.Second, time.Millisecond, "the window added by the other process is not in force after one poll")
	assert.Equal(t, "added by another process", func() string { w, _ := m.Status().Window(); return w.Comment }())
}
