--Fix: typo in a column
--Revision ID:colon01
--Revises:
-- migrate : Upgrade
ALTER TABLE t RENAME COLUMN nmae TO name;
--MIGRATE:downgrade
ALTER TABLE t RENAME COLUMN name TO nmae;