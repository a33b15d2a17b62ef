-- Clean up after the import (reviewed)
--
-- Revision ID: pg14
-- Revises:

-- migrate:upgrade
-- retort:ignore drop-table
DROP TABLE old_sessions;
DELETE FROM import_cache; -- retort:ignore delete-without-where
-- retort:ignore drop-column, rename-column  archived to cold storage first
ALTER TABLE users
    DROP COLUMN legacy_flags;
-- retort:ignore droptable
DROP TABLE tmp_import;
SELECT '-- retort:ignore truncate';
TRUNCATE import_log;

-- migrate:downgrade
-- retort:ignore empty-downgrade (nothing to restore)
