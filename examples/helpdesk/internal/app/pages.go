package app

import (
	"net/http"

	"github.com/sysmaint/sysmaint/session"
)

// loginPage is the data of the agent and customer login screens.
type loginPage struct {
	base
	Customer bool
	Action   string
	Heading  string
	// Login is the user name typed before, kept after a failure.
	Login string
	// Error is shown in #LoginError.
	Error string
	// Message is the maintenance login message (#SystemMaintenance), shown
	// when HasMessage.
	Message    string
	HasMessage bool
}

func (a *App) renderLogin(w http.ResponseWriter, r *http.Request, kind session.Kind, status int, login, errText string) {
	p := loginPage{base: a.baseFor(r, "Login"), Action: loginPath(kind), Login: login, Error: errText}
	p.Customer = kind == session.Customer
	p.Heading = "Agent Login"
	if p.Customer {
		p.Heading = "Customer Login"
	}
	// Anonymous: UTC, English. The window's message is shown as written.
	p.Message, p.HasMessage = a.texts.LoginMessage(a.windows.Status(), a.viewer(User{Kind: kind}))
	w.Header().Set("Cache-Control", "no-store")
	a.render(w, r, status, "login", p)
}

// agentHome is the agent dashboard.
func (a *App) agentHome(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "agent_home", a.baseFor(r, "Dashboard"))
}

// customerHome is the customer's ticket list.
func (a *App) customerHome(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "customer_home", a.baseFor(r, "My tickets"))
}
