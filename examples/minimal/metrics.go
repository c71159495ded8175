package main

import (
	"net/http"
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/prom"
	"github.com/sysmaint/sysmaint/maintenance"
)

// metricsHandler serves /metrics for a Prometheus on this machine: the
// maintenance state and the lockout's counters (requests refused, let
// through, bypass cookies), read at scrape time. A client that is not on
// the loopback interface is refused with 403.
func metricsHandler(m *maintenance.Manager, stats *middleware.Stats) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prom.NewCollector(m, &prom.Options{Middleware: stats}))
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !peer.Addr().IsLoopback() {
			http.Error(w, "metrics are served to this machine only", http.StatusForbidden)
			return
		}
		metrics.ServeHTTP(w, r)
	})
}
