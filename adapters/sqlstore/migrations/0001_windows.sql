-- 0001_windows.sql: maintenance windows (package maintenance) and the
-- revision counter behind maintenance.ChangeTracker.
--
-- Instants are INTEGER Unix milliseconds in UTC; durations are INTEGER
-- milliseconds; booleans are INTEGER 0 or 1.

-- +goose Up

CREATE TABLE sysmaint_windows (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: IDs are never reused
    start_ms           INTEGER NOT NULL,
    stop_ms            INTEGER NOT NULL,
    comment            TEXT    NOT NULL,
    login_message      TEXT    NOT NULL DEFAULT '',
    show_login_message INTEGER NOT NULL CHECK (show_login_message IN (0, 1)),
    notify_message     TEXT    NOT NULL DEFAULT '',
    validity           INTEGER NOT NULL CHECK (validity IN (1, 2, 3)),
    lead_ms            INTEGER NOT NULL DEFAULT 0,
    created_at_ms      INTEGER NOT NULL,
    created_by         TEXT    NOT NULL DEFAULT '',
    changed_at_ms      INTEGER NOT NULL,
    changed_by         TEXT    NOT NULL DEFAULT '',
    version            INTEGER NOT NULL
);

CREATE INDEX sysmaint_windows_validity_start ON sysmaint_windows (validity, start_ms);
CREATE INDEX sysmaint_windows_start ON sysmaint_windows (start_ms);

-- One row, bumped by the triggers below on every change to
-- sysmaint_windows, whichever connection or process makes it.
CREATE TABLE sysmaint_windows_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);

INSERT INTO sysmaint_windows_revision (id, revision) VALUES (1, 0);

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

-- +goose Down
DROP TABLE sysmaint_windows;
DROP TABLE sysmaint_windows_revision;
