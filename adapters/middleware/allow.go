package middleware

import (
	"fmt"
	"hash/maphash"
	"net/http"
	"slices"
	"strings"
)

// allowList is the compiled [LockoutOptions.Allow]: its patterns registered
// on private ServeMuxes, so that a request matches exactly when an
// http.ServeMux holding the patterns would route it to one of them.
// Patterns that conflict with one another (which one ServeMux refuses to
// hold) go to further muxes; usually there is one. The zero allowList
// allows nothing.
type allowList struct {
	muxes []*http.ServeMux
	// prefixes are the literal starts of the patterns' paths: a path
	// that begins with none of them matches no pattern, so the muxes
	// need not be asked (ServeMux allocates to find no match).
	prefixes []string
	// byMethod and byHost say whether a pattern names a method or a
	// host: otherwise the answer does not depend on them.
	byMethod, byHost bool
	// seen keeps the muxes' answers (ServeMux allocates to match a
	// subtree, and takes a lock), by exactly what they read of a request.
	seen *allowCache
}

// allowCache keeps the answers of an allow list's muxes in a slotTable.
type allowCache struct {
	seed maphash.Seed
	slotTable[allowKey, bool]
}

// allowKey is everything the muxes read of a request that is not
// CONNECT: the method, the Host header, and the path and raw path, from
// which the escaped path ServeMux routes on follows. The method and the
// host are left empty when no pattern names one.
type allowKey struct {
	method, host, path, rawPath string
}

// maxCachedPath is the longest path whose answer is kept, in bytes.
const maxCachedPath = 256

func (k *allowKey) hash(seed maphash.Seed) uint64 {
	h := maphash.String(seed, k.path)
	if k.rawPath != "" {
		h = mix(h, maphash.String(seed, k.rawPath))
	}
	if k.method != "" {
		h = mix(h, maphash.String(seed, k.method))
	}
	if k.host != "" {
		h = mix(h, maphash.String(seed, k.host))
	}
	return h
}

// allowMark is the handler every allow pattern is registered with: the
// handler a mux returns tells a match from its redirects, 404 and 405.
type allowMark struct{}

func (*allowMark) ServeHTTP(http.ResponseWriter, *http.Request) {}

var mark http.Handler = &allowMark{}

// newAllowList compiles patterns. Blank entries are skipped, repeated ones
// kept once; an entry that is not a valid ServeMux pattern panics with a
// message that starts with who and names the entry.
func newAllowList(who string, patterns []string) allowList {
	var a allowList
	seen := make(map[string]bool, len(patterns))
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" || seen[p] { // an unset setting must not open anything
			continue
		}
		seen[p] = true
		if err := register(http.NewServeMux(), p); err != nil {
			panic(fmt.Sprintf("middleware: %s: Allow entry %q is not an http.ServeMux pattern: %v", who, p, err))
		}
		// As ServeMux reads a pattern: a method ends at a blank, a host
		// at the first "/" after it.
		rest := p
		if i := strings.IndexAny(p, " \t"); i >= 0 {
			a.byMethod = true
			rest = strings.TrimLeft(p[i+1:], " \t")
		}
		if strings.IndexByte(rest, '/') != 0 {
			a.byHost = true
		}
		if pre := literalPrefix(p); !slices.Contains(a.prefixes, pre) {
			a.prefixes = append(a.prefixes, pre)
		}
		placed := false
		for _, mux := range a.muxes {
			if register(mux, p) == nil {
				placed = true
				break
			}
		}
		if !placed {
			mux := http.NewServeMux()
			_ = register(mux, p) // valid on an empty mux, checked above
			a.muxes = append(a.muxes, mux)
		}
	}
	if len(a.muxes) > 0 {
		a.seen = &allowCache{seed: maphash.MakeSeed()}
	}
	return a
}

