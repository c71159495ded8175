-- 0005_changes.sql: what changed after a revision, for
-- maintenance.ChangeLister, so that a reload reads the windows that
-- changed rather than the whole table.
--
-- Each row of sysmaint_windows carries the revision of its last write
-- (revision, stamped by the triggers), and each deletion leaves a
-- tombstone in sysmaint_window_deletions under its revision. The windows
-- changed after revision r are the rows with revision > r, the windows
-- deleted after r the tombstones with revision > r: both read through an
-- index, at the cost of what changed, whatever the number of windows.
--
-- The delete trigger prunes the tombstones 10 000 revisions or more behind
-- the newest, and records in changes_from the oldest revision whose
-- changes are all still known. A reader behind it (a process that slept
-- through more than 10 000 changes) gets maintenance.ErrRevisionUnknown
-- and lists every window instead. The rows written before this migration
-- keep revision 0, and changes_from starts at the revision of the
-- migration: the changes before it are not known.

-- +goose Up
ALTER TABLE sysmaint_windows ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sysmaint_windows_by_revision ON sysmaint_windows (revision);

ALTER TABLE sysmaint_windows_revision ADD COLUMN changes_from INTEGER NOT NULL DEFAULT 0;
UPDATE sysmaint_windows_revision SET changes_from = revision WHERE id = 1;

CREATE TABLE sysmaint_window_deletions (
    revision  INTEGER PRIMARY KEY, -- the revision of the deletion
    window_id INTEGER NOT NULL
);

DROP TRIGGER sysmaint_windows_inserted;
DROP TRIGGER sysmaint_windows_updated;
DROP TRIGGER sysmaint_windows_deleted;

-- +goose StatementBegin
CREATE TRIGGER sysmaint_windows_inserted AFTER INSERT ON sysmaint_windows
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1;
    UPDATE sysmaint_windows SET revision = (SELECT revision FROM sysmaint_windows_revision WHERE id = 1)
        WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- The triggers' own stamp changes revision and nothing else: the WHEN
-- clause keeps it from counting as a change (should recursive triggers be
-- on).
-- +goose StatementBegin
CREATE TRIGGER sysmaint_windows_updated AFTER UPDATE ON sysmaint_windows
WHEN NEW.revision = OLD.revision
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1;
    UPDATE sysmaint_windows SET revision = (SELECT revision FROM sysmaint_windows_revision WHERE id = 1)
        WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sysmaint_windows_deleted AFTER DELETE ON sysmaint_windows
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1;
    INSERT INTO sysmaint_window_deletions (revision, window_id)
        SELECT revision, OLD.id FROM sysmaint_windows_revision WHERE id = 1;
    DELETE FROM sysmaint_window_deletions
        WHERE revision <= (SELECT revision - 10000 FROM sysmaint_windows_revision WHERE id = 1);
    UPDATE sysmaint_windows_revision SET changes_from = max(changes_from, revision - 10000) WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sysmaint_windows_inserted;
DROP TRIGGER sysmaint_windows_updated;
DROP TRIGGER sysmaint_windows_deleted;

-- +goose StatementBegin
CREATE TRIGGER sysmaint_windows_inserted AFTER INSERT ON sysmaint_windows
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sysmaint_windows_updated AFTER UPDATE ON sysmaint_windows
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sysmaint_windows_deleted AFTER DELETE ON sysmaint_windows
BEGIN
    UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1;
END;
-- +goose StatementEnd

DROP TABLE sysmaint_window_deletions;
ALTER TABLE sysmaint_windows_revision DROP COLUMN changes_from;
DROP INDEX sysmaint_windows_by_revision;
ALTER TABLE sysmaint_windows DROP COLUMN revision;
