package notify_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// now is the fixed instant the mock clock is set to before use.
var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// newManager returns a Manager over a memstore with a mock clock set to at,
// holding the given windows (added through the Manager, then refreshed).
func newManager(t *testing.T, at time.Time, ws ...maintenance.Window) (*maintenance.Manager, *clock.Mock, []maintenance.Window) {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(at)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	ctx := context.Background()
	var stored []maintenance.Window
	for _, w := range ws {
		if w.Comment == "" {
			w.Comment = "test window"
		}
		if w.Validity == 0 {
			w.Validity = maintenance.Valid
		}
		s, err := m.Add(ctx, w, "admin")
		require.NoError(t, err)
		stored = append(stored, s)
	}
	require.NoError(t, m.Refresh(ctx))
	return m, mock, stored
}

func window(start, stop time.Time) maintenance.Window {
	return maintenance.Window{Start: start, Stop: stop, Comment: "test window", Validity: maintenance.Valid}
}

func viewer(t *testing.T, zone, lang string) notify.Viewer {
	t.Helper()
	v, err := notify.NewViewer(session.Agent, zone, lang)
	require.NoError(t, err)
	return v
}

const upcomingNoon = "A system maintenance period will start at: 11/24/2026 12:00 UTC and is expected to stop at: 11/24/2026 14:00 UTC"

func TestTexts_Banner_Boundaries(t *testing.T) {
	start := now.Add(2 * time.Hour) // 12:00 UTC
	stop := start.Add(2 * time.Hour)
	perWindow := window(start, stop)
	perWindow.Lead = 90 * time.Minute

	tests := []struct {
		name string
		w    maintenance.Window
		at   time.Time
		want notify.Kind
	}{
		{"default lead: just before the notice", window(start, stop), start.Add(-30*time.Minute - time.Millisecond), notify.NoticeNone},
		{"default lead: notice appears at start-30m", window(start, stop), start.Add(-30 * time.Minute), notify.NoticeUpcoming},
		{"default lead: last instant before start", window(start, stop), start.Add(-time.Millisecond), notify.NoticeUpcoming},
		{"default lead: active takes over at start", window(start, stop), start, notify.NoticeActive},
		{"default lead: last active instant", window(start, stop), stop.Add(-time.Millisecond), notify.NoticeActive},
		{"default lead: nothing from stop on", window(start, stop), stop, notify.NoticeNone},
		{"per-window lead: just before its notice", perWindow, start.Add(-90*time.Minute - time.Millisecond), notify.NoticeNone},
		{"per-window lead: notice appears at start-90m", perWindow, start.Add(-90 * time.Minute), notify.NoticeUpcoming},
		{"per-window lead: still upcoming at start-30m", perWindow, start.Add(-30 * time.Minute), notify.NoticeUpcoming},
		{"per-window lead: active at start", perWindow, start, notify.NoticeActive},
	}
	texts := notify.New(nil)
	v := viewer(t, "", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, mock, stored := newManager(t, now, tt.w)
			mock.Set(tt.at)
			n := texts.Banner(m.Status(), v)
			assert.Equal(t, tt.want, n.Kind)
			switch tt.want {
			case notify.NoticeNone:
				assert.Equal(t, notify.Notice{}, n)
			case notify.NoticeUpcoming:
				assert.Equal(t, upcomingNoon, n.Text)
				assert.Equal(t, stored[0].ID, n.Window.ID)
			case notify.NoticeActive:
				assert.Equal(t, notify.DefaultActiveNotification, n.Text)
				assert.Equal(t, stored[0].ID, n.Window.ID)
			}
		})
	}
}

