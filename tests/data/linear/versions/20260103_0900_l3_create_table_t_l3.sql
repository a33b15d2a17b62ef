-- Create table t_l3
--
-- Revision ID: l3
-- Revises: l2
-- Create Date: 2026-01-03 09:00:00

-- migrate:upgrade
CREATE TABLE t_l3 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_l3;
