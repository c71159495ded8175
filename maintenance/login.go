package maintenance

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sysmaint/sysmaint/session"
)

// DefaultLoginRefused is the text shown to a user refused at login during
// maintenance: Znuny's IsActiveDefaultLoginErrorMessage.
const DefaultLoginRefused = "We are performing scheduled maintenance. Login is temporarily not available."

// ErrLoginRefused is matched (errors.Is) by every *LoginRefusedError.
var ErrLoginRefused = errors.New("maintenance: login refused during maintenance")

// Principal is a user who is logging in, as the host describes them: the
// host has checked their credentials and has not yet recorded the login.
type Principal struct {
	// Login names the user, for messages and logs.
	Login string
	// Kind says whether the user is an agent or a customer.
	Kind session.Kind
	// Admin reports whether the user is a maintenance admin, allowed to log
	// in during maintenance. It matters for agents only: customers are
	// never let in. [IsMaintenanceAdmin] is Znuny's rule for it.
	Admin bool
}

// LoginRefusedError is the refusal of a login during maintenance. It
// carries the window in force and the text to show the user.
type LoginRefusedError struct {
	// Principal is the user who was refused.
	Principal Principal
	// Window is the active window that supplies the messages.
	Window Window
	// Message is the text to show: Options.LoginRefused of the Manager
	// (DefaultLoginRefused unless set). Package notify gives it translated.
	Message string
}

// Error returns a description for logs, naming the user and the window; show
// Message to the user instead.
func (e *LoginRefusedError) Error() string {
	return fmt.Sprintf("maintenance: login of %s %q refused: window %d is active", e.Principal.Kind, e.Principal.Login, e.Window.ID)
}

// Is reports whether target is ErrLoginRefused.
func (e *LoginRefusedError) Is(target error) bool { return target == ErrLoginRefused }

// CheckLogin applies the login rule at this instant: outside maintenance
// everyone may log in; while a window is active, agents who are maintenance
// admins may, customers and every other principal may not. A refusal is a
// *LoginRefusedError (matching ErrLoginRefused) with an empty Message; the
// rule applies to every principal the host presents, however they were
// authenticated. It allocates only when it refuses.
func (st Status) CheckLogin(p Principal) error {
	w, ok := st.Window()
	if !ok || (p.Kind == session.Agent && p.Admin) {
		return nil
	}
	return &LoginRefusedError{Principal: p, Window: w}
}

// CheckLogin applies the login rule now (see [Status.CheckLogin]); a
// refusal carries the Manager's refusal text in Message. Call it after
// checking the credentials and before recording the login, so a refused
// user leaves no trace of a successful login.
func (m *Manager) CheckLogin(p Principal) error {
	err := m.Status().CheckLogin(p)
	var lre *LoginRefusedError
	if errors.As(err, &lre) {
		lre.Message = m.loginRefused
	}
	return err
}

// AdminGroup is the group whose rw or move_into permission makes an agent a
// maintenance admin under [IsMaintenanceAdmin].
const AdminGroup = "admin"

// IsMaintenanceAdmin is Znuny's rule for who may log in during
// maintenance: an agent with the permission "rw" or "move_into" on the
// group named "admin". perms maps a group name to the permission types the
// agent holds on it (directly or through roles), as the host knows them.
func IsMaintenanceAdmin(perms map[string][]string) bool {
	p := perms[AdminGroup]
	return slices.Contains(p, "rw") || slices.Contains(p, "move_into")
}
