-- Second on beta
--
-- Revision ID: bd2200000002
-- Revises: aa2200000001
-- Create Date: 2026-04-01 05:00:00

-- migrate:upgrade
CREATE TABLE t_bd2200000002 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_bd2200000002;
