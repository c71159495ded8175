package middleware_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
)

// ExampleBypassOptions lets staff through the lockout by a secret link,
// which sets a signed cookie, and the office by its address range; the
// others get the host's own page.
func ExampleBypassOptions() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")

	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
		Allow:    []string{"/healthz"},
		AllowIPs: []string{"192.0.2.0/24"}, // the office
		Bypass: &middleware.BypassOptions{
			Secrets: []string{"Tq3vX9pL2mWc8RzK"}, // rand.Text() makes a good one; rotate: new first
		},
		Status: http.StatusOK, // a page, not an error
		Page: func(w http.ResponseWriter, _ *http.Request, p middleware.LockoutPage) {
			fmt.Fprintf(w, "Back at %s. %s", p.Until.Format("15:04 MST"), p.Message)
		},
	})
	h := lockout(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "tickets") }))

	get := func(path, from string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = from
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(path, from, w.Code, strings.TrimSpace(w.Body.String()))
		return w
	}
	get("/tickets", "203.0.113.7:4711") // a customer
	get("/tickets", "192.0.2.25:4711")  // the office
	link := get("/maintenance-bypass/Tq3vX9pL2mWc8RzK", "198.51.100.9:4711")
	cookie := link.Result().Cookies()[0]
	fmt.Println("cookie:", cookie.Name, "HttpOnly", cookie.HttpOnly, "for", time.Duration(cookie.MaxAge)*time.Second)
	get("/tickets", "198.51.100.9:4711", cookie) // staff with the cookie
	// Output:
	// /tickets 203.0.113.7:4711 200 Back at 23:00 UTC. We are performing scheduled maintenance.
	// /tickets 192.0.2.25:4711 200 tickets
	// /maintenance-bypass/Tq3vX9pL2mWc8RzK 198.51.100.9:4711 303 <a href="/">See Other</a>.
	// cookie: sysmaint_bypass HttpOnly true for 12h0m0s
	// /tickets 198.51.100.9:4711 200 tickets
}