func TestTexts_Banner_MovingClock(t *testing.T) {
	// One Manager, the mock clock advanced in steps: the notice appears at
	// start-lead, becomes the active notice at start, and goes at stop.
	start := now.Add(time.Hour)
	m, mock, _ := newManager(t, now, window(start, start.Add(time.Hour)))
	texts := notify.New(nil)
	var v notify.Viewer

	steps := []struct {
		to   time.Time
		want notify.Kind
	}{
		{start.Add(-31 * time.Minute), notify.NoticeNone},
		{start.Add(-30 * time.Minute), notify.NoticeUpcoming},
		{start.Add(-time.Second), notify.NoticeUpcoming},
		{start, notify.NoticeActive},
		{start.Add(time.Hour - time.Second), notify.NoticeActive},
		{start.Add(time.Hour), notify.NoticeNone},
	}
	for _, s := range steps {
		mock.Add(s.to.Sub(mock.Now()))
		assert.Equal(t, s.want, texts.Banner(m.Status(), v).Kind, "at %s", mock.Now())
	}
}

func TestTexts_Banner_Active(t *testing.T) {
	start := now.Add(-time.Hour)
	stop := now.Add(time.Hour)
	withMessage := window(start, stop)
	withMessage.NotifyMessage = "Upgrading the database <b>now</b> & then"

	tests := []struct {
		name     string
		settings *notify.Settings
		w        maintenance.Window
		lang     string
		want     string
	}{
		{"empty message gives the default", nil, window(start, stop), "en", notify.DefaultActiveNotification},
		{"empty message gives the German default", nil, window(start, stop), "de", "Wir führen planmäßige Wartungsarbeiten durch."},
		{"custom message as written", nil, withMessage, "en", "Upgrading the database <b>now</b> & then"},
		{"custom message not translated", nil, withMessage, "de", "Upgrading the database <b>now</b> & then"},
		{"setting replaces the default", &notify.Settings{ActiveNotification: "Down for maintenance."}, window(start, stop), "en", "Down for maintenance."},
		{"untranslated setting shown in English", &notify.Settings{ActiveNotification: "Down for maintenance."}, window(start, stop), "de", "Down for maintenance."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, stored := newManager(t, now, tt.w)
			n := notify.New(tt.settings).Banner(m.Status(), viewer(t, "Europe/Berlin", tt.lang))
			assert.Equal(t, notify.NoticeActive, n.Kind)
			assert.Equal(t, tt.want, n.Text)
			assert.Equal(t, stored[0], n.Window)
		})
	}
}

func TestTexts_Banner_ActiveHidesUpcoming(t *testing.T) {
	active := window(now.Add(-time.Hour), now.Add(time.Hour))
	active.NotifyMessage = "active one"
	coming := window(now.Add(2*time.Hour), now.Add(3*time.Hour))
	coming.Lead = 4 * time.Hour // its notice has begun
	m, _, stored := newManager(t, now, active, coming)

	st := m.Status()
	_, ok := st.Upcoming()
	require.True(t, ok, "precondition: the second window is upcoming")
	n := notify.New(nil).Banner(st, notify.Viewer{})
	assert.Equal(t, notify.Notice{Kind: notify.NoticeActive, Text: "active one", Window: stored[0]}, n)

	// Once the first window stops, the second is announced.
	m2, mock, _ := newManager(t, now, active, coming)
	mock.Set(now.Add(time.Hour))
	n = notify.New(nil).Banner(m2.Status(), notify.Viewer{})
	assert.Equal(t, notify.NoticeUpcoming, n.Kind)
	assert.Equal(t, stored[1].ID, n.Window.ID)
}

