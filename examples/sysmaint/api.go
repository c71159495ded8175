package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
)

// apiBackend is the backend of --api: the API's Client, each method the
// Client's, its problems turned into the tool's errors (see fail).
type apiBackend struct{ c *httpapi.Client }

func (a apiBackend) Down(ctx context.Context, in httpapi.DownInput) (httpapi.Window, error) {
	w, err := a.c.Down(ctx, in)
	return w, a.fail(ctx, 0, err)
}

func (a apiBackend) Up(ctx context.Context) ([]httpapi.Window, error) {
	ws, err := a.c.Up(ctx)
	return ws, a.fail(ctx, 0, err)
}

func (a apiBackend) Create(ctx context.Context, in httpapi.WindowInput) (httpapi.Window, error) {
	w, err := a.c.Create(ctx, in)
	return w, a.fail(ctx, 0, err)
}

func (a apiBackend) ListAll(ctx context.Context, opts httpapi.ListOptions) ([]httpapi.Window, error) {
	ws, err := a.c.ListAll(ctx, opts)
	return ws, a.fail(ctx, 0, err)
}

func (a apiBackend) Get(ctx context.Context, id int64) (httpapi.Window, error) {
	w, err := a.c.Get(ctx, id)
	return w, a.fail(ctx, id, err)
}

func (a apiBackend) End(ctx context.Context, id, version int64) (httpapi.Window, error) {
	w, err := a.c.End(ctx, id, version)
	return w, a.fail(ctx, id, err)
}

func (a apiBackend) Extend(ctx context.Context, id int64, by time.Duration, version int64) (httpapi.Window, error) {
	w, err := a.c.Extend(ctx, id, by, version)
	return w, a.fail(ctx, id, err)
}

func (a apiBackend) Cancel(ctx context.Context, id, version int64) (httpapi.Window, error) {
	w, err := a.c.Cancel(ctx, id, version)
	return w, a.fail(ctx, id, err)
}

func (a apiBackend) Status(ctx context.Context) (httpapi.Status, error) {
	st, err := a.c.Status(ctx)
	return st, a.fail(ctx, 0, err)
}

// fail turns the problem of a call about window id (0: none) into the
// tool's error. A 404 means "no such window" only when the API answers
// at the URL: a wrong --api answers 404 too, and must not pass for it.
func (a apiBackend) fail(ctx context.Context, id int64, err error) error {
	var p *httpapi.Problem
	if err == nil || !errors.As(err, &p) {
		return err
	}
	switch p.Status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		if len(p.Errors) > 0 {
			return fieldsError(p.Errors)
		}
	case http.StatusNotFound:
		if id != 0 {
			if _, serr := a.c.Status(ctx); serr == nil {
				return notFoundError{id}
			}
		}
		return fmt.Errorf("%w (is --api %s the URL the API is mounted at?)", err, a.c.BaseURL)
	case http.StatusConflict, http.StatusPreconditionFailed:
		return conflictError{p.Detail}
	case http.StatusUnauthorized:
		return fmt.Errorf("%w (give the API's token in %s or --token)", err, envToken)
	}
	return err
}
