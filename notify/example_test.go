package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

func exampleWindows() []maintenance.Window {
	return []maintenance.Window{{
		ID:               1,
		Start:            time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC),
		Stop:             time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Comment:          "database upgrade",
		ShowLoginMessage: true,
		Validity:         maintenance.Valid,
	}}
}

func ExampleTexts_Banner() {
	sched := maintenance.Compile(exampleWindows(), maintenance.DefaultLead)
	texts := notify.New(nil)
	viewer, err := notify.NewViewer(session.Agent, "Europe/Berlin", "en")
	if err != nil {
		panic(err)
	}

	for _, at := range []string{"19:00", "19:30", "20:00", "22:00"} {
		t, _ := time.Parse("2006-01-02 15:04", "2026-11-24 "+at)
		n := texts.Banner(sched.At(t), viewer)
		fmt.Printf("%s UTC %s: %q\n", at, n.Kind, n.Text)
	}

	german, _ := notify.NewViewer(session.Customer, "Europe/Berlin", "de-DE")
	t := time.Date(2026, 11, 24, 19, 45, 0, 0, time.UTC)
	fmt.Println(texts.Banner(sched.At(t), german).Text)
	// Output:
	// 19:00 UTC none: ""
	// 19:30 UTC upcoming: "A system maintenance period will start at: 11/24/2026 21:00 CET and is expected to stop at: 11/24/2026 23:00 CET"
	// 20:00 UTC active: "We are performing scheduled maintenance."
	// 22:00 UTC none: ""
	// Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET
}

func ExampleTexts_Upcoming() {
	texts := notify.New(nil)
	// A window that does not start on a whole minute is shown to the
	// second, with the viewer's zone.
	w := maintenance.Window{
		Start: time.Date(2026, 11, 24, 17, 32, 55, 0, time.UTC),
		Stop:  time.Date(2026, 11, 24, 17, 33, 0, 0, time.UTC),
	}
	newYork, err := notify.NewViewer(session.Agent, "America/New_York", "en-US")
	if err != nil {
		panic(err)
	}
	fmt.Println(texts.Upcoming(w, newYork))
	fmt.Println(texts.Upcoming(w, notify.Viewer{Language: "de-AT"}))
	// Output:
	// A system maintenance period will start at: 11/24/2026 12:32:55 EST and is expected to stop at: 11/24/2026 12:33:00 EST
	// Eine Systemwartung beginnt am 24.11.2026 17:32:55 UTC und endet voraussichtlich am 24.11.2026 17:33:00 UTC
}

func ExampleTexts_LoginMessage() {
	ws := exampleWindows()
	ws[0].LoginMessage = "Back at 23:00 CET."
	sched := maintenance.Compile(ws, maintenance.DefaultLead)
	texts := notify.New(&notify.Settings{
		LoginRefused: "Maintenance: only administrators may log in now.",
	})
	var login notify.Viewer // the login screen: no kind yet, English, UTC

	msg, ok := texts.LoginMessage(sched.At(time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)), login)
	fmt.Printf("before: %q %v\n", msg, ok)
	msg, ok = texts.LoginMessage(sched.At(time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC)), login)
	fmt.Printf("during: %q %v\n", msg, ok)
	fmt.Println(texts.LoginRefused(login))
	// Output:
	// before: "" false
	// during: "Back at 23:00 CET." true
	// Maintenance: only administrators may log in now.
}

// Watch runs beside the server, in a goroutine of its own, until the
// context is done. This example has no output: Watch follows the real
// clock and reports what happens from the moment it starts.
func ExampleWatch() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m := maintenance.New(memstore.NewWindowStore(), nil)
	if err := m.Refresh(ctx); err != nil {
		panic(err)
	}

	logEvent := notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
		slog.InfoContext(ctx, "maintenance "+e.Kind.String(), "window", e.Window.ID, "comment", e.Window.Comment, "at", e.At)
		return nil
	})
	postToChat := notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
		if e.Kind != notify.EventReminder {
			return nil
		}
		return errors.New("chat: not configured") // post "maintenance at ..." here
	})
	// Watch stops at the first error; a Notifier that should not stop it
	// logs its failures and returns nil.
	bestEffort := func(n notify.Notifier) notify.Notifier {
		return notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
			if err := n.Notify(ctx, e); err != nil {
				slog.WarnContext(ctx, "maintenance event not delivered", "event", e.Kind.String(), "err", err)
			}
			return nil
		})
	}

	go func() { _ = m.Run(ctx) }() // follows other processes sharing the store; nil when ctx is done
	if err := notify.Watch(ctx, m, notify.Notifiers{logEvent, bestEffort(postToChat)}); err != nil {
		slog.Error("maintenance events stopped", "err", err)
	}
}

func ExampleNotifiers() {
	printer := func(name string) notify.Notifier {
		return notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
			fmt.Printf("%s: window %d %s\n", name, e.Window.ID, e.Kind)
			return nil
		})
	}
	failing := notify.NotifierFunc(func(context.Context, notify.Event) error {
		return errors.New("webhook: 502 Bad Gateway")
	})
	ns := notify.Notifiers{printer("log"), failing, printer("mail")}

	e := notify.Event{Kind: notify.EventScheduled, Window: exampleWindows()[0]}
	err := ns.Notify(context.Background(), e)
	fmt.Println("error:", err)
	// Output:
	// log: window 1 scheduled
	// mail: window 1 scheduled
	// error: webhook: 502 Bad Gateway
}
