package maintenance_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// stores are the window stores the Znuny cases run against.
var stores = []struct {
	name string
	open func(t *testing.T) maintenance.Store
}{
	{"memstore", func(t *testing.T) maintenance.Store { return memstore.NewWindowStore() }},
	{"sqlstore", func(t *testing.T) maintenance.Store {
		db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "sysmaint.db"), nil)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db.Windows()
	}},
}

func utc(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestZnunyCRUD ports the create/update cases of Znuny's
// scripts/test/SystemMaintenance.t, adapted where sysmaint fixes Znuny:
// start must be strictly before stop, an absent flag is false (never NULL),
// and every refusal names its fields.
func TestZnunyCRUD(t *testing.T) {
	const login, notifyMsg = "A login message.", "The notification text."
	a250, a251 := strings.Repeat("a", 250), strings.Repeat("a", 251)
	start, stop := utc("2014-05-02 14:55:00"), utc("2014-05-02 16:01:00")
	full := func(change func(w *maintenance.Window)) maintenance.Window {
		w := maintenance.Window{Start: start, Stop: stop, Comment: "Comment", LoginMessage: login,
			ShowLoginMessage: true, NotifyMessage: notifyMsg, Validity: maintenance.Valid}
		change(&w)
		return w
	}
	tests := []struct {
		name      string
		window    maintenance.Window
		actor     string
		addFails  []string // the fields named by the refusal; nil: Add succeeds
		updateErr []string // the fields named by the update's refusal
	}{
		{name: "1 without any data", window: maintenance.Window{}, actor: "",
			addFails: []string{maintenance.FieldStart, maintenance.FieldStop, maintenance.FieldComment, maintenance.FieldValidity, maintenance.FieldActor}},
		{name: "2 without start", window: full(func(w *maintenance.Window) { w.Start = time.Time{} }), actor: "root",
			addFails: []string{maintenance.FieldStart}},
		{name: "3 without stop", window: full(func(w *maintenance.Window) { w.Start, w.Stop = stop, time.Time{} }), actor: "root",
			addFails: []string{maintenance.FieldStop}},
		// Znuny 4 and 5 passed a string that is not a date and no other
		// date; Go's types make the bad string unrepresentable, so both
		// dates are missing.
		{name: "4 wrong start and no stop", window: full(func(w *maintenance.Window) { w.Start, w.Stop = time.Time{}, time.Time{} }), actor: "root",
			addFails: []string{maintenance.FieldStart, maintenance.FieldStop}},
		{name: "5 wrong stop and no start", window: full(func(w *maintenance.Window) { w.Start, w.Stop = time.Time{}, time.Time{} }), actor: "root",
			addFails: []string{maintenance.FieldStart, maintenance.FieldStop}},
		{name: "6 start after stop by one second", window: full(func(w *maintenance.Window) {
			w.Start, w.Stop = utc("2014-05-02 14:55:01"), utc("2014-05-02 14:55:00")
		}), actor: "root", addFails: []string{maintenance.FieldStart}},
		{name: "7 without validity", window: full(func(w *maintenance.Window) { w.Validity = 0 }), actor: "root",
			addFails: []string{maintenance.FieldValidity}},
		{name: "8 without user", window: full(func(w *maintenance.Window) {}), actor: "",
			addFails: []string{maintenance.FieldActor}},
		{name: "9 without comment", window: full(func(w *maintenance.Window) { w.Comment = "" }), actor: "root",
			addFails: []string{maintenance.FieldComment}},
		{name: "10 without login message", window: full(func(w *maintenance.Window) { w.LoginMessage = "" }), actor: "root"},
		{name: "11 without show login message", window: full(func(w *maintenance.Window) { w.ShowLoginMessage = false }), actor: "root"},
		{name: "12 without notify message", window: full(func(w *maintenance.Window) { w.NotifyMessage = "" }), actor: "root"},
		{name: "13 without notify message again", window: full(func(w *maintenance.Window) { w.NotifyMessage = "" }), actor: "root"},
		{name: "14 login message of 250 characters", window: full(func(w *maintenance.Window) { w.LoginMessage, w.NotifyMessage = a250, "" }), actor: "root",
			updateErr: []string{maintenance.FieldLoginMessage}},
		{name: "15 notify message of 250 characters", window: full(func(w *maintenance.Window) {
			w.LoginMessage, w.ShowLoginMessage, w.NotifyMessage = "", false, a250
		}), actor: "root", updateErr: []string{maintenance.FieldNotifyMessage}},
		{name: "16 login message of 251 characters", window: full(func(w *maintenance.Window) { w.LoginMessage, w.NotifyMessage = a251, "" }), actor: "root",
			addFails: []string{maintenance.FieldLoginMessage}},
		{name: "17 notify message of 251 characters", window: full(func(w *maintenance.Window) {
			w.LoginMessage, w.ShowLoginMessage, w.NotifyMessage = "", false, a251
		}), actor: "root", addFails: []string{maintenance.FieldNotifyMessage}},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			m, _ := newManager(t, st.open(t))
			var added []int64
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := m.Add(ctx, tt.window, tt.actor)
					if tt.addFails != nil {
						assert.Equal(t, tt.addFails, fieldsOf(t, err))
						return
					}
					require.NoError(t, err)
					added = append(added, got.ID)
					stored, err := m.Get(ctx, got.ID)
					require.NoError(t, err)
					assertSameContent(t, tt.window, stored)

					// Znuny's update: dates +30 s, messages suffixed, flag toggled.
					up := stored
					up.Start, up.Stop = up.Start.Add(30*time.Second), up.Stop.Add(30*time.Second)
					if up.LoginMessage != "" {
						up.LoginMessage += " - Mod"
					}
					if up.NotifyMessage != "" {
						up.NotifyMessage += " - Mod"
					}
					up.ShowLoginMessage = !up.ShowLoginMessage
					_, err = m.Update(ctx, up, "root")
					if tt.updateErr != nil {
						assert.Equal(t, tt.updateErr, fieldsOf(t, err))
						again, err := m.Get(ctx, got.ID)
						require.NoError(t, err)
						assert.Equal(t, stored, again, "a refused update writes nothing")
						return
					}
					require.NoError(t, err)
					again, err := m.Get(ctx, got.ID)
					require.NoError(t, err)
					assertSameContent(t, up, again)
				})
			}
			require.Len(t, added, 6, "cases 10 to 15 are added")
			list, err := m.List(ctx, maintenance.Valid)
			require.NoError(t, err)
			assert.ElementsMatch(t, added, ids(list))
			for _, id := range added {
				require.NoError(t, m.Delete(ctx, id))
				assert.ErrorIs(t, m.Delete(ctx, id), maintenance.ErrNotFound, "second delete")
				_, err := m.Get(ctx, id)
				assert.ErrorIs(t, err, maintenance.ErrNotFound)
			}
		})
	}
}

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var ve *maintenance.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("want *ValidationError, got %v", err)
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func assertSameContent(t *testing.T, want, got maintenance.Window) {
	t.Helper()
	assert.True(t, want.Start.Equal(got.Start), "start")
	assert.True(t, want.Stop.Equal(got.Stop), "stop")
	assert.Equal(t, want.Comment, got.Comment)
	assert.Equal(t, want.LoginMessage, got.LoginMessage)
	assert.Equal(t, want.ShowLoginMessage, got.ShowLoginMessage)
	assert.Equal(t, want.NotifyMessage, got.NotifyMessage)
	assert.Equal(t, want.Validity, got.Validity)
}

