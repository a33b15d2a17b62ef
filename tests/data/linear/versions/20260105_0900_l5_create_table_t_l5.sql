-- Create table t_l5
--
-- Revision ID: l5
-- Revises: l4
-- Create Date: 2026-01-05 09:00:00

-- migrate:upgrade
CREATE TABLE t_l5 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_l5;
