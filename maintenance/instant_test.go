package maintenance_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// Instants at and beyond the reach of int64 Unix milliseconds, where
// t.UnixMilli saturates or wraps. The schedule's time line ends one
// millisecond inside that reach (see maintenance.Compile).
var (
	lineStart = time.UnixMilli(math.MinInt64 + 1).UTC()
	lineEnd   = time.UnixMilli(math.MaxInt64 - 1).UTC()
	// maxMilli is year 292278994: t.UnixMilli() == math.MaxInt64, where
	// Schedule.At used to panic with an index out of range.
	maxMilli = time.UnixMilli(math.MaxInt64).UTC()
	minMilli = time.UnixMilli(math.MinInt64).UTC()
	// latest is the last instant a time.Time holds, some 292 billion
	// years from now (t.Year() itself overflows there).
	latest = time.Unix(math.MaxInt64-62135596800, 999_999_999).UTC()
	// earliestUnix is the instant where t.Unix() == math.MinInt64.
	earliestUnix = time.Unix(math.MinInt64, 0).UTC()
	// earliest is the first instant a time.Time holds; even its t.Unix()
	// wraps.
	earliest = func() time.Time {
		t := earliestUnix
		for range 8 {
			t = t.Add(math.MinInt64) // saturates
		}
		return t
	}()
	// wrapsToBase is 2^64 milliseconds (some 584 million years) after
	// base: its t.UnixMilli() wraps to exactly base's.
	wrapsToBase = time.Unix(base.Unix()+18446744073709551, 616e6).UTC()
	// yearMinus1 is the last millisecond before MinTime.
	yearMinus1 = maintenance.MinTime.Add(-time.Millisecond)
	year10000  = maintenance.MaxTime.Add(time.Millisecond)
)

// extremes are the instants every check of this file is tried at.
var extremes = []struct {
	name string
	t    time.Time
}{
	{"zero time", time.Time{}},
	{"MinTime", maintenance.MinTime},
	{"MaxTime", maintenance.MaxTime},
	{"year 0", yearMinus1},
	{"year 10000", year10000},
	{"line start", lineStart},
	{"line end", lineEnd},
	{"UnixMilli MaxInt64", maxMilli},
	{"UnixMilli MinInt64", minMilli},
	{"latest time.Time", latest},
	{"Unix MinInt64", earliestUnix},
	{"earliest time.Time", earliest},
	{"wraps to base", wrapsToBase},
}

func TestExtremes_Preconditions(t *testing.T) {
	// The instants are what their names say, so the tests below test what
	// they claim to.
	assert.Equal(t, int64(math.MaxInt64), maxMilli.UnixMilli())
	assert.Equal(t, base.UnixMilli(), wrapsToBase.UnixMilli(), "wraps")
	assert.True(t, wrapsToBase.After(maxMilli))
	assert.True(t, latest.After(wrapsToBase))
	assert.Equal(t, latest, latest.Add(time.Hour), "nothing after latest")
	assert.Equal(t, int64(math.MinInt64), earliestUnix.Unix())
	assert.True(t, earliest.Before(earliestUnix))
	assert.Positive(t, earliest.Unix(), "t.Unix wraps")
	assert.True(t, maintenance.MinTime.IsZero())
	assert.Equal(t, 0, yearMinus1.Year())
	assert.Equal(t, 10000, year10000.Year())
}

