// Package proptest measures how fast a change made by one process is in
// force in others sharing the same store: the propagation figure of the
// SQLite (polled) and PostgreSQL (pushed) stores, measured the same way.
//
// The test binary is its own child: TestMain calls [Child] when the
// environment variable [EnvChild] is set, and a test calls [Measure],
// which re-executes the binary as reader processes.
package proptest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// EnvChild is set in the environment of a reader process; its value is
// for the test's TestMain to open the store with (a path, a schema).
const EnvChild = "SYSMAINT_PROPTEST_CHILD"

// Child follows store with a Manager on the real clock and default options
// until its standard input closes: it prints "ready" once the first load
// is done (and, with a store that pushes, once it listens), then
// "<windows> <unix nanoseconds>" each time the schedule in force changes.
// It returns the exit code.
func Child(store maintenance.Store) int {
	m := maintenance.New(store, &maintenance.Options{Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); cancel() }()
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	_, push := store.(maintenance.ChangeNotifier)
	for !m.Health().Loaded || (push && !m.Health().Pushing) {
		select {
		case <-ctx.Done():
			return 1
		case <-time.After(time.Millisecond):
		}
	}
	fmt.Println("ready")
	for {
		ch := m.Changed()
		select {
		case <-ctx.Done():
			<-done
			return 0
		case <-ch:
			fmt.Println(m.Schedule().Len(), time.Now().UnixNano())
		}
	}
}

// StartChild runs the test binary again as another process, with env
// (NAME=value pairs) added to its environment for its TestMain to act on
// and no test to run, and returns its standard input and a scanner of its
// standard output. When t ends its input is closed and it is waited for;
// an exit code other than 0 fails t.
func StartChild(t *testing.T, env ...string) (io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("proptest: child process: %v", err)
		}
	})
	return stdin, bufio.NewScanner(stdout)
}

// Result is what [Measure] found: one latency per change and reader, from
// the moment the writer began the write (so the write's own time counts)
// to the moment the reader's schedule held the change, both read from the
// machine's wall clock.
type Result struct {
	Latencies []time.Duration // sorted
}

// Quantile returns the q-quantile (0 to 1) of the latencies, nearest rank.
func (r Result) Quantile(q float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(r.Latencies))+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// String returns "n=200 p50=… p99=… max=…".
func (r Result) String() string {
	return fmt.Sprintf("n=%d p50=%v p99=%v max=%v", len(r.Latencies),
		r.Quantile(0.5).Round(10*time.Microsecond), r.Quantile(0.99).Round(10*time.Microsecond),
		r.Quantile(1).Round(10*time.Microsecond))
}

// Measure starts readers re-executions of the test binary with EnvChild
// set to child, waits until each is ready, then adds changes windows
// through writer, one at a time, each after every reader saw the one
// before, and returns the latencies. The window i is valid and lies in the
// future, so every reader's schedule grows by one with each.
func Measure(t *testing.T, child string, writer *maintenance.Manager, readers, changes int) Result {
	t.Helper()
	type seen struct {
		reader, windows int
		at              time.Time
	}
	lines := make(chan seen, 64)
	for r := range readers {
		_, sc := StartChild(t, EnvChild+"="+child)
		go func() {
			for sc.Scan() {
				if sc.Text() == "ready" {
					lines <- seen{reader: r, windows: -1}
					continue
				}
				f := strings.Fields(sc.Text())
				if len(f) != 2 {
					continue
				}
				n, err1 := strconv.Atoi(f[0])
				ns, err2 := strconv.ParseInt(f[1], 10, 64)
				if err1 == nil && err2 == nil {
					lines <- seen{reader: r, windows: n, at: time.Unix(0, ns)}
				}
			}
		}()
	}
	// wait returns, for every reader, the first line for which ok holds.
	wait := func(what string, ok func(seen) bool) []seen {
		t.Helper()
		got := make([]seen, 0, readers)
		have := make([]bool, readers)
		deadline := time.After(30 * time.Second)
		for len(got) < readers {
			select {
			case s := <-lines:
				if !have[s.reader] && ok(s) {
					have[s.reader] = true
					got = append(got, s)
				}
			case <-deadline:
				t.Fatalf("proptest: %s: %d of %d readers after 30 s", what, len(got), readers)
			}
		}
		return got
	}
	wait("ready", func(s seen) bool { return s.windows < 0 })

	base := writer.Clock().Now().Add(24 * time.Hour)
	var res Result
	for i := 1; i <= changes; i++ {
		start := base.Add(time.Duration(i) * time.Hour)
		began := time.Now()
		_, err := writer.Add(context.Background(), maintenance.Window{
			Start: start, Stop: start.Add(30 * time.Minute), Comment: fmt.Sprintf("change %d", i),
			Validity: maintenance.Valid,
		}, "proptest")
		require.NoError(t, err)
		for _, s := range wait(fmt.Sprintf("change %d", i), func(s seen) bool { return s.windows >= i }) {
			res.Latencies = append(res.Latencies, s.at.Sub(began))
		}
	}
	slices.Sort(res.Latencies)
	return res
}
