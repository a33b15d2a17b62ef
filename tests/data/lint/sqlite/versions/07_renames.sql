-- Rename users to members
--
-- Revision ID: lt07
-- Revises:

-- migrate:upgrade
ALTER TABLE accounts RENAME TO members;
ALTER TABLE members RENAME COLUMN label TO full_name;
ALTER TABLE members ADD COLUMN a INTEGER, ADD COLUMN b INTEGER;

-- migrate:downgrade
ALTER TABLE members DROP COLUMN b;
ALTER TABLE members DROP COLUMN a;
ALTER TABLE members RENAME COLUMN full_name TO label;
ALTER TABLE members RENAME TO accounts;
