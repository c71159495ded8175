package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/smtp"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/adapters/mail"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var quiet = slog.New(slog.DiscardHandler)

const from = "Maintenance <maintenance@example.com>"

// newSender returns a Sender mailing through addr on d's clock, trusting
// roots (when not nil), its waits reported to d.
func newSender(t *testing.T, d *sendtest.Driver, addr string, roots *x509.CertPool, to []mail.Recipient, opts *mail.Options) *mail.Sender {
	t.Helper()
	var o mail.Options
	if opts != nil {
		o = *opts
	}
	o.Clock = d.Mock
	if o.Logger == nil {
		o.Logger = quiet
	}
	if o.TLSConfig == nil && roots != nil {
		o.TLSConfig = &tls.Config{RootCAs: roots}
	}
	s, err := mail.New(addr, from, to, &o)
	require.NoError(t, err)
	mail.SetOnWait(s, d.OnWait)
	return s
}

// notify delivers e through s, d moving the clock.
func notifyVia(t *testing.T, d *sendtest.Driver, s *mail.Sender, e notify.Event) error {
	t.Helper()
	_, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
	return err
}

func recipients(addrs ...string) []mail.Recipient {
	rs := make([]mail.Recipient, len(addrs))
	for i, a := range addrs {
		rs[i] = mail.Recipient{Address: a}
	}
	return rs
}

// parsed is a received message, parsed.
type parsed struct {
	header     netmail.Header
	rawSubject string
	subject    string
	body       string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	require.NoError(t, err)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	require.Equal(t, "quoted-printable", m.Header.Get("Content-Transfer-Encoding"))
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	require.NoError(t, err)
	raw := regexp.MustCompile(`(?m)^Subject: (.*)\r$`).FindSubmatch(data)
	require.NotNil(t, raw, "a Subject header on one line")
	return parsed{header: m.Header, rawSubject: string(raw[1]), subject: subject, body: string(body)}
}

func TestSender_Notify(t *testing.T) {
	srv := newSMTPServer(t, serverConfig{tls: true})
	d := sendtest.NewDriver(sendtest.Clock())
	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
	require.NoError(t, err)
	newYork, err := notify.NewViewer(session.Agent, "America/New_York", "")
	require.NoError(t, err)
	to := []mail.Recipient{
		{Address: "Jörg Müller <joerg@example.de>", Viewer: berlin},
		{Address: "ops@example.com"}, // Options.Viewer: New York, English
	}
	s := newSender(t, d, srv.Addr, srv.RootCAs, to, &mail.Options{Viewer: newYork})
	e := sendtest.Event(notify.EventReminder)

	_, err = d.Run(t, func() error { return s.Notify(context.Background(), e) })
	require.NoError(t, err)

	msgs := srv.messages()
	require.Len(t, msgs, 2, "one message a recipient")
	for i, m := range msgs {
		assert.True(t, m.TLS, "message %d sent after STARTTLS", i)
		assert.Equal(t, "maintenance@example.com", m.From)
	}
	assert.Equal(t, []string{"joerg@example.de"}, msgs[0].To)
	assert.Equal(t, []string{"ops@example.com"}, msgs[1].To)

	de := parse(t, msgs[0].Data)
	assert.Equal(t, "=?utf-8?q?Wartung_in_K=C3=BCrze?=", de.rawSubject, "encoded Subject")
	assert.Equal(t, "Wartung in Kürze", de.subject)
	assert.Equal(t, "Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET\r\n", de.body)
	assert.Equal(t, `"Maintenance" <maintenance@example.com>`, de.header.Get("From"))
	toAddr, err := netmail.ParseAddress(de.header.Get("To"))
	require.NoError(t, err)
	assert.Equal(t, "Jörg Müller", toAddr.Name)

	en := parse(t, msgs[1].Data)
	assert.Equal(t, "Maintenance soon", en.rawSubject, "an ASCII subject as it is")
	assert.Equal(t, "A system maintenance period will start at: 11/24/2026 15:00 EST and is expected to stop at: 11/24/2026 17:00 EST\r\n", en.body)

	for _, p := range []parsed{de, en} {
		date, err := p.header.Date()
		require.NoError(t, err)
		assert.True(t, date.Equal(sendtest.Now), "Date from the clock: %v", date)
		assert.Regexp(t, `^<sysmaint\.[0-9a-f]{32}@example\.com>$`, p.header.Get("Message-ID"))
		assert.Equal(t, "1.0", p.header.Get("MIME-Version"))
		assert.Equal(t, "text/plain; charset=utf-8", p.header.Get("Content-Type"))
		assert.Equal(t, "auto-generated", p.header.Get("Auto-Submitted"))
	}
	assert.NotEqual(t, de.header.Get("Message-ID"), en.header.Get("Message-ID"))

	// The same event again: the same Message-IDs, for mail software to
	// drop the copies.
	require.NoError(t, notifyVia(t, d, s, e))
	msgs = srv.messages()
	require.Len(t, msgs, 4)
	assert.Equal(t, de.header.Get("Message-ID"), parse(t, msgs[2].Data).header.Get("Message-ID"))
	assert.Equal(t, uint64(2), s.Stats().Delivered)
}

