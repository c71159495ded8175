package httpapi

import "net/http"

// FeedBuilds returns how many times the handler h (from New) built its
// calendar feed.
func FeedBuilds(h http.Handler) int64 { return h.(*handler).feed.builds.Load() }
