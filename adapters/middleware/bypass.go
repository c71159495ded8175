package middleware

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
)

// The defaults of [BypassOptions].
const (
	DefaultBypassPath   = "/maintenance-bypass/"
	DefaultBypassCookie = "sysmaint_bypass"
	DefaultBypassTTL    = 12 * time.Hour
)

// MinBypassSecretLen is the shortest secret [BypassOptions] takes, in
// bytes: a shorter one could be guessed.
const MinBypassSecretLen = 16

// maxBypassCookieLen bounds the bypass cookie's value the lockout reads;
// a longer one is ignored. A valid one is some 60 bytes.
const maxBypassCookieLen = 128

// BypassOptions configures the secret bypass of [Lockout], as Laravel's
// "php artisan down --secret": during a window, a GET of the secret link
// (Path followed by a secret, "/maintenance-bypass/<secret>") sets a
// cookie that lets that browser through the lockout until it expires, and
// redirects to Redirect. Share the link with the staff who test the
// system during maintenance.
//
// The cookie holds its expiry and an HMAC-SHA256 of it keyed with the
// first secret; it is HttpOnly, SameSite=Lax, Path=/, and Secure when the
// request came over TLS, through a trusted proxy that says https
// ([LockoutOptions.TrustedProxies]), or always with Secure. Every secret
// verifies, so to rotate put the new secret first and drop the old one
// once its cookies have expired; dropping a secret invalidates its cookies
// at once. A cookie that is tampered with, expired, signed with a secret
// no longer listed, valid for longer than TTL from now, malformed or
// longer than 128 bytes is ignored: the request is treated as if it had
// none. Secrets and signatures are compared in constant time.
//
// The link is matched as the Allow patterns are, on a path in canonical
// form only (see the package documentation, "Lockout"): "/x/..%2Fmaintenance-bypass/<secret>"
// or "/maintenance-bypass%2F<secret>" is no link. It works while a window
// is active or upcoming, so staff may take it before the window starts;
// at other times it is an ordinary path, sent to next. A wrong secret is
// an ordinary path too, locked out like any other during a window. The
// secret ends up in access logs and browser histories: treat it like a
// password with a short life, and rotate it.
//
// The bypass lets a browser through the lockout only: it does not make
// anyone an admin. The login gate ([LoginGateWith]) does not read the
// cookie, so during a window a non-admin with the cookie still cannot log
// in, and [EndSessions] still ends non-admin sessions.
type BypassOptions struct {
	// Secrets are the secrets of the link. The first signs new cookies;
	// all verify. Each is at least MinBypassSecretLen bytes of the
	// characters a path segment holds unencoded: A-Z, a-z, 0-9, "-", ".",
	// "_" and "~" (crypto/rand's rand.Text() makes one), and not "." or
	// "..". Required: Lockout panics on none, or on a bad one, naming its
	// position but not its text.
	Secrets []string
	// Path is the link's path before the secret: it starts and ends with
	// "/" and is in canonical form. "/" makes the link "/<secret>", as in
	// Laravel. Default: DefaultBypassPath ("/maintenance-bypass/").
	Path string
	// TTL is how long a cookie lets its browser through. Default:
	// DefaultBypassTTL (12 hours).
	TTL time.Duration
	// Cookie is the cookie's name. Default: DefaultBypassCookie.
	Cookie string
	// Redirect is where the link sends the browser once the cookie is
	// set: a path on this host, starting with "/" (not "//"). Default:
	// "/".
	Redirect string
	// Secure marks the cookie Secure on every answer, for a host served
	// over HTTPS through a proxy that is not in TrustedProxies. Default:
	// false, Secure when the request came over TLS or a trusted proxy
	// says https.
	Secure bool
}

// bypass is the compiled BypassOptions.
type bypass struct {
	o       BypassOptions
	keys    [][]byte   // the secrets, first signs
	hashes  [][32]byte // SHA-256 of each secret, for the link's comparison
	ips     *clientIPs // for the Secure attribute behind a trusted proxy
	expires int64      // TTL in seconds
}

// newBypass checks o and applies its defaults; a bad option panics with a
// message that starts with who.
func newBypass(who string, opts *BypassOptions, ips *clientIPs) *bypass {
	b := &bypass{o: *opts, ips: ips}
	o := &b.o
	if len(o.Secrets) == 0 {
		panic(fmt.Sprintf("middleware: %s: Bypass.Secrets is empty", who))
	}
	for i, s := range o.Secrets {
		if err := checkSecret(s); err != nil {
			panic(fmt.Sprintf("middleware: %s: Bypass.Secrets[%d] %v", who, i, err))
		}
		b.keys = append(b.keys, []byte(s))
		b.hashes = append(b.hashes, sha256.Sum256([]byte(s)))
	}
	if o.Path == "" {
		o.Path = DefaultBypassPath
	}
	if !strings.HasPrefix(o.Path, "/") || !strings.HasSuffix(o.Path, "/") || !canonicalPathString(o.Path) {
		panic(fmt.Sprintf("middleware: %s: Bypass.Path %q must start and end with \"/\" and be a canonical path", who, o.Path))
	}
	switch {
	case o.TTL == 0:
		o.TTL = DefaultBypassTTL
	case o.TTL < time.Second:
		panic(fmt.Sprintf("middleware: %s: Bypass.TTL %v is shorter than a second", who, o.TTL))
	}
	b.expires = int64(o.TTL / time.Second)
	if o.Cookie == "" {
		o.Cookie = DefaultBypassCookie
	}
	if !validCookieName(o.Cookie) {
		panic(fmt.Sprintf("middleware: %s: Bypass.Cookie %q is not a cookie name", who, o.Cookie))
	}
	if o.Redirect == "" {
		o.Redirect = "/"
	}
	if !strings.HasPrefix(o.Redirect, "/") || strings.HasPrefix(o.Redirect, "//") || strings.ContainsAny(o.Redirect, "\\\r\n") {
		panic(fmt.Sprintf("middleware: %s: Bypass.Redirect %q is not a path on this host", who, o.Redirect))
	}
	return b
}

