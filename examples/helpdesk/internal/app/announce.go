package app

import (
	"context"
	"fmt"
	"time"

	"github.com/sysmaint/sysmaint/adapters/chat"
	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/prom"
	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/notify"
)

// Announce says where the helpdesk tells people about maintenance, beside
// its log: a Standard Webhook and a Slack-compatible chat (Mattermost and
// Rocket.Chat take the same messages). Every zero field leaves that sender
// out.
type Announce struct {
	// WebhookURL receives every event as a signed Standard Webhook
	// (package webhook), signed with WebhookSecrets (the first signs, all
	// are sent: rotation). Both or neither.
	WebhookURL     string
	WebhookSecrets []string
	// ChatURL is a chat's incoming webhook; it gets the reminders, the
	// starts and the ends, in words (package chat), in ChatLanguage and
	// ChatZone (default English, UTC).
	ChatURL      string
	ChatLanguage string
	ChatZone     *time.Location
}

// senders builds the senders of cfg, on the App's clock and logger, and
// keeps them for Notifier and /metrics.
func (a *App) senders(cfg Announce) error {
	if cfg.WebhookURL != "" || len(cfg.WebhookSecrets) > 0 {
		s, err := webhook.New(cfg.WebhookURL, cfg.WebhookSecrets, &webhook.Options{Clock: a.clock, Logger: a.log})
		if err != nil {
			return fmt.Errorf("helpdesk: webhook: %w", err)
		}
		a.announce = append(a.announce, namedSender{"webhook", s, s.Stats})
	}
	if cfg.ChatURL != "" {
		s, err := chat.New(cfg.ChatURL, &chat.Options{
			Clock: a.clock, Logger: a.log,
			Viewer: notify.Viewer{Language: cfg.ChatLanguage, Location: cfg.ChatZone},
			Events: []notify.EventKind{notify.EventReminder, notify.EventStarted, notify.EventEnded},
		})
		if err != nil {
			return fmt.Errorf("helpdesk: chat: %w", err)
		}
		a.announce = append(a.announce, namedSender{"chat", s, s.Stats})
	}
	return nil
}

// namedSender is a sender with the name /metrics shows it under.
type namedSender struct {
	name  string
	n     notify.Notifier
	stats prom.DeliverySource
}

// Notifier returns what notify.Relay hands the events to: the log and
// every sender of Config.Announce, each event to each once (a sender that
// failed is retried alone: delivery.Fanout).
func (a *App) Notifier() notify.Notifier {
	ns := []notify.Notifier{notify.NotifierFunc(a.logEvent)}
	for _, s := range a.announce {
		ns = append(ns, s.n)
	}
	return delivery.NewFanout(ns...)
}

// logEvent logs e.
func (a *App) logEvent(_ context.Context, e notify.Event) error {
	a.log.Info("helpdesk: maintenance "+e.Kind.String(), "event", e.ID(), "window", e.Window.ID,
		"comment", e.Window.Comment, "at", e.At, "late", e.Late)
	return nil
}
