package maintenance_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

var base = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func validWindow() maintenance.Window {
	return maintenance.Window{
		Start:    base,
		Stop:     base.Add(time.Hour),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}
}

func TestWindow_Validate(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *maintenance.Window)
		want   map[string]maintenance.Reason // nil: valid
	}{
		{"valid", func(w *maintenance.Window) {}, nil},
		{"no start", func(w *maintenance.Window) { w.Start = time.Time{} },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonRequired}},
		{"no stop", func(w *maintenance.Window) { w.Stop = time.Time{} },
			map[string]maintenance.Reason{maintenance.FieldStop: maintenance.ReasonRequired}},
		{"start after stop by one second", func(w *maintenance.Window) { w.Start = w.Stop.Add(time.Second) },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonNotBeforeStop}},
		{"start equal to stop", func(w *maintenance.Window) { w.Start = w.Stop },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonNotBeforeStop}},
		{"start one millisecond before stop", func(w *maintenance.Window) { w.Start = w.Stop.Add(-time.Millisecond) }, nil},
		{"comment missing", func(w *maintenance.Window) { w.Comment = "" },
			map[string]maintenance.Reason{maintenance.FieldComment: maintenance.ReasonRequired}},
		{"comment blank", func(w *maintenance.Window) { w.Comment = " \t\n" },
			map[string]maintenance.Reason{maintenance.FieldComment: maintenance.ReasonRequired}},
		{"comment zero is a comment", func(w *maintenance.Window) { w.Comment = "0" }, nil},
		{"comment 250 characters", func(w *maintenance.Window) { w.Comment = strings.Repeat("é", 250) }, nil},
		{"comment 251 characters", func(w *maintenance.Window) { w.Comment = strings.Repeat("a", 251) },
			map[string]maintenance.Reason{maintenance.FieldComment: maintenance.ReasonTooLong}},
		{"login message 250 runes of two bytes", func(w *maintenance.Window) { w.LoginMessage = strings.Repeat("é", 250) }, nil},
		{"login message 251 runes", func(w *maintenance.Window) { w.LoginMessage = strings.Repeat("é", 251) },
			map[string]maintenance.Reason{maintenance.FieldLoginMessage: maintenance.ReasonTooLong}},
		{"notify message 250", func(w *maintenance.Window) { w.NotifyMessage = strings.Repeat("a", 250) }, nil},
		{"notify message 256", func(w *maintenance.Window) { w.NotifyMessage = strings.Repeat("a", 250) + " - Mod" },
			map[string]maintenance.Reason{maintenance.FieldNotifyMessage: maintenance.ReasonTooLong}},
		{"validity zero", func(w *maintenance.Window) { w.Validity = 0 },
			map[string]maintenance.Reason{maintenance.FieldValidity: maintenance.ReasonUnknown}},
		{"validity four", func(w *maintenance.Window) { w.Validity = 4 },
			map[string]maintenance.Reason{maintenance.FieldValidity: maintenance.ReasonUnknown}},
		{"invalid temporarily is known", func(w *maintenance.Window) { w.Validity = maintenance.InvalidTemporarily }, nil},
		{"negative lead", func(w *maintenance.Window) { w.Lead = -time.Minute },
			map[string]maintenance.Reason{maintenance.FieldLead: maintenance.ReasonNegative}},
		{"every field at once", func(w *maintenance.Window) {
			*w = maintenance.Window{LoginMessage: strings.Repeat("x", 251), NotifyMessage: strings.Repeat("y", 251), Lead: -1}
		}, map[string]maintenance.Reason{
			maintenance.FieldStart:         maintenance.ReasonRequired,
			maintenance.FieldStop:          maintenance.ReasonRequired,
			maintenance.FieldComment:       maintenance.ReasonRequired,
			maintenance.FieldLoginMessage:  maintenance.ReasonTooLong,
			maintenance.FieldNotifyMessage: maintenance.ReasonTooLong,
			maintenance.FieldValidity:      maintenance.ReasonUnknown,
			maintenance.FieldLead:          maintenance.ReasonNegative,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWindow()
			tt.change(&w)
			err := w.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			var ve *maintenance.ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %v", err)
			got := map[string]maintenance.Reason{}
			for _, f := range ve.Fields {
				got[f.Field] = f.Reason
			}
			assert.Equal(t, tt.want, got)
			for field, reason := range tt.want {
				r, ok := ve.Reason(field)
				assert.True(t, ok)
				assert.Equal(t, reason, r)
				assert.Contains(t, err.Error(), field)
			}
		})
	}
}

