package app

import (
	"net/http"
	"net/netip"
	"strings"
)

// client returns the address of the client of r: the peer of the
// connection, or, when that is a trusted proxy (Config.TrustedProxies), the
// right-most address in X-Forwarded-For that is not itself a trusted
// proxy. An entry that is not an address ends the walk: the last trusted
// proxy is then taken for the client. The zero Addr means r.RemoteAddr is
// not an address (it always is for a request from net/http's server).
func (a *App) client(r *http.Request) netip.Addr {
	addr := peer(r)
	if !a.trusted(addr) {
		return addr
	}
	hops := forwardedFor(r)
	for i := len(hops) - 1; i >= 0 && a.trusted(addr); i-- {
		next, ok := parseHop(hops[i])
		if !ok {
			break
		}
		addr = next
	}
	return addr
}

// peer returns the address of the other end of r's connection.
func peer(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	if ip, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return ip.Unmap()
	}
	return netip.Addr{}
}

// forwardedFor returns the entries of every X-Forwarded-For header of r, in
// order, trimmed.
func forwardedFor(r *http.Request) []string {
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for hop := range strings.SplitSeq(h, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHop parses one X-Forwarded-For entry: an address, with or without a
// port.
func parseHop(s string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// trusted reports whether addr is one of Config.TrustedProxies.
func (a *App) trusted(addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	for _, p := range a.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// secure reports whether the session cookie of an answer to r gets the
// Secure attribute: always with Config.SecureCookies; otherwise when r came
// over TLS, or from a trusted proxy whose X-Forwarded-Proto says https.
func (a *App) secure(r *http.Request) bool {
	if a.secureCookies || r.TLS != nil {
		return true
	}
	if !a.trusted(peer(r)) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// addressKey is the key of addr for the failed-login throttle: an IPv6
// address by its /64 network, which one client usually holds whole.
func addressKey(addr netip.Addr) string {
	if addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			return p.String()
		}
	}
	return addr.String()
}
