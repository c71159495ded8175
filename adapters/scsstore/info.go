package scsstore

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// Key is the key of the scs session data under which [Store.Mark] records
// a session for sysmaint. Its value is a string (JSON text), which every
// scs Codec can encode and decode, gob and JSON codecs alike. Hosts read it
// through [Store.Session] and [Store.Viewer], and leave it alone.
const Key = "sysmaint.session"

// The most bytes Info's Zone and Language may hold. The other text fields
// have the limits of package session ([session.MaxUserLoginLen] and its
// neighbours).
const (
	MaxZoneLen     = 64 // the longest IANA zone name has 32
	MaxLanguageLen = 35 // the length BCP 47 asks every implementation to handle
)

// Field names and reasons that [Store.Mark] adds to those of package
// session for the two fields an Info has beyond a session.Session.
const (
	FieldZone     = "Zone"
	FieldLanguage = "Language"
	// ReasonUnknownZone means Zone names no IANA time zone the process
	// can load.
	ReasonUnknownZone session.Reason = "is not a known time zone"
)

// Info is what a host tells sysmaint about a session when the user logs
// in: the fields of a [session.Session] the host knows, and the viewer's
// time zone and language for the maintenance banner. [Store.Mark] records
// it in the scs session data; the ID, CreatedAt and LastRequestAt come
// from the session's token and the Store's clock.
type Info struct {
	// Kind says whether the user is an agent or a customer. Required.
	Kind session.Kind
	// UserLogin is the user's login. Required; at most
	// session.MaxUserLoginLen bytes.
	UserLogin string
	// UserFullName is the user's display name; cut to
	// session.MaxUserFullNameLen bytes.
	UserFullName string
	// Admin reports whether the user is a maintenance admin (see
	// [session.Session.Admin]); customers never are.
	Admin bool
	// Zone is the viewer's IANA time zone ("Europe/Berlin"), used by
	// [Store.Viewer]; "" means UTC. At most MaxZoneLen bytes, and a zone
	// time.LoadLocation knows.
	Zone string
	// Language is the viewer's language ("de", "de-AT"); "" means English.
	// At most MaxLanguageLen bytes.
	Language string
	// RemoteAddr is the client's address at login; cut to
	// session.MaxRemoteAddrLen bytes.
	RemoteAddr string
	// UserAgent is the client's User-Agent header at login; cut to
	// session.MaxUserAgentLen bytes.
	UserAgent string
}

// Principal returns the principal of the login rule for info, to check
// with [maintenance.Manager.CheckLogin] before calling [Store.Mark].
func (info Info) Principal() maintenance.Principal {
	return maintenance.Principal{Login: info.UserLogin, Kind: info.Kind, Admin: info.Admin}
}

// wireVersion is the version of the encoding of an Info in the session
// data. A value of another version is not understood, and its session is
// ended rather than trusted.
const wireVersion = 1

// maxWire bounds the value under Key that is parsed: a marked session
// holds at most some 1.7 KB of text, so anything larger is not ours.
const maxWire = 8 << 10

// wire is an Info as the session data keeps it, with what the Store adds:
// the session's serial number and generation, and its instants in Unix
// milliseconds (UTC). Instants from the years 1 to 9999, the zero time
// included, round-trip exactly.
type wire struct {
	V       int          `json:"v"`
	Serial  string       `json:"serial"` // random, kept when the token is renewed
	Gen     int64        `json:"gen"`    // the kill record's generation when marked
	Kind    session.Kind `json:"kind"`
	Login   string       `json:"login"`
	Name    string       `json:"name,omitempty"`
	Admin   bool         `json:"admin,omitempty"`
	Zone    string       `json:"zone,omitempty"`
	Lang    string       `json:"lang,omitempty"`
	Addr    string       `json:"addr,omitempty"`
	Agent   string       `json:"agent,omitempty"`
	Created int64        `json:"created"`
	Last    int64        `json:"last"`
}

