-- Add user columns
--
-- Revision ID: lt03
-- Revises: lt02

-- migrate:upgrade
ALTER TABLE users ADD COLUMN age INTEGER NOT NULL;
ALTER TABLE users ADD COLUMN score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN seen_at TEXT DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE users ADD COLUMN code TEXT UNIQUE;
ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT '2026-01-01';
CREATE INDEX ix_users_score ON users (score);
ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age > 0);
ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(20);

-- migrate:downgrade
DROP INDEX ix_users_score;
ALTER TABLE users DROP COLUMN created_at;
ALTER TABLE users DROP COLUMN score;
