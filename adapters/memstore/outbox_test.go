package memstore_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/notify/notifytest"
)

func TestOutbox_Conformance(t *testing.T) {
	notifytest.RunOutboxTests(t, func(*testing.T) notify.Outbox { return memstore.NewOutbox() })
}
