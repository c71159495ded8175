-- 0002_sessions.sql: logged-in user sessions (package session).
--
-- The table is named sysmaint_sessions, not sessions, like
-- sysmaint_windows: sysmaint shares the host's database, and "sessions" is
-- the table of the host's own session manager (alexedwards/scs's SQL
-- stores, for one, use exactly that name).
--
-- Instants are INTEGER Unix milliseconds in UTC; booleans are INTEGER 0 or
-- 1; kind is session.Kind (1 agent, 2 customer). A customer is never a
-- maintenance admin.

-- +goose Up
CREATE TABLE sysmaint_sessions (
    id                 TEXT    NOT NULL PRIMARY KEY, -- chosen by the host
    kind               INTEGER NOT NULL CHECK (kind IN (1, 2)),
    user_login         TEXT    NOT NULL CHECK (user_login <> ''),
    user_full_name     TEXT    NOT NULL DEFAULT '',
    admin              INTEGER NOT NULL CHECK (admin IN (0, 1)),
    remote_addr        TEXT    NOT NULL DEFAULT '',
    user_agent         TEXT    NOT NULL DEFAULT '',
    created_at_ms      INTEGER NOT NULL,
    last_request_at_ms INTEGER NOT NULL,
    CHECK (id <> ''),
    CHECK (kind = 1 OR admin = 0)
);

-- List: ORDER BY created_at_ms, id. The primary key serves Get, Touch,
-- Delete and the keep-one check of DeleteAllExcept. No other index: the
-- counters, DeleteNonAdmin and DeleteAllExcept visit (nearly) every row
-- anyway, and each extra index is one more b-tree to update per deleted
-- row.
CREATE INDEX sysmaint_sessions_created ON sysmaint_sessions (created_at_ms, id);

-- +goose Down
DROP TABLE sysmaint_sessions;
