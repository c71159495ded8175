package prom_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/prom"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

var day = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func at(hh, mm int) time.Time {
	return day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// failStore fails List and Create while broken is set.
type failStore struct {
	*memstore.WindowStore
	broken bool
}

var errDown = errors.New("database is down")

func (s *failStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	if s.broken {
		return nil, errDown
	}
	return s.WindowStore.List(ctx, v...)
}

func (s *failStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if s.broken {
		return maintenance.Window{}, errDown
	}
	return s.WindowStore.Create(ctx, w)
}

// fixture is a Manager on a mock clock at 11:45 with a window 12:00-14:00
// (its notice runs), an invalid and a temporarily invalid one.
func fixture(t *testing.T) (*maintenance.Manager, *clock.Mock, *failStore) {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(at(11, 45))
	store := &failStore{WindowStore: memstore.NewWindowStore()}
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	require.NoError(t, m.Refresh(ctx))
	for _, w := range []maintenance.Window{
		{Start: at(12, 0), Stop: at(14, 0), Comment: "upgrade", Validity: maintenance.Valid},
		{Start: at(15, 0), Stop: at(16, 0), Comment: "maybe", Validity: maintenance.Invalid},
		{Start: at(17, 0), Stop: at(18, 0), Comment: "later", Validity: maintenance.InvalidTemporarily},
	} {
		_, err := m.Add(ctx, w, "root")
		require.NoError(t, err)
	}
	return m, mock, store
}

const maintenanceHelp = `
# HELP sysmaint_maintenance_active Whether a valid maintenance window is active (1) or not (0).
# TYPE sysmaint_maintenance_active gauge
# HELP sysmaint_maintenance_active_windows Number of active maintenance windows.
# TYPE sysmaint_maintenance_active_windows gauge
# HELP sysmaint_maintenance_next_change_seconds Seconds until the maintenance status next changes (a notice begins, a window starts or stops); +Inf when nothing will change.
# TYPE sysmaint_maintenance_next_change_seconds gauge
# HELP sysmaint_maintenance_upcoming Whether the notice of a coming maintenance window runs (1) or not (0).
# TYPE sysmaint_maintenance_upcoming gauge
`

func TestCollector_Maintenance(t *testing.T) {
	m, mock, _ := fixture(t)
	c := prom.NewCollector(m, nil)
	names := []string{"sysmaint_maintenance_active", "sysmaint_maintenance_upcoming", "sysmaint_maintenance_active_windows", "sysmaint_maintenance_next_change_seconds"}

	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(maintenanceHelp+`
sysmaint_maintenance_active 0
sysmaint_maintenance_active_windows 0
sysmaint_maintenance_next_change_seconds 900
sysmaint_maintenance_upcoming 1
`), names...))

	mock.Set(at(13, 59).Add(30 * time.Second))
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(maintenanceHelp+`
sysmaint_maintenance_active 1
sysmaint_maintenance_active_windows 1
sysmaint_maintenance_next_change_seconds 30
sysmaint_maintenance_upcoming 0
`), names...))

	mock.Set(at(19, 0)) // after every window: nothing will change
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(maintenanceHelp+`
sysmaint_maintenance_active 0
sysmaint_maintenance_active_windows 0
sysmaint_maintenance_next_change_seconds +Inf
sysmaint_maintenance_upcoming 0
`), names...))
	assert.True(t, math.IsInf(testutil.ToFloat64(gaugeOf(t, c, "sysmaint_maintenance_next_change_seconds")), 1))
}

// gaugeOf returns a collector of c's one metric named name.
func gaugeOf(t *testing.T, c prometheus.Collector, name string) prometheus.Collector {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() == name {
			return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: "x"}, func() float64 { return mf.GetMetric()[0].GetGauge().GetValue() })
		}
	}
	require.FailNow(t, "no metric", name)
	return nil
}

const windowsHelp = `
# HELP sysmaint_windows Maintenance windows by validity; the invalid ones only when counted from the store.
# TYPE sysmaint_windows gauge
# HELP sysmaint_windows_list_failures_total Store Lists of the invalid windows that failed at scrape time.
# TYPE sysmaint_windows_list_failures_total counter
`

func TestCollector_Windows(t *testing.T) {
	m, _, store := fixture(t)
	names := []string{"sysmaint_windows", "sysmaint_windows_list_failures_total"}

	require.NoError(t, testutil.CollectAndCompare(prom.NewCollector(m, nil), strings.NewReader(windowsHelp+`
sysmaint_windows{validity="valid"} 1
sysmaint_windows_list_failures_total 0
`), names...), "the schedule only")

	c := prom.NewCollector(m, &prom.Options{CountInvalid: true})
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(windowsHelp+`
sysmaint_windows{validity="invalid"} 1
sysmaint_windows{validity="invalid-temporarily"} 1
sysmaint_windows{validity="valid"} 1
sysmaint_windows_list_failures_total 0
`), names...))

	store.broken = true
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(windowsHelp+`
sysmaint_windows{validity="valid"} 1
sysmaint_windows_list_failures_total 1
`), names...), "a failed List leaves the invalid series out and is counted")

	store.broken = false
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(windowsHelp+`
sysmaint_windows{validity="invalid"} 1
sysmaint_windows{validity="invalid-temporarily"} 1
sysmaint_windows{validity="valid"} 1
sysmaint_windows_list_failures_total 1
`), names...), "healed")
}

