package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxResponse bounds the response bodies the Client reads: 16 MiB.
const maxResponse = 16 << 20

// Client calls the API from Go: each method is one endpoint, and returns
// the wire types. An answer of 400 or more is returned as a *Problem
// (check it with errors.As); a transport failure as the net/http error.
// The zero value is not usable: BaseURL is required. A Client is safe for
// concurrent use.
type Client struct {
	// BaseURL is where the API is mounted, such as
	// "https://example.com/api" (a trailing "/" is ignored).
	BaseURL string
	// Token, when not empty, is sent as "Authorization: Bearer TOKEN".
	Token string
	// HTTPClient sends the requests. Default: http.DefaultClient.
	HTTPClient *http.Client
}

// ListOptions filters GET /windows; zero fields filter nothing.
type ListOptions struct {
	// Validity keeps the windows of these validities ("valid", ...).
	Validity []string
	// State keeps the windows in these states now ("planned", ...).
	State []string
	// From keeps the windows that stop after it.
	From time.Time
	// To keeps the windows that start before it.
	To time.Time
	// Limit is the page size; 0 means the server's default (100).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

// query encodes o as the query string of GET /windows.
func (o ListOptions) query() string {
	q := url.Values{}
	for _, v := range o.Validity {
		q.Add("validity", v)
	}
	for _, s := range o.State {
		q.Add("state", s)
	}
	if !o.From.IsZero() {
		q.Set("from", FormatInstant(o.From))
	}
	if !o.To.IsZero() {
		q.Set("to", FormatInstant(o.To))
	}
	if o.Limit != 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Cursor != "" {
		q.Set("cursor", o.Cursor)
	}
	return q.Encode()
}

// List returns one page of windows (GET /windows).
func (c *Client) List(ctx context.Context, opts ListOptions) (WindowList, error) {
	var out WindowList
	err := c.do(ctx, http.MethodGet, "/windows?"+opts.query(), nil, nil, &out)
	return out, err
}

// ListAll returns every window that opts selects, following the pages
// (opts.Cursor is the first page's cursor).
func (c *Client) ListAll(ctx context.Context, opts ListOptions) ([]Window, error) {
	out := []Window{}
	for {
		page, err := c.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Windows...)
		if page.NextCursor == "" {
			return out, nil
		}
		opts.Cursor = page.NextCursor
	}
}

// Get returns window id (GET /windows/{id}); its Version is what Update,
// Delete and the actions take as version.
func (c *Client) Get(ctx context.Context, id int64) (Window, error) {
	var out Window
	err := c.do(ctx, http.MethodGet, windowPath(id), nil, nil, &out)
	return out, err
}

// Create adds a window (POST /windows) and returns it as stored.
func (c *Client) Create(ctx context.Context, in WindowInput) (Window, error) {
	var out Window
	err := c.do(ctx, http.MethodPost, "/windows", nil, in, &out)
	return out, err
}

// Update replaces window id with in (PUT /windows/{id}), provided it is
// still at version (sent as If-Match; 0 sends none, which the server
// refuses with 428). in.Validity is required: start from [Window.Input].
func (c *Client) Update(ctx context.Context, id, version int64, in WindowInput) (Window, error) {
	var out Window
	err := c.do(ctx, http.MethodPut, windowPath(id), ifMatchHeader(version), in, &out)
	return out, err
}

// Delete removes window id (DELETE /windows/{id}), provided it is still at
// version (0 sends no If-Match, which the server refuses with 428).
func (c *Client) Delete(ctx context.Context, id, version int64) error {
	err := c.do(ctx, http.MethodDelete, windowPath(id), ifMatchHeader(version), nil, nil)
	return err
}

// End stops window id now (POST /windows/{id}/end). A version other than
// 0 is sent as If-Match: the action then applies to that version only.
func (c *Client) End(ctx context.Context, id, version int64) (Window, error) {
	return c.action(ctx, id, "end", version, nil)
}

// Extend moves window id's stop later by by, in whole seconds (POST
// /windows/{id}/extend). A version other than 0 is sent as If-Match.
func (c *Client) Extend(ctx context.Context, id int64, by time.Duration, version int64) (Window, error) {
	return c.action(ctx, id, "extend", version, ExtendInput{BySeconds: int64(by / time.Second)})
}

