package notify

import (
	"sync"
	"sync/atomic"
	"time"
)

// DeliveryStats is a reading of what a deliverer of events did, for
// metrics and health: [RelayStats] gives one, and so may any sender that
// delivers events, so that one collector reads them all.
type DeliveryStats struct {
	// Delivered is the events handed over without error.
	Delivered uint64
	// Failed is the delivery attempts that failed.
	Failed uint64
	// Retried is the failed attempts that were followed by another try.
	Retried uint64
	// Dropped is the events given up: after too many failed attempts, or
	// at a failure marked permanent.
	Dropped uint64
	// Late is the delivered events that were marked [Event.Late].
	Late uint64
	// LastErr is the error of the last failed attempt, nil when none
	// failed.
	LastErr error
	// LastErrAt is when LastErr happened, by the deliverer's clock.
	LastErrAt time.Time
}

// RelayStats counts what [Relay] delivers: put a *RelayStats in
// [RelayOptions.Stats] and read it with [RelayStats.Stats], while Relay
// runs or after. Counts are of this instance's deliveries. The zero
// RelayStats is ready to use; it must not be copied after first use. It is
// safe for concurrent use.
type RelayStats struct {
	delivered, failed, retried, dropped, late atomic.Uint64

	mu        sync.Mutex
	lastErr   error
	lastErrAt time.Time
}

// Stats returns the counts so far, and the last error. A nil *RelayStats
// returns the zero DeliveryStats.
func (s *RelayStats) Stats() DeliveryStats {
	if s == nil {
		return DeliveryStats{}
	}
	s.mu.Lock()
	lastErr, lastErrAt := s.lastErr, s.lastErrAt
	s.mu.Unlock()
	return DeliveryStats{
		Delivered: s.delivered.Load(), Failed: s.failed.Load(), Retried: s.retried.Load(),
		Dropped: s.dropped.Load(), Late: s.late.Load(), LastErr: lastErr, LastErrAt: lastErrAt,
	}
}

// noteDelivered counts a delivery, late or not; nil counts nothing.
func (s *RelayStats) noteDelivered(late bool) {
	if s == nil {
		return
	}
	s.delivered.Add(1)
	if late {
		s.late.Add(1)
	}
}

// noteFailed counts a failed attempt at at, then a retry or a drop.
func (s *RelayStats) noteFailed(err error, at time.Time, dropped bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.lastErr, s.lastErrAt = err, at
	s.mu.Unlock()
	s.failed.Add(1)
	if dropped {
		s.dropped.Add(1)
	} else {
		s.retried.Add(1)
	}
}
