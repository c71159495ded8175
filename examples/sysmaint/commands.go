package main

import (
	"cmp"
	"context"
	"flag"
	"io"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// command is one subcommand: its positional arguments, its help, and
// setup, which adds its flags to fs and returns what runs it once the
// command line is parsed.
type command struct {
	args    []string
	summary string
	help    string
	setup   func(fs *flag.FlagSet, c *call) runner
}

// runner runs a command and returns its exit code when it succeeds.
type runner func(ctx context.Context, c *call) (int, error)

// usageArgs names the positional arguments.
func (cmd command) usageArgs() string {
	if len(cmd.args) == 0 {
		return "none"
	}
	return cmd.args[0]
}

// call is what a command runs with: the parsed command line and the
// backend, opened on first use, after the command checked its input.
type call struct {
	*globals
	stdout     io.Writer
	getenv     func(string) string
	args       []string
	loc        *time.Location
	clock      clock.Clock
	lead       time.Duration     // the Manager's lead time (status --lead)
	fieldFlags map[string]string // the flag that sets each field, for errors
	b          backend
	closer     io.Closer
}

// now is the tool's time (SYSMAINT_NOW in tests).
func (c *call) now() time.Time { return c.clock.Now() }

// backend opens the backend once.
func (c *call) backend(ctx context.Context) (backend, error) {
	if c.b == nil {
		b, closer, err := c.open(ctx, c.clock, c.lead)
		if err != nil {
			return nil, err
		}
		c.b, c.closer = b, closer
	}
	return c.b, nil
}

// close closes what backend opened.
func (c *call) close() {
	if c.closer != nil {
		_ = c.closer.Close()
	}
}

// setField says which flag sets field, for the errors of this command.
func (c *call) setField(field, flag string) { c.fieldFlags[field] = flag }

// output writes v as JSON with --json, else as text.
func (c *call) output(v any, text func(io.Writer) error) error {
	if c.json {
		return writeJSON(c.stdout, v)
	}
	return text(c.stdout)
}

// outputWindow writes one window.
func (c *call) outputWindow(w httpapi.Window) (int, error) {
	return exitOK, c.output(w, func(out io.Writer) error { return writeWindow(out, w, c.loc, c.now()) })
}

// texts are the flags of a window's texts (down, schedule).
type texts struct {
	fs                     *flag.FlagSet
	comment, notify, login string
	show                   bool
}

// addTexts adds the texts' flags to fs.
func addTexts(fs *flag.FlagSet) *texts {
	t := &texts{fs: fs}
	fs.StringVar(&t.comment, "comment", "", "the administrators' `NOTE` on the window (default "+httpapi.DefaultDownComment+")")
	fs.StringVar(&t.notify, "notify", "", "the banner `TEXT` users see during the window (default: the host's)")
	fs.StringVar(&t.login, "login-message", "", "the login screens' `TEXT` during the window; implies --show-login-message")
	fs.BoolVar(&t.show, "show-login-message", false, "show a login message during the window (the host's default text without --login-message)")
	return t
}

// showLogin reports whether the login message is shown: as
// --show-login-message says, else when there is one.
func (t *texts) showLogin() bool {
	set := false
	t.fs.Visit(func(f *flag.Flag) { set = set || f.Name == "show-login-message" })
	return t.show || (!set && t.login != "")
}

// idAction sets up the commands on one window (show, end, extend,
// cancel): the ID, --if-version for those that change it (conditional),
// and the call to make.
func idAction(fs *flag.FlagSet, conditional bool, act func(b backend, ctx context.Context, id, version int64) (httpapi.Window, error)) runner {
	var version int64
	if conditional {
		fs.Int64Var(&version, "if-version", 0, "act only if the window is still at this `VERSION` (as show says); else exit 6")
	}
	return func(ctx context.Context, c *call) (int, error) {
		id, err := parseID(c.args[0])
		if err != nil {
			return 0, err
		}
		if version < 0 {
			return 0, usagef("--if-version must be a positive version")
		}
		b, err := c.backend(ctx)
		if err != nil {
			return 0, err
		}
		w, err := act(b, ctx, id, version)
		if err != nil {
			return 0, err
		}
		return c.outputWindow(w)
	}
}

// commands are the subcommands by name.
var commands = map[string]command{
	"down": {summary: "start maintenance now: down --for 30m", help: helpDown, setup: func(fs *flag.FlagSet, _ *call) runner {
		var d durationFlag
		fs.Var(&d, "for", "how long the window lasts: a `DURATION` such as 30m (required)")
		t := addTexts(fs)
		return func(ctx context.Context, c *call) (int, error) {
			if !d.set {
				return 0, usagef("--for is required: how long the window lasts, such as --for 30m")
			}
			b, err := c.backend(ctx)
			if err != nil {
				return 0, err
			}
			w, err := b.Down(ctx, httpapi.DownInput{ForSeconds: int64(d.d / time.Second), Comment: t.comment,
				NotifyMessage: t.notify, LoginMessage: t.login, ShowLoginMessage: t.showLogin()})
			if err != nil {
				return 0, err
			}
			return c.outputWindow(w)
		}
	}},
	"up": {summary: "end every active window now", help: helpUp, setup: func(*flag.FlagSet, *call) runner {
		return func(ctx context.Context, c *call) (int, error) {
			b, err := c.backend(ctx)
			if err != nil {
				return 0, err
			}
			ws, err := b.Up(ctx)
			if err != nil {
				return 0, err
			}
			return exitOK, c.output(httpapi.WindowList{Windows: ws}, func(out io.Writer) error {
				return writeList(out, ws, c.loc, "No window was active.", "Ended:")
			})
		}
	}},
	"schedule": {summary: "add a window: schedule --at \"2026-11-24 22:00\" --for 2h", help: helpSchedule, setup: setupSchedule},
	"list":     {summary: "list windows: --state, --validity, --from, --to", help: helpList, setup: setupList},
	"show": {args: []string{"ID"}, summary: "show one window: show ID", help: helpShow, setup: func(fs *flag.FlagSet, _ *call) runner {
		return idAction(fs, false, func(b backend, ctx context.Context, id, _ int64) (httpapi.Window, error) {
			return b.Get(ctx, id)
		})
	}},
	"extend": {args: []string{"ID"}, summary: "move a window's stop later: extend ID --by 30m", help: helpExtend, setup: func(fs *flag.FlagSet, _ *call) runner {
		var by durationFlag
		fs.Var(&by, "by", "how much later the window stops: a `DURATION` such as 30m (required)")
		act := idAction(fs, true, func(b backend, ctx context.Context, id, version int64) (httpapi.Window, error) {
			return b.Extend(ctx, id, by.d, version)
		})
		return func(ctx context.Context, c *call) (int, error) {
			if !by.set {
				return 0, usagef("--by is required: how much later the window stops, such as --by 30m")
			}
			return act(ctx, c)
		}
	}},
	"end": {args: []string{"ID"}, summary: "stop an active window now: end ID", help: helpEnd, setup: func(fs *flag.FlagSet, _ *call) runner {
		return idAction(fs, true, backend.End)
	}},
	"cancel": {args: []string{"ID"}, summary: "make a window invalid, so it no longer counts: cancel ID", help: helpCancel, setup: func(fs *flag.FlagSet, _ *call) runner {
		return idAction(fs, true, backend.Cancel)
	}},
	"status": {summary: "say whether maintenance is active (exit 3) or coming (exit 4)", help: helpStatus, setup: func(fs *flag.FlagSet, c *call) runner {
		fs.DurationVar(&c.lead, "lead", maintenance.DefaultLead, "with --db: the host's notice lead time: a window counts as coming this `DURATION` before it starts")
		return func(ctx context.Context, c *call) (int, error) {
			leadSet := false
			fs.Visit(func(f *flag.Flag) { leadSet = leadSet || f.Name == "lead" })
			if leadSet && c.api != "" {
				return 0, usagef("--lead applies to --db only: the API uses the host's lead time")
			}
			if c.lead <= 0 || c.lead > maintenance.MaxLead {
				return 0, usagef("--lead must be positive and at most %s", maintenance.MaxLead)
			}
			b, err := c.backend(ctx)
			if err != nil {
				return 0, err
			}
			st, err := b.Status(ctx)
			if err != nil {
				return 0, err
			}
			code := exitOK
			switch {
			case st.Active:
				code = exitActive
			case st.Upcoming != nil:
				code = exitUpcoming
			}
			return code, c.output(st, func(out io.Writer) error { return writeStatus(out, st, c.loc) })
		}
	}},
}

// setupSchedule sets up schedule.
func setupSchedule(fs *flag.FlagSet, _ *call) runner {
	var at, until timeFlag
	var in, forD, lead durationFlag
	fs.Var(&at, "at", "when the window starts: a `TIME` such as \"2026-11-24 22:00\" (in --tz)")
	fs.Var(&in, "in", "when the window starts: this `DURATION` from now, such as 2h")
	fs.Var(&forD, "for", "how long the window lasts: a `DURATION` such as 2h")
	fs.Var(&until, "until", "when the window stops: a `TIME`")
	fs.Var(&lead, "lead", "the window's own notice lead time: users are told it is coming this `DURATION` before (default: the host's)")
	t := addTexts(fs)
	return func(ctx context.Context, c *call) (int, error) {
		var start, stop time.Time
		var err error
		switch {
		case at.set == in.set:
			return 0, usagef("give when the window starts: --at TIME or --in DURATION (one of them)")
		case at.set:
			start, err = parseTime("--at", at.s, c.loc)
		default:
			start = c.now().Add(in.d)
			c.setField("start", "--in")
		}
		if err != nil {
			return 0, err
		}
		switch {
		case forD.set == until.set:
			return 0, usagef("give when the window stops: --for DURATION or --until TIME (one of them)")
		case forD.set:
			stop = start.Add(forD.d)
		default:
			stop, err = parseTime("--until", until.s, c.loc)
			c.setField("stop", "--until")
		}
		if err != nil {
			return 0, err
		}
		b, err := c.backend(ctx)
		if err != nil {
			return 0, err
		}
		w, err := b.Create(ctx, httpapi.WindowInput{
			Start: start, Stop: stop, Comment: cmp.Or(t.comment, httpapi.DefaultDownComment), NotifyMessage: t.notify,
			LoginMessage: t.login, ShowLoginMessage: t.showLogin(), LeadSeconds: int64(lead.d / time.Second),
		})
		if err != nil {
			return 0, err
		}
		return c.outputWindow(w)
	}
}

// setupList sets up list.
func setupList(fs *flag.FlagSet, _ *call) runner {
	state := &choiceFlag{allowed: []string{"planned", "active", "finished"}}
	validity := &choiceFlag{allowed: []string{"valid", "invalid", "invalid-temporarily"}}
	var from, to timeFlag
	fs.Var(state, "state", "only windows in these `STATES` now: planned, active, finished (repeat or separate with commas)")
	fs.Var(validity, "validity", "only windows of these `VALIDITIES`: valid, invalid, invalid-temporarily")
	fs.Var(&from, "from", "only windows that stop after this `TIME`")
	fs.Var(&to, "to", "only windows that start before this `TIME`")
	return func(ctx context.Context, c *call) (int, error) {
		opts := httpapi.ListOptions{State: state.values, Validity: validity.values}
		var err error
		if from.set {
			if opts.From, err = parseTime("--from", from.s, c.loc); err != nil {
				return 0, err
			}
		}
		if to.set {
			if opts.To, err = parseTime("--to", to.s, c.loc); err != nil {
				return 0, err
			}
		}
		if from.set && to.set && !opts.From.Before(opts.To) {
			return 0, usagef("--from must be before --to")
		}
		b, err := c.backend(ctx)
		if err != nil {
			return 0, err
		}
		ws, err := b.ListAll(ctx, opts)
		if err != nil {
			return 0, err
		}
		return exitOK, c.output(httpapi.WindowList{Windows: ws}, func(out io.Writer) error {
			return writeList(out, ws, c.loc, "No windows.", "")
		})
	}
}