func TestTexts_Banner_TimeZones(t *testing.T) {
	// Now is before the end of summer time in Europe (2026-10-25 01:00 UTC);
	// the windows are after it, or across it, and announced a long time
	// ahead, so each instant must be shown with the offset in force at it,
	// not the one in force now.
	before := time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC) // 14:00 CEST
	after := window(time.Date(2026, 10, 25, 10, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 12, 0, 0, 0, time.UTC))
	after.Lead = 48 * time.Hour
	across := window(time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC))
	across.Lead = 48 * time.Hour

	tests := []struct {
		name       string
		w          maintenance.Window
		zone, lang string
		want       string
	}{
		{"Berlin after the change", after, "Europe/Berlin", "en",
			"A system maintenance period will start at: 10/25/2026 11:00 CET and is expected to stop at: 10/25/2026 13:00 CET"},
		{"Berlin across the change", across, "Europe/Berlin", "en",
			"A system maintenance period will start at: 10/25/2026 01:00 CEST and is expected to stop at: 10/25/2026 04:00 CET"},
		{"Berlin across the change, German", across, "Europe/Berlin", "de",
			"Eine Systemwartung beginnt am 25.10.2026 01:00 CEST und endet voraussichtlich am 25.10.2026 04:00 CET"},
		{"UTC", after, "", "en",
			"A system maintenance period will start at: 10/25/2026 10:00 UTC and is expected to stop at: 10/25/2026 12:00 UTC"},
		{"New York (its change is a week later)", after, "America/New_York", "en",
			"A system maintenance period will start at: 10/25/2026 06:00 EDT and is expected to stop at: 10/25/2026 08:00 EDT"},
		{"Kolkata, half-hour offset", after, "Asia/Kolkata", "en",
			"A system maintenance period will start at: 10/25/2026 15:30 IST and is expected to stop at: 10/25/2026 17:30 IST"},
		{"Sao Paulo, a zone named by its offset", after, "America/Sao_Paulo", "en",
			"A system maintenance period will start at: 10/25/2026 07:00 UTC-03:00 and is expected to stop at: 10/25/2026 09:00 UTC-03:00"},
		{"Kathmandu, a quarter-hour offset named by its offset", after, "Asia/Kathmandu", "en",
			"A system maintenance period will start at: 10/25/2026 15:45 UTC+05:45 and is expected to stop at: 10/25/2026 17:45 UTC+05:45"},
		{"Sao Paulo, German", after, "America/Sao_Paulo", "de",
			"Eine Systemwartung beginnt am 25.10.2026 07:00 UTC-03:00 und endet voraussichtlich am 25.10.2026 09:00 UTC-03:00"},
	}
	texts := notify.New(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := newManager(t, before, tt.w)
			n := texts.Banner(m.Status(), viewer(t, tt.zone, tt.lang))
			assert.Equal(t, notify.NoticeUpcoming, n.Kind)
			assert.Equal(t, tt.want, n.Text)
		})
	}
}

