package middleware

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// maxHops is how many of the right-most entries of the forwarding header
// the client address is looked for among; a request whose walk needs more
// has no client address the lockout believes.
const maxHops = 16

// clientIPs is the compiled [LockoutOptions.AllowIPs], TrustedProxies and
// ForwardedHeader. The zero clientIPs allows no address and trusts no
// proxy.
type clientIPs struct {
	allow   []netip.Prefix
	proxies []netip.Prefix
	// forwarded is true for the header "Forwarded", false for
	// "X-Forwarded-For".
	forwarded bool
}

// newClientIPs compiles the options; a bad entry panics with a message that
// starts with who and names the option and the entry.
func newClientIPs(who string, allow, proxies []string, header string) clientIPs {
	c := clientIPs{
		allow:   parsePrefixes(who, "AllowIPs", allow),
		proxies: parsePrefixes(who, "TrustedProxies", proxies),
	}
	switch http.CanonicalHeaderKey(strings.TrimSpace(header)) {
	case "", "X-Forwarded-For":
	case "Forwarded":
		c.forwarded = true
	default:
		panic(fmt.Sprintf("middleware: %s: ForwardedHeader %q is neither \"X-Forwarded-For\" nor \"Forwarded\"", who, header))
	}
	return c
}

// parsePrefixes parses the entries of the option name (see
// [LockoutOptions.AllowIPs]); blank entries are skipped.
func parsePrefixes(who, name string, entries []string) []netip.Prefix {
	var out []netip.Prefix
	for _, e := range entries {
		s := strings.TrimSpace(e)
		if s == "" {
			continue
		}
		p, err := parsePrefix(s)
		if err != nil {
			panic(fmt.Sprintf("middleware: %s: %s entry %q is not an IP address or CIDR prefix: %v", who, name, e, err))
		}
		out = append(out, p)
	}
	return out
}

// parsePrefix parses "addr/bits" or a lone address (a prefix of all its
// bits). A prefix with bits set beyond its length is refused, since it
// likely means another prefix than the one written; an IPv4-mapped IPv6
// prefix becomes its IPv4 prefix, so that it matches the unmapped client
// addresses.
func parsePrefix(s string) (netip.Prefix, error) {
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return p, err
		}
		if m := p.Masked(); m != p {
			return p, fmt.Errorf("bits are set beyond the prefix length (the prefix is %s)", m)
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return p, err
		}
		if a.Zone() != "" {
			return p, fmt.Errorf("an address with a zone cannot match a client")
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.Is4In6() { // at least 96 bits, or the masked address would not be mapped
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p, nil
}

// contains reports whether one of ps holds a.
func contains(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// allows reports whether r's client address ([clientIPs.client]) is in
// AllowIPs.
func (c *clientIPs) allows(r *http.Request) bool {
	if len(c.allow) == 0 {
		return false
	}
	a, ok := c.client(r)
	return ok && contains(c.allow, a)
}

// client returns the address of r's client, by the rule of the package
// documentation ("Client address"): the peer, or, when the peer is a
// trusted proxy, the right-most address of the forwarding header that is
// not a trusted proxy. ok is false when there is no such address: the
// peer is not an address, or the walk meets an entry that is not an
// address (also "unknown" and obfuscated names), runs out of entries, or
// would go beyond the maxHops right-most ones. It allocates nothing.
func (c *clientIPs) client(r *http.Request) (netip.Addr, bool) {
	a, ok := peerAddr(r.RemoteAddr)
	if !ok {
		return a, false
	}
	if !contains(c.proxies, a) {
		return a, true
	}
	name := "X-Forwarded-For"
	if c.forwarded {
		name = "Forwarded"
	}
	// The right-most maxHops entries, in a ring, in order.
	var ring [maxHops]string
	n := 0
	for _, v := range r.Header[name] {
		for v != "" {
			var e string
			e, v = nextItem(v, ',')
			ring[n%maxHops] = e
			n++
		}
	}
	for i := n - 1; i >= 0 && i >= n-maxHops; i-- {
		hop := strings.TrimSpace(ring[i%maxHops])
		if c.forwarded {
			hop = forwardedFor(hop)
		}
		if a, ok = hopAddr(hop); !ok {
			return a, false
		}
		if !contains(c.proxies, a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// trustedHTTPS reports whether r comes from a trusted proxy that says the
// client used https: X-Forwarded-Proto with X-Forwarded-For, the proto
// parameter of the last element with Forwarded.
func (c *clientIPs) trustedHTTPS(r *http.Request) bool {
	a, ok := peerAddr(r.RemoteAddr)
	if !ok || !contains(c.proxies, a) {
		return false
	}
	if !c.forwarded {
		proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		return strings.EqualFold(strings.TrimSpace(proto), "https")
	}
	vs := r.Header["Forwarded"]
	if len(vs) == 0 {
		return false
	}
	last, elem := vs[len(vs)-1], ""
	for last != "" {
		elem, last = nextItem(last, ',')
	}
	return strings.EqualFold(forwardedParam(elem, "proto"), "https")
}

// peerAddr parses Request.RemoteAddr ("ip:port" from net/http's server),
// IPv4-mapped IPv6 unmapped.
func peerAddr(remote string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(remote); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// hopAddr parses one forwarding entry: an address, with or without a port
// ("192.0.2.7", "192.0.2.7:4711", "2001:db8::1", "[2001:db8::1]",
// "[2001:db8::1]:4711"), IPv4-mapped IPv6 unmapped.
func hopAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Is6() {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}

// forwardedFor returns the value of the "for" parameter of one element of
// a Forwarded header, unquoted, or "" when it has none.
func forwardedFor(elem string) string { return forwardedParam(elem, "for") }

// forwardedParam returns the value of the parameter name of one element
// of a Forwarded header ("for=192.0.2.7;proto=https"), unquoted, or ""
// when it has none or its quoted value holds an escape.
func forwardedParam(elem, name string) string {
	for elem != "" {
		var pair string
		pair, elem = nextItem(elem, ';')
		k, v, _ := strings.Cut(pair, "=")
		if !strings.EqualFold(strings.TrimSpace(k), name) {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
			if strings.ContainsRune(v, '\\') {
				return ""
			}
		}
		return v
	}
	return ""
}
