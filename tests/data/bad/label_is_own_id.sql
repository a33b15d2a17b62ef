-- Bad input case
--
-- Revision ID: feature
-- Revises:
-- Create Date: 2026-05-01 09:00:00
-- Branch Labels: feature

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
