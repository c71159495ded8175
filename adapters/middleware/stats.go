package middleware

import "sync/atomic"

// Stats counts what [Lockout], [Maintenance] and [LoginGateWith] decide,
// for metrics: set the same *Stats, or one each, in their options
// ([LockoutOptions.Stats], [LoginGateOptions.Stats]) and read it with
// [Stats.Counts] (package github.com/sysmaint/sysmaint/adapters/prom
// exports it to Prometheus). The counters are atomic and touched only by
// requests during a window (the bypass link also near one), never on the
// hot path far from a window. The zero Stats is ready to use; a Stats must
// not be copied after first use. It is safe for concurrent use.
type Stats struct {
	c [statCount]atomic.Uint64
}

// The counters of a Stats.
const (
	statLockedOut = iota
	statPassedIP
	statPassedBypass
	statBypassIssued
	statLoginRefused
	statCount
)

// Counts is a reading of a [Stats]: counts since it was made.
type Counts struct {
	// LockedOut is the requests the lockout refused (answered with the
	// lockout page or its JSON).
	LockedOut uint64
	// PassedIP is the requests during a window that only their client
	// address let through ([LockoutOptions.AllowIPs]).
	PassedIP uint64
	// PassedBypass is the requests during a window that only their bypass
	// cookie let through.
	PassedBypass uint64
	// BypassIssued is the bypass cookies set by the secret link.
	BypassIssued uint64
	// LoginRefused is the login attempts the login gate refused.
	LoginRefused uint64
}

// Counts returns the counts so far. A nil *Stats counts nothing.
func (s *Stats) Counts() Counts {
	if s == nil {
		return Counts{}
	}
	return Counts{
		LockedOut:    s.c[statLockedOut].Load(),
		PassedIP:     s.c[statPassedIP].Load(),
		PassedBypass: s.c[statPassedBypass].Load(),
		BypassIssued: s.c[statBypassIssued].Load(),
		LoginRefused: s.c[statLoginRefused].Load(),
	}
}

// count adds one to counter i; a nil *Stats counts nothing.
func (s *Stats) count(i int) {
	if s != nil {
		s.c[i].Add(1)
	}
}