func TestCollector_Schedule(t *testing.T) {
	m, _, store := fixture(t)
	c := prom.NewCollector(m, nil)
	help := `
# HELP sysmaint_schedule_healthy Whether the schedule is loaded, its last refresh succeeded and no window write is failing.
# TYPE sysmaint_schedule_healthy gauge
# HELP sysmaint_schedule_load_failures_total Schedule loads from the store that failed; the last good schedule stayed in force.
# TYPE sysmaint_schedule_load_failures_total counter
# HELP sysmaint_schedule_loaded Whether the schedule was loaded from the store at least once.
# TYPE sysmaint_schedule_loaded gauge
# HELP sysmaint_schedule_loads_total Schedule loads from the store that succeeded.
# TYPE sysmaint_schedule_loads_total counter
# HELP sysmaint_store_write_failures_total Window writes through the Manager that the store failed.
# TYPE sysmaint_store_write_failures_total counter
`
	names := []string{"sysmaint_schedule_healthy", "sysmaint_schedule_load_failures_total", "sysmaint_schedule_loaded", "sysmaint_schedule_loads_total", "sysmaint_store_write_failures_total"}
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(help+`
sysmaint_schedule_healthy 1
sysmaint_schedule_load_failures_total 0
sysmaint_schedule_loaded 1
sysmaint_schedule_loads_total 4
sysmaint_store_write_failures_total 0
`), names...))

	store.broken = true
	require.Error(t, m.Refresh(context.Background()))
	_, err := m.Add(context.Background(), maintenance.Window{Start: at(20, 0), Stop: at(21, 0), Comment: "x", Validity: maintenance.Valid}, "root")
	require.Error(t, err)
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(help+`
sysmaint_schedule_healthy 0
sysmaint_schedule_load_failures_total 1
sysmaint_schedule_loaded 1
sysmaint_schedule_loads_total 4
sysmaint_store_write_failures_total 1
`), names...))
}

// The middleware counters, read from a lockout and a login gate that
// share one Stats.
func TestCollector_Middleware(t *testing.T) {
	m, mock, _ := fixture(t)
	mock.Set(at(12, 30))
	stats := &middleware.Stats{}
	secret := "staff-link-2026-november-a1"
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
		AllowIPs: []string{"192.0.2.0/24"}, Bypass: &middleware.BypassOptions{Secrets: []string{secret}}, Stats: stats,
	})(http.NotFoundHandler())
	gate := middleware.LoginGateWith(m, func(*http.Request) (maintenance.Principal, notify.Viewer, bool) {
		return maintenance.Principal{}, notify.Viewer{}, false
	}, &middleware.LoginGateOptions{Stats: stats})(http.NotFoundHandler())

	get := func(h http.Handler, method, path, remote string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		req.RemoteAddr = remote
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	get(lockout, "GET", "/", "203.0.113.1:1")
	get(lockout, "GET", "/", "203.0.113.1:1")
	get(lockout, "GET", "/", "192.0.2.5:1")
	cookies := get(lockout, "GET", "/maintenance-bypass/"+secret, "203.0.113.1:1").Result().Cookies()
	require.Len(t, cookies, 1)
	get(lockout, "GET", "/", "203.0.113.1:1", cookies...)
	get(gate, "POST", "/login", "203.0.113.1:1")

	c := prom.NewCollector(m, &prom.Options{Middleware: stats})
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(`
# HELP sysmaint_bypass_cookies_issued_total Bypass cookies set by the secret link.
# TYPE sysmaint_bypass_cookies_issued_total counter
sysmaint_bypass_cookies_issued_total 1
# HELP sysmaint_lockout_passed_total Requests during a window the lockout let through by client address or bypass cookie.
# TYPE sysmaint_lockout_passed_total counter
sysmaint_lockout_passed_total{reason="address"} 1
sysmaint_lockout_passed_total{reason="bypass"} 1
# HELP sysmaint_lockout_refused_total Requests the maintenance lockout refused.
# TYPE sysmaint_lockout_refused_total counter
sysmaint_lockout_refused_total 2
# HELP sysmaint_login_refused_total Logins the maintenance login gate refused.
# TYPE sysmaint_login_refused_total counter
sysmaint_login_refused_total 1
`), "sysmaint_bypass_cookies_issued_total", "sysmaint_lockout_passed_total", "sysmaint_lockout_refused_total", "sysmaint_login_refused_total"))

	n, err := testutil.GatherAndCount(registry(t, prom.NewCollector(m, nil)), "sysmaint_lockout_refused_total")
	require.NoError(t, err)
	assert.Zero(t, n, "no middleware metrics without Middleware")
}

