package adminuitest

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// WaitTimeout bounds Tab.WaitVisible.
const WaitTimeout = 10 * time.Second

// Tab drives one browser tab against a server at BaseURL. Every method
// fails the test at once (t.Fatal) when the browser does not do what it
// is asked; the texts it returns are trimmed.
type Tab struct {
	t testing.TB
	// Ctx is the tab's chromedp context, for actions Tab does not offer.
	Ctx context.Context
	// BaseURL is the server's address, without a trailing slash: Open
	// adds the path to it.
	BaseURL string
}

// NewTab returns the Tab of the chromedp context ctx (from Chrome or
// Isolated) against the server at baseURL.
func NewTab(t testing.TB, ctx context.Context, baseURL string) *Tab {
	return &Tab{t: t, Ctx: ctx, BaseURL: strings.TrimSuffix(baseURL, "/")}
}

// Do runs chromedp actions in the tab.
func (b *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		b.t.Fatalf("adminuitest: on %s: %v", b.Location(), err)
	}
}

// Open loads path (with its query) and waits for the page to load.
func (b *Tab) Open(path string) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(b.BaseURL+path)); err != nil {
		b.t.Fatalf("adminuitest: open %s: %v", path, err)
	}
}

// Reload loads the page again.
func (b *Tab) Reload() {
	b.t.Helper()
	b.Do(chromedp.Reload())
}

// Click clicks the first element matching the CSS selector sel, and does
// not wait for anything.
func (b *Tab) Click(sel string) {
	b.t.Helper()
	b.Do(chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndLoad clicks the first element matching sel and waits for the
// page it leads to.
func (b *Tab) ClickAndLoad(sel string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.Ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.t.Fatalf("adminuitest: click %s and wait for the next page, on %s: %v", sel, b.Location(), err)
	}
}

// Press sends the keys to the focused element (chromedp's kb names, e.g.
// "\t", "\r") and waits for the page the keys lead to when load is true.
func (b *Tab) Press(keys string, load bool) {
	b.t.Helper()
	action := chromedp.KeyEvent(keys)
	if !load {
		b.Do(action)
		return
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.WaitEvent(page.LoadEventFired, nil, action)); err != nil {
		b.t.Fatalf("adminuitest: press %q and wait for the next page, on %s: %v", keys, b.Location(), err)
	}
}

// WaitVisible waits, at most WaitTimeout, until an element matching sel
// is visible, across page loads.
func (b *Tab) WaitVisible(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, WaitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("adminuitest: waiting for %s on %s: %v\npage text:\n%s", sel, b.Location(), err, b.BodyText())
	}
}

// Eval evaluates the JavaScript expression expr in b's page and decodes
// its value.
func Eval[T any](b *Tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("adminuitest: evaluate %s: %v", expr, err)
	}
	return v
}

