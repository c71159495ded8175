package scsstore

import "github.com/benbjohnson/clock"

// SetExpiryClock replaces the real clock the Store writes expiries with,
// so that a test can see tombstones expire.
func SetExpiryClock(st *Store, c clock.Clock) { st.expiry = c }

// Tombstones returns how many serials the Store's copy of the kill record
// buries.
func Tombstones(st *Store) int { return len(st.cache.Load().rec.Dead) }
