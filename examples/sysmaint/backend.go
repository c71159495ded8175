package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// backend is where the windows are: the database, through a Manager
// (dbBackend), or the API, through its Client (apiBackend). Both take and
// return the API's wire types and report the same errors (see explain),
// so every command works the same on either. Its methods are those of
// httpapi.Client; a version other than 0 makes an action conditional.
type backend interface {
	Down(ctx context.Context, in httpapi.DownInput) (httpapi.Window, error)
	Up(ctx context.Context) ([]httpapi.Window, error)
	Create(ctx context.Context, in httpapi.WindowInput) (httpapi.Window, error)
	ListAll(ctx context.Context, opts httpapi.ListOptions) ([]httpapi.Window, error)
	Get(ctx context.Context, id int64) (httpapi.Window, error)
	End(ctx context.Context, id, version int64) (httpapi.Window, error)
	Extend(ctx context.Context, id int64, by time.Duration, version int64) (httpapi.Window, error)
	Cancel(ctx context.Context, id, version int64) (httpapi.Window, error)
	Status(ctx context.Context) (httpapi.Status, error)
}

// globals are the flags every command takes.
type globals struct {
	db, schema, api, token, actor, tz string
	json                              bool
	timeout                           time.Duration
	tokenSet, actorSet, schemaSet     bool // given on the command line
}

// register adds the global flags to fs, with g's values as defaults: the
// flags go into two flag sets, before the command and among its flags.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.db, "db", g.db, "the host's database: a SQLite file `PATH`, or a postgres:// URL")
	fs.Func("schema", "with a postgres:// --db: the `SCHEMA` of the sysmaint tables (default public)", func(s string) error {
		g.schema, g.schemaSet = s, true
		return nil
	})
	fs.StringVar(&g.api, "api", g.api, "the `URL` the host's API is mounted at, such as http://127.0.0.1:8080/api")
	fs.Func("token", "the API's bearer `TOKEN` (better: the environment variable "+envToken+")", func(s string) error {
		g.token, g.tokenSet = s, true
		return nil
	})
	fs.Func("actor", "with --db: the `NAME` recorded as who made the change (default: your user name)", func(s string) error {
		g.actor, g.actorSet = s, true
		return nil
	})
	fs.StringVar(&g.tz, "tz", g.tz, "the time `ZONE` of times given and shown: an IANA name, UTC or Local")
	fs.BoolVar(&g.json, "json", g.json, "write the API's JSON instead of text")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up after this `DURATION`")
}

// check refuses contradictory or missing backend flags, and settles the
// token and the actor, before anything is opened.
func (g *globals) check(getenv func(string) string) error {
	switch {
	case g.db == "" && g.api == "":
		return usagef("say where the windows are: --db PATH (SQLite), --db postgres://... or --api URL")
	case g.db != "" && g.api != "":
		return usagef("give --db or --api, not both")
	case g.api != "":
		if g.actorSet {
			return usagef("--actor applies to --db only: the API records who its token belongs to")
		}
		if g.schemaSet {
			return usagef("--schema applies to a postgres:// --db only")
		}
		u, err := url.Parse(g.api)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("--api %q is not an http:// or https:// URL", g.api)
		}
		if !g.tokenSet {
			g.token = getenv(envToken)
		}
		return nil
	}
	if g.tokenSet {
		return usagef("--token applies to --api only")
	}
	if g.schemaSet && !isPostgres(g.db) {
		return usagef("--schema applies to a postgres:// --db only")
	}
	if !g.actorSet {
		if u, err := user.Current(); err == nil {
			g.actor = u.Username
		}
	}
	g.actor = strings.TrimSpace(g.actor)
	if g.actor == "" {
		return usagef("--actor is required: the user name is unknown (it is recorded as who made the change)")
	}
	return nil
}

// isPostgres reports whether --db names a PostgreSQL database.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// open returns the backend of g. lead is the Manager's lead time (--db).
// A SQLite file or PostgreSQL schema without the sysmaint tables is
// refused, so a mistyped name is not taken for a database without windows.
func (g *globals) open(ctx context.Context, clk clock.Clock, lead time.Duration) (backend, io.Closer, error) {
	if g.api != "" {
		return apiBackend{&httpapi.Client{BaseURL: g.api, Token: g.token}}, nil, nil
	}
	var store maintenance.Store
	var closer io.Closer
	if isPostgres(g.db) {
		db, err := pgstore.New(g.db, &pgstore.Options{Schema: g.schema})
		if err != nil {
			return nil, nil, usagef("--db: %v", err)
		}
		var found bool
		if err := db.SQL().GetContext(ctx, &found, "SELECT to_regclass('sysmaint_windows') IS NOT NULL"); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("--db: %w", err)
		}
		if !found {
			db.Close()
			return nil, nil, fmt.Errorf("--db: schema %q of that database has no sysmaint tables: check --schema (start the host once to create them)", db.Schema())
		}
		store, closer = db.Windows(), db
	} else {
		if _, err := os.Stat(g.db); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, nil, fmt.Errorf("--db %s: no such file: check the path (the host creates the file when it starts)", g.db)
			}
			return nil, nil, fmt.Errorf("--db: %w", err)
		}
		db, err := sqlstore.Open(ctx, g.db, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("--db: %w", err)
		}
		store, closer = db.Windows(), db
	}
	m := maintenance.New(store, &maintenance.Options{
		Clock: clk, Lead: lead, Logger: slog.New(slog.DiscardHandler), // failures are returned, not logged
	})
	return &dbBackend{m: m, actor: g.actor}, closer, nil
}
