package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// writeJSON writes v, a wire type of the API, as the API would, indented.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// formatTime writes t in loc to the minute, or to the second when it is
// not on a whole minute, followed by the zone: "2026-11-24 22:00 CET".
// The zone is its abbreviation, or UTC and the offset where the zone
// database has only a number for it ("UTC+05:45").
func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(loc)
	layout := "2006-01-02 15:04"
	if t.Second() != 0 || t.Nanosecond() != 0 {
		layout = "2006-01-02 15:04:05"
	}
	zone, _ := t.Zone()
	if zone == "" || zone[0] == '+' || zone[0] == '-' {
		zone = "UTC" + t.Format("-07:00")
	}
	return t.Format(layout) + " " + zone
}

// clean makes a text from the store safe to print on one line of a
// terminal: control characters (line breaks, escape sequences) and
// bidirectional overrides become spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
}

// writeTable lists windows, one a line; with a REPEATS column when one of
// them recurs.
func writeTable(w io.Writer, ws []httpapi.Window, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	repeats := slices.ContainsFunc(ws, func(win httpapi.Window) bool { return win.Recurrence != nil })
	if repeats {
		fmt.Fprintln(tw, "ID\tSTATE\tVALIDITY\tSTART\tSTOP\tREPEATS\tCOMMENT")
	} else {
		fmt.Fprintln(tw, "ID\tSTATE\tVALIDITY\tSTART\tSTOP\tCOMMENT")
	}
	for _, win := range ws {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t", win.ID, win.State, win.Validity,
			formatTime(win.Start, loc), formatTime(win.Stop, loc))
		if repeats {
			fmt.Fprintf(tw, "%s\t", cmp.Or(rule(win.Recurrence), "-"))
		}
		fmt.Fprintf(tw, "%s\n", clean(win.Comment))
	}
	return tw.Flush()
}

// rule says how r repeats: "FREQ=WEEKLY;BYDAY=SU in Europe/Berlin"; ""
// for nil.
func rule(r *httpapi.Recurrence) string {
	if r == nil {
		return ""
	}
	return clean(r.Rule) + " in " + clean(r.Zone)
}

// writeList lists windows under heading (when not empty), or says none
// when there are none.
func writeList(w io.Writer, ws []httpapi.Window, loc *time.Location, none, heading string) error {
	if len(ws) == 0 {
		_, err := fmt.Fprintln(w, none)
		return err
	}
	if heading != "" {
		fmt.Fprintln(w, heading)
	}
	return writeTable(w, ws, loc)
}

// writeWindow shows one window, a field a line; for a recurring window,
// its rule, the occurrences skipped, and the next occurrence at now.
func writeWindow(w io.Writer, win httpapi.Window, loc *time.Location, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	shown := "not shown"
	if win.ShowLoginMessage {
		shown = "shown during the window"
	}
	orDefault := func(s string) string { return cmp.Or(clean(s), "(the host's default)") }
	lead := "the host's"
	if win.LeadSeconds > 0 {
		lead = (time.Duration(win.LeadSeconds) * time.Second).String()
	}
	for _, row := range [][2]string{
		{"ID", fmt.Sprint(win.ID)},
		{"State", win.State + " (" + win.Validity + ")"},
		{"Start", formatTime(win.Start, loc)},
		{"Stop", formatTime(win.Stop, loc)},
		{"Comment", clean(win.Comment)},
		{"Notify message", orDefault(win.NotifyMessage)},
		{"Login message", orDefault(win.LoginMessage) + " (" + shown + ")"},
		{"Notice lead", lead},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], strings.TrimSpace(row[1]))
	}
	if r := win.Recurrence; r != nil {
		fmt.Fprintf(tw, "Repeats:\t%s\n", rule(r))
		skipped := make([]string, len(r.Exceptions))
		for i, t := range r.Exceptions {
			skipped[i] = formatTime(t, loc)
		}
		fmt.Fprintf(tw, "Skipped:\t%s\n", cmp.Or(strings.Join(skipped, ", "), "none"))
		fmt.Fprintf(tw, "Next:\t%s\n", nextOccurrence(win, loc, now))
	}
	for _, row := range [][2]string{
		{"Created", formatTime(win.CreatedAt, loc) + " by " + clean(win.CreatedBy)},
		{"Changed", formatTime(win.ChangedAt, loc) + " by " + clean(win.ChangedBy)},
		{"Version", fmt.Sprint(win.Version)},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], strings.TrimSpace(row[1]))
	}
	return tw.Flush()
}

// nextOccurrence says when the recurring window win next happens (or is
// happening) at now: "2026-11-29 02:00 CET to 2026-11-29 04:00 CET";
// "none" when its rule has ended.
func nextOccurrence(win httpapi.Window, loc *time.Location, now time.Time) string {
	r := win.Recurrence
	w := maintenance.Window{Start: win.Start, Stop: win.Stop, Comment: win.Comment, Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: r.Rule, Zone: r.Zone, Exceptions: r.Exceptions}}
	next, err := w.Occurrences(now, 1)
	switch {
	case err != nil:
		return "unknown (" + clean(err.Error()) + ")"
	case len(next) == 0:
		return "none: the rule has ended"
	}
	return formatTime(next[0].Start, loc) + " to " + formatTime(next[0].Stop, loc)
}

// writeStatus says in words what st says.
func writeStatus(w io.Writer, st httpapi.Status, loc *time.Location) error {
	var b strings.Builder
	switch {
	case st.Active && st.Window != nil:
		fmt.Fprintf(&b, "Maintenance is active until %s (Retry-After: %d s).\n", formatTime(st.End, loc), st.RetryAfterSeconds)
		fmt.Fprintf(&b, "Window %d, since %s: %s\n", st.Window.ID, formatTime(st.Window.Start, loc), clean(st.Window.Comment))
		if len(st.ActiveWindows) > 1 {
			ids := make([]string, 0, len(st.ActiveWindows))
			for _, a := range st.ActiveWindows {
				ids = append(ids, fmt.Sprint(a.ID))
			}
			fmt.Fprintf(&b, "Active windows: %s\n", strings.Join(ids, ", "))
		}
		if u := st.Upcoming; u != nil {
			fmt.Fprintf(&b, "Coming next: %s\n", describe(*u, loc))
		}
	case st.Upcoming != nil:
		fmt.Fprintf(&b, "Maintenance is coming: %s\n", describe(*st.Upcoming, loc))
	default:
		b.WriteString("No maintenance is active or coming.\n")
	}
	if !st.Next.IsZero() {
		fmt.Fprintf(&b, "Next change: %s\n", formatTime(st.Next, loc))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// describe names a window and its times in one line.
func describe(win httpapi.Window, loc *time.Location) string {
	return fmt.Sprintf("window %d, from %s to %s: %s", win.ID, formatTime(win.Start, loc), formatTime(win.Stop, loc), clean(win.Comment))
}
