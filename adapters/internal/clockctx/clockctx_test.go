package clockctx_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"

	"github.com/sysmaint/sysmaint/adapters/internal/clockctx"
)

// TestWithTimeout asks Err while the mock's time passes the deadline: with
// the mock's own context the race detector reports the unguarded read.
func TestWithTimeout(t *testing.T) {
	for range 50 {
		mock := clock.NewMock()
		ctx, cancel := clockctx.WithTimeout(mock, context.Background(), time.Second)
		var wg sync.WaitGroup
		wg.Go(func() {
			for ctx.Err() == nil {
			}
		})
		mock.Add(2 * time.Second)
		wg.Wait()
		assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
		cancel()
	}
	ctx, cancel := clockctx.WithTimeout(clock.NewMock(), context.Background(), time.Hour)
	assert.NoError(t, ctx.Err())
	cancel()
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
}
