package app_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// getFrom GETs path as c, relayed by the (trusted, loopback) proxy for the
// client addresses xff; "" sends no X-Forwarded-For.
func (c *client) getFrom(path, xff string) page {
	c.h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.h.srv.URL+path, nil)
	require.NoError(c.h.t, err)
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return c.do(req)
}

// TestMetrics_Access: /metrics answers a client on loopback and a
// maintenance admin; a remote anonymous client, agent or customer is
// refused, also when it puts a loopback address in X-Forwarded-For.
func TestMetrics_Access(t *testing.T) {
	h := newHarness(t, func(c *app.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} // the test server's peer is the proxy
	})
	const remote = "203.0.113.5"
	tests := []struct {
		name string
		who  string // "" anonymous
		xff  string
		want int
	}{
		{name: "loopback, anonymous", want: http.StatusOK},
		{name: "loopback through the proxy", xff: "127.0.0.1", want: http.StatusOK},
		{name: "remote, anonymous", xff: remote, want: http.StatusForbidden},
		{name: "remote claims loopback", xff: "127.0.0.1, " + remote, want: http.StatusForbidden},
		{name: "remote agent", who: "agent", xff: remote, want: http.StatusForbidden},
		{name: "remote customer", who: "customer", xff: remote, want: http.StatusForbidden},
		{name: "remote admin", who: "admin", xff: remote, want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := h.client()
			if tt.who != "" {
				c = h.login(tt.who)
			}
			p := c.getFrom("/metrics", tt.xff)
			assert.Equal(t, tt.want, p.status)
			if tt.want == http.StatusOK {
				assert.Contains(t, p.body, "sysmaint_maintenance_active 0\n")
			} else {
				assert.NotContains(t, p.body, "sysmaint_")
			}
		})
	}
}

// TestMetrics_Content: during a window /metrics says maintenance is
// active, counts the windows by validity and the refused logins.
func TestMetrics_Content(t *testing.T) {
	h := newHarness(t)
	h.addWindow(day.Add(time.Hour), day.Add(3*time.Hour))
	h.clock.Add(2 * time.Hour)
	p := h.client().post("/login", url.Values{"User": {"agent"}, "Password": {h.pw["agent"]}})
	require.Equal(t, http.StatusForbidden, p.status, "refused during the window")

	body := h.client().get("/metrics").body
	for _, want := range []string{
		"sysmaint_maintenance_active 1\n",
		"sysmaint_maintenance_next_change_seconds 3600\n",
		`sysmaint_windows{validity="valid"} 1` + "\n",
		`sysmaint_windows{validity="invalid"} 0` + "\n",
		"sysmaint_login_refused_total 1\n",
		`sysmaint_notifications_delivered_total{source="relay"} 0` + "\n",
		"sysmaint_schedule_healthy 1\n",
	} {
		assert.Contains(t, body, want)
	}
	assert.False(t, strings.Contains(body, "go_goroutines"), "only sysmaint's metrics")
}
