-- 0005_changes.sql: what changed after a revision, for
-- maintenance.ChangeLister, so that a reload reads the windows that
-- changed rather than the whole table.
--
-- Each row of sysmaint_windows carries the revision of its last write
-- (revision, stamped by a BEFORE trigger), and each deletion leaves a
-- tombstone in sysmaint_window_deletions under its revision. The windows
-- changed after revision r are the rows with revision > r, the windows
-- deleted after r the tombstones with revision > r: both read through an
-- index, at the cost of what changed, whatever the number of windows.
-- The revision counter's row is locked by a writer until it commits, so
-- revisions are handed out in commit order: a reader that sees revision r
-- committed sees every write up to r.
--
-- The delete trigger prunes the tombstones 10 000 revisions or more behind
-- the newest, and records in changes_from the oldest revision whose
-- changes are all still known; TRUNCATE, which deletes without row
-- triggers, drops them all and moves changes_from to its own revision. A
-- reader behind changes_from (an instance that slept through more than
-- 10 000 changes) gets maintenance.ErrRevisionUnknown and lists every
-- window instead. The rows written before this migration keep revision 0,
-- and changes_from starts at the revision of the migration: the changes
-- before it are not known. Adding a column with a constant default
-- rewrites no row.

-- +goose Up
ALTER TABLE sysmaint_windows ADD COLUMN revision bigint NOT NULL DEFAULT 0;
CREATE INDEX sysmaint_windows_by_revision ON sysmaint_windows (revision);

ALTER TABLE sysmaint_windows_revision ADD COLUMN changes_from bigint NOT NULL DEFAULT 0;
UPDATE sysmaint_windows_revision SET changes_from = revision WHERE id = 1;

CREATE TABLE sysmaint_window_deletions (
    revision  bigint PRIMARY KEY, -- the revision of the deletion
    window_id bigint NOT NULL
);

-- One function for every trigger: it bumps the revision and tells every
-- listener (as before), then stamps the row written, or leaves the
-- tombstone of the row deleted.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sysmaint_windows_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    rev bigint;
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1
        RETURNING revision INTO rev;
    PERFORM pg_notify('sysmaint_windows:' || TG_TABLE_SCHEMA, rev::text);
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM sysmaint_window_deletions;
        UPDATE sysmaint_windows_revision SET changes_from = rev WHERE id = 1;
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sysmaint_window_deletions (revision, window_id) VALUES (rev, OLD.id);
        DELETE FROM sysmaint_window_deletions WHERE revision <= rev - 10000;
        UPDATE sysmaint_windows_revision SET changes_from = GREATEST(changes_from, rev - 10000) WHERE id = 1;
        RETURN NULL;
    END IF;
    NEW.revision := rev;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

DROP TRIGGER sysmaint_windows_changed ON sysmaint_windows;

CREATE TRIGGER sysmaint_windows_written
    BEFORE INSERT OR UPDATE ON sysmaint_windows
    FOR EACH ROW EXECUTE FUNCTION sysmaint_windows_changed();

CREATE TRIGGER sysmaint_windows_deleted
    AFTER DELETE ON sysmaint_windows
    FOR EACH ROW EXECUTE FUNCTION sysmaint_windows_changed();

-- +goose Down
DROP TRIGGER sysmaint_windows_written ON sysmaint_windows;
DROP TRIGGER sysmaint_windows_deleted ON sysmaint_windows;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sysmaint_windows_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    rev bigint;
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1
        RETURNING revision INTO rev;
    PERFORM pg_notify('sysmaint_windows:' || TG_TABLE_SCHEMA, rev::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER sysmaint_windows_changed
    AFTER INSERT OR UPDATE OR DELETE ON sysmaint_windows
    FOR EACH ROW EXECUTE FUNCTION sysmaint_windows_changed();

DROP TABLE sysmaint_window_deletions;
ALTER TABLE sysmaint_windows_revision DROP COLUMN changes_from;
DROP INDEX sysmaint_windows_by_revision;
ALTER TABLE sysmaint_windows DROP COLUMN revision;
