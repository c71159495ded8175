package sqlstore

import "context"

// OpenWithDSNHook is Open with hook rewriting the data source name of
// every new connection of the pool, so that a test can open connections
// the way a fault would, as root too (mode=ro: what SQLite does when the
// file is not writable).
func OpenWithDSNHook(ctx context.Context, path string, opts *Options, hook func(dsn string) string) (*DB, error) {
	return open(ctx, path, opts, hook)
}

// NeedsCgo is needsCgo.
var NeedsCgo = needsCgo
