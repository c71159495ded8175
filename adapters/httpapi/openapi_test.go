package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestOpenAPI_Document(t *testing.T) {
	e := newEnv(t)
	r := e.do(req{method: "GET", path: "/openapi.json"})
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, httpapi.OpenAPI(basePath), r.body)

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(r.body)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	require.Len(t, doc.Servers, 1)
	assert.Equal(t, basePath, doc.Servers[0].URL, "the server URL is the mount prefix")

	var root map[string]any
	require.NoError(t, json.Unmarshal(httpapi.OpenAPI(""), &root))
	assert.Equal(t, []any{map[string]any{"url": "/"}}, root["servers"])

	ids := map[string]bool{}
	for path, pi := range doc.Paths.Map() {
		for method, op := range pi.Operations() {
			assert.NotEmpty(t, op.OperationID, "%s %s", method, path)
			assert.False(t, ids[op.OperationID], "operationId %s is unique", op.OperationID)
			ids[op.OperationID] = true
		}
	}
	assert.Len(t, ids, 15)
}

// TestOpenAPI_Conformance makes the API answer every status the document
// declares for every operation, each exchange checked by kin-openapi
// against the served document (see checker), and fails when a declared
// (operation, status) pair was not seen.
func TestOpenAPI_Conformance(t *testing.T) {
	cov := newCoverage()
	main := newEnv(t, withCoverage(cov))
	failing := &failingStore{WindowStore: memstore.NewWindowStore()}
	down := newEnv(t, withCoverage(cov), withStore(failing))
	racing := &racingStore{WindowStore: memstore.NewWindowStore()}
	busy := newEnv(t, withCoverage(cov), withStore(racing))

	const valid = `{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c"}`
	const replace = `{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c","validity":"valid"}`
	active := func(e *env) string {
		return itoa(e.add(maintenance.Window{Start: e.clock.Now().Add(-time.Hour), Stop: e.clock.Now().Add(time.Hour)}).ID)
	}
	weekly := func(e *env) string { // every Sunday 02:00-04:00 UTC from 29 November
		return itoa(e.add(maintenance.Window{Start: at(113 * time.Hour), Stop: at(115 * time.Hour),
			Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "UTC"}}).ID)
	}
	type opCase struct {
		op   string
		make func(e *env) req // a request that succeeds; it seeds what it needs
		ok   int
	}
	ops := []opCase{
		{"listWindows", func(*env) req { return req{method: "GET", path: "/windows?state=active&limit=5"} }, 200},
		{"createWindow", func(*env) req { return req{method: "POST", path: "/windows", body: valid} }, 201},
		{"getWindow", func(e *env) req { return req{method: "GET", path: "/windows/" + active(e)} }, 200},
		{"replaceWindow", func(e *env) req {
			return req{method: "PUT", path: "/windows/" + active(e), body: replace, header: map[string]string{"If-Match": `"v1"`}}
		}, 200},
		{"deleteWindow", func(e *env) req {
			return req{method: "DELETE", path: "/windows/" + active(e), header: map[string]string{"If-Match": `"v1"`}}
		}, 204},
		{"endWindow", func(e *env) req { return req{method: "POST", path: "/windows/" + active(e) + "/end"} }, 200},
		{"extendWindow", func(e *env) req {
			return req{method: "POST", path: "/windows/" + active(e) + "/extend", body: `{"by_seconds":60}`}
		}, 200},
		{"cancelWindow", func(e *env) req { return req{method: "POST", path: "/windows/" + active(e) + "/cancel", body: `{}`} }, 200},
		{"skipOccurrence", func(e *env) req {
			return req{method: "POST", path: "/windows/" + weekly(e) + "/skip", body: `{"occurrence":"2026-12-06T02:00:00Z"}`}
		}, 200},
		{"moveOccurrence", func(e *env) req {
			return req{method: "POST", path: "/windows/" + weekly(e) + "/move", body: `{"occurrence":"2026-12-06T02:00:00Z","start":"2026-12-05T22:00:00Z","stop":"2026-12-06T00:00:00Z"}`}
		}, 201},
		{"down", func(*env) req { return req{method: "POST", path: "/down", body: `{"for_seconds":60}`} }, 201},
		{"up", func(e *env) req { active(e); return req{method: "POST", path: "/up"} }, 200},
		{"getStatus", func(*env) req { return req{method: "GET", path: "/status"} }, 200},
		{"getCalendar", func(*env) req { return req{method: "GET", path: "/calendar.ics"} }, 200},
		{"getOpenAPI", func(*env) req { return req{method: "GET", path: "/openapi.json"} }, 200},
	}
	declared := func(op string, status int) bool {
		main.check.load()
		for _, pi := range main.check.doc.Paths.Map() {
			for _, o := range pi.Operations() {
				if o.OperationID == op {
					return o.Responses.Status(status) != nil
				}
			}
		}
		t.Fatalf("no operation %s", op)
		return false
	}
	send := func(e *env, q req, want int) {
		t.Helper()
		r := e.do(q)
		assert.Equal(t, want, r.status, "%s %s: %s", q.method, q.path, r.body)
	}
	withHeader := func(q req, k, v string) req {
		h := map[string]string{}
		for hk, hv := range q.header {
			h[hk] = hv
		}
		h[k] = v
		q.header = h
		return q
	}
	huge := `{"comment":"` + strings.Repeat("x", httpapi.DefaultMaxBody) + `"}`
	for _, c := range ops {
		t.Run(c.op, func(t *testing.T) {
			send(main, c.make(main), c.ok)

			q := c.make(main)
			q.token = "-"
			send(main, q, 401)
			q.token = guestToken
			send(main, q, 403)

			if declared(c.op, 503) {
				q := c.make(down)
				failing.fail.Store(true)
				send(down, q, 503)
				failing.fail.Store(false)
			}
			if declared(c.op, 413) {
				q := c.make(main)
				q.body = huge
				send(main, q, 413)
			}
			if declared(c.op, 415) {
				q := c.make(main)
				if q.body == "" {
					q.body = `{}`
				}
				send(main, withHeader(q, "Content-Type", "text/plain"), 415)
			}
			if declared(c.op, 404) {
				q := c.make(main)
				q.path = strings.Replace(q.path, "/windows/", "/windows/9999", 1)
				send(main, q, 404)
			}
			if declared(c.op, 412) {
				send(main, withHeader(c.make(main), "If-Match", `"v99"`), 412)
			}
			if declared(c.op, 428) {
				send(main, withHeader(c.make(main), "If-Match", ""), 428)
			}
			if declared(c.op, 409) {
				q := c.make(busy)
				if c.op == "replaceWindow" {
					q = withHeader(q, "If-Match", "*")
				}
				racing.races.Store(10)
				send(busy, q, 409)
				racing.races.Store(0)
			}
		})
	}

	// The statuses particular to some operations.
	send(main, req{method: "GET", path: "/windows?limit=0"}, 400)
	send(main, req{method: "POST", path: "/windows", body: `[]`}, 400)
	send(main, req{method: "POST", path: "/windows", body: `{"comment":""}`}, 422)
	id := active(main)
	send(main, req{method: "GET", path: "/windows/" + id, header: map[string]string{"If-None-Match": `"v1"`}}, 304)
	send(main, req{method: "GET", path: "/windows/" + id, header: map[string]string{"If-None-Match": `v1`}}, 400)
	send(main, req{method: "PUT", path: "/windows/" + id, body: `{"x":1}`, header: map[string]string{"If-Match": `"v1"`}}, 400)
	send(main, req{method: "PUT", path: "/windows/" + id, body: valid, header: map[string]string{"If-Match": `"v1"`}}, 422)
	send(main, req{method: "DELETE", path: "/windows/" + id, header: map[string]string{"If-Match": `v1`}}, 400)
	send(main, req{method: "POST", path: "/windows/" + id + "/end", body: `{"x":1}`}, 400)
	planned := itoa(main.add(maintenance.Window{Start: at(time.Hour), Stop: at(2 * time.Hour)}).ID)
	send(main, req{method: "POST", path: "/windows/" + planned + "/end"}, 409)
	send(main, req{method: "POST", path: "/windows/" + id + "/extend", body: `{"by_seconds":"1"}`}, 400)
	send(main, req{method: "POST", path: "/windows/" + id + "/extend", body: `{"by_seconds":0}`}, 422)
	send(main, req{method: "POST", path: "/windows/" + id + "/cancel", body: `{"x":1}`}, 400)
	send(main, req{method: "POST", path: "/windows/" + id + "/skip", body: `{"occurrence":1}`}, 400)
	send(main, req{method: "POST", path: "/windows/" + id + "/skip", body: `{"occurrence":"2026-12-06T02:00:00Z"}`}, 409)
	send(main, req{method: "POST", path: "/windows/" + weekly(main) + "/skip", body: `{"occurrence":"2026-12-07T02:00:00Z"}`}, 422)
	send(main, req{method: "POST", path: "/windows/" + id + "/move", body: `{"occurrence":"2026-12-06T02:00:00Z"}`}, 422)
	send(main, req{method: "POST", path: "/windows/" + id + "/move", body: `{"start":1}`}, 400)
	send(main, req{method: "POST", path: "/windows/" + id + "/move", body: `{"occurrence":"2026-12-06T02:00:00Z","start":"2026-12-06T03:00:00Z","stop":"2026-12-06T04:00:00Z"}`}, 409)
	send(main, req{method: "POST", path: "/down", body: `{"for_seconds":true}`}, 400)
	send(main, req{method: "POST", path: "/down", body: `{"for_seconds":0}`}, 422)
	send(main, req{method: "POST", path: "/up", body: `{"x":1}`}, 400)
	r := main.do(req{method: "GET", path: "/calendar.ics"})
	send(main, req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": r.header.Get("ETag")}}, 304)
	send(main, req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": "x"}}, 400)

	main.check.load()
	assert.Empty(t, cov.missing(main.check.doc), "declared (operation, status) pairs no test produced")
}

// TestOpenAPI_CheckerCatchesMismatches shows that the checker fails on an
// answer the document does not describe, so a green run means something.
func TestOpenAPI_CheckerCatchesMismatches(t *testing.T) {
	e := newEnv(t)
	rec := &recordingTB{TB: t}
	c := newChecker(rec, e.url+"/openapi.json", nil)
	c.load()
	// A server that answers like the API but with a field the document
	// does not have, and one that answers 200 to a request the document
	// refuses.
	fake := func(body string, status int) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}
	}
	for _, tt := range []struct {
		name string
		req  *http.Request
		resp *http.Response
	}{
		{"an undeclared field", mustRequest(t, "GET", e.url+"/status", ""), fake(`{"now":"2026-11-24T09:00:00Z","active":false,"active_windows":[],"colour":"red"}`, 200)},
		{"a wrong type", mustRequest(t, "GET", e.url+"/status", ""), fake(`{"now":"2026-11-24T09:00:00Z","active":"no","active_windows":[]}`, 200)},
		{"an undeclared status", mustRequest(t, "GET", e.url+"/status", ""), fake(`{}`, 418)},
		{"success for a refused request", mustRequest(t, "GET", e.url+"/windows?limit=0", ""), fake(`{"windows":[]}`, 200)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec.errors = 0
			c.transport = roundTripFunc(func(*http.Request) (*http.Response, error) { return tt.resp, nil })
			_, err := c.RoundTrip(tt.req)
			require.NoError(t, err)
			assert.Positive(t, rec.errors, "the checker reports the mismatch")
		})
	}
}

// recordingTB counts the errors reported to it instead of failing.
type recordingTB struct {
	testing.TB
	errors int
}

func (r *recordingTB) Errorf(string, ...any) { r.errors++ }

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func mustRequest(t *testing.T, method, url, body string) *http.Request {
	r, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "Bearer "+adminToken)
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return r
}
