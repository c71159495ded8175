package maintenancetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Context: every method fails with the context's error when it is done,
// and writes nothing.

func contextCases() []tcase {
	kinds := []struct {
		name string
		ctx  func(t *testing.T) context.Context
		want error
	}{
		{"Canceled", func(t *testing.T) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}, context.Canceled},
		{"DeadlineExceeded", func(t *testing.T) context.Context {
			ctx, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0)) // long past
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
	}
	ops := []struct {
		name string
		run  func(t *testing.T, s maintenance.Store, ctx context.Context, want error)
	}{
		{"Create", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			_, err := s.Create(ctx, fixture("never", at(1), maintenance.Valid))
			assert.ErrorIs(t, err, want)
			assert.Empty(t, mustList(t, s), "Create wrote a window")
		}},
		{"Get", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			_, err := s.Get(ctx, a.ID)
			assert.ErrorIs(t, err, want)
		}},
		{"Update", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			u := a
			u.Comment = "never"
			_, err := s.Update(ctx, u)
			assert.ErrorIs(t, err, want)
			assertStored(t, s, a)
		}},
		{"Delete", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			assert.ErrorIs(t, s.Delete(ctx, a.ID), want)
			assertStored(t, s, a)
		}},
		{"List", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			_, err := s.List(ctx)
			assert.ErrorIs(t, err, want)
			_, err = s.List(ctx, maintenance.Valid)
			assert.ErrorIs(t, err, want)
		}},
		{"ListPage", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			pl := pageLister(t, s)
			mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			_, err := pl.ListPage(ctx, maintenance.PageQuery{Limit: 10})
			assert.ErrorIs(t, err, want)
		}},
		{"Revision", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			ct := tracker(t, s)
			_, err := ct.Revision(ctx)
			assert.ErrorIs(t, err, want)
		}},
	}
	var out []tcase
	for _, k := range kinds {
		c := tcase{name: k.name}
		for _, op := range ops {
			c.sub = append(c.sub, tcase{name: op.name, run: func(t *testing.T, s maintenance.Store) {
				op.run(t, s, k.ctx(t), k.want)
			}})
		}
		out = append(out, c)
	}
	return out
}
