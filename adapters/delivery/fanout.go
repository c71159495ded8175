package delivery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/sysmaint/sysmaint/notify"
)

// maxFanoutMemory is how many events a [Fanout] remembers the takers of,
// while some Notifier has still to take them.
const maxFanoutMemory = 1024

// Fanout is a [notify.Notifier] that hands each event to several
// Notifiers, for instance a webhook and a chat under one [notify.Relay].
// Unlike notify.Notifiers, it remembers which of them took an event, so
// that when one fails and the caller (Relay) retries the event, only the
// ones that failed get it again: the chat is not posted twice because the
// webhook's receiver was down. A Notifier that fails for good (an error
// wrapping notify.ErrPermanent) is not tried again either.
//
// The memory is of this process, and of the last 1024 events that failed
// somewhere: an event retried by another instance, or after a restart,
// reaches every Notifier again (receivers drop what they saw by the
// event's ID). A Fanout is safe for concurrent use.
type Fanout struct {
	ns []notify.Notifier

	mu   sync.Mutex
	done map[string][]bool // event ID -> which Notifiers are done with it
	ids  []string          // the keys of done, oldest first
}

// NewFanout returns a Fanout over ns. It panics if one of them is nil.
func NewFanout(ns ...notify.Notifier) *Fanout {
	for i, n := range ns {
		if n == nil {
			panic(fmt.Sprintf("delivery: NewFanout called with a nil Notifier (%d)", i+1))
		}
	}
	return &Fanout{ns: slices.Clone(ns), done: map[string][]bool{}}
}

// Notify hands e, with ctx, to each Notifier that has not taken it yet,
// all at once, and waits for them. It returns nil when every Notifier has
// taken e (now or in an earlier call) or failed for good and none of them
// failed in this call; otherwise the errors of this call joined, marked
// permanent (notify.ErrPermanent) when every Notifier that failed failed
// for good, so that nothing is left to retry.
func (f *Fanout) Notify(ctx context.Context, e notify.Event) error {
	id := e.ID()
	f.mu.Lock()
	done := slices.Clone(f.done[id])
	f.mu.Unlock()
	if done == nil {
		done = make([]bool, len(f.ns))
	}
	errs := make([]error, len(f.ns))
	var wg sync.WaitGroup
	for i, n := range f.ns {
		if done[i] {
			continue
		}
		wg.Go(func() { errs[i] = n.Notify(ctx, e) })
	}
	wg.Wait()
	temporary := false
	for i, err := range errs {
		switch {
		case done[i]:
		case err == nil || errors.Is(err, notify.ErrPermanent):
			done[i] = true
		default:
			temporary = true
		}
	}
	if temporary {
		// Something is left to retry: the failures for good must not make
		// the whole look permanent. They keep their text only.
		for i, err := range errs {
			if errors.Is(err, notify.ErrPermanent) {
				errs[i] = fmt.Errorf("%s (not tried again)", err.Error())
			}
		}
	}
	err := errors.Join(errs...)
	// Forget e once every Notifier took it without a failure in this call;
	// after a failure, remember it even when all are done (some for good),
	// for the caller's retry to find nothing left to do.
	f.remember(id, done, err == nil)
	if err != nil && !temporary {
		return notify.Permanent(err)
	}
	return err
}

// remember keeps which Notifiers are done with the event id, or forgets
// id.
func (f *Fanout) remember(id string, done []bool, forget bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.done[id]; ok {
		f.ids = slices.DeleteFunc(f.ids, func(x string) bool { return x == id })
		delete(f.done, id)
	}
	if forget {
		return
	}
	if len(f.ids) == maxFanoutMemory {
		delete(f.done, f.ids[0])
		f.ids = f.ids[1:]
	}
	f.done[id] = done
	f.ids = append(f.ids, id)
}
