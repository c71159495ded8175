package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
)

// connector opens the connections of a DB's pool through go-sqlite3 and
// wraps each in a conn that watches the errors it returns. It is the
// driver.Connector given to database/sql.
type connector struct {
	drv driver.Driver
	// create is the data source name of the first connection, which may
	// create the file; existing that of every later one, which never does
	// (mode=rw): once the file is gone, a new connection must not quietly
	// start an empty database at the path.
	create, existing string
	// hook, when set, rewrites the data source name of each new
	// connection (tests use it to open connections as a fault would).
	hook func(dsn string) string
	st   *state
}

var _ driver.Connector = (*connector)(nil)

// innerConn is what a go-sqlite3 connection offers and a conn relies on.
type innerConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

// innerStmt is what a go-sqlite3 statement offers and a stmt relies on.
type innerStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// Connect implements driver.Connector. Once the DB has recorded its file,
// it opens a connection only while the file at the path is that file.
func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dsn := c.create
	if c.st.file.opened() {
		if err := c.st.file.check(true); err != nil {
			return nil, err
		}
		dsn = c.existing
	}
	if c.hook != nil {
		dsn = c.hook(dsn)
	}
	dc, err := c.drv.Open(dsn)
	if err != nil {
		return nil, driverError(err)
	}
	ic, ok := dc.(innerConn)
	if !ok {
		_ = dc.Close()
		return nil, fmt.Errorf("sqlstore: driver connection %T lacks the context methods", dc)
	}
	return &conn{inner: ic, st: c.st, gen: c.st.gen.Load()}, nil
}

// Driver implements driver.Connector.
func (c *connector) Driver() driver.Driver { return c.drv }

// conn is a pooled connection that remembers whether an error left its
// state suspect (see faultOf); database/sql then discards it when it next
// returns to the pool or is taken from it (IsValid, ResetSession).
//
// Such an error also makes every connection opened before it suspect, and
// so does the first successful write after a failed one: the fault may
// have touched them all (a connection that SQLite opened read-only while
// the file was not writable fails only when it first writes, however long
// after), and a connection costs little to reopen. The DB's generation
// counts these moments; a connection from an older generation is
// discarded as one that failed.
//
// Every statement first checks the file (see fileGuard): a statement that
// writes on its own and a commit look at it every time, others at most
// once per interval. Writes and their failures are recorded in the DB's
// health.
//
// database/sql uses a connection from one goroutine at a time; the flags
// are atomic because Rows.Close may come from its cancellation goroutine.
type conn struct {
	inner     innerConn
	st        *state
	gen       uint64 // the DB's generation when c was opened
	bad       atomic.Bool
	discarded atomic.Bool
	inTx      bool // a transaction is open: its commit is the write
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

// evict marks c, and every connection opened before now, to be discarded
// by the pool.
func (c *conn) evict() {
	c.bad.Store(true)
	c.st.gen.Add(1)
}

// valid reports whether c may be used again; the first time it may not, it
// is counted as evicted (database/sql closes it).
func (c *conn) valid() bool {
	if !c.bad.Load() && c.gen == c.st.gen.Load() {
		return true
	}
	if c.discarded.CompareAndSwap(false, true) {
		c.st.evicted.Add(1)
	}
	return false
}

// guard checks the file before a statement; write says the statement
// writes on its own, so the file is looked at now.
func (c *conn) guard(write bool) error {
	err := c.st.file.check(write)
	if err == nil {
		return nil
	}
	c.evict()
	if write {
		c.st.writeFailed(err)
	}
	return err
}

// observe returns err, the error of a statement, after acting on what it
// means (see faultOf): a suspect connection is evicted; when write is set
// and the store failed, the file is looked at (the failure may be its
// going, which then is the error returned, wrapping err) and the failure
// is recorded in the DB's health.
func (c *conn) observe(err error, write bool) error {
	f := faultOf(err)
	if f == faultNone {
		return err
	}
	if f == faultConn {
		c.evict()
	}
	if !write {
		return err
	}
	if ferr := c.st.file.check(true); ferr != nil {
		c.evict()
		err = fmt.Errorf("%w: %w", ferr, err)
	}
	c.st.writeFailed(err)
	return err
}

// Prepare implements driver.Conn.
func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext implements driver.ConnPrepareContext.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.guard(false); err != nil {
		return nil, err
	}
	s, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, c.observe(err, false)
	}
	is, ok := s.(innerStmt)
	if !ok {
		_ = s.Close()
		return nil, fmt.Errorf("sqlstore: driver statement %T lacks the context methods", s)
	}
	return &stmt{inner: is, c: c, write: writes(query)}, nil
}

// Close implements driver.Conn.
func (c *conn) Close() error { return c.inner.Close() }

// Begin implements driver.Conn.
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx. Transactions begin IMMEDIATE
// (see dsn), so beginning one asks for the write lock: a failure of the
// store to give it is a failed write unless the transaction is read-only.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.guard(false); err != nil {
		return nil, err
	}
	t, err := c.inner.BeginTx(ctx, opts)
	if err != nil {
		return nil, c.observe(err, !opts.ReadOnly)
	}
	c.inTx = true
	return &tx{inner: t, c: c}, nil
}

// ExecContext implements driver.ExecerContext. Outside a transaction the
// statement commits on its own, so the file is looked at first and a
// success is a write.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.exec(func() (driver.Result, error) { return c.inner.ExecContext(ctx, query, args) })
}

