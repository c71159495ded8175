-- 0002_sessions.sql: logged-in user sessions (package session).
--
-- The table is sysmaint_sessions, not sessions: sysmaint shares the host's
-- database, and "sessions" is the table of the host's own session manager
-- (alexedwards/scs's postgresstore, for one, uses exactly that name).
-- kind is session.Kind (1 agent, 2 customer); a customer is never a
-- maintenance admin. Instants are bigint Unix milliseconds in UTC.

-- +goose Up
CREATE TABLE sysmaint_sessions (
    id                 text     PRIMARY KEY CHECK (id <> ''), -- chosen by the host
    kind               smallint NOT NULL CHECK (kind IN (1, 2)),
    user_login         text     NOT NULL CHECK (user_login <> ''),
    user_full_name     text     NOT NULL DEFAULT '',
    admin              boolean  NOT NULL,
    remote_addr        text     NOT NULL DEFAULT '',
    user_agent         text     NOT NULL DEFAULT '',
    created_at_ms      bigint   NOT NULL,
    last_request_at_ms bigint   NOT NULL,
    CHECK (kind = 1 OR NOT admin)
);

-- List: ORDER BY created_at_ms, id. The primary key serves Get, Touch,
-- Delete and the kept row of DeleteAllExcept.
CREATE INDEX sysmaint_sessions_created ON sysmaint_sessions (created_at_ms, id);

-- +goose Down
DROP TABLE sysmaint_sessions;
