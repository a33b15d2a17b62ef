-- Create users
--
-- Revision ID: lt01
-- Revises:

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT UNIQUE,
    nickname TEXT,
    city TEXT,
    zip TEXT,
    name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_users_city ON users (city);
CREATE INDEX ix_users_zip ON users (zip);

-- migrate:downgrade
DROP TABLE users;
