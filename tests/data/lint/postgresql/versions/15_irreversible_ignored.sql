-- Backfill display names (a data fix, nothing to undo)
--
-- retort:ignore irreversible
-- Revision ID: pg15
-- Revises:

-- migrate:upgrade
UPDATE users SET display_name = username WHERE display_name IS NULL;
