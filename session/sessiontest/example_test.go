package sessiontest_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/session"
	"github.com/sysmaint/sysmaint/session/sessiontest"
)

// An adapter's conformance test is three lines: a fresh store per subtest.
// Put it in the adapter's _test.go as func TestConformance(t *testing.T).
func ExampleRunStoreTests() {
	_ = func(t *testing.T) {
		sessiontest.RunStoreTests(t, func(t *testing.T) session.Store {
			return memstore.NewSessionStore()
		})
	}
}
