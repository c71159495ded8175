package scsstore

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"
)

// RecordKey is the key under which the kill record lives in the scs store,
// beside the sessions: a key no token can have once scs hashes tokens (a
// hash is 43 characters of base64url, without dots). It is encoded with
// the SessionManager's Codec like a session, so that scs's Iterate still
// decodes every entry; its one value is under RecordKey too.
const RecordKey = "sysmaint.kills"

// recordLifetime is how long the kill record stays in the store after its
// last write. It must outlive every session it ends; when it does expire,
// the next kill starts the generations again from the clock, above every
// generation handed out before.
const recordLifetime = 10 * 365 * 24 * time.Hour

// tombstoneSlack is how much longer than a killed session could live a
// tombstone is kept: room for a request of that session in flight at the
// kill that renews the session's token (and so its deadline) afterwards.
const tombstoneSlack = time.Hour

// record is the kill record: what every instance checks a marked session
// against at each request (see Store.Guard). A session marked with
// generation g and serial s is ended when
//
//   - s is in Dead (killed one by one: Delete, Kill, End), or
//   - g < AllBefore and s is not Except (kill all except own), or
//   - g < NonAdminBefore and the session is not an admin's (end non-admin).
//
// Gen is the generation new sessions are marked with; every kill of many
// raises it, and sessions marked before the raise are the ones ended.
type record struct {
	Gen            int64            `json:"gen"`
	AllBefore      int64            `json:"all_before,omitempty"`
	Except         string           `json:"except,omitempty"`
	NonAdminBefore int64            `json:"non_admin_before,omitempty"`
	Dead           map[string]int64 `json:"dead,omitempty"` // serial -> Unix ms after which no session can hold it
}

// dead reports whether the session w is ended by r.
func (r *record) dead(w *wire) bool {
	if _, ok := r.Dead[w.Serial]; ok {
		return true
	}
	if w.Gen < r.AllBefore && w.Serial != r.Except {
		return true
	}
	return !w.Admin && w.Gen < r.NonAdminBefore
}

// clone returns a copy of r that can be changed without changing r.
func (r *record) clone() *record {
	c := *r
	c.Dead = maps.Clone(r.Dead)
	return &c
}

// next returns the generation a kill of many raises r to: above r's, and
// at least the clock's Unix nanoseconds, so that generations keep rising
// even when the record is lost (it expired, or an operator removed it).
func (r *record) next(now time.Time) int64 {
	return max(r.Gen+1, now.UnixNano())
}

// bury adds serial to Dead until the Unix millisecond until, keeping a
// later instant already there.
func (r *record) bury(serial string, until time.Time) {
	if r.Dead == nil {
		r.Dead = map[string]int64{}
	}
	r.Dead[serial] = max(r.Dead[serial], until.UnixMilli())
}

// prune drops the tombstones whose sessions cannot exist any more at now.
func (r *record) prune(now time.Time) {
	ms := now.UnixMilli()
	for s, until := range r.Dead {
		if until < ms {
			delete(r.Dead, s)
		}
	}
}

// decodeRecord reads the record held by v, the value under RecordKey.
func decodeRecord(v any) (*record, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("scsstore: the kill record %q holds a %T, not its text", RecordKey, v)
	}
	r := new(record)
	if err := json.Unmarshal([]byte(s), r); err != nil {
		return nil, fmt.Errorf("scsstore: the kill record %q is not understood: %w", RecordKey, err)
	}
	return r, nil
}

// encode returns r as the value to keep under RecordKey.
func (r *record) encode() string {
	b, err := json.Marshal(r)
	if err != nil {
		panic("scsstore: encode the kill record: " + err.Error())
	}
	return string(b)
}
