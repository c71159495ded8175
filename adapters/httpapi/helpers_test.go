package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func init() {
	openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder)
}

// t0 is the instant every test starts at.
var t0 = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

// Tokens of the test API: admin and operator may do everything, guest is
// known but forbidden.
const (
	adminToken    = "admin-token"
	operatorToken = "operator-token"
	guestToken    = "guest-token"
	basePath      = "/api"
)

// authorize is the test's AuthorizeFunc: the bearer tokens above, the
// guest refused with ErrForbidden.
var authorize = func() httpapi.AuthorizeFunc {
	bearer := httpapi.BearerTokens(map[string]string{adminToken: "admin", operatorToken: "operator", guestToken: "guest"})
	return func(r *http.Request) (string, error) {
		actor, err := bearer(r)
		if err == nil && actor == "guest" {
			return "", httpapi.ErrForbidden
		}
		return actor, err
	}
}()

// env is an API served over HTTP on a memory (or given) store, with a
// mock clock at t0, and a transport that checks every exchange against
// the served OpenAPI document.
type env struct {
	t       testing.TB
	clock   *clock.Mock
	store   maintenance.Store
	m       *maintenance.Manager
	handler http.Handler
	srv     *httptest.Server
	url     string // srv.URL + basePath
	check   *checker
	client  *httpapi.Client
}

// config changes how newEnv builds an env.
type config struct {
	store    maintenance.Store
	opts     httpapi.Options
	coverage *coverage
}

// newEnv returns a running env; opts change its config.
func newEnv(t testing.TB, opts ...func(*config)) *env {
	t.Helper()
	c := config{store: memstore.NewWindowStore()}
	c.opts.BasePath = basePath
	c.opts.Logger = slog.New(slog.DiscardHandler)
	for _, o := range opts {
		o(&c)
	}
	mock := clock.NewMock()
	mock.Set(t0)
	m := maintenance.New(c.store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, m.Refresh(context.Background()))
	h := httpapi.New(m, authorize, &c.opts)
	mux := http.NewServeMux()
	mux.Handle(basePath+"/", http.StripPrefix(basePath, h))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, clock: mock, store: c.store, m: m, handler: h, srv: srv, url: srv.URL + basePath}
	e.check = newChecker(t, srv.URL+basePath+"/openapi.json", c.coverage)
	e.client = &httpapi.Client{BaseURL: e.url, Token: adminToken, HTTPClient: &http.Client{Transport: e.check}}
	return e
}

// withStore makes the env use s.
func withStore(s maintenance.Store) func(*config) { return func(c *config) { c.store = s } }

// withOptions changes the handler's options.
func withOptions(f func(*httpapi.Options)) func(*config) { return func(c *config) { f(&c.opts) } }

// withCoverage records the env's exchanges in cov.
func withCoverage(cov *coverage) func(*config) { return func(c *config) { c.coverage = cov } }

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// problem decodes the body as a problem, requiring its media type.
func (r response) problem(t testing.TB) httpapi.Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", r.header.Get("Content-Type"), "body: %s", r.body)
	var p httpapi.Problem
	require.NoError(t, json.Unmarshal(r.body, &p))
	require.Equal(t, r.status, p.Status)
	require.NotEmpty(t, p.Title)
	require.NotEmpty(t, p.Type)
	return p
}

// fields returns the problem's field names.
func (r response) fields(t testing.TB) []string {
	var out []string
	for _, f := range r.problem(t).Errors {
		out = append(out, f.Field)
	}
	return out
}

// decode decodes the body into v.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// req describes a request to the API.
type req struct {
	method, path string // path below basePath
	body         string
	header       map[string]string
	token        string // "" means adminToken; "-" none
}

