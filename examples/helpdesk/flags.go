package main

import (
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// prefixList is the -trusted-proxies flag: addresses and CIDR prefixes,
// comma-separated; the flag may be given more than once.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	for item := range strings.SplitSeq(v, ",") {
		p, err := parsePrefix(strings.TrimSpace(item))
		if err != nil {
			return err
		}
		*l = append(*l, p)
	}
	return nil
}

// parsePrefix reads an address (a prefix of its full length) or a prefix.
func parsePrefix(s string) (netip.Prefix, error) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an address or CIDR prefix: %q", s)
	}
	return p.Masked(), nil
}

// announce prints where the helpdesk serves what, the demo users with
// their passwords and the API's tokens.
func announce(w io.Writer, addr, database string, users map[string]string, tokens map[string]string, feed string) {
	fmt.Fprintf(w, "helpdesk: http://%s/login (agents), http://%s/customer/login (customers); database %s\n", addr, addr, database)
	for _, l := range slices.Sorted(maps.Keys(users)) {
		fmt.Fprintf(w, "  demo user %-9s password %s\n", l, users[l])
	}
	for _, t := range slices.Sorted(maps.Keys(tokens)) {
		fmt.Fprintf(w, "  JSON API  http://%s%s/ with Authorization: Bearer %s (acting as %s)\n", addr, app.APIPrefix, t, tokens[t])
	}
	fmt.Fprintf(w, "  calendar  http://%s%s\n", addr, feed)
}
