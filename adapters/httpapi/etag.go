package httpapi

import (
	"net/http"
	"strings"
)

// entityTag is one entity tag of an If-Match or If-None-Match list.
type entityTag struct {
	weak  bool
	value string // between the quotes
}

// tagList is a parsed If-Match or If-None-Match header: "*", or a list of
// entity tags.
type tagList struct {
	present bool // the header was sent
	any     bool // "*"
	tags    []entityTag
}

// parseTags reads the named precondition header of r (every line of it,
// joined as a list) per RFC 9110 §13.1.1: "*" or a comma-separated list of
// entity tags, each optionally W/-prefixed. A malformed header is a 400
// problem naming it.
func parseTags(r *http.Request, name string) (tagList, *Problem) {
	lines := r.Header.Values(name)
	if len(lines) == 0 {
		return tagList{}, nil
	}
	s := strings.Join(lines, ",")
	bad := func() (tagList, *Problem) {
		return tagList{}, malformed(name+" is not \"*\" or a list of entity tags such as \"v3\"",
			FieldError{Field: name, Reason: "is not \"*\" or a list of quoted entity tags"})
	}
	if strings.TrimSpace(s) == "*" {
		return tagList{present: true, any: true}, nil
	}
	l := tagList{present: true}
	for _, part := range strings.Split(s, ",") {
		part = strings.Trim(part, " \t")
		if part == "" {
			continue // empty list elements are allowed (RFC 9110 §5.6.1)
		}
		var t entityTag
		if rest, ok := strings.CutPrefix(part, "W/"); ok {
			t.weak, part = true, rest
		}
		if len(part) < 2 || part[0] != '"' || part[len(part)-1] != '"' {
			return bad()
		}
		t.value = part[1 : len(part)-1]
		for i := 0; i < len(t.value); i++ {
			if c := t.value[i]; c == '"' || c < 0x21 || c == 0x7f {
				return bad()
			}
		}
		l.tags = append(l.tags, t)
	}
	if len(l.tags) == 0 {
		return bad()
	}
	return l, nil
}

// matchStrong reports whether l (an If-Match list) matches the
// representation with the strong tag etag: "*", or a listed tag that is
// not weak and equal (RFC 9110 strong comparison).
func (l tagList) matchStrong(etag string) bool {
	if l.any {
		return true
	}
	for _, t := range l.tags {
		if !t.weak && `"`+t.value+`"` == etag {
			return true
		}
	}
	return false
}

// matchWeak reports whether l (an If-None-Match list) matches etag by weak
// comparison: "*", or a listed tag equal to it, weak or not.
func (l tagList) matchWeak(etag string) bool {
	if l.any {
		return true
	}
	for _, t := range l.tags {
		if `"`+t.value+`"` == etag {
			return true
		}
	}
	return false
}
