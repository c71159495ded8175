package delivery_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/notify"
)

// counter counts its calls by event ID and fails while fail is set.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
	fail  error
}

func (c *counter) Notify(_ context.Context, e notify.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[e.ID()]++
	return c.fail
}

func (c *counter) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[id]
}

func (c *counter) setFail(err error) {
	c.mu.Lock()
	c.fail = err
	c.mu.Unlock()
}

// A retried event reaches only the Notifiers that failed it.
func TestFanout_RetryReachesOnlyTheFailed(t *testing.T) {
	chat, hook := &counter{}, &counter{fail: errors.New("webhook: answered 503")}
	f := delivery.NewFanout(chat, hook)
	e := sendtest.Event(notify.EventStarted)

	err := f.Notify(context.Background(), e)
	require.Error(t, err)
	assert.NotErrorIs(t, err, notify.ErrPermanent, "the webhook may take it later")
	hook.setFail(nil)
	require.NoError(t, f.Notify(context.Background(), e)) // Relay's retry
	assert.Equal(t, 1, chat.count(e.ID()), "the chat is not posted twice")
	assert.Equal(t, 2, hook.count(e.ID()))

	// Once every Notifier took it, the event is forgotten: a new Notify
	// (another event with the same ID cannot come) reaches all again.
	require.NoError(t, f.Notify(context.Background(), e))
	assert.Equal(t, 2, chat.count(e.ID()))
}

// A Notifier that fails for good is not tried again; the failure is
// permanent when nothing else is left to retry.
func TestFanout_Permanent(t *testing.T) {
	chat, hook := &counter{}, &counter{fail: notify.Permanent(errors.New("webhook: answered 410 Gone"))}
	f := delivery.NewFanout(chat, hook)
	e := sendtest.Event(notify.EventEnded)
	err := f.Notify(context.Background(), e)
	require.ErrorIs(t, err, notify.ErrPermanent)
	require.NoError(t, f.Notify(context.Background(), e), "a retry finds nothing left to do")
	assert.Equal(t, 1, hook.count(e.ID()))
	assert.Equal(t, 1, chat.count(e.ID()))

	// A temporary failure beside a permanent one: temporary.
	chat.setFail(errors.New("chat: answered 500"))
	e2 := sendtest.Event(notify.EventReminder)
	err = f.Notify(context.Background(), e2)
	require.Error(t, err)
	assert.NotErrorIs(t, err, notify.ErrPermanent)
	chat.setFail(nil)
	require.NoError(t, f.Notify(context.Background(), e2))
	assert.Equal(t, 1, hook.count(e2.ID()), "the gone webhook is not tried again")
	assert.Equal(t, 2, chat.count(e2.ID()))
}

func TestFanout_Concurrent(t *testing.T) {
	a, b := &counter{}, &counter{}
	f := delivery.NewFanout(a, b)
	var wg sync.WaitGroup
	for _, e := range events(50) {
		wg.Go(func() { assert.NoError(t, f.Notify(context.Background(), e)) })
	}
	wg.Wait()
	for _, e := range events(50) {
		assert.Equal(t, 1, a.count(e.ID()))
		assert.Equal(t, 1, b.count(e.ID()))
	}
	assert.PanicsWithValue(t, "delivery: NewFanout called with a nil Notifier (2)", func() { delivery.NewFanout(a, nil) })
}
