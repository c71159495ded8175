package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

const msgTooLarge = "The request is too large: a form may send at most 64 KiB. Nothing was saved."

// postRoutes are every route that takes a form, with the fields it needs
// besides the ChallengeToken, and a path no route serves.
func postRoutes(id string) []struct{ path, fields string } {
	w := "/admin/maintenance/" + id
	return []struct{ path, fields string }{
		{"/login", "User=admin&Password=admin-demo"},
		{"/customer/login", "User=customer&Password=customer-demo"},
		{"/logout", ""},
		{"/admin/maintenance/new", "Comment=x"},
		{"/admin/maintenance/lead", "LeadMinutes=5"},
		{w, "Comment=x"},
		{w + "/delete", ""},
		{w + "/sessions/kill", "WantSessionID=x"},
		{w + "/sessions/killall", ""},
		{"/no/such/route", ""},
	}
}

// TestBodyCap: every form over the cap is answered 413 with a page that
// says so, whether the body announces its length or streams it (chunked),
// before any handler reads the form: the login, the login gate's identify
// step during maintenance, and every page behind the ChallengeToken.
func TestBodyCap(t *testing.T) {
	bodies := []struct {
		name    string
		chunked bool
		size    int
	}{
		{"10 MB with Content-Length", false, 10 << 20},
		{"10 MB chunked", true, 10 << 20},
		{"one byte over, chunked", true, 64<<10 + 1},
	}
	for _, during := range []bool{false, true} {
		for _, b := range bodies {
			name := b.name
			if during {
				name += ", during maintenance"
			}
			t.Run(name, func(t *testing.T) {
				h := newHarness(t)
				admin := h.login("admin")
				win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
				if during {
					h.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
				}
				before, sessions := h.windows(), h.sessions()
				for _, r := range postRoutes(strconv.FormatInt(win.ID, 10)) {
					prefix := "ChallengeToken=" + admin.token + "&" + r.fields + "&Pad="
					body := io.MultiReader(strings.NewReader(prefix), io.LimitReader(zeros{}, int64(b.size-len(prefix))))
					req, err := http.NewRequest(http.MethodPost, h.srv.URL+r.path, body)
					require.NoError(t, err)
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					if !b.chunked {
						req.ContentLength = int64(b.size)
					}
					p := admin.do(req)
					assert.Equal(t, http.StatusRequestEntityTooLarge, p.status, r.path)
					assert.Equal(t, msgTooLarge, statusMessage(p.body), r.path)
				}
				assert.Equal(t, before, h.windows(), "nothing written")
				assert.Equal(t, sessions, h.sessions(), "no session added or killed")
				assert.Equal(t, maintenance.DefaultLead, h.app.Manager().Lead())
			})
		}
	}

	t.Run("just under the cap is read", func(t *testing.T) {
		h := newHarness(t)
		pad := strings.Repeat("x", 60<<10)
		p := h.client().post("/login", url.Values{"User": {"agent"}, "Password": {"agent-demo"}, "Pad": {pad}})
		assert.Equal(t, http.StatusSeeOther, p.status)

		admin := h.login("admin")
		f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: pad, Validity: maintenance.Valid})
		p = admin.postT("/admin/maintenance/new", f)
		assert.Equal(t, http.StatusUnprocessableEntity, p.status, "the form's own limit answers")
		text, _ := textOf(p.body, "CommentServerError")
		assert.Equal(t, "This field must have at most 250 characters.", text)
	})

	t.Run("a malformed form is 400, not a missing token", func(t *testing.T) {
		h := newHarness(t)
		admin := h.login("admin")
		req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/admin/maintenance/lead",
			strings.NewReader("ChallengeToken="+admin.token+"&LeadMinutes=%zz"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p := admin.do(req)
		assert.Equal(t, http.StatusBadRequest, p.status)
		assert.Equal(t, maintenance.DefaultLead, h.app.Manager().Lead())
	})
}

// TestLogin_UserAgentBounded: the User-Agent a session keeps is cut to 512
// bytes on a character boundary, and made valid UTF-8.
func TestLogin_UserAgentBounded(t *testing.T) {
	tests := []struct {
		name, ua, want string
	}{
		{"short", "Mozilla/5.0", "Mozilla/5.0"},
		{"900 KB", strings.Repeat("A", 900<<10), strings.Repeat("A", 512)},
		{"cut inside a character", strings.Repeat("a", 511) + "é" + "zzz", strings.Repeat("a", 511)},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			p := h.client().post("/login", url.Values{"User": {"agent"}, "Password": {"agent-demo"}}, "User-Agent", tt.ua)
			require.Equal(t, http.StatusSeeOther, p.status, p.body)
			ss := h.sessions()
			require.Len(t, ss, 1)
			assert.Equal(t, tt.want, ss[0].UserAgent)
		})
	}
}

// zeros reads '0' bytes forever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