func TestSender_Security(t *testing.T) {
	e := sendtest.Event(notify.EventStarted)
	t.Run("STARTTLS required but not offered", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, nil, recipients("ops@example.com"), &mail.Options{MaxAttempts: 2})
		waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.Error(t, err)
		assert.Contains(t, err.Error(), "does not offer STARTTLS")
		assert.NotErrorIs(t, err, notify.ErrPermanent)
		assert.Len(t, waits, 1)
		assert.Empty(t, srv.messages(), "nothing sent in plain text")
	})
	t.Run("opportunistic, not offered: plain text", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, nil, recipients("ops@example.com"), &mail.Options{Security: mail.Opportunistic})
		require.NoError(t, notifyVia(t, d, s, e))
		msgs := srv.messages()
		require.Len(t, msgs, 1)
		assert.False(t, msgs[0].TLS)
	})
	t.Run("opportunistic, offered: STARTTLS", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{tls: true})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, srv.RootCAs, recipients("ops@example.com"), &mail.Options{Security: mail.Opportunistic})
		require.NoError(t, notifyVia(t, d, s, e))
		msgs := srv.messages()
		require.Len(t, msgs, 1)
		assert.True(t, msgs[0].TLS)
	})
	t.Run("implicit TLS", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{implicit: true})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, srv.RootCAs, recipients("ops@example.com"), &mail.Options{Security: mail.ImplicitTLS})
		require.NoError(t, notifyVia(t, d, s, e))
		msgs := srv.messages()
		require.Len(t, msgs, 1)
		assert.True(t, msgs[0].TLS)
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{tls: true})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, nil, recipients("ops@example.com"), &mail.Options{MaxAttempts: 1})
		err := notifyVia(t, d, s, e)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "STARTTLS")
		assert.Contains(t, err.Error(), "certificate")
		assert.Empty(t, srv.messages())
	})
}

func TestSender_Auth(t *testing.T) {
	e := sendtest.Event(notify.EventEnded)
	srv := newSMTPServer(t, serverConfig{tls: true, user: "sysmaint"})
	d := sendtest.NewDriver(sendtest.Clock())
	s := newSender(t, d, srv.Addr, srv.RootCAs, recipients("ops@example.com"),
		&mail.Options{Auth: smtp.PlainAuth("", "sysmaint", "secret", "127.0.0.1")})
	require.NoError(t, notifyVia(t, d, s, e))
	msgs := srv.messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, "sysmaint", msgs[0].User)

	bad := newSender(t, d, srv.Addr, srv.RootCAs, recipients("ops@example.com"),
		&mail.Options{Auth: smtp.PlainAuth("", "sysmaint", "wrong", "127.0.0.1")})
	err := notifyVia(t, d, bad, e)
	require.ErrorIs(t, err, notify.ErrPermanent, "535: not tried again")
	assert.Contains(t, err.Error(), "AUTH")
	assert.Len(t, srv.messages(), 1)
}