// TestTexts_Upcoming_Precision checks that the bounds are never moved in a
// way that changes what the text says: seconds are shown when a bound is
// not on a whole minute, and fractions of a second are rounded outward.
func TestTexts_Upcoming_Precision(t *testing.T) {
	const text = "%s - %s"
	d := func(h, m, s, ms int) time.Time { return time.Date(2026, 11, 24, h, m, s, ms*1e6, time.UTC) }
	tests := []struct {
		name        string
		start, stop time.Time
		loc         *time.Location
		want        string
	}{
		{"whole minutes", d(12, 0, 0, 0), d(14, 0, 0, 0), nil,
			"11/24/2026 12:00 UTC - 11/24/2026 14:00 UTC"},
		{"a window of five seconds", d(17, 32, 55, 0), d(17, 33, 0, 0), nil,
			"11/24/2026 17:32:55 UTC - 11/24/2026 17:33:00 UTC"},
		{"stop a second before the minute", d(12, 0, 0, 0), d(14, 59, 59, 0), nil,
			"11/24/2026 12:00:00 UTC - 11/24/2026 14:59:59 UTC"},
		{"a fraction of a second: the start rounds down", d(12, 0, 59, 999), d(14, 59, 59, 0), nil,
			"11/24/2026 12:00:59 UTC - 11/24/2026 14:59:59 UTC"},
		{"a fraction of a second: the stop rounds up", d(12, 0, 0, 0), d(13, 0, 0, 1), nil,
			"11/24/2026 12:00:00 UTC - 11/24/2026 13:00:01 UTC"},
		{"rounded outward onto whole minutes", d(12, 0, 0, 500), d(13, 59, 59, 500), nil,
			"11/24/2026 12:00 UTC - 11/24/2026 14:00 UTC"},
		{"shorter than a second", d(12, 0, 0, 200), d(12, 0, 0, 700), nil,
			"11/24/2026 12:00:00 UTC - 11/24/2026 12:00:01 UTC"},
		{"seconds in the viewer's zone: an offset of odd seconds", d(12, 0, 0, 0), d(13, 0, 0, 0), time.FixedZone("", 19*60+32),
			"11/24/2026 12:19:32 UTC+00:19 - 11/24/2026 13:19:32 UTC+00:19"},
		{"a fixed zone without a name", d(12, 0, 0, 0), d(13, 0, 0, 0), time.FixedZone("", -(9*3600 + 30*60)),
			"11/24/2026 02:30 UTC-09:30 - 11/24/2026 03:30 UTC-09:30"},
		{"a fixed zone named UTC by offset zero", d(12, 0, 0, 0), d(13, 0, 0, 0), time.FixedZone("", 0),
			"11/24/2026 12:00 UTC - 11/24/2026 13:00 UTC"},
		{"a fixed zone with a name", d(12, 0, 0, 0), d(13, 0, 0, 0), time.FixedZone("CET", 3600),
			"11/24/2026 13:00 CET - 11/24/2026 14:00 CET"},
	}
	texts := notify.New(&notify.Settings{Upcoming: text})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := texts.Upcoming(window(tt.start, tt.stop), notify.Viewer{Location: tt.loc})
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTexts_Upcoming_GermanSeconds(t *testing.T) {
	w := window(time.Date(2026, 11, 24, 17, 32, 55, 0, time.UTC), time.Date(2026, 11, 24, 17, 33, 0, 0, time.UTC))
	got := notify.New(nil).Upcoming(w, viewer(t, "Europe/Berlin", "de"))
	assert.Equal(t, "Eine Systemwartung beginnt am 24.11.2026 18:32:55 CET und endet voraussichtlich am 24.11.2026 18:33:00 CET", got)
}

func TestTexts_Banner_Languages(t *testing.T) {
	const (
		english = upcomingNoon
		german  = "Eine Systemwartung beginnt am 24.11.2026 12:00 UTC und endet voraussichtlich am 24.11.2026 14:00 UTC"
	)
	tests := []struct {
		lang string
		want string
	}{
		{"", english},
		{"en", english},
		{"en-US", english},
		{"de", german},
		{"de-DE", german},
		{"de_AT", german},
		{"DE", german},
		{"de-CH-1996", german},
		{"fr", english},
		{"fr-FR", english},
		{"xx-this-is-a-very-long-tag-beyond-32-bytes", english},
		{"deu", english},
	}
	m, mock, _ := newManager(t, now, window(now.Add(2*time.Hour), now.Add(4*time.Hour)))
	mock.Set(now.Add(100 * time.Minute))
	texts := notify.New(nil)
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			n := texts.Banner(m.Status(), viewer(t, "", tt.lang))
			assert.Equal(t, tt.want, n.Text)
		})
	}
}

func TestTexts_Banner_Zero(t *testing.T) {
	texts := notify.New(nil)
	assert.Equal(t, notify.Notice{}, texts.Banner(maintenance.Status{}, notify.Viewer{}))
	m, _, _ := newManager(t, now)
	assert.Equal(t, notify.Notice{}, texts.Banner(m.Status(), notify.Viewer{}))
	msg, ok := texts.LoginMessage(maintenance.Status{}, notify.Viewer{})
	assert.False(t, ok)
	assert.Empty(t, msg)
}

