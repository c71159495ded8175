package app

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sysmaint/sysmaint/adapters/prom"
)

// metricsHandler returns the Prometheus handler of /metrics: the
// maintenance state, the schedule's loads and failures, the login gate's
// refusals and the deliveries of notify.Relay and of each sender, all
// read at scrape time,
// with the invalid windows counted from the database.
func (a *App) metricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	sources := map[string]prom.DeliverySource{"relay": a.relayStats.Stats}
	for _, s := range a.announce {
		sources[s.name] = s.stats
	}
	reg.MustRegister(prom.NewCollector(a.windows, &prom.Options{
		Middleware:    a.stats,
		Notifications: sources,
		CountInvalid:  true,
	}))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// serveMetrics serves /metrics to a client on the loopback interface (a
// Prometheus on the same machine) and to a logged-in maintenance admin;
// everyone else is refused with 403, without a redirect to the login page.
// The client's address is the one Config.TrustedProxies says: a request
// relayed by a proxy on the same machine counts as its client's, not as
// loopback, once the proxy is listed there.
func (a *App) serveMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !a.client(r).IsLoopback() {
		c, ok, err := a.lookup(r)
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		if !ok || !c.user.MaintenanceAdmin() {
			a.renderStatus(w, r, http.StatusForbidden, "Metrics are for maintenance admins, or from this machine.")
			return
		}
	}
	a.metrics.ServeHTTP(w, r)
}
