package middleware

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

var noon = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// compile returns the schedule of ws, as valid windows with IDs.
func compile(ws ...maintenance.Window) *maintenance.Schedule {
	ws = append([]maintenance.Window(nil), ws...)
	for i := range ws {
		ws[i].ID = int64(i + 1)
		ws[i].Validity = maintenance.Valid
		ws[i].Comment = "test window"
	}
	return maintenance.Compile(ws, maintenance.DefaultLead)
}

// statusAt returns the status at t of a schedule of ws.
func statusAt(t time.Time, ws ...maintenance.Window) maintenance.Status {
	return compile(ws...).At(t)
}

// freshAnswer is the lockout's answer rendered afresh, as Lockout wrote it
// before it kept its bodies: the page through the template, the JSON
// through the encoder, every header set anew.
func freshAnswer(l *lockout, st maintenance.Status, v notify.Viewer, now time.Time, asJSON bool) (http.Header, string) {
	notice := l.o.Texts.Banner(st, v)
	end := st.End()
	secs := retryAfter(end, now)
	header := strconv.FormatInt(secs, 10)
	if l.o.RetryAfter == RetryAfterDate {
		header = retryAfterDate(end)
	}
	until := end.UTC().Format(time.RFC3339Nano)
	lang := v.Language
	if lang == "" {
		lang = "en"
	}
	lang = strings.ReplaceAll(lang, "_", "-")
	var body bytes.Buffer
	ctype := "text/html; charset=utf-8"
	if asJSON {
		ctype = "application/json"
		_ = json.NewEncoder(&body).Encode(lockoutJSON{Error: "maintenance", Message: notice.Text, RetryAfter: secs, Until: until})
	} else {
		heading := ""
		if l.o.Status != http.StatusOK {
			heading = strconv.Itoa(l.o.Status) + " " + http.StatusText(l.o.Status)
		}
		_ = lockoutPage.Execute(&body, struct{ Lang, Heading, Message, Until string }{lang, heading, notice.Text, until})
	}
	h := http.Header{}
	h.Set("Retry-After", header)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept")
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	return h, body.String()
}

