package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// A Manager over the in-memory stores: the fake a host's tests use.
func Example() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))

	windows := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = windows.Add(ctx, maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Failover test",
		Validity: maintenance.Valid,
	}, "root")

	sessions := session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})
	for _, s := range []session.Session{
		{ID: "a1", Kind: session.Agent, UserLogin: "root", Admin: true},
		{ID: "a2", Kind: session.Agent, UserLogin: "anna"},
		{ID: "c1", Kind: session.Customer, UserLogin: "carl"},
	} {
		_, _ = sessions.Add(ctx, s)
	}
	if windows.Status().Active() {
		n, _ := sessions.EndNonAdmin(ctx)
		fmt.Println("maintenance active; sessions ended:", n)
	}
	c, _ := sessions.Counts(ctx)
	fmt.Println("sessions left:", c.All)
	// Output:
	// maintenance active; sessions ended: 2
	// sessions left: 1
}
