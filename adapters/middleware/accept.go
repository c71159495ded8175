package middleware

import (
	"strconv"
	"strings"
)

// Specificity of a media range that matches a type, for content
// negotiation: the most specific matching range decides its quality.
const (
	matchNone = iota
	matchAny  // */*
	matchType // application/*, text/*
	matchFull // application/json, text/html
)

// wantsJSON reports whether an Accept header prefers JSON to HTML: JSON's
// quality is higher, or equal and named more specifically (so
// "application/json, */*" is JSON, "*/*" and "" are HTML).
func wantsJSON(accept string) bool {
	var jsonQ, htmlQ float64
	var jsonLevel, htmlLevel int
	for part := range strings.SplitSeq(accept, ",") {
		media, params, _ := strings.Cut(part, ";")
		media = strings.ToLower(strings.TrimSpace(media))
		q, ok := quality(params)
		if !ok {
			continue
		}
		var jl, hl int
		switch {
		case media == "*/*":
			jl, hl = matchAny, matchAny
		case media == "application/*":
			jl = matchType
		case media == "text/*":
			hl = matchType
		case media == "application/json" || (strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json")):
			jl = matchFull
		case media == "text/html" || media == "application/xhtml+xml":
			hl = matchFull
		}
		jsonQ, jsonLevel = better(jsonQ, jsonLevel, q, jl)
		htmlQ, htmlLevel = better(htmlQ, htmlLevel, q, hl)
	}
	return jsonQ > htmlQ || (jsonQ == htmlQ && jsonQ > 0 && jsonLevel > htmlLevel)
}

// better folds the quality q of a range matching at level into the best
// (quality, level) so far: a more specific range replaces a less specific
// one; among equally specific ones the highest quality wins.
func better(bestQ float64, bestLevel int, q float64, level int) (float64, int) {
	switch {
	case level == matchNone || level < bestLevel:
		return bestQ, bestLevel
	case level > bestLevel:
		return q, level
	default:
		return max(bestQ, q), level
	}
}

// quality returns the q parameter of a media range's parameters (1 when
// absent); ok is false when it is malformed or out of range.
func quality(params string) (q float64, ok bool) {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q < 0 || q > 1 {
				return 0, false
			}
			return q, true
		}
	}
	return 1, true
}
