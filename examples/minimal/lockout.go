package main

import (
	"fmt"
	"html/template"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/adapters/middleware"
)

// page is the host's own maintenance page: the lockout hands it the
// message, the end and the status code to answer with.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Language}}"><head><meta charset="utf-8"><title>Back soon</title></head>
<body><h1>Back soon</h1><p>{{.Message}}</p>
<p>Expected back at <time datetime="{{.Until.Format "2006-01-02T15:04:05Z07:00"}}">{{.Until.Format "15:04 MST"}}</time>.</p>
</body></html>
`))

// lockoutOptions is the lockout of minimal: /healthz stays open; the
// host's own page; with bypass, a secret link (/maintenance-bypass/SECRET)
// that lets a browser through for a day; with office, the clients from
// those addresses (CIDR) go through.
func lockoutOptions(bypass string, office []string) *middleware.LockoutOptions {
	o := &middleware.LockoutOptions{
		Allow:    []string{"/healthz"},
		AllowIPs: office,
		Page: func(w http.ResponseWriter, _ *http.Request, p middleware.LockoutPage) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(p.Code)
			_ = page.Execute(w, p)
		},
	}
	if bypass != "" {
		o.Bypass = &middleware.BypassOptions{Secrets: []string{bypass}, TTL: 24 * time.Hour}
	}
	return o
}

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds v, an address or a CIDR prefix (the middleware's rule for
// AllowIPs), refusing anything else with an error naming it.
func (l *listFlag) Set(v string) error {
	p, err := netip.ParsePrefix(v)
	switch {
	case err == nil && p != p.Masked():
		return fmt.Errorf("%q has bits set past its prefix length: did you mean %s?", v, p.Masked())
	case err != nil:
		if _, err := netip.ParseAddr(v); err != nil {
			return fmt.Errorf("%q is not an address or a CIDR prefix", v)
		}
	}
	*l = append(*l, v)
	return nil
}
