// Package prom exports sysmaint's state to Prometheus: a
// prometheus.Collector ([NewCollector]) that reads, at scrape time, the
// maintenance status, the schedule, the [maintenance.Manager]'s counters
// ([maintenance.Manager.Stats]), the lockout's and login gate's counters
// ([middleware.Stats]) and the deliveries of notifications
// ([notify.RelayStats] and any sender's [notify.DeliveryStats]). Nothing
// is counted on the request path beyond the atomic increments those
// packages make themselves during a window, as
// collectors.NewDBStatsCollector does for database/sql.
//
//	reg := prometheus.NewRegistry()
//	reg.MustRegister(prom.NewCollector(manager, &prom.Options{
//		Middleware:    stats,                         // *middleware.Stats set in the lockout and gate options
//		Notifications: map[string]prom.DeliverySource{"relay": relayStats.Stats},
//	}))
//	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
//
// # Metrics
//
// Every name starts with the namespace, "sysmaint" by default
// ([Options.Namespace]):
//
//	sysmaint_maintenance_active                gauge    1 while a valid window is active, else 0
//	sysmaint_maintenance_upcoming              gauge    1 while a window's notice runs, else 0
//	sysmaint_maintenance_active_windows        gauge    the number of active windows
//	sysmaint_maintenance_next_change_seconds   gauge    seconds until the status next changes
//	                                                    (a notice begins, a window starts or stops);
//	                                                    +Inf when nothing will change
//	sysmaint_windows{validity}                 gauge    windows by validity (see below)
//	sysmaint_schedule_loaded                   gauge    1 once the schedule was loaded from the store
//	sysmaint_schedule_healthy                  gauge    1 while maintenance.Health.OK
//	sysmaint_schedule_loads_total              counter  schedule loads that succeeded
//	sysmaint_schedule_load_failures_total      counter  schedule loads that failed (last good schedule kept)
//	sysmaint_store_write_failures_total        counter  window writes the store failed
//	sysmaint_lockout_refused_total             counter  requests the lockout refused
//	sysmaint_lockout_passed_total{reason}      counter  requests during a window let through by
//	                                                    "address" (AllowIPs) or "bypass" (cookie)
//	sysmaint_bypass_cookies_issued_total       counter  bypass cookies set by the secret link
//	sysmaint_login_refused_total               counter  logins the login gate refused
//	sysmaint_notifications_delivered_total{source}  counter
//	sysmaint_notifications_failed_total{source}     counter  failed delivery attempts
//	sysmaint_notifications_retried_total{source}    counter  failed attempts tried again
//	sysmaint_notifications_dropped_total{source}    counter  events given up
//	sysmaint_notifications_late_total{source}       counter  events delivered late (notify.Event.Late)
//	sysmaint_notifications_last_error_timestamp_seconds{source}  gauge  when the last attempt failed;
//	                                                                    0 when none did
//
// The middleware metrics are exported when [Options.Middleware] is set,
// the notification metrics once per source of [Options.Notifications].
//
// # Windows by validity
//
// The valid windows are counted from the schedule in force, which holds
// them all: no I/O at scrape time. The invalid ones ("invalid",
// "invalid-temporarily") are not in the schedule; with
// [Options.CountInvalid] the collector lists them from the store at each
// scrape (a List of those validities only, bounded by
// [Options.ListTimeout]), and otherwise exports the "valid" series only.
// When the List fails, the invalid series are left out of that scrape and
// sysmaint_windows_list_failures_total counts the failure; the scrape
// itself does not fail.
//
// # Time
//
// "Now" is the Manager's clock ([maintenance.Manager.Clock]), so a
// *clock.Mock drives the collector in tests. [Options.ListTimeout] is a
// bound on I/O in real time.
//
// # Concurrency
//
// A Collector is safe for concurrent use, as prometheus.Collector requires,
// provided the DeliverySource functions are.
package prom
