// Package chat posts maintenance events to a chat through its incoming
// webhook: Slack's, and the Slack-compatible ones of Mattermost and
// Rocket.Chat, which take the same payload.
//
// [New] returns a [Sender], a [notify.Notifier]:
//
//	berlin, _ := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
//	s, err := chat.New(os.Getenv("SLACK_WEBHOOK_URL"), &chat.Options{Viewer: berlin})
//
// # Messages
//
// Each event becomes a message in words ([delivery.Wording]), in the
// language and time zone of Options.Viewer: "Maintenance soon" with
// notify's upcoming text for a reminder (and for a window scheduled or
// changed), "Maintenance started" with the banner's text for a start (the
// window's own NotifyMessage, or notify's default), "Maintenance ended",
// and "Maintenance cancelled" with the window's times for a window
// withdrawn. The payload has a "text" (the title and the text, escaped
// for Slack's mrkdwn: "&", "<" and ">", so that no message mentions
// @channel or hides a link) and two blocks of plain text, a header and a
// section, for the chats that show blocks; each is cut to Slack's limits
// ([MaxTitleLen], [MaxTextLen]).
//
// # Retries
//
// As for package webhook: up to Options.MaxAttempts attempts (3), each
// bounded by Options.Timeout (5 seconds), with exponential backoff and
// jitter on Options.Clock, on a timeout, a failed connection and a 408,
// 429 or 5xx answer (Slack answers 429 with a Retry-After, honoured up to
// Options.MaxRetryAfter); any other answer fails at once with an error
// wrapping [notify.ErrPermanent] (Slack's 404 channel_not_found, 410
// channel_is_archived, 400 invalid_payload).
//
// # Running it
//
// Run a Sender under [notify.Relay] (each event once across the host's
// instances, kept until delivered) or, in a single process, under
// [notify.Watch] through a [delivery.Queue]; see the example. The
// requests of the host's users never wait for the chat.
//
// # Errors
//
// Errors begin with "chat:" and name the event. They never show the
// webhook URL, which is the webhook's secret.
package chat
