package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestActions_DownAndUp(t *testing.T) {
	e := newEnv(t)

	r := e.do(req{method: "POST", path: "/down", body: `{"for_seconds":1800,"notify_message":"Upgrading","login_message":"Admins only","show_login_message":true}`, token: operatorToken})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var w httpapi.Window
	r.decode(t, &w)
	assert.Equal(t, basePath+"/windows/1", r.header.Get("Location"))
	assert.Equal(t, `"v1"`, r.header.Get("ETag"))
	assert.Equal(t, t0, w.Start)
	assert.Equal(t, at(30*time.Minute), w.Stop)
	assert.Equal(t, httpapi.DefaultDownComment, w.Comment)
	assert.Equal(t, "active", w.State)
	assert.Equal(t, "operator", w.CreatedBy)
	assert.True(t, e.m.Status().Active(), "maintenance is on at once")

	e.clock.Add(10 * time.Minute)
	second := e.add(maintenance.Window{Start: at(5 * time.Minute), Stop: at(2 * time.Hour), Comment: "second"})
	e.add(maintenance.Window{Start: at(3 * time.Hour), Stop: at(4 * time.Hour), Comment: "later"})
	e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour), Comment: "off", Validity: maintenance.Invalid})

	r = e.do(req{method: "POST", path: "/up"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var l httpapi.WindowList
	r.decode(t, &l)
	require.Len(t, l.Windows, 2, "the two valid active windows end")
	assert.Equal(t, []int64{1, second.ID}, []int64{l.Windows[0].ID, l.Windows[1].ID})
	for _, w := range l.Windows {
		assert.Equal(t, e.clock.Now(), w.Stop)
		assert.Equal(t, "finished", w.State)
		assert.Equal(t, "admin", w.ChangedBy)
	}
	assert.False(t, e.m.Status().Active(), "maintenance is off at once")
	off, err := e.m.Get(t.Context(), 4)
	require.NoError(t, err)
	assert.Equal(t, at(time.Hour), off.Stop, "an invalid window is left alone")

	r = e.do(req{method: "POST", path: "/up", body: `{}`})
	require.Equal(t, http.StatusOK, r.status)
	r.decode(t, &l)
	assert.Empty(t, l.Windows, "nothing left to end")
	assert.Equal(t, "[]", string(mustJSON(t, l.Windows)))
}

func TestActions_UpCancelsAWindowStartingNow(t *testing.T) {
	e := newEnv(t)
	w := e.add(maintenance.Window{Start: t0, Stop: at(time.Hour)})
	r := e.do(req{method: "POST", path: "/up"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	got, err := e.m.Get(t.Context(), w.ID)
	require.NoError(t, err)
	assert.Equal(t, maintenance.Invalid, got.Validity, "it cannot stop before it starts, so it is cancelled")
	assert.Equal(t, w.Stop, got.Stop)
	assert.False(t, e.m.Status().Active())
}

func TestActions_End(t *testing.T) {
	e := newEnv(t)
	active := e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour)})
	planned := e.add(maintenance.Window{Start: at(time.Hour), Stop: at(2 * time.Hour)})
	finished := e.add(maintenance.Window{Start: at(-2 * time.Hour), Stop: at(-time.Hour)})
	startsNow := e.add(maintenance.Window{Start: t0, Stop: at(time.Hour)})

	before := e.snapshot()
	for _, w := range []maintenance.Window{planned, finished} {
		r := e.do(req{method: "POST", path: "/windows/" + itoa(w.ID) + "/end"})
		assert.Equal(t, http.StatusConflict, r.status, "window %d: %s", w.ID, r.body)
		assert.Equal(t, httpapi.TypeConflict, r.problem(t).Type)
	}
	assert.Equal(t, before, e.snapshot())

	r := e.do(req{method: "POST", path: "/windows/" + itoa(active.ID) + "/end", header: map[string]string{"If-Match": `"v1"`}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var got httpapi.Window
	r.decode(t, &got)
	assert.Equal(t, t0, got.Stop)
	assert.Equal(t, "finished", got.State)
	assert.Equal(t, `"v2"`, r.header.Get("ETag"))

	// One that starts at this very instant cannot stop before it starts:
	// it is cancelled, as /up does.
	r = e.do(req{method: "POST", path: "/windows/" + itoa(startsNow.ID) + "/end"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r.decode(t, &got)
	assert.Equal(t, "invalid", got.Validity)
	assert.Equal(t, startsNow.Stop, got.Stop)
}

func TestActions_ExtendAndCancel(t *testing.T) {
	e := newEnv(t)
	w := e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour)})

	r := e.do(req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":900}`})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var got httpapi.Window
	r.decode(t, &got)
	assert.Equal(t, w.Stop.Add(15*time.Minute), got.Stop)
	assert.Equal(t, e.m.Status().End(), got.Stop, "the schedule follows")

	r = e.do(req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":900}`, header: map[string]string{"If-Match": `"v1"`}})
	assert.Equal(t, http.StatusPreconditionFailed, r.status)

	r = e.do(req{method: "POST", path: "/windows/1/cancel"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r.decode(t, &got)
	assert.Equal(t, "invalid", got.Validity)
	assert.Equal(t, int64(3), got.Version)
	assert.False(t, e.m.Status().Active())

	r = e.do(req{method: "POST", path: "/windows/1/cancel"})
	require.Equal(t, http.StatusOK, r.status)
	r.decode(t, &got)
	assert.Equal(t, int64(3), got.Version, "cancelling an invalid window writes nothing")
}

func TestActions_RetryWhenTheWindowChanges(t *testing.T) {
	tests := []struct {
		name     string
		races    int64
		ifMatch  string
		status   int
		attempts int64 // updates made by the other writer
	}{
		{"no If-Match, two races: the third try lands", 2, "", http.StatusOK, 2},
		{"no If-Match, the window keeps changing: 409", 10, "", http.StatusConflict, 3},
		{"If-Match *, two races", 2, "*", http.StatusOK, 2},
		{"If-Match with the version read: 412 at the first race", 10, `"v1"`, http.StatusPreconditionFailed, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &racingStore{WindowStore: memstore.NewWindowStore()}
			e := newEnv(t, withStore(s))
			e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour)})
			s.races.Store(tt.races)
			r := e.do(req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":60}`, header: map[string]string{"If-Match": tt.ifMatch}})
			require.Equal(t, tt.status, r.status, "%s", r.body)
			assert.Equal(t, tt.attempts, s.intrus.Load())
			got, err := e.m.Get(t.Context(), 1)
			require.NoError(t, err)
			if tt.status == http.StatusOK {
				assert.Equal(t, at(time.Hour+time.Minute), got.Stop, "extended once, not once per try")
			} else {
				assert.Equal(t, at(time.Hour), got.Stop, "not extended")
			}
		})
	}
}
