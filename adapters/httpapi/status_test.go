package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestStatus compares GET /status with Manager.Status at instants before,
// during and after a chain of windows.
func TestStatus(t *testing.T) {
	e := newEnv(t)
	a := e.add(maintenance.Window{Start: at(time.Hour), Stop: at(2 * time.Hour), Comment: "a", NotifyMessage: "A"})
	b := e.add(maintenance.Window{Start: at(90 * time.Minute), Stop: at(3*time.Hour + 500*time.Millisecond), Comment: "b"})
	e.add(maintenance.Window{Start: at(3*time.Hour + 500*time.Millisecond), Stop: at(4 * time.Hour), Comment: "c, touching b"})
	e.add(maintenance.Window{Start: at(30 * time.Minute), Stop: at(5 * time.Hour), Comment: "invalid", Validity: maintenance.Invalid})

	for _, d := range []time.Duration{0, 31 * time.Minute, time.Hour, 100 * time.Minute, 3*time.Hour + 500*time.Millisecond, 4 * time.Hour, 5 * time.Hour} {
		t.Run(d.String(), func(t *testing.T) {
			e.clock.Set(at(d))
			now := e.clock.Now()
			want := e.m.StatusAt(now)
			r := e.do(req{method: "GET", path: "/status"})
			require.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
			var got httpapi.Status
			r.decode(t, &got)
			assert.Equal(t, now, got.Now)
			assert.Equal(t, want.Active(), got.Active)
			assert.Equal(t, want.End(), got.End)
			assert.Equal(t, want.Next(), got.Next)
			if w, ok := want.Window(); assert.Equal(t, ok, got.Window != nil) && ok {
				assert.Equal(t, httpapi.NewWindow(w, now), *got.Window)
				secs := int64((want.End().Sub(now) + time.Second - 1) / time.Second)
				assert.Equal(t, secs, got.RetryAfterSeconds)
			} else {
				assert.Zero(t, got.RetryAfterSeconds)
			}
			if w, ok := want.Upcoming(); assert.Equal(t, ok, got.Upcoming != nil) && ok {
				assert.Equal(t, httpapi.NewWindow(w, now), *got.Upcoming)
			}
			var ids, wantIDs []int64
			for _, w := range got.ActiveWindows {
				ids = append(ids, w.ID)
			}
			for _, w := range want.ActiveWindows() {
				wantIDs = append(wantIDs, w.ID)
			}
			assert.Equal(t, wantIDs, ids)
			assert.NotNil(t, got.ActiveWindows)
		})
	}

	e.clock.Set(at(100 * time.Minute))
	st, err := e.client.Status(t.Context())
	require.NoError(t, err)
	assert.Equal(t, b.ID, st.Window.ID, "the window that started last supplies the messages")
	assert.Equal(t, []int64{a.ID, b.ID}, []int64{st.ActiveWindows[0].ID, st.ActiveWindows[1].ID})
	assert.Equal(t, at(4*time.Hour), st.End, "the chain of touching windows ends with c")
	assert.Equal(t, int64((4*time.Hour-100*time.Minute)/time.Second), st.RetryAfterSeconds)
}

func TestStatus_Nothing(t *testing.T) {
	e := newEnv(t)
	r := e.do(req{method: "GET", path: "/status"})
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"now":"2026-11-24T09:00:00Z","active":false,"active_windows":[]}`, string(r.body))
}
