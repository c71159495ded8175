package httpapi_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestWindows_CreateGetReplaceDelete(t *testing.T) {
	e := newEnv(t)

	r := e.do(req{method: "POST", path: "/windows", body: `{"start":"2026-11-24T12:00:00+01:00","stop":"2026-11-24T13:30:00.250Z","comment":"DB upgrade","notify_message":"Back soon","lead_seconds":600}`})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var created httpapi.Window
	r.decode(t, &created)
	assert.Equal(t, basePath+"/windows/1", r.header.Get("Location"), "Location carries the mount prefix")
	assert.Equal(t, `"v1"`, r.header.Get("ETag"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Contains(t, string(r.body), `"start":"2026-11-24T11:00:00Z"`, "instants in UTC")
	assert.Contains(t, string(r.body), `"stop":"2026-11-24T13:30:00.250Z"`, "milliseconds when not whole seconds")
	assert.Equal(t, "valid", created.Validity, "validity defaults to valid")
	assert.Equal(t, "planned", created.State)
	assert.Equal(t, int64(600), created.LeadSeconds)
	assert.Equal(t, "admin", created.CreatedBy)
	assert.Equal(t, "admin", created.ChangedBy)
	assert.Equal(t, t0, created.CreatedAt)

	stored, err := e.m.Get(t.Context(), 1)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), stored.Start)
	assert.Equal(t, 10*time.Minute, stored.Lead)
	assert.Equal(t, "Back soon", stored.NotifyMessage)

	r = e.do(req{method: "GET", path: "/windows/1"})
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `"v1"`, r.header.Get("ETag"))
	var got httpapi.Window
	r.decode(t, &got)
	assert.Equal(t, created, got)

	r = e.do(req{method: "GET", path: "/windows/1", header: map[string]string{"If-None-Match": `W/"v1"`}})
	assert.Equal(t, http.StatusNotModified, r.status, "If-None-Match uses the weak comparison")
	assert.Empty(t, r.body)

	e.clock.Set(at(2*time.Hour + 30*time.Minute))
	r = e.do(req{method: "GET", path: "/windows/1"})
	r.decode(t, &got)
	assert.Equal(t, "active", got.State, "the state is taken at the request's instant")
	assert.Equal(t, `"v1"`, r.header.Get("ETag"), "the ETag does not depend on the state")

	in := got.Input()
	in.Comment = "DB upgrade, part 2"
	in.Validity = "invalid-temporarily"
	r = e.do(req{method: "PUT", path: "/windows/1", body: mustJSON(t, in), token: operatorToken, header: map[string]string{"If-Match": `"v1"`}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, `"v2"`, r.header.Get("ETag"))
	r.decode(t, &got)
	assert.Equal(t, "DB upgrade, part 2", got.Comment)
	assert.Equal(t, "invalid-temporarily", got.Validity)
	assert.Equal(t, "admin", got.CreatedBy, "the creator stays")
	assert.Equal(t, "operator", got.ChangedBy)
	assert.Equal(t, e.clock.Now(), got.ChangedAt)

	before := e.snapshot()
	r = e.do(req{method: "PUT", path: "/windows/1", body: mustJSON(t, in), header: map[string]string{"If-Match": `"v1"`}})
	assert.Equal(t, http.StatusPreconditionFailed, r.status, "a stale If-Match")
	r = e.do(req{method: "DELETE", path: "/windows/1", header: map[string]string{"If-Match": `"v1"`}})
	assert.Equal(t, http.StatusPreconditionFailed, r.status)
	r = e.do(req{method: "DELETE", path: "/windows/1"})
	assert.Equal(t, http.StatusPreconditionRequired, r.status)
	assert.Equal(t, before, e.snapshot(), "refused requests write nothing")

	r = e.do(req{method: "DELETE", path: "/windows/1", header: map[string]string{"If-Match": `"v7", "v2"`}})
	assert.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	r = e.do(req{method: "GET", path: "/windows/1"})
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Empty(t, e.snapshot())
}

