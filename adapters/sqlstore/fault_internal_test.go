//go:build cgo

package sqlstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
)

func TestFaultOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want fault
	}{
		{"read-only", sqlite3.Error{Code: sqlite3.ErrReadonly}, faultConn},
		{"read-only, moved", sqlite3.Error{Code: sqlite3.ErrReadonly, ExtendedCode: sqlite3.ErrReadonlyDbMoved}, faultConn},
		{"cannot open", sqlite3.Error{Code: sqlite3.ErrCantOpen}, faultConn},
		{"I/O error", sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrWrite}, faultConn},
		{"disk full", sqlite3.Error{Code: sqlite3.ErrFull}, faultConn},
		{"corrupt", sqlite3.Error{Code: sqlite3.ErrCorrupt}, faultConn},
		{"not a database", sqlite3.Error{Code: sqlite3.ErrNotADB}, faultConn},
		{"permission", sqlite3.Error{Code: sqlite3.ErrPerm}, faultConn},
		{"lock protocol", sqlite3.Error{Code: sqlite3.ErrProtocol}, faultConn},
		{"out of memory", sqlite3.Error{Code: sqlite3.ErrNomem}, faultConn},
		{"misuse", sqlite3.Error{Code: sqlite3.ErrMisuse}, faultConn},
		{"wrapped", fmt.Errorf("op: %w", sqlite3.Error{Code: sqlite3.ErrIoErr}), faultConn},
		{"busy", sqlite3.Error{Code: sqlite3.ErrBusy}, faultStore},
		{"locked", sqlite3.Error{Code: sqlite3.ErrLocked}, faultStore},
		{"constraint", sqlite3.Error{Code: sqlite3.ErrConstraint, ExtendedCode: sqlite3.ErrConstraintUnique}, faultNone},
		{"SQL error", sqlite3.Error{Code: sqlite3.ErrError}, faultNone},
		{"interrupted", sqlite3.Error{Code: sqlite3.ErrInterrupt}, faultNone},
		{"schema changed", sqlite3.Error{Code: sqlite3.ErrSchema}, faultNone},
		{"not from SQLite", errors.New("sql: no rows in result set"), faultNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, faultOf(tt.err))
		})
	}
}

func TestWrites(t *testing.T) {
	tests := []struct {
		query string
		want  bool
	}{
		{"SELECT id FROM sysmaint_windows", false},
		{"  select\n\tid FROM t", false},
		{"(SELECT 1)", false},
		{"-- a comment\nSELECT 1", false},
		{"VALUES (1)", false},
		{"EXPLAIN QUERY PLAN SELECT 1", false},
		{"SELECT(1)", false},
		{"INSERT INTO t VALUES (1) RETURNING id", true},
		{"UPDATE t SET x = 1 RETURNING x", true},
		{"DELETE FROM t RETURNING id", true},
		{"WITH x AS (SELECT 1) DELETE FROM t", true},
		{"PRAGMA journal_mode = WAL", true},
		{"SELECTED", true},
		{"", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, writes(tt.query), "%q", tt.query)
	}
}
