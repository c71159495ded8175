package app

// HoldHashSlots takes every password hashing slot of a, as logins running
// at the same time would, until release is called.
func HoldHashSlots(a *App) (release func()) {
	n := cap(a.hashing.slots)
	for range n {
		a.hashing.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-a.hashing.slots
		}
	}
}

// TrackedLogins returns how many user names and client addresses the
// failed-login throttle of a remembers.
func TrackedLogins(a *App) (names, addrs int) {
	a.throttle.mu.Lock()
	defer a.throttle.mu.Unlock()
	return a.throttle.accounts.len(), a.throttle.addrs.len()
}

// HashWaiting returns how many logins of a wait for a hashing slot.
func HashWaiting(a *App) int {
	a.hashing.mu.Lock()
	defer a.hashing.mu.Unlock()
	return a.hashing.waiting
}
