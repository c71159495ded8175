package notify

import (
	"bytes"
	"strings"
)

// Translator translates the package's texts into a viewer's language.
// Translate returns text in the language lang (a BCP 47 tag such as "de"
// or "de-DE", or a POSIX-style name such as "de_AT"), or text unchanged
// when it has no translation. Besides the texts of [Settings], it is asked
// for [DefaultDateLayout] and [DefaultDateLayoutSeconds], and may answer
// with time layouts of its own ("MST" in a layout is where the zone goes).
// A Translator must be safe for concurrent use, and give the same answer
// to the same question while a [Texts] uses it: Texts keeps the texts it
// rendered (build a new Texts to take in changed translations).
type Translator interface {
	Translate(lang, text string) string
}

// TranslatorFunc adapts a function to the [Translator] interface, for
// example a host's gettext or go-i18n lookup.
type TranslatorFunc func(lang, text string) string

// Translate calls f(lang, text).
func (f TranslatorFunc) Translate(lang, text string) string { return f(lang, text) }

// Catalog is a [Translator] backed by maps: language, then the English
// text, then its translation. Languages are lower-case BCP 47 tags: base
// tags ("de") or longer ones ("pt-br", "zh-hant"). English needs no
// entries. A Catalog must not be changed while it is in use.
//
// A lookup follows the "Lookup" scheme of RFC 4647, section 3.4: it tries
// the viewer's tag as given, then in lower case with "_" read as "-" (a
// POSIX name such as "de_AT.UTF-8" loses its ".UTF-8" or "@euro"), then
// with one subtag after another cut from its end ("zh-Hant-TW" tries
// "zh-hant-tw", "zh-hant", "zh"; "de-CH-1996" ends at "de"). A language or
// text the catalog does not hold gets the English text back. An
// Accept-Language value ("fr-CH, de;q=0.9, *;q=0.5") is taken as a list:
// its entry of highest quality that the catalog holds wins, the first of
// equals; entries with q=0, "*" and all past the 16th are skipped.
//
// A lookup allocates nothing. It knows no aliases and no likely scripts:
// "nb" does not find "no", nor "zh-TW" "zh-hant"; a catalog serving those
// readers holds the same map under each key (c["zh-tw"] = c["zh-hant"]).
type Catalog map[string]map[string]string

// Translate implements [Translator].
func (c Catalog) Translate(lang, text string) string {
	if _, m := c.lookup(lang, false); m != nil {
		if tr := m[text]; tr != "" {
			return tr
		}
	}
	return text
}

// MatchLanguage implements [LanguageMatcher]: it returns the language of
// the catalog whose entries Translate uses for lang, found as described
// above ("de" for "de_AT.UTF-8", "pt-br" for "pt-BR"), or "" when there is
// none, so that the texts stay English. It allocates nothing, but for a
// tag that is not written in lower case with "-" ("DE_de" matching "de"
// when the catalog has no "de-de").
func (c Catalog) MatchLanguage(lang string) string {
	key, _ := c.lookup(lang, true)
	return key
}

// maxListEntries bounds the entries of an Accept-Language list a lookup
// reads, so a hostile header costs no more than a long one.
const maxListEntries = 16

// lookup returns the entries for lang (see Catalog for the order it tries
// them in) and, when withKey is set, the language they are under; "" and
// nil when there are none. English without entries of its own is "" and
// an empty map.
func (c Catalog) lookup(lang string, withKey bool) (string, map[string]string) {
	if m, ok := c[lang]; ok {
		return lang, m
	}
	if strings.IndexByte(lang, ',') < 0 && strings.IndexByte(lang, ';') < 0 {
		return c.lookupTag(lang, withKey)
	}
	var (
		best    map[string]string
		bestKey string
	)
	bestQ := 0
	for n := 0; lang != "" && n < maxListEntries; n++ {
		var entry string
		entry, lang, _ = strings.Cut(lang, ",")
		tag, params, _ := strings.Cut(entry, ";")
		tag = strings.TrimSpace(tag)
		q := quality(params)
		if q <= bestQ || tag == "" || tag == "*" {
			continue
		}
		if key, m := c.lookupTag(tag, withKey); m != nil {
			best, bestKey, bestQ = m, key, q
		}
	}
	return bestKey, best
}

