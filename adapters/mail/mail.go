package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/send"
	"github.com/sysmaint/sysmaint/notify"
)

// Security says how a [Sender] protects its connection to the SMTP
// server.
type Security int8

// The kinds of Security. StartTLS, the zero value, is the default.
const (
	// StartTLS upgrades the connection with STARTTLS, and refuses to send
	// when the server does not offer it (a temporary failure: an attacker
	// between the two may have hidden it).
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (SMTPS, RFC 8314; port
	// 465).
	ImplicitTLS
	// Opportunistic uses STARTTLS when the server offers it and sends in
	// plain text when it does not: for a relay on the same host or on a
	// network the host trusts, never across the internet.
	Opportunistic
)

// String returns "starttls", "implicit-tls" or "opportunistic".
func (s Security) String() string {
	switch s {
	case StartTLS:
		return "starttls"
	case ImplicitTLS:
		return "implicit-tls"
	case Opportunistic:
		return "opportunistic"
	}
	return fmt.Sprintf("Security(%d)", int8(s))
}

// The defaults and limits of a [Sender].
const (
	// DefaultTimeout bounds one attempt: connecting, the handshake, and
	// the messages to every recipient still to be served.
	DefaultTimeout = 10 * time.Second
	// MaxRecipients is the most recipients a Sender takes; more belong on
	// a mailing list.
	MaxRecipients = 1000
)

// Recipient is whom a [Sender] writes to.
type Recipient struct {
	// Address is an RFC 5322 address: "ops@example.com" or
	// "Ops Team <ops@example.com>".
	Address string
	// Viewer gives the language and time zone of this recipient's mail;
	// an empty Language or a nil Location takes Options.Viewer's.
	Viewer notify.Viewer
}

// Options configures a [Sender]. A nil *Options, and every zero field,
// means the default; a negative value is refused.
type Options struct {
	// Security protects the connection. Default: StartTLS, required.
	Security Security
	// TLSConfig configures TLS. Default: the system's roots, the host
	// of the server's address as ServerName, TLS 1.2 at least.
	TLSConfig *tls.Config
	// Auth authenticates to the server (smtp.PlainAuth,
	// smtp.CRAMMD5Auth), after STARTTLS. Default: none.
	Auth smtp.Auth
	// Hostname is the name the Sender gives in EHLO. Default: the
	// machine's host name, or "localhost".
	Hostname string
	// Viewer gives the language and time zone of the recipients that do
	// not give their own. Default: English, UTC.
	Viewer notify.Viewer
	// Wording puts the events into words: the subject is the title, the
	// body the text. Default: delivery.NewWording(nil), notify's texts in
	// English and German.
	Wording *delivery.Wording
	// Clock dates the mails and times the attempts and the waits between
	// them; pass the Manager's. Default: the real clock.
	Clock clock.Clock
	// Logger receives the failed attempts that are tried again and the
	// recipients the server refuses. Default: slog.Default().
	Logger *slog.Logger
	// Timeout bounds one attempt. Default: DefaultTimeout (10 seconds).
	Timeout time.Duration
	// MaxAttempts bounds the attempts of one Notify, at most 100.
	// Default: delivery.DefaultMaxAttempts (3).
	MaxAttempts int
	// RetryMin and RetryMax bound the wait between attempts, as for
	// webhook.Options. Defaults: delivery.DefaultRetryMin (500 ms),
	// delivery.DefaultRetryMax (5 s).
	RetryMin, RetryMax time.Duration
	// Events lists the kinds of event mailed; the others are skipped
	// (Notify returns nil and counts nothing). Default: every kind.
	Events []notify.EventKind
}

// Sender is a [notify.Notifier] that mails each event to its recipients
// through an SMTP server, each in their own language and time zone. Build
// one with [New]; it is safe for concurrent use.
type Sender struct {
	addr, host string
	from       *netmail.Address
	domain     string // of from, for Message-IDs
	to         []recipient
	security   Security
	tls        *tls.Config
	auth       smtp.Auth
	hostname   string
	wording    *delivery.Wording
	events     []notify.EventKind
	policy     send.Policy
	counters   delivery.Counters

	mu   sync.Mutex
	done map[string]map[int]bool // event ID -> recipients served, for events not yet served to all
	ids  []string                // the keys of done, oldest first
}

// recipient is a Recipient parsed.
type recipient struct {
	addr   *netmail.Address
	viewer notify.Viewer
}

// maxRemembered is how many events a Sender remembers the served
// recipients of, while some are still to be served.
const maxRemembered = 128

// New returns a Sender that mails from from to to through the SMTP server
// at addr ("smtp.example.com:587"). It returns an error naming the bad
// address, recipient (by its place) or option.
func New(addr, from string, to []Recipient, opts *Options) (*Sender, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || port == "" {
		return nil, fmt.Errorf("mail: server address %q is not host:port", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, fmt.Errorf("mail: server address %q has no port number", addr)
	}
	fromAddr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: from address %q: %w", from, err)
	}
	switch {
	case len(to) == 0:
		return nil, errors.New("mail: no recipient")
	case len(to) > MaxRecipients:
		return nil, fmt.Errorf("mail: %d recipients, more than %d", len(to), MaxRecipients)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Sender{addr: addr, host: host, from: fromAddr, domain: domainOf(fromAddr.Address),
		security: o.Security, auth: o.Auth, hostname: o.Hostname, wording: o.Wording,
		events: slices.Clone(o.Events), done: map[string]map[int]bool{}}
	seen := map[string]int{}
	for i, r := range to {
		a, err := netmail.ParseAddress(r.Address)
		if err != nil {
			return nil, fmt.Errorf("mail: recipient %d (%q): %w", i+1, r.Address, err)
		}
		key := strings.ToLower(a.Address)
		if j, ok := seen[key]; ok {
			return nil, fmt.Errorf("mail: recipient %d (%q) repeats recipient %d", i+1, a.Address, j+1)
		}
		seen[key] = i
		v := r.Viewer
		if v.Language == "" {
			v.Language = o.Viewer.Language
		}
		if v.Location == nil {
			v.Location = o.Viewer.Location
		}
		s.to = append(s.to, recipient{addr: a, viewer: v})
	}
	if o.Security < StartTLS || o.Security > Opportunistic {
		return nil, fmt.Errorf("mail: Options.Security is unknown (%d)", o.Security)
	}
	if strings.ContainsAny(o.Hostname, " \t\r\n") {
		return nil, fmt.Errorf("mail: Options.Hostname %q holds white space", o.Hostname)
	}
	for _, k := range o.Events {
		if !k.Known() {
			return nil, fmt.Errorf("mail: Options.Events holds an unknown kind %v", k)
		}
	}
	limits, err := send.Resolve("mail: Options.", send.Limits{
		Timeout: o.Timeout, RetryMin: o.RetryMin, RetryMax: o.RetryMax, MaxAttempts: o.MaxAttempts,
	}, send.Limits{
		Timeout: DefaultTimeout, RetryMin: delivery.DefaultRetryMin, RetryMax: delivery.DefaultRetryMax,
		MaxRetryAfter: delivery.DefaultMaxRetryAfter, MaxAttempts: delivery.DefaultMaxAttempts,
	})
	if err != nil {
		return nil, err
	}
	if o.TLSConfig != nil {
		s.tls = o.TLSConfig.Clone()
	} else {
		s.tls = &tls.Config{}
	}
	if s.tls.ServerName == "" {
		s.tls.ServerName = host
	}
	if s.tls.MinVersion == 0 {
		s.tls.MinVersion = tls.VersionTLS12
	}
	if s.hostname == "" {
		s.hostname = defaultHostname()
	}
	if s.wording == nil {
		s.wording = delivery.NewWording(nil)
	}
	s.policy = send.Policy{Name: "mail", Clock: o.Clock, Logger: o.Logger, Counters: &s.counters}
	s.policy.Apply(limits)
	if s.policy.Clock == nil {
		s.policy.Clock = clock.New()
	}
	if s.policy.Logger == nil {
		s.policy.Logger = slog.Default()
	}
	return s, nil
}

func defaultHostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" || strings.ContainsAny(h, " \t\r\n") {
		return "localhost"
	}
	return h
}