func TestTexts_LoginMessage(t *testing.T) {
	start, stop := now.Add(-time.Hour), now.Add(time.Hour)
	mk := func(show bool, msg string) maintenance.Window {
		w := window(start, stop)
		w.ShowLoginMessage, w.LoginMessage = show, msg
		return w
	}
	tests := []struct {
		name     string
		settings *notify.Settings
		w        maintenance.Window
		at       time.Time
		lang     string
		want     string
		wantOK   bool
	}{
		{"flag on, custom message", nil, mk(true, "Back at noon."), now, "en", "Back at noon.", true},
		{"flag on, custom message not translated", nil, mk(true, "Back at noon."), now, "de", "Back at noon.", true},
		{"flag on, empty gives the default", nil, mk(true, ""), now, "en", notify.DefaultLoginMessage, true},
		{"flag on, empty gives the German default", nil, mk(true, ""), now, "de-DE", "Wir führen planmäßige Wartungsarbeiten durch. Das System ist in Kürze wieder verfügbar.", true},
		{"flag on, setting replaces the default", &notify.Settings{LoginMessage: "Maintenance."}, mk(true, ""), now, "en", "Maintenance.", true},
		{"flag off, custom message", nil, mk(false, "Back at noon."), now, "en", "", false},
		{"flag off, empty", nil, mk(false, ""), now, "en", "", false},
		{"flag on, not yet active", nil, mk(true, "Back at noon."), start.Add(-time.Minute), "en", "", false},
		{"flag on, upcoming is not enough", nil, mk(true, ""), start.Add(-time.Millisecond), "en", "", false},
		{"flag on, first instant", nil, mk(true, ""), start, "en", notify.DefaultLoginMessage, true},
		{"flag on, stopped", nil, mk(true, "Back at noon."), stop, "en", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, mock, _ := newManager(t, now, tt.w)
			mock.Set(tt.at)
			got, ok := notify.New(tt.settings).LoginMessage(m.Status(), viewer(t, "", tt.lang))
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTexts_LoginMessage_MessageWindow(t *testing.T) {
	// Two active windows: the one that started last supplies the message
	// (maintenance.Status.Window), and its flag decides.
	first := window(now.Add(-2*time.Hour), now.Add(2*time.Hour))
	first.ShowLoginMessage, first.LoginMessage = true, "first"
	second := window(now.Add(-time.Hour), now.Add(time.Hour))
	second.LoginMessage = "second, flag off"
	m, _, _ := newManager(t, now, first, second)
	_, ok := notify.New(nil).LoginMessage(m.Status(), notify.Viewer{})
	assert.False(t, ok)

	second.ShowLoginMessage = true
	m, _, _ = newManager(t, now, first, second)
	msg, ok := notify.New(nil).LoginMessage(m.Status(), notify.Viewer{})
	assert.True(t, ok)
	assert.Equal(t, "second, flag off", msg)
}

func TestTexts_LoginRefused(t *testing.T) {
	tests := []struct {
		name     string
		settings *notify.Settings
		lang     string
		want     string
	}{
		{"default", nil, "", notify.DefaultLoginRefused},
		{"default, unknown language", nil, "fr", notify.DefaultLoginRefused},
		{"German", nil, "de_AT", "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich."},
		{"zero settings", &notify.Settings{}, "en", notify.DefaultLoginRefused},
		{"setting", &notify.Settings{LoginRefused: "Admins only."}, "de", "Admins only."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, notify.New(tt.settings).LoginRefused(notify.Viewer{Language: tt.lang}))
		})
	}
}

func TestNewViewer(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		name    string
		kind    session.Kind
		zone    string
		lang    string
		want    notify.Viewer
		wantErr bool
	}{
		{"empty zone is UTC", session.Agent, "", "", notify.Viewer{Kind: session.Agent}, false},
		{"UTC", session.Customer, "UTC", "de", notify.Viewer{Kind: session.Customer, Location: time.UTC, Language: "de"}, false},
		{"Berlin", session.Agent, "Europe/Berlin", "en-GB", notify.Viewer{Kind: session.Agent, Location: berlin, Language: "en-GB"}, false},
		{"unknown kind is kept", 0, "", "", notify.Viewer{}, false},
		{"unknown zone", session.Agent, "Mars/Base", "en", notify.Viewer{}, true},
		{"path in zone", session.Agent, "../etc/passwd", "en", notify.Viewer{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := notify.NewViewer(tt.kind, tt.zone, tt.lang)
			if tt.wantErr {
				require.ErrorIs(t, err, notify.ErrUnknownZone)
				assert.Contains(t, err.Error(), `"`+tt.zone+`"`, "the error names the zone")
				assert.Equal(t, notify.Viewer{}, v)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Kind, v.Kind)
			assert.Equal(t, tt.want.Language, v.Language)
			assert.Equal(t, tt.want.Location.String(), v.Location.String())
		})
	}
}

