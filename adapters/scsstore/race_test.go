package scsstore_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/scsstore"
)

// TestGuard_KilledSessionStaysDead is the race the naive bridge lost: a
// request of bob's session is in flight when the session is killed, and
// changes the session afterwards, so scs writes it back to the store at
// the end of the request. The session must stay dead: not listed, and
// refused at its next request. No sleeps: the request waits on a channel
// while the kill happens.
func TestGuard_KilledSessionStaysDead(t *testing.T) {
	kills := []struct {
		name string
		kill func(t *testing.T, in *instance, bob, root string)
		// rootStays says whether the admin's session survives the kill.
		rootStays bool
	}{
		{"kill one", func(t *testing.T, in *instance, bob, _ string) {
			require.NoError(t, in.sessions.Kill(context.Background(), scsstore.ID(bob)))
		}, true},
		{"kill all except own", func(t *testing.T, in *instance, _, root string) {
			n, err := in.sessions.KillAllExcept(context.Background(), scsstore.ID(root))
			require.NoError(t, err)
			assert.Equal(t, 2, n, "bob and carol")
		}, true},
		{"end non-admin", func(t *testing.T, in *instance, _, _ string) {
			n, err := in.sessions.EndNonAdmin(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 2, n, "bob and carol")
		}, true},
		{"logout in another request", func(t *testing.T, in *instance, bob, _ string) {
			res := in.do(http.MethodPost, "/logout", bob)
			require.Equal(t, http.StatusOK, res.StatusCode)
		}, true},
	}
	for _, b := range backends {
		for _, k := range kills {
			t.Run(b.name+"/"+k.name, func(t *testing.T) {
				store := b.open(t)
				mock := clock.NewMock()
				mock.Set(day)
				in := newInstance(t, store, mock)
				root := in.login(t, "user=root&admin=1")
				bob := in.login(t, "user=bob")
				in.login(t, "user=carol&customer=1")

				done := make(chan string)
				go func() { done <- body(in.do(http.MethodGet, "/slow", bob)) }()
				<-in.entered // bob's request has passed the guard and holds his session

				k.kill(t, in, bob, root)
				require.False(t, stored(t, store, scsstore.ID(bob)), "the kill removed bob's data")
				close(in.release)
				require.Equal(t, "done", <-done)
				require.True(t, stored(t, store, scsstore.ID(bob)), "the request in flight wrote bob's session back: the race happened")

				assert.NotContains(t, listed(t, in), "bob", "a killed session is listed again")
				c, err := in.sessions.Counts(context.Background())
				require.NoError(t, err)
				assert.Equal(t, len(listed(t, in)), c.All)
				assert.Equal(t, "anonymous", in.whoami(t, bob), "a killed session is let in again")
				assert.False(t, stored(t, store, scsstore.ID(bob)), "the guard removed the data written back")
				assert.Equal(t, "anonymous", in.whoami(t, bob), "second request")
				if k.rootStays {
					assert.Equal(t, "root", in.whoami(t, root))
				}
			})
		}
	}
}

// TestGuard_KillAllExceptAcrossInstances: scs has no bulk delete, so an
// instance that kills all sessions but its admin's removes their data one
// by one; here its first delete is held up (as by a slow store, or a
// process that dies there), so every session's data is still in the
// store. Another instance must refuse those sessions anyway, at their
// first request once its copy of the kill record is older than
// Options.Refresh (the documented bound), whatever the store.
func TestGuard_KillAllExceptAcrossInstances(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			g := newGate(b.open(t))
			mock := clock.NewMock()
			mock.Set(day)
			a, other := newInstance(t, g, mock), newInstance(t, g, mock)
			root := a.login(t, "user=root&admin=1")
			bob := other.login(t, "user=bob")
			carol := other.login(t, "user=carol&customer=1")
			require.Equal(t, "bob", other.whoami(t, bob), "the other instance has read the kill record")

			resume := g.holdNextDelete()
			defer resume()
			killed := make(chan int)
			go func() {
				n, err := a.sessions.KillAllExcept(context.Background(), scsstore.ID(root))
				assert.NoError(t, err)
				killed <- n
			}()
			<-g.deleting // the kill record is written; no session's data is removed yet
			require.True(t, stored(t, g, scsstore.ID(bob)))
			require.True(t, stored(t, g, scsstore.ID(carol)))

			assert.Equal(t, "carol", other.whoami(t, carol), "within Refresh, the other instance may still use its copy")
			mock.Add(scsstore.DefaultRefresh)
			assert.Equal(t, "anonymous", other.whoami(t, carol), "a killed session is let in by another instance")
			assert.Equal(t, "anonymous", other.whoami(t, bob), "a killed session is let in by another instance")
			assert.Equal(t, "root", other.whoami(t, root), "the own session is kept")
			assert.Equal(t, []string{"root"}, listed(t, other))

			resume()
			assert.Equal(t, 2, <-killed)
			assert.Equal(t, []string{"root"}, listed(t, a))
		})
	}
}
