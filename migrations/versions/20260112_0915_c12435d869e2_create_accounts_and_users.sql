-- Create accounts and users
--
-- An account is a customer organisation and every user belongs to
-- exactly one account. Ids are assigned by the application rather
-- than by a sequence, so that the same SQL runs unchanged on SQLite
-- and PostgreSQL.
--
-- Revision ID: c12435d869e2
-- Revises:
-- Create Date: 2026-01-12 09:15:00

-- migrate:upgrade
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    username VARCHAR(64) NOT NULL UNIQUE,
    display_name VARCHAR(200),
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_users_account_id ON users (account_id);

-- migrate:downgrade
DROP INDEX ix_users_account_id;
DROP TABLE users;
DROP TABLE accounts;
