package notify

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// The default texts: Znuny's configuration defaults
// (SystemMaintenance::IsActiveDefaultNotification,
// ::IsActiveDefaultLoginMessage, ::IsActiveDefaultLoginErrorMessage) and its
// fixed upcoming text. They are English; the built-in catalog translates
// them.
const (
	DefaultActiveNotification = "We are performing scheduled maintenance."
	DefaultLoginMessage       = "We are performing scheduled maintenance. We should be back online shortly."
	DefaultLoginRefused       = maintenance.DefaultLoginRefused // the text a LoginRefusedError carries
	DefaultUpcoming           = "A system maintenance period will start at: %s and is expected to stop at: %s"
)

// DefaultDateLayout and DefaultDateLayoutSeconds are the time layouts of
// the start and stop instants in the upcoming text: Znuny's English date
// format ("01/10/2014 12:00") followed by the time zone, to the minute or,
// when the window does not start and stop on whole minutes, to the second.
// The upcoming text reads, in the viewer's zone:
//
//	A system maintenance period will start at: 11/24/2026 21:00 CET and is expected to stop at: 11/24/2026 23:00 CET
//	A system maintenance period will start at: 11/24/2026 17:32:55 UTC and is expected to stop at: 11/24/2026 17:33:00 UTC
//
// The zone is its abbreviation in the time zone database ("CET", "CEST",
// "EST", "UTC"), or the offset from UTC ("UTC+05:45", "UTC-03:00") where
// the database has only a number for it. A bound is never moved in a way
// that changes what the text says: both are shown to the second as soon as
// one is not on a whole minute, and a fraction of a second is rounded
// outward (the start down, the stop up), so the time shown always holds
// the whole window.
//
// Both layouts are passed through the [Translator] like a text, so a
// translation can supply its own; the built-in catalog maps them to
// "02.01.2006 15:04 MST" and "02.01.2006 15:04:05 MST" for German. A
// layout's "MST" is where the zone goes.
const (
	DefaultDateLayout        = "01/02/2006 15:04 MST"
	DefaultDateLayoutSeconds = "01/02/2006 15:04:05 MST"
)

// Settings holds the texts shown to users. A nil *Settings, and every zero
// field, means the default.
type Settings struct {
	// ActiveNotification is the banner text while a window is active and
	// the window has no NotifyMessage of its own.
	// Default: DefaultActiveNotification.
	ActiveNotification string
	// LoginMessage is the login-screen text while a window is active, its
	// ShowLoginMessage flag is set and it has no LoginMessage of its own.
	// Default: DefaultLoginMessage.
	LoginMessage string
	// LoginRefused is the text shown to a user whose login is refused
	// because of maintenance. Default: DefaultLoginRefused.
	LoginRefused string
	// Upcoming is the banner text while a window is coming within its lead
	// time. Its first "%s" is replaced by the start, its second by the stop,
	// each formatted with DefaultDateLayout or DefaultDateLayoutSeconds (as
	// translated) in the viewer's time zone; nothing else in it is
	// interpreted (it is not a fmt format). Default: DefaultUpcoming.
	Upcoming string
	// Translator translates the texts above (not the windows' own
	// messages), DefaultDateLayout and DefaultDateLayoutSeconds into the
	// viewer's language.
	// Default: the built-in catalog (English and German), see
	// DefaultCatalog.
	Translator Translator
}

// Texts produces the user-facing texts for a [maintenance.Status] and a
// [Viewer]. Build one with [New]; it is safe for concurrent use. The texts
// are plain text, never HTML: escaping is the renderer's job
// (html/template does it).
//
// The banner's texts are rendered once and kept in a bounded cache (a few
// hundred texts) by everything they depend on: the kind, the language and,
// for the upcoming text, the window's start and stop and the viewer's time
// zone (by its *time.Location: reuse one per zone, as [NewViewer] does).
// So [Texts.Banner] costs a lookup and allocates nothing once a text has
// been shown, and a changed window shows its new texts at once. Languages
// are kept by the language the Translator matches them to when it is a
// [LanguageMatcher] (the built-in catalog is), so that languages it does
// not know cost no rendering of their own.
type Texts struct {
	active, login, refused, upcoming string
	tr                               Translator
	match                            LanguageMatcher // tr, when it is one
	byLang, byMatch                  *textCache
}

