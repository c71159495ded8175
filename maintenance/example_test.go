package maintenance_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

func Example() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC))

	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	if err := m.Refresh(ctx); err != nil {
		panic(err)
	}
	_, err := m.Add(ctx, maintenance.Window{
		Start:         time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:          time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC),
		Comment:       "Database upgrade",
		NotifyMessage: "The helpdesk is read-only until 23:30 UTC.",
		Validity:      maintenance.Valid,
	}, "root@localhost")
	if err != nil {
		panic(err)
	}

	for _, t := range []string{"21:00", "21:30", "22:00", "23:30"} {
		now, _ := time.Parse("2006-01-02 15:04", "2026-11-24 "+t)
		mock.Set(now)
		st := m.Status()
		w, active := st.Window()
		u, upcoming := st.Upcoming()
		switch {
		case active:
			fmt.Printf("%s active: %q, ends %s\n", t, w.NotifyMessage, st.End().Format("15:04"))
		case upcoming:
			fmt.Printf("%s upcoming: %s at %s\n", t, u.Comment, u.Start.Format("15:04"))
		default:
			fmt.Printf("%s nothing, next change %s\n", t, st.Next().Format("15:04"))
		}
	}
	// Output:
	// 21:00 nothing, next change 21:30
	// 21:30 upcoming: Database upgrade at 22:00
	// 22:00 active: "The helpdesk is read-only until 23:30 UTC.", ends 23:30
	// 23:30 nothing, next change 00:00
}

func ExampleManager_CheckLogin() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 15, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(ctx, maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Upgrade",
		Validity: maintenance.Valid,
	}, "root")

	users := []maintenance.Principal{
		{Login: "root", Kind: session.Agent, Admin: maintenance.IsMaintenanceAdmin(map[string][]string{"admin": {"rw"}})},
		{Login: "anna", Kind: session.Agent, Admin: maintenance.IsMaintenanceAdmin(map[string][]string{"admin": {"ro"}})},
		{Login: "carl", Kind: session.Customer},
	}
	for _, p := range users {
		err := m.CheckLogin(p)
		var refused *maintenance.LoginRefusedError
		if errors.As(err, &refused) {
			fmt.Printf("%s refused: %s\n", p.Login, refused.Message)
			continue
		}
		fmt.Printf("%s may log in\n", p.Login)
	}
	// Output:
	// root may log in
	// anna refused: We are performing scheduled maintenance. Login is temporarily not available.
	// carl refused: We are performing scheduled maintenance. Login is temporarily not available.
}

func ExampleWindow_Validate() {
	w := maintenance.Window{
		Start:    time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Comment:  "  ",
		Validity: maintenance.Valid,
	}
	var ve *maintenance.ValidationError
	if errors.As(w.Validate(), &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Reason)
		}
	}
	// Output:
	// Start is not before the stop
	// Comment is required
}

func ExampleCompile() {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	s := maintenance.Compile([]maintenance.Window{
		{ID: 1, Start: day.Add(22 * time.Hour), Stop: day.Add(23 * time.Hour), Comment: "a", Validity: maintenance.Valid},
		{ID: 2, Start: day.Add(22*time.Hour + 45*time.Minute), Stop: day.Add(24 * time.Hour), Comment: "b", Validity: maintenance.Valid},
	}, 30*time.Minute)
	st := s.At(day.Add(22*time.Hour + 50*time.Minute))
	w, _ := st.Window()
	fmt.Println("active:", st.ActiveCount(), "messages from:", w.ID, "maintenance ends:", st.End().Format("15:04 Jan 2"))
	// Output:
	// active: 2 messages from: 2 maintenance ends: 00:00 Nov 25
}
