package pgstore_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
)

// proxy forwards TCP connections to the test server, and can cut them all
// (a server restart, a network cut) or refuse new ones (the server down),
// without touching the server the other tests use.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
}

// startProxy returns a running proxy to the host of dsn, and dsn rewritten
// to go through it.
func startProxy(t *testing.T, dsn string) (*proxy, string) {
	t.Helper()
	u, err := url.Parse(dsn)
	require.NoError(t, err, "the fault tests need a URL DSN")
	p := &proxy{t: t, target: u.Host, conns: map[net.Conn]struct{}{}}
	p.start()
	t.Cleanup(p.stop)
	u.Host = p.addr
	return p, u.String()
}

// start listens (again, on the same address after stop) and forwards.
func (p *proxy) start() {
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	require.NoError(p.t, err)
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *proxy) forward(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = struct{}{}, struct{}{}
	p.mu.Unlock()
	go func() { _, _ = io.Copy(s, c); _ = s.Close() }()
	_, _ = io.Copy(c, s)
	_ = c.Close()
}

// cut closes every forwarded connection and keeps listening.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// stop cuts every connection and refuses new ones until start.
func (p *proxy) stop() {
	p.mu.Lock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.mu.Unlock()
	p.cut()
}

func TestNew_DatabaseDownAtStart(t *testing.T) {
	p, dsn := startProxy(t, pgstoretest.DSN(t))
	schema := pgstoretest.Schema(t)
	p.stop()

	db, err := pgstore.New(dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err, "New does no I/O")
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	m := maintenance.New(db.Windows(), &maintenance.Options{Clock: newMock(), Logger: quiet})
	require.Error(t, m.Refresh(t.Context()), "the server is down")
	h := m.Health()
	assert.False(t, h.Loaded)
	assert.Error(t, h.Err)
	_, err = m.Add(t.Context(), window("while down", -time.Hour, time.Hour), "alice")
	require.Error(t, err, "a write while the server is down")

	p.start()
	require.NoError(t, m.Refresh(t.Context()), "the first refresh after the server came up creates the schema")
	_, err = m.Add(t.Context(), window("up", -time.Hour, time.Hour), "alice")
	require.NoError(t, err)
	require.True(t, m.Status().Active())

	// Down again: the last good schedule stays in force.
	p.stop()
	require.Error(t, m.Refresh(t.Context()))
	assert.True(t, m.Status().Active(), "the active window vanished with the server")
	assert.Error(t, m.Health().Err)
	p.start()
	require.NoError(t, m.Refresh(t.Context()))
	assert.NoError(t, m.Health().Err)
}

// TestManager_HealsAfterServerRestart: every connection of an instance is
// cut, as by a server restart; its listener reconnects, its pool replaces
// the dead connections, and no change made meanwhile is missed.
func TestManager_HealsAfterServerRestart(t *testing.T) {
	direct := pgstoretest.Open(t, nil)
	p, dsn := startProxy(t, pgstoretest.DSN(t))
	viaProxy, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: direct.Schema()})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, viaProxy.Close()) })

	opts := &maintenance.Options{Clock: newMock(), Logger: quiet, PollInterval: time.Hour, ResyncInterval: time.Hour}
	writer := maintenance.New(direct.Windows(), opts)
	reader := maintenance.New(viaProxy.Windows(), opts)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- reader.Run(ctx) }()
	require.Eventually(t, func() bool { return reader.Health().Pushing }, 5*time.Second, time.Millisecond)
	// Use the pool, so it holds connections to be cut.
	_, err = reader.List(ctx)
	require.NoError(t, err)

	p.cut()
	_, err = writer.Add(ctx, window("added during the restart", -time.Hour, time.Hour), "alice")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return reader.Status().Active() }, 10*time.Second, time.Millisecond,
		"the change made while the connections were cut was missed")
	require.Eventually(t, func() bool {
		_, err := reader.Add(ctx, window("written after the restart", time.Hour, 2*time.Hour), "bob")
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "the pool did not heal")
	require.Eventually(t, func() bool { return reader.Health().Pushing && reader.Health().Err == nil },
		5*time.Second, time.Millisecond)

	cancel()
	require.NoError(t, <-done)
}

func TestWindowStore_StatementTimeout(t *testing.T) {
	base := pgstoretest.Open(t, nil)
	db, err := pgstore.Open(t.Context(), pgstoretest.DSN(t), &pgstore.Options{Schema: base.Schema(), StatementTimeout: 200 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	ctx := t.Context()
	w, err := db.Windows().Create(ctx, window("locked", time.Hour, 2*time.Hour))
	require.NoError(t, err)

	// Another transaction holds the row.
	tx, err := base.SQL().BeginTxx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "SELECT 1 FROM sysmaint_windows WHERE id = $1 FOR UPDATE", w.ID)
	require.NoError(t, err)

	changed := w
	changed.Comment = "changed"
	_, err = db.Windows().Update(ctx, changed)
	require.Error(t, err, "the update waited past the statement timeout")
	assert.NotErrorIs(t, err, maintenance.ErrConflict)
	require.NoError(t, tx.Rollback())

	got, err := db.Windows().Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got, "the timed-out update wrote something")
	stored, err := db.Windows().Update(ctx, changed)
	require.NoError(t, err, "the store works once the lock is gone")
	assert.Equal(t, int64(2), stored.Version)
}

// TestWindowStore_ConcurrentWriters: sixteen writers update one window from
// the version each read, again and again; every update that was
// acknowledged is counted in the final version, every other one was
// refused as a conflict: no lost update.
func TestWindowStore_ConcurrentWriters(t *testing.T) {
	s := pgstoretest.Open(t, nil).Windows()
	ctx := t.Context()
	w, err := s.Create(ctx, window("contended", time.Hour, 2*time.Hour))
	require.NoError(t, err)

	var ok, conflicts atomic.Int64
	var g errgroup.Group
	for i := range 16 {
		g.Go(func() error {
			for range 20 {
				cur, err := s.Get(ctx, w.ID)
				if err != nil {
					return err
				}
				cur.Comment = "writer " + string(rune('a'+i))
				_, err = s.Update(ctx, cur)
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, maintenance.ErrConflict):
					conflicts.Add(1)
				default:
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	final, err := s.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, 1+ok.Load(), final.Version, "an acknowledged update was lost")
	assert.Equal(t, int64(16*20), ok.Load()+conflicts.Load())
	t.Logf("16 writers × 20 updates: %d applied, %d refused as conflicts", ok.Load(), conflicts.Load())
}
