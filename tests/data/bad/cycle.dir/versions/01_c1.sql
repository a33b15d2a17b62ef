-- Revision c1
--
-- Revision ID: c1
-- Revises: c3
-- Create Date: 2026-05-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_c1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_c1;
