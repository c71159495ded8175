package notifytest_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/notify/notifytest"
)

// An adapter's conformance test is three lines: a fresh outbox per
// subtest. Put it in the adapter's _test.go as
// func TestOutbox_Conformance(t *testing.T).
func ExampleRunOutboxTests() {
	_ = func(t *testing.T) {
		notifytest.RunOutboxTests(t, func(t *testing.T) notify.Outbox {
			return memstore.NewOutbox()
		})
	}
}
