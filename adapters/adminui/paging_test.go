package adminui_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
)

// comments returns the comments of the overview's rows, in order.
func comments(body string) []string {
	out := []string{}
	for _, r := range rowsOf(body, "SystemMaintenances") {
		m := regexp.MustCompile(`(?s)</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>`).FindStringSubmatch(r)
		if m != nil {
			out = append(out, html.UnescapeString(m[1]))
		}
	}
	return out
}

// link returns the href of the element id, "" when there is none.
func link(body, id string) string {
	href, _ := attr(body, id, "href")
	return href
}

// TestOverview_Paging walks 23 windows five at a time, forward from the
// first page and backward from the last, through the links of the pages.
func TestOverview_Paging(t *testing.T) {
	h := newHarness(t, func(o *adminui.Options) { o.PageSize = 5 })
	var want []string
	for i := range 23 {
		// Two windows per start, added out of order: the order is start, then ID.
		start := day.Add(time.Duration(i/2)*time.Hour - 5*time.Hour)
		h.addWindow(start, start.Add(30*time.Minute), func(w *maintenance.Window) { w.Comment = fmt.Sprintf("w%02d", i) })
		want = append(want, fmt.Sprintf("w%02d", i))
	}
	c := h.as("alice")

	var got []string
	p := c.get(prefix + "/")
	for pages := 1; ; pages++ {
		require.Equal(t, http.StatusOK, p.status)
		got = append(got, comments(p.body)...)
		if pages == 1 {
			assert.Empty(t, link(p.body, "PagePrev"), "no previous page before the first")
			assert.Empty(t, link(p.body, "PageFirst"))
		} else {
			assert.Equal(t, prefix+"/", link(p.body, "PageFirst"))
			assert.NotEmpty(t, link(p.body, "PagePrev"))
		}
		next := link(p.body, "PageNext")
		if next == "" {
			assert.Equal(t, 5, pages)
			assert.Empty(t, link(p.body, "PageLast"), "no last page link on the last page")
			break
		}
		assert.Equal(t, prefix+"/?before=", link(p.body, "PageLast"))
		require.Less(t, pages, 10, "the walk ends")
		p = c.get(html.UnescapeString(next))
	}
	assert.Equal(t, want, got, "forward: every window once, by start then ID")

	got = nil
	p = c.get(prefix + "/?before=")
	for pages := 1; ; pages++ {
		require.Equal(t, http.StatusOK, p.status)
		got = append(comments(p.body), got...)
		prev := link(p.body, "PagePrev")
		if prev == "" {
			assert.Equal(t, 5, pages)
			break
		}
		require.Less(t, pages, 10)
		p = c.get(html.UnescapeString(prev))
	}
	assert.Equal(t, want, got, "backward: every window once")
	assert.Equal(t, []string{"w18", "w19", "w20", "w21", "w22"}, comments(c.get(prefix+"/?before=").body), "the last page holds the last five windows")
}

// TestOverview_Filter: the filters select by validity and by state now,
// the paging links keep them, and what cannot be read is said and
// ignored.
func TestOverview_Filter(t *testing.T) {
	h := newHarness(t, func(o *adminui.Options) { o.PageSize = 2 })
	add := func(comment string, start time.Time, v maintenance.Validity) {
		h.addWindow(start, start.Add(time.Hour), func(w *maintenance.Window) { w.Comment, w.Validity = comment, v })
	}
	add("past valid", day.Add(-48*time.Hour), maintenance.Valid)
	add("past invalid", day.Add(-47*time.Hour), maintenance.Invalid)
	add("active valid", day.Add(-30*time.Minute), maintenance.Valid)
	add("active temp", day.Add(-20*time.Minute), maintenance.InvalidTemporarily)
	add("planned valid", day.Add(time.Hour), maintenance.Valid)
	add("planned valid 2", day.Add(2*time.Hour), maintenance.Valid)
	add("planned valid 3", day.Add(3*time.Hour), maintenance.Valid)
	c := h.as("alice")

	all := func(q string) []string {
		var out []string
		p := c.get(prefix + "/?" + q)
		for range 10 {
			require.Equal(t, http.StatusOK, p.status, q)
			out = append(out, comments(p.body)...)
			next := link(p.body, "PageNext")
			if next == "" {
				return out
			}
			u, err := url.Parse(html.UnescapeString(next))
			require.NoError(t, err)
			for k := range url.Values(mustQuery(t, q)) {
				assert.Equal(t, mustQuery(t, q)[k], u.Query()[k], "the next link keeps %s", k)
			}
			p = c.get(u.String())
		}
		t.Fatal("too many pages")
		return nil
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"past valid", "past invalid", "active valid", "active temp", "planned valid", "planned valid 2", "planned valid 3"}},
		{"validity=valid", []string{"past valid", "active valid", "planned valid", "planned valid 2", "planned valid 3"}},
		{"validity=invalid&validity=invalid-temporarily", []string{"past invalid", "active temp"}},
		{"state=active", []string{"active valid", "active temp"}},
		{"state=planned&state=active", []string{"active valid", "active temp", "planned valid", "planned valid 2", "planned valid 3"}},
		{"state=finished", []string{"past valid", "past invalid"}},
		{"state=active&validity=valid", []string{"active valid"}},
		{"state=finished&validity=invalid-temporarily", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			assert.Equal(t, tt.want, all(tt.query))
			p := c.get(prefix + "/?" + tt.query)
			for k, vs := range mustQuery(t, tt.query) {
				for _, v := range vs {
					id := "FilterValidity-" + v
					if k == "state" {
						id = "FilterState-" + v
					}
					_, checked := attr(p.body, id, "checked")
					assert.True(t, checked, "%s is checked", id)
				}
			}
			_, reset := attr(p.body, "ResetFilter", "href")
			assert.Equal(t, tt.query != "", reset, "a filtered page links to the whole list")
		})
	}

	// Time moves on: "active" follows the clock.
	h.clock.Add(2 * time.Hour)
	assert.Equal(t, []string{"planned valid 2"}, all("state=active"))

	for _, q := range []string{"validity=bogus", "state=soon", "after=12", "after=1.x", "before=1.-5", "after=01.1", "after=1.1&before=1.1",
		"after=" + strings.Repeat("9", 50) + ".1"} {
		p := c.get(prefix + "/?" + q)
		assert.Equal(t, http.StatusBadRequest, p.status, q)
		assert.Len(t, messages(p.body, "Error"), 1, q)
		assert.True(t, strings.HasPrefix(messages(p.body, "Error")[0], "Ignored what the overview cannot read: "), q)
		assert.Equal(t, []string{"past valid", "past invalid"}, comments(p.body), "%s: the first page, the bad part ignored", q)
	}
}

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	require.NoError(t, err)
	return v
}
