// Command minimal is the smallest host of sysmaint: one page behind the
// maintenance banner and the lockout, with one window planned at start-up.
//
//	go run ./examples/minimal -in 1m -for 5m
//
// It listens on 127.0.0.1:8081 (-addr to change it), so it runs beside the
// helpdesk demo, which takes 8080.
//
// Until the window starts, http://127.0.0.1:8081/ shows the upcoming notice;
// during the window every path but /healthz answers 503 with Retry-After
// (its own page, see lockout.go, or JSON with Accept: application/json);
// then the page is back. Staff get through by a secret link or from the
// office:
//
//	go run ./examples/minimal -bypass-secret "$(openssl rand -hex 16)" -office 192.0.2.0/24
//	# then open http://127.0.0.1:8081/maintenance-bypass/<the secret> once
//
// With -admin it also serves sysmaint's admin screens at
// /admin/maintenance/ (schedule, edit, delete windows; the lead time) and
// prints the link that logs you in with a random demo token; see admin.go
// for the few lines it takes.
//
//	go run ./examples/minimal -admin
//
// The windows live in memory, or with -db postgres://... in a PostgreSQL
// database that several instances share: each one that starts plans a
// window, and every instance enforces them all within milliseconds.
//
//	go run ./examples/minimal -db postgres://postgres@127.0.0.1:5432/test
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// defaultAddr is where minimal listens unless -addr says otherwise: not
// the helpdesk's 8080, so both demos run at once.
const defaultAddr = "127.0.0.1:8081"

func main() {
	addr := flag.String("addr", defaultAddr, "listen address")
	in := flag.Duration("in", time.Minute, "the window starts this long after start-up")
	dur := flag.Duration("for", 5*time.Minute, "the window lasts this long")
	db := flag.String("db", "", "a postgres:// URL to share the windows with other instances (default: in memory)")
	schema := flag.String("schema", pgstore.DefaultSchema, "with -db, the PostgreSQL schema of the sysmaint tables")
	admin := flag.Bool("admin", false, "serve the admin screens at /admin/maintenance/ behind a demo token")
	bypass := flag.String("bypass-secret", "", "let a browser through the lockout for a day by /maintenance-bypass/SECRET")
	var office listFlag
	flag.Var(&office, "office", "client addresses or CIDR prefixes let through the lockout (repeatable)")
	flag.Parse()
	if n := len(*bypass); n > 0 && n < 16 {
		log.Fatal("-bypass-secret: at least 16 characters, so that it cannot be guessed")
	}
	if err := run(*addr, *in, *dur, *db, *schema, *admin, lockoutOptions(*bypass, office)); err != nil {
		log.Fatal(err)
	}
}

func run(addr string, in, dur time.Duration, db, schema string, admin bool, lockout *middleware.LockoutOptions) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var store maintenance.Store = memstore.NewWindowStore()
	if db != "" {
		pg, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: schema})
		if err != nil {
			return err
		}
		defer pg.Close()
		store = pg.Windows()
	}
	m := maintenance.New(store, nil)
	start := m.Clock().Now().Add(in)
	w, err := m.Add(ctx, maintenance.Window{
		Start: start, Stop: start.Add(dur), Comment: "Demo window", Validity: maintenance.Valid,
	}, "minimal")
	if err != nil {
		return err
	}
	token := ""
	if admin {
		token = rand.Text()
		log.Printf("admin screens: http://%s/admin/login?token=%s", addr, token)
	}
	http.Handle("/", newHandler(m, notify.New(nil), token, lockout))
	srv := &http.Server{Addr: addr, ReadHeaderTimeout: 5 * time.Second} // DefaultServeMux

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return m.Run(ctx) })
	g.Go(func() error {
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	})
	log.Printf("maintenance from %s to %s; serving http://%s", w.Start.Format(time.TimeOnly), w.Stop.Format(time.TimeOnly), addr)
	return g.Wait()
}

// newHandler is the whole integration: a page that prints the notice, inside
// middleware.Maintenance with the banner (every visitor is a viewer here:
// English, UTC) and the lockout (only /healthz and /metrics stay open
// during the window; /metrics graphs the lockout's counters, metrics.go).
// With an adminToken, the admin screens too (admin.go), which the lockout
// lets the admin through.
func newHandler(m *maintenance.Manager, texts *notify.Texts, adminToken string, lockout *middleware.LockoutOptions) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		n := middleware.NoticeFromContext(r.Context())
		fmt.Fprintf(w, "Hello. Maintenance notice (%s): %s\n", n.Kind, n.Text)
	})
	if lockout == nil {
		lockout = lockoutOptions("", nil)
	}
	lockout.Stats = &middleware.Stats{}
	mux.Handle("GET /metrics", metricsHandler(m, lockout.Stats))
	lockout.Allow = append(lockout.Allow, "GET /metrics")
	if adminToken != "" {
		mountAdmin(mux, m, adminToken)
		lockout.Allow = append(lockout.Allow, "GET /admin/login")
		lockout.IsAdmin = func(r *http.Request) bool { return isAdmin(r, adminToken) }
	}
	return middleware.Maintenance(m, &middleware.Options{
		Texts:   texts,
		Viewer:  func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, true },
		Lockout: lockout,
	})(mux)
}
