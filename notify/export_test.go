package notify

import "time"

// SetWaitHook makes Watch call f each time it is about to wait, with the
// instant it waits for, until the returned function restores the previous
// hook. Call it before starting Watch and restore it after Watch returned.
func SetWaitHook(f func(until time.Time)) (restore func()) {
	old := waitHook
	waitHook = f
	return func() { waitHook = old }
}

// DiffWindows exposes diffWindows to the fuzz test.
var DiffWindows = diffWindows

// CacheLen returns the number of texts t keeps by language as given and
// by matched language, and the most each cache keeps.
func CacheLen(t *Texts) (byLang, byMatch, limit int) {
	byLang = t.byLang.len()
	if t.byMatch != nil {
		byMatch = t.byMatch.len()
	}
	return byLang, byMatch, cacheSlots
}
