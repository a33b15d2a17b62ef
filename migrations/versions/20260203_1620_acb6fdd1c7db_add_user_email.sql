-- Add user email
--
-- Revision ID: acb6fdd1c7db
-- Revises: 532afb069296
-- Create Date: 2026-02-03 16:20:00

-- migrate:upgrade
-- SQLite cannot add a column with a UNIQUE constraint, so uniqueness
-- comes from an index; the downgrade drops the index before the column.
ALTER TABLE users ADD COLUMN email VARCHAR(255);
CREATE UNIQUE INDEX ux_users_email ON users (email);

-- migrate:downgrade
DROP INDEX ux_users_email;
ALTER TABLE users DROP COLUMN email;
