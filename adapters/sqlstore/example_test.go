package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// Open a file, schedule a window through a Manager driven by a mock clock,
// and watch the status change as the clock moves.
func Example() {
	dir, err := os.MkdirTemp("", "sqlstore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "sysmaint.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	mock := clock.NewMock()
	mock.Set(time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC))
	m := maintenance.New(db.Windows(), &maintenance.Options{Clock: mock}) // lead: 30 minutes
	if err := m.Refresh(ctx); err != nil {
		log.Fatal(err)
	}

	w, err := m.Add(ctx, maintenance.Window{
		Start:    time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "admin")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("added window %d, version %d, by %s\n", w.ID, w.Version, w.CreatedBy)

	for _, step := range []time.Duration{0, 45 * time.Minute, 45 * time.Minute, 90 * time.Minute} {
		mock.Add(step)
		now := mock.Now().Format("15:04")
		st := m.Status()
		if active, ok := st.Window(); ok {
			fmt.Printf("%s active: %s until %s\n", now, active.Comment, st.End().Format("15:04"))
		} else if next, ok := st.Upcoming(); ok {
			fmt.Printf("%s coming: %s at %s\n", now, next.Comment, next.Start.Format("15:04"))
		} else {
			fmt.Printf("%s no maintenance\n", now)
		}
	}
	// Output:
	// added window 1, version 1, by admin
	// 09:00 no maintenance
	// 09:45 coming: Database upgrade at 10:00
	// 10:30 active: Database upgrade until 12:00
	// 12:00 no maintenance
}

// A missing window gives an error wrapping maintenance.ErrNotFound, named
// with the operation.
func ExampleWindowStore_Get() {
	dir, err := os.MkdirTemp("", "sqlstore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "sysmaint.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	_, err = db.Windows().Get(context.Background(), 7)
	fmt.Println(err)
	fmt.Println(errors.Is(err, maintenance.ErrNotFound))
	// Output:
	// sqlstore: get window 7: maintenance: window not found
	// true
}

// A DB whose file is deleted while it is open refuses every statement, so
// that no write is acknowledged into a file that nobody opens again, and
// its health says why.
func ExampleDB_Check() {
	dir, err := os.MkdirTemp("", "sqlstore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	path := filepath.Join(dir, "sysmaint.db")
	db, err := sqlstore.Open(ctx, path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	fmt.Println("before:", db.Check(ctx))

	if err := os.Remove(path); err != nil {
		log.Fatal(err)
	}
	fmt.Println("check:", errors.Is(db.Check(ctx), sqlstore.ErrFileGone))
	_, err = db.Windows().Create(ctx, maintenance.Window{
		Start:    time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	})
	fmt.Println("write:", errors.Is(err, sqlstore.ErrFileGone))
	fmt.Println("health:", errors.Is(db.Health().Err(), sqlstore.ErrFileGone))
	// Output:
	// before: <nil>
	// check: true
	// write: true
	// health: true
}
