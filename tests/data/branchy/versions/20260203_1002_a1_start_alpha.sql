-- Start alpha
--
-- Revision ID: a1
-- Revises: t2
-- Create Date: 2026-02-03 10:02:00
-- Branch Labels: alpha

-- migrate:upgrade
CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_a1;
