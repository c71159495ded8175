package memstore_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/maintenance/maintenancetest"
)

func TestConformance(t *testing.T) {
	maintenancetest.RunStoreTests(t, func(*testing.T) maintenance.Store { return memstore.NewWindowStore() })
}