func (c *conn) exec(run func() (driver.Result, error)) (driver.Result, error) {
	alone := !c.inTx
	if err := c.guard(alone); err != nil {
		return nil, err
	}
	r, err := run()
	if err != nil {
		return nil, c.observe(err, true)
	}
	if alone {
		c.st.wrote()
	}
	return r, nil
}

// QueryContext implements driver.QueryerContext. A query that writes
// (INSERT ... RETURNING) is a write, as in ExecContext.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.query(writes(query), func() (driver.Rows, error) { return c.inner.QueryContext(ctx, query, args) })
}

// query runs a query; write says whether it may write. Outside a
// transaction a writing query commits on its own when its rows are done, so
// the file is looked at first and rows that close without an error are a
// write.
func (c *conn) query(write bool, run func() (driver.Rows, error)) (driver.Rows, error) {
	alone := write && !c.inTx
	if err := c.guard(alone); err != nil {
		return nil, err
	}
	r, err := run()
	if err != nil {
		return nil, c.observe(err, write)
	}
	return &rows{inner: r, c: c, write: write, alone: alone}, nil
}

// writes reports whether query may write: unless its first keyword is
// SELECT, VALUES or EXPLAIN, it is taken to write, which costs only a look
// at the file when it does not.
func writes(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	for strings.HasPrefix(q, "--") { // a comment line
		_, q, _ = strings.Cut(q, "\n")
		q = strings.TrimLeft(q, " \t\r\n(")
	}
	word := q
	if end := strings.IndexAny(q, " \t\r\n("); end >= 0 {
		word = q[:end]
	}
	for _, ro := range [...]string{"SELECT", "VALUES", "EXPLAIN"} {
		if strings.EqualFold(word, ro) {
			return false
		}
	}
	return true
}

// Ping implements driver.Pinger.
func (c *conn) Ping(ctx context.Context) error {
	if err := c.inner.Ping(ctx); err != nil {
		return c.observe(err, false)
	}
	return nil
}

// ResetSession implements driver.SessionResetter: a suspect connection is
// not used again.
func (c *conn) ResetSession(context.Context) error {
	if !c.valid() {
		return driver.ErrBadConn
	}
	return nil
}

// IsValid implements driver.Validator: a suspect connection is not put
// back into the pool.
func (c *conn) IsValid() bool { return c.valid() }

// tx is a transaction of a conn.
type tx struct {
	inner driver.Tx
	c     *conn
}

// Commit implements driver.Tx. The file is looked at first: a transaction
// is not committed into a file that is no longer at the path.
func (t *tx) Commit() error {
	t.c.inTx = false
	if err := t.c.guard(true); err != nil {
		_ = t.inner.Rollback()
		return err
	}
	if err := t.inner.Commit(); err != nil {
		return t.c.observe(err, true)
	}
	t.c.st.wrote()
	return nil
}

// Rollback implements driver.Tx.
func (t *tx) Rollback() error {
	t.c.inTx = false
	if err := t.inner.Rollback(); err != nil {
		return t.c.observe(err, false)
	}
	return nil
}

// stmt is a prepared statement of a conn.
type stmt struct {
	inner innerStmt
	c     *conn
	write bool // see writes
}

var (
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

// Close implements driver.Stmt.
func (s *stmt) Close() error { return s.inner.Close() }

// NumInput implements driver.Stmt.
func (s *stmt) NumInput() int { return s.inner.NumInput() }

// Exec implements driver.Stmt; database/sql calls ExecContext instead.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

// Query implements driver.Stmt; database/sql calls QueryContext instead.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

// ExecContext implements driver.StmtExecContext, as conn.ExecContext.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.exec(func() (driver.Result, error) { return s.inner.ExecContext(ctx, args) })
}

// QueryContext implements driver.StmtQueryContext, as conn.QueryContext.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.query(s.write, func() (driver.Rows, error) { return s.inner.QueryContext(ctx, args) })
}

func named(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

// rows is the result of a query on a conn; an error while stepping
// through it (an I/O error reading a page, a write refused) is observed as
// any other.
type rows struct {
	inner  driver.Rows
	c      *conn
	write  bool // the query may write
	alone  bool // and commits on its own, when the rows are done
	failed bool // an error was observed
}

var (
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeLength           = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
	_ driver.RowsColumnTypePrecisionScale   = (*rows)(nil)
)

// Columns implements driver.Rows.
func (r *rows) Columns() []string { return r.inner.Columns() }

// Close implements driver.Rows.
func (r *rows) Close() error {
	if err := r.inner.Close(); err != nil {
		return r.c.observe(err, r.write)
	}
	if r.alone && !r.failed {
		r.c.st.wrote()
	}
	return nil
}

// Next implements driver.Rows.
func (r *rows) Next(dest []driver.Value) error {
	err := r.inner.Next(dest)
	if err != nil && !errors.Is(err, io.EOF) {
		r.failed = true
		return r.c.observe(err, r.write)
	}
	return err
}

// The column types are the driver's, when it tells them.

// ColumnTypeScanType implements driver.RowsColumnTypeScanType.
func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.inner.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// ColumnTypeDatabaseTypeName implements
// driver.RowsColumnTypeDatabaseTypeName.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.inner.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// ColumnTypeLength implements driver.RowsColumnTypeLength.
func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

// ColumnTypeNullable implements driver.RowsColumnTypeNullable.
func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.inner.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

// ColumnTypePrecisionScale implements
// driver.RowsColumnTypePrecisionScale.
func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.inner.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
