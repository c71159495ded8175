package send

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/notify"
)

// DefaultClient is the HTTP client of the senders when their options name
// none: http.DefaultTransport's connections and proxy settings, and no
// redirect followed (a redirected POST would become a GET, or go where it
// was not meant to; the 3xx answer is a permanent failure instead).
var DefaultClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// UserAgent is the User-Agent of the senders' requests.
const UserAgent = "sysmaint"

// maxDrain is how much of an answer's body is read, so that the
// connection can be used again; a longer body is cut and the connection
// closed.
const maxDrain = 64 << 10

// maxSnippet is how much of an answer's body an error quotes.
const maxSnippet = 200

// Post sends body to target with Content-Type application/json under p's
// discipline (see Policy.Do): header, when not nil, sets the headers of
// each attempt (a webhook signs each anew). A 2xx answer is success; a 408,
// a 429 or a 5xx answer, a timeout, or a failed connection is tried again
// (after the Retry-After the answer asks for, if any); any other answer
// (3xx, 4xx) is a permanent failure. The errors never show target, which
// may hold a secret (a chat's incoming-webhook URL does).
func (p *Policy) Post(ctx context.Context, client *http.Client, target string, e notify.Event, body []byte, header func(http.Header)) error {
	return p.Do(ctx, e, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			return notify.Permanent(fmt.Errorf("make request: %w", unwrapURL(err)))
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", UserAgent)
		if header != nil {
			header(req.Header)
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("post: %w", unwrapURL(err))
		}
		defer resp.Body.Close()
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxSnippet))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return nil
		}
		err = fmt.Errorf("answered %s%s", resp.Status, quote(snippet))
		switch code := resp.StatusCode; {
		case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code >= 500:
			return RetryAfter(err, retryAfter(resp.Header.Get("Retry-After"), p.Clock.Now()))
		case code >= 300 && code < 400:
			return notify.Permanent(fmt.Errorf("%w (redirects are not followed)", err))
		}
		return notify.Permanent(err)
	})
}

// unwrapURL returns the cause of a *url.Error, whose message holds the
// URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// quote returns ": " and the body's start quoted, or "" for an empty body.
func quote(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	return ": " + strconv.Quote(s)
}

// retryAfter reads a Retry-After value (RFC 9110, section 10.2.3):
// seconds, or an HTTP date counted from now. It returns 0 for an empty or
// malformed value, or a date past.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			return 24 * time.Hour // far beyond any bound; avoids an overflow
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}
