-- Index users by email without blocking writes
--
-- Revision ID: pg04
-- Revises:
-- Transaction: none

-- migrate:upgrade
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_users_email ON users (email);

-- migrate:downgrade
DROP INDEX CONCURRENTLY IF EXISTS ix_users_email;
