package app

import (
	"container/list"
	"context"
	"math"
	"runtime"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimits throttles failed logins and bounds the password hashing. A
// failed login (wrong password, unknown user) counts against the user name
// it tried and against the client's address (an IPv6 client by its /64
// network). Each is a token bucket (golang.org/x/time/rate): Burst failures
// at once, then one more every Every. An attempt while either bucket is
// empty is answered 429 Too Many Requests with Retry-After, before the
// password is checked, even when it is right. A successful login counts
// against nothing.
//
// Every zero field means its default; a negative Waiting means that no
// login waits for a hashing slot.
type LoginLimits struct {
	// AccountBurst and AccountEvery limit failed logins per user name.
	// Default: 5, then one a minute.
	AccountBurst int
	AccountEvery time.Duration
	// AddressBurst and AddressEvery limit failed logins per client
	// address. Default: 20, then one every 6 seconds.
	AddressBurst int
	AddressEvery time.Duration
	// Tracked bounds how many user names, and how many addresses, are
	// remembered: beyond it the least recently seen is forgotten (a
	// forgotten one starts again with a full bucket), unless an attempt
	// for it is still running. User names are remembered by their first
	// 256 bytes, so memory stays below about 2 × Tracked × 600 bytes,
	// 12 MB by default. Default: 10 000.
	Tracked int
	// Hashing bounds the password hashes that run at once, so that a flood
	// of logins leaves CPU for every other request. Default: half of
	// GOMAXPROCS, at least 1.
	Hashing int
	// Waiting bounds the logins that wait for a hashing slot; one more is
	// answered 503 Service Unavailable with Retry-After at once, its
	// password unchecked. Default: 4 × Hashing.
	Waiting int
}

// The defaults of LoginLimits.
const (
	DefaultAccountBurst = 5
	DefaultAccountEvery = time.Minute
	DefaultAddressBurst = 20
	DefaultAddressEvery = 6 * time.Second
	DefaultTracked      = 10_000
)

// withDefaults returns l with every zero field set to its default.
func (l LoginLimits) withDefaults() LoginLimits {
	if l.AccountBurst <= 0 {
		l.AccountBurst = DefaultAccountBurst
	}
	if l.AccountEvery <= 0 {
		l.AccountEvery = DefaultAccountEvery
	}
	if l.AddressBurst <= 0 {
		l.AddressBurst = DefaultAddressBurst
	}
	if l.AddressEvery <= 0 {
		l.AddressEvery = DefaultAddressEvery
	}
	if l.Tracked <= 0 {
		l.Tracked = DefaultTracked
	}
	if l.Hashing <= 0 {
		l.Hashing = max(1, runtime.GOMAXPROCS(0)/2)
	}
	switch {
	case l.Waiting < 0:
		l.Waiting = 0
	case l.Waiting == 0:
		l.Waiting = 4 * l.Hashing
	}
	return l
}

// throttle counts failed logins per user name and per client address.
type throttle struct {
	mu       sync.Mutex
	accounts *buckets
	addrs    *buckets
}

func newThrottle(l LoginLimits) *throttle {
	return &throttle{
		accounts: newBuckets(rate.Every(l.AccountEvery), l.AccountBurst, l.Tracked),
		addrs:    newBuckets(rate.Every(l.AddressEvery), l.AddressBurst, l.Tracked),
	}
}

// ticket is a login attempt admitted by the throttle; done settles it.
type ticket struct {
	t             *throttle
	account, addr *bucket
}

// admit lets a login attempt for account from addr go ahead at now, or
// says how long to wait first. An admitted attempt holds a token of both
// buckets until done, so attempts running at the same time cannot exceed
// the limits together.
func (t *throttle) admit(now time.Time, account, addr string) (*ticket, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ac, ad := t.accounts.get(account), t.addrs.get(addr)
	if wait := max(ac.wait(now), ad.wait(now)); wait > 0 {
		return nil, wait
	}
	ac.pending++
	ad.pending++
	return &ticket{t: t, account: ac, addr: ad}, 0
}

// done settles the attempt at now: a failed one takes its token from both
// buckets, any other gives it back.
func (tk *ticket) done(now time.Time, failed bool) {
	tk.t.mu.Lock()
	defer tk.t.mu.Unlock()
	for _, b := range []*bucket{tk.account, tk.addr} {
		b.pending--
		if failed {
			b.lim.AllowN(now, 1)
		}
	}
}

// buckets are token buckets by key, at most max of them: the least
// recently used is forgotten first, unless an attempt holds it.
type buckets struct {
	every rate.Limit
	burst int
	max   int
	lru   *list.List // of *bucket, most recently used first
	byKey map[string]*list.Element
}

type bucket struct {
	key     string
	lim     *rate.Limiter
	pending int // attempts admitted and not yet done
}

func newBuckets(every rate.Limit, burst, max int) *buckets {
	return &buckets{every: every, burst: burst, max: max, lru: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the bucket of key, created full if it is new.
func (bs *buckets) get(key string) *bucket {
	if e, ok := bs.byKey[key]; ok {
		bs.lru.MoveToFront(e)
		return e.Value.(*bucket)
	}
	for e := bs.lru.Back(); e != nil && bs.lru.Len() >= bs.max; {
		prev := e.Prev()
		if b := e.Value.(*bucket); b.pending == 0 {
			bs.lru.Remove(e)
			delete(bs.byKey, b.key)
		}
		e = prev
	}
	b := &bucket{key: key, lim: rate.NewLimiter(bs.every, bs.burst)}
	bs.byKey[key] = bs.lru.PushFront(b)
	return b
}

// len returns how many keys are remembered.
func (bs *buckets) len() int { return bs.lru.Len() }

// wait returns how long until the bucket has a token for one more attempt
// beside those pending, to the millisecond (at least one); 0 when it has
// one now.
func (b *bucket) wait(now time.Time) time.Duration {
	need := float64(b.pending+1) - b.lim.TokensAt(now)
	if need <= 0 {
		return 0
	}
	// Rounded, not ceiled: the tokens are floating point, and a wait of a
	// whole minute must not come out as a minute and a nanosecond.
	ms := math.Round(need / float64(b.lim.Limit()) * 1000)
	return time.Duration(max(ms, 1)) * time.Millisecond
}

// hashSlots bounds the password hashes that run at once (a semaphore) and
// the logins that wait for one.
type hashSlots struct {
	slots   chan struct{}
	mu      sync.Mutex
	waiting int
	maxWait int
}

func newHashSlots(n, maxWait int) *hashSlots {
	return &hashSlots{slots: make(chan struct{}, n), maxWait: maxWait}
}

// acquire takes a slot, waiting while fewer than maxWait others wait, and
// until ctx ends. It reports whether it got one; release gives it back.
func (h *hashSlots) acquire(ctx context.Context) bool {
	select {
	case h.slots <- struct{}{}:
		return true
	default:
	}
	h.mu.Lock()
	if h.waiting >= h.maxWait {
		h.mu.Unlock()
		return false
	}
	h.waiting++
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.waiting--
		h.mu.Unlock()
	}()
	select {
	case h.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (h *hashSlots) release() { <-h.slots }
