package httpapi_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestClient(t *testing.T) {
	e := newEnv(t)
	c := e.client
	ctx := t.Context()

	w, err := c.Create(ctx, httpapi.WindowInput{Start: at(time.Hour), Stop: at(2 * time.Hour), Comment: "upgrade", LeadSeconds: 900})
	require.NoError(t, err)
	assert.Equal(t, int64(1), w.ID)
	assert.Equal(t, "valid", w.Validity)
	assert.Equal(t, int64(900), w.LeadSeconds)

	got, err := c.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got)

	in := got.Input()
	in.NotifyMessage = "Back at noon"
	upd, err := c.Update(ctx, w.ID, got.Version, in)
	require.NoError(t, err)
	assert.Equal(t, "Back at noon", upd.NotifyMessage)
	assert.Equal(t, int64(2), upd.Version)

	_, err = c.Update(ctx, w.ID, got.Version, in)
	var p *httpapi.Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusPreconditionFailed, p.Status)
	_, err = c.Update(ctx, w.ID, 0, in)
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusPreconditionRequired, p.Status)

	_, err = c.Create(ctx, httpapi.WindowInput{Start: at(time.Hour), Stop: at(time.Hour), Comment: " "})
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Equal(t, httpapi.TypeInvalid, p.Type)
	assert.Equal(t, []httpapi.FieldError{{Field: "start", Reason: string(maintenance.ReasonNotBeforeStop)}, {Field: "comment", Reason: string(maintenance.ReasonRequired)}}, p.Errors)
	assert.Equal(t, "httpapi: 422 Invalid window: the window is not valid: see errors: start is not before the stop; comment is required", err.Error())

	e.clock.Add(time.Hour + time.Minute)
	ext, err := c.Extend(ctx, w.ID, 30*time.Minute, 0)
	require.NoError(t, err)
	assert.Equal(t, at(150*time.Minute), ext.Stop)
	st, err := c.Status(ctx)
	require.NoError(t, err)
	assert.True(t, st.Active)
	assert.Equal(t, at(150*time.Minute), st.End)

	ended, err := c.End(ctx, w.ID, ext.Version)
	require.NoError(t, err)
	assert.Equal(t, e.clock.Now(), ended.Stop)
	_, err = c.End(ctx, w.ID, 0)
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusConflict, p.Status)

	dn, err := c.Down(ctx, httpapi.DownInput{ForSeconds: 600, Comment: "hotfix"})
	require.NoError(t, err)
	assert.Equal(t, "hotfix", dn.Comment)
	assert.Equal(t, e.clock.Now().Add(10*time.Minute), dn.Stop)
	ups, err := c.Up(ctx)
	require.NoError(t, err)
	require.Len(t, ups, 1)
	assert.Equal(t, dn.ID, ups[0].ID)

	cn, err := c.Cancel(ctx, w.ID, 0)
	require.NoError(t, err)
	assert.Equal(t, "invalid", cn.Validity)

	l, err := c.List(ctx, httpapi.ListOptions{Validity: []string{"invalid"}, From: at(0), To: at(24 * time.Hour), State: []string{"finished"}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, l.Windows, 1)
	assert.Equal(t, w.ID, l.Windows[0].ID)

	feed, err := c.Calendar(ctx)
	require.NoError(t, err)
	_, events := parseFeed(t, feed)
	assert.Len(t, events, 2)

	require.NoError(t, c.Delete(ctx, w.ID, cn.Version))
	_, err = c.Get(ctx, w.ID)
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusNotFound, p.Status)
	err = c.Delete(ctx, dn.ID, 0)
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusPreconditionRequired, p.Status)

	bad := &httpapi.Client{BaseURL: e.url, Token: "wrong"}
	_, err = bad.Status(ctx)
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusUnauthorized, p.Status)
}

func TestClient_Failures(t *testing.T) {
	_, err := (&httpapi.Client{}).Status(t.Context())
	assert.ErrorContains(t, err, "BaseURL")

	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	defer proxy.Close()
	_, err = (&httpapi.Client{BaseURL: proxy.URL}).Status(t.Context())
	var p *httpapi.Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusBadGateway, p.Status)
	assert.Equal(t, "<html>bad gateway</html>", p.Detail, "an answer that is not a problem keeps its status and text")

	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"now":"yesterday"}`))
	}))
	defer garbage.Close()
	_, err = (&httpapi.Client{BaseURL: garbage.URL}).Status(t.Context())
	require.Error(t, err)
	assert.False(t, errors.As(err, &p))
	assert.ErrorContains(t, err, `"yesterday" is not an RFC 3339 instant`)
}

func TestInstants(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC), "2026-11-24T22:00:00Z"},
		{time.Date(2026, 11, 24, 22, 0, 0, 250_000_000, time.UTC), "2026-11-24T22:00:00.250Z"},
		{time.Date(2026, 11, 24, 22, 0, 0, 250_999_999, time.UTC), "2026-11-24T22:00:00.250Z"},
		{time.Date(2026, 11, 24, 23, 0, 0, 0, time.FixedZone("CET", 3600)), "2026-11-24T22:00:00Z"},
		{time.Time{}, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, httpapi.FormatInstant(tt.in))
		if tt.want != "" {
			back, err := httpapi.ParseInstant(tt.want)
			require.NoError(t, err)
			assert.True(t, back.Equal(tt.in.Truncate(time.Millisecond)))
		}
	}
	for _, s := range []string{"2026-11-24T22:00:00", "2026-11-24", "", "2026-11-24T22:00:00+25:00", "2026-11-24 22:00:00Z"} {
		_, err := httpapi.ParseInstant(s)
		assert.Error(t, err, s)
	}
}