func TestWindows_ReplaceAnyVersion(t *testing.T) {
	e := newEnv(t)
	w := e.add(maintenance.Window{Start: at(time.Hour), Stop: at(2 * time.Hour)})
	in := httpapi.NewWindow(w, t0).Input()
	in.Stop = at(3 * time.Hour)
	r := e.do(req{method: "PUT", path: "/windows/1", body: mustJSON(t, in), header: map[string]string{"If-Match": "*"}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	got, err := e.m.Get(t.Context(), 1)
	require.NoError(t, err)
	assert.Equal(t, at(3*time.Hour), got.Stop)
	assert.Equal(t, int64(2), got.Version)
}

func TestWindows_List(t *testing.T) {
	e := newEnv(t)
	past := e.add(maintenance.Window{Start: at(-3 * time.Hour), Stop: at(-2 * time.Hour), Comment: "past"})
	now := e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour), Comment: "now"})
	soon := e.add(maintenance.Window{Start: at(2 * time.Hour), Stop: at(3 * time.Hour), Comment: "soon"})
	off := e.add(maintenance.Window{Start: at(4 * time.Hour), Stop: at(5 * time.Hour), Comment: "off", Validity: maintenance.Invalid})
	later := e.add(maintenance.Window{Start: at(4 * time.Hour), Stop: at(6 * time.Hour), Comment: "later", Validity: maintenance.InvalidTemporarily})

	ids := func(q string) []int64 {
		t.Helper()
		r := e.do(req{method: "GET", path: "/windows" + q})
		require.Equal(t, http.StatusOK, r.status, "%s: %s", q, r.body)
		var l httpapi.WindowList
		r.decode(t, &l)
		out := []int64{}
		for _, w := range l.Windows {
			out = append(out, w.ID)
		}
		return out
	}
	tests := []struct {
		query string
		want  []maintenance.Window
	}{
		{"", []maintenance.Window{past, now, soon, off, later}},
		{"?validity=valid", []maintenance.Window{past, now, soon}},
		{"?validity=invalid&validity=invalid-temporarily", []maintenance.Window{off, later}},
		{"?state=active", []maintenance.Window{now}},
		{"?state=planned&validity=valid", []maintenance.Window{soon}},
		{"?state=finished&state=active", []maintenance.Window{past, now}},
		{"?from=2026-11-24T09:30:00Z", []maintenance.Window{now, soon, off, later}},
		{"?to=2026-11-24T11:00:00Z", []maintenance.Window{past, now}},
		{"?from=2026-11-24T10:00:00Z&to=2026-11-24T11:00:01Z", []maintenance.Window{soon}},
		{"?from=2026-11-24T06:00:00Z&to=2026-11-24T06:00:00.001Z", []maintenance.Window{past}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			want := []int64{}
			for _, w := range tt.want {
				want = append(want, w.ID)
			}
			assert.Equal(t, want, ids(tt.query))
		})
	}

	t.Run("pages", func(t *testing.T) {
		var all []int64
		q := "?limit=2"
		for pages := 0; ; pages++ {
			require.Less(t, pages, 5)
			r := e.do(req{method: "GET", path: "/windows" + q})
			require.Equal(t, http.StatusOK, r.status)
			var l httpapi.WindowList
			r.decode(t, &l)
			assert.LessOrEqual(t, len(l.Windows), 2)
			for _, w := range l.Windows {
				all = append(all, w.ID)
			}
			if l.NextCursor == "" {
				break
			}
			q = "?limit=2&cursor=" + l.NextCursor
		}
		assert.Equal(t, []int64{past.ID, now.ID, soon.ID, off.ID, later.ID}, all)
	})

	t.Run("client pages", func(t *testing.T) {
		ws, err := e.client.ListAll(t.Context(), httpapi.ListOptions{Limit: 1, Validity: []string{"valid"}})
		require.NoError(t, err)
		require.Len(t, ws, 3)
		assert.Equal(t, []string{"past", "now", "soon"}, []string{ws[0].Comment, ws[1].Comment, ws[2].Comment})
	})
}

func TestWindows_ListBounded(t *testing.T) {
	e := newEnv(t)
	for i := range httpapi.MaxLimit + 5 {
		e.add(maintenance.Window{Start: at(time.Duration(i) * time.Minute), Stop: at(time.Duration(i)*time.Minute + time.Hour)})
	}
	r := e.do(req{method: "GET", path: "/windows"})
	var l httpapi.WindowList
	r.decode(t, &l)
	assert.Len(t, l.Windows, httpapi.DefaultLimit)
	assert.NotEmpty(t, l.NextCursor)
	r = e.do(req{method: "GET", path: "/windows?limit=1000"})
	r.decode(t, &l)
	assert.Len(t, l.Windows, httpapi.MaxLimit)
	r = e.do(req{method: "GET", path: "/windows?limit=1000&cursor=" + l.NextCursor})
	var last httpapi.WindowList
	r.decode(t, &last)
	assert.Len(t, last.Windows, 5)
	assert.Empty(t, last.NextCursor)
}

// listCountingStore counts the calls of List, which reads every window.
type listCountingStore struct {
	*memstore.WindowStore
	lists atomic.Int32
}

func (s *listCountingStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	s.lists.Add(1)
	return s.WindowStore.List(ctx, v...)
}

// TestWindows_ListReadsAPage: without from and to, GET /windows reads one
// page from a store that can list pages, never every window; with them,
// it reads the windows of the validities asked.
func TestWindows_ListReadsAPage(t *testing.T) {
	store := &listCountingStore{WindowStore: memstore.NewWindowStore()}
	e := newEnv(t, withStore(store))
	for i := range 30 {
		e.add(maintenance.Window{Start: at(time.Duration(i-10) * time.Hour), Stop: at(time.Duration(i-10)*time.Hour + 30*time.Minute)})
	}
	store.lists.Store(0)
	for _, q := range []string{"", "?limit=3", "?state=planned&validity=valid&limit=5"} {
		r := e.do(req{method: "GET", path: "/windows" + q})
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	}
	assert.Zero(t, store.lists.Load(), "no List for a page")
	r := e.do(req{method: "GET", path: "/windows?from=2026-11-24T09:30:00Z&limit=3"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, int32(1), store.lists.Load())
}
