package pgstore_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/notify/notifytest"
)

func TestOutbox_Conformance(t *testing.T) {
	notifytest.RunOutboxTests(t, func(t *testing.T) notify.Outbox { return pgstoretest.Open(t, nil).Outbox() })
}
