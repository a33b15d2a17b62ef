-- Continue alpha
--
-- Revision ID: a2
-- Revises: a1
-- Create Date: 2026-02-03 10:04:00

-- migrate:upgrade
CREATE TABLE t_a2 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_a2;
