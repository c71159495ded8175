-- 0004_recurrence.sql: recurring windows (maintenance.Recurrence).
--
-- recurrence_rule is an RFC 5545 RRULE value ('' for a window that does
-- not repeat), recurrence_zone an IANA time zone name, and
-- recurrence_exceptions the starts of the skipped occurrences as Unix
-- milliseconds in decimal, comma-separated, ascending ('' for none): the
-- same text as in the SQLite store, so that both share their SQL. Adding a
-- column with a constant default rewrites no row. (Version 0003 belongs
-- to another table.)

-- +goose Up
ALTER TABLE sysmaint_windows
    ADD COLUMN recurrence_rule       text NOT NULL DEFAULT '',
    ADD COLUMN recurrence_zone       text NOT NULL DEFAULT '',
    ADD COLUMN recurrence_exceptions text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sysmaint_windows
    DROP COLUMN recurrence_exceptions,
    DROP COLUMN recurrence_zone,
    DROP COLUMN recurrence_rule;
