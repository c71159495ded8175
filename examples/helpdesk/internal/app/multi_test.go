package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// TestPostgres_TwoInstances runs two helpdesks on one PostgreSQL schema,
// as behind a load balancer: a window scheduled on one is enforced by the
// other as soon as it is pushed (the mock clocks never move), the admin
// screen of one counts and kills the sessions of both, and a session killed
// through one is gone for the other at its next request.
func TestPostgres_TwoInstances(t *testing.T) {
	first := pgstoretest.Open(t, nil)
	second, err := pgstore.Open(context.Background(), pgstoretest.DSN(t), &pgstore.Options{Schema: first.Schema()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = second.Close() })
	a := newHarnessOn(t, app.Postgres(first))
	b := newHarnessOn(t, app.Postgres(second)) // seeds again: finds the users there
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- b.app.Manager().Run(ctx) }()
	t.Cleanup(func() { cancel(); assert.NoError(t, <-done) })
	require.Eventually(t, func() bool { return b.app.Manager().Health().Pushing }, 10*time.Second, time.Millisecond)

	admin := a.login("admin")
	customer := b.login("customer")
	agent := b.login("agent")

	// Scheduled on a, active now: b refuses a customer's new login.
	win := a.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
	require.Eventually(t, func() bool { return b.app.Manager().Status().Active() }, 10*time.Second, time.Millisecond,
		"the window scheduled on the first instance never reached the second")
	p := b.client().post("/customer/login", url.Values{"User": {"customer"}, "Password": {b.pw["customer"]}})
	assert.Equal(t, http.StatusForbidden, p.status, "a customer logged in on the second instance during the window")

	// The admin screen on a counts every instance's sessions, and kills
	// them all but the admin's own.
	path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)
	p = admin.get(path)
	require.Equal(t, http.StatusOK, p.status)
	all, _ := textOf(p.body, "AllSessions")
	assert.Equal(t, "3", all)
	p = admin.postT(path+"/sessions/killall", url.Values{})
	require.Equal(t, http.StatusSeeOther, p.status)
	assertToLogin(t, customer.get("/customer/"), "/customer/login")
	assertToLogin(t, agent.get("/"), "/login")
	assert.Equal(t, http.StatusOK, admin.get(path).status, "the admin stays logged in")
}
