-- Create table t_l2
--
-- Revision ID: l2
-- Revises: l1
-- Create Date: 2026-01-02 09:00:00

-- migrate:upgrade
CREATE TABLE t_l2 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_l2;