// do sends q through the checking transport.
func (e *env) do(q req) response {
	e.t.Helper()
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	r, err := http.NewRequest(q.method, e.url+q.path, body)
	require.NoError(e.t, err)
	if q.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	switch q.token {
	case "":
		r.Header.Set("Authorization", "Bearer "+adminToken)
	case "-":
	default:
		r.Header.Set("Authorization", "Bearer "+q.token)
	}
	for k, v := range q.header {
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	resp, err := e.check.RoundTrip(r)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// add stores a window through the Manager, as "seed".
func (e *env) add(w maintenance.Window) maintenance.Window {
	e.t.Helper()
	if w.Validity == 0 {
		w.Validity = maintenance.Valid
	}
	if w.Comment == "" {
		w.Comment = "seeded"
	}
	got, err := e.m.Add(context.Background(), w, "seed")
	require.NoError(e.t, err)
	return got
}

// at returns t0 moved by d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// snapshot returns every stored window, to compare before and after a
// request that must write nothing.
func (e *env) snapshot() []maintenance.Window {
	e.t.Helper()
	ws, err := e.store.List(context.Background())
	require.NoError(e.t, err)
	return ws
}

// coverage records the (operation, status) pairs seen by checkers.
type coverage struct {
	mu   sync.Mutex
	seen map[string]map[int]bool
}

func newCoverage() *coverage { return &coverage{seen: map[string]map[int]bool{}} }

func (c *coverage) record(op string, status int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[op] == nil {
		c.seen[op] = map[int]bool{}
	}
	c.seen[op][status] = true
}

// missing lists the (operation, status) pairs doc declares and c has not
// seen, as "operationId status".
func (c *coverage) missing(doc *openapi3.T) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, pi := range doc.Paths.Map() {
		for _, op := range pi.Operations() {
			for code := range op.Responses.Map() {
				var status int
				_, _ = fmt.Sscan(code, &status)
				if !c.seen[op.OperationID][status] {
					out = append(out, op.OperationID+" "+code)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// checker is an http.RoundTripper that sends requests to the API and
// checks each exchange with kin-openapi against the document the API
// serves: a request the document accepts gets an answer the document
// declares, matching its schema and headers; a request the document
// refuses is refused by the API too (4xx); a request for a path or method
// the document lacks gets a problem.
type checker struct {
	t      testing.TB
	docURL string
	cov    *coverage
	// transport sends the requests; nil means http.DefaultTransport.
	transport http.RoundTripper
	once      sync.Once
	doc       *openapi3.T
	router    routers.Router
}

func newChecker(t testing.TB, docURL string, cov *coverage) *checker {
	return &checker{t: t, docURL: docURL, cov: cov}
}

// load fetches and loads the served document once.
func (c *checker) load() {
	c.once.Do(func() {
		req, err := http.NewRequest(http.MethodGet, c.docURL, nil)
		require.NoError(c.t, err)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(c.t, err)
		defer resp.Body.Close()
		require.Equal(c.t, http.StatusOK, resp.StatusCode)
		b, err := io.ReadAll(resp.Body)
		require.NoError(c.t, err)
		loader := openapi3.NewLoader()
		c.doc, err = loader.LoadFromData(b)
		require.NoError(c.t, err)
		require.NoError(c.t, c.doc.Validate(loader.Context), "the served OpenAPI document is not valid")
		c.router, err = gorillamux.NewRouter(c.doc)
		require.NoError(c.t, err)
	})
}

// RoundTrip implements http.RoundTripper.
func (c *checker) RoundTrip(r *http.Request) (*http.Response, error) {
	c.load()
	var reqBody []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		reqBody = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	ctx := context.Background()
	route, params, routeErr := c.router.FindRoute(r)
	var input *openapi3filter.RequestValidationInput
	var reqErr error
	if routeErr == nil {
		input = &openapi3filter.RequestValidationInput{
			Request: r.Clone(ctx), PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
		}
		input.Request.Body = io.NopCloser(bytes.NewReader(reqBody))
		reqErr = openapi3filter.ValidateRequest(ctx, input)
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	send := c.transport
	if send == nil {
		send = http.DefaultTransport
	}
	resp, err := send.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	switch {
	case routeErr != nil:
		// Not an operation of the document (HEAD, an unknown path or
		// method): the answer is a 404 or 405 problem, or a HEAD's.
		if r.Method != http.MethodHead {
			assert.Contains(c.t, []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusUnauthorized, http.StatusForbidden},
				resp.StatusCode, "%s %s is not in the document", r.Method, r.URL)
			c.checkSchema("Problem", resp, body)
		}
	default:
		if reqErr != nil && resp.StatusCode < 400 {
			c.t.Errorf("%s %s: the API answered %d to a request the document refuses: %v", r.Method, r.URL, resp.StatusCode, reqErr)
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: input, Status: resp.StatusCode, Header: resp.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		out.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			c.t.Errorf("%s %s: the answer %d does not match the document: %v\nbody: %s", r.Method, r.URL, resp.StatusCode, err, body)
		}
		if resp.StatusCode >= 400 {
			c.checkSchema("Problem", resp, body)
		}
		c.checkHeaders(route, resp)
		c.cov.record(route.Operation.OperationID, resp.StatusCode)
	}
	return resp, nil
}

// checkSchema checks that body is application/problem+json matching the
// named component schema.
func (c *checker) checkSchema(name string, resp *http.Response, body []byte) {
	if !assert.Equal(c.t, "application/problem+json", resp.Header.Get("Content-Type"), "body: %s", body) {
		return
	}
	var v any
	if !assert.NoError(c.t, json.Unmarshal(body, &v)) {
		return
	}
	assert.NoError(c.t, c.doc.Components.Schemas[name].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()), "body: %s", body)
}

// checkHeaders checks that the headers the document declares for the
// answer's status are present (kin-openapi checks their values only when
// present).
func (c *checker) checkHeaders(route *routers.Route, resp *http.Response) {
	ref := route.Operation.Responses.Status(resp.StatusCode)
	if ref == nil || ref.Value == nil {
		return
	}
	for name := range ref.Value.Headers {
		assert.NotEmpty(c.t, resp.Header.Get(name), "%s %s: header %s is declared for %d", route.Method, route.Path, name, resp.StatusCode)
	}
}

// failingStore is a memory store whose every method fails while fail is
// set, as a database that went away.
type failingStore struct {
	*memstore.WindowStore
	fail atomic.Bool
}

var errStoreDown = errors.New("test: the store is down")

func (s *failingStore) err() error {
	if s.fail.Load() {
		return errStoreDown
	}
	return nil
}

func (s *failingStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if err := s.err(); err != nil {
		return maintenance.Window{}, err
	}
	return s.WindowStore.Create(ctx, w)
}

func (s *failingStore) Get(ctx context.Context, id int64) (maintenance.Window, error) {
	if err := s.err(); err != nil {
		return maintenance.Window{}, err
	}
	return s.WindowStore.Get(ctx, id)
}

func (s *failingStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if err := s.err(); err != nil {
		return maintenance.Window{}, err
	}
	return s.WindowStore.Update(ctx, w)
}

func (s *failingStore) Delete(ctx context.Context, id int64) error {
	if err := s.err(); err != nil {
		return err
	}
	return s.WindowStore.Delete(ctx, id)
}

func (s *failingStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.WindowStore.List(ctx, v...)
}

func (s *failingStore) ListPage(ctx context.Context, q maintenance.PageQuery) (maintenance.Page, error) {
	if err := s.err(); err != nil {
		return maintenance.Page{}, err
	}
	return s.WindowStore.ListPage(ctx, q)
}

// racingStore is a memory store where another writer changes a window
// just before each of the next `races` updates, which then meet a stale
// version.
type racingStore struct {
	*memstore.WindowStore
	races  atomic.Int64
	intrus atomic.Int64 // updates made by the other writer
}

func (s *racingStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if s.races.Load() > 0 {
		s.races.Add(-1)
		cur, err := s.WindowStore.Get(ctx, w.ID)
		if err != nil {
			return maintenance.Window{}, err
		}
		cur.ChangedBy = "other writer"
		if _, err := s.WindowStore.Update(ctx, cur); err != nil {
			return maintenance.Window{}, err
		}
		s.intrus.Add(1)
	}
	return s.WindowStore.Update(ctx, w)
}
