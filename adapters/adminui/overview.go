package adminui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// The layouts of the overview's dates, in the admin's zone: with the
// zone's abbreviation (or offset), and the milliseconds when there are
// any, so a bound is never shown rounded. Translated like a text.
const overviewTimeLayout = "2006-01-02 15:04:05.999 MST"

// The overview's query parameters.
const (
	paramValidity = "validity"
	paramState    = "state"
	paramAfter    = "after"
	paramBefore   = "before"
	paramNote     = "Notification"
)

// states are the states the overview filters by, in display order.
var states = []maintenance.State{maintenance.Planned, maintenance.Active, maintenance.Finished}

type overviewRow struct {
	ID                             int64
	EditURL, DeleteURL, DeleteAria string
	Start, Stop, Comment           string
	Validity, State, StateClass    string
	Invalid                        bool
	// Repeats says how a recurring window repeats, Next its next
	// occurrence (or the one in progress); empty for a window that
	// happens once.
	Repeats, Next string
}

type filterOption struct {
	Value, Label string
	Checked      bool
}

type overviewView struct {
	view
	// Zone names the time zone of the dates.
	Zone string
	Rows []overviewRow
	// Filtered reports whether a filter is set.
	Filtered                         bool
	ValidityFilter, StateFilter      []filterOption
	FirstURL, PrevURL, NextURL       string
	LastURL, NewURL                  string
	LeadMinutes, LeadError, LeadHint string
	LeadMax                          int64
	// DeleteAsk and DeleteLabel are the delete buttons' texts, translated
	// once for every row.
	DeleteAsk, DeleteLabel string
	// Links are Options.Links.
	Links []Link
}

// filter is the overview's filter, as parsed from its query.
type filter struct {
	validity []maintenance.Validity
	states   []maintenance.State
}

// query returns the filter as URL parameters.
func (f filter) query() url.Values {
	q := url.Values{}
	for _, v := range f.validity {
		q.Add(paramValidity, v.String())
	}
	for _, s := range f.states {
		q.Add(paramState, s.String())
	}
	return q
}

// parseOverviewQuery reads the filter and the cursor of the overview.
// What it cannot read it reports in bad (the parameter and the value) and
// leaves out.
func parseOverviewQuery(q url.Values) (f filter, c *maintenance.Position, backward bool, bad []string) {
	for _, s := range q[paramValidity] {
		v, err := maintenance.ParseValidity(s)
		switch {
		case err != nil:
			bad = append(bad, paramValidity+"="+clip(s, 40))
		case !slices.Contains(f.validity, v):
			f.validity = append(f.validity, v)
		}
	}
	for _, s := range q[paramState] {
		i := slices.IndexFunc(states, func(st maintenance.State) bool { return st.String() == s })
		switch {
		case i < 0:
			bad = append(bad, paramState+"="+clip(s, 40))
		case !slices.Contains(f.states, states[i]):
			f.states = append(f.states, states[i])
		}
	}
	after, before := q[paramAfter], q[paramBefore]
	switch {
	case len(after)+len(before) > 1:
		bad = append(bad, paramAfter+"/"+paramBefore)
	case len(after) == 1:
		if c = parseCursor(after[0]); c == nil {
			bad = append(bad, paramAfter+"="+clip(after[0], 40))
		}
	case len(before) == 1 && before[0] == "":
		backward = true // the last page
	case len(before) == 1:
		if c = parseCursor(before[0]); c == nil {
			bad = append(bad, paramBefore+"="+clip(before[0], 40))
		}
		backward = c != nil
	}
	return f, c, backward, bad
}

// formatCursor writes the position of w for a paging link: its start in
// Unix milliseconds and its ID.
func formatCursor(w maintenance.Window) string {
	return strconv.FormatInt(w.Start.UnixMilli(), 10) + "." + strconv.FormatInt(w.ID, 10)
}

