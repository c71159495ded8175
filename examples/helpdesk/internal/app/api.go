package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/httpapi"
)

// APIPrefix is where the helpdesk serves sysmaint's JSON API and calendar
// feed (package httpapi): /api/windows, /api/status, /api/calendar.ics,
// /api/openapi.json, ...
const APIPrefix = "/api"

// feedKeySetting names the calendar feed's secret in helpdesk_settings.
const feedKeySetting = "sysmaint.feed_key"

// api returns the JSON API and the feed, mounted at APIPrefix: callers
// authenticate with a bearer token of Config.APITokens and act as the admin
// it names; the feed, which calendar clients fetch without a token, opens
// to the feed key in its URL (FeedPath). No cookie is read, so the
// helpdesk's session gives no access and there is nothing to forge
// across sites.
func (a *App) api() http.Handler {
	return http.StripPrefix(APIPrefix, httpapi.New(a.windows, httpapi.BearerTokens(a.apiTokens), &httpapi.Options{
		BasePath:      APIPrefix,
		AuthorizeFeed: a.authorizeFeed,
		UIDDomain:     "helpdesk.example",
		Logger:        a.log,
	}))
}

// FeedPath returns the path of the calendar feed, with its key.
func (a *App) FeedPath() string { return APIPrefix + "/calendar.ics?key=" + a.feedKey }

// authorizeFeed lets a request for the feed through when it carries the
// feed key, compared in constant time.
func (a *App) authorizeFeed(r *http.Request) error {
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("key")), []byte(a.feedKey)) != 1 {
		return httpapi.ErrForbidden
	}
	return nil
}

// apiLinks are the links the admin overview shows: the feed, to subscribe
// to, and the API.
func (a *App) apiLinks() []adminui.Link {
	return []adminui.Link{
		{Label: "Calendar feed (iCalendar)", URL: a.FeedPath()},
		{Label: "JSON API", URL: APIPrefix + "/openapi.json",
			Note: "at " + APIPrefix + "/, with a bearer token given to the helpdesk (-api-token)"},
	}
}

// loadFeedKey reads the feed key from helpdesk_settings, creating a
// random one the first time: it stays the same across restarts, so
// subscribed calendars keep working. Instances starting at once on one
// database agree on the first one stored.
func (a *App) loadFeedKey(ctx context.Context) (string, error) {
	db := a.db.SQL
	if _, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO helpdesk_settings (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO NOTHING`), feedKeySetting, rand.Text()); err != nil {
		return "", fmt.Errorf("helpdesk: create the feed key: %w", err)
	}
	var key string
	err := db.GetContext(ctx, &key, db.Rebind(`SELECT value FROM helpdesk_settings WHERE name = ?`), feedKeySetting)
	if errors.Is(err, sql.ErrNoRows) || key == "" {
		return "", errors.New("helpdesk: the feed key is missing")
	}
	if err != nil {
		return "", fmt.Errorf("helpdesk: read the feed key: %w", err)
	}
	return key, nil
}
