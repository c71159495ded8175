package middleware

import "strings"

// Specificity of a media range that matches a representation, for content
// negotiation: the most specific matching range decides its weight.
const (
	matchNone = iota
	matchAny  // */*
	matchType // application/*, text/*
	matchFull // application/json, text/html
)

// wantsJSON reports whether an Accept header (RFC 9110, section 12.5.1)
// prefers JSON to HTML. Each representation takes the weight of the most
// specific media range that matches it (the highest weight among equally
// specific ones); JSON is preferred when its weight is higher, or equal,
// above zero and named more specifically, so "application/json, */*" is
// JSON, while "*/*", "" and a tie between equally specific ranges are HTML.
// JSON is application/json and every application/*+json; HTML is
// text/html and application/xhtml+xml. Names compare without regard to
// case; a range whose q is not a qvalue ("1e-1", "0.0001", "2") is
// ignored; quoted parameter values may hold commas and semicolons. It
// allocates nothing.
func wantsJSON(accept string) bool {
	var js, hs pref
	for accept != "" {
		var item string
		item, accept = nextItem(accept, ',')
		media, params := nextItem(item, ';')
		w, ok := weight(params)
		if !ok {
			continue
		}
		media = strings.TrimSpace(media)
		js = js.fold(w, jsonLevel(media))
		hs = hs.fold(w, htmlLevel(media))
	}
	return js.w > hs.w || (js.w == hs.w && js.w > 0 && js.level > hs.level)
}

// pref is the weight, in thousandths, a representation has so far, and
// the specificity of the range that gave it.
type pref struct{ w, level int }

// fold takes in a range of weight w that matches at level: a more specific
// range replaces a less specific one; among equally specific ones the
// highest weight wins.
func (p pref) fold(w, level int) pref {
	switch {
	case level == matchNone || level < p.level:
		return p
	case level > p.level:
		return pref{w, level}
	default:
		return pref{max(p.w, w), level}
	}
}

func jsonLevel(media string) int {
	const app = "application/"
	switch {
	case media == "*/*":
		return matchAny
	case strings.EqualFold(media, "application/*"):
		return matchType
	case strings.EqualFold(media, "application/json"),
		len(media) > len(app)+len("+json") && strings.EqualFold(media[:len(app)], app) && strings.EqualFold(media[len(media)-len("+json"):], "+json"):
		return matchFull
	}
	return matchNone
}

func htmlLevel(media string) int {
	switch {
	case media == "*/*":
		return matchAny
	case strings.EqualFold(media, "text/*"):
		return matchType
	case strings.EqualFold(media, "text/html"), strings.EqualFold(media, "application/xhtml+xml"):
		return matchFull
	}
	return matchNone
}

// weight returns the weight of a media range from its parameters (what
// follows the first ';'), in thousandths: the first q parameter's, 1000
// when there is none; ok is false when that q is not a qvalue. Other
// parameters, well formed or not, do not matter.
func weight(params string) (w int, ok bool) {
	for params != "" {
		var p string
		p, params = nextItem(params, ';')
		name, value, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(name), "q") {
			return qvalue(strings.TrimSpace(value))
		}
	}
	return 1000, true
}

// qvalue parses a qvalue (RFC 9110, section 12.4.2): "0" to "1" with at
// most three decimals, in thousandths.
func qvalue(s string) (int, bool) {
	if s == "" || len(s) > len("0.000") || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	w := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return w, true
	}
	if s[1] != '.' {
		return 0, false
	}
	for i, scale := 2, 100; i < len(s); i, scale = i+1, scale/10 {
		c := s[i]
		if c < '0' || c > '9' || (w == 1000 && c != '0') {
			return 0, false
		}
		w += int(c-'0') * scale
	}
	return w, true
}

// nextItem splits s at the first sep outside a quoted string (a backslash
// escapes the next character inside one), returning what comes before and
// after it; with no such sep, item is s and rest is empty.
func nextItem(s string, sep byte) (item, rest string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
