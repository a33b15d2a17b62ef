-- Add a biography (no way back)
--
-- Revision ID: pg13
-- Revises:

-- migrate:upgrade
ALTER TABLE users ADD COLUMN bio text;