// TestLockout_CachedEqualsFresh answers locked-out requests of every kind,
// each twice (the first made, the second from the cache) and at instants a
// second apart, and checks each answer against the one rendered afresh.
func TestLockout_CachedEqualsFresh(t *testing.T) {
	plain := maintenance.Window{Start: noon, Stop: noon.Add(2 * time.Hour)}
	message := plain
	message.NotifyMessage = `Back at 14:00 <b>"sharp"</b> & \ soon`
	fraction := maintenance.Window{Start: noon, Stop: noon.Add(2*time.Hour + 1500*time.Millisecond)}
	weekly := maintenance.Window{Start: noon.Add(-7 * 24 * time.Hour), Stop: noon.Add(-7*24*time.Hour + time.Hour),
		Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY", Zone: "Europe/Berlin"}}
	long := maintenance.Window{Start: noon, Stop: noon.Add(30 * 24 * time.Hour)} // a Retry-After beyond the shared numbers
	windows := map[string][]maintenance.Window{
		"default message": {plain}, "own message": {message}, "stop with a fraction": {fraction},
		"occurrence": {weekly}, "chain": {plain, {Start: noon.Add(2 * time.Hour), Stop: noon.Add(3 * time.Hour)}},
		"a month": {long},
	}
	langs := []string{"", "en", "de", "de_AT", "de-AT", "DE_de.UTF-8", "fr-CH, de;q=0.9", `x"><script>`, "ü", strings.Repeat("a", 200)}
	options := map[string]LockoutOptions{
		"default": {}, "200": {Status: http.StatusOK}, "date": {RetryAfter: RetryAfterDate}, "429": {Status: http.StatusTooManyRequests},
	}
	for oname, o := range options {
		l := newLockout("test", &o)
		for wname, ws := range windows {
			for _, elapsed := range []time.Duration{time.Minute, time.Minute + 500*time.Millisecond, time.Minute + time.Second, 59 * time.Minute} {
				now := noon.Add(elapsed)
				st := statusAt(now, ws...)
				require.True(t, st.Active())
				for _, lang := range langs {
					for _, asJSON := range []bool{false, true} {
						for _, method := range []string{http.MethodGet, http.MethodHead} {
							for i := range 2 {
								what := fmt.Sprintf("%s, %s, +%v, %q, json %v, %s, call %d", oname, wname, elapsed, lang, asJSON, method, i+1)
								v := notify.Viewer{Language: lang, Location: time.UTC}
								r := httptest.NewRequest(method, "/tickets", nil)
								if asJSON {
									r.Header.Set("Accept", "application/json")
								}
								rec := httptest.NewRecorder()
								l.write(rec, r, st, v, now)
								wantHeader, wantBody := freshAnswer(l, st, v, now, asJSON)
								if method == http.MethodHead {
									wantBody = ""
								}
								assert.Equal(t, o.Status|cmpZero(o.Status, http.StatusServiceUnavailable), rec.Code, what)
								assert.Equal(t, wantHeader, rec.Header(), what)
								assert.Equal(t, wantBody, rec.Body.String(), what)
							}
						}
					}
				}
			}
		}
	}
}

// cmpZero returns def when v is zero, and zero otherwise.
func cmpZero(v, def int) int {
	if v == 0 {
		return def
	}
	return 0
}

// The caches stay within their bounds whatever languages and zones the
// viewers bring, and the lockout keeps one body per message and format,
// not one per language.
func TestLockout_CacheBounded(t *testing.T) {
	l := newLockout("test", nil)
	st := statusAt(noon.Add(time.Minute), maintenance.Window{Start: noon, Stop: noon.Add(time.Hour)})
	for i := range 5000 {
		v := notify.Viewer{Language: fmt.Sprintf("x-%d", i), Location: time.FixedZone("", i*60)}
		for _, accept := range []string{"text/html", "application/json"} {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Accept", accept)
			l.write(httptest.NewRecorder(), r, st, v, noon.Add(time.Minute))
		}
	}
	assert.LessOrEqual(t, l.notices.c.cur.Load().len(), groupSlots)
	assert.Greater(t, l.notices.c.cur.Load().len(), groupSlots/2, "the cache is used")
	assert.Equal(t, 2, l.bodies.cur.Load().len(), "one page and one JSON body for one message")

	n := newNoticeCache()
	texts := notify.New(nil)
	up := statusAt(noon.Add(-10*time.Minute), maintenance.Window{Start: noon, Stop: noon.Add(time.Hour)})
	for i := range 5000 {
		n.notice(texts, up, notify.Viewer{Language: fmt.Sprintf("x-%d", i), Location: time.FixedZone("", i*60)})
	}
	assert.LessOrEqual(t, n.c.cur.Load().len(), groupSlots)
}

// The shared header values are never changed: not by a Vary the answer
// appends to, nor by a Page hook that writes into its headers.
func TestLockout_SharedHeaders(t *testing.T) {
	st := statusAt(noon.Add(time.Minute), maintenance.Window{Start: noon, Stop: noon.Add(time.Hour)})
	hooked := newLockout("test", &LockoutOptions{Page: func(w http.ResponseWriter, _ *http.Request, _ LockoutPage) {
		for _, vals := range w.Header() {
			vals[0] = "changed"
		}
	}})
	plain := newLockout("test", nil)
	for range 2 {
		for _, l := range []*lockout{plain, hooked} {
			rec := httptest.NewRecorder()
			rec.Header().Set("Vary", "Cookie")
			l.write(rec, httptest.NewRequest(http.MethodGet, "/", nil), st, notify.Viewer{}, noon.Add(time.Minute))
			rec.Header()["Vary"][0] = "changed"
		}
	}
	assert.Equal(t, []string{"no-store"}, valNoStore)
	assert.Equal(t, []string{"nosniff"}, valNosniff)
	assert.Equal(t, []string{"Accept"}, valAccept)
	assert.Equal(t, []string{"text/html; charset=utf-8"}, valHTML)
	rec := httptest.NewRecorder()
	plain.write(rec, httptest.NewRequest(http.MethodGet, "/", nil), st, notify.Viewer{}, noon.Add(time.Minute))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "3540", rec.Header().Get("Retry-After"))
	assert.Equal(t, strconv.Itoa(rec.Body.Len()), rec.Header().Get("Content-Length"))
}

// Answers written at once from many goroutines, across seconds and across
// a change of status, are each right (run with -race).
func TestLockout_ConcurrentAnswers(t *testing.T) {
	l := newLockout("test", nil)
	ws := []maintenance.Window{{Start: noon, Stop: noon.Add(time.Hour)}, {Start: noon.Add(30 * time.Minute), Stop: noon.Add(2 * time.Hour)}}
	sched := compile(ws...)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 300 {
				now := noon.Add(time.Duration(g*300+i) * 3 * time.Second)
				st := sched.At(now)
				v := notify.Viewer{Language: []string{"", "de", "de_AT", "fr"}[i%4]}
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				if i%2 == 0 {
					r.Header.Set("Accept", "application/json")
				}
				rec := httptest.NewRecorder()
				l.write(rec, r, st, v, now)
				h, body := freshAnswer(l, st, v, now, i%2 == 0)
				if rec.Body.String() != body || rec.Header().Get("Retry-After") != h.Get("Retry-After") {
					t.Errorf("at %v for %q: got %q, want %q", now, v.Language, rec.Body.String(), body)
					return
				}
			}
		})
	}
	wg.Wait()
}

// headerValue gives the decimal of every number, shared below its bound.
func TestHeaderValue(t *testing.T) {
	for _, n := range []int64{0, 1, 99, 100, 4095, 4096, 1 << 40} {
		assert.Equal(t, []string{strconv.FormatInt(n, 10)}, headerValue(n))
	}
	assert.Equal(t, []string{"-1"}, headerValue(-1))
	assert.Zero(t, testing.AllocsPerRun(10, func() { headerValue(1234) }))
}
