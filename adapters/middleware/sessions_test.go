package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/session"
)

// sessionHost is a host's session handling, as EndSessions sees it: the
// session from the "sid" cookie, ended by killing it and redirecting to the
// login page.
type sessionHost struct {
	sm    *session.Manager
	asked int
}

func (h *sessionHost) session(r *http.Request) (session.Session, bool) {
	h.asked++
	c, err := r.Cookie("sid")
	if err != nil {
		return session.Session{}, false
	}
	s, err := h.sm.Get(r.Context(), c.Value)
	return s, err == nil
}

func (h *sessionHost) end(w http.ResponseWriter, r *http.Request, s session.Session) {
	if err := h.sm.Kill(r.Context(), s.ID); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "sid", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func TestEndSessions(t *testing.T) {
	tests := []struct {
		name      string
		now       time.Time
		policy    middleware.SessionPolicy
		sid       string
		wantCode  int
		wantEnded bool
		wantAsked bool
	}{
		{name: "non-admin ended during a window", now: at(12, 30), sid: "anna-1", wantCode: http.StatusSeeOther, wantEnded: true, wantAsked: true},
		{name: "customer ended during a window", now: at(12, 30), sid: "carl-1", wantCode: http.StatusSeeOther, wantEnded: true, wantAsked: true},
		{name: "admin passes", now: at(12, 30), sid: "root-1", wantCode: http.StatusOK, wantAsked: true},
		{name: "no session passes", now: at(12, 30), wantCode: http.StatusOK, wantAsked: true},
		{name: "unknown session passes", now: at(12, 30), sid: "gone", wantCode: http.StatusOK, wantAsked: true},
		{name: "outside a window nothing is asked", now: at(10, 0), sid: "anna-1", wantCode: http.StatusOK},
		{name: "upcoming: not yet", now: at(11, 59), sid: "anna-1", wantCode: http.StatusOK},
		{name: "after the window", now: at(14, 0), sid: "anna-1", wantCode: http.StatusOK},
		{name: "Leave keeps Znuny's behaviour", now: at(12, 30), policy: middleware.Leave, sid: "anna-1", wantCode: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			m, mock := newManager(t, tt.now, window(at(12, 0), at(14, 0)))
			sm := session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})
			for _, s := range []session.Session{
				{ID: "root-1", Kind: session.Agent, UserLogin: "root", Admin: true},
				{ID: "anna-1", Kind: session.Agent, UserLogin: "anna"},
				{ID: "carl-1", Kind: session.Customer, UserLogin: "carl"},
			} {
				_, err := sm.Add(ctx, s)
				require.NoError(t, err)
			}
			host := &sessionHost{sm: sm}
			next := &okHandler{}
			h := middleware.EndSessions(m, &middleware.EndSessionsOptions{Policy: tt.policy, Session: host.session, End: host.end})(next)

			req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
			if tt.sid != "" {
				req.AddCookie(&http.Cookie{Name: "sid", Value: tt.sid})
			}
			rec := serve(h, req)

			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Equal(t, tt.wantAsked, host.asked > 0, "Session asked")
			assert.Equal(t, !tt.wantEnded, next.calls == 1, "next called")
			if tt.sid == "" || tt.sid == "gone" {
				return
			}
			_, err := sm.Get(ctx, tt.sid)
			if tt.wantEnded {
				assert.True(t, errors.Is(err, session.ErrNotFound), "session ended")
				assert.Equal(t, "/login", rec.Header().Get("Location"))
			} else {
				assert.NoError(t, err, "session kept")
			}
		})
	}
}

// With Leave, the middleware is next itself, and Session and End may be nil.
func TestEndSessions_Leave(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	next := &okHandler{}
	assert.Same(t, next, middleware.EndSessions(m, &middleware.EndSessionsOptions{Policy: middleware.Leave})(next))
}

func TestEndSessions_Panics(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	host := &sessionHost{}
	assert.PanicsWithValue(t, "middleware: EndSessions: nil *maintenance.Manager", func() {
		middleware.EndSessions(nil, &middleware.EndSessionsOptions{Session: host.session, End: host.end})
	})
	for name, opts := range map[string]*middleware.EndSessionsOptions{
		"nil options": nil,
		"no Session":  {End: host.end},
		"no End":      {Session: host.session},
	} {
		assert.PanicsWithValue(t, "middleware: EndSessions: Session and End are required unless Policy is Leave", func() { middleware.EndSessions(m, opts) }, name)
	}
	assert.PanicsWithValue(t, "middleware: EndSessions: unknown SessionPolicy(7)", func() {
		middleware.EndSessions(m, &middleware.EndSessionsOptions{Policy: 7, Session: host.session, End: host.end})
	})
}

func TestSessionPolicy_String(t *testing.T) {
	tests := []struct {
		p    middleware.SessionPolicy
		want string
	}{
		{middleware.EndNonAdmin, "end-non-admin"},
		{middleware.Leave, "leave"},
		{-1, "SessionPolicy(-1)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.p.String())
	}
}
