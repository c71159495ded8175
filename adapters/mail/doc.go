// Package mail mails maintenance events through an SMTP server, to each
// recipient in their own language and time zone.
//
// [New] returns a [Sender], a [notify.Notifier]:
//
//	berlin, _ := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
//	s, err := mail.New("smtp.example.com:587", "Maintenance <maintenance@example.com>",
//		[]mail.Recipient{{Address: "ops@example.com"}, {Address: "Jörg <joerg@example.de>", Viewer: berlin}},
//		&mail.Options{Auth: smtp.PlainAuth("", user, password, "smtp.example.com")})
//
// # Messages
//
// Each recipient gets a message of their own (no one sees the others'
// addresses): the subject is the event's title and the body its text
// ([delivery.Wording]) in the recipient's language and zone, or those of
// Options.Viewer. A message is plain UTF-8 text, quoted-printable, with
// an RFC 2047 encoded Subject where it is not ASCII, a Date from
// Options.Clock, "Auto-Submitted: auto-generated" (RFC 3834: no
// out-of-office replies), and a Message-ID made from the event's stable
// ID and the recipient, the same on every copy, so that mail software can
// drop a second one. Nothing from a window reaches the headers but the
// one Subject line: line breaks are flattened, and the body is
// dot-stuffed by net/smtp.
//
// # Security
//
// The connection is encrypted: with STARTTLS, required by default (a
// server that does not offer it gets nothing; see [StartTLS]), or with
// TLS from the first byte ([ImplicitTLS], port 465). [Opportunistic]
// sends in plain text to a server without STARTTLS: for a relay on the
// same host or a trusted network only. Options.Auth authenticates after
// STARTTLS; net/smtp's PlainAuth refuses to send a password in plain text
// to any host but localhost.
//
// # Retries
//
// One Notify makes up to Options.MaxAttempts attempts (3), each one
// connection bounded by Options.Timeout (10 seconds), with exponential
// backoff and jitter on Options.Clock between them. Each attempt writes
// to the recipients not yet served: a timeout, a lost connection or a
// 4xx reply leaves a recipient for the next attempt; a 5xx reply to a
// recipient refuses it for good: it is logged, counted in
// Stats().LastErr and left out. Notify returns nil once every other
// recipient is served; an error wrapping [notify.ErrPermanent] when the
// server refused every recipient, the sender or the credentials; and
// another error when recipients are left to try later. The Sender
// remembers whom it served for the events not yet served to all (the
// last 128), so that a caller's retry of the event (notify.Relay's)
// writes only to those left.
//
// # Running it
//
// Run a Sender under [notify.Relay] (each event once across the host's
// instances, kept until delivered) or, in a single process, under
// [notify.Watch] through a [delivery.Queue]; see package webhook's
// examples, the same for every sender. The requests of the host's users
// never wait for the mail server.
//
// # Why net/smtp
//
// The standard library's net/smtp is frozen, but it does what sending
// needs (STARTTLS, AUTH, SMTPUTF8, 8BITMIME, dot-stuffing) and adds no
// dependency. emersion/go-smtp's client would not have done more for a
// sender: it knows no context either; the Sender bounds each connection
// by ending its I/O when the attempt's context ends. The tests use
// go-smtp's server as the other side.
//
// # Errors
//
// Errors begin with "mail:", name the event and the recipients concerned,
// and never show a password.
package mail
