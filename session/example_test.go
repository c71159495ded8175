package session_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/session"
)

// newExampleManager returns a Manager over a memstore, its clock set to a
// fixed date, with an admin ("own"), bob as an agent twice and as a
// customer once, and a customer carol.
func newExampleManager() *session.Manager {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	m := session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})
	ctx := context.Background()
	for _, s := range []session.Session{
		{ID: "own", Kind: session.Agent, UserLogin: "root", UserFullName: "Admin", Admin: true},
		{ID: "s-bob-1", Kind: session.Agent, UserLogin: "bob", UserFullName: "Bob Agent"},
		{ID: "s-bob-2", Kind: session.Agent, UserLogin: "bob", UserFullName: "Bob Agent"},
		{ID: "s-bob-c", Kind: session.Customer, UserLogin: "bob", UserFullName: "Bob Customer"},
		{ID: "s-carol", Kind: session.Customer, UserLogin: "carol", UserFullName: "Carol"},
	} {
		if _, err := m.Add(ctx, s); err != nil {
			panic(err)
		}
		mock.Add(time.Minute)
	}
	return m
}

func Example() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	m := session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})

	// At login, the host records the session with the ID of its cookie.
	s, err := m.Add(ctx, session.Session{
		ID:           "3f6c2a",
		Kind:         session.Agent,
		UserLogin:    "bob",
		UserFullName: "Bob",
		RemoteAddr:   "192.0.2.10",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.ID, s.Kind, s.CreatedAt.Format(time.RFC3339))

	// On each request, it may record the use.
	mock.Add(5 * time.Minute)
	if err := m.Touch(ctx, s.ID); err != nil {
		fmt.Println(err)
		return
	}
	s, _ = m.Get(ctx, s.ID)
	fmt.Println("last request", s.LastRequestAt.Format(time.RFC3339))
	// Output:
	// 3f6c2a agent 2026-11-24T09:00:00Z
	// last request 2026-11-24T09:05:00Z
}

func ExampleManager_Overview() {
	m := newExampleManager()
	o, err := m.Overview(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	c := o.Counts
	fmt.Printf("all %d, unique agents %d, unique customers %d\n", c.All, c.UniqueAgents, c.UniqueCustomers)
	fmt.Println("Agent sessions:")
	for _, s := range o.Agents {
		fmt.Printf("  %s %s %s\n", s.ID, s.Kind, s.UserFullName)
	}
	fmt.Println("Customer sessions:")
	for _, s := range o.Customers {
		fmt.Printf("  %s %s %s\n", s.ID, s.Kind, s.UserFullName)
	}
	// Output:
	// all 5, unique agents 2, unique customers 2
	// Agent sessions:
	//   own agent Admin
	//   s-bob-1 agent Bob Agent
	//   s-bob-2 agent Bob Agent
	// Customer sessions:
	//   s-bob-c customer Bob Customer
	//   s-carol customer Carol
}

func ExampleManager_Counts() {
	m := newExampleManager()
	c, err := m.Counts(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	// bob is one unique agent and one unique customer.
	fmt.Printf("%+v\n", c)
	// Output:
	// {All:5 Agents:3 Customers:2 UniqueAgents:2 UniqueCustomers:2}
}

func ExampleManager_Kill() {
	m := newExampleManager()
	ctx := context.Background()
	fmt.Println(m.Kill(ctx, "s-carol"))
	err := m.Kill(ctx, "s-carol")
	fmt.Println(errors.Is(err, session.ErrNotFound))
	// Output:
	// <nil>
	// true
}

func ExampleManager_KillAllExcept() {
	m := newExampleManager()
	ctx := context.Background()

	// Without the caller's own session ID, nothing is killed.
	_, err := m.KillAllExcept(ctx, "")
	fmt.Println(errors.Is(err, session.ErrNoOwnSession))

	// Nor when the own session is gone (expired, killed by another admin).
	_, err = m.KillAllExcept(ctx, "expired")
	fmt.Println(errors.Is(err, session.ErrNotFound))

	// The own ID comes from the server side: the session of this request.
	n, err := m.KillAllExcept(ctx, "own")
	fmt.Println(n, err)

	ss, _ := m.List(ctx)
	for _, s := range ss {
		fmt.Println("left:", s.ID)
	}
	// Output:
	// true
	// true
	// 4 <nil>
	// left: own
}

func ExampleManager_EndNonAdmin() {
	m := newExampleManager()
	ctx := context.Background()

	// When a maintenance window starts, end everyone who may not work
	// during it.
	n, err := m.EndNonAdmin(ctx)
	fmt.Println(n, err)
	ss, _ := m.List(ctx)
	for _, s := range ss {
		fmt.Println("left:", s.ID, s.Admin)
	}
	// Output:
	// 4 <nil>
	// left: own true
}

func ExampleCount() {
	c := session.Count([]session.Session{
		{Kind: session.Agent, UserLogin: "bob"},
		{Kind: session.Agent, UserLogin: "bob"},
		{Kind: session.Customer, UserLogin: "bob"},
	})
	fmt.Println(c.Agents, c.UniqueAgents, c.Customers, c.UniqueCustomers)
	// Output: 2 1 1 1
}

func ExampleSession_Validate() {
	s := session.Session{ID: "c1", Kind: session.Customer, UserLogin: strings.Repeat("x", 300), Admin: true}
	err := s.Validate()
	fmt.Println(errors.Is(err, session.ErrInvalid))
	var ve *session.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Reason)
		}
	}
	fmt.Println(err)
	// Output:
	// true
	// UserLogin is too long
	// Admin is set on a customer session
	// session: invalid session "c1": UserLogin is too long (over 256 bytes); Admin is set on a customer session
}

func ExampleSession_Normalize() {
	s := session.Session{
		ID:        "3f6c2a",
		Kind:      session.Agent,
		UserLogin: "bob",
		// A client may send a User-Agent of any length, in any bytes.
		UserAgent: strings.Repeat("Mozilla/5.0 ", 100_000) + "\xff",
	}
	s = s.Normalize() // as Manager.Add does
	fmt.Println(len(s.UserAgent), utf8.ValidString(s.UserAgent), s.Validate())
	// Output:
	// 512 true <nil>
}