// Recipients refused for good are left out; those refused for now are
// tried again, alone; those served are never written to twice.
func TestSender_Recipients(t *testing.T) {
	e := sendtest.Event(notify.EventStarted)
	noSuchUser := &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	mailboxBusy := &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 2, 0}, Message: "try later"}
	to := recipients("a@example.com", "b@example.com", "c@example.com")

	t.Run("one refused for good", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{tls: true})
		srv.setRcpt(func(to string) error {
			if to == "b@example.com" {
				return noSuchUser
			}
			return nil
		})
		d := sendtest.NewDriver(sendtest.Clock())
		var log bytes.Buffer
		var mu sync.Mutex
		s := newSender(t, d, srv.Addr, srv.RootCAs, to, &mail.Options{Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil))})
		waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.NoError(t, err)
		assert.Empty(t, waits, "a 550 is not tried again")
		assert.Equal(t, []string{"a@example.com", "c@example.com"}, rcpts(srv.messages()))
		st := s.Stats()
		assert.Equal(t, uint64(1), st.Delivered)
		assert.Zero(t, st.Failed)
		require.Error(t, st.LastErr, "the refused recipient is the last error")
		assert.Contains(t, st.LastErr.Error(), "b@example.com")
		mu.Lock()
		assert.Contains(t, log.String(), "recipient refused")
		mu.Unlock()
	})
	t.Run("all refused for good", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{tls: true})
		srv.setRcpt(func(string) error { return noSuchUser })
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, srv.RootCAs, to, nil)
		err := notifyVia(t, d, s, e)
		require.ErrorIs(t, err, notify.ErrPermanent)
		assert.Contains(t, err.Error(), "c@example.com")
		assert.Equal(t, uint64(1), s.Stats().Dropped)
	})
	t.Run("one refused for now", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{tls: true})
		busy := 1
		srv.setRcpt(func(to string) error {
			if to == "b@example.com" && busy > 0 {
				busy--
				return mailboxBusy
			}
			return nil
		})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, srv.RootCAs, to, nil)
		waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.NoError(t, err)
		assert.Len(t, waits, 1)
		assert.Equal(t, []string{"a@example.com", "c@example.com", "b@example.com"}, rcpts(srv.messages()))
		assert.Equal(t, uint64(1), s.Stats().Retried)
	})
	t.Run("refused for now until the caller retries", func(t *testing.T) {
		srv := newSMTPServer(t, serverConfig{tls: true})
		srv.setRcpt(func(to string) error {
			if to == "b@example.com" {
				return mailboxBusy
			}
			return nil
		})
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, srv.Addr, srv.RootCAs, to, &mail.Options{MaxAttempts: 2})
		_, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.Error(t, err)
		assert.NotErrorIs(t, err, notify.ErrPermanent)
		assert.Contains(t, err.Error(), "b@example.com")
		assert.Equal(t, []string{"a@example.com", "c@example.com"}, rcpts(srv.messages()))

		srv.setRcpt(nil) // the caller (Relay) tries the event again later
		require.NoError(t, notifyVia(t, d, s, e))
		assert.Equal(t, []string{"a@example.com", "c@example.com", "b@example.com"}, rcpts(srv.messages()),
			"a and c are not written to again")
		require.NoError(t, notifyVia(t, d, s, e))
		assert.Len(t, srv.messages(), 6, "once every recipient is served, the event is forgotten: a new Notify writes again")
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func rcpts(msgs []received) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To...)
	}
	return out
}

// A server that hangs, closes the connection or is not there: bounded
// attempts, each cut at its timeout, nothing left running.
func TestSender_Faults(t *testing.T) {
	e := sendtest.Event(notify.EventStarted)
	t.Run("hangs", func(t *testing.T) {
		hung := make(chan struct{}, 10)
		addr := silentServer(t, hung)
		d := sendtest.NewDriver(sendtest.Clock())
		d.Hung, d.Timeout = hung, mail.DefaultTimeout
		s := newSender(t, d, addr, nil, recipients("ops@example.com"), nil)
		waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.Error(t, err)
		assert.Len(t, waits, 2)
		assert.Contains(t, err.Error(), "timed out after 10s")
		assert.Contains(t, err.Error(), "attempt 3 of 3")
	})
	t.Run("closes the connection", func(t *testing.T) {
		addr := closingServer(t)
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, addr, nil, recipients("ops@example.com"), nil)
		waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.Error(t, err)
		assert.NotErrorIs(t, err, notify.ErrPermanent)
		assert.Len(t, waits, 2)
	})
	t.Run("unreachable", func(t *testing.T) {
		addr := strings.TrimSuffix(strings.TrimPrefix(sendtest.Unreachable(t), "http://"), "/hook")
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, addr, nil, recipients("ops@example.com"), nil)
		waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })
		require.Error(t, err)
		assert.Contains(t, err.Error(), "connect")
		assert.Len(t, waits, 2)
		assert.Equal(t, uint64(2), s.Stats().Retried)
	})
	t.Run("cancelled", func(t *testing.T) {
		hung := make(chan struct{}, 10)
		addr := silentServer(t, hung)
		d := sendtest.NewDriver(sendtest.Clock())
		s := newSender(t, d, addr, nil, recipients("ops@example.com"), nil)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-hung
			cancel()
		}()
		waits, err := d.Run(t, func() error { return s.Notify(ctx, e) })
		require.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, waits)
	})
}

