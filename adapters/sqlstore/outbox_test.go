package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/notify/notifytest"
)

func TestOutbox_Conformance(t *testing.T) {
	notifytest.RunOutboxTests(t, func(t *testing.T) notify.Outbox {
		return openDB(t, filepath.Join(t.TempDir(), "events.db")).Outbox()
	})
}
