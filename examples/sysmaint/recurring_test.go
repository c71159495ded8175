package main

import (
	"context"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestCLI_Recurring shows a recurring window, made by another tool (the
// admin screens, the API), on every backend: show and list name its rule,
// show its skipped occurrences and the next one; --json has the
// recurrence as the API writes it.
func TestCLI_Recurring(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	start := time.Date(2026, 11, 29, 2, 0, 0, 0, berlin)
	outputs := map[string][]string{}
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			mock := clock.NewMock()
			mock.Set(t0)
			m := maintenance.New(tg.store(), &maintenance.Options{Clock: mock})
			_, err := m.Add(context.Background(), maintenance.Window{Start: t0.Add(time.Hour), Stop: t0.Add(2 * time.Hour),
				Comment: "Deploy", Validity: maintenance.Valid}, "ops")
			require.NoError(t, err)
			w, err := m.Add(context.Background(), maintenance.Window{Start: start, Stop: start.Add(2 * time.Hour),
				Comment: "Weekly patching", Validity: maintenance.Valid,
				Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin",
					Exceptions: []time.Time{start.AddDate(0, 0, 7), start.AddDate(0, 0, 14)}}}, "ops")
			require.NoError(t, err)
			require.Equal(t, int64(2), w.ID)

			// On 7 December, the next occurrence is the 20th: the 6th and
			// the 13th are skipped.
			now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			res := tg.run(t, now, "show", "2")
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Equal(t, ""+
				"ID:              2\n"+
				"State:           planned (valid)\n"+
				"Start:           2026-11-29 02:00 CET\n"+
				"Stop:            2026-11-29 04:00 CET\n"+
				"Comment:         Weekly patching\n"+
				"Notify message:  (the host's default)\n"+
				"Login message:   (the host's default) (not shown)\n"+
				"Notice lead:     the host's\n"+
				"Repeats:         FREQ=WEEKLY;BYDAY=SU in Europe/Berlin\n"+
				"Skipped:         2026-12-06 02:00 CET, 2026-12-13 02:00 CET\n"+
				"Next:            2026-12-20 02:00 CET to 2026-12-20 04:00 CET\n"+
				"Created:         2026-11-24 10:00 CET by ops\n"+
				"Changed:         2026-11-24 10:00 CET by ops\n"+
				"Version:         1\n", res.stdout)
			outputs[tg.name] = append(outputs[tg.name], res.stdout)

			res = tg.run(t, now, "--tz", "America/New_York", "list")
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Equal(t, ""+
				"ID  STATE     VALIDITY  START                 STOP                  REPEATS                                COMMENT\n"+
				"1   finished  valid     2026-11-24 05:00 EST  2026-11-24 06:00 EST  -                                      Deploy\n"+
				"2   planned   valid     2026-11-28 20:00 EST  2026-11-28 22:00 EST  FREQ=WEEKLY;BYDAY=SU in Europe/Berlin  Weekly patching\n", res.stdout)
			outputs[tg.name] = append(outputs[tg.name], res.stdout)

			res = tg.run(t, now, "show", "2", "--json")
			require.Equal(t, exitOK, res.code, res.stderr)
			got := decode[httpapi.Window](t, res.stdout)
			require.NotNil(t, got.Recurrence)
			assert.Equal(t, "FREQ=WEEKLY;BYDAY=SU", got.Recurrence.Rule)
			assert.Equal(t, []time.Time{start.AddDate(0, 0, 7).UTC(), start.AddDate(0, 0, 14).UTC()}, got.Recurrence.Exceptions)
			outputs[tg.name] = append(outputs[tg.name], res.stdout)

			res = tg.run(t, time.Date(2026, 12, 20, 2, 0, 0, 0, berlin).Add(time.Hour), "show", "1")
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.NotContains(t, res.stdout, "Repeats:", "a window that happens once has no rule")

			ended := time.Date(2026, 12, 20, 2, 30, 0, 0, berlin)
			res = tg.run(t, ended, "show", "2")
			assert.Contains(t, res.stdout, "Next:            2026-12-20 02:00 CET to 2026-12-20 04:00 CET\n", "the occurrence in progress")
		})
	}
	for name, outs := range outputs {
		assert.Equal(t, outputs["sqlite"], outs, "%s writes what sqlite writes", name)
	}
}
