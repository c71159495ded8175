package sqlcore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// fail translates a driver error at the boundary and wraps it with the
// package name and the operation: sql.ErrNoRows becomes notFound; when ctx
// is done, its error is kept in the chain even if the driver reported the
// interruption in words of its own.
func fail(ctx context.Context, pkg, op string, err, notFound error) error {
	if errors.Is(err, sql.ErrNoRows) {
		err = notFound
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%s: %s: %w: %w", pkg, op, cerr, err)
	}
	return fmt.Errorf("%s: %s: %w", pkg, op, err)
}

// execOne runs q, which must touch one row, and returns sql.ErrNoRows when
// it touches none; the caller translates the error for its store.
func execOne(ctx context.Context, db execer, q string, args ...any) error {
	n, err := execN(ctx, db, q, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

// execN runs q and returns the number of rows it touched.
func execN(ctx context.Context, db execer, q string, args ...any) (int64, error) {
	res, err := db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// check returns ctx's error, or that of ready when it is not nil.
func check(ctx context.Context, ready func(context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ready != nil {
		return ready(ctx)
	}
	return nil
}
