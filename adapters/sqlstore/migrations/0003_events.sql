-- 0003_events.sql: the outbox of notify.Relay (notify.Outbox): every event
-- of the schedule, recorded once by its ID by whichever process saw it
-- first, and leased to one process at a time until it is delivered or
-- dropped.
--
-- Instants are INTEGER Unix milliseconds in UTC. owner and lease_until_ms
-- hold the lease ('' and 0 when none); delivered_at_ms and dropped_at_ms
-- are NULL until the event is settled. window_json is the window as the
-- event carries it. No foreign key on window_id: events outlive their
-- window.

-- +goose Up
CREATE TABLE sysmaint_events (
    id              TEXT    NOT NULL PRIMARY KEY CHECK (id <> '' AND length(CAST(id AS BLOB)) <= 100),
    kind            INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
    window_id       INTEGER NOT NULL,
    at_ms           INTEGER NOT NULL,
    window_json     TEXT    NOT NULL,
    window_stop_ms  INTEGER NOT NULL,
    recorded_at_ms  INTEGER NOT NULL,
    due_ms          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    owner           TEXT    NOT NULL DEFAULT '',
    lease_until_ms  INTEGER NOT NULL DEFAULT 0,
    delivered_at_ms INTEGER,
    dropped_at_ms   INTEGER,
    last_error      TEXT    NOT NULL DEFAULT ''
);

-- Claim: the events not settled yet, by due time. Settled events, the
-- bulk of the table, stay out of this index.
CREATE INDEX sysmaint_events_due ON sysmaint_events (due_ms)
    WHERE delivered_at_ms IS NULL AND dropped_at_ms IS NULL;

-- Prune: the settled events, by when they were recorded.
CREATE INDEX sysmaint_events_settled ON sysmaint_events (recorded_at_ms)
    WHERE delivered_at_ms IS NOT NULL OR dropped_at_ms IS NOT NULL;

-- +goose Down
DROP TABLE sysmaint_events;