// parseCursor reads what formatCursor wrote, and nothing else.
func parseCursor(s string) *maintenance.Position {
	if len(s) > 42 {
		return nil
	}
	ms, id, ok := strings.Cut(s, ".")
	if !ok {
		return nil
	}
	m, err1 := strconv.ParseInt(ms, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n < 1 || m < maintenance.MinTime.UnixMilli() || m > maintenance.MaxTime.UnixMilli() {
		return nil
	}
	p := &maintenance.Position{Start: time.UnixMilli(m).UTC(), ID: n}
	if formatCursor(maintenance.Window{Start: p.Start, ID: p.ID}) != s {
		return nil // not canonical: "+1", "01", ...
	}
	return p
}

// overview shows one page of windows, sorted by start, filtered by
// validity and state.
func (h *handler) overview(w http.ResponseWriter, r *http.Request) {
	h.renderOverview(w, r, http.StatusOK, "", "")
}

// renderOverview shows the overview with the lead field showing lead
// (the Manager's when "") and its error leadErr.
func (h *handler) renderOverview(w http.ResponseWriter, r *http.Request, status int, lead, leadErr string) {
	a := adminOf(r)
	loc := a.location()
	v := overviewView{view: h.view(r), Zone: loc.String(), NewURL: h.prefix + "/new", Links: h.o.Links}
	v.Crumbs = []crumb{{Label: v.T(titleOverview)}}

	f, cursor, backward, bad := parseOverviewQuery(r.URL.Query())
	if len(bad) > 0 {
		status = http.StatusBadRequest
		v.Errors = append(v.Errors, v.Tf(msgBadFilter, strings.Join(bad, ", ")))
	}
	now := h.m.Clock().Now()
	q := maintenance.PageQuery{Validity: f.validity, States: f.states, At: now, Cursor: cursor, Backward: backward, Limit: h.pageSize}
	page, err := h.m.ListPage(r.Context(), q)
	if err != nil {
		h.serverError(w, r, err)
		return
	}

	layout := v.T(overviewTimeLayout)
	v.DeleteAsk, v.DeleteLabel = v.T(msgDeleteAsk), v.T(titleDelete)
	v.Rows = make([]overviewRow, 0, len(page.Windows))
	for _, win := range page.Windows {
		id := strconv.FormatInt(win.ID, 10)
		st := win.StateAt(now)
		start := win.Start.In(loc).Format(layout)
		v.Rows = append(v.Rows, overviewRow{
			ID: win.ID, EditURL: h.prefix + "/" + id, DeleteURL: h.prefix + "/" + id + "/delete",
			DeleteAria: v.DeleteLabel + ": " + start + ", " + win.Comment,
			Start:      start, Stop: win.Stop.In(loc).Format(layout), Comment: truncate(80, win.Comment),
			Validity: v.T(win.Validity.String()), State: v.T(st.String()), StateClass: st.String(),
			Invalid: win.Validity != maintenance.Valid,
		})
		if !win.Recurrence.IsZero() {
			row := &v.Rows[len(v.Rows)-1]
			row.Repeats = describeRecurrence(v.view, win.Recurrence, loc)
			row.Next = v.T(msgNoNextOccurrence)
			if next, err := win.Occurrences(now, 1); err == nil && len(next) == 1 {
				row.Next = v.Tf(msgNextOccurrence, occurrenceText(v.view, next[0], loc))
			}
		}
	}

	// Paging links keep the filter.
	base := f.query()
	link := func(param, value string) string {
		qq := url.Values{}
		for k, vs := range base {
			qq[k] = vs
		}
		if param != "" {
			qq.Set(param, value)
		}
		if len(qq) == 0 {
			return h.prefix + "/"
		}
		return h.prefix + "/?" + qq.Encode()
	}
	if page.Prev && len(page.Windows) > 0 {
		v.FirstURL = link("", "")
		v.PrevURL = link(paramBefore, formatCursor(page.Windows[0]))
	} else if page.Prev {
		v.FirstURL = link("", "")
	}
	if page.Next && len(page.Windows) > 0 {
		v.NextURL = link(paramAfter, formatCursor(page.Windows[len(page.Windows)-1]))
		v.LastURL = link(paramBefore, "")
	} else if page.Next {
		v.LastURL = link(paramBefore, "")
	}

	v.Filtered = len(f.validity)+len(f.states) > 0
	for _, val := range maintenance.Validities {
		v.ValidityFilter = append(v.ValidityFilter, filterOption{Value: val.String(), Label: v.T(val.String()), Checked: slices.Contains(f.validity, val)})
	}
	for _, st := range states {
		v.StateFilter = append(v.StateFilter, filterOption{Value: st.String(), Label: v.T(st.String()), Checked: slices.Contains(f.states, st)})
	}

	switch r.URL.Query().Get(paramNote) {
	case noteAdd:
		v.Notices = append(v.Notices, v.T(msgAdded))
	case noteUpdate:
		v.Notices = append(v.Notices, v.T(msgUpdated))
	case noteLead:
		v.Notices = append(v.Notices, v.T(msgLeadSaved))
	case noteDelete:
		v.Notices = append(v.Notices, v.T(msgDeleted))
	}
	v.LeadMinutes = lead
	if lead == "" {
		v.LeadMinutes = strconv.FormatInt(int64(h.m.Lead()/time.Minute), 10)
	}
	v.LeadMax = maxLeadMinutes
	v.LeadHint = v.Tf(msgLeadHint, strconv.FormatInt(maxLeadMinutes, 10))
	if leadErr != "" {
		v.LeadError = v.Tf(leadErr, strconv.FormatInt(maxLeadMinutes, 10))
		v.Errors = append(v.Errors, v.LeadError)
	}
	h.render(w, r, status, v.view, titleOverview, "overview", v)
}

// maxLeadMinutes is the longest notice lead time, in minutes: a window's
// own lead is bounded by maintenance.MaxLead, and so is the default.
const maxLeadMinutes = int64(maintenance.MaxLead / time.Minute)

// saveLead sets the notice lead time (Znuny's
// SystemMaintenance::TimeNotifyUpcomingMaintenance): persisted through
// Options.SaveLead when set, and applied with Manager.SetLead.
func (h *handler) saveLead(w http.ResponseWriter, r *http.Request) {
	s := r.PostForm.Get(formLeadMinutes)
	n, ok := parseLeadMinutes(s)
	if !ok {
		h.renderOverview(w, r, http.StatusUnprocessableEntity, clip(s, 20), msgLeadInvalid)
		return
	}
	lead := time.Duration(n) * time.Minute
	if h.o.SaveLead != nil {
		if err := h.o.SaveLead(r.Context(), lead); err != nil {
			h.log.Error("adminui: saving the lead time failed", "lead", lead, "err", err)
			h.renderOverview(w, r, http.StatusInternalServerError, s, msgLeadNotSaved)
			return
		}
	}
	h.m.SetLead(lead)
	h.log.Info("adminui: lead time set", "lead", lead, "by", adminOf(r).Actor)
	http.Redirect(w, r, h.prefix+"/?"+paramNote+"="+noteLead, http.StatusSeeOther)
}

// parseLeadMinutes accepts 1 to maxLeadMinutes written in ASCII digits
// (Znuny's ^[0-9]{1,8}$, bounded by maintenance.MaxLead; 0 would be read
// as the default).
func parseLeadMinutes(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 8 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > maxLeadMinutes {
		return 0, false
	}
	return n, true
}

// clip returns s as valid UTF-8 of at most n bytes, cut on a character
// boundary: for client-sent text shown back.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
