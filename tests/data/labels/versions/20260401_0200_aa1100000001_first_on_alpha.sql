-- First on alpha
--
-- Revision ID: aa1100000001
-- Revises: ba5e00000000
-- Create Date: 2026-04-01 02:00:00

-- migrate:upgrade
CREATE TABLE t_aa1100000001 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_aa1100000001;
