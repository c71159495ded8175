// Package adminui is sysmaint's admin screens as one http.Handler that any
// host mounts: the overview of the maintenance windows (filtered by
// validity and state, a page at a time), the forms that schedule and edit
// a window, deleting one, the notice lead time, and, when the host gives
// its session.Manager, the sessions (counters, list, kill one, kill all
// except your own). They follow Znuny's "System Maintenance" screens, with
// its element IDs, and need no JavaScript.
//
//	ui := adminui.New(manager, &adminui.Options{
//		Admin: func(r *http.Request) (adminui.Admin, bool) {
//			u, ok := currentUser(r) // the host's own login
//			return adminui.Admin{Actor: u.Login, Location: u.Zone, Language: u.Lang, SessionID: u.SessionID},
//				ok && u.IsMaintenanceAdmin
//		},
//		Sessions:  sessions,                  // optional
//		CSRFToken: func(r *http.Request) string { return csrfTokenOf(r) }, // optional
//	})
//	mux.Handle("/admin/maintenance/", ui) // Options.Prefix + "/", not stripped
//
// # Mounting
//
// The screens live under Options.Prefix ("/admin/maintenance" by default):
// the overview at Prefix+"/", a window at Prefix+"/{id}", its deletion at
// Prefix+"/{id}/delete", skipping one of its occurrences at
// Prefix+"/{id}/skip", static files under Prefix+"/static/". Mount the
// handler at Prefix+"/" as it is, without http.StripPrefix: every link and
// redirect it writes starts with the prefix, so the prefix is said once,
// in Options. A request for Prefix itself is redirected to Prefix+"/".
//
// # Who is the admin
//
// The host keeps its users and its login. Options.Admin says whether a
// request may use the screens and who makes it: the actor recorded in
// CreatedBy and ChangedBy, the time zone, the language, and the ID of the
// request's session, which "kill all sessions except your own" keeps: it
// is taken from the host, never from the form. A request Admin refuses is
// answered by Options.Forbidden (a 403 page by default) before anything
// else happens.
//
// # Security
//
// Every unsafe request (any method but GET, HEAD and OPTIONS) passes
// http.CrossOriginProtection, and, when Options.CSRFToken is set, must post
// the token of the host's session, compared in constant time; every form
// of the screens carries it. Every request body is capped at MaxBody
// (413); a malformed form is 400. Every text is rendered by html/template,
// so nothing a window holds becomes markup. Pages are sent with
// Cache-Control: no-store and, unless the host set one, a strict
// Content-Security-Policy (the screens need only their own script and
// style sheet). Unknown paths and window IDs are 404 pages, never 500s.
//
// # Page frame
//
// Each screen is rendered on its own and handed to Options.Frame, which
// writes the host's page around it (TemplateFrame makes one from a
// template); the default is a plain page. The screens' style sheet is
// scoped to the class SysmaintAdmin, so it changes nothing of the host's
// layout.
//
// # Time
//
// Dates are shown and parsed in the admin's zone, every one labelled with
// the zone's abbreviation. The forms show a date to the minute and carry
// each date's exact instant in a hidden field, so opening and saving a
// window never moves it ([ParseWindowForm]). A local time that a
// daylight-saving change skips or repeats is a field error, never shifted.
// "Now" (the new form's default, a window's state) comes from the
// Manager's clock.
//
// # Repeating windows
//
// The window form's "Repeat" fields make a window recur ([ParseWindowForm]):
// weekly on chosen days, monthly on the n-th weekday or on a day of the
// month, every N weeks or months, ending never, after a date or after a
// number of occurrences; a rule made elsewhere that these cannot say is
// shown, and kept, as its RFC 5545 RRULE. The rule runs in the admin's
// zone, which must then have an IANA name (a fixed offset cannot repeat:
// the choices are disabled and a post is refused with a field error); a
// stored window keeps its own zone. The start is the first occurrence on
// or after the chosen start date; a start time that a daylight-saving
// change skips or repeats is a field error, as for any window, and later
// occurrences follow RFC 5545 (the form says so). "Show the next
// occurrences" shows the form again with the next five occurrences in the
// admin's zone and writes nothing; saving edits the whole series and
// keeps the occurrences skipped that are still occurrences, except that
// other times or another repetition for a series that has begun apply
// from its next occurrence on, as a window of its own, so that the
// occurrences that have happened stay as they were
// (maintenance.Manager.UpdateFollowing, from maintenance.Window.From). The edit
// screen lists the next occurrences of a stored recurring window, each
// with a button that skips it (POST Prefix+"/{id}/skip", with the token
// and the version, maintenance.Manager.SkipOccurrence); the overview says
// how a window repeats and when it next happens. The form needs no
// script: the script only hides the options of the repetitions not
// chosen.
//
// # Languages
//
// Every text, date layout included, passes through Options.Translator
// with Admin.Language: the notify.Translator hook that notify's texts use
// too. [DefaultCatalog] holds English and German.
//
// # Errors
//
// Every problem of a submitted form is shown next to its field, tied to it
// with aria-describedby and aria-invalid, listed in a summary at the top
// with links to the fields, and the admin's input is kept. A form saved
// from a stale version is answered 409 with the input kept and a link to
// the current version; nothing is overwritten.
//
// # Paging
//
// The overview reads one page through maintenance.Manager.ListPage. With a
// store that implements maintenance.PageLister (sqlstore, pgstore,
// memstore) that is one indexed query of one page, so the time and the
// size of a page do not grow with the windows before or after it; other
// stores are read whole and paged in memory. The links to the first,
// previous, next and last pages keep the filter.
//
// # Static files
//
// The style sheet and the script are embedded and served under names that
// hold a hash of their content (adminui.<hash>.css), with an ETag and
// Cache-Control: public, max-age=31536000, immutable. Any other path
// under static/ is a 404 page: there is no listing.
//
// # Tests
//
// Package adminuitest drives the screens in a headless Chromium, for the
// package's own tests and for hosts that want to test their mount.
package adminui