// literalPrefix returns the start of a valid pattern's path up to its
// first wildcard or percent-encoding: every path the pattern matches, once
// decoded, begins with it. A pattern is "[METHOD ][HOST]/[PATH]".
func literalPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		pattern = strings.TrimLeft(pattern[i+1:], " \t")
	}
	pattern = pattern[strings.IndexByte(pattern, '/'):]
	if i := strings.IndexAny(pattern, "{%"); i >= 0 {
		pattern = pattern[:i]
	}
	return pattern
}

// register adds pattern to mux, turning ServeMux's panic on an invalid or
// conflicting pattern into an error; a refused pattern leaves mux as it was.
func register(mux *http.ServeMux, pattern string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	mux.Handle(pattern, mark)
	return nil
}

// allows reports whether r is in canonical form ([canonicalPath]) and an
// http.ServeMux holding the allow patterns would route r to one of them:
// a redirect (to add a trailing slash), a 404 or a 405 is no match.
//
// The answers for requests other than CONNECT are kept (a few hundred),
// by method, host and path: a path asked for again costs a lookup.
func (a allowList) allows(r *http.Request) bool {
	if len(a.muxes) == 0 || !canonicalPath(r) || !a.maybe(r.URL.Path) {
		return false
	}
	if r.Method == http.MethodConnect || len(r.URL.Path) > maxCachedPath {
		return a.route(r)
	}
	k := allowKey{path: r.URL.Path, rawPath: r.URL.RawPath}
	if a.byMethod {
		k.method = r.Method
	}
	if a.byHost {
		k.host = r.Host
	}
	h := k.hash(a.seen.seed)
	if ok := a.seen.get(h, &k); ok != nil {
		return *ok
	}
	return *a.seen.put(h, k, a.route(r))
}

// route reports whether one of the muxes routes r to an allow pattern.
func (a allowList) route(r *http.Request) bool {
	for _, mux := range a.muxes {
		if h, _ := mux.Handler(r); h == mark {
			return true
		}
	}
	return false
}

// maybe reports whether p begins with one of the patterns' literal
// prefixes.
func (a allowList) maybe(p string) bool {
	for _, pre := range a.prefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// canonicalPath reports whether r's path is one that every router reads
// alike, with no encoded or literal trick that could make the router route
// a path other than the one the allow list checked:
//
//   - it starts with "/" (not "*", not a CONNECT authority);
//   - every percent-encoding in it is the one net/url makes for the decoded
//     path (r.URL.RawPath is empty or has no '%'), so http.ServeMux, which
//     routes on the escaped path and unescapes each segment, chi, which
//     routes on RawPath when it is set and on Path otherwise, and the
//     handler, which reads Path, see the same segments; this refuses
//     encoded separators (%2F, %2f) and every encoding in another form than
//     net/url's (lower-case hex, encoded letters);
//   - it is clean: no empty segment ("//"), no "." or ".." segment, either
//     written or encoded ("%2e%2e"), also before a ";" ("..;" is ".." to
//     some servers behind a proxy);
//   - no segment holds a backslash, literal or encoded (%5C: a separator
//     to some servers), or a control character.
//
// A trailing slash is canonical ("/static/").
func canonicalPath(r *http.Request) bool {
	return r.URL != nil && canonicalPathParts(r.URL.Path, r.URL.RawPath)
}

// canonicalPathParts is canonicalPath for a URL's Path and RawPath.
func canonicalPathParts(path, rawPath string) bool {
	if path == "" || path[0] != '/' || strings.IndexByte(rawPath, '%') >= 0 {
		return false
	}
	p := path[1:]
	for p != "" {
		seg, rest, more := strings.Cut(p, "/")
		if seg == "" && more {
			return false
		}
		if base, _, _ := strings.Cut(seg, ";"); base == "." || base == ".." {
			return false
		}
		for i := 0; i < len(seg); i++ {
			if c := seg[i]; c == '\\' || c < 0x20 || c == 0x7f {
				return false
			}
		}
		p = rest
	}
	return true
}