// domainOf returns the domain of an address, for Message-IDs: "localhost"
// when it has none fit for one.
func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	d := addr[i+1:]
	if i < 0 || d == "" || strings.Trim(d, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != "" {
		return "localhost"
	}
	return d
}

// Notify mails e to every recipient, one message each, over one
// connection, trying again those the server could not take for now (a
// 4xx reply, a timeout, a lost connection) at most Options.MaxAttempts
// times in all. A recipient the server refuses for good (a 5xx reply) is
// logged and left out: Notify returns nil once every other recipient is
// served, and an error wrapping notify.ErrPermanent when the server
// refused them all. A recipient served is not written to again when a
// later Notify of the same event (a caller's retry) serves the others.
// Errors are prefixed "mail:" and name the event. An event of a kind left
// out of Options.Events is skipped.
func (s *Sender) Notify(ctx context.Context, e notify.Event) error {
	if len(s.events) > 0 && !slices.Contains(s.events, e.Kind) {
		return nil
	}
	id := e.ID()
	served := s.served(id)
	var refused []error
	err := s.policy.Do(ctx, e, func(ctx context.Context) error {
		return s.session(ctx, e, served, &refused)
	})
	s.remember(id, served, err == nil)
	for _, r := range refused {
		s.policy.Logger.ErrorContext(ctx, "mail: recipient refused", "event", id, "err", r)
		if err == nil {
			s.counters.AddError(fmt.Errorf("mail: event %s: %w", id, r), s.policy.Clock.Now())
		}
	}
	return err
}

