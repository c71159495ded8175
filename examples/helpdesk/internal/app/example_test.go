package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// The helpdesk over a SQLite file, seeded with the demo users and served
// by httptest.
func Example() {
	dir, err := os.MkdirTemp("", "helpdesk-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "helpdesk.db"), nil)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	a, err := app.New(app.Config{DB: app.SQLite(db), Clock: mock, PasswordIterations: 1000})
	if err != nil {
		panic(err)
	}
	users, err := a.Seed(ctx)
	if err != nil {
		panic(err)
	}
	logins := make([]string, 0, len(users))
	for l := range users {
		logins = append(logins, l)
	}
	sort.Strings(logins)
	for _, l := range logins {
		fmt.Println(l, users[l])
	}

	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// admin admin-demo
	// agent agent-demo
	// customer customer-demo
	// 200 ok
}
