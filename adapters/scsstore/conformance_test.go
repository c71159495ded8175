package scsstore_test

import (
	"testing"

	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/session"
	"github.com/sysmaint/sysmaint/session/sessiontest"
)

func TestConformance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			sessiontest.RunStoreTests(t, func(t *testing.T) session.Store {
				return scsstore.New(newManager(b.open(t)), nil)
			})
		})
	}
}
