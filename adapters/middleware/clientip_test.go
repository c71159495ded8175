package middleware_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
)

// TestLockout_AllowIPs checks who the client is, and whether its address
// lets it through, for peers and forwarding headers of every kind.
func TestLockout_AllowIPs(t *testing.T) {
	office := []string{"192.0.2.0/24", "2001:db8:1::/48", "198.51.100.7"}
	proxies := []string{"10.0.0.0/8", "fd00::/8"}
	tests := []struct {
		name    string
		allow   []string
		proxies []string
		header  string // ForwardedHeader
		remote  string
		headers []string // "Name: value", in order
		want    bool
	}{
		{name: "office peer", allow: office, remote: "192.0.2.10:5000", want: true},
		{name: "single address", allow: office, remote: "198.51.100.7:5000", want: true},
		{name: "next to the single address", allow: office, remote: "198.51.100.8:5000"},
		{name: "outside", allow: office, remote: "203.0.113.9:5000"},
		{name: "IPv6 peer", allow: office, remote: "[2001:db8:1:2::5]:5000", want: true},
		{name: "IPv6 outside", allow: office, remote: "[2001:db8:2::5]:5000"},
		{name: "IPv4-mapped peer", allow: office, remote: "[::ffff:192.0.2.10]:5000", want: true},
		{name: "IPv4-mapped prefix", allow: []string{"::ffff:192.0.2.0/120"}, remote: "192.0.2.10:5000", want: true},
		{name: "IPv6 with a zone", allow: []string{"fe80::/10"}, remote: "[fe80::1%eth0]:5000"},
		{name: "no address", allow: office, remote: "pipe"},
		{name: "no list", remote: "192.0.2.10:5000"},
		{name: "everyone", allow: []string{"0.0.0.0/0", "::/0"}, remote: "[2001:db8:9::1]:1", want: true},

		{name: "forged from an untrusted peer", allow: office, proxies: proxies, remote: "203.0.113.9:5000", headers: []string{"X-Forwarded-For: 192.0.2.10"}},
		{name: "forged, no proxies at all", allow: office, remote: "203.0.113.9:5000", headers: []string{"X-Forwarded-For: 192.0.2.10"}},
		{name: "forged Forwarded from an untrusted peer", allow: office, proxies: proxies, header: "Forwarded", remote: "203.0.113.9:5000", headers: []string{"Forwarded: for=192.0.2.10"}},
		{name: "proxy names the office", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10"}, want: true},
		{name: "proxy names an outsider", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 203.0.113.9"}},
		{name: "client forged, proxy appended", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10, 203.0.113.9"}},
		{name: "two proxies", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 203.0.113.9, 192.0.2.10, 10.9.9.9"}, want: true},
		{name: "two headers", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10", "X-Forwarded-For: 203.0.113.9"}},
		{name: "two headers, office last", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 192.0.2.10"}, want: true},
		{name: "entry with a port", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10:443"}, want: true},
		{name: "IPv6 entry", allow: office, proxies: proxies, remote: "[fd00::1]:5000", headers: []string{"X-Forwarded-For: 2001:db8:1::9"}, want: true},
		{name: "IPv6 entry bracketed with a port", allow: office, proxies: proxies, remote: "[fd00::1]:5000", headers: []string{"X-Forwarded-For: [2001:db8:1::9]:443"}, want: true},
		{name: "IPv4-mapped entry", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: ::ffff:192.0.2.10"}, want: true},
		{name: "IPv4-mapped proxy", allow: office, proxies: proxies, remote: "[::ffff:10.1.2.3]:5000", headers: []string{"X-Forwarded-For: 192.0.2.10"}, want: true},
		{name: "malformed entry fails closed", allow: append([]string{"10.0.0.0/8"}, office...), proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: garbage"}},
		{name: "malformed right of the office", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10, garbage"}},
		{name: "only proxies fails closed", allow: append([]string{"10.0.0.0/8"}, office...), proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 10.2.2.2"}},
		{name: "no header from a proxy fails closed", allow: append([]string{"10.0.0.0/8"}, office...), proxies: proxies, remote: "10.1.2.3:5000"},
		{name: "too many proxies", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10" + strings.Repeat(", 10.0.0.1", 16)}},
		{name: "as many proxies as looked at", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 203.0.113.1, 192.0.2.10" + strings.Repeat(", 10.0.0.1", 15)}, want: true},
		{name: "long forged list", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: " + strings.Repeat("192.0.2.10, ", 1000) + "203.0.113.9"}},
		{name: "X-Forwarded-For ignored when Forwarded is configured", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{"X-Forwarded-For: 192.0.2.10"}},
		{name: "Forwarded ignored when X-Forwarded-For is configured", allow: office, proxies: proxies, remote: "10.1.2.3:5000", headers: []string{"Forwarded: for=192.0.2.10", "X-Forwarded-For: 203.0.113.9"}},
		{name: "Forwarded", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{"Forwarded: for=192.0.2.10;proto=https;by=10.1.2.3"}, want: true},
		{name: "Forwarded, lower case name", allow: office, proxies: proxies, header: "forwarded", remote: "10.1.2.3:5000", headers: []string{"Forwarded: For=192.0.2.10"}, want: true},
		{name: "Forwarded IPv6", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{`Forwarded: for="[2001:db8:1::9]:4711"`}, want: true},
		{name: "Forwarded IPv6 without port", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{`Forwarded: for="[2001:db8:1::9]"`}, want: true},
		{name: "Forwarded chain", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{`Forwarded: for=192.0.2.10, for=203.0.113.9`}},
		{name: "Forwarded chain through a proxy", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{`Forwarded: for=203.0.113.9, for=192.0.2.10, for=10.2.2.2`}, want: true},
		{name: "Forwarded quoted comma", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{`Forwarded: for=192.0.2.10;x="a, for=203.0.113.9"`}, want: true},
		{name: "Forwarded unknown", allow: append([]string{"10.0.0.0/8"}, office...), proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{"Forwarded: for=unknown"}},
		{name: "Forwarded obfuscated", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{"Forwarded: for=_hidden"}},
		{name: "Forwarded without for", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{"Forwarded: proto=https"}},
		{name: "Forwarded escape", allow: office, proxies: proxies, header: "Forwarded", remote: "10.1.2.3:5000", headers: []string{`Forwarded: for="192.0.2.1\0"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			stats := &middleware.Stats{}
			next := &okHandler{}
			h := middleware.Lockout(m, &middleware.LockoutOptions{
				AllowIPs: tt.allow, TrustedProxies: tt.proxies, ForwardedHeader: tt.header, Stats: stats,
			})(next)
			req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
			req.RemoteAddr = tt.remote
			for _, hd := range tt.headers {
				k, v, _ := strings.Cut(hd, ": ")
				req.Header.Add(k, v)
			}
			rec := serve(h, req)
			if tt.want {
				assert.Equal(t, http.StatusOK, rec.Code)
				assert.Equal(t, middleware.Counts{PassedIP: 1}, stats.Counts())
				return
			}
			assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
			assert.Equal(t, middleware.Counts{LockedOut: 1}, stats.Counts())
		})
	}
}

// Malformed entries are refused when the middleware is built, with a
// message naming the option and the entry.
func TestLockout_AllowIPsInvalid(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	tests := []struct {
		entry, why string
	}{
		{"10.0.0.1/33", `netip.ParsePrefix("10.0.0.1/33"): prefix length out of range`},
		{"10.0.0.0/8x", `netip.ParsePrefix("10.0.0.0/8x"): bad bits after slash: "8x"`},
		{"10.0.0.1/8", "bits are set beyond the prefix length (the prefix is 10.0.0.0/8)"},
		{"2001:db8::1/32", "bits are set beyond the prefix length (the prefix is 2001:db8::/32)"},
		{"10.0.0", `ParseAddr("10.0.0"): IPv4 address too short`},
		{"office", `ParseAddr("office"): unable to parse IP`},
		{"fe80::1%eth0", "an address with a zone cannot match a client"},
		{"::ffff:10.0.0.1/104", "bits are set beyond the prefix length (the prefix is ::ffff:10.0.0.0/104)"},
		{"10.0.0.0/-1", `netip.ParsePrefix("10.0.0.0/-1"): bad bits after slash: "-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			for _, opt := range []string{"AllowIPs", "TrustedProxies"} {
				o := &middleware.LockoutOptions{}
				if opt == "AllowIPs" {
					o.AllowIPs = []string{"192.0.2.0/24", tt.entry}
				} else {
					o.TrustedProxies = []string{tt.entry}
				}
				want := "middleware: Lockout: " + opt + ` entry "` + tt.entry + `" is not an IP address or CIDR prefix: ` + tt.why
				assert.PanicsWithValue(t, want, func() { middleware.Lockout(m, o) }, opt)
				assert.PanicsWithValue(t, strings.Replace(want, "Lockout:", "Maintenance: Lockout:", 1),
					func() { middleware.Maintenance(m, &middleware.Options{Lockout: o}) }, opt)
				assert.EqualError(t, o.Validate(), strings.Replace(want, "Lockout:", "LockoutOptions:", 1), "Validate returns it")
			}
		})
	}
	assert.PanicsWithValue(t, `middleware: Lockout: ForwardedHeader "X-Real-IP" is neither "X-Forwarded-For" nor "Forwarded"`,
		func() { middleware.Lockout(m, &middleware.LockoutOptions{ForwardedHeader: "X-Real-IP"}) })
	assert.NotPanics(t, func() { middleware.Lockout(m, &middleware.LockoutOptions{AllowIPs: []string{"", " "}}) }, "blank entries open nothing")
}

// TestLockoutOptions_Validate returns as an error each bad option the
// constructors panic on, and nil for good ones.
func TestLockoutOptions_Validate(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    *middleware.LockoutOptions
		want string // "" for valid
	}{
		{"nil", nil, ""},
		{"defaults", &middleware.LockoutOptions{}, ""},
		{"everything", fullLockout(t), ""},
		{"allow", &middleware.LockoutOptions{Allow: []string{"/healthz", "/tickets/{id"}}, `Allow entry "/tickets/{id"`},
		{"address", &middleware.LockoutOptions{AllowIPs: []string{"office"}}, `AllowIPs entry "office"`},
		{"header", &middleware.LockoutOptions{ForwardedHeader: "X-Real-IP"}, `ForwardedHeader "X-Real-IP"`},
		{"status", &middleware.LockoutOptions{Status: 302}, "Status 302"},
		{"bypass", &middleware.LockoutOptions{Bypass: &middleware.BypassOptions{}}, "Bypass.Secrets is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "middleware: LockoutOptions: "+tt.want)
		})
	}
}

// TestLockout_AllowIPsRaw sends raw requests to real servers on IPv4 and
// IPv6 loopback: the peer's own address lets it through, a forged
// X-Forwarded-For from a peer that is no trusted proxy does not, and the
// one from a trusted proxy is believed.
func TestLockout_AllowIPsRaw(t *testing.T) {
	tests := []struct {
		name     string
		network  string // listen address
		allow    []string
		proxies  []string
		headers  []string
		want     string
		wantSkip bool
	}{
		{name: "IPv4 peer allowed", network: "127.0.0.1:0", allow: []string{"127.0.0.0/8"}, want: "admin"},
		{name: "IPv4 peer not allowed", network: "127.0.0.1:0", allow: []string{"192.0.2.0/24"}, want: "503"},
		{name: "IPv4 forged", network: "127.0.0.1:0", allow: []string{"192.0.2.0/24"}, headers: []string{"X-Forwarded-For: 192.0.2.10", "Forwarded: for=192.0.2.10"}, want: "503"},
		{name: "IPv4 forged, other proxies trusted", network: "127.0.0.1:0", allow: []string{"192.0.2.0/24"}, proxies: []string{"10.0.0.0/8"}, headers: []string{"X-Forwarded-For: 192.0.2.10"}, want: "503"},
		{name: "IPv4 through a trusted proxy", network: "127.0.0.1:0", allow: []string{"192.0.2.0/24"}, proxies: []string{"127.0.0.1"}, headers: []string{"X-Forwarded-For: 192.0.2.10"}, want: "admin"},
		{name: "IPv4-mapped entry through a trusted proxy", network: "127.0.0.1:0", allow: []string{"192.0.2.0/24"}, proxies: []string{"::ffff:127.0.0.1"}, headers: []string{"X-Forwarded-For: ::ffff:192.0.2.10"}, want: "admin"},
		{name: "IPv6 peer allowed", network: "[::1]:0", allow: []string{"::1/128"}, want: "admin"},
		{name: "IPv6 peer, IPv4 loopback listed", network: "[::1]:0", allow: []string{"127.0.0.0/8"}, want: "503"},
		{name: "IPv6 forged", network: "[::1]:0", allow: []string{"2001:db8::/32"}, headers: []string{"X-Forwarded-For: 2001:db8::1"}, want: "503"},
		{name: "IPv6 through a trusted proxy", network: "[::1]:0", allow: []string{"2001:db8::/32"}, proxies: []string{"::1"}, headers: []string{"X-Forwarded-For: 2001:db8::1"}, want: "admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", tt.network)
			if err != nil && os.Getenv("CI") != "true" {
				t.Skipf("cannot listen on %s: %v", tt.network, err)
			}
			require.NoError(t, err)
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			lockout := middleware.Lockout(m, &middleware.LockoutOptions{AllowIPs: tt.allow, TrustedProxies: tt.proxies})
			srv := httptest.NewUnstartedServer(serveMuxHost(lockout))
			srv.Listener.Close()
			srv.Listener = ln
			srv.Start()
			defer srv.Close()
			assert.Equal(t, tt.want, routed(rawResponse(t, ln.Addr().String(), "GET", "/admin/", tt.headers...)))
		})
	}
}
