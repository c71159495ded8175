package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

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

// announceFlags declares the flags of app.Announce and returns what reads
// them after flag.Parse. The webhook's secrets come from the environment
// variable SYSMAINT_WEBHOOK_SECRETS (comma-separated, whsec_...), so they
// stay out of the process list and the shell's history.
func announceFlags() func() (app.Announce, error) {
	hook := flag.String("webhook-url", "", "post every maintenance event to this URL as a signed Standard Webhook (secrets in $SYSMAINT_WEBHOOK_SECRETS)")
	chat := flag.String("chat-url", "", "post reminders, starts and ends to this Slack-compatible incoming webhook")
	lang := flag.String("chat-language", "en", "language of the chat messages (en, de)")
	zone := flag.String("chat-zone", "UTC", "IANA time zone of the times in the chat messages")
	return func() (app.Announce, error) {
		a := app.Announce{WebhookURL: *hook, ChatURL: *chat, ChatLanguage: *lang}
		if s := os.Getenv("SYSMAINT_WEBHOOK_SECRETS"); s != "" {
			a.WebhookSecrets = strings.Split(s, ",")
		}
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			return app.Announce{}, fmt.Errorf("helpdesk: -chat-zone: %w", err)
		}
		a.ChatZone = loc
		return a, nil
	}
}
