package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// newFlagSet returns an empty flag set that reports errors to its caller
// and prints nothing itself.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses args with fs, letting flags come after
// positional arguments too ("show 3 --json"), and returns the positional
// ones. Everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// durationFlag is a positive duration in whole seconds, as the API takes
// it.
type durationFlag struct {
	d   time.Duration
	set bool
}

func (f *durationFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.d.String()
}

func (f *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return fmt.Errorf("not a duration: use a number and a unit, such as 90s, 30m, 1h30m or 48h")
	case d < time.Second:
		return fmt.Errorf("must be at least 1s")
	case d%time.Second != 0:
		return fmt.Errorf("must be whole seconds")
	}
	f.d, f.set = d, true
	return nil
}

// timeFlag keeps a TIME as given; resolve reads it in --tz once every flag
// is parsed.
type timeFlag struct {
	s   string
	set bool
}

func (f *timeFlag) String() string {
	if f == nil {
		return ""
	}
	return f.s
}

func (f *timeFlag) Set(s string) error {
	f.s, f.set = s, true
	return nil
}

// wallLayouts are the wall-clock forms of a TIME, read in --tz.
var wallLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"}

// parseTime reads a TIME: RFC 3339 with an offset, or a wall-clock time in
// loc that names exactly one instant. flag names the flag in errors.
func parseTime(flag, s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range wallLayouts {
		wall, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		found := maintenance.WallInstants(wall, loc)
		switch len(found) {
		case 0:
			return time.Time{}, usagef("%s %q: that local time does not exist in %s (the clocks skip it for daylight saving time)", flag, s, loc)
		case 1:
			return found[0], nil
		}
		return time.Time{}, usagef("%s %q: that local time occurs twice in %s (the clocks go back): give its offset, %s or %s",
			flag, s, loc, found[0].Format(time.RFC3339), found[1].Format(time.RFC3339))
	}
	return time.Time{}, usagef("%s %q is not a time: use \"2006-01-02 15:04\" (in --tz) or RFC 3339 with an offset, such as 2006-01-02T15:04:05+01:00", flag, s)
}

// choiceFlag collects values from a fixed set, repeated or comma-separated
// ("--state planned,active").
type choiceFlag struct {
	allowed []string
	values  []string
}

func (f *choiceFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(f.values, ",")
}

func (f *choiceFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(f.allowed, v) {
			return fmt.Errorf("%q is not one of %s", v, strings.Join(f.allowed, ", "))
		}
		f.values = append(f.values, v)
	}
	return nil
}

// parseID reads a window's ID: a positive decimal integer.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a window ID (a positive whole number, as list shows)", s)
	}
	return id, nil
}
