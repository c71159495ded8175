// Command helpdesk is the demo host application of sysmaint: a small
// helpdesk with Znuny's "System Maintenance" screens, in one binary with a
// SQLite file.
//
//	go run ./examples/helpdesk            # http://127.0.0.1:8080, ./helpdesk.db
//	go run ./examples/helpdesk -addr 127.0.0.1:9000 -db /tmp/hd.db -lead 60m
//
// On first start it creates three demo users, with these passwords:
//
//	admin / admin-demo        agent, rw on the group admin: manages maintenance
//	agent / agent-demo        agent without admin rights
//	customer / customer-demo  customer (log in at /customer/login)
//
// Agents log in at /login, customers at /customer/login; maintenance admins
// find the screens at /admin/maintenance/. During an active window only
// admins can log in. The program stops cleanly on SIGINT or SIGTERM.
//
// Prometheus metrics are at /metrics, for a scraper on the same machine
// (loopback) or a logged-in maintenance admin. The JSON API and the
// calendar feed are at /api/ (-api-token; the feed's URL is printed).
// Every maintenance event is logged, and announced with -webhook-url (a
// signed Standard Webhook; secrets in $SYSMAINT_WEBHOOK_SECRETS) and
// -chat-url (a Slack-compatible incoming webhook):
//
//	SYSMAINT_WEBHOOK_SECRETS=whsec_... go run ./examples/helpdesk \
//		-webhook-url https://hooks.example.com/maintenance -chat-url https://hooks.slack.com/services/...
//
// Sessions end after -idle-timeout without a request (default 30m) and
// -session-lifetime after the login (default 12h). Failed logins are
// throttled per user name and per client address (see app.LoginLimits).
//
// Behind a reverse proxy that terminates TLS, pass -secure-cookies so the
// session cookie is sent over HTTPS only, and -trusted-proxies with the
// proxy's addresses so that its X-Forwarded-For (the client address, for
// the login throttle) and X-Forwarded-Proto are believed:
//
//	go run ./examples/helpdesk -secure-cookies -trusted-proxies 10.0.0.5,fd00::/64
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// defaultAddr is where the helpdesk listens unless -addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

func main() {
	addr := flag.String("addr", defaultAddr, "address to listen on")
	dbPath := flag.String("db", "helpdesk.db", "SQLite file (created if missing), or a postgres:// URL shared by several instances")
	schema := flag.String("schema", pgstore.DefaultSchema, "PostgreSQL schema of the tables, with a postgres:// -db")
	lead := flag.Duration("lead", maintenance.DefaultLead, "default notice lead time before a window starts")
	iter := flag.Int("pbkdf2-iterations", app.DefaultPasswordIterations, "PBKDF2-SHA-256 iterations for new password hashes")
	endSessions := flag.Bool("end-sessions", false, "end non-admin sessions on their next request during maintenance")
	idle := flag.Duration("idle-timeout", app.DefaultIdleTimeout, "end a session after this long without a request")
	lifetime := flag.Duration("session-lifetime", app.DefaultSessionLifetime, "end a session this long after its login")
	secure := flag.Bool("secure-cookies", false, "mark the session cookie Secure (HTTPS only): set it behind a proxy that terminates TLS")
	token := flag.String("api-token", "admin-demo-token", "bearer token of the JSON API at /api/, acting as the admin (empty: no API access)")
	announce := announceFlags()
	var proxies prefixList
	flag.Var(&proxies, "trusted-proxies", "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (default none)")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg := app.Config{
		Lead: *lead, PasswordIterations: *iter, EndSessions: *endSessions, Logger: log,
		IdleTimeout: *idle, SessionLifetime: *lifetime, SecureCookies: *secure, TrustedProxies: proxies,
	}
	if *token != "" {
		cfg.APITokens = map[string]string{*token: "admin"}
	}
	var err error
	if cfg.Announce, err = announce(); err != nil {
		log.Error("helpdesk: bad flag", "err", err)
		os.Exit(2)
	}
	if err := run(*addr, *dbPath, *schema, cfg); err != nil {
		log.Error("helpdesk: stopped", "err", err)
		os.Exit(1)
	}
}

func run(addr, dbPath, schema string, cfg app.Config) error {
	log := cfg.Logger
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, closer, err := openDatabase(ctx, dbPath, schema)
	if err != nil {
		return err
	}
	defer closer.Close()

	cfg.DB = db
	a, err := app.New(cfg)
	if err != nil {
		return err
	}
	users, err := a.Seed(ctx)
	if err != nil {
		return err
	}
	where := dbPath
	if isPostgres(dbPath) {
		where = "PostgreSQL, schema " + schema // the URL may hold a password
	}
	announce(os.Stdout, addr, where, users, cfg.APITokens, a.FeedPath())

	srv := &http.Server{
		Addr:              addr,
		Handler:           a.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		MaxHeaderBytes:    64 << 10, // bodies are capped by the app
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error { return a.Manager().Run(gctx) }) // follows the other processes sharing the database
	g.Go(func() error {
		// Log and announce the schedule's events (windows scheduled,
		// changed and withdrawn, reminders, starts and ends), each once
		// however many instances share the database.
		return notify.Relay(gctx, a.Manager(), db.Outbox, a.Notifier(), &notify.RelayOptions{Stats: a.RelayStats()}) // exported at /metrics
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	err = g.Wait()
	log.Info("helpdesk: shut down")
	return err
}
