package maintenance_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

func TestIsMaintenanceAdmin(t *testing.T) {
	tests := []struct {
		name  string
		perms map[string][]string
		want  bool
	}{
		{"rw on admin", map[string][]string{"admin": {"rw"}}, true},
		{"move_into on admin", map[string][]string{"admin": {"move_into"}}, true},
		{"ro on admin", map[string][]string{"admin": {"ro"}}, false},
		{"ro and note on admin", map[string][]string{"admin": {"ro", "note", "create"}}, false},
		{"rw on users only", map[string][]string{"users": {"rw"}}, false},
		{"group name is exact", map[string][]string{"Admin": {"rw"}, "admins": {"rw"}}, false},
		{"no groups", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, maintenance.IsMaintenanceAdmin(tt.perms))
		})
	}
}

func TestManager_CheckLogin(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	w := win(0, 60, 120)
	w.Comment = "Upgrade"
	w, err := m.Add(ctx, w, "root")
	require.NoError(t, err)

	admin := maintenance.Principal{Login: "root", Kind: session.Agent, Admin: maintenance.IsMaintenanceAdmin(map[string][]string{"admin": {"rw"}})}
	mover := maintenance.Principal{Login: "mover", Kind: session.Agent, Admin: maintenance.IsMaintenanceAdmin(map[string][]string{"admin": {"move_into"}})}
	reader := maintenance.Principal{Login: "reader", Kind: session.Agent, Admin: maintenance.IsMaintenanceAdmin(map[string][]string{"admin": {"ro"}})}
	agent := maintenance.Principal{Login: "agent", Kind: session.Agent}
	customer := maintenance.Principal{Login: "cust", Kind: session.Customer}
	adminCustomer := maintenance.Principal{Login: "cust", Kind: session.Customer, Admin: true}
	external := maintenance.Principal{Login: "ldap-only", Kind: session.Agent} // no local record: same rule
	unknown := maintenance.Principal{Login: "x", Admin: true}

	tests := []struct {
		name   string
		p      maintenance.Principal
		before bool // passes before the window
		during bool // passes during the window
	}{
		{"admin agent", admin, true, true},
		{"move_into agent", mover, true, true},
		{"ro on admin agent", reader, true, false},
		{"plain agent", agent, true, false},
		{"customer", customer, true, false},
		{"customer flagged admin", adminCustomer, true, false},
		{"agent from external backend", external, true, false},
		{"unknown kind", unknown, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock.Set(at(59))
			assert.Equal(t, tt.before, m.CheckLogin(tt.p) == nil, "before the window")
			mock.Set(at(60))
			err := m.CheckLogin(tt.p)
			assert.Equal(t, tt.during, err == nil, "during the window")
			if !tt.during {
				assert.ErrorIs(t, err, maintenance.ErrLoginRefused)
				var lre *maintenance.LoginRefusedError
				require.True(t, errors.As(err, &lre))
				assert.Equal(t, maintenance.DefaultLoginRefused, lre.Message)
				assert.Equal(t, w.ID, lre.Window.ID)
				assert.Equal(t, "Upgrade", lre.Window.Comment)
				assert.Equal(t, tt.p, lre.Principal)
				assert.Contains(t, err.Error(), tt.p.Login)
			}
			mock.Set(at(120))
			assert.NoError(t, m.CheckLogin(tt.p), "after the window")
		})
	}
}

func TestManager_CheckLoginCustomText(t *testing.T) {
	ctx := context.Background()
	mock := newMock()
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, LoginRefused: "Come back at noon.", Logger: quiet})
	_, err := m.Add(ctx, validWindow(), "root")
	require.NoError(t, err)
	var lre *maintenance.LoginRefusedError
	require.ErrorAs(t, m.CheckLogin(maintenance.Principal{Kind: session.Customer}), &lre)
	assert.Equal(t, "Come back at noon.", lre.Message)
	assert.NoError(t, maintenance.Status{}.CheckLogin(maintenance.Principal{}), "the zero status lets everyone in")
}
