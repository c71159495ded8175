package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// Mount the API under /api with a bearer token for the admin, then put the
// site into maintenance for 30 minutes and end it, from Go as a script
// would with curl.
func Example() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	if err := m.Refresh(context.Background()); err != nil {
		log.Fatal(err)
	}

	api := httpapi.New(m, httpapi.BearerTokens(map[string]string{"s3cret": "admin"}), &httpapi.Options{BasePath: "/api"})
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", api))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := &httpapi.Client{BaseURL: srv.URL + "/api", Token: "s3cret"}
	ctx := context.Background()
	w, err := c.Down(ctx, httpapi.DownInput{ForSeconds: 1800, NotifyMessage: "Upgrading the database"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("window %d from %s to %s, by %s\n", w.ID, httpapi.FormatInstant(w.Start), httpapi.FormatInstant(w.Stop), w.CreatedBy)

	mock.Add(10 * time.Minute)
	st, err := c.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("active: %v, retry after %d s\n", st.Active, st.RetryAfterSeconds)

	ended, err := c.Up(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ended %d window(s) at %s; active: %v\n", len(ended), httpapi.FormatInstant(ended[0].Stop), m.Status().Active())
	// Output:
	// window 1 from 2026-11-24T09:00:00Z to 2026-11-24T09:30:00Z, by admin
	// active: true, retry after 1200 s
	// ended 1 window(s) at 2026-11-24T09:10:00Z; active: false
}

// An invalid window is refused with a *Problem listing every bad field by
// its JSON name, and nothing is written.
func ExampleProblem() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	srv := httptest.NewServer(httpapi.New(m, httpapi.BearerTokens(map[string]string{"s3cret": "admin"}), nil))
	defer srv.Close()

	c := &httpapi.Client{BaseURL: srv.URL, Token: "s3cret"}
	_, err := c.Create(context.Background(), httpapi.WindowInput{
		Start:   time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC),
		Stop:    time.Date(2026, time.November, 24, 11, 0, 0, 0, time.UTC),
		Comment: " ",
	})
	var p *httpapi.Problem
	if errors.As(err, &p) {
		fmt.Println(p.Status, p.Type)
		for _, f := range p.Errors {
			fmt.Println(f.Field, f.Reason)
		}
	}
	// Output:
	// 422 urn:sysmaint:problem:invalid-window
	// start is not before the stop
	// comment is required
}

// The API's own check in front of every request: tokens compared in
// constant time, each naming the actor written into the windows.
func ExampleBearerTokens() {
	check := httpapi.BearerTokens(map[string]string{"s3cret": "alice"})
	r := httptest.NewRequest("GET", "/status", nil)
	r.Header.Set("Authorization", "Bearer s3cret")
	actor, err := check(r)
	fmt.Printf("%q %v\n", actor, err)
	r.Header.Set("Authorization", "Bearer guess")
	actor, err = check(r)
	fmt.Printf("%q %v\n", actor, err)
	// Output:
	// "alice" <nil>
	// "" httpapi: not authenticated
}

// Optimistic concurrency: replace a window only if nobody changed it since
// it was read.
func ExampleClient_Update() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	srv := httptest.NewServer(httpapi.New(m, httpapi.BearerTokens(map[string]string{"s3cret": "admin"}), nil))
	defer srv.Close()
	c := &httpapi.Client{BaseURL: srv.URL, Token: "s3cret"}
	ctx := context.Background()

	w, err := c.Create(ctx, httpapi.WindowInput{
		Start: time.Date(2026, time.November, 24, 22, 0, 0, 0, time.UTC), Stop: time.Date(2026, time.November, 24, 23, 0, 0, 0, time.UTC),
		Comment: "Kernel update",
	})
	if err != nil {
		log.Fatal(err)
	}
	in := w.Input()
	in.Stop = in.Stop.Add(30 * time.Minute)
	w2, err := c.Update(ctx, w.ID, w.Version, in)
	fmt.Println(w2.ETag(), httpapi.FormatInstant(w2.Stop), err)
	_, err = c.Update(ctx, w.ID, w.Version, in) // w.Version is stale now
	fmt.Println(err)
	// Output:
	// "v2" 2026-11-24T23:30:00Z <nil>
	// httpapi: 412 Precondition Failed: the window is at version 2, ETag "v2"
}

// A program that reads the store through its own Manager, such as a
// command-line tool given the database, writes the status in the API's
// JSON with NewStatus.
func ExampleNewStatus() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	ctx := context.Background()
	_, err := m.Add(ctx, maintenance.Window{
		Start: mock.Now(), Stop: mock.Now().Add(90 * time.Second), Comment: "Deploy", Validity: maintenance.Valid,
	}, "ops")
	if err != nil {
		log.Fatal(err)
	}

	now := mock.Now()
	st := httpapi.NewStatus(m.StatusAt(now), now) // json.Marshal(st) writes what GET /status answers
	fmt.Printf("active %v, window %d, end %s, retry after %d s\n", st.Active, st.Window.ID, httpapi.FormatInstant(st.End), st.RetryAfterSeconds)
	// Output:
	// active true, window 1, end 2026-11-24T09:01:30Z, retry after 90 s
}
