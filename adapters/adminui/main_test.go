package adminui_test

import (
	"flag"
	"os"
	"testing"

	"github.com/sysmaint/sysmaint/adapters/adminui/adminuitest"
)

// TestMain says in one line, before the tests run, when the browser tests
// will skip for want of a Chromium (adminuitest.Announce).
func TestMain(m *testing.M) {
	flag.Parse()
	adminuitest.Announce("adapters/adminui")
	os.Exit(m.Run())
}
