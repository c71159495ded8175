package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
)

// AuthorizeFunc decides who makes a request. It returns the actor, the
// name written into a window's CreatedBy and ChangedBy, or an error that
// refuses the request: one wrapping [ErrUnauthenticated] answers 401 with
// a WWW-Authenticate challenge, one wrapping [ErrForbidden] answers 403.
// Any other error is a failure of the host's check: the request is
// refused with 503 and the error is logged. It may look at anything in r
// (the method and the path are those the API routes, below its mount
// point), and must not read the body.
type AuthorizeFunc func(r *http.Request) (actor string, err error)

// Errors an [AuthorizeFunc] returns (wrapped or as they are) to refuse a
// request.
var (
	// ErrUnauthenticated refuses a request that says nothing of who makes
	// it, or whose credentials are wrong: 401.
	ErrUnauthenticated = errors.New("httpapi: not authenticated")
	// ErrForbidden refuses a request whose sender is known and may not do
	// this: 403.
	ErrForbidden = errors.New("httpapi: forbidden")
)

// BearerTokens returns an AuthorizeFunc that reads "Authorization: Bearer
// TOKEN" and answers the actor the token maps to, or ErrUnauthenticated.
// Tokens are compared in constant time (as SHA-256 digests, so neither
// their contents nor their lengths leak through timing), every token each
// time. The map is copied. BearerTokens panics on an empty token or a
// blank actor.
func BearerTokens(tokens map[string]string) AuthorizeFunc {
	type entry struct {
		sum   [sha256.Size]byte
		actor string
	}
	entries := make([]entry, 0, len(tokens))
	for tok, actor := range tokens {
		if tok == "" {
			panic("httpapi: BearerTokens given an empty token")
		}
		if strings.TrimSpace(actor) == "" {
			panic("httpapi: BearerTokens given a blank actor")
		}
		entries = append(entries, entry{sha256.Sum256([]byte(tok)), actor})
	}
	return func(r *http.Request) (string, error) {
		scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return "", ErrUnauthenticated
		}
		sum := sha256.Sum256([]byte(tok))
		actor := ""
		for _, e := range entries {
			if subtle.ConstantTimeCompare(sum[:], e.sum[:]) == 1 {
				actor = e.actor
			}
		}
		if actor == "" {
			return "", ErrUnauthenticated
		}
		return actor, nil
	}
}
