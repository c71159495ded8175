package maintenance_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	_ "time/tzdata" // the zones, where the machine has no database
)

// TestMain pins the time zone database to Go's own copy
// (lib/time/zoneinfo.zip, the data time/tzdata embeds), ahead of the
// machine's, so that the daylight-saving tables hold wherever the tests
// run. time.LoadLocation reads ZONEINFO first.
func TestMain(m *testing.M) {
	if zip := filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"); os.Getenv("ZONEINFO") == "" {
		if _, err := os.Stat(zip); err == nil {
			_ = os.Setenv("ZONEINFO", zip)
		}
	}
	os.Exit(m.Run())
}
