// Package sysmaint is an embeddable library for planned system maintenance
// in Go web applications: administrators schedule maintenance windows;
// users are warned a lead time before a window starts; while a window is
// active only maintenance admins may log in, customers never; admins end
// the other users' sessions; banners, login-screen messages and 503
// responses all come from one compiled schedule whose check costs a few
// nanoseconds and no allocation.
//
// The packages:
//
//   - [github.com/sysmaint/sysmaint/maintenance]: windows, validation, the
//     compiled schedule and its Status, the Manager, the admin-only login
//     rule, and the Store contract.
//   - [github.com/sysmaint/sysmaint/session]: sessions, their counters, and
//     killing one, all but one's own, or every non-admin session.
//   - [github.com/sysmaint/sysmaint/notify]: the texts users see (banner,
//     login message, login refusal), in their time zone and language.
//   - [github.com/sysmaint/sysmaint/adapters/memstore],
//     [github.com/sysmaint/sysmaint/adapters/sqlstore] and
//     [github.com/sysmaint/sysmaint/adapters/pgstore]: in-memory, SQLite
//     and PostgreSQL stores, all checked by the conformance suites in
//     [github.com/sysmaint/sysmaint/maintenance/maintenancetest] and
//     [github.com/sysmaint/sysmaint/session/sessiontest]. PostgreSQL lets
//     many instances of a host share one truth, with changes pushed to
//     every instance within milliseconds.
//   - [github.com/sysmaint/sysmaint/adapters/scsstore]: the sessions of a
//     host that keeps them in github.com/alexedwards/scs, where they stay,
//     with a guard that keeps killed sessions dead on every instance.
//   - [github.com/sysmaint/sysmaint/adapters/middleware]: net/http
//     middleware: the banner in the request context, the login gate, and
//     an opt-in 503 lockout with Retry-After that each host makes its own
//     (page, status, staff let through by address or a secret link).
//   - [github.com/sysmaint/sysmaint/adapters/prom]: a Prometheus collector
//     of the maintenance state and the counters of the Manager, the
//     middleware and the notifications.
//
// A start:
//
//	db, err := sqlstore.Open(ctx, "app.db", nil)
//	if err != nil { ... }
//	m := maintenance.New(db.Windows(), nil) // real clock, 30-minute lead
//	if err := m.Refresh(ctx); err != nil { ... }
//	go m.Run(ctx) // follow changes made by other processes
//
//	texts := notify.New(nil) // Znuny's default texts, English and German
//	h := middleware.Banner(m, texts, viewerOf)(appHandler)
//	// in a handler: middleware.NoticeFromContext(r.Context()).Text
//
// The demo host in examples/helpdesk shows every screen: go run
// ./examples/helpdesk.
package sysmaint
