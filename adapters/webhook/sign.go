package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a webhook (Standard Webhooks).
const (
	// HeaderID carries the message's ID: the event's stable ID, the same
	// on every attempt and every instance.
	HeaderID = "webhook-id"
	// HeaderTimestamp carries when the attempt was made, in Unix seconds.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderSignature carries the signatures, "v1,<base64>", one per
	// secret, separated by spaces.
	HeaderSignature = "webhook-signature"
)

// DefaultTolerance is how far a webhook's timestamp may lie from the
// receiver's clock, either way, when [Verify] is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// SecretPrefix begins a secret written as the Standard Webhooks write
// them: "whsec_" and the key in standard base64.
const SecretPrefix = "whsec_"

// MinSecretLen is the fewest bytes a secret's key may have (the Standard
// Webhooks ask for 24 to 64); [NewSecret] makes keys of 32.
const MinSecretLen = 24

// maxSignatures is how many entries of a signature header Verify reads.
const maxSignatures = 32

// The errors of [Verify]; each error it returns wraps one of them.
var (
	// ErrSecret: a secret is empty, not base64 or too short.
	ErrSecret = errors.New("webhook: bad secret")
	// ErrMissingHeader: the webhook-id, webhook-timestamp or
	// webhook-signature header is missing.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrBadTimestamp: the webhook-timestamp header is not a number of
	// seconds.
	ErrBadTimestamp = errors.New("webhook: malformed timestamp")
	// ErrTimestamp: the timestamp lies further from now than the
	// tolerance: a replay, or a clock far off.
	ErrTimestamp = errors.New("webhook: timestamp outside the tolerance")
	// ErrSignature: no signature matches the body, the ID and the
	// timestamp under any of the secrets.
	ErrSignature = errors.New("webhook: no matching signature")
)

// NewSecret returns a new random secret: "whsec_" and 32 random bytes in
// standard base64.
func NewSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// parseSecrets returns the keys of secrets, each "whsec_<base64>" or the
// base64 alone; the errors name the secret by its place, never its value.
func parseSecrets(secrets []string) ([][]byte, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("%w: none given", ErrSecret)
	}
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		b64 := strings.TrimPrefix(strings.TrimSpace(s), SecretPrefix)
		key, err := base64.StdEncoding.DecodeString(b64)
		switch {
		case b64 == "":
			return nil, fmt.Errorf("%w: secret %d is empty", ErrSecret, i+1)
		case err != nil:
			return nil, fmt.Errorf("%w: secret %d is not %q and standard base64", ErrSecret, i+1, SecretPrefix)
		case len(key) < MinSecretLen:
			return nil, fmt.Errorf("%w: secret %d has %d bytes, fewer than %d", ErrSecret, i+1, len(key), MinSecretLen)
		}
		keys[i] = key
	}
	return keys, nil
}

// mac returns HMAC-SHA256 under key of "id.timestamp.body".
func mac(key []byte, id string, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(nil, ts, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// signature returns the webhook-signature value for keys.
func signature(keys [][]byte, id string, ts int64, body []byte) string {
	var b strings.Builder
	for i, key := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("v1,")
		b.WriteString(base64.StdEncoding.EncodeToString(mac(key, id, ts, body)))
	}
	return b.String()
}

// Sign returns the webhook-signature header value for a message with the
// given ID, timestamp (in whole seconds) and body: "v1,<base64 of
// HMAC-SHA256 of id.timestamp.body>" for each secret, separated by
// spaces. Each secret is "whsec_" and its key in standard base64 (the
// prefix may be left out), the key at least MinSecretLen bytes; an error
// wrapping [ErrSecret] names a bad one by its place in the list.
//
// Signing with the new and the old secret while receivers move over is
// how a secret is rotated: [Verify] accepts a message when any of its
// signatures matches any of the receiver's secrets.
func Sign(secrets []string, id string, timestamp time.Time, body []byte) (string, error) {
	keys, err := parseSecrets(secrets)
	if err != nil {
		return "", err
	}
	return signature(keys, id, timestamp.Unix(), body), nil
}

// Verify checks a webhook as its receiver gets it: the headers and the
// body as they came (read the body with a bound, such as
// http.MaxBytesReader, and verify it before parsing it). It returns nil
// when the webhook-timestamp lies within tolerance of now (either way;
// zero or less means DefaultTolerance) and one of the v1 signatures of
// webhook-signature is the HMAC-SHA256 of "id.timestamp.body" under one of
// secrets (each as for [Sign]). A tampered body, ID or timestamp, or an
// unknown secret, fails with an error wrapping [ErrSignature]; a message
// replayed after the tolerance fails with one wrapping [ErrTimestamp];
// missing or malformed headers and bad secrets fail with [ErrMissingHeader],
// [ErrBadTimestamp] and [ErrSecret]. At most 32 signatures are read;
// signatures of other versions are skipped. The comparison takes constant
// time.
//
// Verify cannot tell a replay within the tolerance from the first
// delivery: a receiver drops a webhook-id it has already seen (senders
// deliver at least once, so it needs that anyway).
func Verify(secrets []string, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	keys, err := parseSecrets(secrets)
	if err != nil {
		return err
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	id, tsText, sigs := header.Get(HeaderID), header.Get(HeaderTimestamp), header.Get(HeaderSignature)
	for _, h := range []struct{ name, value string }{{HeaderID, id}, {HeaderTimestamp, tsText}, {HeaderSignature, sigs}} {
		if h.value == "" {
			return fmt.Errorf("%w: %s", ErrMissingHeader, h.name)
		}
	}
	ts, err := parseTimestamp(tsText)
	if err != nil {
		return err
	}
	at := time.Unix(ts, 0)
	switch {
	case now.Sub(at) > tolerance:
		return fmt.Errorf("%w: %s is %v before now, more than %v", ErrTimestamp, HeaderTimestamp, now.Sub(at).Truncate(time.Second), tolerance)
	case at.Sub(now) > tolerance:
		return fmt.Errorf("%w: %s is %v after now, more than %v", ErrTimestamp, HeaderTimestamp, at.Sub(now).Truncate(time.Second), tolerance)
	}
	want := make([][]byte, len(keys))
	for i, key := range keys {
		want[i] = mac(key, id, ts, body)
	}
	sigLen := base64.StdEncoding.EncodedLen(sha256.Size)
	got := make([]byte, base64.StdEncoding.DecodedLen(sigLen))
	rest := strings.TrimSpace(sigs)
	for n := 0; rest != "" && n < maxSignatures; n++ {
		var entry string
		entry, rest, _ = strings.Cut(rest, " ")
		rest = strings.TrimLeft(rest, " ")
		b64, ok := strings.CutPrefix(entry, "v1,")
		if !ok || len(b64) != sigLen {
			continue
		}
		m, err := base64.StdEncoding.Decode(got, []byte(b64))
		if err != nil || m != sha256.Size {
			continue
		}
		for _, w := range want {
			if hmac.Equal(got[:m], w) {
				return nil
			}
		}
	}
	return ErrSignature
}

// parseTimestamp reads whole Unix seconds: decimal digits only.
func parseTimestamp(s string) (int64, error) {
	if s == "" || len(s) > 18 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: %s %q", ErrBadTimestamp, HeaderTimestamp, cutText(s, 32))
	}
	ts, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s %q", ErrBadTimestamp, HeaderTimestamp, cutText(s, 32))
	}
	return ts, nil
}

func cutText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
