package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

func TestNewHandler(t *testing.T) {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 11, 59, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 12, 5, 0, 0, time.UTC),
		Comment:  "Demo window",
		Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	h := newHandler(m, notify.New(nil))

	tests := []struct {
		name      string
		now       time.Time
		path      string
		wantCode  int
		wantBody  string
		wantRetry string
	}{
		{name: "upcoming", now: time.Date(2026, 11, 24, 11, 59, 0, 0, time.UTC), path: "/", wantCode: http.StatusOK,
			wantBody: "Hello. Maintenance notice (upcoming): A system maintenance period will start at: 11/24/2026 12:00 UTC and is expected to stop at: 11/24/2026 12:05 UTC\n"},
		{name: "active", now: time.Date(2026, 11, 24, 12, 1, 0, 0, time.UTC), path: "/", wantCode: http.StatusServiceUnavailable, wantRetry: "240"},
		{name: "health stays open", now: time.Date(2026, 11, 24, 12, 1, 0, 0, time.UTC), path: "/healthz", wantCode: http.StatusOK, wantBody: "ok\n"},
		{name: "over", now: time.Date(2026, 11, 24, 12, 5, 0, 0, time.UTC), path: "/", wantCode: http.StatusOK, wantBody: "Hello. Maintenance notice (none): \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock.Set(tt.now)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Equal(t, tt.wantRetry, rec.Header().Get("Retry-After"))
			if tt.wantBody != "" {
				assert.Equal(t, tt.wantBody, rec.Body.String())
			}
		})
	}
}

// TestDefaultAddr: minimal and the helpdesk demo listen on different
// ports by default, so a newcomer can run both.
func TestDefaultAddr(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "helpdesk", "main.go"), nil, 0)
	require.NoError(t, err)
	var helpdesk string
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) == 1 && vs.Names[0].Name == "defaultAddr" {
				lit, ok := vs.Values[0].(*ast.BasicLit)
				require.True(t, ok, "the helpdesk's defaultAddr is a string literal")
				helpdesk, err = strconv.Unquote(lit.Value)
				require.NoError(t, err)
			}
		}
	}
	require.NotEmpty(t, helpdesk, "examples/helpdesk/main.go declares defaultAddr")
	_, minimalPort, err := net.SplitHostPort(defaultAddr)
	require.NoError(t, err)
	_, helpdeskPort, err := net.SplitHostPort(helpdesk)
	require.NoError(t, err)
	assert.NotEqual(t, helpdeskPort, minimalPort)
	assert.Equal(t, "127.0.0.1:8081", defaultAddr)
}
