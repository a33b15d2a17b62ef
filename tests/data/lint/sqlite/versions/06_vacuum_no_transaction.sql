-- Compact the database
--
-- Revision ID: lt06
-- Revises:
-- Transaction: none

-- migrate:upgrade
VACUUM;

-- migrate:downgrade
-- retort:ignore empty-downgrade  nothing to undo
