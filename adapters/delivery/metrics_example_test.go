package delivery_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/prom"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// The Stats of a sender, of a Queue and of Relay go to Prometheus side by
// side: each is a prom.DeliverySource under a source label of its own.
func ExampleQueue_metrics() {
	failing := notify.NotifierFunc(func(context.Context, notify.Event) error {
		return errors.New("webhook: answered 503") // a sender; its Stats would be a source too
	})
	q, err := delivery.NewQueue(failing, nil)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- q.Run(ctx) }()
	_ = q.Notify(ctx, notify.Event{Kind: notify.EventStarted, Window: maintenance.Window{ID: 1}})
	_ = q.Flush(ctx)
	cancel()
	<-done

	m := maintenance.New(memstore.NewWindowStore(), nil)
	reg := prometheus.NewRegistry()
	reg.MustRegister(prom.NewCollector(m, &prom.Options{Notifications: map[string]prom.DeliverySource{
		"queue": func() notify.DeliveryStats { return q.Stats().DeliveryStats },
	}}))
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "sysmaint_notifications_") && !strings.Contains(line, "timestamp") {
			fmt.Println(line)
		}
	}
	// Output:
	// sysmaint_notifications_delivered_total{source="queue"} 0
	// sysmaint_notifications_dropped_total{source="queue"} 1
	// sysmaint_notifications_failed_total{source="queue"} 1
	// sysmaint_notifications_late_total{source="queue"} 0
	// sysmaint_notifications_retried_total{source="queue"} 0
}