// Cancel makes window id invalid (POST /windows/{id}/cancel). A version
// other than 0 is sent as If-Match.
func (c *Client) Cancel(ctx context.Context, id, version int64) (Window, error) {
	return c.action(ctx, id, "cancel", version, nil)
}

// SkipOccurrence skips the occurrence of the recurring window id that
// starts at occurrence (POST /windows/{id}/skip) and returns the window.
// A version other than 0 is sent as If-Match.
func (c *Client) SkipOccurrence(ctx context.Context, id int64, occurrence time.Time, version int64) (Window, error) {
	return c.action(ctx, id, "skip", version, SkipInput{Occurrence: occurrence})
}

// MoveOccurrence moves one occurrence of the recurring window id to new
// times (POST /windows/{id}/move) and returns the window it became; the
// recurring window skips it from then on. version, when not 0, is sent as
// If-Match.
func (c *Client) MoveOccurrence(ctx context.Context, id int64, in MoveInput, version int64) (Window, error) {
	return c.action(ctx, id, "move", version, in)
}

// Down starts a window now (POST /down) and returns it.
func (c *Client) Down(ctx context.Context, in DownInput) (Window, error) {
	var out Window
	err := c.do(ctx, http.MethodPost, "/down", nil, in, &out)
	return out, err
}

// Up ends every active window now (POST /up) and returns those it changed.
func (c *Client) Up(ctx context.Context) ([]Window, error) {
	var out WindowList
	err := c.do(ctx, http.MethodPost, "/up", nil, nil, &out)
	return out.Windows, err
}

// Status returns the status now (GET /status).
func (c *Client) Status(ctx context.Context) (Status, error) {
	var out Status
	err := c.do(ctx, http.MethodGet, "/status", nil, nil, &out)
	return out, err
}

// Calendar returns the calendar feed (GET /calendar.ics), RFC 5545 text.
func (c *Client) Calendar(ctx context.Context) ([]byte, error) {
	var out []byte
	err := c.do(ctx, http.MethodGet, "/calendar.ics", nil, nil, &out)
	return out, err
}

// action posts to /windows/{id}/NAME.
func (c *Client) action(ctx context.Context, id int64, name string, version int64, body any) (Window, error) {
	var out Window
	err := c.do(ctx, http.MethodPost, windowPath(id)+"/"+name, ifMatchHeader(version), body, &out)
	return out, err
}

// windowPath is the path of window id.
func windowPath(id int64) string { return "/windows/" + strconv.FormatInt(id, 10) }

// ifMatchHeader returns the If-Match header of version, none for 0.
func ifMatchHeader(version int64) http.Header {
	if version == 0 {
		return nil
	}
	return http.Header{"If-Match": {etag(version)}}
}

// do sends one request and decodes a success into out (*[]byte takes the
// body as it is), or returns the problem.
func (c *Client) do(ctx context.Context, method, path string, hdr http.Header, in, out any) error {
	if c.BaseURL == "" {
		return fmt.Errorf("httpapi: Client.BaseURL is empty")
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("httpapi: encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return fmt.Errorf("httpapi: %w", err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fmt.Errorf("httpapi: read response: %w", err)
	}
	if len(data) > maxResponse {
		return fmt.Errorf("httpapi: %s %s: response larger than %d bytes", method, path, maxResponse)
	}
	if resp.StatusCode >= 400 {
		return decodeProblem(resp, data)
	}
	switch o := out.(type) {
	case nil:
	case *[]byte:
		*o = data
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("httpapi: %s %s: decode response: %w", method, path, err)
		}
	}
	return nil
}

// decodeProblem returns the problem of an error answer; one that is not
// problem+json (a proxy's page, say) becomes a Problem with its status.
func decodeProblem(resp *http.Response, data []byte) *Problem {
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/problem+json" {
		var p Problem
		if json.Unmarshal(data, &p) == nil && p.Status != 0 {
			return &p
		}
	}
	detail := strings.TrimSpace(string(data))
	if len(detail) > 200 {
		detail = strings.ToValidUTF8(detail[:200], "") + "..."
	}
	return &Problem{Type: TypeBlank, Title: http.StatusText(resp.StatusCode), Status: resp.StatusCode, Detail: detail}
}
