-- Compact the database (inside a transaction: fails)
--
-- Revision ID: lt05
-- Revises:

-- migrate:upgrade
VACUUM;

-- migrate:downgrade
