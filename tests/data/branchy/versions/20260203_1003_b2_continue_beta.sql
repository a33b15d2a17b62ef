-- Continue beta
--
-- Revision ID: b2
-- Revises: b1
-- Create Date: 2026-02-03 10:03:00

-- migrate:upgrade
CREATE TABLE t_b2 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_b2;