// JS quotes s as a JavaScript string literal.
func JS(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// BodyText returns the text of the page, cut at 2 000 bytes, for error
// messages; it never fails.
func (b *Tab) BodyText() string {
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return err.Error()
	}
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

// Location returns the URL of the page without the server's address
// (path, query and fragment), or the error when there is none.
func (b *Tab) Location() string {
	loc, err := chromedp.Run(b.Ctx, chromedp.Location())
	if err != nil {
		return err.Error()
	}
	u, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	u.Scheme, u.Host = "", ""
	return u.String()
}

// Path returns the path of the page.
func (b *Tab) Path() string {
	b.t.Helper()
	return Eval[string](b, `location.pathname`)
}

// Exists reports whether the page has an element matching sel. The
// screens are rendered by the server, so once a page has loaded this does
// not wait.
func (b *Tab) Exists(sel string) bool {
	b.t.Helper()
	return Eval[bool](b, `document.querySelector(`+JS(sel)+`) !== null`)
}

// Text returns the text of the first element matching sel; the test fails
// at once when there is none.
func (b *Tab) Text(sel string) string {
	b.t.Helper()
	s := Eval[*string](b, `(() => { const e = document.querySelector(`+JS(sel)+`); return e ? e.innerText : null })()`)
	if s == nil {
		b.t.Fatalf("adminuitest: no %s on %s; page text:\n%s", sel, b.Location(), b.BodyText())
	}
	return strings.TrimSpace(*s)
}

// Texts returns the texts of every element matching sel.
func (b *Tab) Texts(sel string) []string {
	b.t.Helper()
	all := Eval[[]string](b, `[...document.querySelectorAll(`+JS(sel)+`)].map(e => e.innerText)`)
	for i := range all {
		all[i] = strings.TrimSpace(all[i])
	}
	return all
}

// Count returns how many elements match sel.
func (b *Tab) Count(sel string) int {
	b.t.Helper()
	return Eval[int](b, `document.querySelectorAll(`+JS(sel)+`).length`)
}

// Number returns the first integer in the text of the element matching
// sel.
func (b *Tab) Number(sel string) int {
	b.t.Helper()
	s := b.Text(sel)
	m := regexp.MustCompile(`\d+`).FindString(s)
	n, err := strconv.Atoi(m)
	if err != nil {
		b.t.Fatalf("adminuitest: %s holds no number but %q", sel, s)
	}
	return n
}

// Attr returns the attribute name of the element with the given id, and
// whether it has it.
func (b *Tab) Attr(id, name string) (string, bool) {
	b.t.Helper()
	v := Eval[*string](b, `(() => { const e = document.getElementById(`+JS(id)+`); return e ? e.getAttribute(`+JS(name)+`) : null })()`)
	if v == nil {
		return "", false
	}
	return *v, true
}

// Value returns the value of the form field with the given id.
func (b *Tab) Value(id string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.t.Fatalf("adminuitest: value of #%s on %s: %v", id, b.Location(), err)
	}
	return v
}

// HasClass reports whether the element with the given id has the class.
func (b *Tab) HasClass(id, class string) bool {
	b.t.Helper()
	return Eval[bool](b, `(() => { const e = document.getElementById(`+JS(id)+`); return !!e && e.classList.contains(`+JS(class)+`) })()`)
}

// Focused returns the id of the element that has the focus ("" for none).
func (b *Tab) Focused() string {
	b.t.Helper()
	return Eval[string](b, `document.activeElement ? document.activeElement.id : ""`)
}

// Usable reports whether the element with the given id is there, enabled
// and displayed.
func (b *Tab) Usable(id string) bool {
	b.t.Helper()
	return Eval[bool](b, `(() => {
		const e = document.getElementById(`+JS(id)+`);
		return !!e && !e.disabled && e.getClientRects().length > 0;
	})()`)
}

// Label returns the visible label of a button or a link.
func (b *Tab) Label(id string) string {
	b.t.Helper()
	return strings.TrimSpace(Eval[string](b, `(() => {
		const e = document.getElementById(`+JS(id)+`);
		return e ? (e.innerText || e.value || "") : "";
	})()`))
}

// SetValue sets a form field and fires its input and change events. For
// a long text it is much faster than typing, and it is not cut at a
// maxlength, so the server's limit is what is tested. (chromedp.SetValue
// cannot clear a field: it passes "" to the page as undefined.)
func (b *Tab) SetValue(id, v string) {
	b.t.Helper()
	got := Eval[*string](b, `(() => {
		const e = document.getElementById(`+JS(id)+`);
		if (!e) return null;
		e.value = `+JS(v)+`;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return e.value;
	})()`)
	if got == nil {
		b.t.Fatalf("adminuitest: no #%s on %s", id, b.Location())
	}
	if *got != v {
		b.t.Fatalf("adminuitest: #%s took %q, not %q", id, *got, v)
	}
}

