package prom

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// DefaultNamespace starts every metric's name unless [Options.Namespace]
// says otherwise.
const DefaultNamespace = "sysmaint"

// DefaultListTimeout bounds the store List of [Options.CountInvalid].
const DefaultListTimeout = 5 * time.Second

// DeliverySource reports what one deliverer of notifications did so far:
// (*notify.RelayStats).Stats, or a sender's stats turned into a
// [notify.DeliveryStats]. It is called at every scrape and must be cheap
// and safe for concurrent use.
type DeliverySource func() notify.DeliveryStats

// Options configures [NewCollector]. A nil *Options, and every zero field,
// means the default.
type Options struct {
	// Namespace starts every metric's name. Default: DefaultNamespace
	// ("sysmaint").
	Namespace string
	// ConstLabels are added to every metric, for instance the name of the
	// instance. Default: none.
	ConstLabels prometheus.Labels
	// Middleware is the counters of the lockout and the login gate, set
	// in their options ([middleware.LockoutOptions.Stats],
	// [middleware.LoginGateOptions.Stats]). Default: nil, no middleware
	// metrics.
	Middleware *middleware.Stats
	// Notifications are the deliverers of notifications, by the name
	// exported as the label "source" ("relay", "webhook", "slack", ...).
	// Default: none, no notification metrics.
	Notifications map[string]DeliverySource
	// CountInvalid counts the invalid windows by listing them from the
	// store at each scrape (see the package documentation, "Windows by
	// validity"). Default: false, only the valid windows, from the
	// schedule.
	CountInvalid bool
	// ListTimeout bounds that List. Default: DefaultListTimeout.
	ListTimeout time.Duration
}

// Collector is a prometheus.Collector of sysmaint's state, read at scrape
// time. Build it with [NewCollector] and register it.
type Collector struct {
	m    *maintenance.Manager
	o    Options
	list atomic.Uint64 // failed Lists of CountInvalid

	active, upcoming, activeWindows, nextChange     *prometheus.Desc
	windows, listFailures                           *prometheus.Desc
	loaded, healthy, loads, loadFailures, writeFail *prometheus.Desc
	refused, passed, issued, loginRefused           *prometheus.Desc
	delivered, failed, retried, dropped, late       *prometheus.Desc
	lastErr                                         *prometheus.Desc
}

// NewCollector returns a Collector of m's state with opts. It does no I/O
// and starts no goroutine. It panics if m is nil.
func NewCollector(m *maintenance.Manager, opts *Options) *Collector {
	if m == nil {
		panic("prom: NewCollector: nil *maintenance.Manager")
	}
	c := &Collector{m: m}
	if opts != nil {
		c.o = *opts
	}
	if c.o.Namespace == "" {
		c.o.Namespace = DefaultNamespace
	}
	if c.o.ListTimeout <= 0 {
		c.o.ListTimeout = DefaultListTimeout
	}
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(c.o.Namespace, "", name), help, labels, c.o.ConstLabels)
	}
	c.active = desc("maintenance_active", "Whether a valid maintenance window is active (1) or not (0).")
	c.upcoming = desc("maintenance_upcoming", "Whether the notice of a coming maintenance window runs (1) or not (0).")
	c.activeWindows = desc("maintenance_active_windows", "Number of active maintenance windows.")
	c.nextChange = desc("maintenance_next_change_seconds", "Seconds until the maintenance status next changes (a notice begins, a window starts or stops); +Inf when nothing will change.")
	c.windows = desc("windows", "Maintenance windows by validity; the invalid ones only when counted from the store.", "validity")
	c.listFailures = desc("windows_list_failures_total", "Store Lists of the invalid windows that failed at scrape time.")
	c.loaded = desc("schedule_loaded", "Whether the schedule was loaded from the store at least once.")
	c.healthy = desc("schedule_healthy", "Whether the schedule is loaded, its last refresh succeeded and no window write is failing.")
	c.loads = desc("schedule_loads_total", "Schedule loads from the store that succeeded.")
	c.loadFailures = desc("schedule_load_failures_total", "Schedule loads from the store that failed; the last good schedule stayed in force.")
	c.writeFail = desc("store_write_failures_total", "Window writes through the Manager that the store failed.")
	c.refused = desc("lockout_refused_total", "Requests the maintenance lockout refused.")
	c.passed = desc("lockout_passed_total", "Requests during a window the lockout let through by client address or bypass cookie.", "reason")
	c.issued = desc("bypass_cookies_issued_total", "Bypass cookies set by the secret link.")
	c.loginRefused = desc("login_refused_total", "Logins the maintenance login gate refused.")
	c.delivered = desc("notifications_delivered_total", "Notifications delivered.", "source")
	c.failed = desc("notifications_failed_total", "Notification delivery attempts that failed.", "source")
	c.retried = desc("notifications_retried_total", "Failed notification deliveries tried again.", "source")
	c.dropped = desc("notifications_dropped_total", "Notifications given up after too many failed attempts.", "source")
	c.late = desc("notifications_late_total", "Notifications delivered late.", "source")
	c.lastErr = desc("notifications_last_error_timestamp_seconds", "When the last notification delivery attempt failed, in Unix seconds; 0 when none did.", "source")
	return c
}

