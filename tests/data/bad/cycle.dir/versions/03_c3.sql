-- Revision c3
--
-- Revision ID: c3
-- Revises: c2
-- Create Date: 2026-05-01 09:00:00

-- migrate:upgrade
CREATE TABLE t_c3 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_c3;