// Nothing from a window or the wording reaches the headers but the one
// Subject line.
func TestSender_HeaderInjection(t *testing.T) {
	srv := newSMTPServer(t, serverConfig{tls: true})
	d := sendtest.NewDriver(sendtest.Clock())
	w := delivery.NewWording(&delivery.WordingSettings{Titles: map[notify.EventKind]string{
		notify.EventStarted: "Started\r\nBcc: evil@example.net",
	}})
	s := newSender(t, d, srv.Addr, srv.RootCAs, recipients("ops@example.com"), &mail.Options{Wording: w})
	e := sendtest.Event(notify.EventStarted)
	e.Window.NotifyMessage = "Down.\r\nBcc: evil@example.net\r\n.\r\nMAIL FROM:<x@y>"
	require.NoError(t, notifyVia(t, d, s, e))
	msgs := srv.messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, []string{"ops@example.com"}, msgs[0].To)
	p := parse(t, msgs[0].Data)
	assert.Empty(t, p.header.Get("Bcc"))
	assert.Equal(t, "Started  Bcc: evil@example.net", p.subject)
	assert.Equal(t, e.Window.NotifyMessage+"\r\n", p.body, "the body as written, dot and all")
}

func TestNew_BadInput(t *testing.T) {
	many := make([]mail.Recipient, mail.MaxRecipients+1)
	for i := range many {
		many[i] = mail.Recipient{Address: fmt.Sprintf("u%d@example.com", i)}
	}
	tests := []struct {
		name string
		addr string
		from string
		to   []mail.Recipient
		opts *mail.Options
		want string
	}{
		{name: "no port", addr: "smtp.example.com", want: "is not host:port"},
		{name: "no host", addr: ":587", want: "is not host:port"},
		{name: "port not a number", addr: "smtp.example.com:smtp", want: "has no port number"},
		{name: "bad from", from: "maintenance", want: "from address"},
		{name: "from with a line break", from: "a@example.com\r\nBcc: b@example.com", want: "from address"},
		{name: "no recipient", to: []mail.Recipient{}, want: "no recipient"},
		{name: "too many recipients", to: many, want: "more than 1000"},
		{name: "bad recipient", to: recipients("a@example.com", "not an address"), want: "recipient 2"},
		{name: "repeated recipient", to: recipients("a@example.com", "A <A@example.com>"), want: "repeats recipient 1"},
		{name: "unknown security", opts: &mail.Options{Security: 9}, want: "Options.Security is unknown"},
		{name: "hostname with space", opts: &mail.Options{Hostname: "a b"}, want: "Options.Hostname"},
		{name: "negative timeout", opts: &mail.Options{Timeout: -time.Second}, want: "mail: Options.Timeout is negative"},
		{name: "unknown kind", opts: &mail.Options{Events: []notify.EventKind{99}}, want: "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tt.addr
			if addr == "" {
				addr = "smtp.example.com:587"
			}
			f := tt.from
			if f == "" {
				f = from
			}
			to := tt.to
			if to == nil {
				to = recipients("ops@example.com")
			}
			s, err := mail.New(addr, f, to, tt.opts)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "mail: "), err.Error())
		})
	}
}

func TestSender_Events(t *testing.T) {
	srv := newSMTPServer(t, serverConfig{tls: true})
	d := sendtest.NewDriver(sendtest.Clock())
	s := newSender(t, d, srv.Addr, srv.RootCAs, recipients("ops@example.com"),
		&mail.Options{Events: []notify.EventKind{notify.EventReminder}})
	for _, k := range []notify.EventKind{notify.EventScheduled, notify.EventReminder, notify.EventStarted} {
		require.NoError(t, notifyVia(t, d, s, sendtest.Event(k)))
	}
	msgs := srv.messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, "Maintenance soon", parse(t, msgs[0].Data).subject)
}