func TestNewViewer_ErrorText(t *testing.T) {
	_, err := notify.NewViewer(session.Agent, "Mars/Base", "en")
	require.Error(t, err)
	assert.Equal(t, `notify: unknown time zone "Mars/Base"`, err.Error())
}

func TestSettings_Translator(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	tr := notify.TranslatorFunc(func(lang, text string) string {
		mu.Lock()
		asked = append(asked, lang+"|"+text)
		mu.Unlock()
		switch {
		case lang == "fr" && text == notify.DefaultDateLayout:
			return "02/01/2006 15h04"
		case lang == "fr" && text == notify.DefaultDateLayoutSeconds:
			return "02/01/2006 15h04m05s"
		case lang == "fr" && text == "Starts %s, ends %s.":
			return "Début %s, fin %s."
		case lang == "fr" && text == notify.DefaultActiveNotification:
			return "Maintenance en cours."
		}
		return text
	})
	texts := notify.New(&notify.Settings{Upcoming: "Starts %s, ends %s.", Translator: tr})

	m, mock, _ := newManager(t, now, window(now.Add(time.Hour), now.Add(2*time.Hour)))
	mock.Set(now.Add(45 * time.Minute))
	fr := viewer(t, "Europe/Paris", "fr")
	assert.Equal(t, "Début 24/11/2026 12h00, fin 24/11/2026 13h00.", texts.Banner(m.Status(), fr).Text)
	odd := window(now.Add(time.Hour+30*time.Second), now.Add(2*time.Hour))
	assert.Equal(t, "Début 24/11/2026 12h00m30s, fin 24/11/2026 13h00m00s.", texts.Upcoming(odd, fr))
	mock.Set(now.Add(time.Hour))
	assert.Equal(t, "Maintenance en cours.", texts.Banner(m.Status(), fr).Text)
	// A Translator replaces the built-in catalog: German is no longer known.
	assert.Equal(t, notify.DefaultActiveNotification, texts.Banner(m.Status(), viewer(t, "", "de")).Text)
	// The empty language is asked for as "en".
	texts.LoginRefused(notify.Viewer{})
	assert.Contains(t, asked, "en|"+notify.DefaultLoginRefused)
}

func TestTexts_Upcoming_Placeholders(t *testing.T) {
	w := window(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC))
	tests := []struct {
		name, text, want string
	}{
		{"both", "from %s to %s", "from 11/24/2026 12:00 UTC to 11/24/2026 13:00 UTC"},
		{"start only", "Maintenance at %s.", "Maintenance at 11/24/2026 12:00 UTC."},
		{"none", "Maintenance soon.", "Maintenance soon."},
		{"a third is left alone", "%s-%s-%s", "11/24/2026 12:00 UTC-11/24/2026 13:00 UTC-%s"},
		{"other verbs are not fmt verbs", "100%% sure: %d %s %s", "100%% sure: %d 11/24/2026 12:00 UTC 11/24/2026 13:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, notify.New(&notify.Settings{Upcoming: tt.text}).Upcoming(w, notify.Viewer{}))
		})
	}
}

func TestCatalog(t *testing.T) {
	c := notify.DefaultCatalog()
	c["fr"] = map[string]string{notify.DefaultLoginRefused: "Connexion impossible pendant la maintenance."}
	c["pt-br"] = map[string]string{notify.DefaultLoginRefused: "pt-br"}
	c["pt"] = map[string]string{notify.DefaultLoginRefused: "pt"}
	c["de"][notify.DefaultLoginRefused] = "geändert"

	tests := []struct {
		lang, want string
	}{
		{"fr-CA", "Connexion impossible pendant la maintenance."},
		{"pt-BR", "pt-br"},
		{"pt_BR", "pt-br"},
		{"pt-PT", "pt"},
		{"de", "geändert"},
		{"it", notify.DefaultLoginRefused},
		{"", notify.DefaultLoginRefused},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			assert.Equal(t, tt.want, c.Translate(tt.lang, notify.DefaultLoginRefused))
		})
	}
	// The copy is the caller's: the built-in catalog is unchanged.
	assert.Equal(t, "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.",
		notify.New(nil).LoginRefused(notify.Viewer{Language: "de"}))
	assert.Equal(t, "unknown text", c.Translate("de", "unknown text"))
	assert.Equal(t, "x", notify.Catalog(nil).Translate("de", "x"))
}