// errNotOurs means a value under Key that this package did not write, or
// that a newer version wrote.
var errNotOurs = errors.New("scsstore: the session's sysmaint data is not understood")

// parse returns the wire held by v, the value under Key.
func parse(v any) (*wire, error) {
	s, ok := v.(string)
	if !ok || len(s) > maxWire {
		return nil, errNotOurs
	}
	w := new(wire)
	if err := json.Unmarshal([]byte(s), w); err != nil || w.V != wireVersion || w.Serial == "" {
		return nil, errNotOurs
	}
	return w, nil
}

// encode returns w as the value to keep under Key.
func (w *wire) encode() string {
	w.V = wireVersion
	b, err := json.Marshal(w)
	if err != nil {
		// A struct of strings, ints and bools always encodes.
		panic("scsstore: encode session: " + err.Error())
	}
	return string(b)
}

// session returns w as the session with the given ID.
func (w *wire) session(id string) session.Session {
	return session.Session{
		ID:            id,
		Kind:          w.Kind,
		UserLogin:     w.Login,
		UserFullName:  w.Name,
		Admin:         w.Admin,
		RemoteAddr:    w.Addr,
		UserAgent:     w.Agent,
		CreatedAt:     fromMilli(w.Created),
		LastRequestAt: fromMilli(w.Last),
	}
}

// newWire returns the wire of s, normalized; s must be valid.
func newWire(s session.Session, zone, lang string) *wire {
	s = s.Normalize()
	return &wire{
		V:       wireVersion,
		Serial:  rand.Text(),
		Kind:    s.Kind,
		Login:   s.UserLogin,
		Name:    s.UserFullName,
		Admin:   s.Admin,
		Zone:    zone,
		Lang:    lang,
		Addr:    s.RemoteAddr,
		Agent:   s.UserAgent,
		Created: s.CreatedAt.UnixMilli(),
		Last:    s.LastRequestAt.UnixMilli(),
	}
}

// fromMilli returns the instant of ms Unix milliseconds in UTC; the zero
// time's milliseconds give the zero time.
func fromMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// check returns info as a valid session marked at now, or a
// *session.ValidationError naming every bad field of info.
func (info Info) check(now time.Time) (session.Session, error) {
	s := session.Session{
		ID:            "marked", // the token is not known yet; the ID is not the caller's
		Kind:          info.Kind,
		UserLogin:     info.UserLogin,
		UserFullName:  info.UserFullName,
		Admin:         info.Admin,
		RemoteAddr:    info.RemoteAddr,
		UserAgent:     info.UserAgent,
		CreatedAt:     now,
		LastRequestAt: now,
	}.Normalize()
	ve := &session.ValidationError{}
	if err := s.Validate(); err != nil && !errors.As(err, &ve) {
		return session.Session{}, err
	}
	text := func(field, v string, limit int) bool {
		switch {
		case len(v) > limit:
			ve.Fields = append(ve.Fields, session.FieldError{Field: field, Reason: session.ReasonTooLong})
		case !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0:
			ve.Fields = append(ve.Fields, session.FieldError{Field: field, Reason: session.ReasonNotText})
		default:
			return true
		}
		return false
	}
	if text(FieldZone, info.Zone, MaxZoneLen) && location(info.Zone) == nil && info.Zone != "" {
		ve.Fields = append(ve.Fields, session.FieldError{Field: FieldZone, Reason: ReasonUnknownZone})
	}
	text(FieldLanguage, info.Language, MaxLanguageLen)
	if len(ve.Fields) > 0 {
		ve.ID = ""
		return session.Session{}, ve
	}
	return s, nil
}

// zones caches the time zones loaded by name: time.LoadLocation reads a
// file each time. Only names that load are kept, so the cache holds at
// most the zones of the tz database.
var zones sync.Map // string -> *time.Location

// location returns the time zone named name, nil for "" or a name that
// does not load.
func location(name string) *time.Location {
	if name == "" {
		return nil
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zones.Store(name, l)
	return l
}
