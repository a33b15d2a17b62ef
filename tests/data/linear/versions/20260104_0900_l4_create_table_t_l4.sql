-- Create table t_l4
--
-- Revision ID: l4
-- Revises: l3
-- Create Date: 2026-01-04 09:00:00

-- migrate:upgrade
CREATE TABLE t_l4 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_l4;
