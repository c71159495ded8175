package sqlstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/proptest"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// childEnv names the SQLite file a re-executed test binary writes windows
// to, acting as a second process sharing the store.
const childEnv = "SYSMAINT_TEST_CHILD_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(writeFromChild(path))
	}
	if path := os.Getenv(proptest.EnvChild); path != "" {
		os.Exit(followFromChild(path))
	}
	os.Exit(m.Run())
}

// followFromChild is a reader process of TestPropagation: it follows the
// windows of the file at path.
func followFromChild(path string) int {
	db, err := sqlstore.Open(context.Background(), path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	return proptest.Child(db.Windows())
}

// TestPropagation measures how fast a window added by one process is in
// force in two others sharing the file, three processes in all, found by
// Run's poll (DefaultPollInterval, 500 ms): the figure to read beside
// pgstore's pushed one. The writer writes as soon as the readers saw the
// previous change, just after their poll, so each change waits a whole
// poll interval: the figure is the worst case. It prints it:
//
//	go test -run Propagation -v ./adapters/sqlstore/
func TestPropagation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	writer := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Logger: quiet})
	require.NoError(t, writer.Refresh(t.Context()))
	res := proptest.Measure(t, path, writer, 2, 20)
	t.Logf("SQLite, polled every %v, 3 processes, 20 changes × 2 readers: %s", maintenance.DefaultPollInterval, res)
}

// writeFromChild opens the file at path and, for every line read from
// stdin, adds one window active at monday and prints its ID, until stdin
// ends.
func writeFromChild(path string) int {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	m := maintenance.New(db.Windows(), &maintenance.Options{Clock: newMock(), Logger: quiet})
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		w, err := m.Add(ctx, window("added by another process", -time.Hour, time.Hour), "child")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(w.ID)
	}
	return 0
}

// TestManager_FollowsOtherProcess checks the propagation target and
// measures it: a window added by another process sharing the file is in
// force after one poll of Run (DefaultPollInterval, 500 ms), so within a
// second. The mock clock stands in for the wait for the poll; the test
// times, by the real clock, the rest: from the poll to the window in force
// (the revision read, the reload and the compile), over several windows
// added one after the other by the other process. It logs p50 and max and
// asserts no time; run it with -v to see them.
func TestManager_FollowsOtherProcess(t *testing.T) {
	const changes = 9
	path := filepath.Join(t.TempDir(), "shared.db")
	mock := newMock()
	m := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	runInBackground(t, m)
	require.Eventually(t, func() bool { return m.Health().Loaded }, 10*time.Second, time.Millisecond, "first load")

	add := startChild(t, path)
	inForce := func(id int64) bool {
		return slices.ContainsFunc(m.Schedule().Windows(), func(w maintenance.Window) bool { return w.ID == id })
	}
	took := make([]time.Duration, 0, changes)
	for i := range changes {
		id := add()
		assert.False(t, inForce(id), "window %d in force before the next poll", i)

		// The schedule's replacement is timed by a goroutine waiting on
		// Changed, not after mock.Add returns: Add sleeps a millisecond to
		// let the timers' goroutines run.
		ch := m.Changed()
		replaced := make(chan time.Time, 1)
		go func() { <-ch; replaced <- time.Now() }()
		polled := time.Now()
		mock.Add(maintenance.DefaultPollInterval) // one poll, no more
		select {
		case at := <-replaced:
			took = append(took, at.Sub(polled))
		case <-time.After(10 * time.Second):
			t.Fatalf("window %d: the schedule was not replaced after one poll", i)
		}
		require.True(t, inForce(id), "window %d added by the other process is not in force after one poll", i)
	}
	w, ok := m.Status().Window()
	require.True(t, ok)
	assert.Equal(t, "added by another process", w.Comment)

	slices.Sort(took)
	t.Logf("a window added by another process is in force at the first poll after its commit (PollInterval %v); "+
		"from the poll to the window in force, over %d windows: p50 %v, max %v",
		maintenance.DefaultPollInterval, changes,
		took[len(took)/2].Round(time.Microsecond), took[len(took)-1].Round(time.Microsecond))
}

// startChild runs the test binary as another process sharing the file at
// path, stopped when t ends. Each call of the function returned makes it
// add one window, and returns the window's ID once it is committed.
func startChild(t *testing.T, path string) func() int64 {
	t.Helper()
	stdin, out := proptest.StartChild(t, childEnv+"="+path)
	return func() int64 {
		t.Helper()
		_, err := fmt.Fprintln(stdin)
		require.NoError(t, err)
		require.True(t, out.Scan(), "the child process printed no ID: %v", out.Err())
		id, err := strconv.ParseInt(strings.TrimSpace(out.Text()), 10, 64)
		require.NoError(t, err, "child printed %q", out.Text())
		return id
	}
}