func TestCatalog_GermanComplete(t *testing.T) {
	c := notify.DefaultCatalog()
	for _, text := range []string{
		notify.DefaultActiveNotification, notify.DefaultLoginMessage, notify.DefaultLoginRefused,
		notify.DefaultUpcoming, notify.DefaultDateLayout, notify.DefaultDateLayoutSeconds,
	} {
		tr := c.Translate("de", text)
		assert.NotEqual(t, text, tr, "German for %q", text)
		assert.Equal(t, strings.Count(text, "%s"), strings.Count(tr, "%s"), "placeholders in %q", tr)
	}
}

func TestKind_String(t *testing.T) {
	tests := []struct {
		k    notify.Kind
		want string
	}{
		{notify.NoticeNone, "none"},
		{notify.NoticeUpcoming, "upcoming"},
		{notify.NoticeActive, "active"},
		{notify.Kind(9), "Kind(9)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.k.String())
	}
}

func TestTexts_Banner_NoAllocs(t *testing.T) {
	active := window(now.Add(-time.Hour), now.Add(time.Hour))
	mNone, _, _ := newManager(t, now, window(now.Add(5*time.Hour), now.Add(6*time.Hour)))
	mActive, _, _ := newManager(t, now, active)
	texts := notify.New(nil)
	tests := []struct {
		name string
		st   maintenance.Status
		v    notify.Viewer
	}{
		{"none", mNone.Status(), viewer(t, "Europe/Berlin", "de")},
		{"active, default text, de-DE", mActive.Status(), viewer(t, "Europe/Berlin", "de-DE")},
		{"active, default text, en", mActive.Status(), notify.Viewer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allocs := testing.AllocsPerRun(100, func() { _ = texts.Banner(tt.st, tt.v) })
			assert.Zero(t, allocs)
		})
	}
}

func TestTexts_Concurrent(t *testing.T) {
	m, _, _ := newManager(t, now, window(now.Add(20*time.Minute), now.Add(time.Hour)))
	texts := notify.New(nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			v := notify.Viewer{Language: []string{"en", "de-DE"}[i%2]}
			for range 200 {
				n := texts.Banner(m.Status(), v)
				assert.NotEqual(t, notify.NoticeNone, n.Kind)
				texts.LoginMessage(m.Status(), v)
				texts.LoginRefused(v)
			}
		})
	}
	wg.Wait()
}

// BenchmarkBanner measures Banner at a status with nothing to show, an
// active window and an upcoming one, in German in Berlin: from the second
// call on, the texts come from the cache.
func BenchmarkBanner(b *testing.B) {
	ws := []maintenance.Window{
		window(now.Add(-time.Hour), now.Add(time.Hour)),      // active at now
		window(now.Add(2*time.Hour), now.Add(3*time.Hour)),   // upcoming at now+100m
		window(now.Add(10*time.Hour), now.Add(11*time.Hour)), // far
	}
	sched := maintenance.Compile(ws, maintenance.DefaultLead)
	texts := notify.New(nil)
	berlin, _ := notify.NewViewer(session.Agent, "Europe/Berlin", "de-DE")
	cases := []struct {
		name string
		at   time.Time
	}{
		{"none", now.Add(5 * time.Hour)},
		{"active", now},
		{"upcoming", now.Add(100 * time.Minute)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			st := sched.At(c.at)
			b.ReportAllocs()
			for b.Loop() {
				_ = texts.Banner(st, berlin)
			}
		})
	}
	// The whole check of a request: the status at an instant, then the
	// banner.
	b.Run("none_with_status", func(b *testing.B) {
		at := now.Add(5 * time.Hour)
		b.ReportAllocs()
		for b.Loop() {
			_ = texts.Banner(sched.At(at), berlin)
		}
	})
	// Rendering the upcoming text, what Banner does once per language,
	// zone and window and then keeps.
	b.Run("upcoming_render", func(b *testing.B) {
		w, _ := sched.At(now.Add(100 * time.Minute)).Upcoming()
		b.ReportAllocs()
		for b.Loop() {
			_ = texts.Upcoming(w, berlin)
		}
	})
}

