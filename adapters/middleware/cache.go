package middleware

import (
	"hash/maphash"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// groupSlots is the number of values a statusCache keeps at most: a power
// of two.
const groupSlots = 256

// maxCachedLang is the longest viewer language the notices are cached
// under, in bytes; a longer one is answered without the cache.
const maxCachedLang = 128

// slotTable is a bounded table of values: a fixed array of slots, each
// key having two to live in (chosen by its hash), so that two keys seldom
// evict each other. A lookup is at most two atomic loads and key
// comparisons; it takes no lock and allocates nothing. A store replaces
// what a slot held, so a table never holds more than groupSlots values
// whatever keys it is given. It is safe for concurrent use.
type slotTable[K comparable, V any] struct {
	flip  atomic.Uint32 // picks which of two full slots a store evicts
	slots [groupSlots]atomic.Pointer[cacheEntry[K, V]]
}

// cacheEntry is a value in a slotTable; it is never changed once stored.
type cacheEntry[K comparable, V any] struct {
	key K
	val V
}

// where returns the two slots of the hash h.
func where(h uint64) (i, j uint64) {
	i, j = h&(groupSlots-1), (h>>32)&(groupSlots-1)
	if i == j {
		j ^= 1
	}
	return i, j
}

// get returns the value stored under k, whose hash is h, or nil.
func (t *slotTable[K, V]) get(h uint64, k *K) *V {
	i, j := where(h)
	if e := t.slots[i].Load(); e != nil && e.key == *k {
		return &e.val
	}
	if e := t.slots[j].Load(); e != nil && e.key == *k {
		return &e.val
	}
	return nil
}

// put stores v under k, whose hash is h, in an empty slot of the two k may
// live in, or else in one of them in turn, and returns the stored value.
func (t *slotTable[K, V]) put(h uint64, k K, v V) *V {
	i, j := where(h)
	e := &cacheEntry[K, V]{key: k, val: v}
	switch {
	case t.slots[i].CompareAndSwap(nil, e):
	case t.slots[j].CompareAndSwap(nil, e):
	case t.flip.Add(1)&1 == 0:
		t.slots[i].Store(e)
	default:
		t.slots[j].Store(e)
	}
	return &e.val
}

// len returns the number of values t holds.
func (t *slotTable[K, V]) len() int {
	n := 0
	for i := range t.slots {
		if t.slots[i].Load() != nil {
			n++
		}
	}
	return n
}

// statusCache keeps what the middleware renders for one maintenance
// status at a time, in a slotTable: the notices for the viewers of
// requests, the lockout's bodies. A Status names a segment of one
// compiled schedule, so the values made for it hold as long as the status
// does; when the Manager's status moves on (a window starts or stops, the
// schedule is reloaded), the next request starts a new group and the old
// one is dropped, with the schedule it pinned. It is safe for concurrent
// use.
type statusCache[K comparable, V any] struct {
	seed maphash.Seed
	hash func(maphash.Seed, K) uint64 // given a copy: a pointer would escape
	cur  atomic.Pointer[statusGroup[K, V]]
}

// statusGroup is the values of one status.
type statusGroup[K comparable, V any] struct {
	st maintenance.Status
	slotTable[K, V]
}

func newStatusCache[K comparable, V any](hash func(maphash.Seed, K) uint64) *statusCache[K, V] {
	return &statusCache[K, V]{seed: maphash.MakeSeed(), hash: hash}
}

// group returns the group of st, starting a new one when the cache holds
// another status.
func (c *statusCache[K, V]) group(st maintenance.Status) *statusGroup[K, V] {
	g := c.cur.Load()
	if g != nil && g.st == st {
		return g
	}
	ng := &statusGroup[K, V]{st: st}
	if c.cur.CompareAndSwap(g, ng) {
		return ng
	}
	if g = c.cur.Load(); g != nil && g.st == st {
		return g // another request started it first
	}
	return ng // kept for this request only
}

// get returns the value stored under k in g, or nil.
func (c *statusCache[K, V]) get(g *statusGroup[K, V], k *K) *V {
	return g.slotTable.get(c.hash(c.seed, *k), k)
}

// put stores v under k in g and returns the stored value.
func (c *statusCache[K, V]) put(g *statusGroup[K, V], k K, v V) *V {
	return g.slotTable.put(c.hash(c.seed, k), k, v)
}

// mix folds k into the hash h.
func mix(h, k uint64) uint64 {
	h ^= k
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>31
}

// viewerKey is what a notice depends on besides the status: who reads it.
type viewerKey struct {
	kind int8
	lang string
	loc  *time.Location
}

func hashViewer(seed maphash.Seed, k viewerKey) uint64 {
	h := maphash.String(seed, k.lang)
	if k.loc != nil {
		h = mix(h, maphash.Comparable(seed, k.loc))
	}
	return mix(h, uint64(k.kind))
}

// noticeCache keeps the notices of the viewers of one status at a time.
type noticeCache struct {
	c *statusCache[viewerKey, notify.Notice]
}

func newNoticeCache() noticeCache {
	return noticeCache{newStatusCache[viewerKey, notify.Notice](hashViewer)}
}

// notice returns the notice t gives v at st, from c when it holds it. The
// notice it points to must not be changed.
func (c noticeCache) notice(t *notify.Texts, st maintenance.Status, v notify.Viewer) *notify.Notice {
	if len(v.Language) > maxCachedLang {
		n := t.Banner(st, v)
		return &n
	}
	k := viewerKey{kind: int8(v.Kind), lang: v.Language, loc: v.Location}
	g := c.c.group(st)
	if n := c.c.get(g, &k); n != nil {
		return n
	}
	return c.c.put(g, k, t.Banner(st, v))
}

// headerValue returns the header value of the decimal n as a []string
// shared by every caller, for the numbers headers carry most
// (Content-Length of a small body, Retry-After of the last hour): made
// once each, so setting them allocates nothing. It must not be changed.
func headerValue(n int64) []string {
	if n < 0 || n >= int64(len(numbers)) {
		return []string{strconv.FormatInt(n, 10)}
	}
	if p := numbers[n].Load(); p != nil {
		return *p
	}
	v := []string{strconv.FormatInt(n, 10)}
	v = v[:1:1] // so that an append never writes into it
	numbers[n].Store(&v)
	return v
}

var numbers [4096]atomic.Pointer[[]string]

// The values of the lockout's fixed headers, shared by every answer (see
// lockout.write). They must not be changed.
var (
	valNoStore = []string{"no-store"}
	valNosniff = []string{"nosniff"}
	valAccept  = []string{"Accept"}
	valHTML    = []string{"text/html; charset=utf-8"}
	valJSON    = []string{"application/json"}
)
