package adminui

import (
	"errors"
	"net/http"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

type sessionRow struct {
	ID, Short, User string
	Own             bool
}

type sessionTable struct {
	ID, Heading string
	Rows        []sessionRow
}

type sessionsView struct {
	view
	Counts             session.Counts
	KillURL, KillAll   string
	Agents, Customers  sessionTable
	WindowID           int64
	KillAllDisabledMsg string
}

// sessionsView is the "Manage Sessions" part of the edit screen of window
// id: the counters and the sessions of both kinds, from one read.
func (h *handler) sessionsView(r *http.Request, v view, id int64) (*sessionsView, error) {
	ov, err := h.o.Sessions.Overview(r.Context())
	if err != nil {
		return nil, err
	}
	own := adminOf(r).SessionID
	rows := func(ss []session.Session) []sessionRow {
		out := make([]sessionRow, 0, len(ss))
		for _, s := range ss {
			out = append(out, sessionRow{ID: s.ID, Short: truncate(12, s.ID), User: s.UserFullName + " (" + s.UserLogin + ")", Own: own != "" && s.ID == own})
		}
		return out
	}
	base := h.windowURL(id) + "/sessions/"
	sv := &sessionsView{view: v, Counts: ov.Counts, KillURL: base + "kill", KillAll: base + "killall", WindowID: id,
		Agents:    sessionTable{ID: "AgentSessions", Heading: v.T(labelAgentSessions), Rows: rows(ov.Agents)},
		Customers: sessionTable{ID: "CustomerSessions", Heading: v.T(labelCustomerSessions), Rows: rows(ov.Customers)},
	}
	if own == "" {
		sv.KillAllDisabledMsg = v.T(msgNoOwnSession)
	}
	return sv, nil
}

// killPost ends one session (possibly the admin's own) and goes back to
// the edit screen, which says what happened.
func (h *handler) killPost(w http.ResponseWriter, r *http.Request) {
	if h.o.Sessions == nil {
		h.status(w, r, http.StatusNotFound, msgPageNotFound)
		return
	}
	win, ok := h.window(w, r)
	if !ok {
		return
	}
	sid := r.PostForm.Get(formWantSessionID)
	if sid == "" {
		h.renderStored(w, r, http.StatusBadRequest, win.ID, msgKillNone)
		return
	}
	err := h.o.Sessions.Kill(r.Context(), sid)
	if errors.Is(err, session.ErrNotFound) {
		h.renderStored(w, r, http.StatusNotFound, win.ID, msgKillGone)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	a := adminOf(r)
	h.log.Info("adminui: session killed", "by", a.Actor, "own", a.SessionID != "" && sid == a.SessionID)
	http.Redirect(w, r, h.windowURL(win.ID)+"?Kill=1", http.StatusSeeOther)
}

// killAllPost ends every session except the admin's own, which comes from
// Options.Admin (the server's idea of this request's session), never from
// the form. Without one it kills nothing.
func (h *handler) killAllPost(w http.ResponseWriter, r *http.Request) {
	if h.o.Sessions == nil {
		h.status(w, r, http.StatusNotFound, msgPageNotFound)
		return
	}
	win, ok := h.window(w, r)
	if !ok {
		return
	}
	a := adminOf(r)
	n, err := h.o.Sessions.KillAllExcept(r.Context(), a.SessionID)
	if errors.Is(err, session.ErrNoOwnSession) || errors.Is(err, session.ErrNotFound) {
		h.renderStored(w, r, http.StatusConflict, win.ID, msgNoOwnSession)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.log.Info("adminui: sessions killed", "count", n, "by", a.Actor)
	http.Redirect(w, r, h.windowURL(win.ID)+"?KillAll=1", http.StatusSeeOther)
}

// renderStored shows the edit screen of window id as stored, with msg as
// its error, answered with status.
func (h *handler) renderStored(w http.ResponseWriter, r *http.Request, status int, id int64, msg string) {
	win, err := h.m.Get(r.Context(), id)
	if errors.Is(err, maintenance.ErrNotFound) {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.renderForm(w, r, status, id, FormatWindowForm(win, adminOf(r).location()), FormErrors{Message: msg}, &win, nil)
}