func TestWindow_StateAt(t *testing.T) {
	w := validWindow()
	tests := []struct {
		name   string
		at     time.Time
		want   maintenance.State
		active bool
	}{
		{"before start", base.Add(-time.Millisecond), maintenance.Planned, false},
		{"at start", base, maintenance.Active, true},
		{"inside", base.Add(30 * time.Minute), maintenance.Active, true},
		{"last millisecond", w.Stop.Add(-time.Millisecond), maintenance.Active, true},
		{"at stop", w.Stop, maintenance.Finished, false},
		{"after stop", w.Stop.Add(time.Hour), maintenance.Finished, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, w.StateAt(tt.at))
			assert.Equal(t, tt.active, w.ActiveAt(tt.at))
			inv := w
			inv.Validity = maintenance.InvalidTemporarily
			assert.Equal(t, tt.want, inv.StateAt(tt.at), "state ignores validity")
			assert.False(t, inv.ActiveAt(tt.at), "an invalid window is never active")
		})
	}
	assert.Equal(t, "planned", maintenance.Planned.String())
	assert.Equal(t, "active", maintenance.Active.String())
	assert.Equal(t, "finished", maintenance.Finished.String())
}

func TestValidity(t *testing.T) {
	for _, v := range maintenance.Validities {
		got, err := maintenance.ParseValidity(v.String())
		require.NoError(t, err)
		assert.Equal(t, v, got)
		assert.True(t, v.Known())
	}
	_, err := maintenance.ParseValidity("sort of valid")
	assert.ErrorContains(t, err, `"sort of valid"`)
	assert.Equal(t, "Validity(9)", maintenance.Validity(9).String())
	assert.False(t, maintenance.Validity(9).Known())
}

func TestWindow_Normalize(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	w := maintenance.Window{Start: time.Date(2026, 11, 24, 13, 0, 0, 1_999_999, berlin)}
	n := w.Normalize()
	assert.Equal(t, time.UTC, n.Start.Location())
	assert.Equal(t, time.Date(2026, 11, 24, 12, 0, 0, 1_000_000, time.UTC), n.Start)
	assert.True(t, n.Stop.IsZero(), "zero stays zero")
}

// FuzzWindow_Validate checks Validate against the rules written plainly:
// it refuses exactly the windows that break one, naming each broken field
// once, and never panics. Start and Stop are drawn around today and around
// the extremes of time.Time (fuzzAnchors).
// notText reports whether s is not valid UTF-8 or holds a NUL, written
// plainly: a byte string that survives the round trip through runes
// unchanged and has no zero rune.
func notText(s string) bool {
	rs := []rune(s)
	return string(rs) != s || slices.Contains(rs, 0)
}