// served returns the recipients already served for the event id, to be
// filled in.
func (s *Sender) served(id string) map[int]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[int]bool{}
	for i := range s.done[id] {
		m[i] = true
	}
	return m
}

// remember keeps the recipients served for id while some are left, or
// forgets id when all were.
func (s *Sender) remember(id string, served map[int]bool, complete bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.done[id]; ok {
		s.ids = slices.DeleteFunc(s.ids, func(x string) bool { return x == id })
		delete(s.done, id)
	}
	if complete || len(served) == 0 {
		return
	}
	if len(s.ids) == maxRemembered {
		delete(s.done, s.ids[0])
		s.ids = s.ids[1:]
	}
	s.done[id] = served
	s.ids = append(s.ids, id)
}

// session makes one attempt: it connects and mails e to each recipient
// not yet served, marking those it serves (and those refused for good,
// whose errors it adds to refused) in served.
func (s *Sender) session(ctx context.Context, e notify.Event, served map[int]bool, refused *[]error) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	// net/smtp knows no context: a done ctx ends the connection's I/O.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	defer conn.Close()
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return classify("greeting", err)
	}
	defer c.Close()
	if err := c.Hello(s.hostname); err != nil {
		return classify("EHLO", err)
	}
	if s.security != ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tls); err != nil {
				return classify("STARTTLS", err)
			}
		} else if s.security == StartTLS {
			return errors.New("the server does not offer STARTTLS, which Options.Security requires")
		}
	}
	if s.auth != nil {
		if ok, _ := c.Extension("AUTH"); !ok {
			return notify.Permanent(errors.New("the server offers no AUTH, and Options.Auth is set"))
		}
		if err := c.Auth(s.auth); err != nil {
			return classify("AUTH", err)
		}
	}
	var later []error
	for i, r := range s.to {
		if served[i] {
			continue
		}
		err := s.mailOne(c, e, r)
		if err == nil {
			served[i] = true
			continue
		}
		var reply *textproto.Error
		if !errors.As(err, &reply) {
			return fmt.Errorf("to %s: %w", r.addr.Address, err) // the connection failed: the rest on the next attempt
		}
		err = fmt.Errorf("to %s: %w", r.addr.Address, err)
		if reply.Code >= 500 {
			served[i] = true // refused for good: not tried again
			*refused = append(*refused, err)
		} else {
			later = append(later, err)
		}
		if err := c.Reset(); err != nil {
			return classify("RSET", err)
		}
	}
	_ = c.Quit()
	switch {
	case len(later) > 0:
		return summary(later)
	case len(*refused) == len(s.to):
		return notify.Permanent(summary(*refused))
	}
	return nil
}

// summary joins errs, naming at most three.
func summary(errs []error) error {
	if len(errs) <= 3 {
		return errors.Join(errs...)
	}
	return fmt.Errorf("%w\n(and %d more)", errors.Join(errs[:3]...), len(errs)-3)
}

// classify returns err of the SMTP step step, marked permanent when it is
// a 5xx reply.
func classify(step string, err error) error {
	err = fmt.Errorf("%s: %w", step, err)
	var reply *textproto.Error
	if errors.As(err, &reply) && reply.Code >= 500 {
		return notify.Permanent(err)
	}
	return err
}

func (s *Sender) dial(ctx context.Context) (net.Conn, error) {
	if s.security == ImplicitTLS {
		d := &tls.Dialer{Config: s.tls}
		return d.DialContext(ctx, "tcp", s.addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", s.addr)
}

// mailOne sends one message.
func (s *Sender) mailOne(c *smtp.Client, e notify.Event, r recipient) error {
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(r.addr.Address); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(s.message(e, r)); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return nil
}

// message returns the mail of e for r: headers and a quoted-printable
// UTF-8 body, lines ending in CRLF.
func (s *Sender) message(e notify.Event, r recipient) []byte {
	m := s.wording.Message(e, r.viewer)
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	header("From", s.from.String())
	header("To", r.addr.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Title)))
	header("Date", s.policy.Clock.Now().UTC().Format(time.RFC1123Z))
	header("Message-ID", messageID(e.ID(), r.addr.Address, s.domain))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n") + "\r\n"))
	_ = qp.Close()
	return b.Bytes()
}

// messageID returns the Message-ID of the mail of event to addr: the same
// for every copy, so that mail software can drop a second one.
func messageID(event, addr, domain string) string {
	sum := sha256.Sum256([]byte(event + "\x00" + strings.ToLower(addr)))
	return "<sysmaint." + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// oneLine replaces line breaks and other control characters with spaces,
// for a header.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// Stats returns what the Sender did so far, for metrics (it is a
// prom.DeliverySource): events delivered (and of them late), attempts
// failed, of them retried within a Notify, events given up (a Notify that
// returned an error: its caller may try again), and the last failure,
// also of a recipient refused while the others were served.
func (s *Sender) Stats() notify.DeliveryStats { return s.counters.Stats() }