// SetChecked ticks or clears the checkbox with the given id.
func (b *Tab) SetChecked(id string, on bool) {
	b.t.Helper()
	ok := Eval[bool](b, `(() => {
		const e = document.getElementById(`+JS(id)+`);
		if (!e) return false;
		e.checked = `+strconv.FormatBool(on)+`;
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	if !ok {
		b.t.Fatalf("adminuitest: no #%s on %s", id, b.Location())
	}
}

// SetDate sets the five selects of the date field prefix (StartDate or
// StopDate of the window form) to the wall clock of at, by number,
// whether the options are zero-padded or not. Pass at in the admin's zone.
func (b *Tab) SetDate(prefix string, at time.Time) {
	b.t.Helper()
	parts := []struct {
		suffix string
		n      int
	}{
		{"Year", at.Year()}, {"Month", int(at.Month())}, {"Day", at.Day()},
		{"Hour", at.Hour()}, {"Minute", at.Minute()},
	}
	for _, p := range parts {
		id := prefix + p.suffix
		ok := Eval[bool](b, `(() => {
			const s = document.getElementById(`+JS(id)+`);
			if (!s) return false;
			for (const o of s.options) {
				if (parseInt(o.value, 10) === `+strconv.Itoa(p.n)+`) {
					s.value = o.value;
					s.dispatchEvent(new Event("change", {bubbles: true}));
					return true;
				}
			}
			return false;
		})()`)
		if !ok {
			b.t.Fatalf("adminuitest: #%s has no option %d", id, p.n)
		}
	}
}

// Date reads the five selects of the date field prefix as a wall clock,
// returned in loc.
func (b *Tab) Date(prefix string, loc *time.Location) time.Time {
	b.t.Helper()
	n := func(suffix string) int {
		v := b.Value(prefix + suffix)
		i, err := strconv.Atoi(v)
		if err != nil {
			b.t.Fatalf("adminuitest: #%s%s = %q", prefix, suffix, v)
		}
		return i
	}
	return time.Date(n("Year"), time.Month(n("Month")), n("Day"), n("Hour"), n("Minute"), 0, 0, loc)
}

// Breadcrumb returns the texts of the breadcrumb's items.
func (b *Tab) Breadcrumb() []string {
	b.t.Helper()
	return b.Texts(".SysmaintAdmin .BreadCrumb li")
}

// Messages returns the texts of the screen's message boxes of the class
// ("Notice", "Error" or "Warning").
func (b *Tab) Messages(class string) []string {
	b.t.Helper()
	return b.Texts(".SysmaintAdmin .MessageBox." + class + " p:first-child")
}

// FieldError returns the message shown next to the field of the window
// form (Comment, StartDate, ...), "" when it has none.
func (b *Tab) FieldError(field string) string {
	b.t.Helper()
	if !b.Exists("#" + field + "ServerError") {
		return ""
	}
	return b.Text("#" + field + "ServerError")
}

// WindowID returns the ID of the overview's row whose comment is comment,
// from the link of its start cell, or 0 when no row has it.
func (b *Tab) WindowID(comment string) int64 {
	b.t.Helper()
	href := Eval[string](b, `(() => {
		for (const r of document.querySelectorAll("#SystemMaintenances tbody tr")) {
			if (r.cells.length > 2 && r.cells[2].innerText.trim() === `+JS(comment)+`) {
				const a = r.cells[0].querySelector("a");
				return a ? a.getAttribute("href") : "";
			}
		}
		return "";
	})()`)
	m := regexp.MustCompile(`/(\d+)$`).FindStringSubmatch(href)
	if m == nil {
		return 0
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// Comments returns the comments of the overview's visible rows, in order.
func (b *Tab) Comments() []string {
	b.t.Helper()
	return Eval[[]string](b, `[...document.querySelectorAll("#SystemMaintenances tbody tr")]
		.filter(r => r.getClientRects().length > 0 && r.cells.length > 2)
		.map(r => r.cells[2].innerText.trim())`)
}

// Screenshot writes a full-page PNG of the tab (see the package
// Screenshot).
func (b *Tab) Screenshot(name string) {
	b.t.Helper()
	Screenshot(b.t, b.Ctx, name)
}

// FormFields are the IDs of the window form's fields and buttons
// (Znuny's).
var FormFields = []string{
	"StartDateDay", "StartDateMonth", "StartDateYear", "StartDateHour", "StartDateMinute",
	"StopDateDay", "StopDateMonth", "StopDateYear", "StopDateHour", "StopDateMinute",
	"Comment", "LoginMessage", "ShowLoginMessage", "NotifyMessage", "ValidID",
	"Submit", "SubmitAndContinue", "Cancel",
}
