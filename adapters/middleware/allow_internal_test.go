package middleware

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAllowList_KeptEqualsRouted asks allow lists of many shapes about
// many requests, each several times and in random order, and checks every
// answer (most of them kept ones) against the muxes' own.
func TestAllowList_KeptEqualsRouted(t *testing.T) {
	lists := [][]string{
		{"/healthz", "/static/", "GET /login"},
		{"/static/", "/static/app/"},
		{"/{$}", "/items/{id}", "/files/{p...}"},
		{"status.example.com/", "/healthz"},
		{"POST /login", "GET status.example.com/x"},
		{"/a/{x}", "/{y}/b"},
		{"/caf%C3%A9", "/a!b"},
	}
	var reqs []*http.Request
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		for _, host := range []string{"x", "status.example.com", "status.example.com:8080"} {
			for _, target := range []string{
				"/", "/healthz", "/healthz/", "/static", "/static/", "/static/app", "/static/app/", "/static/app/x.css",
				"/login", "/items/7", "/items/7/edit", "/items/", "/files/a/b", "/x", "/a/c", "/c/b", "/c/d",
				"/caf%C3%A9", "/café", "/a!b", "/a%21b", "/any/path",
			} {
				r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")))
				require.NoError(t, err)
				reqs = append(reqs, r)
			}
		}
	}
	// The same path with and without its raw form.
	r, err := http.NewRequest(http.MethodGet, "http://x/a!b", nil)
	require.NoError(t, err)
	r.URL = &url.URL{Path: "/a!b"}
	reqs = append(reqs, r)

	rng := rand.New(rand.NewPCG(1, 2))
	for _, patterns := range lists {
		a := newAllowList("test", patterns)
		for range 4 {
			for _, i := range rng.Perm(len(reqs)) {
				r := reqs[i]
				want := canonicalPath(r) && a.maybe(r.URL.Path) && a.route(r)
				assert.Equal(t, want, a.allows(r), "%v: %s %s %q (raw %q)", patterns, r.Method, r.Host, r.URL.Path, r.URL.RawPath)
			}
		}
	}
}

// The answers kept stay within their bound, whatever paths come.
func TestAllowList_Bounded(t *testing.T) {
	a := newAllowList("test", []string{"/static/"})
	for i := range 5000 {
		r, err := http.NewRequest(http.MethodGet, fmt.Sprintf("http://x/static/%d.css", i), nil)
		require.NoError(t, err)
		assert.True(t, a.allows(r))
	}
	assert.LessOrEqual(t, a.seen.len(), groupSlots)
	assert.Greater(t, a.seen.len(), groupSlots/2, "the cache is used")
}

// An allowed path asked for again allocates nothing.
func TestAllowList_NoAllocs(t *testing.T) {
	a := newAllowList("test", []string{"/healthz", "/static/", "GET /login"})
	for _, target := range []string{"/healthz", "/static/css/app.css", "/login"} {
		r, err := http.NewRequest(http.MethodGet, "http://x"+target, nil)
		require.NoError(t, err)
		require.True(t, a.allows(r))
		assert.Zero(t, testing.AllocsPerRun(100, func() { a.allows(r) }), target)
	}
}
