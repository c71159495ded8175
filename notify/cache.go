package notify

import (
	"hash/maphash"
	"sync/atomic"
	"time"
)

// cacheSlots is the number of texts a textCache holds at most: a power of
// two.
const cacheSlots = 512

// maxCachedLang is the longest language a text is cached under as given,
// in bytes: a longer one (a long Accept-Language value) is looked up by
// the language it matches only (see Texts.cached).
const maxCachedLang = 128

// textKey says everything a cached text depends on besides the Texts it
// belongs to: its kind, the language and, for the upcoming text, the
// window's start and stop and the viewer's time zone. A changed window
// (another start, stop or message) has another key, so a text never needs
// invalidating; the texts of windows that are gone are evicted in time.
type textKey struct {
	kind                Kind
	startNsec, stopNsec int32
	startSec, stopSec   int64
	lang                string
	loc                 *time.Location // nil for a text that does not depend on the zone
}

// textEntry is a text in a textCache. Entries are never changed once
// stored.
type textEntry struct {
	key  textKey
	text string
}

// textCache is a bounded cache of rendered texts: a fixed array of slots,
// each key having two of them to live in (so that two keys rarely evict
// each other). A lookup is a hash and at most two atomic loads and key
// comparisons; it takes no lock and allocates nothing. A store replaces
// what a slot held, so the cache never holds more than cacheSlots texts,
// whatever the keys it is given. The zero textCache is not ready: use
// newTextCache. It is safe for concurrent use.
type textCache struct {
	seed  maphash.Seed
	flip  atomic.Uint32 // picks which of two full slots a store evicts
	slots [cacheSlots]atomic.Pointer[textEntry]
}

func newTextCache() *textCache { return &textCache{seed: maphash.MakeSeed()} }

// slots returns the two slots key k may live in.
func (c *textCache) where(k *textKey) (i, j uint64) {
	h := maphash.String(c.seed, k.lang)
	if k.loc != nil {
		h = mix(h, maphash.Comparable(c.seed, k.loc))
	}
	h = mix(h, uint64(k.startSec)^uint64(k.kind)<<56)
	h = mix(h, uint64(k.stopSec))
	h = mix(h, uint64(uint32(k.startNsec))<<32|uint64(uint32(k.stopNsec)))
	i, j = h&(cacheSlots-1), (h>>32)&(cacheSlots-1)
	if i == j {
		j ^= 1
	}
	return i, j
}

// mix folds k into the hash h.
func mix(h, k uint64) uint64 {
	h ^= k
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>31
}

// get returns the text stored under k.
func (c *textCache) get(k *textKey) (string, bool) {
	i, j := c.where(k)
	if e := c.slots[i].Load(); e != nil && e.key == *k {
		return e.text, true
	}
	if e := c.slots[j].Load(); e != nil && e.key == *k {
		return e.text, true
	}
	return "", false
}

// put stores text under k, in an empty slot of the two k may live in, or
// else in one of them in turn.
func (c *textCache) put(k textKey, text string) {
	i, j := c.where(&k)
	e := &textEntry{key: k, text: text}
	switch {
	case c.slots[i].CompareAndSwap(nil, e):
	case c.slots[j].CompareAndSwap(nil, e):
	case c.flip.Add(1)&1 == 0:
		c.slots[i].Store(e)
	default:
		c.slots[j].Store(e)
	}
}

// len returns the number of texts held.
func (c *textCache) len() int {
	n := 0
	for i := range c.slots {
		if c.slots[i].Load() != nil {
			n++
		}
	}
	return n
}

// LanguageMatcher is implemented by a [Translator] that can say which of
// its languages serves a given one, as [Catalog] does. [Texts] caches the
// texts it renders by that language, so that the many ways of asking for
// one language ("de", "de-DE", "de_AT.UTF-8", an Accept-Language list
// preferring German), and any number of languages the Translator does not
// know, share one cached text, and a stream of made-up languages cannot
// crowd the texts of real readers out of the cache.
type LanguageMatcher interface {
	// MatchLanguage returns the language whose translations
	// Translate(lang, text) returns, for every text: two languages with
	// the same match must get the same translations. "" means none: every
	// text is returned unchanged.
	MatchLanguage(lang string) string
}

// cached returns the text of kind k for the window w and the viewer v,
// from t's caches when they hold it, or else rendered and stored. The
// upcoming text is kept by its start, stop and zone; the active default
// text by language only.
//
// Texts are kept twice over: by the viewer's language as given, which a
// request finds with one lookup, and by the language it matches (when the
// Translator is a LanguageMatcher), which bounds the renderings by the
// languages the Translator knows. A new language as given costs a match
// and a second lookup, not a rendering; only the first cache can be
// churned by made-up languages.
func (t *Texts) cached(kind Kind, w *windowBounds, v Viewer) string {
	k := textKey{kind: kind, lang: v.language()}
	if kind == NoticeUpcoming {
		k.loc = v.location()
		k.startSec, k.startNsec = w.start.Unix(), int32(w.start.Nanosecond())
		k.stopSec, k.stopNsec = w.stop.Unix(), int32(w.stop.Nanosecond())
	}
	byLang := len(k.lang) <= maxCachedLang
	if byLang {
		if s, ok := t.byLang.get(&k); ok {
			return s
		}
	}
	var (
		s  string
		ok bool
	)
	raw := k.lang
	if t.match != nil {
		k.lang = t.match.MatchLanguage(raw)
		s, ok = t.byMatch.get(&k)
	}
	if !ok {
		s = t.render(kind, w, raw, k.loc)
		if t.match != nil {
			t.byMatch.put(k, s)
		}
	}
	if byLang {
		k.lang = raw
		t.byLang.put(k, s)
	}
	return s
}

// windowBounds is what the texts read of a window: its start and stop.
type windowBounds struct{ start, stop time.Time }

// render returns the text of kind k, freshly made, for a window with the
// bounds w, in the language lang and, for the upcoming text, the zone loc.
func (t *Texts) render(kind Kind, w *windowBounds, lang string, loc *time.Location) string {
	if kind == NoticeActive {
		return t.tr.Translate(lang, t.active)
	}
	return t.upcomingText(w.start, w.stop, lang, loc)
}
