package session

import "errors"

// Errors returned by a [Store] and the [Manager], to be checked with
// errors.Is; stores wrap them with the operation and the session ID.
var (
	// ErrNotFound means no session has the given ID.
	ErrNotFound = errors.New("session: session not found")
	// ErrExists means a session with the given ID is already stored.
	ErrExists = errors.New("session: session already exists")
	// ErrInvalid means a session cannot be stored; see [Session.Validate].
	ErrInvalid = errors.New("session: invalid session")
	// ErrNoOwnSession means "end all sessions except your own" was asked
	// without the caller's own session ID. Nothing is ended: an empty ID
	// would otherwise end every session, the caller's own included
	// (Znuny's behaviour).
	ErrNoOwnSession = errors.New("session: own session ID is required")
)
