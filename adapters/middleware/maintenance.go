package middleware

import (
	"net/http"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// Options configures [Maintenance]. A nil *Options, and every zero field,
// means the default: no banner, no lockout, sessions left alone.
type Options struct {
	// Texts gives the banner's and the lockout page's texts. Default:
	// notify.New(nil).
	Texts *notify.Texts
	// Viewer says who is logged in, for the banner and the lockout page.
	// Default: nil, no banner.
	Viewer ViewerFunc
	// Lockout, when set, answers 503 during a window as [Lockout] does;
	// its Texts and Viewer default to the ones above. Default: nil, no
	// lockout.
	Lockout *LockoutOptions
	// Sessions, when set, ends non-admin sessions during a window as
	// [EndSessions] does. Default: nil, sessions are left alone.
	Sessions *EndSessionsOptions
}

// Maintenance returns one middleware that does the work of [EndSessions],
// [Lockout] and [Banner], in that order, as configured by opts. It reads
// the Manager's status once per request where the three stacked would read
// it once each, and reads the clock only when the lockout acts on the
// request (for Retry-After and the bypass): while [maintenance.Manager.Run]
// runs, the status of now is one atomic load (see
// [maintenance.Manager.Status]), where a clock read costs some 55 ns on
// many virtual machines (where time.Now is not served by the vDSO). When no
// window is active or upcoming the request goes to next unchanged, with no
// callback called and nothing allocated.
//
// The LoginGate stays separate: it wraps the login handler only. Maintenance
// panics if m is nil, or if opts.Sessions is set without its callbacks.
func Maintenance(m *maintenance.Manager, opts *Options) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: Maintenance: nil *maintenance.Manager")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Texts == nil {
		o.Texts = notify.New(nil)
	}
	var (
		b *banner
		l *lockout
		e *ender
	)
	if o.Viewer != nil {
		nb := newBanner(o.Texts, o.Viewer)
		b = &nb
	}
	if o.Lockout != nil {
		lo := *o.Lockout
		if lo.Texts == nil {
			lo.Texts = o.Texts
		}
		if lo.Viewer == nil {
			lo.Viewer = o.Viewer
		}
		l = newLockout("Maintenance: Lockout", &lo)
	}
	if o.Sessions != nil {
		e = newEnder(o.Sessions)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := m.Status() // no clock read while Run keeps the status of now
			if !st.Active() {
				if !st.HasUpcoming() {
					next.ServeHTTP(w, r)
					return
				}
			}
			if e != nil && e.end(st, w, r) {
				return
			}
			if l != nil && l.refuse(st, m.Clock(), w, r) {
				return
			}
			if b != nil {
				r = b.attach(st, r)
			}
			next.ServeHTTP(w, r)
		})
	}
}
