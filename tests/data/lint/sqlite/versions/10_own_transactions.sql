-- Backfill in a transaction the script manages itself
--
-- Revision ID: lt10
-- Revises:
-- Transaction: none

-- migrate:upgrade
BEGIN TRANSACTION;
UPDATE users SET name = trim(name) WHERE name <> trim(name);
COMMIT;

-- migrate:downgrade
-- retort:ignore empty-downgrade  a data fix has nothing to undo
