// Command scs is a host that keeps its sessions in
// github.com/alexedwards/scs/v2 and gets sysmaint's maintenance behaviour
// through adapters/scsstore: logins refused during a window, the banner,
// non-admin sessions ended when a window is active, and "kill all sessions
// except my own".
//
//	go run ./examples/scs -in 1m -for 5m
//
// It listens on 127.0.0.1:8084 (-addr to change it). Its users, all with
// the password "demo": root (an agent and maintenance admin), bob (an
// agent) and carol (a customer). Try it with curl:
//
//	curl -c root -d user=root -d password=demo http://127.0.0.1:8084/login
//	curl -c bob -d user=bob -d password=demo http://127.0.0.1:8084/login
//	curl -b bob http://127.0.0.1:8084/                     # the banner
//	curl -b root -X POST http://127.0.0.1:8084/admin/kill-others
//	curl -b bob http://127.0.0.1:8084/                     # logged out
//
// Once the window starts, bob's next request ends his session and his
// login is refused; root goes on working.
package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	sysmem "github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// user is one of the demo's accounts.
type user struct {
	kind  session.Kind
	admin bool
}

var users = map[string]user{
	"root":  {kind: session.Agent, admin: true},
	"bob":   {kind: session.Agent},
	"carol": {kind: session.Customer},
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8084", "listen address")
	in := flag.Duration("in", time.Minute, "the window starts this long after start-up")
	dur := flag.Duration("for", 5*time.Minute, "the window lasts this long")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := maintenance.New(sysmem.NewWindowStore(), nil)
	start := m.Clock().Now().Add(*in)
	if _, err := m.Add(ctx, maintenance.Window{Start: start, Stop: start.Add(*dur), Comment: "Demo window",
		Validity: maintenance.Valid}, "scs"); err != nil {
		log.Fatal(err)
	}
	go m.Run(ctx)

	sm := scs.New()
	sm.Store = memstore.New()  // or sqlite3store, postgresstore, ...: any store that can iterate
	sm.HashTokenInStore = true // required by scsstore: session IDs are hashes, never cookies
	st := scsstore.New(sm, nil)
	srv := &http.Server{Addr: *addr, Handler: newHandler(m, st), ReadHeaderTimeout: 5 * time.Second}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	log.Printf("maintenance from %s for %s; serving http://%s", start.Format(time.TimeOnly), *dur, *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// newHandler is the host: its login, its pages, and the adapter wired in.
// (A real host also checks a CSRF token on its POSTs; scs's SameSite=Lax
// cookie keeps other sites' forms out here.)
func newHandler(m *maintenance.Manager, st *scsstore.Store) http.Handler {
	sessions := session.New(st, nil) // counts, kill one, kill all except own, end non-admin
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		name := r.PostFormValue("user")
		u, ok := users[name]
		if !ok || subtle.ConstantTimeCompare([]byte(r.PostFormValue("password")), []byte("demo")) != 1 {
			http.Error(w, "Login failed.", http.StatusUnauthorized)
			return
		}
		info := scsstore.Info{Kind: u.kind, UserLogin: name, Admin: u.admin, RemoteAddr: r.RemoteAddr, UserAgent: r.UserAgent()}
		var refused *maintenance.LoginRefusedError
		if err := m.CheckLogin(info.Principal()); errors.As(err, &refused) {
			http.Error(w, refused.Message, http.StatusForbidden) // during a window: admins only
			return
		}
		err := st.Mark(r.Context(), info) // renews the token, records the session
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := st.Kill(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		s, ok := st.Session(r)
		if !ok {
			fmt.Fprintln(w, "Please log in: POST /login with user and password.")
			return
		}
		fmt.Fprintf(w, "Hello %s (%s).\n", s.UserLogin, s.Kind)
		if n := middleware.NoticeFromContext(r.Context()); n.Kind != 0 {
			fmt.Fprintf(w, "Maintenance notice (%s): %s\n", n.Kind, n.Text)
		}
	})
	mux.HandleFunc("POST /admin/kill-others", func(w http.ResponseWriter, r *http.Request) {
		if s, ok := st.Session(r); !ok || !s.Admin {
			http.Error(w, "Maintenance admins only.", http.StatusForbidden)
			return
		}
		n, err := sessions.KillAllExcept(r.Context(), st.SessionID(r.Context())) // the own ID from the server side
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "Killed %d sessions.\n", n)
	})
	return st.LoadAndSave(middleware.Maintenance(m, &middleware.Options{ // instead of sm.LoadAndSave
		Viewer:   st.Viewer,                                                        // the banner: kind, zone, language from Mark
		Sessions: &middleware.EndSessionsOptions{Session: st.Session, End: st.End}, // non-admins out during a window
	})(mux))
}
