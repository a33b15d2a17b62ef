-- Statements whose danger is PostgreSQL's, harmless on SQLite
--
-- Revision ID: lt09
-- Revises:

-- migrate:upgrade
CREATE INDEX ix_events_kind ON events (kind);
DROP INDEX ix_events_old;
REINDEX ix_events_kind;

-- migrate:downgrade
DROP INDEX ix_events_kind;