func FuzzWindow_Validate(f *testing.F) {
	f.Add(uint8(0), int64(0), uint8(0), int64(3600_000), "Up\x00grade", "\xff", "ok", int8(1), int64(0))
	f.Add(uint8(0), int64(0), uint8(0), int64(3600_000), "Upgrade", "", "", int8(1), int64(0))
	f.Add(uint8(0), int64(5), uint8(0), int64(5), " ", strings.Repeat("é", 251), "x", int8(4), int64(-1))
	f.Add(uint8(0), int64(-1), uint8(0), int64(0), "\t0\n", "", strings.Repeat("a", 250), int8(3), int64(60_000))
	f.Add(uint8(5), int64(-1), uint8(5), int64(1), "end of 9999", "", "", int8(1), int64(366*24*3600_000))
	f.Add(uint8(4), int64(1), uint8(9), int64(1), "year 1", "", "", int8(1), int64(366*24*3600_000+1))
	f.Add(uint8(13), int64(1), uint8(13), int64(60_000), "wraps", "", "", int8(1), int64(0))
	f.Fuzz(func(t *testing.T, startAnchor uint8, startMS int64, stopAnchor uint8, stopMS int64,
		comment, login, notify string, validity int8, leadMS int64) {
		w := maintenance.Window{Comment: comment, LoginMessage: login, NotifyMessage: notify,
			Validity: maintenance.Validity(validity), Lead: time.Duration(leadMS) * time.Millisecond}
		if startMS != 0 {
			w.Start = fuzzAnchors[int(startAnchor)%len(fuzzAnchors)].Add(time.Duration(startMS%1e12) * time.Millisecond)
		}
		if stopMS != 0 {
			w.Stop = fuzzAnchors[int(stopAnchor)%len(fuzzAnchors)].Add(time.Duration(stopMS%1e12) * time.Millisecond)
		}
		// The years 1 to 9999 in UTC, written plainly.
		year1, year10000 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		outside := func(t time.Time) bool { return t.Before(year1) || !t.Before(year10000) }
		want := map[string]bool{
			maintenance.FieldStart: w.Start.IsZero() || outside(w.Start) ||
				(!w.Stop.IsZero() && !outside(w.Stop) && !w.Start.Before(w.Stop)),
			maintenance.FieldStop:          w.Stop.IsZero() || outside(w.Stop),
			maintenance.FieldComment:       strings.TrimSpace(comment) == "" || notText(comment) || len([]rune(comment)) > 250,
			maintenance.FieldLoginMessage:  notText(login) || len([]rune(login)) > 250,
			maintenance.FieldNotifyMessage: notText(notify) || len([]rune(notify)) > 250,
			maintenance.FieldValidity:      validity < 1 || validity > 3,
			maintenance.FieldLead:          w.Lead < 0 || w.Lead > 366*24*time.Hour,
		}
		got := map[string]bool{}
		var ve *maintenance.ValidationError
		if err := w.Validate(); err != nil {
			require.True(t, errors.As(err, &ve), "%v", err)
			for _, fe := range ve.Fields {
				require.False(t, got[fe.Field], "field %s named twice", fe.Field)
				got[fe.Field] = true
			}
		}
		for field, bad := range want {
			assert.Equal(t, bad, got[field], "field %s", field)
		}
		// What Validate accepts, a store keeps exactly: normalized, it
		// survives the trip through Unix milliseconds.
		if len(got) == 0 {
			n := w.Normalize()
			assert.Equal(t, n.Start, time.UnixMilli(n.Start.UnixMilli()).UTC())
			assert.Equal(t, n.Stop, time.UnixMilli(n.Stop.UnixMilli()).UTC())
			assert.NoError(t, n.Validate(), "normalized")
		}
	})
}

func TestWindow_ValidateText(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(w *maintenance.Window)
		field string
	}{
		{"comment with a NUL", func(w *maintenance.Window) { w.Comment = "up\x00grade" }, maintenance.FieldComment},
		{"comment not UTF-8", func(w *maintenance.Window) { w.Comment = "caf\xe9" }, maintenance.FieldComment},
		{"login message with a NUL", func(w *maintenance.Window) { w.LoginMessage = "\x00" }, maintenance.FieldLoginMessage},
		{"notify message not UTF-8", func(w *maintenance.Window) { w.NotifyMessage = "\xff\xfe" }, maintenance.FieldNotifyMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWindow()
			tt.edit(&w)
			var ve *maintenance.ValidationError
			require.ErrorAs(t, w.Validate(), &ve)
			reason, ok := ve.Reason(tt.field)
			require.True(t, ok, "%v", ve)
			assert.Equal(t, maintenance.ReasonNotText, reason)
		})
	}
}

func TestManager_AddRefusesABadActor(t *testing.T) {
	tests := []struct {
		name, actor string
		want        maintenance.Reason
	}{
		{"blank", " \t", maintenance.ReasonRequired},
		{"NUL", "ad\x00min", maintenance.ReasonNotText},
		{"not UTF-8", "adm\xefn", maintenance.ReasonNotText},
		{"too long", strings.Repeat("a", 251), maintenance.ReasonTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := memstore.NewWindowStore()
			m, _ := newManager(t, store)
			_, err := m.Add(context.Background(), validWindow(), tt.actor)
			var ve *maintenance.ValidationError
			require.ErrorAs(t, err, &ve)
			reason, ok := ve.Reason(maintenance.FieldActor)
			require.True(t, ok)
			assert.Equal(t, tt.want, reason)
			ws, err := store.List(context.Background())
			require.NoError(t, err)
			assert.Empty(t, ws, "written despite the bad actor")
		})
	}
	m, _ := newManager(t, memstore.NewWindowStore())
	_, err := m.Add(context.Background(), validWindow(), strings.Repeat("é", 250))
	assert.NoError(t, err, "250 characters are allowed")
}