// Describe sends the descriptions of every metric c may export.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		c.active, c.upcoming, c.activeWindows, c.nextChange, c.windows, c.listFailures,
		c.loaded, c.healthy, c.loads, c.loadFailures, c.writeFail,
		c.refused, c.passed, c.issued, c.loginRefused,
		c.delivered, c.failed, c.retried, c.dropped, c.late, c.lastErr,
	} {
		ch <- d
	}
}

// Collect reads the state now and sends it as metrics.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}

	now := c.m.Clock().Now()
	sched := c.m.Schedule()
	st := sched.At(now)
	_, up := st.Upcoming()
	gauge(c.active, boolValue(st.Active()))
	gauge(c.upcoming, boolValue(up))
	gauge(c.activeWindows, float64(st.ActiveCount()))
	next := math.Inf(1)
	if t := st.Next(); !t.IsZero() {
		next = max(t.Sub(now).Seconds(), 0)
	}
	gauge(c.nextChange, next)

	gauge(c.windows, float64(sched.Len()), maintenance.Valid.String())
	if c.o.CountInvalid {
		c.collectInvalid(gauge)
	}
	counter(c.listFailures, c.list.Load())

	h := c.m.Health()
	gauge(c.loaded, boolValue(h.Loaded))
	gauge(c.healthy, boolValue(h.OK()))
	s := c.m.Stats()
	counter(c.loads, s.Loads)
	counter(c.loadFailures, s.LoadFailures)
	counter(c.writeFail, s.WriteFailures)

	if c.o.Middleware != nil {
		mc := c.o.Middleware.Counts()
		counter(c.refused, mc.LockedOut)
		counter(c.passed, mc.PassedIP, "address")
		counter(c.passed, mc.PassedBypass, "bypass")
		counter(c.issued, mc.BypassIssued)
		counter(c.loginRefused, mc.LoginRefused)
	}

	for source, f := range c.o.Notifications {
		if f == nil {
			continue
		}
		d := f()
		counter(c.delivered, d.Delivered, source)
		counter(c.failed, d.Failed, source)
		counter(c.retried, d.Retried, source)
		counter(c.dropped, d.Dropped, source)
		counter(c.late, d.Late, source)
		last := 0.0
		if !d.LastErrAt.IsZero() {
			last = float64(d.LastErrAt.UnixMilli()) / 1e3
		}
		gauge(c.lastErr, last, source)
	}
}

// collectInvalid lists the invalid windows from the store and sends their
// counts; a failed List is counted and sends nothing.
func (c *Collector) collectInvalid(gauge func(d *prometheus.Desc, v float64, labels ...string)) {
	// A bound on I/O in real time, not a reading of "now": the mock
	// clock's contexts are not safe for database/sql (benbjohnson/clock's
	// timerCtx.Err races with the Rows' watcher).
	ctx, cancel := context.WithTimeout(context.Background(), c.o.ListTimeout)
	defer cancel()
	ws, err := c.m.List(ctx, maintenance.Invalid, maintenance.InvalidTemporarily)
	if err != nil {
		c.list.Add(1)
		return
	}
	counts := map[maintenance.Validity]int{}
	for _, w := range ws {
		counts[w.Validity]++
	}
	for _, v := range []maintenance.Validity{maintenance.Invalid, maintenance.InvalidTemporarily} {
		gauge(c.windows, float64(counts[v]), v.String())
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
