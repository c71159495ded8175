package app_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStatic: /static/ serves its files and nothing else: no directory
// listing.
func TestStatic(t *testing.T) {
	tests := []struct {
		path       string
		wantStatus int
		wantType   string
	}{
		{"/static/style.css", http.StatusOK, "text/css; charset=utf-8"},
		{"/static/app.js", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/nope.css", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/style.css/", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static//", http.StatusNotFound, "text/html; charset=utf-8"},
		{"/static/.", http.StatusNotFound, "text/html; charset=utf-8"},
	}
	h := newHarness(t)
	hc := &http.Client{} // follows redirects, as a browser does
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := hc.Get(h.srv.URL + tt.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantType, resp.Header.Get("Content-Type"))
			b := make([]byte, 4096)
			n, _ := resp.Body.Read(b)
			assert.NotContains(t, string(b[:n]), `<a href="style.css">`, "no listing")
		})
	}
}