// TestWindow_normal: the shortcut Compile takes for windows already
// normalized says yes only for windows equal to their Normalize.
func TestWindow_normal(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		name   string
		change func(w *maintenance.Window)
		normal bool
	}{
		{"normalized", func(*maintenance.Window) {}, true},
		{"zero audit instants", func(w *maintenance.Window) { w.CreatedAt, w.ChangedAt = time.Time{}, time.Time{} }, true},
		{"monotonic reading", func(w *maintenance.Window) { w.Start = time.Now() }, false},
		{"whole ms with a monotonic reading", func(w *maintenance.Window) {
			now := time.Now()
			w.Stop = now.Add(-time.Duration(now.Nanosecond() % 1e6))
		}, false},
		{"another zone", func(w *maintenance.Window) { w.Stop = w.Stop.In(berlin) }, false},
		{"below the millisecond", func(w *maintenance.Window) { w.ChangedAt = w.ChangedAt.Add(time.Microsecond) }, false},
		{"zero instant in a zone", func(w *maintenance.Window) { w.Occurrence = time.Time{}.In(berlin) }, false},
		{"lead below the millisecond", func(w *maintenance.Window) { w.Lead = time.Minute + time.Nanosecond }, false},
		{"recurring", func(w *maintenance.Window) {
			w.Recurrence = maintenance.Recurrence{Rule: "FREQ=DAILY", Zone: "UTC"}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWindow()
			w.CreatedAt, w.ChangedAt, w.Lead = base.Add(-time.Hour), base.Add(-time.Minute), time.Minute
			w = w.Normalize()
			tt.change(&w)
			assert.Equal(t, tt.normal, maintenance.Normal(w))
			if maintenance.Normal(w) {
				assert.Equal(t, w.Normalize(), w, "normal, so its own Normalize, field by field")
			}
		})
	}
}

func TestWindow_StateAtOfASeries(t *testing.T) {
	// Every Sunday 02:00-04:00 in Berlin from 29 November 2026, the 13
	// December skipped; and the same with COUNT=3.
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	first := time.Date(2026, 11, 29, 2, 0, 0, 0, berlin)
	series := maintenance.Window{Start: first, Stop: first.Add(2 * time.Hour), Comment: "patching", Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin",
			Exceptions: []time.Time{time.Date(2026, 12, 13, 2, 0, 0, 0, berlin)}}}
	counted := series
	counted.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU;COUNT=3", Zone: "Europe/Berlin"}
	require.NoError(t, series.Validate())
	require.NoError(t, counted.Validate())
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, berlin) }
	tests := []struct {
		name string
		w    maintenance.Window
		t    time.Time
		want maintenance.State
	}{
		{"before the first", series, at(2026, 11, 28, 12, 0), maintenance.Planned},
		{"in the first", series, at(2026, 11, 29, 3, 0), maintenance.Active},
		{"between two", series, at(2026, 12, 2, 12, 0), maintenance.Planned},
		{"in a later one", series, at(2026, 12, 6, 2, 0), maintenance.Active},
		{"at an occurrence's stop", series, at(2026, 12, 6, 4, 0), maintenance.Planned},
		{"in a skipped one", series, at(2026, 12, 13, 3, 0), maintenance.Planned},
		{"a year on", series, at(2027, 11, 28, 3, 0), maintenance.Active},
		{"in the last of three", counted, at(2026, 12, 13, 3, 0), maintenance.Active},
		{"after the last of three", counted, at(2026, 12, 13, 4, 0), maintenance.Finished},
		{"an occurrence is a window of its own", func() maintenance.Window {
			o, err := series.Occurrences(at(2026, 12, 1, 0, 0), 1)
			require.NoError(t, err)
			return o[0]
		}(), at(2026, 12, 7, 0, 0), maintenance.Finished},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.w.StateAt(tt.t))
		})
	}
}
