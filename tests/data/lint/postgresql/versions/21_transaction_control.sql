-- Add a flag with explicit transaction statements
--
-- Revision ID: pg21
-- Revises:

-- migrate:upgrade
BEGIN;
ALTER TABLE users ADD COLUMN flagged boolean;
COMMIT;

-- migrate:downgrade
ALTER TABLE users DROP COLUMN flagged;
