package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// fuzzTargets are the requests whose decoding FuzzDecodeWindow drives:
// the body (or, for GET /windows, the query) is the fuzzed data.
var fuzzTargets = []struct{ method, path string }{
	{"POST", "/windows"},
	{"PUT", "/windows/1"},
	{"POST", "/windows/1/extend"},
	{"POST", "/windows/1/end"},
	{"POST", "/windows/1/cancel"},
	{"POST", "/windows/1/skip"},
	{"POST", "/down"},
	{"POST", "/up"},
	{"GET", "/windows"},
}

// fuzzAPI is a handler over a memory store with one active window (ID 1),
// rebuilt now and then so the store stays small.
type fuzzAPI struct {
	store *memstore.WindowStore
	h     http.Handler
	uses  int
}

func (a *fuzzAPI) reset() {
	mock := clock.NewMock()
	mock.Set(t0)
	a.store = memstore.NewWindowStore()
	m := maintenance.New(a.store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	if _, err := m.Add(context.Background(), maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour), Comment: "c", Validity: maintenance.Valid}, "seed"); err != nil {
		panic(err)
	}
	a.h = httpapi.New(m, authorize, &httpapi.Options{Logger: slog.New(slog.DiscardHandler), MaxBody: 4 << 10})
	a.uses = 0
}

// FuzzDecodeWindow sends arbitrary bodies, content types and If-Match
// headers to the endpoints that decode a request. The API never panics,
// never answers 5xx, answers every refusal with a problem, and writes
// nothing unless it answers 2xx.
func FuzzDecodeWindow(f *testing.F) {
	seeds := []string{
		`{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c"}`,
		`{"start":"2026-11-24T10:00:00.123+01:00","stop":"2026-11-24T11:00:00Z","comment":"c","validity":"invalid","lead_seconds":60,"show_login_message":true,"login_message":"x","notify_message":"y"}`,
		`{"start":"2026-11-24T12:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"","validity":"x","lead_seconds":-1}`,
		`{"by_seconds":60}`, `{"by_seconds":9223372036}`, `{"for_seconds":60,"comment":"x"}`, `{}`, ``, `[]`, `{"a":1,"a":2}`,
		`{"comment":"a\u0000b"}`, `{"start":null}`, `{"lead_seconds":1e400}`, "{\"comment\":\"\xff\"}",
		`{"start":"2026-11-29T01:00:00Z","stop":"2026-11-29T03:00:00Z","comment":"c","validity":"valid","recurrence":{"rule":"FREQ=WEEKLY;BYDAY=SU","zone":"Europe/Berlin","exceptions":["2026-12-06T01:00:00Z"]}}`,
		`{"recurrence":null}`, `{"occurrence":"2026-11-24T08:00:00Z"}`, `{"recurrence":{"rule":"FREQ=MONTHLY;BYDAY=1TU","zone":"America/New_York","exceptions":[1,"x"]}}`,
		`{"recurrence":{"rule":"FREQ=DAILY","zone":"UTC","zone":"Local","x":{}}}`,
		`validity=valid&state=active&limit=2`, `from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z`, `cursor=%zz`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s), uint8(0), `"v1"`)
		f.Add(uint8(i+3), []byte(s), uint8(1), ``)
	}
	contentTypes := []string{"application/json", "", "text/plain", "application/json; charset=utf-8", "application/json; charset=latin1"}
	api := &fuzzAPI{}
	api.reset()
	f.Fuzz(func(t *testing.T, target uint8, data []byte, ct uint8, ifMatch string) {
		if api.uses++; api.uses > 200 {
			api.reset()
		}
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		r := httptest.NewRequest(tg.method, "/", bytes.NewReader(data))
		r.URL = &url.URL{Path: tg.path}
		if tg.method == "GET" {
			r = httptest.NewRequest(tg.method, "/", nil)
			r.URL = &url.URL{Path: tg.path, RawQuery: string(data)}
		}
		r.Header.Set("Authorization", "Bearer "+adminToken)
		if c := contentTypes[int(ct)%len(contentTypes)]; c != "" {
			r.Header.Set("Content-Type", c)
		}
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		before, err := api.store.Revision(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		api.h.ServeHTTP(w, r)
		after, err := api.store.Revision(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case w.Code >= 500:
			t.Fatalf("%s %s %q: %d %s", tg.method, tg.path, data, w.Code, w.Body)
		case w.Code >= 300 && after != before:
			t.Fatalf("%s %s %q: answered %d but wrote", tg.method, tg.path, data, w.Code)
		case w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json":
			t.Fatalf("%s %s %q: %d without a problem", tg.method, tg.path, data, w.Code)
		}
	})
}
