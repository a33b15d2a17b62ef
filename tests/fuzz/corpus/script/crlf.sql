-- Add an index
--
-- Revision ID: crlf01
-- Revises: base01
-- Create Date: 2026-01-01 10:00:00

-- migrate:upgrade
CREATE INDEX i ON t (a);
-- migrate:downgrade
DROP INDEX i;
