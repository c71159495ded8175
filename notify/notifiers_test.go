package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/notify"
)

func TestNotifiers_Notify(t *testing.T) {
	errA, errC := errors.New("a failed"), errors.New("c failed")
	tests := []struct {
		name     string
		fail     map[string]error // by notifier name
		wantErrs []error
	}{
		{"all succeed", nil, nil},
		{"first fails", map[string]error{"a": errA}, []error{errA}},
		{"two fail", map[string]error{"a": errA, "c": errC}, []error{errA, errC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var called []string
			e := notify.Event{Kind: notify.EventStarted, At: now}
			notifier := func(name string) notify.Notifier {
				return notify.NotifierFunc(func(_ context.Context, got notify.Event) error {
					assert.Equal(t, e, got)
					called = append(called, name)
					return tt.fail[name]
				})
			}
			ns := notify.Notifiers{notifier("a"), notifier("b"), notifier("c")}

			err := ns.Notify(context.Background(), e)
			assert.Equal(t, []string{"a", "b", "c"}, called, "every notifier, in order, also after a failure")
			if tt.wantErrs == nil {
				assert.NoError(t, err)
			}
			for _, want := range tt.wantErrs {
				assert.ErrorIs(t, err, want)
			}
		})
	}

	t.Run("empty", func(t *testing.T) {
		assert.NoError(t, notify.Notifiers(nil).Notify(context.Background(), notify.Event{}))
	})
}

func TestNotifiers_ContextPassedOn(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	var got []any
	n := notify.NotifierFunc(func(ctx context.Context, _ notify.Event) error {
		got = append(got, ctx.Value(key{}))
		return nil
	})
	require.NoError(t, notify.Notifiers{n, n}.Notify(ctx, notify.Event{}))
	assert.Equal(t, []any{"v", "v"}, got)
}

// Watch hands every event to each of its Notifiers, and stops at the
// joined error of those that fail, after all were called.
func TestWatch_Notifiers(t *testing.T) {
	errBoom := errors.New("boom")
	m, mock, _ := newManager(t, now, window(now.Add(10*time.Minute), now.Add(time.Hour)))
	var first, third []notify.EventKind
	ns := notify.Notifiers{
		notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
			first = append(first, e.Kind)
			return nil
		}),
		notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
			if e.Kind == notify.EventStarted {
				return errBoom
			}
			return nil
		}),
		notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
			third = append(third, e.Kind)
			return nil
		}),
	}
	hooks := make(chan time.Time, 1)
	restore := notify.SetWaitHook(func(until time.Time) { hooks <- until })
	defer restore()
	done := make(chan error, 1)
	go func() { done <- notify.Watch(context.Background(), m, ns) }()
	for {
		select {
		case until := <-hooks:
			mock.Set(until) // on to the start, where the second notifier fails
		case err := <-done:
			require.ErrorIs(t, err, errBoom)
			want := []notify.EventKind{notify.EventStarted}
			assert.Equal(t, want, first)
			assert.Equal(t, want, third, "called after the second failed")
			return
		case <-time.After(10 * time.Second):
			t.Fatal("Watch did not return the Notifiers' error")
		}
	}
}
