package maintenance_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestSynctest_Manager is the package documentation's "# Testing" sketch:
// the real clock inside a testing/synctest bubble, time.Sleep to the
// instant a window starts, Run ended by its context.
func TestSynctest_Manager(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		m := maintenance.New(memstore.NewWindowStore(), nil)
		start := time.Now().Add(10 * time.Minute)
		_, err := m.Add(ctx, maintenance.Window{Start: start, Stop: start.Add(time.Hour),
			Comment: "upgrade", Validity: maintenance.Valid}, "admin")
		require.NoError(t, err)
		done := make(chan error)
		go func() { done <- m.Run(ctx) }()

		time.Sleep(time.Until(start) - time.Millisecond)
		assert.False(t, m.Status().Active(), "a millisecond before")
		assert.True(t, start.Equal(m.Status().Next()), "the next change is the start")
		time.Sleep(time.Millisecond)
		assert.True(t, m.Status().Active(), "at its start")
		cancel()
		assert.NoError(t, <-done)
	})
}
