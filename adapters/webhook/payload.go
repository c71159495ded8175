package webhook

import (
	"encoding/json"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// The types of webhook, one per kind of event (the "type" of a [Payload]).
const (
	TypeScheduled = "maintenance.scheduled"
	TypeChanged   = "maintenance.changed"
	TypeWithdrawn = "maintenance.withdrawn"
	TypeReminder  = "maintenance.reminder"
	TypeStarted   = "maintenance.started"
	TypeEnded     = "maintenance.ended"
)

// Type returns the webhook type of an event kind: "maintenance." and the
// kind's name (TypeStarted for notify.EventStarted). An unknown kind gives
// "maintenance." and its String.
func Type(k notify.EventKind) string { return "maintenance." + k.String() }

// Payload is the JSON body of a webhook, in the shape of the Standard
// Webhooks:
//
//	{
//	  "type": "maintenance.started",
//	  "timestamp": "2026-11-24T20:00:00Z",
//	  "data": {
//	    "event_id": "w1/started/2026-11-24T20:00:00Z",
//	    "late": false,
//	    "window": {
//	      "id": 1,
//	      "start": "2026-11-24T20:00:00Z",
//	      "stop": "2026-11-24T22:00:00Z",
//	      "comment": "database upgrade",
//	      "notify_message": "",
//	      "login_message": "",
//	      "show_login_message": true,
//	      "lead_seconds": 0,
//	      "version": 1
//	    }
//	  }
//	}
//
// A recurring window also carries "recurrence_rule" and
// "recurrence_zone", and an event about one of its occurrences
// "occurrence" (see [Window]). The names are stable; fields may be added,
// never renamed or removed.
// Instants are RFC 3339 in UTC, with milliseconds when they are not whole
// seconds ("2026-11-24T20:00:00.250Z"). A receiver decodes a body into a
// Payload with encoding/json.
type Payload struct {
	// Type is the kind of event: TypeStarted and its neighbours ("type").
	Type string `json:"type"`
	// Timestamp is when the event happened: the event's At ("timestamp").
	// The webhook-timestamp header says when it was sent.
	Timestamp time.Time `json:"timestamp"`
	// Data is what happened ("data").
	Data Data `json:"data"`
}

// Data is the "data" of a [Payload].
type Data struct {
	// EventID is the event's stable ID, also in the webhook-id header
	// ("event_id"): a receiver drops an ID it has already seen.
	EventID string `json:"event_id"`
	// Late is set when the event is delivered well after it happened
	// ("late"): caught up after every instance had been down, or after
	// retries (see notify.Event.Late).
	Late bool `json:"late"`
	// Window is the window the event is about ("window").
	Window Window `json:"window"`
}

// Window is a maintenance window as a webhook carries it: the fields a
// receiver needs, without the audit trail.
type Window struct {
	// ID identifies the window ("id").
	ID int64 `json:"id"`
	// Start is the first instant of the window ("start").
	Start time.Time `json:"start"`
	// Stop is the first instant after the window ("stop").
	Stop time.Time `json:"stop"`
	// Comment is the administrators' note ("comment").
	Comment string `json:"comment"`
	// NotifyMessage is the banner text while the window is active, empty
	// for the default ("notify_message").
	NotifyMessage string `json:"notify_message"`
	// LoginMessage is the login-screen text, empty for the default
	// ("login_message").
	LoginMessage string `json:"login_message"`
	// ShowLoginMessage turns the login message on ("show_login_message").
	ShowLoginMessage bool `json:"show_login_message"`
	// LeadSeconds is the window's own notice time in whole seconds; 0
	// means the host's ("lead_seconds").
	LeadSeconds int64 `json:"lead_seconds"`
	// Version counts the stored changes of the window ("version").
	Version int64 `json:"version"`
	// RecurrenceRule and RecurrenceZone make the window repeat: an RFC
	// 5545 RRULE value ("FREQ=WEEKLY;BYDAY=TU") run in an IANA zone
	// ("recurrence_rule", "recurrence_zone"; left out for a window that
	// does not repeat).
	RecurrenceRule string `json:"recurrence_rule,omitempty"`
	RecurrenceZone string `json:"recurrence_zone,omitempty"`
	// Occurrence is set when the event is about one occurrence of a
	// recurring window (a reminder, a start, an end): the occurrence's
	// start as the rule gives it ("occurrence"; left out otherwise). Start
	// and Stop are then the occurrence's.
	Occurrence time.Time `json:"occurrence,omitzero"`
}

// NewPayload returns the payload of e.
func NewPayload(e notify.Event) Payload {
	w := e.Window.Normalize()
	return Payload{
		Type:      Type(e.Kind),
		Timestamp: instant(e.At),
		Data: Data{
			EventID: e.ID(),
			Late:    e.Late,
			Window: Window{
				ID: w.ID, Start: w.Start, Stop: w.Stop, Comment: w.Comment,
				NotifyMessage: w.NotifyMessage, LoginMessage: w.LoginMessage, ShowLoginMessage: w.ShowLoginMessage,
				LeadSeconds: int64(w.Lead / time.Second), Version: w.Version,
				RecurrenceRule: w.Recurrence.Rule, RecurrenceZone: w.Recurrence.Zone, Occurrence: w.Occurrence,
			},
		},
	}
}

// instant returns t in UTC at millisecond precision.
func instant(t time.Time) time.Time { return maintenance.Window{Start: t}.Normalize().Start }

// formatInstant writes t as the payload does.
func formatInstant(t time.Time) string {
	t = instant(t)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05Z07:00")
	}
	return t.Format("2006-01-02T15:04:05.000Z07:00")
}

type windowJSON struct {
	ID               int64  `json:"id"`
	Start            string `json:"start"`
	Stop             string `json:"stop"`
	Comment          string `json:"comment"`
	NotifyMessage    string `json:"notify_message"`
	LoginMessage     string `json:"login_message"`
	ShowLoginMessage bool   `json:"show_login_message"`
	LeadSeconds      int64  `json:"lead_seconds"`
	Version          int64  `json:"version"`
	RecurrenceRule   string `json:"recurrence_rule,omitempty"`
	RecurrenceZone   string `json:"recurrence_zone,omitempty"`
	Occurrence       string `json:"occurrence,omitempty"`
}

// MarshalJSON writes w with its instants as the payload documents them.
func (w Window) MarshalJSON() ([]byte, error) {
	j := windowJSON{
		ID: w.ID, Start: formatInstant(w.Start), Stop: formatInstant(w.Stop), Comment: w.Comment,
		NotifyMessage: w.NotifyMessage, LoginMessage: w.LoginMessage, ShowLoginMessage: w.ShowLoginMessage,
		LeadSeconds: w.LeadSeconds, Version: w.Version, RecurrenceRule: w.RecurrenceRule, RecurrenceZone: w.RecurrenceZone,
	}
	if !w.Occurrence.IsZero() {
		j.Occurrence = formatInstant(w.Occurrence)
	}
	return json.Marshal(j)
}

// MarshalJSON writes p with its instants as documented.
func (p Payload) MarshalJSON() ([]byte, error) {
	type data Data
	return json.Marshal(struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      data   `json:"data"`
	}{p.Type, formatInstant(p.Timestamp), data(p.Data)})
}