// quality returns the weight of an Accept-Language entry's parameters
// (" q=0.8"), in thousandths: 1000 when there is none, 0 when it is zero
// or malformed (so the entry is skipped).
func quality(params string) int {
	params = strings.TrimSpace(params)
	if params == "" {
		return 1000
	}
	v, ok := strings.CutPrefix(params, "q=")
	if !ok || v == "" || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
		return 0
	}
	q, scale := int(v[0]-'0')*1000, 100
	if len(v) > 1 {
		if v[1] != '.' {
			return 0
		}
		for _, ch := range []byte(v[2:]) {
			if ch < '0' || ch > '9' {
				return 0
			}
			q += int(ch-'0') * scale
			scale /= 10
		}
	}
	return min(q, 1000)
}

// lookupTag returns the entries for one tag: its normalized form (lower
// case, "_" as "-", without a POSIX ".codeset" or "@modifier"), then that
// form with subtags cut from the end, a singleton ("x", "u") going with the
// subtag after it. Only the first 64 bytes of a tag are read. With
// withKey, it returns the language the entries are under too: a part of
// tag when tag spells it so, which spares an allocation.
func (c Catalog) lookupTag(tag string, withKey bool) (string, map[string]string) {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(tag) && len(b) < len(buf); i++ {
		ch := tag[i]
		switch {
		case 'A' <= ch && ch <= 'Z':
			ch += 'a' - 'A'
		case ch == '_':
			ch = '-'
		case ch == '.' || ch == '@':
			i = len(tag) // the end of a POSIX locale name's language part
			continue
		}
		b = append(b, ch)
	}
	if len(b) == len(buf) && len(tag) > len(buf) {
		// Cut mid-subtag: start from the last whole one.
		if i := bytes.LastIndexByte(b, '-'); i > 0 {
			b = b[:i]
		}
	}
	for len(b) > 0 {
		if m, ok := c[string(b)]; ok {
			switch {
			case !withKey:
				return "", m
			case len(tag) >= len(b) && tag[:len(b)] == string(b):
				return tag[:len(b)], m
			}
			return string(b), m
		}
		i := bytes.LastIndexByte(b, '-')
		if i < 0 {
			break
		}
		b = b[:i]
		if i >= 2 && b[i-2] == '-' { // a singleton left at the end
			b = b[:i-2]
		}
	}
	if string(b) == "en" {
		return "", english
	}
	return "", nil
}

// english is what a lookup finds for English when the catalog holds no
// entries for it: no translations, so every text stays as it is. It is a
// find, not a miss, so an Accept-Language list that prefers English gets
// English.
var english = map[string]string{}

// DefaultCatalog returns a new copy of the built-in catalog: German
// translations of the four default texts and the German date layouts. Add
// languages or texts to the copy and pass it as [Settings.Translator].
func DefaultCatalog() Catalog {
	c := Catalog{}
	for lang, m := range builtin {
		cp := make(map[string]string, len(m))
		for k, v := range m {
			cp[k] = v
		}
		c[lang] = cp
	}
	return c
}

var builtin = Catalog{
	"de": {
		DefaultActiveNotification: "Wir führen planmäßige Wartungsarbeiten durch.",
		DefaultLoginMessage:       "Wir führen planmäßige Wartungsarbeiten durch. Das System ist in Kürze wieder verfügbar.",
		DefaultLoginRefused:       "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.",
		DefaultUpcoming:           "Eine Systemwartung beginnt am %s und endet voraussichtlich am %s",
		DefaultDateLayout:         "02.01.2006 15:04 MST",
		DefaultDateLayoutSeconds:  "02.01.2006 15:04:05 MST",
	},
}
