-- Second on alpha
--
-- Revision ID: ac1100000002
-- Revises: aa1100000001
-- Create Date: 2026-04-01 03:00:00
-- Branch Labels: alpha

-- migrate:upgrade
CREATE TABLE t_ac1100000002 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_ac1100000002;