// checkSecret says what is wrong with a bypass secret, without its text.
func checkSecret(s string) error {
	if len(s) < MinBypassSecretLen {
		return fmt.Errorf("is %d bytes long, shorter than %d", len(s), MinBypassSecretLen)
	}
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return fmt.Errorf("holds a byte other than A-Z, a-z, 0-9, '-', '.', '_' and '~' at %d", i)
		}
	}
	if strings.Trim(s, ".") == "" {
		return fmt.Errorf("is only dots")
	}
	return nil
}

// unreserved reports whether c is an unreserved character of RFC 3986,
// which a path holds unencoded.
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// validCookieName reports whether s is a cookie name (an RFC 9110 token).
func validCookieName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// canonicalPathString reports whether p, a path written in a
// configuration, is in canonical form with no percent-encoding at all.
func canonicalPathString(p string) bool {
	return strings.IndexByte(p, '%') < 0 && canonicalPathParts(p, "")
}

// serveLink answers r and reports true when r is the bypass link with a
// listed secret: the cookie is set and the browser redirected. Otherwise
// it writes nothing and reports false.
func (b *bypass) serveLink(w http.ResponseWriter, r *http.Request, clk clock.Clock, stats *Stats) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	seg, ok := strings.CutPrefix(r.URL.Path, b.o.Path)
	if !ok || seg == "" || strings.IndexByte(seg, '/') >= 0 || !canonicalPath(r) {
		return false
	}
	sum := sha256.Sum256([]byte(seg))
	match := 0
	for i := range b.hashes {
		match |= subtle.ConstantTimeCompare(sum[:], b.hashes[i][:])
	}
	if match == 0 {
		return false
	}
	exp := clk.Now().Unix() + b.expires
	http.SetCookie(w, &http.Cookie{
		Name:     b.o.Cookie,
		Value:    b.sign(exp),
		Path:     "/",
		Expires:  time.Unix(exp, 0).UTC(),
		MaxAge:   int(b.expires),
		HttpOnly: true,
		Secure:   b.o.Secure || r.TLS != nil || b.ips.trustedHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, b.o.Redirect, http.StatusSeeOther)
	stats.count(statBypassIssued)
	return true
}

// bypassVersion starts every cookie value, so that the format can change.
const bypassVersion = "1"

// mac returns the HMAC-SHA256, keyed with key, of the cookie's expiry exp
// (Unix seconds) and name.
func (b *bypass) mac(key []byte, exp string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("sysmaint bypass " + bypassVersion + "\x00" + b.o.Cookie + "\x00" + exp))
	return h.Sum(nil)
}

// sign returns the cookie value for the expiry exp, signed with the first
// secret: "1.<exp>.<base64url of the MAC>".
func (b *bypass) sign(exp int64) string {
	e := strconv.FormatInt(exp, 10)
	return bypassVersion + "." + e + "." + base64.RawURLEncoding.EncodeToString(b.mac(b.keys[0], e))
}

// valid reports whether r carries a bypass cookie that is valid now, by
// clk, which it reads only when r carries one.
func (b *bypass) valid(r *http.Request, clk clock.Clock) bool {
	var now time.Time
	for _, c := range r.CookiesNamed(b.o.Cookie) {
		if now.IsZero() {
			now = clk.Now()
		}
		if b.verify(c.Value, now) {
			return true
		}
	}
	return false
}

// verify reports whether v is a cookie value signed with one of the
// secrets, unexpired at now and expiring no later than TTL from now.
func (b *bypass) verify(v string, now time.Time) bool {
	if len(v) > maxBypassCookieLen {
		return false
	}
	ver, rest, ok := strings.Cut(v, ".")
	if !ok || ver != bypassVersion {
		return false
	}
	e, sig, ok := strings.Cut(rest, ".")
	if !ok || e == "" || len(e) > 18 || (len(e) > 1 && e[0] == '0') {
		return false
	}
	for i := 0; i < len(e); i++ {
		if e[i] < '0' || e[i] > '9' {
			return false
		}
	}
	exp, err := strconv.ParseInt(e, 10, 64)
	if err != nil {
		return false
	}
	if t := now.Unix(); exp <= t || exp > t+b.expires {
		return false
	}
	var got [sha256.Size]byte
	if base64.RawURLEncoding.DecodedLen(len(sig)) != sha256.Size {
		return false
	}
	if n, err := base64.RawURLEncoding.Strict().Decode(got[:], []byte(sig)); err != nil || n != sha256.Size {
		return false
	}
	ok = false
	for _, key := range b.keys {
		if hmac.Equal(got[:], b.mac(key, e)) {
			ok = true
		}
	}
	return ok
}
