package adminui_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// TestGerman: an admin reading German gets every screen in German, with
// German dates in the zone, and lang="de".
func TestGerman(t *testing.T) {
	h := newHarness(t)
	c := h.as("dieter") // Europe/Berlin, de-DE
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour+1500*time.Millisecond), func(w *maintenance.Window) { w.Validity = maintenance.InvalidTemporarily })

	p := c.get(prefix + "/")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `<html lang="de">`)
	assert.Equal(t, []string{"Systemwartungs-Verwaltung"}, breadcrumb(p.body))
	note, _ := textOf(p.body, "TimeZoneNote")
	assert.Equal(t, "Zeiten in Europe/Berlin", note)
	row := rowWith(p.body, "test window")
	assert.Contains(t, row, ">24.11.2026 12:00:00 CET</a>")
	assert.Contains(t, row, "<td>24.11.2026 13:00:01,5 CET</td>")
	assert.Contains(t, row, "<td>ungültig-temporär</td>")
	assert.Contains(t, row, ">geplant<")
	assert.Contains(t, p.body, `<th scope="col">Startdatum</th>`)

	f := windowForm(win)
	f.Set("Comment", "")
	f.Set("StopDateDay", "xx")
	p = c.postT(windowPath(win.ID), f)
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	msg, _ := textOf(p.body, "CommentServerError")
	assert.Equal(t, "Dieses Feld wird benötigt.", msg)
	msg, _ = textOf(p.body, "StopDateServerError")
	assert.Equal(t, "Datum ungültig!", msg)
	assert.Contains(t, p.body, "Bitte korrigieren Sie die markierten Felder:")
	assert.Contains(t, p.body, `<label for="StartDateDay">Tag</label>`)

	p = c.get(windowPath(win.ID))
	up, _ := textOf(p.body, "PreviewUpcoming")
	assert.Contains(t, up, "24.11.2026 12:00:00 CET", "notify's German layout, in the zone, to the second")
	assert.NotContains(t, up, "A system maintenance", "notify's text in German")

	p = c.postT(prefix+"/lead", url.Values{"LeadMinutes": {"0"}})
	msg, _ = textOf(p.body, "LeadMinutesServerError")
	assert.Equal(t, "Die Vorlaufzeit muss eine ganze Zahl von Minuten von 1 bis 527040 sein.", msg)
	p = c.get(prefix + "/999")
	assert.Equal(t, "Diese Systemwartung gibt es nicht.", statusMessage(p.body))

	// A language the catalog does not hold is English.
	h.admins["francois"] = &adminui.Admin{Actor: "francois", Language: "fr-CH, fr;q=0.9"}
	p = h.as("francois").get(prefix + "/")
	assert.Contains(t, p.body, `<html lang="en">`)
	assert.Equal(t, []string{"System Maintenance Management"}, breadcrumb(p.body))
	// An Accept-Language that prefers German is German.
	h.admins["mixed"] = &adminui.Admin{Actor: "mixed", Language: "fr-CH, de;q=0.9"}
	assert.Contains(t, h.as("mixed").get(prefix+"/").body, `<html lang="de">`)
}

// TestTranslator: a host's own Translator is asked for every text.
func TestTranslator(t *testing.T) {
	asked := map[string]bool{}
	h := newHarness(t, func(o *adminui.Options) {
		o.Translator = notify.TranslatorFunc(func(lang, text string) string {
			asked[text] = true
			if lang == "x-upper" && !strings.Contains(text, "2006") {
				return strings.ToUpper(text)
			}
			return text
		})
	})
	h.admins["upper"] = &adminui.Admin{Actor: "upper", Language: "x-upper"}
	p := h.as("upper").get(prefix + "/")
	assert.Equal(t, []string{"SYSTEM MAINTENANCE MANAGEMENT"}, breadcrumb(p.body))
	assert.True(t, asked["2006-01-02 15:04:05.999 MST"], "the date layout is asked for")
}

// TestDefaultCatalog_German: every English text of the screens (the
// templates' and the package's constants) has a German translation, and
// the catalog keeps notify's German too.
func TestDefaultCatalog_German(t *testing.T) {
	de := adminui.DefaultCatalog()["de"]
	require.NotNil(t, de)
	var texts []string

	files, err := filepath.Glob("templates/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	call := regexp.MustCompile(`(?:\.|\$\.|\$v\.)Tf? "([^"]*)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			texts = append(texts, m[1])
		}
	}
	require.Greater(t, len(texts), 40, "the templates' texts were found")

	// The string constants of the package whose names say they are texts.
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	consts := 0
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok || len(vs.Values) != len(vs.Names) {
					return true
				}
				for i, name := range vs.Names {
					if !regexp.MustCompile(`^(msg|Msg|title|label)[A-Z]|TimeLayout$`).MatchString(name.Name) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					s, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					texts = append(texts, s)
					consts++
				}
				return true
			})
		}
	}
	require.Greater(t, consts, 40, "the package's texts were found")
	texts = append(texts, "valid", "invalid", "invalid-temporarily", "planned", "active", "finished", "en")
	for _, s := range texts {
		tr, ok := de[s]
		if assert.True(t, ok, "no German for %q", s) {
			assert.NotEmpty(t, tr, s)
			assert.Equal(t, strings.Count(s, "%s"), strings.Count(tr, "%s"), "%q and %q hold as many %%s", s, tr)
		}
	}
	for k, v := range notify.DefaultCatalog()["de"] {
		assert.Equal(t, v, de[k], "notify's German of %q is kept", k)
	}
	other := adminui.DefaultCatalog()
	other["de"]["Save"] = "changed"
	assert.Equal(t, "Speichern", adminui.DefaultCatalog()["de"]["Save"], "each call returns a copy")
}