func registry(t *testing.T, c prometheus.Collector) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	return reg
}

// Notifications from any number of sources, by name; a sender's own
// stats are turned into a notify.DeliveryStats by a small func.
func TestCollector_Notifications(t *testing.T) {
	m, _, _ := fixture(t)
	type senderStats struct{ Sent, Errors, Retries, Dropped uint64 } // a sender's own counters
	sender := senderStats{Sent: 7, Errors: 3, Retries: 2, Dropped: 1}
	failedAt := time.Date(2026, 11, 24, 12, 0, 0, 500e6, time.UTC)
	c := prom.NewCollector(m, &prom.Options{
		ConstLabels: prometheus.Labels{"instance_name": "a"},
		Notifications: map[string]prom.DeliverySource{
			"relay": func() notify.DeliveryStats {
				return notify.DeliveryStats{Delivered: 4, Failed: 2, Retried: 2, Late: 1, LastErr: errDown, LastErrAt: failedAt}
			},
			"webhook": func() notify.DeliveryStats {
				return notify.DeliveryStats{Delivered: sender.Sent, Failed: sender.Errors, Retried: sender.Retries, Dropped: sender.Dropped}
			},
			"none": nil,
		},
	})
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(`
# HELP sysmaint_notifications_delivered_total Notifications delivered.
# TYPE sysmaint_notifications_delivered_total counter
sysmaint_notifications_delivered_total{instance_name="a",source="relay"} 4
sysmaint_notifications_delivered_total{instance_name="a",source="webhook"} 7
# HELP sysmaint_notifications_dropped_total Notifications given up after too many failed attempts.
# TYPE sysmaint_notifications_dropped_total counter
sysmaint_notifications_dropped_total{instance_name="a",source="relay"} 0
sysmaint_notifications_dropped_total{instance_name="a",source="webhook"} 1
# HELP sysmaint_notifications_failed_total Notification delivery attempts that failed.
# TYPE sysmaint_notifications_failed_total counter
sysmaint_notifications_failed_total{instance_name="a",source="relay"} 2
sysmaint_notifications_failed_total{instance_name="a",source="webhook"} 3
# HELP sysmaint_notifications_last_error_timestamp_seconds When the last notification delivery attempt failed, in Unix seconds; 0 when none did.
# TYPE sysmaint_notifications_last_error_timestamp_seconds gauge
sysmaint_notifications_last_error_timestamp_seconds{instance_name="a",source="relay"} 1.7955216005e+09
sysmaint_notifications_last_error_timestamp_seconds{instance_name="a",source="webhook"} 0
# HELP sysmaint_notifications_late_total Notifications delivered late.
# TYPE sysmaint_notifications_late_total counter
sysmaint_notifications_late_total{instance_name="a",source="relay"} 1
sysmaint_notifications_late_total{instance_name="a",source="webhook"} 0
# HELP sysmaint_notifications_retried_total Failed notification deliveries tried again.
# TYPE sysmaint_notifications_retried_total counter
sysmaint_notifications_retried_total{instance_name="a",source="relay"} 2
sysmaint_notifications_retried_total{instance_name="a",source="webhook"} 2
`), "sysmaint_notifications_delivered_total", "sysmaint_notifications_dropped_total", "sysmaint_notifications_failed_total",
		"sysmaint_notifications_last_error_timestamp_seconds", "sysmaint_notifications_late_total", "sysmaint_notifications_retried_total"))
}

// The collector passes the registry's consistency checks and promlint,
// under another namespace too.
func TestCollector_Lint(t *testing.T) {
	m, _, _ := fixture(t)
	for _, ns := range []string{"", "helpdesk"} {
		c := prom.NewCollector(m, &prom.Options{
			Namespace: ns, CountInvalid: true, Middleware: &middleware.Stats{},
			Notifications: map[string]prom.DeliverySource{"relay": (&notify.RelayStats{}).Stats},
		})
		reg := registry(t, c)
		_, err := reg.Gather()
		require.NoError(t, err)
		problems, err := testutil.CollectAndLint(c)
		require.NoError(t, err)
		assert.Empty(t, problems)
		n, err := testutil.GatherAndCount(reg)
		require.NoError(t, err)
		assert.Equal(t, 24, n, "series")
	}
	assert.PanicsWithValue(t, "prom: NewCollector: nil *maintenance.Manager", func() { prom.NewCollector(nil, nil) })
}
