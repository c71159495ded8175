package app

import (
	"html/template"
	"io"
	"net/http"

	"github.com/sysmaint/sysmaint/adapters/adminui"
)

// adminPrefix is where the maintenance screens live.
const adminPrefix = "/admin/maintenance"

// adminScreens returns sysmaint's admin screens as the helpdesk mounts
// them: the admin is the logged-in user (a maintenance admin by the live
// user record), with their zone and language and their session, kept by
// "kill all"; every form carries the session's ChallengeToken; the lead
// time is saved in helpdesk_settings; the screens come in the helpdesk's
// layout. The handler runs behind requireUser, so anonymous requests
// never reach it.
func (a *App) adminScreens() http.Handler {
	return adminui.New(a.windows, &adminui.Options{
		Admin: func(r *http.Request) (adminui.Admin, bool) {
			c, ok := fromContext(r.Context())
			if !ok {
				return adminui.Admin{}, false
			}
			u := c.user
			return adminui.Admin{Actor: u.Login, Location: a.userLocation(u), Language: u.Language, SessionID: c.session.ID},
				u.MaintenanceAdmin()
		},
		Prefix:   adminPrefix,
		Sessions: a.sessions,
		CSRFToken: func(r *http.Request) string {
			if c, ok := fromContext(r.Context()); ok {
				return c.csrf
			}
			return ""
		},
		CSRFField: tokenField,
		Frame:     a.adminFrame,
		Texts:     a.texts,
		SaveLead:  a.saveLead,
		Logger:    a.log,
		Links:     a.apiLinks(),
	})
}

// adminPage is the data of the layout around an admin screen.
type adminPage struct {
	base
	Head, Body template.HTML
}

// adminFrame renders an admin screen inside the helpdesk's layout, with
// its header, navigation and maintenance banner.
func (a *App) adminFrame(w io.Writer, r *http.Request, s adminui.Screen) error {
	return a.pages.byName["admin"].ExecuteTemplate(w, "layout", adminPage{base: a.baseFor(r, s.Title), Head: s.Head, Body: s.Body})
}
