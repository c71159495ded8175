-- 0006_revision_per_transaction.sql: one revision per transaction, not
-- per row.
--
-- Until now the trigger bumped the revision row for every row written or
-- deleted. In one transaction each bump is a new version of that row that
-- the next bump must walk to, so a statement writing n windows cost O(n²):
-- 10 000 rows took a second, 100 000 more than a minute, and the revision
-- row stayed locked, every other write to the windows waiting, all along.
--
-- Now the first write of a transaction takes the next revision, notifies
-- the listeners once, and keeps the revision in a transaction-local
-- setting named after the table; every later row of the transaction is
-- stamped with the same revision, and its deletions leave their tombstones
-- under it. The revision row stays locked by the writer until it commits,
-- as before, so revisions are still handed out in commit order and a
-- reader that sees revision r committed sees every write up to r. A
-- savepoint rolled back undoes the setting with the bump.
--
-- The tombstones are keyed by (revision, window_id), since a transaction
-- may delete many windows. They are pruned, and changes_from moved, at
-- the first deletion of a transaction, 10 000 revisions (transactions
-- now) behind the newest.

-- +goose Up
ALTER TABLE sysmaint_window_deletions DROP CONSTRAINT sysmaint_window_deletions_pkey;
ALTER TABLE sysmaint_window_deletions ADD PRIMARY KEY (revision, window_id);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sysmaint_windows_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    -- The revision this transaction took, with ':pruned' once it has
    -- pruned the tombstones; '' (or NULL) before its first write.
    setting constant text := 'sysmaint.windows_' || TG_RELID;
    taken text := current_setting(setting, true);
    rev bigint;
BEGIN
    IF taken IS NULL OR taken = '' THEN
        UPDATE sysmaint_windows_revision SET revision = revision + 1 WHERE id = 1
            RETURNING revision INTO rev;
        PERFORM pg_notify('sysmaint_windows:' || TG_TABLE_SCHEMA, rev::text);
        taken := rev::text;
        PERFORM set_config(setting, taken, true);
    ELSE
        rev := split_part(taken, ':', 1)::bigint;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM sysmaint_window_deletions;
        UPDATE sysmaint_windows_revision SET changes_from = rev WHERE id = 1;
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sysmaint_window_deletions (revision, window_id) VALUES (rev, OLD.id);
        IF taken NOT LIKE '%:pruned' THEN
            DELETE FROM sysmaint_window_deletions WHERE revision <= rev - 10000;
            UPDATE sysmaint_windows_revision SET changes_from = GREATEST(changes_from, rev - 10000) WHERE id = 1;
            PERFORM set_config(setting, rev || ':pruned', true);
        END IF;
        RETURN NULL;
    END IF;
    NEW.revision := rev;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- A transaction's deletions shared a revision, which the old key does not
-- allow: the tombstones are dropped, and the changes before now become
-- unknown (readers list every window once).
DELETE FROM sysmaint_window_deletions;
UPDATE sysmaint_windows_revision SET changes_from = revision WHERE id = 1;
ALTER TABLE sysmaint_window_deletions DROP CONSTRAINT sysmaint_window_deletions_pkey;
ALTER TABLE sysmaint_window_deletions ADD PRIMARY KEY (revision);

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
