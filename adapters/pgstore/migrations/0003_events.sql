-- 0003_events.sql: the outbox of notify.Relay (notify.Outbox): every event
-- of the schedule, recorded once by its ID by whichever instance saw it
-- first, and leased to one instance at a time until it is delivered or
-- dropped.
--
-- Instants are bigint Unix milliseconds in UTC. owner and lease_until_ms
-- hold the lease ('' and 0 when none); delivered_at_ms and dropped_at_ms
-- are NULL until the event is settled. window_json is the window as the
-- event carries it. The ID compares byte by byte (COLLATE "C"), as Go
-- compares strings, so claims come in the order notify.CompareEvents says.

-- +goose Up
CREATE TABLE sysmaint_events (
    id              text COLLATE "C" PRIMARY KEY CHECK (id <> '' AND octet_length(id) <= 100),
    kind            smallint NOT NULL CHECK (kind BETWEEN 1 AND 6),
    window_id       bigint   NOT NULL, -- no foreign key: events outlive their window
    at_ms           bigint   NOT NULL,
    window_json     text     NOT NULL,
    window_stop_ms  bigint   NOT NULL,
    recorded_at_ms  bigint   NOT NULL,
    due_ms          bigint   NOT NULL,
    attempts        integer  NOT NULL DEFAULT 0,
    owner           text     NOT NULL DEFAULT '',
    lease_until_ms  bigint   NOT NULL DEFAULT 0,
    delivered_at_ms bigint,
    dropped_at_ms   bigint,
    last_error      text     NOT NULL DEFAULT ''
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
