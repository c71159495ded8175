package mail_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/mail"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// The mail a recipient in Berlin gets when a window starts, through a
// relay on the same host (which offers no STARTTLS: Opportunistic allows
// plain text there, and only there).
func ExampleSender() {
	relay, stop, err := startSMTPServer(serverConfig{})
	if err != nil {
		panic(err)
	}
	defer stop()

	mock := clock.NewMock() // a real host passes no Clock
	mock.Set(time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC))
	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
	if err != nil {
		panic(err)
	}
	s, err := mail.New(relay.Addr, "Maintenance <maintenance@example.com>",
		[]mail.Recipient{{Address: "Jörg Müller <joerg@example.de>", Viewer: berlin}},
		&mail.Options{Security: mail.Opportunistic, Clock: mock})
	if err != nil {
		panic(err)
	}
	w := maintenance.Window{ID: 1, Start: mock.Now(), Stop: mock.Now().Add(2 * time.Hour),
		Comment: "database upgrade", NotifyMessage: "Die Datenbank wird aktualisiert: zurück um 23:00.", Validity: maintenance.Valid}
	if err := s.Notify(context.Background(), notify.Event{Kind: notify.EventStarted, Window: w, At: w.Start}); err != nil {
		panic(err)
	}
	fmt.Print(strings.ReplaceAll(string(relay.messages()[0].Data), "\r\n", "\n"))
	// Output:
	// From: "Maintenance" <maintenance@example.com>
	// To: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>
	// Subject: Wartung begonnen
	// Date: Tue, 24 Nov 2026 20:00:00 +0000
	// Message-ID: <sysmaint.dff8022f1450418714fba26f884ac1c7@example.com>
	// MIME-Version: 1.0
	// Content-Type: text/plain; charset=utf-8
	// Content-Transfer-Encoding: quoted-printable
	// Auto-Submitted: auto-generated
	//
	// Die Datenbank wird aktualisiert: zur=C3=BCck um 23:00.
}
