-- Bad input case
--
-- Revision ID: b1
-- Revises:
-- Create Date: 2026-05-01 09:00:00
-- Revision ID: b2

-- migrate:upgrade
CREATE TABLE t_b1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b1;
