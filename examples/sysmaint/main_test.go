package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// envRunMain makes the test binary run the tool's main instead of the
// tests: the tests run the tool as a separate process, with real command
// lines, environment and exit codes (and, under -race, race-checked).
const envRunMain = "SYSMAINT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// t0 is the instant the tests start at: 10:00 in Europe/Berlin (CET).
var t0 = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

// testToken is the API's bearer token in the tests; it names the actor
// "ops", as --actor ops does with --db.
const testToken = "test-token"

// result is what one run of the tool did.
type result struct {
	stdout, stderr string
	code           int
}

// exe returns the path of the test binary, which runs the tool when
// envRunMain is set.
func exe(t testing.TB) string {
	t.Helper()
	path, err := os.Executable()
	require.NoError(t, err)
	return path
}

// baseEnv is the environment of the tool in the tests: this process's,
// without any SYSMAINT_ variable of the developer's shell, with the local
// zone set to Europe/Berlin. Under -race the tool does not wait the race
// detector's default second before it exits (it still reports races).
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SYSMAINT_") && !strings.HasPrefix(kv, "TZ=") && !strings.HasPrefix(kv, "GORACE=") {
			env = append(env, kv)
		}
	}
	return append(env, envRunMain+"=1", "TZ=Europe/Berlin", "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
}

// runTool runs the tool with args and the extra environment env.
func runTool(t testing.TB, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(exe(t), args...)
	cmd.Env = append(baseEnv(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err, "run %v", args)
	}
	return result{stdout.String(), stderr.String(), code}
}

// target is a place the tool works on: a database or an API.
type target struct {
	name  string
	flags []string                 // the global flags that name it
	env   []string                 // its environment (the token)
	set   func(now time.Time)      // sets the server's clock (API), or nothing
	store func() maintenance.Store // the windows, for checks
}

// run runs the tool on tg at the instant now.
func (tg target) run(t testing.TB, now time.Time, args ...string) result {
	t.Helper()
	tg.set(now)
	env := append([]string{envNow + "=" + httpapi.FormatInstant(now)}, tg.env...)
	return runTool(t, env, append(append([]string{}, tg.flags...), args...)...)
}

// sqliteTarget is a new SQLite file, with its tables, as the host leaves it.
func sqliteTarget(t testing.TB) target {
	t.Helper()
	path := filepath.Join(t.TempDir(), "helpdesk.db")
	db, err := sqlstore.Open(context.Background(), path, nil)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return target{name: "sqlite", flags: []string{"--db", path, "--actor", "ops"},
		set: func(time.Time) {}, store: func() maintenance.Store { return db.Windows() }}
}

// postgresTarget is a new PostgreSQL schema with its tables (skipped
// without SYSMAINT_POSTGRES_DSN, failed under CI=true).
func postgresTarget(t testing.TB) target {
	t.Helper()
	db := pgstoretest.Open(t, nil)
	return target{name: "postgres", flags: []string{"--db", pgstoretest.DSN(t), "--schema", db.Schema(), "--actor", "ops"},
		set: func(time.Time) {}, store: func() maintenance.Store { return db.Windows() }}
}

// apiTarget is the API over a memory store, served by httptest under
// /api, with a mock clock the tool's runs set.
func apiTarget(t testing.TB) target {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(t0)
	store := memstore.NewWindowStore()
	m := maintenance.New(store, &maintenance.Options{Clock: mock})
	require.NoError(t, m.Refresh(context.Background()))
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", httpapi.New(m, httpapi.BearerTokens(map[string]string{testToken: "ops"}), &httpapi.Options{BasePath: "/api"})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return target{name: "api", flags: []string{"--api", srv.URL + "/api"}, env: []string{envToken + "=" + testToken},
		set: mock.Set, store: func() maintenance.Store { return store }}
}

// targets returns a fresh target of each kind; PostgreSQL is left out,
// with the reason logged, when no server is configured outside CI.
func targets(t *testing.T) []target {
	t.Helper()
	out := []target{sqliteTarget(t), apiTarget(t)}
	if os.Getenv(pgstoretest.EnvDSN) == "" && os.Getenv("CI") != "true" {
		t.Logf("PostgreSQL left out: %s is not set (e.g. %s=postgres://postgres@127.0.0.1:5432/test)", pgstoretest.EnvDSN, pgstoretest.EnvDSN)
		return out
	}
	return append(out, postgresTarget(t))
}

// windows returns every window of tg's store.
func (tg target) windows(t testing.TB) []maintenance.Window {
	t.Helper()
	ws, err := tg.store().List(context.Background())
	require.NoError(t, err)
	return ws
}
