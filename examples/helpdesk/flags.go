package main

import (
	"fmt"
	"net/netip"
	"strings"
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
