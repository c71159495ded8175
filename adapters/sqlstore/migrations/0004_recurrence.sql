-- 0004_recurrence.sql: recurring windows (maintenance.Recurrence).
--
-- recurrence_rule is an RFC 5545 RRULE value ('' for a window that does
-- not repeat), recurrence_zone an IANA time zone name, and
-- recurrence_exceptions the starts of the skipped occurrences as Unix
-- milliseconds in decimal, comma-separated, ascending ('' for none). The
-- rows of a one-off window keep the defaults. (Version 0003 belongs to
-- another table.)

-- +goose Up
ALTER TABLE sysmaint_windows ADD COLUMN recurrence_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE sysmaint_windows ADD COLUMN recurrence_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE sysmaint_windows ADD COLUMN recurrence_exceptions TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sysmaint_windows DROP COLUMN recurrence_exceptions;
ALTER TABLE sysmaint_windows DROP COLUMN recurrence_zone;
ALTER TABLE sysmaint_windows DROP COLUMN recurrence_rule;