// New returns the Texts for s; a nil s means every default.
func New(s *Settings) *Texts {
	var o Settings
	if s != nil {
		o = *s
	}
	t := &Texts{
		active:   cmpOr(o.ActiveNotification, DefaultActiveNotification),
		login:    cmpOr(o.LoginMessage, DefaultLoginMessage),
		refused:  cmpOr(o.LoginRefused, DefaultLoginRefused),
		upcoming: cmpOr(o.Upcoming, DefaultUpcoming),
		tr:       o.Translator,
	}
	if t.tr == nil {
		t.tr = builtin
	}
	t.match, _ = t.tr.(LanguageMatcher)
	t.byLang = newTextCache()
	if t.match != nil {
		t.byMatch = newTextCache()
	}
	return t
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Viewer is who reads a text: the kind of user, the time zone and the
// language. The zero Viewer reads English in UTC.
type Viewer struct {
	// Kind is the kind of user; zero when unknown (the login screen).
	// Agents and customers see the same texts, as in Znuny; the kind is
	// there for callers that tell them apart.
	Kind session.Kind
	// Location is the viewer's time zone. nil means UTC. Give viewers of
	// one zone the same *time.Location (load it once, as [NewViewer]
	// does): [Texts] caches the upcoming text by it, and time.LoadLocation
	// returns a new one on every call.
	Location *time.Location
	// Language is the viewer's language as a BCP 47 tag ("de", "de-DE") or
	// a POSIX-style name ("de_AT"). "" means "en".
	Language string
}

// ErrUnknownZone is wrapped by the error [NewViewer] returns for a time
// zone name it cannot load.
var ErrUnknownZone = errors.New("notify: unknown time zone")

// NewViewer returns the Viewer of the given kind in the IANA time zone
// named zone ("Europe/Berlin"; "" and "UTC" mean UTC) reading language
// lang. An unknown zone gives an error wrapping [ErrUnknownZone] that names
// it, such as `notify: unknown time zone "Mars/Base"`. Zones are loaded
// once and kept ([maintenance.LoadZone]): viewers of one zone share its
// *time.Location, which is what [Texts] caches the upcoming text by.
func NewViewer(kind session.Kind, zone, lang string) (Viewer, error) {
	v := Viewer{Kind: kind, Language: lang}
	switch zone {
	case "":
		return v, nil
	case "Local":
		v.Location = time.Local
		return v, nil
	}
	loc, ok := maintenance.LoadZone(zone)
	if !ok {
		return Viewer{}, fmt.Errorf("%w %q", ErrUnknownZone, zone)
	}
	v.Location = loc
	return v, nil
}

func (v Viewer) location() *time.Location {
	if v.Location == nil {
		return time.UTC
	}
	return v.Location
}

func (v Viewer) language() string {
	if v.Language == "" {
		return "en"
	}
	return v.Language
}

// Kind says which notice a banner shows.
type Kind int8

// The kinds of notice. NoticeNone is the zero value.
const (
	NoticeNone     Kind = iota // nothing to show
	NoticeUpcoming             // a window starts within its lead time
	NoticeActive               // a window is active
)

// String returns "none", "upcoming" or "active"; an unknown value prints
// as "Kind(N)".
func (k Kind) String() string {
	switch k {
	case NoticeNone:
		return "none"
	case NoticeUpcoming:
		return "upcoming"
	case NoticeActive:
		return "active"
	}
	return fmt.Sprintf("Kind(%d)", int8(k))
}

// Notice is the banner for a logged-in user: its kind, its text (plain
// text, to be escaped by the renderer) and the window it is about. The zero
// Notice means there is nothing to show; in a template, test
// {{if .Notice.Kind}}.
type Notice struct {
	Kind   Kind
	Text   string
	Window maintenance.Window
}

// Banner returns the notice for v at st. While a window is active, it is
// the active window's ([maintenance.Status.Window]) NotifyMessage as the
// administrator wrote it, or else the translated ActiveNotification; an
// upcoming window is not announced then. Otherwise, while a window is
// upcoming, it is the translated Upcoming text with the window's start and
// stop in v's time zone and language (see [DefaultDateLayout]). Otherwise
// it is the zero Notice; that path allocates nothing. For a recurring
// window, the window is the occurrence at hand, as the Status reports it:
// the texts show that occurrence's start and stop, and Notice.Window is
// that occurrence (see [maintenance.Window.Occurrence]).
//
// Its texts come from t's cache once shown (see [Texts]): a notice to
// show then costs a lookup and allocates nothing either.
func (t *Texts) Banner(st maintenance.Status, v Viewer) Notice {
	if !st.Active() && !st.HasUpcoming() {
		return Notice{} // inlined into the caller: the usual request
	}
	return t.banner(st, v)
}

// banner is Banner when a window is active or upcoming.
func (t *Texts) banner(st maintenance.Status, v Viewer) (n Notice) {
	// The window goes straight into the result: a Window is some 300
	// bytes, and each copy of it counts on this path.
	var ok bool
	if !st.Active() {
		if n.Window, ok = st.Upcoming(); !ok {
			return Notice{}
		}
		n.Kind = NoticeUpcoming
		n.Text = t.cached(NoticeUpcoming, &windowBounds{n.Window.Start, n.Window.Stop}, v)
		return n
	}
	if n.Window, ok = st.Window(); !ok {
		return Notice{}
	}
	n.Kind, n.Text = NoticeActive, n.Window.NotifyMessage
	if n.Text == "" {
		n.Text = t.cached(NoticeActive, nil, v)
	}
	return n
}

// Upcoming returns the translated Upcoming text for w with its start and
// stop in v's time zone and language, whatever the status: to the minute,
// or to the second when either bound is not on a whole minute, with the
// zone (see [DefaultDateLayout]). It renders the text afresh on every
// call; [Texts.Banner] keeps what it renders.
func (t *Texts) Upcoming(w maintenance.Window, v Viewer) string {
	return t.upcomingText(w.Start, w.Stop, v.language(), v.location())
}

// upcomingText renders the Upcoming text for a window from start to stop,
// in the language lang and the zone loc.
func (t *Texts) upcomingText(start, stop time.Time, lang string, loc *time.Location) string {
	start, stop = bounds(start, stop, loc)
	layout := DefaultDateLayout
	if start.Second() != 0 || stop.Second() != 0 {
		layout = DefaultDateLayoutSeconds
	}
	layout = t.tr.Translate(lang, layout)
	return fill(t.tr.Translate(lang, t.upcoming), start.Format(layout), stop.Format(layout))
}

// bounds returns a window's start and stop as shown: rounded outward to
// whole seconds (the start down, the stop up), in loc, with a zone whose
// name is fit to show (see zoned).
func bounds(wStart, wStop time.Time, loc *time.Location) (start, stop time.Time) {
	start = wStart.Truncate(time.Second)
	stop = wStop.Truncate(time.Second)
	if stop.Before(wStop) {
		stop = stop.Add(time.Second)
	}
	return zoned(start.In(loc)), zoned(stop.In(loc))
}

// zoned returns t, in a fixed zone of the same offset named "UTC+05:45"
// when the name of t's zone is not an abbreviation made of letters: the
// time zone database names some zones by a number only ("-03", "+0545"),
// and a zone made with time.FixedZone may have no name at all.
func zoned(t time.Time) time.Time {
	name, offset := t.Zone()
	if name != "" && strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == "" {
		return t
	}
	if offset == 0 {
		return t.In(time.UTC)
	}
	sign, abs := byte('+'), offset
	if offset < 0 {
		sign, abs = '-', -offset
	}
	h, m := abs/3600, abs/60%60 // an offset's odd seconds (local mean time) are not shown
	b := []byte{'U', 'T', 'C', sign, byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)}
	return t.In(time.FixedZone(string(b), offset))
}

// fill replaces the first "%s" in text with start and the second with
// stop; a missing "%s" leaves its value out.
func fill(text, start, stop string) string {
	var b strings.Builder
	b.Grow(len(text) + len(start) + len(stop))
	for _, val := range [...]string{start, stop} {
		i := strings.Index(text, "%s")
		if i < 0 {
			break
		}
		b.WriteString(text[:i])
		b.WriteString(val)
		text = text[i+2:]
	}
	b.WriteString(text)
	return b.String()
}

// LoginMessage returns the login-screen message for v at st: while a window
// is active and its ShowLoginMessage flag is set, the window's LoginMessage
// as the administrator wrote it, or else the translated LoginMessage
// setting. The bool is false, and the text empty, otherwise.
func (t *Texts) LoginMessage(st maintenance.Status, v Viewer) (string, bool) {
	w, ok := st.Window()
	if !ok || !w.ShowLoginMessage {
		return "", false
	}
	if w.LoginMessage != "" {
		return w.LoginMessage, true
	}
	return t.tr.Translate(v.language(), t.login), true
}

// LoginRefused returns the translated text for a login refused because of
// maintenance.
func (t *Texts) LoginRefused(v Viewer) string {
	return t.tr.Translate(v.language(), t.refused)
}
