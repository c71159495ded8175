package mail

import "time"

// SetOnWait makes s call f with the length of each wait between attempts,
// once its timer is set. Call it before s is used.
func SetOnWait(s *Sender, f func(time.Duration)) { s.policy.OnWait = f }
