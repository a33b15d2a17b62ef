-- Core detail table
--
-- Revision ID: c2
-- Revises: c1
-- Create Date: 2026-03-01 10:30:00

-- migrate:upgrade
CREATE TABLE t_c2 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_c2;
