package scsstore_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

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
	// The session data is a string, which codecs other than gob keep too.
	t.Run("memstore with a JSON codec", func(t *testing.T) {
		sessiontest.RunStoreTests(t, func(t *testing.T) session.Store {
			sm := newManager(openMem(t))
			sm.Codec = jsonCodec{}
			return scsstore.New(sm, nil)
		})
	})
}

// jsonCodec is an scs.Codec that writes JSON, as hosts that want readable
// session data do.
type jsonCodec struct{}

type jsonData struct {
	Deadline time.Time      `json:"deadline"`
	Values   map[string]any `json:"values"`
}

func (jsonCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	return json.Marshal(jsonData{deadline, values})
}

func (jsonCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	var d jsonData
	err := json.Unmarshal(b, &d)
	return d.Deadline, d.Values, err
}

var _ scs.Codec = jsonCodec{}
