package maintenancetest_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/maintenance/maintenancetest"
)

// An adapter's conformance test is three lines: a fresh store per subtest.
// Put it in the adapter's _test.go as func TestConformance(t *testing.T).
func ExampleRunStoreTests() {
	_ = func(t *testing.T) {
		maintenancetest.RunStoreTests(t, func(t *testing.T) maintenance.Store {
			return memstore.NewWindowStore()
		})
	}
}