// BenchmarkCatalog_Translate measures the language lookup of the banner
// path: a catalog hit, a hit through the base language, and a miss.
func BenchmarkCatalog_Translate(b *testing.B) {
	c := notify.DefaultCatalog()
	for _, lang := range []string{"de", "de-DE", "de_AT", "de-CH-1996", "en", "en-US", "fr-FR", "fr-CH, de;q=0.9, en;q=0.8"} {
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Translate(lang, notify.DefaultActiveNotification)
			}
		})
	}
}

func TestCatalog_Lookup(t *testing.T) {
	c := notify.DefaultCatalog()
	for _, lang := range []string{"zh", "zh-hant", "pt", "pt-br", "sr-latn", "no"} {
		c[lang] = map[string]string{notify.DefaultLoginRefused: lang}
	}
	const de, en = "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.", notify.DefaultLoginRefused
	tests := []struct {
		lang, want string
	}{
		{"de", de},
		{"de-AT", de},
		{"de_AT", de},
		{"de_AT.UTF-8", de},
		{"de_DE@euro", de},
		{"DE-de", de},
		{"de-CH-1996", de},
		{"de-Latn-CH-1996-u-co-phonebk-x-private", de},
		{"de-" + strings.Repeat("abcdefgh-", 20), de}, // longer than a lookup reads
		{"zh-Hant-TW", "zh-hant"},
		{"zh-hant", "zh-hant"},
		{"zh-Hans-CN", "zh"},
		{"zh-TW", "zh"}, // no likely scripts: the catalog aliases if it wants to
		{"pt-BR", "pt-br"},
		{"pt-PT", "pt"},
		{"sr-Latn-RS", "sr-latn"},
		{"sr-Cyrl", en},
		{"no", "no"},
		{"nb", en}, // no aliases
		{"en", en},
		{"en-GB", en},
		{"fr", en},
		{"", en},
		{"x-private", en},
		{"-", en},
		{"--de", en},
		// Accept-Language values.
		{"de-AT,de;q=0.9,en;q=0.8", de},
		{"fr-CH, de;q=0.9", de},
		{"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", en},
		{"en;q=0.5, de;q=0.8", de},
		{"de;q=0.8, pt-BR;q=0.8", de},
		{"pt-BR;q=0.8, de;q=0.8", "pt-br"},
		{"de;q=0, zh-Hant", "zh-hant"},
		{"de;q=0.000, fr", en},
		{"de;q=1.0", de},
		{"de;q=bogus, pt", "pt"},
		{"de;level=1", en},
		{"*, de;q=0.1", de},
		{" , ;q=0.5, de ; q=0.5", de},
		{strings.Repeat("fr,", 16) + "de", en}, // past the 16th entry
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			assert.Equal(t, tt.want, c.Translate(tt.lang, notify.DefaultLoginRefused))
			assert.Zero(t, testing.AllocsPerRun(10, func() { c.Translate(tt.lang, notify.DefaultLoginRefused) }))
		})
	}
}

// FuzzCatalog_Translate checks that any language string, however long or
// malformed, gets an answer without a panic or an allocation.
func FuzzCatalog_Translate(f *testing.F) {
	f.Add("de-AT,de;q=0.9,en;q=0.8")
	f.Add("zh-Hant-TW")
	f.Add("de_AT.UTF-8@euro")
	f.Add(";q=1.,,-x-")
	c := notify.DefaultCatalog()
	c["zh-hant"] = map[string]string{notify.DefaultLoginRefused: "zh-hant"}
	f.Fuzz(func(t *testing.T, lang string) {
		got := c.Translate(lang, notify.DefaultLoginRefused)
		assert.Contains(t, []string{notify.DefaultLoginRefused, "zh-hant", c["de"][notify.DefaultLoginRefused]}, got)
		assert.Zero(t, testing.AllocsPerRun(1, func() { c.Translate(lang, notify.DefaultLoginRefused) }))
	})
}