// TestZnunyTime ports the time cases 18 to 20 of SystemMaintenance.t
// (lead 30 minutes), plus the boundaries derived from the rules.
func TestZnunyTime(t *testing.T) {
	start, stop := utc("2014-01-10 12:00:00"), utc("2014-01-10 14:59:59")
	tests := []struct {
		name     string
		now      time.Time
		active   bool
		upcoming bool
	}{
		{"18 inside", utc("2014-01-10 13:00:00"), true, false},
		{"19 one second before start", utc("2014-01-10 11:59:59"), false, true},
		{"20 one second after stop", utc("2014-01-10 15:00:00"), false, false},
		{"now equals start", start, true, false},
		{"now equals stop", stop, false, false},
		{"start equals now plus lead", start.Add(-30 * time.Minute), false, true},
		{"start one second past the lead", start.Add(-30*time.Minute - time.Second), false, false},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			m, mock := newManager(t, st.open(t))
			_, err := m.Add(ctx, maintenance.Window{Start: start, Stop: stop, Comment: "Comment", Validity: maintenance.Valid}, "root")
			require.NoError(t, err)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					mock.Set(tt.now)
					s := m.Status()
					assert.Equal(t, tt.active, s.Active())
					_, up := s.Upcoming()
					assert.Equal(t, tt.upcoming, up)
				})
			}
		})
	}
}
