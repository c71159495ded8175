package main

import (
	"context"
	"net/http"
	"net/http/httptest"
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
