package notify_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// upcomingAt returns the status half an hour before w starts, on a
// schedule of w alone.
func upcomingAt(w maintenance.Window) maintenance.Status {
	return maintenance.Compile([]maintenance.Window{w}, maintenance.DefaultLead).At(w.Start.Add(-20 * time.Minute))
}

// TestTexts_Banner_CachedEqualsFresh asks a Texts for every kind of text,
// each twice (the first rendered, the second from the cache) and in an
// order where languages that match alike follow one another, and checks
// each against the text rendered afresh: Upcoming for the upcoming text,
// the catalog for the active one.
func TestTexts_Banner_CachedEqualsFresh(t *testing.T) {
	d := func(h, m, s, ms int) time.Time { return time.Date(2026, 11, 24, h, m, s, ms*1e6, time.UTC) }
	weekly := weeklyBerlin()
	weekly.NotifyMessage = ""
	ws := map[string]maintenance.Window{
		"whole minutes":       window(d(12, 0, 0, 0), d(14, 0, 0, 0)),
		"seconds":             window(d(12, 0, 30, 0), d(14, 0, 0, 0)),
		"milliseconds":        window(d(12, 0, 0, 500), d(13, 59, 59, 500)),
		"whole seconds":       window(d(12, 0, 0, 500), d(13, 59, 59, 0)), // as above, but for the stop's fraction
		"across a DST change": window(time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC)),
		"recurring":           weekly,
	}
	langs := []string{"", "en", "en-US", "de", "de-DE", "de_AT.UTF-8", "DE", "fr", "fr-CH, de;q=0.9", "de;q=0, fr", "xx-made-up"}
	zones := []*time.Location{nil, time.UTC, mustZone(t, "Europe/Berlin"), mustZone(t, "America/New_York"),
		mustZone(t, "Asia/Kathmandu"), mustZone(t, "America/Sao_Paulo"), time.FixedZone("", 3600), time.FixedZone("CET", 3600)}
	catalog := notify.DefaultCatalog()
	texts := notify.New(nil)
	for name, w := range ws {
		st := upcomingAt(w)
		up, ok := st.Upcoming()
		require.True(t, ok, name)
		active := maintenance.Compile([]maintenance.Window{w}, maintenance.DefaultLead).At(up.Start)
		require.True(t, active.Active(), name)
		for _, loc := range zones {
			for _, lang := range langs {
				v := notify.Viewer{Location: loc, Language: lang}
				for i := range 2 {
					what := fmt.Sprintf("%s, %v, %q, call %d", name, loc, lang, i+1)
					n := texts.Banner(st, v)
					assert.Equal(t, notify.NoticeUpcoming, n.Kind, what)
					assert.Equal(t, texts.Upcoming(up, v), n.Text, what)
					assert.Equal(t, up, n.Window, what)
					n = texts.Banner(active, v)
					assert.Equal(t, notify.NoticeActive, n.Kind, what)
					lg := lang
					if lg == "" {
						lg = "en"
					}
					assert.Equal(t, catalog.Translate(lg, notify.DefaultActiveNotification), n.Text, what)
				}
			}
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// TestTexts_Banner_CacheBounded feeds a Texts thousands of made-up
// languages and zones: it keeps no more texts than its bound, and the
// languages the catalog does not know share one rendering.
func TestTexts_Banner_CacheBounded(t *testing.T) {
	var renders atomic.Int64
	cat := notify.DefaultCatalog()
	counting := countingCatalog{Catalog: cat, n: &renders}
	texts := notify.New(&notify.Settings{Translator: counting})
	st := upcomingAt(window(now.Add(2*time.Hour), now.Add(3*time.Hour)))
	for i := range 5000 {
		n := texts.Banner(st, notify.Viewer{Language: fmt.Sprintf("x-%d", i)})
		require.Equal(t, notify.NoticeUpcoming, n.Kind)
	}
	byLang, byMatch, limit := notify.CacheLen(texts)
	assert.LessOrEqual(t, byLang, limit)
	assert.Equal(t, 1, byMatch, "every unknown language matches none")
	assert.Equal(t, int64(2), renders.Load(), "one rendering (the text and its layout) for all of them")

	for i := range 5000 {
		loc := time.FixedZone(fmt.Sprintf("Z%d", i), i*60)
		texts.Banner(st, notify.Viewer{Location: loc, Language: "de"})
	}
	byLang, byMatch, limit = notify.CacheLen(texts)
	assert.LessOrEqual(t, byLang, limit)
	assert.LessOrEqual(t, byMatch, limit)
	assert.Greater(t, byMatch, limit/2, "the cache is used, not left empty")
}

// countingCatalog is a Catalog that counts its translations.
type countingCatalog struct {
	notify.Catalog
	n *atomic.Int64
}

func (c countingCatalog) Translate(lang, text string) string {
	c.n.Add(1)
	return c.Catalog.Translate(lang, text)
}

// TestTexts_Banner_ChangedWindow changes a window through the Manager: the
// banner shows the new times and the new message at once.
func TestTexts_Banner_ChangedWindow(t *testing.T) {
	ctx := context.Background()
	m, mock, stored := newManager(t, now, window(now.Add(time.Hour), now.Add(2*time.Hour)))
	mock.Set(now.Add(45 * time.Minute))
	texts := notify.New(nil)
	v := viewer(t, "Europe/Berlin", "de")
	assert.Equal(t, "Eine Systemwartung beginnt am 24.11.2026 12:00 CET und endet voraussichtlich am 24.11.2026 13:00 CET",
		texts.Banner(m.Status(), v).Text)

	w := stored[0]
	w.Stop = now.Add(3 * time.Hour)
	w, err := m.Update(ctx, w, "admin")
	require.NoError(t, err)
	assert.Equal(t, "Eine Systemwartung beginnt am 24.11.2026 12:00 CET und endet voraussichtlich am 24.11.2026 14:00 CET",
		texts.Banner(m.Status(), v).Text)

	mock.Set(now.Add(time.Hour))
	assert.Equal(t, "Wir führen planmäßige Wartungsarbeiten durch.", texts.Banner(m.Status(), v).Text)
	w.NotifyMessage = "Neue Datenbank."
	_, err = m.Update(ctx, w, "admin")
	require.NoError(t, err)
	assert.Equal(t, "Neue Datenbank.", texts.Banner(m.Status(), v).Text)
}

// TestTexts_Banner_ConcurrentCache asks one Texts from many goroutines for
// texts in many languages and zones, more than it keeps, so that they are
// stored and evicted while others read (run with -race).
func TestTexts_Banner_ConcurrentCache(t *testing.T) {
	texts := notify.New(nil)
	st := upcomingAt(window(now.Add(2*time.Hour), now.Add(3*time.Hour)))
	up, _ := st.Upcoming()
	langs := []string{"de", "en", "de-AT", "fr"}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				v := notify.Viewer{Location: time.FixedZone("", (g*500+i)%1400*60), Language: langs[i%len(langs)]}
				if got, want := texts.Banner(st, v).Text, texts.Upcoming(up, v); got != want {
					t.Errorf("%v: got %q, want %q", v, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestCatalog_MatchLanguage(t *testing.T) {
	c := notify.DefaultCatalog()
	c["zh-hant"] = map[string]string{notify.DefaultLoginRefused: "zh-hant"}
	c["pt-br"] = map[string]string{notify.DefaultLoginRefused: "pt-br"}
	tests := []struct{ lang, want string }{
		{"de", "de"},
		{"de-DE", "de"},
		{"de_AT.UTF-8", "de"},
		{"DE_de", "de"},
		{"zh-Hant-TW", "zh-hant"},
		{"pt-BR", "pt-br"},
		{"pt", ""},
		{"en", ""},
		{"en-US", ""},
		{"fr", ""},
		{"", ""},
		{"fr-CH, de;q=0.9", "de"},
		{"de;q=0, en", ""},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			assert.Equal(t, tt.want, c.MatchLanguage(tt.lang))
			// The contract: the match gets the same translations.
			for _, text := range []string{notify.DefaultLoginRefused, notify.DefaultActiveNotification, notify.DefaultDateLayout} {
				assert.Equal(t, c.Translate(tt.lang, text), c.Translate(tt.want, text), text)
			}
		})
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { c.MatchLanguage("de-DE") }))
}

// Viewers of one zone made by NewViewer share its *time.Location, which
// Texts caches the upcoming text by.
func TestNewViewer_SharesZone(t *testing.T) {
	a := viewer(t, "Europe/Berlin", "de")
	b := viewer(t, "Europe/Berlin", "en")
	assert.Same(t, a.Location, b.Location)
	local, err := notify.NewViewer(0, "Local", "")
	require.NoError(t, err)
	assert.Same(t, time.Local, local.Location)
}

// The upcoming banner allocates nothing once its text has been shown.
func TestTexts_Banner_UpcomingNoAllocs(t *testing.T) {
	texts := notify.New(nil)
	st := upcomingAt(window(now.Add(2*time.Hour), now.Add(3*time.Hour)))
	for _, v := range []notify.Viewer{viewer(t, "Europe/Berlin", "de"), viewer(t, "", "de-DE"), {}} {
		texts.Banner(st, v)
		assert.Zero(t, testing.AllocsPerRun(100, func() { texts.Banner(st, v) }), v)
	}
}
