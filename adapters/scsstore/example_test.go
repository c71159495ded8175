package scsstore_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/session"
)

func Example() {
	sm := scs.New()
	sm.Store = memstore.NewWithCleanupInterval(0) // any scs store that can iterate
	sm.HashTokenInStore = true                    // session IDs are hashes, never cookies
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	st := scsstore.New(sm, &scsstore.Options{Clock: mock})
	sessions := session.New(st, nil)

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// The password and maintenance.Manager.CheckLogin have passed.
		user := r.FormValue("user")
		err := st.Mark(r.Context(), scsstore.Info{Kind: session.Agent, UserLogin: user, Admin: user == "root"})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
	mux.HandleFunc("POST /admin/kill-others", func(w http.ResponseWriter, r *http.Request) {
		n, err := sessions.KillAllExcept(r.Context(), st.SessionID(r.Context()))
		fmt.Fprintln(w, n, err)
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		if s, ok := st.Session(r); ok {
			fmt.Fprintln(w, "hello", s.UserLogin)
			return
		}
		fmt.Fprintln(w, "please log in")
	})
	handler := st.LoadAndSave(mux) // instead of sm.LoadAndSave(mux)

	// A browser: one request, with the session cookie if it has one.
	get := func(method, target string, cookie *http.Cookie) (string, *http.Cookie) {
		r := httptest.NewRequest(method, target, nil)
		if cookie != nil {
			r.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, r)
		b, _ := io.ReadAll(rec.Body)
		for _, c := range rec.Result().Cookies() {
			cookie = c
		}
		return string(b), cookie
	}
	_, root := get("POST", "/login?user=root", nil)
	_, bob := get("POST", "/login?user=bob", nil)
	_, carol := get("POST", "/login?user=carol", nil)
	c, _ := sessions.Counts(context.Background())
	fmt.Println("sessions:", c.All)

	out, _ := get("POST", "/admin/kill-others", root)
	fmt.Print("killed: ", out)
	out, _ = get("GET", "/", bob)
	fmt.Print("bob: ", out)
	out, _ = get("GET", "/", carol)
	fmt.Print("carol: ", out)
	out, _ = get("GET", "/", root)
	fmt.Print("root: ", out)
	// Output:
	// sessions: 3
	// killed: 2 <nil>
	// bob: please log in
	// carol: please log in
	// root: hello root
}