func TestWindow_ValidateInstants(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *maintenance.Window)
		want   map[string]maintenance.Reason // nil: valid
	}{
		{"start one millisecond after MinTime", func(w *maintenance.Window) { w.Start = maintenance.MinTime.Add(time.Millisecond) }, nil},
		{"stop at MaxTime", func(w *maintenance.Window) { w.Stop = maintenance.MaxTime }, nil},
		{"the whole range", func(w *maintenance.Window) {
			w.Start, w.Stop = maintenance.MinTime.Add(time.Millisecond), maintenance.MaxTime
		}, nil},
		{"start at MinTime is the zero time: missing", func(w *maintenance.Window) { w.Start = maintenance.MinTime },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonRequired}},
		{"start in year 0", func(w *maintenance.Window) { w.Start = yearMinus1 },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonOutOfRange}},
		{"start in year 0 in a zone east of UTC", func(w *maintenance.Window) {
			w.Start = yearMinus1.In(time.FixedZone("UTC+14", 14*3600)) // year 1 on the wall clock
		}, map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonOutOfRange}},
		{"stop in year 10000", func(w *maintenance.Window) { w.Stop = year10000 },
			map[string]maintenance.Reason{maintenance.FieldStop: maintenance.ReasonOutOfRange}},
		{"both in year 10000: out of range, not 'not before stop'", func(w *maintenance.Window) {
			w.Start, w.Stop = year10000.Add(time.Hour), year10000
		}, map[string]maintenance.Reason{
			maintenance.FieldStart: maintenance.ReasonOutOfRange,
			maintenance.FieldStop:  maintenance.ReasonOutOfRange,
		}},
		{"stop at UnixMilli MaxInt64", func(w *maintenance.Window) { w.Stop = maxMilli },
			map[string]maintenance.Reason{maintenance.FieldStop: maintenance.ReasonOutOfRange}},
		{"start at the latest time.Time", func(w *maintenance.Window) { w.Start = latest },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonOutOfRange}},
		{"start at the earliest time.Time", func(w *maintenance.Window) { w.Start = earliest },
			map[string]maintenance.Reason{maintenance.FieldStart: maintenance.ReasonOutOfRange}},
		{"stop whose milliseconds wrap to a valid year", func(w *maintenance.Window) { w.Stop = wrapsToBase.Add(time.Hour) },
			map[string]maintenance.Reason{maintenance.FieldStop: maintenance.ReasonOutOfRange}},
		{"lead of MaxLead", func(w *maintenance.Window) { w.Lead = maintenance.MaxLead }, nil},
		{"lead one millisecond over MaxLead", func(w *maintenance.Window) { w.Lead = maintenance.MaxLead + time.Millisecond },
			map[string]maintenance.Reason{maintenance.FieldLead: maintenance.ReasonLeadTooLong}},
		{"lead of 292 years", func(w *maintenance.Window) { w.Lead = math.MaxInt64 },
			map[string]maintenance.Reason{maintenance.FieldLead: maintenance.ReasonLeadTooLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWindow()
			tt.change(&w)
			// As the Manager does: normalize, then validate.
			err := w.Normalize().Validate()
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
		})
	}
}

func TestWindow_NormalizeExtremes(t *testing.T) {
	// Normalize truncates to the millisecond; it never moves an instant
	// by wrapping its Unix milliseconds.
	for _, tt := range extremes {
		t.Run(tt.name, func(t *testing.T) {
			w := maintenance.Window{Start: tt.t, Stop: tt.t.Add(1500 * time.Microsecond)}.Normalize()
			if tt.t.IsZero() {
				assert.True(t, w.Start.IsZero())
			} else {
				assert.True(t, !w.Start.After(tt.t) && tt.t.Sub(w.Start) < time.Millisecond,
					"start %v normalized to %v", tt.t, w.Start)
			}
			assert.Zero(t, w.Start.Nanosecond()%int(time.Millisecond))
			assert.Equal(t, tt.t.Year(), w.Start.Year())
			assert.Equal(t, time.UTC, w.Stop.Location())
			assert.Equal(t, w, w.Normalize(), "idempotent")
		})
	}
}

func TestManager_AddRefusesInstantsOutOfRange(t *testing.T) {
	// A window in year 292278994 used to be stored, by any store keeping
	// Unix milliseconds, in year -292275055.
	tests := []struct {
		name  string
		start time.Time
		stop  time.Time
		field string
	}{
		{"stop in year 292278994", base, maxMilli, maintenance.FieldStop},
		{"start and stop past the end of int64 milliseconds", wrapsToBase, wrapsToBase.Add(time.Hour), maintenance.FieldStart},
		{"start in year 0", yearMinus1, base, maintenance.FieldStart},
		{"stop in year 10000", base, year10000, maintenance.FieldStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			store := memstore.NewWindowStore()
			m, _ := newManager(t, store)
			w := validWindow()
			w.Start, w.Stop = tt.start, tt.stop
			_, err := m.Add(ctx, w, "root")
			var ve *maintenance.ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %v", err)
			r, ok := ve.Reason(tt.field)
			assert.True(t, ok, "%s named in %v", tt.field, err)
			assert.Equal(t, maintenance.ReasonOutOfRange, r)
			all, err := store.List(ctx)
			require.NoError(t, err)
			assert.Empty(t, all, "nothing written")
		})
	}
}

