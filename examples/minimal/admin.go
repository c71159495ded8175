package main

import (
	"crypto/subtle"
	"net/http"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
)

// adminCookie holds the demo token in the browser of whoever opened the
// login link.
const adminCookie = "minimal-admin"

// mountAdmin adds sysmaint's admin screens at /admin/maintenance/, for
// whoever holds token: /admin/login?token=... puts it into a cookie (sent
// to /admin/ only, HttpOnly, SameSite=Strict) and goes to the screens.
// That is all a host needs: who the admin is, and where to mount.
func mountAdmin(mux *http.ServeMux, m *maintenance.Manager, token string) {
	mux.HandleFunc("GET /admin/login", func(w http.ResponseWriter, r *http.Request) {
		if !sameToken(r.URL.Query().Get("token"), token) {
			http.Error(w, "wrong or missing token", http.StatusForbidden)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: token, Path: "/admin/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		http.Redirect(w, r, "/admin/maintenance/", http.StatusSeeOther)
	})
	mux.Handle("/admin/maintenance/", adminui.New(m, &adminui.Options{
		Admin: func(r *http.Request) (adminui.Admin, bool) {
			return adminui.Admin{Actor: "demo-admin"}, isAdmin(r, token)
		},
	}))
}

// isAdmin reports whether r carries the demo token in its cookie.
func isAdmin(r *http.Request, token string) bool {
	c, err := r.Cookie(adminCookie)
	return err == nil && sameToken(c.Value, token)
}

// sameToken compares in constant time.
func sameToken(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
