package notify

// Translator translates the package's texts into a viewer's language.
// Translate returns text in the language lang (a BCP 47 tag such as "de"
// or "de-DE", or a POSIX-style name such as "de_AT"), or text unchanged
// when it has no translation. Besides the texts of [Settings], it is asked
// for [DefaultDateLayout], and may answer with a time layout of its own. A
// Translator must be safe for concurrent use.
type Translator interface {
	Translate(lang, text string) string
}

// TranslatorFunc adapts a function to the [Translator] interface, for
// example a host's gettext or go-i18n lookup.
type TranslatorFunc func(lang, text string) string

// Translate calls f(lang, text).
func (f TranslatorFunc) Translate(lang, text string) string { return f(lang, text) }

// Catalog is a [Translator] backed by maps: language, then the English
// text, then its translation. Languages are lower-case base tags ("de") or
// full tags ("pt-br"). A lookup tries the full tag of the viewer's
// language, then its base ("de-DE" and "de_AT" match "de"); a language or
// text the catalog does not hold gets the English text back. English needs
// no entries. A Catalog must not be changed while it is in use.
type Catalog map[string]map[string]string

// Translate implements [Translator].
func (c Catalog) Translate(lang, text string) string {
	if tr := c.lookup(lang)[text]; tr != "" {
		return tr
	}
	return text
}

// lookup returns the entries for lang: its own, those of its normalized
// form (lower case, "_" as "-"), or those of its base language; nil when
// there are none. It allocates nothing for tags of up to 32 bytes.
func (c Catalog) lookup(lang string) map[string]string {
	if m, ok := c[lang]; ok {
		return m
	}
	var buf [32]byte
	b := buf[:0]
	base := -1
	for i := 0; i < len(lang); i++ {
		ch := lang[i]
		switch {
		case 'A' <= ch && ch <= 'Z':
			ch += 'a' - 'A'
		case ch == '_':
			ch = '-'
		}
		if ch == '-' && base < 0 {
			base = len(b)
		}
		b = append(b, ch)
	}
	if m, ok := c[string(b)]; ok {
		return m
	}
	if base >= 0 {
		return c[string(b[:base])]
	}
	return nil
}

// DefaultCatalog returns a new copy of the built-in catalog: German
// translations of the four default texts and the German date layout. Add
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
		DefaultDateLayout:         "02.01.2006 15:04",
	},
}
