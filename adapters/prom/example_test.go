package prom_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/prom"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

func Example() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")

	// The same counters go into the lockout's options and the collector's.
	stats := &middleware.Stats{}
	relayStats := &notify.RelayStats{} // in notify.RelayOptions.Stats
	app := middleware.Lockout(m, &middleware.LockoutOptions{Stats: stats})(http.NotFoundHandler())
	app.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/tickets", nil))

	reg := prometheus.NewRegistry()
	reg.MustRegister(prom.NewCollector(m, &prom.Options{
		Middleware:    stats,
		Notifications: map[string]prom.DeliverySource{"relay": relayStats.Stats},
	}))
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))

	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		for _, name := range []string{"sysmaint_maintenance_active ", "sysmaint_maintenance_next_change_seconds", "sysmaint_lockout_refused_total", "sysmaint_notifications_delivered_total"} {
			if strings.HasPrefix(line, name) {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// sysmaint_lockout_refused_total 1
	// sysmaint_maintenance_active 1
	// sysmaint_maintenance_next_change_seconds 1800
	// sysmaint_notifications_delivered_total{source="relay"} 0
}
