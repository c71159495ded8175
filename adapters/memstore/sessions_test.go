package memstore_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/session"
	"github.com/sysmaint/sysmaint/session/sessiontest"
)

func TestSessionStore_Conformance(t *testing.T) {
	sessiontest.RunStoreTests(t, func(*testing.T) session.Store {
		return memstore.NewSessionStore()
	})
}