// TestSchedule_AtExtremes asks schedules at every extreme instant: no
// panic, and the answer of the rules on the clamped time line.
func TestSchedule_AtExtremes(t *testing.T) {
	far := win(1, 0, 60)
	far.Stop = latest // stop beyond the line: clamped to its end
	nearStart := win(2, 0, 60)
	nearStart.Start, nearStart.Stop = lineStart.Add(5*time.Millisecond), lineStart.Add(time.Hour)
	nearStart.Lead = time.Hour // the notice would begin before the line
	wideLead := win(3, 0, 60)
	wideLead.Start, wideLead.Stop = maintenance.MinTime.Add(time.Millisecond), maintenance.MinTime.Add(time.Hour)
	wideLead.Lead = math.MaxInt64 // unvalidated: Compile takes it as it is
	beyond := win(4, 0, 60)
	beyond.Start, beyond.Stop = wrapsToBase, wrapsToBase.Add(time.Hour) // both clamp to the line's end
	schedules := []struct {
		name string
		ws   []maintenance.Window
	}{
		{"empty", nil},
		{"one window today", []maintenance.Window{win(1, 0, 60)}},
		{"stop beyond the line", []maintenance.Window{far}},
		{"notice before the line", []maintenance.Window{nearStart}},
		{"lead of 292 years", []maintenance.Window{wideLead, win(5, 0, 60)}},
		{"start and stop beyond the line", []maintenance.Window{beyond, win(5, 0, 60)}},
		{"at the ends of the range", []maintenance.Window{
			{ID: 6, Start: maintenance.MinTime.Add(time.Millisecond), Stop: maintenance.MinTime.Add(time.Hour), Comment: "w", Validity: maintenance.Valid},
			{ID: 7, Start: maintenance.MaxTime.Add(-time.Hour), Stop: maintenance.MaxTime, Comment: "w", Validity: maintenance.Valid},
		}},
	}
	for _, sc := range schedules {
		s := maintenance.Compile(sc.ws, maintenance.DefaultLead)
		for _, tt := range extremes {
			t.Run(sc.name+"/"+tt.name, func(t *testing.T) {
				var st maintenance.Status
				require.NotPanics(t, func() { st = s.At(tt.t) })
				assertNaive(t, sc.ws, maintenance.DefaultLead, tt.t, st)
			})
		}
	}
}

// TestSchedule_Clamped states what the clamped time line means, case by
// case; each failed before instants were clamped.
func TestSchedule_Clamped(t *testing.T) {
	today := maintenance.Compile([]maintenance.Window{win(1, 0, 60)}, maintenance.DefaultLead)

	t.Run("UnixMilli MaxInt64 does not panic", func(t *testing.T) {
		st := today.At(maxMilli)
		assert.False(t, st.Active())
		assert.True(t, st.Next().IsZero(), "nothing changes after the line's end")
	})
	t.Run("an instant whose milliseconds wrap is not today", func(t *testing.T) {
		assert.True(t, today.At(at(10)).Active(), "precondition")
		assert.False(t, today.At(wrapsToBase.Add(10*time.Minute)).Active())
	})
	t.Run("a stop beyond the line ends at the line's end", func(t *testing.T) {
		w := win(1, 0, 60)
		w.Stop = latest
		st := maintenance.Compile([]maintenance.Window{w}, maintenance.DefaultLead).At(at(1))
		assert.True(t, st.Active())
		assert.Equal(t, lineEnd, st.End())
		assert.Equal(t, lineEnd, st.Next())
	})
	t.Run("a notice before the line begins with it", func(t *testing.T) {
		w := win(1, 0, 60)
		w.Start, w.Stop, w.Lead = lineStart.Add(time.Minute), lineStart.Add(time.Hour), time.Hour
		s := maintenance.Compile([]maintenance.Window{w}, maintenance.DefaultLead)
		for _, ti := range []time.Time{earliest, lineStart, lineStart.Add(time.Second)} {
			u, ok := s.At(ti).Upcoming()
			assert.True(t, ok, "upcoming at %v", ti)
			assert.Equal(t, int64(1), u.ID)
		}
		assert.Equal(t, lineStart.Add(time.Minute), s.At(lineStart).Next())
	})
	t.Run("a lead of 292 years before year 1", func(t *testing.T) {
		w := win(1, 0, 60)
		w.Start, w.Stop, w.Lead = maintenance.MinTime.Add(time.Hour), maintenance.MinTime.Add(2*time.Hour), math.MaxInt64
		s := maintenance.Compile([]maintenance.Window{w}, maintenance.DefaultLead)
		_, ok := s.At(maintenance.MinTime.AddDate(-200, 0, 0)).Upcoming()
		assert.True(t, ok)
		_, ok = s.At(maintenance.MinTime.AddDate(-293, 0, 0)).Upcoming()
		assert.False(t, ok)
	})
	t.Run("a default lead of 292 years", func(t *testing.T) {
		s := maintenance.Compile([]maintenance.Window{win(1, 0, 60)}, math.MaxInt64)
		_, ok := s.At(base.AddDate(-290, 0, 0)).Upcoming()
		assert.True(t, ok)
		assert.Equal(t, time.Duration(math.MaxInt64), s.Lead())
	})
}
