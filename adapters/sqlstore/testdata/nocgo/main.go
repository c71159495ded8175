// Command nocgo opens the SQLite file named by its argument and prints the
// error. The test of package sqlstore builds it with CGO_ENABLED=0, to see
// what a program built without cgo says.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
)

func main() {
	db, err := sqlstore.Open(context.Background(), os.Args[1], nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = db.Close()
}
