-- Drop the legacy audit table
--
-- Revision ID: pg01
-- Revises:

-- migrate:upgrade
DROP TABLE legacy_audit;

-- migrate:downgrade
CREATE TABLE legacy_audit (id bigint PRIMARY KEY, payload text);
