-- Drop unused user columns
--
-- Revision ID: lt02
-- Revises: lt01

-- migrate:upgrade
ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users DROP COLUMN zip;
DROP INDEX ix_users_city;
ALTER TABLE users DROP COLUMN city;
ALTER TABLE users DROP COLUMN email;

-- migrate:downgrade
ALTER TABLE users ADD COLUMN city TEXT;
CREATE INDEX ix_users_city ON users (city);
ALTER TABLE users ADD COLUMN zip TEXT;
ALTER TABLE users ADD COLUMN nickname TEXT;
